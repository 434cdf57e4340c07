// Shared helpers for the browser tests: a static file server, a headless
// Debian chromium through playwright-core, axe-core, the Nu HTML Checker and
// TAP output. Every tests/browser/*.test.mjs exports a default async
// function that run.mjs calls with one context object:
//
//   export default async function ({ t, site, url, browser, newPage }) {
//     const page = await newPage();
//     await page.goto(url + '/claims/');
//     t.ok(await page.locator('h1').count() === 1, 'claims overview has one h1');
//     t.violations(await axe(page), 'claims overview: axe');
//   }
//
// site is the built site folder, url the base URL it is served at (no
// trailing slash), browser a chromium Browser shared by every test file.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.json': 'application/json',
	'.xml': 'application/xml',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.ico': 'image/x-icon',
	'.txt': 'text/plain; charset=utf-8',
	'.bib': 'application/x-bibtex; charset=utf-8',
	'.ris': 'application/x-research-info-systems; charset=utf-8',
	'.pdf': 'application/pdf',
};

// serve(dir): a static server for dir on 127.0.0.1 and a free port.
// "/x/" serves x/index.html, "/x" redirects to "/x/" when x is a folder.
// Returns { url, close } where url has no trailing slash.
export async function serve(dir) {
	const root = path.resolve(dir);
	const server = http.createServer((req, res) => {
		let rel;
		try {
			rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
		} catch {
			res.writeHead(400).end('bad request');
			return;
		}
		const file = path.join(root, path.normalize(rel));
		if (file !== root && !file.startsWith(root + path.sep)) {
			res.writeHead(403).end('forbidden');
			return;
		}
		let target = file;
		try {
			if (fs.statSync(target).isDirectory()) {
				if (!rel.endsWith('/')) {
					res.writeHead(301, { Location: rel + '/' }).end();
					return;
				}
				target = path.join(target, 'index.html');
			}
			const body = fs.readFileSync(target);
			const type = TYPES[path.extname(target).toLowerCase()] || 'application/octet-stream';
			res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
			res.end(req.method === 'HEAD' ? undefined : body);
		} catch {
			const notFound = path.join(root, '404.html');
			const body = fs.existsSync(notFound) ? fs.readFileSync(notFound) : 'not found';
			res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
		}
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise((resolve) => {
			server.closeAllConnections?.();
			server.close(() => resolve());
		}),
	};
}

// launch(): headless Debian chromium (playwright-core brings no browser).
export async function launch() {
	const { chromium } = await import('playwright-core');
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu'],
	});
}

// axe(page, options): runs axe-core on the loaded page with the WCAG 2.2
// A/AA tags and returns its violations (an empty array when clean).
export async function axe(page, options = {}) {
	const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.addScriptTag({ content: source });
	const result = await page.evaluate((opts) => window.axe.run(document, opts), {
		runOnly: { type: 'tag', values: AXE_TAGS },
		...options,
	});
	return result.violations;
}

// describeViolations(violations): one readable line per violation and node.
export function describeViolations(violations) {
	const lines = [];
	for (const v of violations) {
		lines.push(`${v.id} (${v.impact}): ${v.help}`);
		for (const node of v.nodes.slice(0, 5))
			lines.push(`  ${node.target.join(' ')}: ${(node.failureSummary || '').replace(/\s+/g, ' ')}`);
		if (v.nodes.length > 5)
			lines.push(`  ... and ${v.nodes.length - 5} more`);
	}
	return lines;
}

// htmlFiles(dir): every .html file below dir, sorted, as absolute paths.
export function htmlFiles(dir) {
	const out = [];
	const walk = (d) => {
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.isFile() && e.name.endsWith('.html')) out.push(p);
		}
	};
	walk(path.resolve(dir));
	return out.sort();
}

// vnu(files): runs the Nu HTML Checker (vnu-jar, the machine's java) over
// the files in one JVM. Returns { messages, failed } where messages are the
// checker's errors ({ url, lastLine, message, extract }) and failed is set
// when java itself could not run.
export function vnu(files, { errorsOnly = true } = {}) {
	const jar = path.join(here, 'node_modules/vnu-jar/build/dist/vnu.jar');
	const args = ['-jar', jar, '--format', 'json', '--exit-zero-always'];
	if (errorsOnly) args.push('--errors-only');
	return new Promise((resolve) => {
		execFile(process.env.JAVA || 'java', [...args, ...files],
			{ maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
				if (err) {
					resolve({ messages: [], failed: `${err.message}\n${stderr}` });
					return;
				}
				try {
					const { messages } = JSON.parse(stderr || stdout);
					resolve({ messages: messages.filter((m) => m.type === 'error' || !errorsOnly), failed: null });
				} catch (e) {
					resolve({ messages: [], failed: `cannot read vnu output: ${e.message}\n${stderr.slice(0, 2000)}` });
				}
			});
	});
}

// screenshotDir(): $SCREENSHOT_DIR, or a temp folder made once per run.
let shots = null;
export function screenshotDir() {
	if (!shots) {
		shots = process.env.SCREENSHOT_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'enquire-shots-'));
		fs.mkdirSync(shots, { recursive: true });
	}
	return shots;
}

// TAP output shared by every test file of a run: numbering is global.
export class Tap {
	constructor(out = process.stdout) {
		this.n = 0;
		this.failures = 0;
		this.out = out;
	}
	line(s) { this.out.write(s + '\n'); }
	comment(s) { for (const l of String(s).split('\n')) this.line(`# ${l}`); }
	ok(cond, desc, details) {
		this.n++;
		if (cond) {
			this.line(`ok ${this.n} - ${desc}`);
		} else {
			this.failures++;
			this.line(`not ok ${this.n} - ${desc}`);
			if (details !== undefined)
				this.comment(Array.isArray(details) ? details.join('\n') : details);
		}
		return !!cond;
	}
	pass(desc) { return this.ok(true, desc); }
	fail(desc, details) { return this.ok(false, desc, details); }
	equal(got, want, desc) {
		return this.ok(Object.is(got, want), desc, `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
	}
	// violations(list, desc): passes when axe found none, lists them if not.
	violations(list, desc) {
		return this.ok(list.length === 0, desc, describeViolations(list));
	}
	// check(desc, fn): runs an async step; an exception is a failure.
	async check(desc, fn) {
		try {
			const r = await fn();
			return this.ok(r !== false, desc);
		} catch (e) {
			return this.fail(desc, e && e.stack ? e.stack : String(e));
		}
	}
	skip(desc, why) {
		this.n++;
		this.line(`ok ${this.n} - ${desc} # SKIP ${why}`);
	}
	plan() { this.line(`1..${this.n}`); }
}
