/*
 * Unit tests for util: the growable buffer (its never-NULL, always
 * NUL-terminated invariant across growth), HTML escaping, slices, UTF-8
 * validation (every class of malformed sequence, with its offset) and
 * whole-file reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "testutil.h"

/* ---- buf ---- */

static void test_buf_init_is_empty_string(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* Appending nothing allocates nothing. */
	buf_put(&b, "x", 0);
	buf_puts(&b, "");
	assert_ptr_equal(b.p, buf_empty_);
	assert_int_equal(b.cap, 0);
	buf_release(&b);
	assert_ptr_equal(b.p, buf_empty_);
}

static void test_buf_growth_keeps_contents(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	size_t last_cap = 0;
	for (size_t i = 0; i < 20000; i++) {
		buf_putc(&b, (char)('a' + i % 26));
		assert_int_equal(b.len, i + 1);
		assert_true(b.cap >= b.len + 1);
		assert_int_equal(b.p[b.len], '\0');
		assert_true(b.cap >= last_cap); /* never shrinks */
		last_cap = b.cap;
	}
	for (size_t i = 0; i < 20000; i++)
		assert_int_equal(b.p[i], 'a' + i % 26);
	assert_int_equal(strlen(b.p), 20000);
	buf_release(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void test_buf_put_large_blocks(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	char block[1000];
	for (size_t i = 0; i < sizeof block; i++)
		block[i] = (char)('0' + i % 10);
	for (int k = 0; k < 37; k++)
		buf_put(&b, block, sizeof block);
	assert_int_equal(b.len, 37000);
	assert_int_equal(b.p[37000], '\0');
	for (size_t i = 0; i < 37000; i++)
		assert_int_equal(b.p[i], '0' + (i % 1000) % 10);
	buf_release(&b);
}

static void test_buf_embedded_nul(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_put(&b, "a\0b", 3);
	buf_putc(&b, '\0');
	buf_putc(&b, 'c');
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.p, "a\0b\0c", 6);
	buf_release(&b);
}

static void test_buf_printf(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_printf(&b, "%s-%d", "claim", 4);
	buf_printf(&b, "%s", "");
	buf_printf(&b, "/%05.1f", 2.25);
	assert_string_equal(b.p, "claim-4/002.2");
	assert_int_equal(b.len, strlen("claim-4/002.2"));
	/* One call much larger than the first allocation. */
	char big[3001];
	memset(big, 'z', 3000);
	big[3000] = '\0';
	buf_printf(&b, "[%s]", big);
	assert_int_equal(b.len, 13 + 3002);
	assert_int_equal(b.p[13], '[');
	assert_int_equal(b.p[13 + 3001], ']');
	assert_int_equal(b.p[b.len], '\0');
	buf_release(&b);
}

/* Formatting into the free space: a result that fits, one that does
 * not (formatted again after growing), and one that exactly fills it. */
static void test_buf_printf_into_free_space(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_puts(&b, "abc");
	size_t room = b.cap - b.len - 1;
	buf_printf(&b, "%d", 7);
	assert_string_equal(b.p, "abc7");
	room = b.cap - b.len - 1; /* exactly fills: no growth needed */
	char *fill = xcalloc(room + 1, 1);
	memset(fill, 'f', room);
	buf_printf(&b, "%s", fill);
	assert_int_equal(b.len, 4 + room);
	assert_int_equal(b.p[b.len], '\0');
	buf_printf(&b, "%s|%s", fill, "end"); /* does not fit */
	assert_int_equal(b.len, 4 + 2 * room + 4);
	assert_memory_equal(b.p + 4 + 2 * room, "|end", 5);
	free(fill);
	buf_release(&b);
}

/* buf_put_fixed1 and buf_put_g against printf itself, on numbers from
 * charts (coordinates, ties, negative zero) and on random ones. */
static void expect_like_printf(double v)
{
	char want[512];
	buf b = BUF_INIT;
	snprintf(want, sizeof want, "%.1f", v);
	buf_put_fixed1(&b, v);
	if (strcmp(b.p, want) != 0)
		fail_msg("%%.1f of %.17g: '%s', printf says '%s'", v, b.p, want);
	buf_clear(&b);
	snprintf(want, sizeof want, "%g", v);
	buf_put_g(&b, v);
	if (strcmp(b.p, want) != 0)
		fail_msg("%%g of %.17g: '%s', printf says '%s'", v, b.p, want);
	buf_release(&b);
}

static void test_buf_put_numbers_like_printf(void **state)
{
	(void)state;
	static const double fixed[] = { 0, -0.0, 0.05, 0.15, 0.25, 0.35, -0.04,
		-0.05, -0.25, 1.005, 2.675, 48, 348, 150, 30.000000001, 99.95,
		-12.34, 999999, 1e6, -999999, 123456.78, 1e9, 1e15, 1e300, -1e-300,
		4.94e-324, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 1e-7 };
	for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
		expect_like_printf(fixed[i]);
	expect_like_printf(NAN);
	expect_like_printf(INFINITY);
	expect_like_printf(-INFINITY);
	unsigned long long x = 88172645463325252ULL; /* xorshift64 */
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double scale = (double)(1ULL << (x % 24)) / 1024;
		double v = (double)(x >> 11) / (double)(1ULL << 53) * scale;
		if (x & 1)
			v = -v;
		expect_like_printf(v);
		/* exact ties and round coordinates */
		expect_like_printf((double)(long long)(v * 100) / 100);
		expect_like_printf((double)(long long)(v * 20) / 20);
	}
}

