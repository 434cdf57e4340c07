/*
 * Unit tests for kvstore: entries come back as they were put, a damaged
 * byte anywhere (index, segment header, payload) or a cut file is a miss
 * and never wrong bytes, a save writes only what changed (the old segment
 * keeps its inode and size), and compaction keeps the live entries only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kvstore.h"
#include "testutil.h"
#include "util.h"

#define VALIDITY 42u
#define N 64

static char *dir, *path;

static int setup(void **state)
{
	dir = tu_mkdtemp();
	path = tu_path(dir, "store");
	return 0;
}

static int teardown(void **state)
{
	tu_rmrf(dir);
	free(dir);
	free(path);
	return 0;
}

static kv_key key_of(int i)
{
	kv_key k = { { 0x1234567800000000ull + (uint64_t)i, (uint64_t)i * 77 } };
	return k;
}

/* Entry i's bytes: varied lengths, 0 included. */
static size_t value_of(int i, char *out)
{
	size_t n = (size_t)(i * 37) % 300;
	for (size_t j = 0; j < n; j++)
		out[j] = (char)('a' + (i + j) % 26);
	return n;
}

static void put_range(kvstore *s, int from, int to)
{
	char v[300];
	for (int i = from; i < to; i++)
		kvstore_put(s, key_of(i), v, value_of(i, v));
}

/* Is entry i there with its bytes (true), or a miss (false)? Fails the
 * test on wrong bytes. */
static bool check(kvstore *s, int i)
{
	char v[300];
	size_t n = value_of(i, v), len = 0;
	const unsigned char *p = kvstore_get(s, key_of(i), &len);
	if (!p)
		return false;
	assert_int_equal(len, n);
	if (n)
		assert_memory_equal(p, v, n);
	return true;
}

static void make_store(int n)
{
	kvstore *s = kvstore_open(path, VALIDITY);
	put_range(s, 0, n);
	assert_int_equal(kvstore_save(s), 0);
	kvstore_free(s);
}

/* The one segment file's name (the caller frees it). */
static char *only_segment(void)
{
	char *name = tu_find_prefix(dir, "store.");
	assert_non_null(name);
	char *p = tu_path(dir, name);
	free(name);
	return p;
}

static void test_round_trip(void **state)
{
	make_store(N);
	kvstore *s = kvstore_open(path, VALIDITY);
	assert_int_equal(kvstore_count(s), N);
	for (int i = 0; i < N; i++)
		assert_true(check(s, i));
	assert_false(check(s, N));
	/* everything used, nothing new: nothing is written */
	struct stat before, after;
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(kvstore_save(s), 0);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	kvstore_free(s);
	/* another validity sees nothing */
	s = kvstore_open(path, VALIDITY + 1);
	assert_int_equal(kvstore_count(s), 0);
	assert_false(check(s, 0));
	kvstore_free(s);
	/* NULL is the no-cache store */
	assert_null(kvstore_open(NULL, VALIDITY));
	assert_int_equal(kvstore_save(NULL), 0);
	kvstore_free(NULL);
}

static void test_put_twice_and_replace(void **state)
{
	kvstore *s = kvstore_open(path, VALIDITY);
	kvstore_put(s, key_of(1), "first", 5);
	kvstore_put(s, key_of(1), "second", 6);
	assert_int_equal(kvstore_save(s), 0);
	kvstore_free(s);
	s = kvstore_open(path, VALIDITY);
	size_t len;
	const unsigned char *p = kvstore_get(s, key_of(1), &len);
	assert_non_null(p);
	assert_int_equal(len, 5);
	assert_memory_equal(p, "first", 5);
	kvstore_put(s, key_of(1), "third", 5); /* replaces the stored one */
	assert_int_equal(kvstore_save(s), 0);
	/* what was borrowed before the save is still readable */
	assert_memory_equal(p, "first", 5);
	kvstore_free(s);
	s = kvstore_open(path, VALIDITY);
	p = kvstore_get(s, key_of(1), &len);
	assert_non_null(p);
	assert_memory_equal(p, "third", 5);
	assert_int_equal(kvstore_count(s), 1);
	kvstore_free(s);
}

/* Flips byte off of file, or cuts it there when cut. */
static void damage(const char *file, size_t off, bool cut)
{
	char *data;
	size_t len;
	assert_int_equal(read_file(file, &data, &len), 0);
	assert_true(off < len);
	data[off] ^= 0x20;
	FILE *f = fopen(file, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, cut ? off : len, f), cut ? off : len);
	fclose(f);
	free(data);
}

/* Every byte of file flipped (or the file cut there) in turn: every
 * entry is either right or a miss, and some entry misses (every byte of
 * the store is checked by something). */
static void damage_every_byte(const char *file, bool cut, bool seg)
{
	char *orig;
	size_t len;
	assert_int_equal(read_file(file, &orig, &len), 0);
	for (size_t off = 0; off < len; off += seg ? 7 : 1) {
		damage(file, off, cut);
		kvstore *s = kvstore_open(path, VALIDITY);
		int found = 0;
		for (int i = 0; i < 8; i++)
			found += check(s, i);
		assert_true(found < 8);
		kvstore_free(s);
		FILE *f = fopen(file, "wb");
		fwrite(orig, 1, len, f);
		fclose(f);
	}
	free(orig);
}

