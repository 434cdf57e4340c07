/*
 * cite: how to cite a case study: Harvard (Cite Them Right) and APA (7th
 * edition) references as HTML, and BibTeX and RIS records for reference
 * managers (published beside the page as cite.bib and cite.ris).
 *
 * Authors are written as people write them ("Helen Marwood", "A. Teacher"
 * or "Marwood, Helen"); references need "Surname, I.", so names without a
 * comma take their last word as the surname. A case study without authors
 * is cited under its alliance (or the site), as a corporate author.
 */
#ifndef ENQUIRE_CITE_H
#define ENQUIRE_CITE_H

#include "model.h"
#include "util.h"

typedef struct {
	const doc *doc;
	const char *url; /* absolute URL of the case study's page */
	const char *publisher; /* the site's title */
	const char *language; /* "en-GB" */
} cite_info;

/* "Marwood, H." for "Helen Marwood" (appended to out, not escaped). */
void cite_name(buf *out, const char *name);
/* Harvard, Cite Them Right: Author, A. and Author, B. (2014) <i>Title</i>.
 * Publisher. Available at: URL. */
void cite_harvard_html(buf *out, const cite_info *c);
/* APA 7: Author, A., &amp; Author, B. (2014). <i>Title</i>. Publisher. URL */
void cite_apa_html(buf *out, const cite_info *c);
void cite_bibtex(buf *out, const cite_info *c);
void cite_ris(buf *out, const cite_info *c);
/* A key for what format ("harvard", "apa", "bibtex", "ris") writes for
 * c (never 0): a hash of the format's name, everything the formats read
 * and CITE_VERSION (incremental.h's keyed strings). */
unsigned long long cite_key(const cite_info *c, const char *format);
/* cite_key in two steps, so the inputs are hashed once for all formats:
 * cite_key(c, f) is cite_format_key(cite_inputs_key(c), f). */
unsigned long long cite_inputs_key(const cite_info *c);
unsigned long long cite_format_key(unsigned long long inputs,
	const char *format);

#endif
