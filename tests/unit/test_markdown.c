/*
 * Unit tests for the markdown stage: GitHub extensions, safe mode, heading
 * ids, C2L phase recognition, plain text, excerpts, word counts, hostile
 * input and rendering on several threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "util.h"

static markdown_doc render(const char *md, unsigned flags)
{
	markdown_doc d;
	assert_int_equal(markdown_render(md, strlen(md), flags, &d), 0);
	assert_non_null(d.html);
	assert_non_null(d.text);
	assert_non_null(d.excerpt);
	return d;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("did not expect \"%s\" in:\n%s", needle, hay);
}

static void assert_utf8(const char *s)
{
	assert_true(utf8_valid(s, strlen(s), NULL));
}

/* ---- GitHub extensions ---- */

static void test_table(void **state)
{
	markdown_doc d = render("| a | b |\n|---|--:|\n| 1 | *2* |\n", 0);
	assert_contains(d.html, "<table>");
	assert_contains(d.html, "<th>a</th>");
	assert_contains(d.html, "<td>1</td>");
	/* style, not the obsolete align attribute: pages must be valid HTML */
	assert_contains(d.html, "<td style=\"text-align: right\"><em>2</em></td>");
	assert_string_equal(d.text, "a b\n1 2");
	markdown_doc_release(&d);
}

static void test_strikethrough(void **state)
{
	markdown_doc d = render("keep ~~gone~~ here", 0);
	assert_string_equal(d.html, "<p>keep <del>gone</del> here</p>\n");
	assert_string_equal(d.text, "keep gone here");
	markdown_doc_release(&d);
}

static void test_autolinks(void **state)
{
	markdown_doc d = render("see www.example.org, https://x.org/a?b=1 or "
		"me@example.org", 0);
	assert_contains(d.html, "<a href=\"http://www.example.org\">www.example.org</a>,");
	assert_contains(d.html, "<a href=\"https://x.org/a?b=1\">https://x.org/a?b=1</a>");
	assert_contains(d.html, "<a href=\"mailto:me@example.org\">me@example.org</a>");
	markdown_doc_release(&d);
}

/* ---- raw HTML and URLs ---- */

static const char raw_html[] = "<div class=\"x\">block</div>\n\n"
	"text <span onclick=\"evil()\">in</span> line\n\n"
	"<script>alert(1)</script>\n";

static void test_raw_html_omitted(void **state)
{
	markdown_doc d = render(raw_html, 0);
	assert_lacks(d.html, "<div");
	assert_lacks(d.html, "<span");
	assert_lacks(d.html, "<script");
	assert_lacks(d.html, "onclick");
	assert_contains(d.html, "<!-- raw HTML omitted -->");
	assert_contains(d.html, "<p>text <!-- raw HTML omitted -->in<!-- raw HTML omitted --> line</p>");
	/* Markup is not text. */
	assert_string_equal(d.text, "text in line");
	markdown_doc_release(&d);
}

static void test_raw_html_unsafe(void **state)
{
	markdown_doc d = render(raw_html, MARKDOWN_UNSAFE_HTML);
	assert_contains(d.html, "<div class=\"x\">block</div>");
	assert_contains(d.html, "<span onclick=\"evil()\">in</span>");
	assert_contains(d.html, "<script>alert(1)</script>");
	assert_lacks(d.html, "raw HTML omitted");
	assert_string_equal(d.text, "text in line");
	markdown_doc_release(&d);
}

static void test_raw_html_in_heading(void **state)
{
	markdown_doc d = render("## Hi <img src=x onerror=alert(1)> there\n", 0);
	assert_string_equal(d.html, "<h2 id=\"hi-there\">Hi <!-- raw HTML omitted --> there</h2>\n");
	markdown_doc_release(&d);
	d = render("## Hi <b>bold</b>\n", MARKDOWN_UNSAFE_HTML);
	assert_string_equal(d.html, "<h2 id=\"hi-bold\">Hi <b>bold</b></h2>\n");
	markdown_doc_release(&d);
}

