// Search in the built content-example: results as you type, facets,
// phrases, the empty result, the URL, and axe-core with results showing.
import { axe } from './lib.mjs';

// Types q into the search box and waits for the status line to settle.
async function search(page, q) {
	await page.fill('#search-q', '');
	await page.type('#search-q', q, { delay: 5 });
	await page.waitForFunction((want) => {
		const s = document.getElementById('search-status').textContent;
		return s.includes('“' + want + '”');
	}, q.trim());
}

async function titles(page) {
	return page.$$eval('#search-results .search-result h3', (hs) =>
		hs.map((h) => h.textContent.trim()));
}

async function status(page) {
	return (await page.textContent('#search-status')).trim();
}

// The count shown after a facet value's label, e.g. "(3)".
async function facetCount(page, facet, key) {
	const label = page.locator(`label[for^="facet-${facet}-"]`, {
		has: page.locator('.facet-count') }).filter({
		has: page.locator(`xpath=preceding-sibling::input[@value="${key}"]`) });
	const input = page.locator(`#search-facets input[name="${facet}"][value="${key}"]`);
	if (!(await input.count()))
		return 0;
	const id = await input.getAttribute('id');
	const text = await page.textContent(`label[for="${id}"] .facet-count`);
	void label;
	return Number(text.replace(/[()]/g, ''));
}

export default async function ({ t, url, newPage }) {
	const page = await newPage();
	// Facet files over 500 bytes load only when opened: in this small site
	// the claim facet (about 1 KB) then does, the type facet does not.
	await page.addInitScript(() => { window.enquireSearchEagerFacetBytes = 500; });
	const res = await page.goto(url + '/search/');
	t.equal(res.status(), 200, 'search: the page is served');
	t.ok(await page.isHidden('#search-needs-js'),
		'search: with JavaScript, the "needs JavaScript" note is hidden');

	await search(page, 'lesson study calculation');
	let list = await titles(page);
	t.ok(list.length > 0 && /Lesson study to deepen teachers/.test(list[0]),
		'search: "lesson study calculation" finds the Fernbrook lesson study first',
		list.slice(0, 3));
	t.ok((await page.$$eval('#search-results mark', (m) => m.length)) > 0,
		'search: result words are highlighted');
	t.ok(/[?&]q=lesson\+study\+calculation/.test(page.url()),
		'search: the URL holds the query');

	await search(page, 'pupil voice');
	list = await titles(page);
	t.ok(/Pupil voice and feedback/.test(list[0]),
		'search: "pupil voice" finds the pupil voice case study first', list.slice(0, 3));
	t.violations(await axe(page), 'search: axe-core, results showing');

	// Big facets load when opened: the claim group is closed and empty
	// until then; small ones come with the results.
	t.equal(await page.locator('#search-facets input[name="claim"]').count(), 0,
		'search: the claim facet is not loaded before it is opened');
	t.ok((await page.locator('#search-facets input[name="type"]').count()) > 0,
		'search: a small facet (type) shows with the results');
	await page.click('#search-facets details[data-facet="claim"] > summary');
	await page.waitForSelector('#search-facets input[name="claim"]');

	// A claim facet narrows the results and updates the counts.
	const before = await status(page);
	const nBefore = Number(before.match(/^(\d+)/)[1]);
	const claim = await page.$eval('#search-facets input[name="claim"]',
		(i) => i.value);
	const want = await facetCount(page, 'claim', claim);
	const typeBefore = await page.$$eval('#search-facets input[name="type"] + label .facet-count',
		(c) => c.map((x) => x.textContent).join(' '));
	await page.check(`#search-facets input[name="claim"][value="${claim}"]`);
	await page.waitForFunction((b) =>
		document.getElementById('search-status').textContent !== b, before);
	const after = await status(page);
	const nAfter = Number(after.match(/^(\d+)/)[1]);
	t.ok(nAfter === want && nAfter <= nBefore,
		`search: ticking claim ${claim} leaves its ${want} results`, [before, after]);
	const typeAfter = await page.$$eval('#search-facets input[name="type"] + label .facet-count',
		(c) => c.map((x) => x.textContent).join(' '));
	t.ok(nAfter < nBefore ? typeAfter !== typeBefore : true,
		'search: the other facets count the narrowed results', [typeBefore, typeAfter]);
	t.ok(new URL(page.url()).searchParams.getAll('claim').includes(claim),
		'search: the URL holds the ticked facet');
	t.ok(await page.isChecked(`#search-facets input[name="claim"][value="${claim}"]`),
		'search: the ticked box stays ticked');

	// The URL is a shareable link: loading it restores query and facet.
	const shared = await newPage();
	await shared.goto(page.url());
	await shared.waitForFunction(() =>
		/\d+ results? for/.test(document.getElementById('search-status').textContent));
	t.equal(await status(shared), after, 'search: a shared link shows the same results');

	// Phrases: the words must be adjacent.
	await page.uncheck(`#search-facets input[name="claim"][value="${claim}"]`);
	await search(page, '"lesson study"');
	const phrase = await titles(page);
	await search(page, '"study lesson"');
	const reversed = await status(page);
	t.ok(phrase.length > 0 && /Lesson study/.test(phrase.join(' ')),
		'search: the phrase "lesson study" finds lesson study', phrase);
	t.ok(/^No results/.test(reversed) ||
		Number(reversed.match(/^(\d+)/)[1]) < phrase.length,
		'search: the reversed phrase "study lesson" matches fewer', reversed);

	// Prefix of the last word, and one typo.
	await search(page, 'dialogic questio');
	t.ok(/Dialogic questioning/.test((await titles(page))[0] || ''),
		'search: the last word matches as a prefix while typing');
	await search(page, 'dialogic questoining ');
	t.ok(/Dialogic questioning/.test((await titles(page))[0] || ''),
		'search: one typo in a longer word is tolerated');

	// Nothing found: a helpful message.
	await search(page, 'zyxwvut');
	const none = await status(page);
	t.ok(/^No results for “zyxwvut”/.test(none) && /different words|spelling/.test(none),
		'search: an empty result says so and suggests what to try', none);
	t.equal(await page.$$eval('#search-results li', (l) => l.length), 0,
		'search: no result items for an empty result');

	// Keyboard: the box is focused, Enter submits, results are links.
	await page.fill('#search-q', 'feedback');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() =>
		/for “feedback”/.test(document.getElementById('search-status').textContent));
	t.equal(await page.getAttribute('#search-status', 'aria-live'), 'polite',
		'search: the result count is announced (aria-live)');

	// Without JavaScript the page explains and links the browse pages.
	const nojs = await newPage({ javaScriptEnabled: false });
	await nojs.goto(url + '/search/?q=feedback');
	t.ok(await nojs.isVisible('#search-needs-js') &&
		(await nojs.locator('a[href$="case-studies/"]').count()) > 0,
		'search: without JavaScript the page explains and links browsing');
}