static void test_json_escapes_and_runs(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_put_json(&b, "plain text, then \"q\" \\ <a>&\n\t\r\x01 caf\xc3\xa9");
	assert_string_equal(b.p, "\"plain text, then \\\"q\\\" \\\\ "
		"\\u003ca\\u003e\\u0026\\n\\t\\r\\u0001 caf\xc3\xa9\"");
	buf_clear(&b);
	buf_put_json(&b, "");
	assert_string_equal(b.p, "\"\"");
	buf_release(&b);
}

static void test_buf_printf_empty_leaves_empty(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_printf(&b, "%s", "");
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_buf_truncate_and_clear(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_puts(&b, "hello world");
	buf_truncate(&b, 5);
	assert_string_equal(b.p, "hello");
	assert_int_equal(b.len, 5);
	buf_truncate(&b, 100); /* longer than len: nothing happens */
	assert_string_equal(b.p, "hello");
	assert_int_equal(b.len, 5);
	size_t cap = b.cap;
	buf_clear(&b);
	assert_string_equal(b.p, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, cap); /* keeps its memory for reuse */
	buf_puts(&b, "again");
	assert_string_equal(b.p, "again");
	buf_release(&b);
	/* Truncating and clearing an empty buffer is fine. */
	buf_truncate(&b, 0);
	buf_clear(&b);
	assert_string_equal(b.p, "");
}

static void test_buf_detach(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_puts(&b, "owned");
	char *s = buf_detach(&b);
	assert_string_equal(s, "owned");
	assert_ptr_equal(b.p, buf_empty_);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* The buffer is usable again and independent of s. */
	buf_puts(&b, "new");
	assert_string_equal(s, "owned");
	free(s);
	buf_release(&b);
	/* Detaching an empty buffer gives a fresh "" that must be freed. */
	char *e = buf_detach(&b);
	assert_non_null(e);
	assert_string_equal(e, "");
	assert_ptr_not_equal(e, buf_empty_);
	free(e);
}

/* Out of memory is policy, not an error path: it aborts. */
static void grow_past_size_max(void)
{
	buf b = BUF_INIT;
	buf_puts(&b, "x");
	buf_grow(&b, SIZE_MAX - 2);
}

static void test_buf_grow_overflow_aborts(void **state)
{
	(void)state;
	assert_true(tu_aborts(grow_past_size_max));
}

/* ---- HTML escaping ---- */

static void html(const char *in, size_t n, const char *want, size_t want_n)
{
	buf b = BUF_INIT;
	buf_puts(&b, "<");
	buf_put_html(&b, in, n);
	assert_int_equal(b.len, want_n + 1);
	assert_int_equal(b.p[0], '<'); /* appends, keeps what was there */
	assert_memory_equal(b.p + 1, want, want_n);
	assert_int_equal(b.p[b.len], '\0');
	buf_release(&b);
}

#define HTML(in, want) html(in, strlen(in), want, strlen(want))

static void test_html_escapes_each_special(void **state)
{
	(void)state;
	HTML("&", "&amp;");
	HTML("<", "&lt;");
	HTML(">", "&gt;");
	HTML("\"", "&quot;");
	HTML("'", "&#39;");
	HTML("<a href=\"x\">Tom & Jerry's</a>",
		"&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
	HTML("&&&", "&amp;&amp;&amp;");
	HTML("&amp;", "&amp;amp;"); /* never treats input as escaped */
}

static void test_html_plain_text_unchanged(void **state)
{
	(void)state;
	HTML("", "");
	HTML("plain text, 100% safe: yes/no = ok?", "plain text, 100% safe: yes/no = ok?");
	HTML("caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac");
}

static void test_html_respects_length(void **state)
{
	(void)state;
	/* Only the first n bytes are read; NULs inside are kept. */
	html("a<b>c", 2, "a&lt;", 5);
	html("x\0<", 3, "x\0&lt;", 6);
	html("<<", 0, "", 0);
}

/* ---- slices and strings ---- */

static void test_slices(void **state)
{
	(void)state;
	slice s = slice_from("pedagogy-4");
	assert_int_equal(s.n, 10);
	assert_true(slice_eq(s, "pedagogy-4"));
	assert_false(slice_eq(s, "pedagogy-40"));
	assert_false(slice_eq(s, "pedagogy-"));
	assert_false(slice_eq(s, ""));
	slice part = { s.p, 8 };
	assert_true(slice_eq(part, "pedagogy"));
	char *dup = slice_dup(part);
	assert_string_equal(dup, "pedagogy");
	free(dup);

	slice none = slice_from(NULL);
	assert_null(none.p);
	assert_int_equal(none.n, 0);
	assert_true(slice_eq(none, ""));
	assert_true(slice_eq(SLICE_NULL, ""));
	assert_false(slice_eq(SLICE_NULL, "x"));
	char *empty = slice_dup(SLICE_NULL);
	assert_string_equal(empty, "");
	free(empty);
}

static void test_strings(void **state)
{
	(void)state;
	char *a = xstrdup("abc");
	char *b = xstrndup("abcdef", 4);
	char *c = xasprintf("%s/%03d", "x", 7);
	char *e = xasprintf("%s", "");
	assert_string_equal(a, "abc");
	assert_string_equal(b, "abcd");
	assert_string_equal(c, "x/007");
	assert_string_equal(e, "");
	free(a);
	free(b);
	free(c);
	free(e);
	/* Zero-size allocations still give unique, freeable pointers. */
	void *z1 = xmalloc(0), *z2 = xcalloc(0, 0);
	assert_non_null(z1);
	assert_non_null(z2);
	z1 = xrealloc(z1, 0);
	assert_non_null(z1);
	free(z1);
	free(z2);
}

/* ---- UTF-8 ---- */

static void valid(const char *s, size_t n)
{
	size_t off = 12345;
	if (!utf8_valid(s, n, &off))
		fail_msg("expected valid UTF-8, bad at offset %zu", off);
	assert_int_equal(off, 12345); /* untouched on success */
}

static void invalid(const char *s, size_t n, size_t want_off)
{
	size_t off = 12345;
	assert_false(utf8_valid(s, n, &off));
	assert_int_equal(off, want_off);
	assert_false(utf8_valid(s, n, NULL)); /* the offset is optional */
}

#define VALID(s) valid(s, sizeof(s) - 1)
#define INVALID(s, off) invalid(s, sizeof(s) - 1, off)

static void test_utf8_valid_text(void **state)
{
	(void)state;
	VALID("");
	valid(NULL, 0);
	VALID("plain ASCII\ttext\r\n~\x7f");
	VALID("caf\xc3\xa9");                /* 2 bytes */
	VALID("\xc2\x80");                   /* smallest 2-byte */
	VALID("\xdf\xbf");                   /* largest 2-byte */
	VALID("\xe2\x82\xac");               /* euro sign, 3 bytes */
	VALID("\xe0\xa0\x80");               /* smallest 3-byte */
	VALID("\xed\x9f\xbf");               /* U+D7FF, just below surrogates */
	VALID("\xee\x80\x80");               /* U+E000, just above */
	VALID("\xef\xbf\xbf");               /* U+FFFF */
	VALID("\xf0\x9f\x98\x80");           /* emoji, 4 bytes */
	VALID("\xf0\x90\x80\x80");           /* smallest 4-byte */
	VALID("\xf4\x8f\xbf\xbf");           /* U+10FFFF, the last code point */
	VALID("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z");
}

static void test_utf8_overlongs(void **state)
{
	(void)state;
	INVALID("\xc0\x80", 0);               /* overlong NUL */
	INVALID("\xc0\xaf", 0);               /* overlong '/' */
	INVALID("\xc1\xbf", 0);               /* overlong 0x7F */
	INVALID("\xe0\x80\x80", 0);
	INVALID("\xe0\x9f\xbf", 0);           /* U+07FF in 3 bytes */
	INVALID("\xf0\x80\x80\x80", 0);
	INVALID("\xf0\x8f\xbf\xbf", 0);       /* U+FFFF in 4 bytes */
	INVALID("ok \xe0\x80\xaf", 3);
}

static void test_utf8_surrogates_and_range(void **state)
{
	(void)state;
	INVALID("\xed\xa0\x80", 0);           /* U+D800 */
	INVALID("\xed\xbf\xbf", 0);           /* U+DFFF */
	INVALID("x\xed\xb2\x80", 1);          /* a low surrogate */
	INVALID("\xed\xa0\xbd\xed\xb8\x80", 0); /* CESU-8 pair */
	INVALID("\xf4\x90\x80\x80", 0);       /* U+110000 */
	INVALID("\xf7\xbf\xbf\xbf", 0);
	INVALID("\xf8\x88\x80\x80\x80", 0);   /* 5-byte form */
	INVALID("\xfc\x84\x80\x80\x80\x80", 0);
	INVALID("\xfe", 0);
	INVALID("\xff", 0);
}

static void test_utf8_bad_continuations(void **state)
{
	(void)state;
	INVALID("\x80", 0);                   /* lone continuation */
	INVALID("ab\xbf", 2);
	INVALID("\xc3\x28", 0);               /* continuation missing */
	INVALID("\xe2\x28\xa1", 0);
	INVALID("\xe2\x82\x28", 0);
	INVALID("\xf0\x9f\x98\x28", 0);
	INVALID("\xc3\xa9\xc3\xc3", 2);       /* offset after a good char */
}

static void test_utf8_truncated(void **state)
{
	(void)state;
	INVALID("a\xc3", 1);
	INVALID("\xe2\x82", 0);
	INVALID("\xe2", 0);
	INVALID("xyz\xf0\x9f\x98", 3);
	INVALID("\xf0", 0);
	/* The length given is what counts, not the bytes that follow. */
	invalid("\xc3\xa9", 1, 0);
	invalid("ab\xf0\x9f\x98\x80", 5, 2);
	valid("ab\xf0\x9f\x98\x80", 2);
}

static void test_utf8_nul(void **state)
{
	(void)state;
	invalid("\0", 1, 0);
	invalid("ab\0c", 4, 2);
	invalid("\xc3\xa9\0", 3, 2);
	valid("ab\0c", 2); /* the NUL is outside the length */
}

/* Long ASCII runs are checked 16 bytes at a time: a bad byte at every
 * position of a long run, and a good multibyte character inside one, must
 * still be found (or passed) at its exact offset. */
static void test_utf8_long_runs(void **state)
{
	(void)state;
	char text[80];
	memset(text, 'a', sizeof text);
	valid(text, sizeof text);
	for (size_t at = 0; at < sizeof text; at++) {
		static const char bad[] = { '\0', '\x80', '\xff', '\xc3' };
		for (size_t b = 0; b < sizeof bad; b++) {
			text[at] = bad[b];
			invalid(text, sizeof text, at);
		}
		text[at] = '\x7f'; /* the largest ASCII byte is fine */
		valid(text, sizeof text);
		text[at] = 'a';
	}
	for (size_t at = 0; at + 2 <= sizeof text; at++) {
		memcpy(text + at, "\xc3\xa9", 2);
		valid(text, sizeof text);
		text[at + 1] = '\x01'; /* continuation missing */
		invalid(text, sizeof text, at);
		memset(text + at, 'a', 2);
	}
}

/* ---- read_file ---- */

static void test_read_file_missing(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *path = tu_path(dir, "no-such-file.md");
	char untouched[] = "untouched";
	char *out = untouched;
	size_t len = 77;
	errno = 0;
	assert_int_equal(read_file(path, &out, &len), -1);
	assert_int_equal(errno, ENOENT);
	free(path);
	path = tu_path(dir, "missing-folder/x.md");
	errno = 0;
	assert_int_equal(read_file(path, &out, &len), -1);
	assert_int_equal(errno, ENOENT);
	free(path);
	assert_int_equal(tu_rmrf(dir), 0);
	free(dir);
}

static void test_read_file_folder_fails(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *out = NULL;
	size_t len = 0;
	errno = 0;
	assert_int_equal(read_file(dir, &out, &len), -1);
	assert_int_equal(errno, EISDIR);
	assert_null(out);
	assert_int_equal(tu_rmrf(dir), 0);
	free(dir);
}

static void test_read_file_contents(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	/* Bigger than read_file's 64 KiB chunk, with NULs in it. */
	size_t n = 200001;
	char *data = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7 % 251);
	tu_write_n(dir, "big.bin", data, n);
	tu_write(dir, "empty", "");
	tu_write(dir, "small.md", "---\ntitle: x\n---\n");

	char *path = tu_path(dir, "big.bin");
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(read_file(path, &out, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(out, data, n);
	assert_int_equal(out[n], '\0');
	free(out);
	free(path);

	path = tu_path(dir, "empty");
	out = NULL;
	len = 99;
	assert_int_equal(read_file(path, &out, &len), 0);
	assert_int_equal(len, 0);
	assert_non_null(out);
	assert_string_equal(out, "");
	free(out);
	free(path);

	path = tu_path(dir, "small.md");
	assert_int_equal(read_file(path, &out, &len), 0);
	assert_int_equal(len, 17);
	assert_string_equal(out, "---\ntitle: x\n---\n");
	free(out);
	free(path);

	free(data);
	assert_int_equal(tu_rmrf(dir), 0);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_init_is_empty_string),
		cmocka_unit_test(test_buf_growth_keeps_contents),
		cmocka_unit_test(test_buf_put_large_blocks),
		cmocka_unit_test(test_buf_embedded_nul),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_printf_empty_leaves_empty),
		cmocka_unit_test(test_buf_printf_into_free_space),
		cmocka_unit_test(test_buf_put_numbers_like_printf),
		cmocka_unit_test(test_json_escapes_and_runs),
		cmocka_unit_test(test_buf_truncate_and_clear),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_buf_grow_overflow_aborts),
		cmocka_unit_test(test_html_escapes_each_special),
		cmocka_unit_test(test_html_plain_text_unchanged),
		cmocka_unit_test(test_html_respects_length),
		cmocka_unit_test(test_slices),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_utf8_valid_text),
		cmocka_unit_test(test_utf8_overlongs),
		cmocka_unit_test(test_utf8_surrogates_and_range),
		cmocka_unit_test(test_utf8_bad_continuations),
		cmocka_unit_test(test_utf8_truncated),
		cmocka_unit_test(test_utf8_nul),
		cmocka_unit_test(test_utf8_long_runs),
		cmocka_unit_test(test_read_file_missing),
		cmocka_unit_test(test_read_file_folder_fails),
		cmocka_unit_test(test_read_file_contents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