static void test_dangerous_urls(void **state)
{
	markdown_doc d = render("[a](javascript:alert(1)) [b](JavaScript:x) "
		"[c](vbscript:x) [d](file:///etc/passwd) [e](data:text/html,hi) "
		"![f](javascript:x) ![g](data:image/png;base64,AAAA) "
		"[h](https://ok.example/) <javascript:alert(2)>", 0);
	assert_lacks(d.html, "\"javascript:");
	assert_lacks(d.html, "JavaScript:");
	assert_lacks(d.html, "vbscript:");
	assert_lacks(d.html, "file:");
	assert_lacks(d.html, "data:text");
	/* The autolink keeps its text but loses its URL. */
	assert_contains(d.html, "<a href=\"\">javascript:alert(2)</a>");
	assert_contains(d.html, "<a href=\"\">a</a>");
	assert_contains(d.html, "<img src=\"\" alt=\"f\" />");
	assert_contains(d.html, "<img src=\"data:image/png;base64,AAAA\" alt=\"g\" />");
	assert_contains(d.html, "<a href=\"https://ok.example/\">h</a>");
	markdown_doc_release(&d);

	d = render("[a](javascript:alert(1))", MARKDOWN_UNSAFE_HTML);
	assert_contains(d.html, "href=\"javascript:alert(1)\"");
	markdown_doc_release(&d);
}

/* ---- heading ids ---- */

static void test_heading_ids(void **state)
{
	markdown_doc d = render("# Hello *World*\n\n## What's new? (2014)\n\n"
		"### `code` and_under-score\n\nbody\n", 0);
	assert_string_equal(d.html,
		"<h1 id=\"hello-world\">Hello <em>World</em></h1>\n"
		"<h2 id=\"whats-new-2014\">What's new? (2014)</h2>\n"
		"<h3 id=\"code-and_under-score\"><code>code</code> and_under-score</h3>\n"
		"<p>body</p>\n");
	assert_int_equal(d.nheadings, 3);
	assert_int_equal(d.headings[0].level, 1);
	assert_string_equal(d.headings[0].text, "Hello World");
	assert_string_equal(d.headings[1].text, "What's new? (2014)");
	assert_string_equal(d.headings[2].text, "code and_under-score");
	assert_int_equal(d.headings[2].level, 3);
	markdown_doc_release(&d);
}

static void test_heading_id_duplicates(void **state)
{
	markdown_doc d = render("# Intro\n# Intro\n# intro!\n# A\n# A\n# A-1\n", 0);
	assert_int_equal(d.nheadings, 6);
	assert_string_equal(d.headings[0].id, "intro");
	assert_string_equal(d.headings[1].id, "intro-1");
	assert_string_equal(d.headings[2].id, "intro-2");
	assert_string_equal(d.headings[3].id, "a");
	assert_string_equal(d.headings[4].id, "a-1");
	/* A heading literally "A-1" must not reuse the generated id. */
	assert_string_equal(d.headings[5].id, "a-1-1");
	assert_contains(d.html, "<h1 id=\"intro-2\">intro!</h1>");
	markdown_doc_release(&d);
}

static void test_heading_id_unicode(void **state)
{
	markdown_doc d = render("## Café Über naïve\n## Привет Мир\n## 日本語の見出し\n"
		"## Ελληνικά ΑΒΓ\n## Smile 😀 “quoted” — dash\n", 0);
	assert_string_equal(d.headings[0].id, "café-über-naïve");
	assert_string_equal(d.headings[1].id, "привет-мир");
	assert_string_equal(d.headings[2].id, "日本語の見出し");
	assert_string_equal(d.headings[3].id, "ελληνικά-αβγ");
	assert_string_equal(d.headings[4].id, "smile--quoted--dash");
	markdown_doc_release(&d);
}

static void test_heading_id_empty(void **state)
{
	markdown_doc d = render("# !!!\n\n#\n\n## ![only an image](x.png)\n", 0);
	assert_int_equal(d.nheadings, 3);
	assert_string_equal(d.headings[0].id, "section");
	assert_string_equal(d.headings[1].id, "section-1");
	assert_string_equal(d.headings[2].id, "section-2");
	assert_string_equal(d.headings[1].text, "");
	assert_contains(d.html, "<h1 id=\"section-1\"></h1>");
	markdown_doc_release(&d);
}

static void test_heading_id_attribute_safe(void **state)
{
	/* The tags are raw HTML, so the text is "\">x' & <". */
	for (unsigned flags = 0; flags <= MARKDOWN_UNSAFE_HTML; flags++) {
		markdown_doc d = render("## \"><script>x</script>' & <\n", flags);
		assert_string_equal(d.headings[0].id, "x--");
		assert_contains(d.html, "<h2 id=\"x--\">&quot;&gt;");
		markdown_doc_release(&d);
	}
	char *s = markdown_slugify("a\"b<c>d&e'f");
	assert_string_equal(s, "abcdef");
	free(s);
}

