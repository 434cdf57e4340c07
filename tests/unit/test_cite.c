/*
 * Unit tests for cite (names to "Surname, I.", Harvard, APA, BibTeX
 * escaping, RIS) and colour (parsing, WCAG contrast).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cite.h"
#include "colour.h"
#include "testutil.h"

static void name_is(const char *in, const char *want)
{
	buf b = BUF_INIT;
	cite_name(&b, in);
	assert_string_equal(b.p, want);
	buf_release(&b);
}

static void test_names(void **state)
{
	(void)state;
	name_is("Helen Marwood", "Marwood, H.");
	name_is("A. Teacher", "Teacher, A.");
	name_is("Mary-Jane Anne O'Neill", "O'Neill, M.-J. A.");
	name_is("Marwood, Helen", "Marwood, H.");
	name_is("  Tom   Ashby ", "Ashby, T.");
	name_is("Ofsted", "Ofsted");
	name_is("\xC3\x89lodie Durand", "Durand, \xC3\x89.");
}

static doc make_doc(const char **authors, size_t n)
{
	doc d;
	memset(&d, 0, sizeof d);
	d.slug = "x-y";
	d.title = "Talk & writing";
	d.date = "2014-03-01";
	d.licence = "OGL-3.0";
	d.authors.items = authors;
	d.authors.n = n;
	return d;
}

static void test_references(void **state)
{
	(void)state;
	const char *authors[] = { "Helen Marwood", "Tom Ashby", "Bethan Lyle" };
	alliance al;
	memset(&al, 0, sizeof al);
	al.name = "Fernbrook TSA";
	doc d = make_doc(authors, 3);
	d.alliance = &al;
	cite_info c = { &d, "https://kb.example.org/case-studies/x-y/",
		"Vale Network", "en-GB" };
	buf b = BUF_INIT;
	cite_harvard_html(&b, &c);
	assert_string_equal(b.p, "Marwood, H., Ashby, T. and Lyle, B. (2014) "
		"<i>Talk &amp; writing</i>. Case study. Fernbrook TSA, Vale Network. "
		"Available at: https://kb.example.org/case-studies/x-y/ "
		"(Accessed: <span class=\"cite-accessed\">day month year</span>).");
	buf_clear(&b);
	cite_apa_html(&b, &c);
	assert_string_equal(b.p, "Marwood, H., Ashby, T., &amp; Lyle, B. (2014). "
		"<i>Talk &amp; writing</i> [Case study]. Fernbrook TSA, Vale Network. "
		"https://kb.example.org/case-studies/x-y/");
	buf_clear(&b);
	/* Two authors: APA has no comma before the ampersand. */
	d.authors.n = 2;
	cite_apa_html(&b, &c);
	assert_non_null(strstr(b.p, "Marwood, H. &amp; Ashby, T. (2014)."));
	buf_clear(&b);
	/* No authors: the alliance is the author; no date: n.d. */
	d.authors.n = 0;
	d.date = "";
	cite_harvard_html(&b, &c);
	assert_non_null(strstr(b.p, "Fernbrook TSA (n.d.) <i>"));
	buf_release(&b);
}

static void test_bibtex(void **state)
{
	(void)state;
	const char *authors[] = { "Helen Marwood", "Tom Ashby" };
	doc d = make_doc(authors, 2);
	d.title = "50% {better} #1_x";
	cite_info c = { &d, "https://kb.example.org/x/", "Net", "en-GB" };
	buf b = BUF_INIT;
	cite_bibtex(&b, &c);
	assert_non_null(strstr(b.p, "@misc{x-y,\n"));
	assert_non_null(strstr(b.p, "  author = {Marwood, H. and Ashby, T.},\n"));
	assert_non_null(strstr(b.p, "  title = {{50\\% \\{better\\} \\#1\\_x}},\n"));
	assert_non_null(strstr(b.p, "  year = {2014},\n  month = mar,\n"));
	assert_true(b.len > 0 && b.p[b.len - 2] == '}');
	buf_release(&b);
	/* Every special character, at the ends too. */
	d.title = "\\a^b~c\td\re\nf{}%&$#_";
	cite_bibtex(&b, &c);
	assert_non_null(strstr(b.p, "  title = {{\\textbackslash{}a"
		"\\textasciicircum{}b\\textasciitilde{}c d e f"
		"\\{\\}\\%\\&\\$\\#\\_}},\n"));
	buf_release(&b);
	/* A corporate author is double-braced. */
	d.authors.n = 0;
	cite_bibtex(&b, &c);
	assert_non_null(strstr(b.p, "  author = {{Net}},\n"));
	buf_release(&b);
}

