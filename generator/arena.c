/*
 * arena: bump allocation in blocks of at least ARENA_BLOCK bytes.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	arena_block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

static arena_block *block_new(size_t size, arena_block *next)
{
	arena_block *b = xmalloc(sizeof *b + size);
	b->next = next;
	b->used = 0;
	b->size = size;
	return b;
}

/* n bytes, not zeroed (for copies that fill them all). */
static void *alloc_raw(arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		if (n > ARENA_BLOCK / 4 && b) {
			/* A big allocation gets a block of its own, behind the
			 * current one, so the current block's free space stays
			 * usable. */
			arena_block *big = block_new(n, b->next);
			b->next = big;
			big->used = n;
			return big->data;
		}
		b = block_new(n > ARENA_BLOCK ? n : ARENA_BLOCK, a->head);
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

void *arena_alloc_raw(arena *a, size_t n)
{
	return alloc_raw(a, n);
}

void *arena_alloc(arena *a, size_t n)
{
	void *p = alloc_raw(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = alloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	/* Most results are short: formatted once, into the stack, then
	 * copied; only longer ones are formatted twice. */
	char small[256];
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	char *p;
	if (n < 0) {
		p = arena_strndup(a, "", 0);
	} else if ((size_t)n < sizeof small) {
		p = arena_strndup(a, small, (size_t)n);
	} else {
		p = alloc_raw(a, (size_t)n + 1);
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	}
	va_end(ap2);
	return p;
}

void arena_reset(arena *a)
{
	arena_block *b = a->head;
	if (!b)
		return;
	/* Keep the oldest block (the last in the list) and free the rest. */
	while (b->next) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	b->used = 0;
	a->head = b;
}

void arena_release(arena *a)
{
	arena_block *b = a->head;
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}