static void test_heading_in_containers(void **state)
{
	markdown_doc d = render("> ## Quoted\n\n- ## In a list\n", 0);
	assert_string_equal(d.html, "<blockquote>\n<h2 id=\"quoted\">Quoted</h2>\n</blockquote>\n"
		"<ul>\n<li>\n<h2 id=\"in-a-list\">In a list</h2>\n</li>\n</ul>\n");
	markdown_doc_release(&d);
}

static void test_heading_lines(void **state)
{
	markdown_doc d = render("# One\n\ntext\nmore\n\n## Two\n\nSetext\n======\n\n"
		"> ### Quoted\n", 0);
	assert_int_equal(d.nheadings, 4);
	assert_int_equal(d.headings[0].line, 1);
	assert_int_equal(d.headings[1].line, 6);
	assert_int_equal(d.headings[2].line, 8);
	assert_int_equal(d.headings[2].level, 1);
	assert_int_equal(d.headings[3].line, 11);
	assert_lacks(d.html, "data-sourcepos");
	markdown_doc_release(&d);
}

static void test_slugify(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Implementation", "implementation" },
		{ "The Impact Phase", "the-impact-phase" },
		{ "Phase 1: Implementation", "phase-1-implementation" },
		{ "a  b\tc", "a--b-c" },
		{ "C++ & Rust", "c--rust" },
		{ "snake_case-and-kebab", "snake_case-and-kebab" },
		{ "ÀÉÎÕÜ ŁŃŚŹ", "àéîõü-łńśź" },
		{ "\xff\xfe" "ab\xc3", "ab" },
		{ "\xef\xbf\xbd", "section" },
		{ "", "section" },
		{ "...", "section" },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *s = markdown_slugify(cases[i].in);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
	char *s = markdown_slugify(NULL);
	assert_string_equal(s, "section");
	free(s);
}

/* ---- C2L phases ---- */

static void test_phase_of(void **state)
{
	static const struct {
		const char *text;
		c2l_phase p;
	} cases[] = {
		{ "Implementation", C2L_IMPLEMENTATION },
		{ "implementation", C2L_IMPLEMENTATION },
		{ "IMPLEMENTATION", C2L_IMPLEMENTATION },
		{ "The implementation phase", C2L_IMPLEMENTATION },
		{ "Implementation phase", C2L_IMPLEMENTATION },
		{ "Implementation stage", C2L_IMPLEMENTATION },
		{ "Phase 1: Implementation", C2L_IMPLEMENTATION },
		{ "Phase one - Implementation", C2L_IMPLEMENTATION },
		{ "Phase 1 – Implementation", C2L_IMPLEMENTATION },
		{ "1. Implementation", C2L_IMPLEMENTATION },
		{ "1: Implementation", C2L_IMPLEMENTATION },
		{ "2.1 The implementation phase", C2L_IMPLEMENTATION },
		{ "Implementation (phase 1)", C2L_IMPLEMENTATION },
		{ "  Implementation:  ", C2L_IMPLEMENTATION },
		{ "Innovation", C2L_INNOVATION },
		{ "Stage 2: the innovation stage", C2L_INNOVATION },
		{ "II. Innovation", C2L_INNOVATION },
		{ "Impact", C2L_IMPACT },
		{ "The impact phase", C2L_IMPACT },
		{ "3 Impact", C2L_IMPACT },
		{ "Conclusions", C2L_CONCLUSIONS },
		{ "Conclusion", C2L_CONCLUSIONS },
		{ "Final conclusions", C2L_CONCLUSIONS },
		{ "Conclusions and next steps", C2L_CONCLUSIONS },
		{ "4. Conclusions and recommendations", C2L_CONCLUSIONS },
		{ "Impact on staff", C2L_NONE },
		{ "Implementation details", C2L_NONE },
		{ "The impact of lesson study", C2L_NONE },
		{ "Implementation and impact", C2L_NONE },
		{ "Innovations", C2L_NONE },
		{ "Impacts", C2L_NONE },
		{ "Implementación", C2L_NONE },
		{ "Impact 2", C2L_NONE },
		{ "Final thoughts", C2L_NONE },
		{ "Phase 1", C2L_NONE },
		{ "Phase", C2L_NONE },
		{ "The", C2L_NONE },
		{ "1.", C2L_NONE },
		{ "", C2L_NONE },
		{ "Background", C2L_NONE },
		{ "Our conclusions", C2L_NONE },
		{ "Pre-implementation", C2L_NONE },
		{ "\xff\xfeImpact", C2L_IMPACT }, /* invalid bytes are separators */
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		c2l_phase p = markdown_phase_of(cases[i].text);
		if (p != cases[i].p)
			fail_msg("\"%s\": got %d, want %d", cases[i].text, p, cases[i].p);
	}
	assert_int_equal(markdown_phase_of(NULL), C2L_NONE);
}

