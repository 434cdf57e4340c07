/*
 * Unit tests for fields: every getter with valid and invalid input, the
 * exact message and line:col of each diagnostic, dates (leap years,
 * impossible days and months, short forms), slugs, and the unknown-field
 * warnings of fields_end. Maps come from real YAML through yaml_parse, so
 * positions are the ones authors see.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fields.h"
#include "yamlparse.h"
#include "testutil.h"

#define PATH "case-studies/x.md"

static arena a;
static diag_list *d;
static fields f;

static int setup(void **state)
{
	(void)state;
	a = ARENA_INIT;
	d = diag_list_new();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_release(&a);
	diag_list_free(d);
	return 0;
}

/* Parses YAML that must be valid, and starts reading it; missing fields
 * are reported at 1:1. */
static void begin(const char *yaml)
{
	size_t before = diag_count(d);
	value *v = yaml_parse(&a, yaml, strlen(yaml), PATH, 1, d);
	if (!v || diag_count(d) != before) {
		tu_dump_diags(d);
		fail_msg("bad test YAML");
	}
	fields_begin(&f, &a, d, PATH, v, 1, 1, "front matter");
}

#define EXPECT(level, line, col, msg) tu_expect_diag(d, level, PATH, line, col, msg)
#define EXPECT_ERROR(line, col, msg) EXPECT(DIAG_ERROR, line, col, msg)
#define COUNTS(errors, warnings)                                               \
	do {                                                                   \
		if (diag_errors(d) != (errors) || diag_warnings(d) != (warnings)) { \
			tu_dump_diags(d);                                      \
			fail_msg("expected %d errors and %d warnings",         \
				(errors), (warnings));                         \
		}                                                              \
	} while (0)

/* ---- fields_begin / fields_end ---- */

static void test_begin_with_mapping(void **state)
{
	(void)state;
	begin("title: A\n");
	assert_non_null(f.map);
	assert_ptr_equal(f.a, &a);
	assert_string_equal(f.path, PATH);
	COUNTS(0, 0);
}

static void test_begin_with_nothing(void **state)
{
	(void)state;
	/* No front matter at all, and an empty document: no error, every
	 * getter finds nothing, required ones report at the given place. */
	fields_begin(&f, &a, d, PATH, NULL, 4, 2, "front matter");
	assert_null(f.map);
	assert_null(fields_str(&f, "title", false));
	COUNTS(0, 0);
	assert_null(fields_str(&f, "title", true));
	EXPECT_ERROR(4, 2, "missing required field 'title'");
	fields_end(&f);
	COUNTS(1, 0);

	begin("");
	assert_null(f.map);
	assert_null(fields_str(&f, "title", false));
	fields_end(&f);
	COUNTS(1, 0);
}

static void test_begin_with_list(void **state)
{
	(void)state;
	begin("# comment\n- a\n- b\n");
	assert_null(f.map);
	EXPECT_ERROR(2, 1, "front matter must be a mapping of fields, not a list");
	assert_null(fields_str(&f, "a", false));
	assert_int_equal(fields_strlist(&f, "a", false).n, 0);
	fields_end(&f); /* nothing to warn about */
	COUNTS(1, 0);
}

static void test_begin_with_scalar(void **state)
{
	(void)state;
	begin("just text\n");
	assert_null(f.map);
	EXPECT_ERROR(1, 1, "front matter must be a mapping of fields, not a string");
	COUNTS(1, 0);
	begin("42\n");
	EXPECT_ERROR(1, 1, "must be a mapping of fields, not a number");
}

static void test_unknown_fields_warned_at_key(void **state)
{
	(void)state;
	begin("title: A\n"
	      "titel: B\n"
	      "nested:\n"
	      "  inner: 1\n"
	      "  date: 2014\n");
	assert_string_equal(fields_str(&f, "title", true), "A");
	fields_end(&f);
	EXPECT(DIAG_WARNING, 2, 1, "unknown field 'titel'");
	EXPECT(DIAG_WARNING, 3, 1, "unknown field 'nested'");
	/* Only the top level: the nested keys are not this reader's. */
	assert_int_equal(tu_count_diag(d, DIAG_WARNING, "'inner'"), 0);
	COUNTS(0, 2);
}