static void test_damage_is_a_miss(void **state)
{
	make_store(8);
	char *seg = only_segment();
	damage_every_byte(path, false, false);
	damage_every_byte(path, true, false);
	damage_every_byte(seg, false, true);
	damage_every_byte(seg, true, true);
	/* a damaged payload is a miss for its entry alone */
	char v[300];
	size_t n3 = value_of(3, v);
	size_t off = 32;
	for (int i = 0; i < 3; i++)
		off += value_of(i, v);
	assert_true(n3 > 0);
	damage(seg, off, false);
	kvstore *s = kvstore_open(path, VALIDITY);
	for (int i = 0; i < 8; i++)
		assert_int_equal(check(s, i), i != 3);
	kvstore_put(s, key_of(3), v, value_of(3, v)); /* the caller mends it */
	assert_int_equal(kvstore_save(s), 0);
	kvstore_free(s);
	s = kvstore_open(path, VALIDITY);
	for (int i = 0; i < 8; i++)
		assert_true(check(s, i));
	kvstore_free(s);
	/* the mended entry went to a second segment; the first stays */
	assert_int_equal(tu_count_prefix(dir, "store."), 2);
	/* a missing segment: its entries miss */
	assert_int_equal(remove(seg), 0);
	s = kvstore_open(path, VALIDITY);
	for (int i = 0; i < 8; i++)
		assert_int_equal(check(s, i), i == 3);
	kvstore_free(s);
	free(seg);
}

static void test_save_writes_only_what_changed(void **state)
{
	make_store(N);
	char *seg = only_segment();
	struct stat before, after;
	assert_int_equal(stat(seg, &before), 0);
	kvstore *s = kvstore_open(path, VALIDITY);
	for (int i = 0; i < N; i++)
		assert_true(kvstore_keep(s, key_of(i)));
	kvstore_put(s, key_of(N), "new", 3);
	assert_int_equal(kvstore_save(s), 0);
	kvstore_free(s);
	/* the old segment untouched, one small new one beside it */
	assert_int_equal(stat(seg, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_size, after.st_size);
	assert_int_equal(before.st_mtime, after.st_mtime);
	assert_int_equal(tu_count_prefix(dir, "store."), 2);
	s = kvstore_open(path, VALIDITY);
	assert_int_equal(kvstore_count(s), N + 1);
	for (int i = 0; i <= N; i++)
		assert_true(i == N || check(s, i));
	size_t len;
	assert_non_null(kvstore_get(s, key_of(N), &len));
	assert_int_equal(len, 3);
	kvstore_free(s);
	free(seg);
}

static void test_compaction(void **state)
{
	make_store(N);
	char *seg = only_segment();
	struct stat before;
	assert_int_equal(stat(seg, &before), 0);
	/* a third dropped: the segment stays as it is */
	kvstore *s = kvstore_open(path, VALIDITY);
	for (int i = 0; i < N; i++)
		if (i % 3)
			assert_true(kvstore_keep(s, key_of(i)));
	assert_int_equal(kvstore_save(s), 0);
	kvstore_free(s);
	assert_true(tu_exists(dir, strrchr(seg, '/') + 1));
	s = kvstore_open(path, VALIDITY);
	assert_int_equal(kvstore_count(s), N - (N + 2) / 3);
	/* most of the rest dropped: the live ones move to a new segment */
	for (int i = 0; i < N; i++)
		if (i % 3 && i % 4 == 0)
			assert_true(check(s, i));
	assert_int_equal(kvstore_save(s), 0);
	kvstore_free(s);
	assert_false(tu_exists(dir, strrchr(seg, '/') + 1));
	assert_int_equal(tu_count_prefix(dir, "store."), 1);
	char *seg2 = only_segment();
	struct stat after;
	assert_int_equal(stat(seg2, &after), 0);
	assert_true(after.st_size < before.st_size / 3);
	s = kvstore_open(path, VALIDITY);
	for (int i = 0; i < N; i++)
		assert_int_equal(check(s, i), i % 3 && i % 4 == 0);
	kvstore_free(s);
	free(seg);
	free(seg2);
}

static void test_many_saves_stay_few_segments(void **state)
{
	for (int round = 0; round < 30; round++) {
		kvstore *s = kvstore_open(path, VALIDITY);
		for (int i = 0; i < round; i++)
			assert_true(check(s, i));
		put_range(s, round, round + 1);
		assert_int_equal(kvstore_save(s), 0);
		kvstore_free(s);
		assert_true(tu_count_prefix(dir, "store.") <= 8);
	}
	kvstore *s = kvstore_open(path, VALIDITY);
	assert_int_equal(kvstore_count(s), 30);
	kvstore_free(s);
}

static void test_unwritable(void **state)
{
	char *p = tu_path(dir, "missing/deeper/store");
	kvstore *s = kvstore_open(p, VALIDITY);
	kvstore_put(s, key_of(1), "x", 1);
	assert_int_equal(kvstore_save(s), -1);
	kvstore_free(s);
	free(p);
	/* and a failed save leaves the old state */
	make_store(4);
	chmod(dir, 0555);
	s = kvstore_open(path, VALIDITY);
	kvstore_put(s, key_of(9), "x", 1);
	int rc = kvstore_save(s);
	kvstore_free(s);
	chmod(dir, 0755);
	if (rc == 0)
		return; /* running as root */
	s = kvstore_open(path, VALIDITY);
	for (int i = 0; i < 4; i++)
		assert_true(check(s, i));
	kvstore_free(s);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_round_trip),
		T(test_put_twice_and_replace),
		T(test_damage_is_a_miss),
		T(test_save_writes_only_what_changed),
		T(test_compaction),
		T(test_many_saves_stay_few_segments),
		T(test_unwritable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
