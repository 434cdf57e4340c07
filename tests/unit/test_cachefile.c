/*
 * Unit tests for cachefile: integers round-trip little-endian; the reader
 * never reads past the end and stays bad after the first overrun; counts
 * that cannot fit are refused; a file is replaced whole, and a failed
 * write leaves the old file and no temp file behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cachefile.h"
#include "search_int.h"
#include "util.h"

static void test_integers_round_trip(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	cf_put_u8(&b, 0xab);
	cf_put_u32(&b, 0x01020304u);
	cf_put_u64(&b, 0x1122334455667788ull);
	assert_int_equal(b.len, 13);
	/* little-endian on every machine */
	assert_int_equal((unsigned char)b.p[1], 0x04);
	assert_int_equal((unsigned char)b.p[5], 0x88);
	cf_reader r = { (const unsigned char *)b.p, b.len, 0, false };
	assert_int_equal(cf_get_u8(&r), 0xab);
	assert_int_equal(cf_get_u32(&r), 0x01020304u);
	assert_true(cf_get_u64(&r) == 0x1122334455667788ull);
	assert_false(r.bad);
	assert_int_equal(r.at, r.n);
	buf_release(&b);
}

static void test_varint_matches_the_search_encoding(void **state)
{
	(void)state;
	const uint64_t vals[] = { 0, 1, 127, 128, 300, 16383, 16384,
		UINT32_MAX, UINT64_MAX };
	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
		unsigned char x[10];
		size_t n = search_put_varint(x, vals[i]);
		cf_reader r = { x, n, 0, false };
		assert_true(cf_get_varint(&r) == vals[i]);
		assert_false(r.bad);
		assert_int_equal(r.at, n);
		/* cut short: bad, and zero */
		cf_reader cut = { x, n - 1, 0, false };
		assert_true(cf_get_varint(&cut) == 0);
		assert_true(cut.bad);
	}
	/* eleven continuation bytes: no 64-bit number is that long */
	unsigned char endless[11];
	memset(endless, 0xff, sizeof endless);
	cf_reader r = { endless, sizeof endless, 0, false };
	cf_get_varint(&r);
	assert_true(r.bad);
}

static void test_reader_stays_bad_after_an_overrun(void **state)
{
	(void)state;
	const unsigned char data[6] = { 1, 2, 3, 4, 5, 6 };
	cf_reader r = { data, sizeof data, 0, false };
	assert_int_equal(cf_get_u32(&r), 0x04030201u);
	assert_true(cf_get_u32(&r) == 0); /* two bytes left */
	assert_true(r.bad);
	/* the two bytes that were left are not handed out afterwards */
	assert_null(cf_take(&r, 1));
	assert_int_equal(cf_get_u8(&r), 0);
	assert_int_equal(r.at, 4);
}

static void test_fits_refuses_counts_the_rest_cannot_hold(void **state)
{
	(void)state;
	unsigned char data[16] = { 0 };
	cf_reader r = { data, sizeof data, 0, false };
	assert_int_equal(cf_fits(&r, 4, 4), 4);
	assert_false(r.bad);
	assert_int_equal(cf_fits(&r, 5, 4), 0);
	assert_true(r.bad);
	cf_reader r2 = { data, sizeof data, 0, false };
	assert_int_equal(cf_fits(&r2, UINT64_MAX, 1), 0);
	assert_true(r2.bad);
	cf_reader r3 = { data, sizeof data, 0, false };
	assert_int_equal(cf_fits(&r3, 16, 0), 16); /* min 0 counts as 1 */
}

/* Files in dir whose name starts with prefix. */
static int count_files(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

static void test_replace_is_whole_or_nothing(void **state)
{
	(void)state;
	char dir[] = "/tmp/enquire-cachefile-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *file = xasprintf("%s/cache", dir);
	assert_int_equal(cf_replace(file, "first", 5), 0);
	assert_int_equal(cf_replace(file, "second", 6), 0);
	char *data;
	size_t len;
	assert_int_equal(read_file(file, &data, &len), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(data, "second", 6);
	free(data);
	assert_int_equal(count_files(dir, "cache.tmp"), 0);

	/* A write that fails partway: the old file stays, no temp file. */
	cf_writer w;
	cf_writer_open(&w, file);
	cf_writer_put(&w, "third", 5);
	w.ok = false; /* as after a failed fwrite */
	assert_int_equal(cf_writer_close(&w), -1);
	assert_int_equal(read_file(file, &data, &len), 0);
	assert_memory_equal(data, "second", 6);
	free(data);
	assert_int_equal(count_files(dir, "cache.tmp"), 0);

	/* A folder that does not exist: -1, nothing made. */
	char *missing = xasprintf("%s/no/such/cache", dir);
	assert_int_equal(cf_replace(missing, "x", 1), -1);
	free(missing);

	unlink(file);
	rmdir(dir);
	free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers_round_trip),
		cmocka_unit_test(test_varint_matches_the_search_encoding),
		cmocka_unit_test(test_reader_stays_bad_after_an_overrun),
		cmocka_unit_test(test_fits_refuses_counts_the_rest_cannot_hold),
		cmocka_unit_test(test_replace_is_whole_or_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