static void test_asked_fields_not_warned(void **state)
{
	(void)state;
	/* A field asked for is known even when it was malformed. */
	begin("title: [a]\n"
	      "  \n"
	      "date: soon\n"
	      "ok: true\n"
	      "missing_asked: ~\n");
	assert_null(fields_str(&f, "title", false));
	assert_null(fields_date(&f, "date", false));
	assert_true(fields_bool(&f, "ok", false));
	assert_null(fields_get(&f, "missing_asked"));
	assert_null(fields_get(&f, "never_there"));
	fields_end(&f);
	COUNTS(2, 0);
}

static void test_unknown_field_position_when_indented(void **state)
{
	(void)state;
	begin("claims:\n"
	      "  - id: pedagogy-1\n"
	      "    strenght: strong\n");
	const value *list = fields_get(&f, "claims");
	assert_non_null(list);
	fields_end(&f);
	COUNTS(0, 0);
	fields c;
	const value *item = list->u.list.items[0];
	fields_begin(&c, &a, d, PATH, item, item->line, item->col, "a claim");
	assert_string_equal(fields_str(&c, "id", true), "pedagogy-1");
	fields_end(&c);
	EXPECT(DIAG_WARNING, 3, 5, "unknown field 'strenght'");
	COUNTS(0, 1);
}

/* ---- fields_str ---- */

static void test_str_values(void **state)
{
	(void)state;
	begin("title: Talk for writing\n"
	      "quoted: \"  spaced  \"\n"
	      "number: 007\n"
	      "float: 1.50\n"
	      "flag: true\n"
	      "folded: >-\n"
	      "  two\n"
	      "  lines\n");
	assert_string_equal(fields_str(&f, "title", true), "Talk for writing");
	assert_string_equal(fields_str(&f, "quoted", true), "  spaced  ");
	/* Scalars keep their text as written. */
	assert_string_equal(fields_str(&f, "number", true), "007");
	assert_string_equal(fields_str(&f, "float", true), "1.50");
	assert_string_equal(fields_str(&f, "flag", true), "true");
	assert_string_equal(fields_str(&f, "folded", true), "two lines");
	fields_end(&f);
	COUNTS(0, 0);
}

static void test_str_missing(void **state)
{
	(void)state;
	begin("other: x\n");
	assert_null(fields_str(&f, "title", false));
	COUNTS(0, 0);
	assert_null(fields_str(&f, "title", true));
	EXPECT_ERROR(1, 1, "missing required field 'title'");
	COUNTS(1, 0);
}

static void test_str_empty_value_is_missing(void **state)
{
	(void)state;
	begin("ended:\n"
	      "tilde: ~\n"
	      "null_word: null\n");
	assert_null(fields_str(&f, "ended", false));
	assert_null(fields_str(&f, "tilde", false));
	COUNTS(0, 0);
	assert_null(fields_str(&f, "null_word", true));
	EXPECT_ERROR(1, 1, "missing required field 'null_word'");
	COUNTS(1, 0);
}

static void test_str_empty_string(void **state)
{
	(void)state;
	begin("a: \"\"\n"
	      "b: ''\n");
	/* Optional: "" is a value. Required: it must not be empty. */
	const char *s = fields_str(&f, "a", false);
	assert_non_null(s);
	assert_string_equal(s, "");
	COUNTS(0, 0);
	assert_null(fields_str(&f, "b", true));
	EXPECT_ERROR(2, 4, "'b' must not be empty");
	COUNTS(1, 0);
}

