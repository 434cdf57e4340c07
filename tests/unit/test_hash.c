/*
 * Unit tests for hash.c: hash64 and hash128 (AVX2 where the processor
 * has it) give exactly the numbers of libxxhash's portable build
 * (hash64_portable, hash128_portable) for every length XXH3 treats
 * differently (0, 1-3, 4-8,
 * 9-16, 17-128, 129-240, longer, several stripes and blocks) and any
 * alignment, so a store written by one is read by the other.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "util.h"

#define MAX_LEN 5000

static unsigned char *bytes(void)
{
	unsigned char *b = malloc(MAX_LEN + 16);
	assert_non_null(b);
	unsigned x = 12345;
	for (size_t i = 0; i < MAX_LEN + 16; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 16);
	}
	return b;
}

static void same_as_util_64(void **state)
{
	(void)state;
	unsigned char *b = bytes();
	for (size_t n = 0; n <= MAX_LEN; n += n < 300 ? 1 : 97)
		for (size_t off = 0; off < 3; off++)
			assert_true(hash64(b + off, n, n * 31 + off) ==
				hash64_portable(b + off, n, n * 31 + off));
	free(b);
}

static void same_as_util_128(void **state)
{
	(void)state;
	unsigned char *b = bytes();
	for (size_t n = 0; n <= MAX_LEN; n += n < 300 ? 1 : 97)
		for (size_t off = 0; off < 3; off++) {
			unsigned long long a[2], c[2];
			hash128(b + off, n, HASH64_INIT + n, a);
			hash128_portable(b + off, n, HASH64_INIT + n, c);
			assert_true(a[0] == c[0] && a[1] == c[1]);
		}
	free(b);
}

static void seed_and_bytes_matter(void **state)
{
	(void)state;
	unsigned char *b = bytes();
	unsigned long long h = hash64(b, 1000, 1);
	assert_true(h != hash64(b, 1000, 2));
	b[999] ^= 1;
	assert_true(h != hash64(b, 1000, 1));
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_util_64),
		cmocka_unit_test(same_as_util_128),
		cmocka_unit_test(seed_and_bytes_matter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
