/*
 * markdown_mem: cmark's calloc/realloc/free over a thread's arena. Each
 * block carries its size in front, so realloc can copy; free does nothing
 * (the arena is released whole).
 */
#include "markdown_mem.h"

#include <stdalign.h>
#include <stddef.h>
#include <string.h>

#include "util.h"

static __thread arena *current;

/* The header keeps the block after it aligned for any type. */
typedef union {
	size_t size;
	max_align_t align;
} header;

static void *mem_calloc(size_t count, size_t size)
{
	if (size && count > (SIZE_MAX - sizeof(header)) / size)
		return NULL;
	header *h = arena_alloc(current, sizeof *h + count * size);
	h->size = count * size;
	return h + 1;
}

static void *mem_realloc(void *p, size_t size)
{
	if (!p)
		return mem_calloc(1, size);
	header *old = (header *)p - 1;
	if (size <= old->size)
		return p;
	/* Buffers grow by doubling, so copying keeps the waste linear. */
	void *q = mem_calloc(1, size);
	memcpy(q, p, old->size);
	return q;
}

static void mem_free(void *p)
{
	(void)p;
}

static cmark_mem arena_mem = { mem_calloc, mem_realloc, mem_free };

cmark_mem *markdown_mem_begin(arena *a)
{
	current = a;
	return &arena_mem;
}

void markdown_mem_end(void)
{
	current = NULL;
}
