/*
 * Unit tests for text: word boundaries (apostrophes, hyphens, digits,
 * punctuation), folding (case, accents, ligatures, non-Latin scripts),
 * invalid UTF-8, over-long words, positions and offsets, stop words and
 * Snowball stemming, and stopping early.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "text.h"
#include "util.h"

/* The tokens of a text, as "term@position" joined by spaces. */
typedef struct {
	buf out;
	int stop_after; /* 0: never stop */
	int seen;
} collect;

static int collect_token(void *ctx, const text_token *t)
{
	collect *c = ctx;
	if (c->out.len)
		buf_putc(&c->out, ' ');
	buf_put(&c->out, t->term, t->len);
	assert_int_equal(strlen(t->term), t->len);
	char pos[16];
	snprintf(pos, sizeof pos, "@%u", t->position);
	buf_puts(&c->out, pos);
	c->seen++;
	return c->stop_after && c->seen >= c->stop_after;
}

static void expect_tokens(const char *in, const char *want)
{
	collect c = { BUF_INIT, 0, 0 };
	text_tokenize(in, strlen(in), collect_token, &c);
	assert_string_equal(c.out.p, want);
	buf_release(&c.out);
}

static void expect_analysed(unsigned flags, const char *in, const char *want)
{
	text_stemmer *st = text_stemmer_new();
	collect c = { BUF_INIT, 0, 0 };
	text_analyse(st, flags, in, strlen(in), collect_token, &c);
	assert_string_equal(c.out.p, want);
	buf_release(&c.out);
	text_stemmer_free(st);
}

static void test_words_and_punctuation(void **state)
{
	(void)state;
	expect_tokens("Lesson study, in maths!", "lesson@0 study@1 in@2 maths@3");
	expect_tokens("", "");
	expect_tokens("  ... --- ", "");
	expect_tokens("(pupil voice)", "pupil@0 voice@1");
}

static void test_apostrophes(void **state)
{
	(void)state;
	expect_tokens("don't", "dont@0");
	expect_tokens("pupils' work", "pupils@0 work@1");
	expect_tokens("the teacher\xe2\x80\x99s role", "the@0 teachers@1 role@2");
	expect_tokens("'quoted'", "quoted@0");
	expect_tokens("end'", "end@0");
}

static void test_hyphens_and_numbers(void **state)
{
	(void)state;
	expect_tokens("P-levels", "p@0 levels@1");
	expect_tokens("KS2 and Year 3", "ks2@0 and@1 year@2 3@3");
	expect_tokens("3.5%", "3@0 5@1");
	expect_tokens("co-operative", "co@0 operative@1");
}

static void test_folding(void **state)
{
	(void)state;
	expect_tokens("Caf\xc3\xa9 NA\xc3\x8fVE", "cafe@0 naive@1");
	/* decomposed e + combining acute accent */
	expect_tokens("cafe\xcc\x81", "cafe@0");
	expect_tokens("Stra\xc3\x9f" "e", "strasse@0"); /* sharp s */
	expect_tokens("\xef\xac\x81nd", "find@0"); /* fi ligature */
	expect_tokens("\xce\x9a\xce\xb1\xce\xbb\xce\xb7", "\xce\xba\xce\xb1\xce\xbb\xce\xb7@0");
	/* L with stroke has no decomposition: lower-cased, kept */
	expect_tokens("\xc5\x81\xc3\xb3" "d\xc5\xba", "\xc5\x82odz@0");
}

static void test_invalid_utf8_separates(void **state)
{
	(void)state;
	expect_tokens("ab\xff" "cd", "ab@0 cd@1");
	expect_tokens("ab\xe2\x80", "ab@0"); /* truncated sequence at the end */
	expect_tokens("\xc0\xaf" "x", "x@0"); /* overlong encoding */
}

static void test_long_words_skipped_but_counted(void **state)
{
	(void)state;
	char in[300];
	memset(in, 'x', 200);
	strcpy(in + 200, " after");
	expect_tokens(in, "after@1");
}

static int record_span(void *ctx, const text_token *t)
{
	buf *b = ctx;
	char s[32];
	snprintf(s, sizeof s, "%zu+%zu ", t->offset, t->length);
	buf_puts(b, s);
	return 0;
}

static void test_offsets_point_at_the_input(void **state)
{
	(void)state;
	const char *in = "  Caf\xc3\xa9 au lait, don't";
	buf b = BUF_INIT;
	text_tokenize(in, strlen(in), record_span, &b);
	assert_string_equal(b.p, "2+5 8+2 11+4 17+5 ");
	buf_release(&b);
}

static void test_stop_early(void **state)
{
	(void)state;
	collect c = { BUF_INIT, 2, 0 };
	size_t n = text_tokenize("one two three four", 18, collect_token, &c);
	assert_string_equal(c.out.p, "one@0 two@1");
	assert_int_equal(n, 2);
	buf_release(&c.out);
}

static void test_stopwords(void **state)
{
	(void)state;
	assert_true(text_is_stopword("the", 3));
	assert_true(text_is_stopword("a", 1));
	assert_true(text_is_stopword("yourselves", 10));
	assert_false(text_is_stopword("ther", 4)); /* a prefix of "there" */
	assert_false(text_is_stopword("lesson", 6));
	assert_false(text_is_stopword("ks2", 3));
	assert_false(text_is_stopword("", 0));
}

static void test_stemming(void **state)
{
	(void)state;
	text_stemmer *st = text_stemmer_new();
	size_t n;
	assert_string_equal(text_stem(st, "questioning", 11, &n), "question");
	assert_int_equal(n, 8);
	assert_string_equal(text_stem(st, "studies", 7, &n), "studi");
	assert_string_equal(text_stem(st, "study", 5, &n), "studi");
	assert_string_equal(text_stem(st, "ks2", 3, &n), "ks2");
	text_stemmer_free(st);
}

static void test_analyse(void **state)
{
	(void)state;
	/* positions keep counting dropped stop words, for phrase queries */
	expect_analysed(TEXT_STEM | TEXT_DROP_STOPWORDS,
		"The teachers questioned the pupils",
		"teacher@1 question@2 pupil@4");
	expect_analysed(TEXT_DROP_STOPWORDS, "the lesson studies",
		"lesson@1 studies@2");
	expect_analysed(0, "The end", "the@0 end@1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_punctuation),
		cmocka_unit_test(test_apostrophes),
		cmocka_unit_test(test_hyphens_and_numbers),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_invalid_utf8_separates),
		cmocka_unit_test(test_long_words_skipped_but_counted),
		cmocka_unit_test(test_offsets_point_at_the_input),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_stopwords),
		cmocka_unit_test(test_stemming),
		cmocka_unit_test(test_analyse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
