/*
 * kvstore_hash: XXH3 (the same numbers as hash64 and hash128 in util.h)
 * for the caches' checksums and keys, which hash every byte a rebuild
 * reads from them: with AVX2 where the processor has it, three times the
 * speed of libxxhash's build for any x86-64 (SSE2). XXH3's result does
 * not depend on the vector width, so stores written either way read the
 * same.
 */
#ifndef ENQUIRE_KVSTORE_HASH_H
#define ENQUIRE_KVSTORE_HASH_H

#include <stddef.h>

unsigned long long kv_hash64(const void *p, size_t n, unsigned long long seed);
void kv_hash128(const void *p, size_t n, unsigned long long seed,
	unsigned long long out[2]);

#endif
