/*
 * Unit tests for frontmatter: splitting a Markdown file into front matter
 * and body, with the lines where each starts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "frontmatter.h"

/* Asserts that s equals the NUL-terminated want. */
static void check_slice(slice s, const char *want)
{
	assert_int_equal(s.n, strlen(want));
	if (s.n)
		assert_memory_equal(s.p, want, s.n);
}

/* Splits text and checks every field; returns frontmatter_split's result. */
static int split(const char *text, frontmatter *fm)
{
	memset(fm, 0xab, sizeof *fm); /* nothing may be left unset */
	return frontmatter_split(text, strlen(text), fm);
}

static void test_basic(void **state)
{
	const char *t = "---\ntitle: x\ntheme: y\n---\n# Body\n\ntext\n";
	frontmatter fm;
	assert_int_equal(split(t, &fm), 0);
	assert_true(fm.has_front);
	check_slice(fm.front, "title: x\ntheme: y\n");
	assert_int_equal(fm.front_line, 2);
	check_slice(fm.body, "# Body\n\ntext\n");
	assert_int_equal(fm.body_line, 5);
}

static void test_zero_copy(void **state)
{
	const char *t = "---\na: 1\n---\nbody\n";
	frontmatter fm;
	assert_int_equal(split(t, &fm), 0);
	assert_ptr_equal(fm.front.p, t + 4);
	assert_ptr_equal(fm.body.p, t + 13);
	assert_ptr_equal(fm.body.p + fm.body.n, t + strlen(t));
}

static void test_crlf(void **state)
{
	const char *t = "---\r\ntitle: x\r\nb: 2\r\n---\r\nbody\r\nmore\r\n";
	frontmatter fm;
	assert_int_equal(split(t, &fm), 0);
	assert_true(fm.has_front);
	check_slice(fm.front, "title: x\r\nb: 2\r\n");
	check_slice(fm.body, "body\r\nmore\r\n");
	assert_int_equal(fm.body_line, 5);
}

static void test_only_delimiters(void **state)
{
	frontmatter fm;
	assert_int_equal(split("---\n---\n", &fm), 0);
	assert_true(fm.has_front);
	check_slice(fm.front, "");
	assert_int_equal(fm.front_line, 2);
	check_slice(fm.body, "");
	assert_int_equal(fm.body_line, 3);
}

static void test_only_delimiters_no_newline(void **state)
{
	const char *t = "---\n---";
	frontmatter fm;
	assert_int_equal(split(t, &fm), 0);
	assert_true(fm.has_front);
	check_slice(fm.front, "");
	check_slice(fm.body, "");
	assert_ptr_equal(fm.body.p, t + 7);
	assert_int_equal(fm.body_line, 3);
}

static void test_trailing_spaces(void **state)
{
	frontmatter fm;
	assert_int_equal(split("---   \na: 1\n---  \t\nbody", &fm), 0);
	assert_true(fm.has_front);
	check_slice(fm.front, "a: 1\n");
	check_slice(fm.body, "body");
	assert_int_equal(fm.body_line, 4);
	assert_int_equal(split("--- \r\na: 1\r\n--- \r\nbody", &fm), 0);
	check_slice(fm.front, "a: 1\r\n");
	check_slice(fm.body, "body");
}

static void test_no_newline_after_close(void **state)
{
	frontmatter fm;
	assert_int_equal(split("---\na: 1\n---", &fm), 0);
	check_slice(fm.front, "a: 1\n");
	check_slice(fm.body, "");
	assert_int_equal(fm.body_line, 4);
	assert_int_equal(split("---\na: 1\n---\r", &fm), 0);
	check_slice(fm.front, "a: 1\n");
	check_slice(fm.body, "");
	assert_int_equal(split("---\na: 1\n...  ", &fm), 0);
	check_slice(fm.body, "");
}

static void test_dots_close(void **state)
{
	frontmatter fm;
	assert_int_equal(split("---\na: 1\nb: 2\n...\nbody\n", &fm), 0);
	check_slice(fm.front, "a: 1\nb: 2\n");
	check_slice(fm.body, "body\n");
	assert_int_equal(fm.body_line, 5);
}

static void test_dots_do_not_open(void **state)
{
	frontmatter fm;
	const char *t = "...\na: 1\n...\n";
	assert_int_equal(split(t, &fm), 0);
	assert_false(fm.has_front);
	check_slice(fm.body, t);
}

static void test_not_on_line_one(void **state)
{
	const char *texts[] = { "\n---\na: 1\n---\nbody\n", " ---\na: 1\n---\n",
		"# Title\n---\na: 1\n---\n", "\r\n---\n---\n" };
	for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
		frontmatter fm;
		assert_int_equal(split(texts[i], &fm), 0);
		assert_false(fm.has_front);
		assert_ptr_equal(fm.body.p, texts[i]);
		check_slice(fm.body, texts[i]);
		assert_int_equal(fm.body_line, 1);
		assert_int_equal(fm.front.n, 0);
	}
}

