/*
 * frontmatter: splits a Markdown file into its YAML front matter and body
 * without copying. Front matter is delimited by a first line "---" and the
 * next line that is "---" or "..." (trailing spaces, tabs and \r allowed).
 * A UTF-8 byte order mark before the first "---" is skipped.
 */
#ifndef ENQUIRE_FRONTMATTER_H
#define ENQUIRE_FRONTMATTER_H

#include <stdbool.h>

#include "util.h"

typedef struct {
	bool has_front; /* the file starts with a "---" line */
	slice front; /* YAML text between the delimiters (may be empty) */
	unsigned front_line; /* line of the file where front starts (2) */
	slice body; /* everything after the closing delimiter line */
	unsigned body_line; /* line of the file where body starts */
} frontmatter;

/*
 * Returns 0 on success. A file without a leading "---" line has no front
 * matter: body is the whole text, body_line 1. Returns -1 when the front
 * matter is opened but never closed (the error is on line 1); out then
 * holds the rest of the file as front and an empty body at its end.
 * text may be NULL when len is 0.
 */
int frontmatter_split(const char *text, size_t len, frontmatter *out);

#endif