static void test_phase_names(void **state)
{
	assert_string_equal(c2l_phase_name(C2L_IMPLEMENTATION), "implementation");
	assert_string_equal(c2l_phase_name(C2L_INNOVATION), "innovation");
	assert_string_equal(c2l_phase_name(C2L_IMPACT), "impact");
	assert_string_equal(c2l_phase_name(C2L_CONCLUSIONS), "conclusions");
	assert_string_equal(c2l_phase_name(C2L_NONE), "");
	assert_string_equal(c2l_phase_name(C2L_COUNT), "");
	assert_string_equal(c2l_phase_name((c2l_phase)-1), "");
}

static void test_phase_headings(void **state)
{
	markdown_doc d = render("# Title\n\n## The implementation phase\n\n"
		"### Impact on staff\n\n## Innovation\n\n## Implementation\n\n"
		"## Conclusions\n", 0);
	assert_int_equal(d.nheadings, 6);
	assert_int_equal(d.phase_heading[C2L_NONE], -1);
	assert_int_equal(d.phase_heading[C2L_IMPLEMENTATION], 1);
	assert_int_equal(d.phase_heading[C2L_INNOVATION], 3);
	assert_int_equal(d.phase_heading[C2L_IMPACT], -1);
	assert_int_equal(d.phase_heading[C2L_CONCLUSIONS], 5);
	assert_int_equal(d.headings[2].phase, C2L_NONE);
	assert_int_equal(d.headings[4].phase, C2L_IMPLEMENTATION);
	markdown_doc_release(&d);
}

/* ---- plain text, excerpts, words ---- */

static void test_plain_text(void **state)
{
	markdown_doc d = render("# Title\n\nA *b* **c** [link](http://x).\nsoft\n\n"
		"- one\n- two\n\n> quote\n\n```\ncode  here\n```\n\n---\n\nend\\\nhard", 0);
	assert_string_equal(d.text, "Title\nA b c link. soft\none\ntwo\nquote\n"
		"code  here\nend\nhard");
	markdown_doc_release(&d);
}

static void test_words(void **state)
{
	static const struct {
		const char *md;
		size_t words;
	} cases[] = {
		{ "", 0 },
		{ "one", 1 },
		{ "Don't stop — it's 2014.", 4 },
		{ "Don’t panic", 2 },
		{ "rock 'n' roll", 3 },
		{ "well-being", 2 },
		{ "café naïve Über", 3 },
		{ "日本語", 1 },
		{ "**bold** _it_ `code`", 3 },
		{ "# Heading\n\ntwo words", 3 },
		{ "<div>not counted</div>", 0 },
		{ "- - -", 0 },
		{ "| a | b |\n|---|---|\n| c d | e |", 5 },
		{ "![alt text](x.png)", 2 },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		markdown_doc d = render(cases[i].md, 0);
		if (d.words != cases[i].words)
			fail_msg("\"%s\": got %zu words, want %zu", cases[i].md, d.words,
				cases[i].words);
		markdown_doc_release(&d);
	}
}

static void test_excerpt_first_paragraph(void **state)
{
	markdown_doc d = render("# Heading first\n\n| t | a |\n|---|---|\n| b | l |\n\n"
		"```\ncode\n```\n\n![logo](x.png)\n\n<p>raw</p>\n\n"
		"The  *first*\nreal   paragraph.\n\nThe second.\n", 0);
	assert_string_equal(d.excerpt, "The first real paragraph.");
	markdown_doc_release(&d);

	d = render("# Only a heading\n\n```\ncode\n```\n", 0);
	assert_string_equal(d.excerpt, "");
	markdown_doc_release(&d);
}

