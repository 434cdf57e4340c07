// The default theme on content-example: every page type passes axe-core
// (WCAG 2.2 A/AA), has one h1, a skip link, a canonical URL and Open Graph
// tags, and fits a 320 px screen; filter links work without JavaScript;
// print output hides navigation and prints link URLs; a case study page is
// under 100 KB; charts, citations and hashed assets are in place.
// Screenshots go to $SCREENSHOT_DIR (or a temp folder, printed).
import fs from 'node:fs';
import path from 'node:path';
import { axe, screenshotDir } from './lib.mjs';

const CASE_STUDY = 'case-studies/fernbrook-pupil-voice-writing/';

// One page of each type (and a few variants) of the example site.
const PAGES = [
	['home', ''],
	['case study', CASE_STUDY],
	['case study with a series', 'case-studies/fernbrook-lesson-study-calculation/'],
	['case studies list', 'case-studies/'],
	['case studies filtered by claim', 'case-studies/claim/pedagogy-1/'],
	['case studies filtered by subject', 'case-studies/subject/writing/'],
	['claims overview', 'claims/'],
	['claim', 'claims/pedagogy-1/'],
	['alliances', 'alliances/'],
	['alliance', 'alliances/fernbrook-tsa/'],
	['enquiries', 'enquiries/'],
	['enquiries filtered', 'enquiries/status/active/'],
	['enquiry', 'enquiries/fernbrook-lesson-study-y3-y4/'],
	['dissemination', 'dissemination/'],
	['dissemination item', 'dissemination/lesson-study-toolkit/'],
	['evidence', 'evidence/'],
	['evidence filtered', 'evidence/claim/pedagogy-1/'],
	['free page', 'about/'],
	['search', 'search/'],
	['404', '404.html'],
];