static void test_str_wrong_types(void **state)
{
	(void)state;
	begin("title:\n"
	      "  - a\n"
	      "  - b\n"
	      "alliance: {name: x}\n"
	      "focus: [x]\n");
	assert_null(fields_str(&f, "title", true));
	EXPECT_ERROR(2, 3, "'title' must be text, not a list");
	assert_null(fields_str(&f, "alliance", false));
	EXPECT_ERROR(4, 11, "'alliance' must be text, not a mapping");
	assert_null(fields_str(&f, "focus", false));
	EXPECT_ERROR(5, 8, "'focus' must be text, not a list");
	COUNTS(3, 0);
}

/* ---- fields_enum ---- */

static const char *const themes[] = { "pedagogy", "professional-development",
	"leadership", NULL };
static const char *const two[] = { "strong", "supporting", NULL };
static const char *const one[] = { "only", NULL };

static void test_enum_valid(void **state)
{
	(void)state;
	begin("theme: leadership\nstrength: strong\n");
	assert_string_equal(fields_enum(&f, "theme", themes, true), "leadership");
	assert_string_equal(fields_enum(&f, "strength", two, false), "strong");
	assert_null(fields_enum(&f, "absent", two, false));
	fields_end(&f);
	COUNTS(0, 0);
}

static void test_enum_invalid_lists_choices(void **state)
{
	(void)state;
	begin("theme: maths\n"
	      "strength: Strong\n"
	      "x: other\n"
	      "n: 3\n");
	assert_null(fields_enum(&f, "theme", themes, true));
	EXPECT_ERROR(1, 8, "unknown theme 'maths' (expected pedagogy, "
		"professional-development or leadership)");
	/* Case matters. */
	assert_null(fields_enum(&f, "strength", two, false));
	EXPECT_ERROR(2, 11, "unknown strength 'Strong' (expected strong or supporting)");
	assert_null(fields_enum(&f, "x", one, false));
	EXPECT_ERROR(3, 4, "unknown x 'other' (expected only)");
	assert_null(fields_enum(&f, "n", one, false));
	EXPECT_ERROR(4, 4, "unknown n '3' (expected only)");
	fields_end(&f);
	COUNTS(4, 0);
}

static void test_enum_missing_and_wrong_type(void **state)
{
	(void)state;
	begin("theme: [pedagogy]\n"
	      "status: ''\n");
	assert_null(fields_enum(&f, "theme", themes, true));
	EXPECT_ERROR(1, 8, "'theme' must be text, not a list");
	assert_null(fields_enum(&f, "group", themes, true));
	EXPECT_ERROR(1, 1, "missing required field 'group'");
	assert_null(fields_enum(&f, "status", two, true));
	EXPECT_ERROR(2, 9, "'status' must not be empty");
	COUNTS(3, 0);
	/* Only one message per problem. */
	assert_int_equal(tu_count_diag(d, DIAG_ERROR, "unknown"), 0);
}

static void test_one_of(void **state)
{
	(void)state;
	assert_true(fields_one_of("pedagogy", themes));
	assert_true(fields_one_of("leadership", themes));
	assert_false(fields_one_of("Pedagogy", themes));
	assert_false(fields_one_of("", themes));
	assert_false(fields_one_of("pedagogy ", themes));
	static const char *const none[] = { NULL };
	assert_false(fields_one_of("x", none));
}

/* ---- fields_strlist ---- */

static void test_strlist_values(void **state)
{
	(void)state;
	begin("tags: [writing, transition, 2014]\n"
	      "one: solo\n"
	      "block:\n"
	      "  - first\n"
	      "  - \"second\"\n"
	      "empty: []\n");
	strlist l = fields_strlist(&f, "tags", true);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0], "writing");
	assert_string_equal(l.items[1], "transition");
	assert_string_equal(l.items[2], "2014");
	l = fields_strlist(&f, "one", true); /* a scalar is a list of one */
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0], "solo");
	l = fields_strlist(&f, "block", false);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[1], "second");
	l = fields_strlist(&f, "empty", false); /* optional: empty is fine */
	assert_int_equal(l.n, 0);
	l = fields_strlist(&f, "absent", false);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
	fields_end(&f);
	COUNTS(0, 0);
}