/* The excerpt of a paragraph longer than the limit: where it was cut. */
static void check_cut(const char *para, const char *want)
{
	markdown_doc d = render(para, 0);
	assert_utf8(d.excerpt);
	assert_string_equal(d.excerpt, want);
	markdown_doc_release(&d);
}

static void test_excerpt_cut(void **state)
{
	buf p = BUF_INIT;
	for (int i = 0; i < 60; i++)
		buf_puts(&p, "word ");
	/* 60 * 5 = 300 bytes; "word" at 240..243 fits, the space at 244 is
	 * past the limit, so the cut comes after the 48th word. */
	buf want = BUF_INIT;
	for (int i = 0; i < 48; i++)
		buf_puts(&want, i ? " word" : "word");
	buf_puts(&want, "…");
	check_cut(p.p, want.p);
	assert_true(strlen(want.p) <= 240 + strlen("…"));

	/* Exactly 240 bytes: no cut. */
	buf_clear(&p);
	for (int i = 0; i < 48; i++)
		buf_puts(&p, i ? " word" : "word");
	buf_puts(&p, "1234");
	assert_int_equal(p.len, 243);
	buf_truncate(&p, 240);
	check_cut(p.p, p.p);

	/* A comma before the cut is dropped with the space. */
	buf_clear(&p);
	buf_clear(&want);
	for (int i = 0; i < 47; i++)
		buf_puts(&p, "word ");
	buf_puts(&p, "end, tail tail tail tail tail tail tail tail tail");
	buf_put(&want, p.p, 47 * 5);
	buf_puts(&want, "end…");
	check_cut(p.p, want.p);
	buf_release(&p);
	buf_release(&want);
}

static void test_excerpt_utf8_boundary(void **state)
{
	/* "é" is two bytes; 239 ASCII bytes then one long word of é's puts a
	 * two-byte sequence across byte 240. */
	buf p = BUF_INIT;
	for (int i = 0; i < 239; i++)
		buf_putc(&p, 'a');
	for (int i = 0; i < 20; i++)
		buf_puts(&p, "é");
	markdown_doc d = render(p.p, 0);
	assert_utf8(d.excerpt);
	assert_int_equal(strlen(d.excerpt), 239 + 3);
	assert_memory_equal(d.excerpt, p.p, 239);
	assert_string_equal(d.excerpt + 239, "…");
	markdown_doc_release(&d);

	/* One word of three-byte characters only: cut on a boundary. */
	buf_clear(&p);
	for (int i = 0; i < 100; i++)
		buf_puts(&p, "語");
	d = render(p.p, 0);
	assert_utf8(d.excerpt);
	assert_int_equal(strlen(d.excerpt), 240 + 3);
	markdown_doc_release(&d);

	/* Words of é's: the cut is at a space and never inside a sequence. */
	buf_clear(&p);
	for (int i = 0; i < 50; i++)
		buf_puts(&p, "ééé ");
	d = render(p.p, 0);
	assert_utf8(d.excerpt);
	assert_true(strlen(d.excerpt) <= 243);
	size_t n = strlen(d.excerpt);
	assert_string_equal(d.excerpt + n - 3, "…");
	assert_memory_equal(d.excerpt + n - 9, "ééé", 6);
	assert_memory_equal(d.excerpt, p.p, n - 3);
	markdown_doc_release(&d);
	buf_release(&p);
}

/* ---- hostile input ---- */

static void check_empty(markdown_doc *d)
{
	assert_string_equal(d->html, "");
	assert_string_equal(d->text, "");
	assert_string_equal(d->excerpt, "");
	assert_int_equal(d->words, 0);
	assert_int_equal(d->nheadings, 0);
	for (int p = 0; p < C2L_COUNT; p++)
		assert_int_equal(d->phase_heading[p], -1);
}

static void test_empty(void **state)
{
	markdown_doc d;
	assert_int_equal(markdown_render(NULL, 0, 0, &d), 0);
	check_empty(&d);
	markdown_doc_release(&d);
	assert_int_equal(markdown_render("", 0, MARKDOWN_UNSAFE_HTML, &d), 0);
	check_empty(&d);
	markdown_doc_release(&d);
	d = render("\n\n   \n", 0);
	check_empty(&d);
	markdown_doc_release(&d);
	/* Release is idempotent and takes NULL. */
	markdown_doc_release(&d);
	markdown_doc_release(NULL);
}

