/*
 * diag: diagnostics for authors, printed the way compilers print them:
 *
 *     case-studies/x.md:12:5: error: unknown claim 'pedagogy-12'
 *
 * A build collects every diagnostic so an author sees all problems at once.
 * Messages are lowercase, one line, no full stop, with the subject in
 * quotes. A diag_list may be shared by threads (adding takes a lock).
 */
#ifndef ENQUIRE_DIAG_H
#define ENQUIRE_DIAG_H

#include <stdarg.h>
#include <stdio.h>

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct {
	char *path; /* relative to the content root; may be "" for the run */
	unsigned line, col; /* 1-based; 0 when unknown (then not printed) */
	diag_level level;
	char *msg;
	size_t seq; /* order of arrival, to keep sorting stable */
} diag;

typedef struct diag_list diag_list;

/* The caller must free the result with diag_list_free. */
diag_list *diag_list_new(void);
void diag_list_free(diag_list *d);

void diag_add(diag_list *d, diag_level level, const char *path, unsigned line,
	unsigned col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_vadd(diag_list *d, diag_level level, const char *path, unsigned line,
	unsigned col, const char *fmt, va_list ap);

size_t diag_count(const diag_list *d);
size_t diag_errors(const diag_list *d);
size_t diag_warnings(const diag_list *d);
const diag *diag_at(const diag_list *d, size_t i);

/* Sorts by path, line, column and arrival, then prints every diagnostic as
 * "path:line:col: level: message" (dropping the parts that are unknown). */
void diag_print(diag_list *d, FILE *out);
/* The same, leaving out the levels less severe than least (DIAG_WARNING:
 * errors and warnings only). */
void diag_print_upto(diag_list *d, diag_level least, FILE *out);
/* Formats one diagnostic as it would be printed; the caller frees it. */
char *diag_format(const diag *g);

#endif