static void test_strlist_errors(void **state)
{
	(void)state;
	begin("tags: {a: b}\n"
	      "authors:\n"
	      "  - A. Teacher\n"
	      "  - [nested]\n"
	      "  -\n"
	      "  - {x: y}\n"
	      "  - B. Teacher\n"
	      "subjects: []\n");
	strlist l = fields_strlist(&f, "tags", false);
	assert_int_equal(l.n, 0);
	EXPECT_ERROR(1, 7, "'tags' must be a list, not a mapping");
	/* Bad items are reported one by one; the good ones are kept. */
	l = fields_strlist(&f, "authors", true);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0], "A. Teacher");
	assert_string_equal(l.items[1], "B. Teacher");
	EXPECT_ERROR(4, 5, "each item of 'authors' must be text");
	EXPECT_ERROR(6, 5, "each item of 'authors' must be text");
	assert_int_equal(tu_count_diag(d, DIAG_ERROR, "each item of 'authors'"), 3);
	l = fields_strlist(&f, "subjects", true);
	assert_int_equal(l.n, 0);
	EXPECT_ERROR(8, 11, "'subjects' needs at least one item");
	l = fields_strlist(&f, "phases", true);
	EXPECT_ERROR(1, 1, "missing required field 'phases'");
	COUNTS(6, 0);
}

static void test_strlist_all_items_bad_and_required(void **state)
{
	(void)state;
	begin("research_questions:\n  - [a]\n");
	strlist l = fields_strlist(&f, "research_questions", true);
	assert_int_equal(l.n, 0);
	EXPECT_ERROR(2, 5, "each item of 'research_questions' must be text");
	EXPECT_ERROR(2, 3, "'research_questions' needs at least one item");
	COUNTS(2, 0);
}

/* ---- dates ---- */

static void test_valid_dates(void **state)
{
	(void)state;
	static const char *const good[] = { "2014", "2014-12", "2014-01",
		"2014-01-01", "2014-12-31", "2014-02-28", "2012-02-29",
		"2000-02-29", "2016-02-29", "2014-04-30", "1000", "9999-12-31",
		"2014-06-30", "2014-07-31" };
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (!fields_valid_date(good[i]))
			fail_msg("'%s' should be a valid date", good[i]);
}

static void test_invalid_dates(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2014-02-29", /* not a leap year */
		"1900-02-29", /* centuries are not, unless divisible by 400 */
		"2100-02-29", "2014-02-30", "2012-02-30",
		"2014-13", "2014-00", "2014-13-01", "2014-00-10",
		"2014-04-31", "2014-06-31", "2014-09-31", "2014-11-31",
		"2014-01-32", "2014-01-00",
		"2014-1-1", "2014-1", "2014-01-1", "14-01-01",
		"YYYY", "YYYY-MM-DD", "", " 2014", "2014 ", "201", "20145",
		"0999", "0000", "2014/01/01", "2014-01-01T10:00", "2014_01",
		"2014-ab", "2014-01-xx", "+201", "-2014", "2014-01-01x",
		"2014-0101x", "2014--1-01", "２０１４",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (fields_valid_date(bad[i]))
			fail_msg("'%s' should not be a valid date", bad[i]);
}