static void test_length_respected(void **state)
{
	static const char text[] = "# Head\n\nbody text and more";
	markdown_doc d;
	markdown_render(text, 4, 0, &d); /* not NUL-terminated at 4 */
	assert_string_equal(d.html, "<h1 id=\"he\">He</h1>\n");
	markdown_doc_release(&d);
}

static void test_nul_and_invalid_utf8(void **state)
{
	static const char text[] = "# a\0b \xff\xfe\n\nbody \0 \xc3 here \xed\xa0\x80 "
		"~~x\0~~ www.\0x.org\n\n| \0 | b |\n|---|---|\n| \xf8 | \0 |\n";
	for (unsigned flags = 0; flags <= MARKDOWN_UNSAFE_HTML; flags++) {
		markdown_doc d;
		assert_int_equal(markdown_render(text, sizeof text - 1, flags, &d), 0);
		assert_utf8(d.html);
		assert_utf8(d.text);
		assert_utf8(d.excerpt);
		assert_int_equal(d.nheadings, 1);
		assert_utf8(d.headings[0].id);
		assert_string_equal(d.headings[0].id, "ab-");
		assert_contains(d.html, "\xef\xbf\xbd"); /* U+FFFD */
		assert_contains(d.html, "<table>");
		markdown_doc_release(&d);
	}
}

static void test_pathological(void **state)
{
	static const char *const cases[] = {
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		"*a **b *c **d _e __f",
		"> > > > > > > > > > > > > > > > > > > > > > > > > > > > > > deep",
		"|\n|-|\n|",
		"| a |\n|---|---|\n",
		"#######\n######\n",
		"~~~~~\n",
		"<!--",
		"[x]: <javascript:y>\n\n[x]",
		"`````",
		"www.",
		"http://",
		"@@@@",
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		markdown_doc d = render(cases[i], 0);
		assert_utf8(d.html);
		markdown_doc_release(&d);
	}
}

/* Inputs on which cmark-gfm 0.29.0.gfm.6 is quadratic (seconds to
 * minutes, gigabytes) finish quickly, degraded but with their text. */
static void test_quadratic_tables(void **state)
{
	buf b = BUF_INIT;
	/* 30,000 columns: cells are appended one list walk at a time. */
	for (int i = 0; i < 30000; i++)
		buf_puts(&b, "|a");
	buf_puts(&b, "|\n");
	for (int i = 0; i < 30000; i++)
		buf_puts(&b, "|-");
	buf_puts(&b, "|\n| x |\n");
	markdown_doc d = render(b.p, 0);
	assert_lacks(d.html, "<table>");
	assert_contains(d.html, "| x |");
	markdown_doc_release(&d);

	/* 2,000 columns and 2,000 one-cell rows: 4 million padded cells. */
	buf_clear(&b);
	for (int i = 0; i < 2000; i++)
		buf_puts(&b, "|a");
	buf_puts(&b, "|\n");
	for (int i = 0; i < 2000; i++)
		buf_puts(&b, "|-");
	buf_puts(&b, "|\n");
	for (int i = 0; i < 2000; i++)
		buf_puts(&b, "b\n");
	d = render(b.p, 0);
	assert_lacks(d.html, "<table>");
	markdown_doc_release(&d);

	/* A large but ordinary table is still a table. */
	buf_clear(&b);
	for (int r = 0; r < 2000; r++) {
		for (int c = 0; c < 30; c++)
			buf_puts(&b, r == 1 ? "|---" : "| x ");
		buf_puts(&b, r % 2 && r > 1 ? "\n" : "|\n");
	}
	d = render(b.p, 0);
	assert_contains(d.html, "<table>");
	assert_contains(d.html, "<td>x</td>");
	markdown_doc_release(&d);
	buf_release(&b);
}

