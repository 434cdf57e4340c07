#!/usr/bin/env node
// Benchmark of enquire's search (not a test): on the 10,000-case corpus
// (made by bench/run.sh, cached in /tmp/enquire-bench/kb-10000) it prints
//   - the index stage's share of the full build (ENQUIRE_TIMING=1),
//   - the total index size,
//   - for 20 realistic queries, the bytes a browser downloads and the time
//     to first results in headless chromium, for enquire's search page and
//     for Pagefind run over the same built HTML: (a) from navigation to a
//     search URL (?q=...), (b) for a query typed into an already loaded
//     search page (50 ms a key, a fast typist; timed from the last key to
//     the results for the whole query: the interactive figure), and (c)
//     the same with the whole query put into the box at once (nothing
//     fetched by earlier keys).
//
//   node bench/search.mjs [KB_DIR]
//
// Needs: ./enquire built, tests/browser's npm packages (playwright-core),
// and Pagefind: `npm install pagefind` in $PAGEFIND_DIR (default
// /tmp/enquire-bench/pagefind-npm); its bundled binary indexes the site.
// Bytes: what a server sends for a first visit with an empty cache. Files
// already gzipped (enquire's .bin shards, Pagefind's index) count as they
// are; text (JS, JSON, HTML) counts gzipped, as a compressing server
// would send it. The search page's own HTML and CSS are left out of both.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve, launch } from '../tests/browser/lib.mjs';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kb = process.argv[2] || '/tmp/enquire-bench/kb-10000';
const work = process.env.BENCH_OUT || '/dev/shm/enquire-search-bench';
const pagefindDir = process.env.PAGEFIND_DIR || '/tmp/enquire-bench/pagefind-npm';
const enquire = process.env.ENQUIRE || path.join(top, 'enquire');
const site = path.join(work, 'site');

const QUERIES = [
	'lesson study maths year 3', 'pupil voice', 'feedback SEND',
	'metacognition', 'reading for pleasure', '"lesson study"', 'coaching',
	'assessment for learning', 'questioning science', 'early years talk',
	'phonics', 'transition year 7', 'parental engagement',
	'professional learning communities', 'behaviour', 'homework', 'oracy',
	'mastery mathematics', 'teaching assistants', 'joint practice development',
];

function median(a) {
	const s = [...a].sort((x, y) => x - y);
	return s[Math.floor((s.length - 1) / 2)];
}

// 1. Build time and the index stage's share (median of 3 builds).
fs.mkdirSync(work, { recursive: true });
const shares = [], totals = [], stages = [];
for (let i = 0; i < 3; i++) {
	fs.rmSync(site, { recursive: true, force: true });
	const r = spawnSync(enquire, ['build', kb, '--out', site, '--quiet'], {
		env: { ...process.env, ENQUIRE_TIMING: '1' }, encoding: 'utf8' });
	if (r.status !== 0) {
		console.error(r.stderr.split('\n').filter((l) => !/warning/.test(l)).join('\n'));
		process.exit(1);
	}
	let total = 0, search = 0;
	for (const m of r.stderr.matchAll(/timing: (\S+)\s+([\d.]+) s/g)) {
		total += Number(m[2]);
		if (m[1] === 'search')
			search = Number(m[2]);
	}
	totals.push(total);
	stages.push(search);
	shares.push(search / total);
}

function walk(dir) {
	let bytes = 0, files = 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) {
			const s = walk(p);
			bytes += s.bytes;
			files += s.files;
		} else {
			bytes += fs.statSync(p).size;
			files++;
		}
	}
	return { bytes, files };
}
const ours = walk(path.join(site, 'search'));
const docs = JSON.parse(fs.readFileSync(path.join(site, 'search/manifest.json'))).docs;