export default async function ({ t, site, url, newPage }) {
	const page = await newPage();
	for (const [name, rel] of PAGES) {
		if (!fs.existsSync(path.join(site, rel.endsWith('/') || rel === '' ? rel + 'index.html' : rel))) {
			t.fail(`${name}: /${rel} exists`);
			continue;
		}
		const res = await page.goto(`${url}/${rel}`);
		t.equal(res.status(), rel === '404.html' ? 200 : 200, `${name}: /${rel} is served`);
		t.equal(await page.locator('h1').count(), 1, `${name}: exactly one h1`);
		const skip = await page.evaluate(() => {
			const a = document.querySelector('a.skip-link');
			return a && document.querySelector(a.getAttribute('href')) ? a === document.querySelector('a[href]') : false;
		});
		t.ok(skip, `${name}: the first link is a skip link to an existing target`);
		const meta = await page.evaluate(() => ({
			canonical: document.querySelector('link[rel=canonical]')?.href || '',
			og: document.querySelector('meta[property="og:title"]')?.content || '',
			main: document.querySelectorAll('main').length,
		}));
		t.ok(/^https?:\/\//.test(meta.canonical), `${name}: canonical URL`);
		t.ok(meta.og.length > 0, `${name}: Open Graph title`);
		t.equal(meta.main, 1, `${name}: one main landmark`);
		t.violations(await axe(page), `${name}: axe WCAG 2.2 AA, 0 violations`);
	}

	// 320 px: no horizontal scrolling on any page type.
	const narrow = await newPage({ viewport: { width: 320, height: 640 } });
	for (const [name, rel] of PAGES) {
		await narrow.goto(`${url}/${rel}`);
		const w = await narrow.evaluate(() => document.documentElement.scrollWidth);
		t.ok(w <= 320, `${name}: no horizontal scroll at 320 px`, `scrollWidth ${w}`);
	}
	const small = await axe(narrow);
	t.violations(small, '404 at 320 px: axe');

	// Filter links work without JavaScript: a list's facet panel links to
	// pre-generated pages that show only the matching items.
	const nojs = await newPage({ javaScriptEnabled: false });
	await nojs.goto(`${url}/case-studies/`);
	const facet = nojs.locator('details.facet', { hasText: 'Subject' });
	await facet.locator('summary').click();
	const option = facet.locator('li a').first();
	const optionText = (await option.innerText()).trim();
	const expected = Number((optionText.match(/\((\d+)\)\s*$/) || [])[1]);
	await option.click();
	await nojs.waitForLoadState();
	t.ok(/\/case-studies\/subject\/[a-z0-9-]+\/$/.test(nojs.url()), 'filter: a subject link opens its filter page', nojs.url());
	t.equal(await nojs.locator('main ul.compact-list > li').count(), expected, `filter: the page lists the ${expected} case studies the link promised`);
	t.ok(await nojs.locator('.filter-applied a', { hasText: 'Clear filter' }).count() === 1, 'filter: says which filter applies and how to clear it');
	const current = nojs.locator('details.facet[open] a[aria-current="page"]');
	t.ok(await current.count() === 1 && (await current.innerText()).trim() === optionText,
		'filter: the applied value is marked current in its facet, which is open', await current.allInnerTexts());
	t.equal(await nojs.locator('details.facet[open]').count(), 1, 'filter: only the applied facet is open');
	await nojs.locator('.filter-applied a').click();
	await nojs.waitForLoadState();
	t.ok(nojs.url().endsWith('/case-studies/'), 'filter: clearing it goes back to all case studies');

	// A case study: summary card, phase navigation, charts with text
	// alternatives, related work, citations, labels rather than slugs.
	await page.goto(`${url}/${CASE_STUDY}`);
	const cs = await page.evaluate(() => ({
		summary: [...document.querySelectorAll('.summary-list dt')].map((d) => d.textContent.trim()),
		phases: [...document.querySelectorAll('.phase-nav a')].map((a) => a.textContent.trim()),
		charts: [...document.querySelectorAll('svg.chart')].map((s) => ({
			role: s.getAttribute('role'),
			title: s.querySelector('title')?.textContent || '',
			desc: s.querySelector('desc')?.textContent || '',
		})),
		tables: document.querySelectorAll('table.evidence-table').length,
		related: document.querySelectorAll('.related li').length,
		subjects: [...document.querySelectorAll('.summary-list dd a[href*="/subject/"]')].map((a) => a.textContent.trim()),
		harvard: document.querySelector('.reference')?.textContent || '',
		bib: document.querySelector('a[href$="cite.bib"]')?.getAttribute('href') || '',
		ris: document.querySelector('a[href$="cite.ris"]')?.getAttribute('href') || '',
		css: document.querySelector('link[rel=stylesheet]')?.getAttribute('href') || '',
		citationMeta: document.querySelectorAll('meta[name^="citation_"]').length,
		jsonld: document.querySelector('script[type="application/ld+json"]')?.textContent || '',
	}));
	for (const dt of ['Alliance', 'Schools', 'Phases', 'Theme', 'Claims', 'Subjects'])
		t.ok(cs.summary.includes(dt), `case study: summary list has ${dt}`, cs.summary.join(', '));
	t.ok(cs.phases.length >= 4, 'case study: phase navigation', cs.phases.join(', '));
	t.ok(cs.charts.length > 0 && cs.tables === 1, 'case study: evidence as a table and charts');
	t.ok(cs.charts.every((c) => c.role === 'img' && c.title && /n = |n not reported/.test(c.desc)),
		'case study: every chart is an image with a title and a description giving n');
	t.ok(cs.related > 0, 'case study: related case studies');
	t.ok(cs.subjects.length > 0 && cs.subjects.every((s) => /^[A-Z]/.test(s) && !s.includes('-')),
		'case study: subjects shown as labels, linked to their filter page', cs.subjects.join(', '));
	t.ok(/Marwood, H\., Ashby, T\. and Lyle, B\. \(2013\) Pupil voice/.test(cs.harvard), 'case study: Harvard reference', cs.harvard);
	const today = await page.evaluate(() => new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }));
	t.ok(cs.harvard.includes(`(Accessed: ${today}).`), 'case study: the Harvard reference\'s accessed date is filled in with today\'s', cs.harvard);
	await nojs.goto(`${url}/${CASE_STUDY}`);
	const nojsHarvard = await nojs.locator('.reference').first().innerText();
	t.ok(nojsHarvard.includes('(Accessed: day month year).'), 'case study: without JavaScript the accessed date is a placeholder', nojsHarvard);
	t.ok(cs.citationMeta >= 5 && cs.jsonld.includes('ScholarlyArticle'), 'case study: Highwire tags and JSON-LD');
	t.ok(/assets\/style\.[0-9a-f]{10}\.css$/.test(cs.css), 'stylesheet has a content hash in its name', cs.css);
	const bib = await (await page.request.get(new URL(cs.bib, page.url()).href)).text();
	t.ok(bib.startsWith('@misc{fernbrook-pupil-voice-writing,') && bib.includes('author = {Marwood, H. and'), 'case study: BibTeX download', bib.slice(0, 200));
	const ris = await (await page.request.get(new URL(cs.ris, page.url()).href)).text();
	t.ok(ris.startsWith('TY  - RPRT\r\n') && ris.includes('AU  - Marwood, H.') && ris.trimEnd().endsWith('ER  -'), 'case study: RIS download', ris.slice(0, 200));

	// Page weight: the HTML and everything it loads, under 100 KB.
	let bytes = 0;
	const weigh = await newPage();
	weigh.on('response', async (r) => { try { bytes += (await r.body()).length; } catch { /* redirects */ } });
	await weigh.goto(`${url}/${CASE_STUDY}`, { waitUntil: 'networkidle' });
	t.ok(bytes > 0 && bytes < 100 * 1024, `case study: page weight ${Math.round(bytes / 1024)} KB < 100 KB`);

	// Visible focus: a focused link gets an outline or a background.
	await page.keyboard.press('Tab');
	const focus = await page.evaluate(() => {
		const el = document.activeElement;
		const cs = getComputedStyle(el);
		return { skip: el.classList.contains('skip-link'), outline: cs.outlineStyle, bg: cs.backgroundColor };
	});
	t.ok(focus.skip, 'keyboard: the first Tab reaches the skip link');
	await page.keyboard.press('Tab');
	const focus2 = await page.evaluate(() => {
		const cs = getComputedStyle(document.activeElement);
		return cs.outlineStyle !== 'none' || cs.backgroundColor !== 'rgba(0, 0, 0, 0)';
	});
	t.ok(focus2, 'keyboard: focus is visible');

	// Print: no navigation, link URLs printed, the evidence kept.
	const print = await newPage();
	await print.goto(`${url}/${CASE_STUDY}`);
	await print.emulateMedia({ media: 'print' });
	const pr = await print.evaluate(() => {
		const hidden = (sel) => [...document.querySelectorAll(sel)].every((e) => getComputedStyle(e).display === 'none');
		const ext = document.querySelector('main a[href^="http"]');
		return {
			nav: hidden('.site-nav') && hidden('.site-search') && hidden('.breadcrumbs'),
			after: ext ? getComputedStyle(ext, '::after').content : '',
			href: ext ? ext.getAttribute('href') : '',
			evidence: getComputedStyle(document.querySelector('.evidence-table')).display !== 'none',
		};
	});
	t.ok(pr.nav, 'print: navigation, search and breadcrumbs hidden');
	t.ok(pr.href && pr.after.includes(pr.href), 'print: link URLs are printed', `${pr.href} -> ${pr.after}`);
	t.ok(pr.evidence, 'print: the evidence table is printed');
	const pdf = await print.pdf({ format: 'A4' });
	t.ok(pdf.length > 1000, `print: renders to A4 PDF (${Math.round(pdf.length / 1024)} KB)`);

	// The claims matrix: a real table, strength in symbols and words.
	await page.goto(`${url}/claims/`);
	const mx = await page.evaluate(() => {
		const table = document.querySelector('table.matrix');
		const cells = [...table.querySelectorAll('td.matrix-cell')];
		return {
			caption: table.querySelector('caption')?.textContent || '',
			rowHeaders: table.querySelectorAll('th[scope=row]').length,
			strong: cells.filter((c) => c.textContent.includes('Strong element')).length,
			strongMark: cells.filter((c) => c.textContent.includes('●')).length,
			bars: document.querySelectorAll('.coverage .bar').length,
		};
	});
	t.ok(mx.caption && mx.rowHeaders > 0, 'claims: the matrix is a table with a caption and row headers');
	t.ok(mx.strong > 0 && mx.strong === mx.strongMark, 'claims: strong elements marked by a symbol and in words, not colour alone');
	t.ok(mx.bars > 0, 'claims: coverage bars');

	// The evidence table sorts when scripts run.
	await page.goto(`${url}/evidence/`);
	const sortable = page.locator('table.evidence-table thead th button').nth(5);
	await sortable.click();
	t.equal(await page.locator('table.evidence-table thead th[aria-sort]').count(), 1, 'evidence: a column heading sorts the table');

	// Screenshots to look at.
	const dir = screenshotDir();
	const shots = [
		['case-study', CASE_STUDY, 1280],
		['case-study-320', CASE_STUDY, 320],
		['claims-matrix', 'claims/', 1280],
		['home', '', 1280],
		['alliance', 'alliances/fernbrook-tsa/', 1280],
		['case-studies-filtered', 'case-studies/claim/pedagogy-1/', 1280],
	];
	for (const [name, rel, width] of shots) {
		const p = await newPage({ viewport: { width, height: 900 } });
		await p.goto(`${url}/${rel}`);
		await p.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
	}
	await print.screenshot({ path: path.join(dir, 'case-study-print.png'), fullPage: true });
	t.comment(`screenshots in ${dir}`);
	t.ok(fs.existsSync(path.join(dir, 'claims-matrix.png')), 'screenshots taken');
}
