/*
 * hashkey: building a key that stands for the inputs of a pure function
 * (a chart's, a citation's), for incremental.h's keyed strings. Numbers go
 * in as 8 little-endian bytes, so a key, and so a site's build id, is the
 * same on every machine; a NULL string differs from "".
 */
#ifndef ENQUIRE_HASHKEY_H
#define ENQUIRE_HASHKEY_H

#include <stdint.h>
#include <string.h>

#include "util.h"

static inline unsigned long long hashkey_u64(uint64_t v, unsigned long long h)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return hash64(b, sizeof b, h);
}

static inline unsigned long long hashkey_str(const char *s,
	unsigned long long h)
{
	h = hashkey_u64(!s, h);
	return s ? hash64(s, strlen(s) + 1, h) : h;
}

static inline unsigned long long hashkey_double(double v,
	unsigned long long h)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	return hashkey_u64(bits, h);
}

#endif
