// Every generated HTML file passes the Nu HTML Checker with 0 errors.
import path from 'node:path';
import { htmlFiles, vnu } from './lib.mjs';

export default async function ({ t, site }) {
	const files = htmlFiles(site);
	if (!t.ok(files.length > 0, 'vnu: the site has HTML files'))
		return;
	const { messages, failed } = await vnu(files);
	if (failed) {
		t.fail('vnu: the Nu HTML Checker ran', failed);
		return;
	}
	const byFile = new Map();
	for (const m of messages) {
		const file = m.url ? decodeURIComponent(m.url.replace(/^file:/, '')) : '?';
		if (!byFile.has(file)) byFile.set(file, []);
		byFile.get(file).push(`${path.relative(site, file)}:${m.lastLine ?? '?'}: ${m.message}` +
			(m.extract ? `  [${m.extract.replace(/\s+/g, ' ').slice(0, 120)}]` : ''));
	}
	for (const [file, lines] of byFile)
		t.fail(`vnu: ${path.relative(site, file)} has 0 errors`, lines.slice(0, 20));
	t.ok(byFile.size === 0, `vnu: ${files.length} HTML files, ${messages.length} errors`);
}
