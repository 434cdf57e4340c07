/*
 * markdown: CommonMark with GitHub tables, strikethrough and autolinks to
 * HTML (the only module that includes cmark-gfm's headers).
 *
 * Raw HTML is replaced by an HTML comment unless MARKDOWN_UNSAFE_HTML is
 * set. Every heading gets a stable id (GitHub style: lowercase, spaces to
 * hyphens, punctuation dropped, "-1", "-2" for repeats). The C2L phase
 * headings are recognised for phase navigation. Thread-safe: documents
 * may be rendered on several threads at once.
 */
#ifndef ENQUIRE_MARKDOWN_H
#define ENQUIRE_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
	MARKDOWN_UNSAFE_HTML = 1 << 0, /* pass raw HTML through */
} markdown_flags;

typedef enum {
	C2L_NONE = 0,
	C2L_IMPLEMENTATION,
	C2L_INNOVATION,
	C2L_IMPACT,
	C2L_CONCLUSIONS,
	C2L_COUNT
} c2l_phase;

typedef struct {
	int level; /* 1..6 */
	char *id; /* the id attribute given to the heading */
	char *text; /* plain text of the heading */
	unsigned line; /* line in the Markdown text, 1-based */
	c2l_phase phase; /* the C2L phase it names, or C2L_NONE */
} markdown_heading;

typedef struct {
	char *html; /* the rendered body */
	char *text; /* the body as plain text (no markup), for search */
	char *excerpt; /* plain text of the first paragraph, at most ~240
	                  bytes, cut at a word boundary with "…" when cut */
	size_t words; /* words in the body text */
	markdown_heading *headings;
	size_t nheadings;
	/* For each phase, the index in headings of its first heading, or -1. */
	int phase_heading[C2L_COUNT];
	/* Set when the strings and headings belong to someone else (the
	 * parse cache's file and an arena): release then only forgets them. */
	bool borrowed;
} markdown_doc;

/* Renders text (len bytes, need not be NUL-terminated). Returns 0; the
 * caller releases out with markdown_doc_release. Never fails on input. */
int markdown_render(const char *text, size_t len, unsigned flags,
	markdown_doc *out);
/* Frees doc's strings and headings (unless borrowed) and zeroes it. */
void markdown_doc_release(markdown_doc *doc);
/* The cmark-gfm version, part of cache keys: another version may render
 * the same text differently. */
const char *markdown_library_version(void);

/* The C2L phase a heading's text names ("Implementation", "The
 * implementation phase", "Phase 2: Innovation", "Final conclusions"), or
 * C2L_NONE. Case-insensitive. */
c2l_phase markdown_phase_of(const char *heading_text);
/* "implementation", "innovation", "impact", "conclusions"; "" for none. */
const char *c2l_phase_name(c2l_phase p);

/* Makes a GitHub-style heading id from text into a malloc'd string. */
char *markdown_slugify(const char *text);

#endif