static void test_not_a_delimiter(void **state)
{
	const char *texts[] = { "----\na\n---\n", "--- x\na\n---\n", "---x\n---\n",
		"-- -\n---\n", "--\n---\n", "—\n---\n", "---# c\n---\n", "---.\n---\n" };
	for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
		frontmatter fm;
		assert_int_equal(split(texts[i], &fm), 0);
		assert_false(fm.has_front);
		check_slice(fm.body, texts[i]);
		assert_int_equal(fm.body_line, 1);
	}
}

static void test_close_needs_exact_line(void **state)
{
	/* "----", "--- x", "....", " ---" do not close; the later "---" does. */
	const char *t = "---\na: |\n  ----\n  --- x\n  ....\n  ---\n---\nbody\n";
	frontmatter fm;
	assert_int_equal(split(t, &fm), 0);
	check_slice(fm.front, "a: |\n  ----\n  --- x\n  ....\n  ---\n");
	check_slice(fm.body, "body\n");
	assert_int_equal(fm.body_line, 8);
}

static void test_first_close_wins(void **state)
{
	frontmatter fm;
	assert_int_equal(split("---\na: 1\n---\nb: 2\n---\n", &fm), 0);
	check_slice(fm.front, "a: 1\n");
	check_slice(fm.body, "b: 2\n---\n");
	assert_int_equal(fm.body_line, 4);
}

static void test_unclosed(void **state)
{
	frontmatter fm;
	assert_int_equal(split("---\na: 1\nb: 2\n", &fm), -1);
	assert_true(fm.has_front);
	check_slice(fm.front, "a: 1\nb: 2\n");
	check_slice(fm.body, "");
	assert_int_equal(split("---\n", &fm), -1);
	assert_true(fm.has_front);
	check_slice(fm.front, "");
	assert_int_equal(split("---", &fm), -1);
	assert_true(fm.has_front);
	assert_int_equal(split("---\r\na: 1\r\n-- \r\n", &fm), -1);
}

static void test_no_front_matter(void **state)
{
	const char *t = "# Title\n\nSome text\n";
	frontmatter fm;
	assert_int_equal(split(t, &fm), 0);
	assert_false(fm.has_front);
	check_slice(fm.body, t);
	assert_int_equal(fm.body_line, 1);
	assert_int_equal(fm.front_line, 0);
}

static void test_empty_input(void **state)
{
	frontmatter fm;
	assert_int_equal(split("", &fm), 0);
	assert_false(fm.has_front);
	check_slice(fm.body, "");
	assert_int_equal(fm.body_line, 1);
	memset(&fm, 0xab, sizeof fm);
	assert_int_equal(frontmatter_split(NULL, 0, &fm), 0);
	assert_false(fm.has_front);
	assert_int_equal(fm.body.n, 0);
	assert_int_equal(fm.body_line, 1);
}

static void test_length_not_nul(void **state)
{
	/* Only len bytes count: the closing line is cut off here. */
	const char *t = "---\na: 1\n---\nbody\n";
	frontmatter fm;
	assert_int_equal(frontmatter_split(t, 10, &fm), -1);
	assert_int_equal(frontmatter_split(t, 12, &fm), 0);
	check_slice(fm.body, "");
	/* A NUL inside the text is an ordinary byte. */
	const char z[] = "---\na: \0x\n---\nb";
	assert_int_equal(frontmatter_split(z, sizeof z - 1, &fm), 0);
	assert_int_equal(fm.front.n, 6);
	check_slice(fm.body, "b");
}

static void test_bom(void **state)
{
	const char *t = "\xef\xbb\xbf---\na: 1\n---\nbody\n";
	frontmatter fm;
	assert_int_equal(split(t, &fm), 0);
	assert_true(fm.has_front);
	check_slice(fm.front, "a: 1\n");
	check_slice(fm.body, "body\n");
	assert_int_equal(fm.body_line, 4);
}

static void test_body_line_counts_blank_lines(void **state)
{
	frontmatter fm;
	assert_int_equal(split("---\n\n\na: 1\n\n---\n\nbody\n", &fm), 0);
	check_slice(fm.front, "\n\na: 1\n\n");
	check_slice(fm.body, "\nbody\n");
	assert_int_equal(fm.body_line, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_zero_copy),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_only_delimiters),
		cmocka_unit_test(test_only_delimiters_no_newline),
		cmocka_unit_test(test_trailing_spaces),
		cmocka_unit_test(test_no_newline_after_close),
		cmocka_unit_test(test_dots_close),
		cmocka_unit_test(test_dots_do_not_open),
		cmocka_unit_test(test_not_on_line_one),
		cmocka_unit_test(test_not_a_delimiter),
		cmocka_unit_test(test_close_needs_exact_line),
		cmocka_unit_test(test_first_close_wins),
		cmocka_unit_test(test_unclosed),
		cmocka_unit_test(test_no_front_matter),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_length_not_nul),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_body_line_counts_blank_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
