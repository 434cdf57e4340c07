// The harness itself: the server serves the site, chromium loads the home
// page, axe-core runs on it.
import { axe } from './lib.mjs';

export default async function ({ t, url, newPage }) {
	const page = await newPage();
	const res = await page.goto(url + '/');
	t.equal(res.status(), 200, 'smoke: home page is served');
	t.ok((await page.title()).length > 0, 'smoke: home page has a title');
	const missing = await page.goto(url + '/no-such-page/');
	t.equal(missing.status(), 404, 'smoke: a missing page is a 404');
	await page.goto(url + '/');
	const violations = await axe(page);
	t.ok(Array.isArray(violations), 'smoke: axe-core runs in the page');
}
