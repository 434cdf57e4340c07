/*
 * kvstore_hash: see kvstore_hash.h. The AVX2 versions are XXH3 compiled
 * from xxhash.h for that target, called only after the processor said it
 * has AVX2; anything else goes to util.c (libxxhash).
 */
#include "kvstore_hash.h"

#include "util.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__AVX2__)
#define KV_DISPATCH 1
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

/* A read of what libgcc found at startup. */
static bool has_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}
#endif

unsigned long long kv_hash64(const void *p, size_t n, unsigned long long seed)
{
#ifdef KV_DISPATCH
	if (has_avx2())
		return avx2_64(p, n, seed);
#endif
	return hash64(p, n, seed);
}

void kv_hash128(const void *p, size_t n, unsigned long long seed,
	unsigned long long out[2])
{
#ifdef KV_DISPATCH
	if (has_avx2()) {
		avx2_128(p, n, seed, out);
		return;
	}
#endif
	hash128(p, n, seed, out);
}