static void test_ris(void **state)
{
	(void)state;
	const char *authors[] = { "Helen Marwood" };
	doc d = make_doc(authors, 1);
	d.title = "Line\nbreak";
	cite_info c = { &d, "https://kb.example.org/x/", "Net", "en-GB" };
	buf b = BUF_INIT;
	cite_ris(&b, &c);
	assert_true(strncmp(b.p, "TY  - RPRT\r\n", 12) == 0);
	assert_non_null(strstr(b.p, "AU  - Marwood, H.\r\n"));
	assert_non_null(strstr(b.p, "TI  - Line break\r\n"));
	buf_release(&b);
	d.title = "\tA\r\nB\t";
	cite_ris(&b, &c);
	assert_non_null(strstr(b.p, "TI  -  A  B \r\n"));
	assert_non_null(strstr(b.p, "PY  - 2014\r\nDA  - 2014/03/01/\r\n"));
	assert_non_null(strstr(b.p, "UR  - https://kb.example.org/x/\r\n"));
	assert_true(b.len >= 8 && strcmp(b.p + b.len - 8, "ER  - \r\n") == 0);
	buf_release(&b);
}

static void test_colour(void **state)
{
	(void)state;
	int rgb[3];
	assert_true(colour_parse("#1d70b8", rgb));
	assert_int_equal(rgb[0], 0x1d);
	assert_int_equal(rgb[2], 0xb8);
	assert_true(colour_parse("#FFF", rgb));
	assert_int_equal(rgb[1], 255);
	assert_false(colour_parse("1d70b8", rgb));
	assert_false(colour_parse("#1d70b", rgb));
	assert_false(colour_parse("#gggggg", rgb));
	assert_false(colour_parse("red", rgb));
	assert_false(colour_parse(NULL, rgb));
	static const int white[3] = { 255, 255, 255 }, black[3] = { 0, 0, 0 };
	assert_true(fabs(colour_contrast(white, black) - 21) < 0.01);
	assert_true(fabs(colour_contrast(white, white) - 1) < 0.01);
	/* GOV.UK blue passes AA on white; a light yellow does not. */
	colour_parse("#1d70b8", rgb);
	assert_true(colour_contrast(rgb, white) >= COLOUR_MIN_CONTRAST);
	colour_parse("#ffdd00", rgb);
	assert_true(colour_contrast(rgb, white) < COLOUR_MIN_CONTRAST);
	/* #767676 is the classic 4.54:1 grey. */
	colour_parse("#767676", rgb);
	assert_true(fabs(colour_contrast(rgb, white) - 4.54) < 0.01);
}

/* The key changes with every field a format reads (cite.c's cite_key),
 * and with nothing else. */
static void test_key(void **state)
{
	(void)state;
	const char *authors[] = { "Helen Marwood", "Tom Ashby" };
	const char *tags[] = { "oracy" };
	alliance al;
	memset(&al, 0, sizeof al);
	al.name = "Fernbrook TSA";
	claim cl;
	memset(&cl, 0, sizeof cl);
	cl.title = "Talk builds writing";
	claim_ref ref = { &cl, STRENGTH_STRONG, NULL, NULL };
	doc d = make_doc(authors, 2);
	d.alliance = &al;
	d.tags.items = tags;
	d.tags.n = 1;
	d.claims = &ref;
	d.nclaims = 1;
	char excerpt[] = "An excerpt", other[] = "Another";
	d.md.excerpt = excerpt;
	cite_info c = { &d, "https://kb.example.org/x/", "KB", "en-GB" };
	unsigned long long k = cite_key(&c, "ris");
	assert_int_not_equal(k, 0);
	/* What no format reads leaves it alone. */
	d.theme = "pedagogy";
	d.focus = "Writing";
	assert_int_equal(cite_key(&c, "ris"), k);
#define CHANGES(field, other) do { \
		const char *was = (field); \
		(field) = (other); \
		assert_int_not_equal(cite_key(&c, "ris"), k); \
		(field) = was; \
		assert_int_equal(cite_key(&c, "ris"), k); \
	} while (0)
	CHANGES(c.url, "https://kb.example.org/y/");
	CHANGES(c.publisher, "Other");
	CHANGES(c.language, "cy");
	CHANGES(d.slug, "x-z");
	CHANGES(d.title, "Talk");
	CHANGES(d.date, "2015");
	CHANGES(d.licence, "CC-BY-4.0");
	CHANGES(authors[1], "Tom Ash");
	CHANGES(tags[0], "writing");
	CHANGES(al.name, "Other TSA");
	CHANGES(cl.title, "Talk builds reading");
#undef CHANGES
	d.md.excerpt = other;
	assert_int_not_equal(cite_key(&c, "ris"), k);
	d.md.excerpt = NULL;
	assert_int_not_equal(cite_key(&c, "ris"), k);
	d.md.excerpt = excerpt;
	d.authors.n = 1;
	assert_int_not_equal(cite_key(&c, "ris"), k);
	d.authors.n = 2;
	d.tags.n = 0;
	assert_int_not_equal(cite_key(&c, "ris"), k);
	d.tags.n = 1;
	d.alliance = NULL;
	assert_int_not_equal(cite_key(&c, "ris"), k);
	d.alliance = &al;
	d.nclaims = 0;
	assert_int_not_equal(cite_key(&c, "ris"), k);
	d.nclaims = 1;
	assert_int_equal(cite_key(&c, "ris"), k);
	/* Each format has its own. */
	assert_int_not_equal(cite_key(&c, "bibtex"), k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_bibtex),
		cmocka_unit_test(test_ris),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_colour),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