static void test_date_getter(void **state)
{
	(void)state;
	begin("date: 2014-02-29\n"
	      "started: 2013-09-01\n"
	      "year: 2014\n"
	      "month: 2014-13\n"
	      "loose: 2014-1-1\n"
	      "quoted: \"2012-02-29\"\n"
	      "placeholder: YYYY\n"
	      "listed: [2014]\n");
	assert_null(fields_date(&f, "date", true));
	EXPECT_ERROR(1, 7, "bad date '2014-02-29' in 'date' "
		"(expected YYYY-MM-DD, YYYY-MM or YYYY)");
	assert_string_equal(fields_date(&f, "started", true), "2013-09-01");
	assert_string_equal(fields_date(&f, "year", true), "2014");
	assert_null(fields_date(&f, "month", false));
	EXPECT_ERROR(4, 8, "bad date '2014-13' in 'month'");
	assert_null(fields_date(&f, "loose", false));
	EXPECT_ERROR(5, 8, "bad date '2014-1-1' in 'loose'");
	assert_string_equal(fields_date(&f, "quoted", false), "2012-02-29");
	assert_null(fields_date(&f, "placeholder", false));
	EXPECT_ERROR(7, 14, "bad date 'YYYY' in 'placeholder'");
	assert_null(fields_date(&f, "listed", false));
	EXPECT_ERROR(8, 9, "'listed' must be text, not a list");
	assert_null(fields_date(&f, "absent", false));
	assert_null(fields_date(&f, "required", true));
	EXPECT_ERROR(1, 1, "missing required field 'required'");
	fields_end(&f);
	COUNTS(6, 0);
}

/* ---- fields_bool ---- */

static void test_bool(void **state)
{
	(void)state;
	begin("a: true\n"
	      "b: false\n"
	      "c: \"true\"\n"
	      "d: yes\n"
	      "e: 1\n"
	      "f:\n");
	assert_true(fields_bool(&f, "a", false));
	assert_false(fields_bool(&f, "b", true));
	assert_true(fields_bool(&f, "missing", true)); /* the fallback */
	assert_false(fields_bool(&f, "missing", false));
	assert_true(fields_bool(&f, "f", true)); /* empty: the fallback */
	COUNTS(0, 0);
	/* A quoted "true", "yes" (YAML 1.2) and 1 are not booleans. */
	assert_true(fields_bool(&f, "c", true));
	EXPECT_ERROR(3, 4, "'c' must be true or false");
	assert_false(fields_bool(&f, "d", false));
	EXPECT_ERROR(4, 4, "'d' must be true or false");
	assert_false(fields_bool(&f, "e", false));
	EXPECT_ERROR(5, 4, "'e' must be true or false");
	fields_end(&f);
	COUNTS(3, 0);
}

/* ---- fields_int ---- */

static void test_int_valid(void **state)
{
	(void)state;
	begin("a: 5\nlo: 1\nhi: 10\nneg: -3\nzero: 0\nfloatwhole: 4.0\n");
	assert_int_equal(fields_int(&f, "a", 1, 10, -1, true), 5);
	assert_int_equal(fields_int(&f, "lo", 1, 10, -1, true), 1); /* inclusive */
	assert_int_equal(fields_int(&f, "hi", 1, 10, -1, true), 10);
	assert_int_equal(fields_int(&f, "neg", -5, 5, 99, true), -3);
	assert_int_equal(fields_int(&f, "zero", 0, 0, 99, true), 0);
	assert_int_equal(fields_int(&f, "floatwhole", 1, 10, -1, true), 4);
	assert_int_equal(fields_int(&f, "absent", 1, 10, 42, false), 42);
	fields_end(&f);
	COUNTS(0, 0);
}

static void test_int_invalid(void **state)
{
	(void)state;
	begin("low: 0\n"
	      "high: 11\n"
	      "frac: 1.5\n"
	      "text: \"5\"\n"
	      "word: five\n"
	      "list: [5]\n"
	      "flag: true\n");
	static const char *const keys[] = { "low", "high", "frac", "text",
		"word", "list", "flag" };
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		assert_int_equal(fields_int(&f, keys[i], 1, 10, -7, false), -7);
		char msg[80];
		snprintf(msg, sizeof msg,
			"'%s' must be a whole number from 1 to 10", keys[i]);
		unsigned col = (unsigned)strlen(keys[i]) + 3;
		EXPECT_ERROR((unsigned)i + 1, col, msg);
	}
	assert_int_equal(fields_int(&f, "number", 1, 999, 0, true), 0);
	EXPECT_ERROR(1, 1, "missing required field 'number'");
	fields_end(&f);
	COUNTS(8, 0);
}

