/*
 * hashkey: a key that stands for the inputs of a pure function (a
 * chart's, a citation's), for incremental.h's keyed strings. The inputs
 * are written into one buffer, unambiguously (a string as its length and
 * bytes, NULL apart from ""; numbers as 8 little-endian bytes, so a key,
 * and so a site's build id, is the same on every machine) and hashed a
 * buffer at a time, not a field at a time (XXH3's setup would cost more
 * than the bytes).
 */
#ifndef ENQUIRE_HASHKEY_H
#define ENQUIRE_HASHKEY_H

#include <stdint.h>
#include <string.h>

#include "util.h"

typedef struct {
	unsigned long long h;
	size_t len;
	unsigned char b[512];
} hashkey;

/* Hashes what the buffer holds into h: the same inputs always flush at
 * the same places, so the key is still theirs alone. */
static inline void hashkey_flush(hashkey *k)
{
	if (k->len)
		k->h = hash64(k->b, k->len, k->h);
	k->len = 0;
}

static inline void hashkey_put(hashkey *k, const void *p, size_t n)
{
	if (n > sizeof k->b - k->len) {
		hashkey_flush(k);
		if (n > sizeof k->b) {
			k->h = hash64(p, n, k->h);
			return;
		}
	}
	memcpy(k->b + k->len, p, n);
	k->len += n;
}

static inline void hashkey_u64(hashkey *k, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	hashkey_put(k, b, sizeof b);
}

static inline void hashkey_init(hashkey *k, const char *what)
{
	k->h = HASH64_INIT;
	k->len = 0;
	hashkey_put(k, what, strlen(what) + 1);
}

static inline void hashkey_str(hashkey *k, const char *s)
{
	if (!s) {
		hashkey_u64(k, UINT64_MAX); /* no string is that long */
		return;
	}
	size_t n = strlen(s);
	hashkey_u64(k, n);
	hashkey_put(k, s, n);
}

static inline void hashkey_double(hashkey *k, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	hashkey_u64(k, bits);
}

/* The key (never 0). */
static inline unsigned long long hashkey_done(hashkey *k)
{
	hashkey_flush(k);
	return k->h ? k->h : 1;
}

#endif
