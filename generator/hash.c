/*
 * hash: hash64 and hash128 (util.h). Caches check every byte a rebuild
 * reads from them and pages are fingerprinted by hashing their data, so
 * the speed matters: on a processor with AVX2, XXH3 is compiled here from
 * libxxhash's header for that target (a third of the instructions per
 * byte of the library's build for any x86-64) and chosen at run time;
 * otherwise the library's (util.c). XXH3's numbers do not depend on the
 * vector width, so stores written either way read the same
 * (tests/unit/test_hash.c).
 */
#include "util.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__AVX2__)
#define HASH_DISPATCH 1
#pragma GCC push_options
#pragma GCC target("avx2")
#define XXH_INLINE_ALL
#include <xxhash.h>

__attribute__((target("avx2"))) static unsigned long long avx2_64(
	const void *p, size_t n, unsigned long long seed)
{
	return XXH3_64bits_withSeed(p, n, seed);
}

__attribute__((target("avx2"))) static void avx2_128(const void *p, size_t n,
	unsigned long long seed, unsigned long long out[2])
{
	XXH128_hash_t h = XXH3_128bits_withSeed(p, n, seed);
	out[0] = h.low64;
	out[1] = h.high64;
}
#pragma GCC pop_options
#endif

unsigned long long hash64(const void *p, size_t n, unsigned long long h)
{
#ifdef HASH_DISPATCH
	if (__builtin_cpu_supports("avx2"))
		return avx2_64(p, n, h);
#endif
	return hash64_portable(p, n, h);
}

void hash128(const void *p, size_t n, unsigned long long seed,
	unsigned long long out[2])
{
#ifdef HASH_DISPATCH
	if (__builtin_cpu_supports("avx2")) {
		avx2_128(p, n, seed, out);
		return;
	}
#endif
	hash128_portable(p, n, seed, out);
}