static void test_int_non_finite_and_huge(void **state)
{
	(void)state;
	/* Regression: fields_int (generator/fields.c) tests wholeness with (fixed). */
	begin("big: 1e300\ninf: .inf\nnan: .nan\nneginf: -.inf\n");
	assert_int_equal(fields_int(&f, "big", 1, 10, -1, false), -1);
	assert_int_equal(fields_int(&f, "inf", 1, 10, -1, false), -1);
	assert_int_equal(fields_int(&f, "nan", 1, 10, -1, false), -1);
	assert_int_equal(fields_int(&f, "neginf", 1, 10, -1, false), -1);
	COUNTS(4, 0);
}

/* ---- fields_report ---- */

static void test_report_positions(void **state)
{
	(void)state;
	value *v = yaml_parse(&a, "a: 1\nb: x\n", 10, PATH, 1, d);
	assert_non_null(v);
	fields_begin(&f, &a, d, PATH, v, 9, 3, "front matter");
	fields_report(&f, DIAG_ERROR, value_get(v, "b"), "about %s", "b");
	EXPECT_ERROR(2, 4, "about b");
	/* No value, or one made by code (line 0): the map's position. */
	fields_report(&f, DIAG_WARNING, NULL, "no value");
	EXPECT(DIAG_WARNING, 9, 3, "no value");
	fields_report(&f, DIAG_NOTE, value_string(&a, "made"), "made by code");
	EXPECT(DIAG_NOTE, 9, 3, "made by code");
	COUNTS(1, 1);
}

static void test_first_line_offset(void **state)
{
	(void)state;
	/* Front matter starting on line 2 of a file reports file lines. */
	const char *yaml = "title: A\ntheme: nope\n";
	value *v = yaml_parse(&a, yaml, strlen(yaml), PATH, 2, d);
	assert_non_null(v);
	fields_begin(&f, &a, d, PATH, v, 1, 1, "front matter");
	assert_null(fields_enum(&f, "theme", themes, false));
	EXPECT_ERROR(3, 8, "unknown theme 'nope'");
}

/* ---- slugs ---- */

static void test_slugs(void **state)
{
	(void)state;
	static const char *const good[] = { "a", "talk-for-writing", "2014",
		"a1-b2-c3", "x-1", "ks1", "0" };
	static const char *const bad[] = { "", "-a", "a-", "a--b", "A",
		"Talk", "a_b", "a b", "a.b", "a/b", "caf\xc3\xa9", "-", "--",
		"a\tb", "ä" };
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (!fields_valid_slug(good[i], strlen(good[i])))
			fail_msg("'%s' should be a valid slug", good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (fields_valid_slug(bad[i], strlen(bad[i])))
			fail_msg("'%s' should not be a valid slug", bad[i]);
	/* Only n bytes count. */
	assert_true(fields_valid_slug("abc-", 3));
	assert_false(fields_valid_slug("abc-", 4));
	assert_true(fields_valid_slug("ab.md", 2));
	assert_false(fields_valid_slug("ab", 0));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_begin_with_mapping),
		T(test_begin_with_nothing),
		T(test_begin_with_list),
		T(test_begin_with_scalar),
		T(test_unknown_fields_warned_at_key),
		T(test_asked_fields_not_warned),
		T(test_unknown_field_position_when_indented),
		T(test_str_values),
		T(test_str_missing),
		T(test_str_empty_value_is_missing),
		T(test_str_empty_string),
		T(test_str_wrong_types),
		T(test_enum_valid),
		T(test_enum_invalid_lists_choices),
		T(test_enum_missing_and_wrong_type),
		T(test_one_of),
		T(test_strlist_values),
		T(test_strlist_errors),
		T(test_strlist_all_items_bad_and_required),
		T(test_valid_dates),
		T(test_invalid_dates),
		T(test_date_getter),
		T(test_bool),
		T(test_int_valid),
		T(test_int_invalid),
		T(test_int_non_finite_and_huge),
		T(test_report_positions),
		T(test_first_line_offset),
		T(test_slugs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