static void test_quadratic_images(void **state)
{
	buf b = BUF_INIT;
	for (int i = 0; i < 50000; i++)
		buf_puts(&b, "![[]()");
	markdown_doc d = render(b.p, 0);
	assert_contains(d.html, "<p>![<a href=\"\"></a>![");
	markdown_doc_release(&d);

	/* Many ordinary images and links are left alone. */
	buf_clear(&b);
	for (int i = 0; i < 2000; i++)
		buf_puts(&b, "![i](i.png) [l](l.html) ");
	d = render(b.p, 0);
	assert_contains(d.html, "<img src=\"i.png\" alt=\"i\" />");
	assert_lacks(d.html, "![");
	markdown_doc_release(&d);
	buf_release(&b);
}

/* 1 MB of realistic content with many repeated headings: linear work. */
static void test_large_document(void **state)
{
	static const char block[] = "## Same heading\n\nA paragraph with ~~some~~ "
		"*emphasis* and www.example.org.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
		"- item\n- item\n\n";
	buf b = BUF_INIT;
	size_t blocks = 0;
	while (b.len < 1 << 20) {
		buf_puts(&b, block);
		blocks++;
	}
	markdown_doc d = render(b.p, 0);
	assert_int_equal(d.nheadings, blocks);
	char *last = xasprintf("same-heading-%zu", blocks - 1);
	assert_string_equal(d.headings[blocks - 1].id, last);
	free(last);
	assert_int_equal(d.headings[blocks - 1].line, 1 + 11 * (blocks - 1));
	assert_int_equal(d.words, blocks * (2 + 9 + 4 + 2));
	assert_string_equal(d.excerpt, "A paragraph with some emphasis and www.example.org.");
	markdown_doc_release(&d);

	/* One huge paragraph. */
	buf_clear(&b);
	while (b.len < 1 << 20)
		buf_puts(&b, "lorem ipsum dolor sit amet ");
	d = render(b.p, 0);
	assert_int_equal(d.words, b.len / 27 * 5);
	assert_true(strlen(d.excerpt) <= 243);
	markdown_doc_release(&d);
	buf_release(&b);
}

/* ---- threads ---- */

static const char thread_doc[] = "# Title\n\nSome ~~struck~~ text, www.example.com "
	"and https://x.org.\n\n| a | b |\n|---|---|\n| ~~c~~ | d |\n\n## Impact\n";

typedef struct {
	const char *expected;
	int mismatches;
} thread_arg;

static void *render_loop(void *p)
{
	thread_arg *a = p;
	for (int i = 0; i < 2000; i++) {
		markdown_doc d;
		markdown_render(thread_doc, sizeof thread_doc - 1, 0, &d);
		if (strcmp(d.html, a->expected) || d.nheadings != 2 ||
			d.phase_heading[C2L_IMPACT] != 1)
			a->mismatches++;
		markdown_doc_release(&d);
	}
	return NULL;
}

static void test_threads(void **state)
{
	markdown_doc ref = render(thread_doc, 0);
	assert_contains(ref.html, "<del>struck</del>");
	assert_contains(ref.html, "<a href=\"http://www.example.com\">");
	assert_contains(ref.html, "<td><del>c</del></td>");
	thread_arg args[2] = { { ref.html, 0 }, { ref.html, 0 } };
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, render_loop, &args[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(args[0].mismatches, 0);
	assert_int_equal(args[1].mismatches, 0);
	markdown_doc_release(&ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_strikethrough),
		cmocka_unit_test(test_autolinks),
		cmocka_unit_test(test_raw_html_omitted),
		cmocka_unit_test(test_raw_html_unsafe),
		cmocka_unit_test(test_raw_html_in_heading),
		cmocka_unit_test(test_dangerous_urls),
		cmocka_unit_test(test_heading_ids),
		cmocka_unit_test(test_heading_id_duplicates),
		cmocka_unit_test(test_heading_id_unicode),
		cmocka_unit_test(test_heading_id_empty),
		cmocka_unit_test(test_heading_id_attribute_safe),
		cmocka_unit_test(test_heading_in_containers),
		cmocka_unit_test(test_heading_lines),
		cmocka_unit_test(test_slugify),
		cmocka_unit_test(test_phase_of),
		cmocka_unit_test(test_phase_names),
		cmocka_unit_test(test_phase_headings),
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_excerpt_first_paragraph),
		cmocka_unit_test(test_excerpt_cut),
		cmocka_unit_test(test_excerpt_utf8_boundary),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_length_respected),
		cmocka_unit_test(test_nul_and_invalid_utf8),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_quadratic_tables),
		cmocka_unit_test(test_quadratic_images),
		cmocka_unit_test(test_large_document),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
