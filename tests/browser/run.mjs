#!/usr/bin/env node
// Runs every tests/browser/*.test.mjs against an already built site and
// prints TAP ("ok N - ...", "not ok N - ...", then "1..N").
//   node tests/browser/run.mjs SITE_DIR [NAME_FILTER]
// It builds nothing: tests/run.sh builds content-example into a temp folder
// first. Exit status 1 when any test failed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve, launch, Tap } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [siteArg, filter] = process.argv.slice(2);
if (!siteArg || !fs.existsSync(path.join(siteArg, 'index.html'))) {
	console.error('usage: node tests/browser/run.mjs SITE_DIR [NAME_FILTER]  (SITE_DIR/index.html must exist)');
	process.exit(2);
}
const site = path.resolve(siteArg);
const t = new Tap();
const files = fs.readdirSync(here)
	.filter((f) => f.endsWith('.test.mjs') && (!filter || f.includes(filter)))
	.sort();

const server = await serve(site);
let browser = null;
try {
	browser = await launch();
} catch (e) {
	t.fail('launch chromium', e.message);
}
const contexts = [];
// newPage(options): a page in a fresh context (own viewport, media, storage).
const newPage = async (options = {}) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
	contexts.push(context);
	const page = await context.newPage();
	page.setDefaultTimeout(15000);
	return page;
};

if (browser) {
	for (const f of files) {
		t.comment(f);
		try {
			const mod = await import(pathToFileURL(path.join(here, f)).href);
			await mod.default({ t, site, url: server.url, browser, newPage });
		} catch (e) {
			t.fail(`${f} ran to the end`, e && e.stack ? e.stack : String(e));
		}
		while (contexts.length) await contexts.pop().close().catch(() => {});
	}
	await browser.close();
}
await server.close();
t.plan();
process.exit(t.failures ? 1 : 0);
