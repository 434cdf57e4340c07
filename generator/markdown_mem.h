/*
 * markdown_mem (internal to the markdown module): an arena allocator for
 * cmark-gfm.
 *
 * cmark allocates every node, string and buffer of a parse one by one; on
 * 10,000 documents malloc and free were a fifth of a build. A document's
 * parse tree dies whole at the end of markdown_render, so its memory comes
 * from an arena released at once. cmark's allocator has no context
 * pointer, hence the thread-local arena.
 */
#ifndef ENQUIRE_MARKDOWN_MEM_H
#define ENQUIRE_MARKDOWN_MEM_H

#include <cmark-gfm.h>

#include "arena.h"

/* The allocator to give cmark on this thread: draws from a until
 * markdown_mem_end. Memory it hands out must never reach free(). */
cmark_mem *markdown_mem_begin(arena *a);
void markdown_mem_end(void);

#endif