// 2. Pagefind over the same HTML, with a minimal page that shows the first
// ten results (its fragments), as enquire's page does.
const pfBin = path.join(pagefindDir, 'node_modules/.bin/pagefind');
let pf = null;
// Pagefind's index is kept beside the site (it takes minutes to make) and
// linked in; delete $BENCH_OUT/pagefind after changing the corpus.
const pfOut = path.join(work, 'pagefind');
if (fs.existsSync(pfBin)) {
	let seconds = NaN;
	if (!fs.existsSync(path.join(pfOut, 'pagefind.js'))) {
		const t0 = Date.now();
		execFileSync(pfBin, ['--site', site, '--output-path', pfOut], { stdio: 'ignore' });
		seconds = (Date.now() - t0) / 1000;
	}
	fs.symlinkSync(pfOut, path.join(site, 'pagefind'));
	pf = { seconds, size: walk(pfOut) };
	fs.writeFileSync(path.join(site, 'pagefind-bench.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pagefind</title></head>
<body><ol id="r"></ol><script type="module">
const pagefind = await import('/pagefind/pagefind.js');
const q = new URLSearchParams(location.search).get('q');
async function run(q) {
	const s = await pagefind.search(q);
	const data = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
	document.getElementById('r').innerHTML = data.map((d) => '<li>' + d.meta.title + '</li>').join('');
	return s.results.length;
}
if (q) {
	const n = await run(q);
	window.benchDone = { n, t: performance.now() };
} else {
	await pagefind.init();
	window.benchRun = async (q) => {
		const t0 = performance.now();
		const n = await run(q);
		return { n, t: performance.now() - t0 };
	};
}
</script></body></html>`);
}

// 3. The queries in headless chromium, a fresh context (empty cache) each.
const server = await serve(site);
const browser = await launch();

async function measure(pageUrl, done, isIndexFile) {
	const context = await browser.newContext();
	const page = await context.newPage();
	const bodies = [];
	page.on('response', async (res) => {
		const u = new URL(res.url());
		if (!isIndexFile(u.pathname))
			return;
		bodies.push(res.body().then((b) => {
			const gz = b.length > 1 && b[0] === 0x1f && b[1] === 0x8b;
			const text = /\.(js|json|html|css)$/.test(u.pathname);
			return !gz && text ? zlib.gzipSync(b, { level: 9 }).length : b.length;
		}).catch(() => 0));
	});
	await page.goto(pageUrl);
	const result = await page.waitForFunction(done, null, { timeout: 30000 })
		.then((h) => h.jsonValue());
	await page.waitForTimeout(300); // facets and late requests
	const sizes = await Promise.all(bodies);
	await context.close();
	return { ...result, bytes: sizes.reduce((a, b) => a + b, 0), requests: sizes.length };
}

// (b), (c): the page is loaded (and has fetched what it fetches before
// any query); the query is typed (typed = true) or put in at once, timed
// from the last key to the results.
async function interactive(pageUrl, ready, go, q, typed) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(pageUrl);
	await page.waitForFunction(ready, null, { timeout: 30000 });
	await page.waitForLoadState('networkidle');
	let r;
	if (typed) {
		await page.focus('#search-q');
		await page.keyboard.type(q.slice(0, -1), { delay: 50 });
		await page.waitForTimeout(50);
		const done = page.evaluate(go, q); /* watches, then types the last key */
		r = await done;
	} else {
		r = await page.evaluate(go, q);
	}
	await context.close();
	return r;
}

/* Waits for the results of q; with the box holding all but its last
 * character, types that, else fills the box. */
function enquireTyped(q) {
	return new Promise((resolve) => {
		const input = document.getElementById('search-q');
		const status = document.getElementById('search-status');
		const done = () => {
			const s = status.textContent;
			if (!s.includes('“' + q.trim() + '”'))
				return false;
			const n = Number((s.match(/(\d+) results?/) || [0, 0])[1]);
			resolve({ n, t: performance.now() - t0 });
			return true;
		};
		new MutationObserver(done).observe(status, { childList: true,
			characterData: true, subtree: true });
		const t0 = performance.now();
		input.value = q;
		input.dispatchEvent(new Event('input', { bubbles: true }));
	});
}

const rows = [];
for (const q of QUERIES) {
	const e = await measure(`${server.url}/search/?q=${encodeURIComponent(q)}`, () => {
		const li = document.querySelector('#search-results li');
		const s = document.getElementById('search-status').textContent;
		if (!li && !/^No results/.test(s))
			return false;
		return { n: Number((s.match(/(\d+) results?/) || [0, 0])[1]), t: performance.now() };
	}, (p) => p.startsWith('/search/') && p !== '/search/' || /^\/assets\/search(\.[0-9a-f]+)?\.js$/.test(p));
	const eb = await interactive(`${server.url}/search/`,
		() => !!window.enquireSearch, enquireTyped, q, true);
	const ec = await interactive(`${server.url}/search/`,
		() => !!window.enquireSearch, enquireTyped, q, false);
	let p = null, pb = null;
	if (pf) {
		p = await measure(`${server.url}/pagefind-bench.html?q=${encodeURIComponent(q)}`,
			() => window.benchDone || false, (x) => x.startsWith('/pagefind/'));
		pb = await interactive(`${server.url}/pagefind-bench.html`,
			() => !!window.benchRun, (q) => window.benchRun(q), q);
	}
	rows.push({ q, e, eb, ec, p, pb });
}
await browser.close();
await server.close();

const kbs = (n) => (n / 1024).toFixed(1);
console.log(`corpus: ${kb} (${docs} search documents)`);
console.log(`build: median total ${median(totals).toFixed(2)} s, search stage ${median(stages).toFixed(2)} s, ` +
	`share ${(100 * median(shares)).toFixed(1)} % (target < 25 %)`);
console.log(`enquire index: ${(ours.bytes / 1048576).toFixed(1)} MB in ${ours.files} files`);
if (pf)
	console.log(`pagefind index: ${(pf.size.bytes / 1048576).toFixed(1)} MB in ${pf.size.files} files, ` +
		(isNaN(pf.seconds) ? '(cached)' : `built in ${pf.seconds.toFixed(1)} s (a separate run over the HTML)`));
console.log('');
console.log('| query | enquire results | enquire KB | enquire ms (a) | (b) | (c) | pagefind results | pagefind KB | pagefind ms (a) | (c) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows)
	console.log(`| ${r.q} | ${r.e.n} | ${kbs(r.e.bytes)} | ${r.e.t.toFixed(0)} | ${r.eb.t.toFixed(0)} | ${r.ec.t.toFixed(0)} | ` +
		(r.p ? `${r.p.n} | ${kbs(r.p.bytes)} | ${r.p.t.toFixed(0)} | ${r.pb.t.toFixed(0)} |` : '- | - | - | - |'));
const eb = rows.map((r) => r.e.bytes), et = rows.map((r) => r.e.t), ei = rows.map((r) => r.eb.t),
	ef = rows.map((r) => r.ec.t);
console.log('');
console.log(`enquire: median ${kbs(median(eb))} KB, max ${kbs(Math.max(...eb))} KB per query (target <= 150); ` +
	`first results (a) from navigation median ${median(et).toFixed(0)} ms, max ${Math.max(...et).toFixed(0)} ms; ` +
	`(b) typed into a loaded page median ${median(ei).toFixed(0)} ms, max ${Math.max(...ei).toFixed(0)} ms (target < 100); ` +
	`(c) put in at once median ${median(ef).toFixed(0)} ms, max ${Math.max(...ef).toFixed(0)} ms`);
if (pf) {
	const pb = rows.map((r) => r.p.bytes), pt = rows.map((r) => r.p.t), pi = rows.map((r) => r.pb.t);
	console.log(`pagefind: median ${kbs(median(pb))} KB, max ${kbs(Math.max(...pb))} KB per query; ` +
		`first results (a) median ${median(pt).toFixed(0)} ms, max ${Math.max(...pt).toFixed(0)} ms; ` +
		`(c) median ${median(pi).toFixed(0)} ms, max ${Math.max(...pi).toFixed(0)} ms`);
}
