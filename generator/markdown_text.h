/*
 * markdown_text (internal to the markdown module): text helpers of the
 * Markdown stage that need no cmark, used by its tree walk (markdown.c).
 */
#ifndef ENQUIRE_MARKDOWN_TEXT_H
#define ENQUIRE_MARKDOWN_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* ASCII whitespace, as CommonMark counts it. */
bool markdown_is_space(char c);
/* Appends s[0..n) with runs of ASCII whitespace made one space and no
 * space at either end. */
void markdown_put_collapsed(buf *b, const char *s, size_t n);
/* Whitespace collapsed, then cut at a word boundary to about 240 bytes
 * with "…" appended. The caller frees the result. */
char *markdown_excerpt(const char *s, size_t n);
/* Words in s[0..n): runs of letters and digits (any script). */
size_t markdown_count_words(const char *s, size_t n);

#endif
