/*
 * model_int: what the model_*.c files share; not for other modules.
 */
#ifndef ENQUIRE_MODEL_INT_H
#define ENQUIRE_MODEL_INT_H

#include "fields.h"
#include "model.h"

/* Checks size and UTF-8, then parses a YAML file through pc (may be
 * NULL). NULL after an error. */
const value *model_read_yaml(arena *a, parse_cache *pc, const source_file *f,
	diag_list *d);
/* Checks size and UTF-8 of a text file; false after an error. */
bool model_check_text(const source_file *f, diag_list *d);

/* model_config.c */
void model_read_site(model *m, parse_cache *pc, const source_file *f,
	diag_list *d);
void model_read_claim_sets(model *m, parse_cache *pc,
	const source_file **files, size_t n, diag_list *d);
void model_read_alliances(model *m, parse_cache *pc,
	const source_file **files, size_t n, diag_list *d);

/* model_doc.c: reads one document into out, allocating from a. Returns
 * false when the document is excluded from this build (a draft, or
 * internal), after which nothing of it is kept. Only reads the model's
 * settings, claims and alliances, so many may run at once. Parses go
 * through pc (may be NULL). */
bool model_read_doc(const model *m, doc_kind kind, const source_file *f,
	unsigned flags, parse_cache *pc, arena *a, diag_list *d, doc *out);
/* Parses a list of claim references (short ids or {id, strength, note}). */
void model_read_claim_refs(const model *m, fields *f, const char *key,
	bool required, doc *owner, claim_ref **out, size_t *n);

/* model_history.c: fills d's published, updated and contributors from
 * m->history, and its date when the front matter gave none. Documents
 * share a few hundred commit times: memo (zeroed before the first call,
 * used with one arena) keeps their texts, made once each. */
enum { HISTORY_MEMO_SLOTS = 256 };
typedef struct {
	bool used;
	history_time t;
	const char *rfc3339, *date; /* each made on first use */
} history_memo_slot;
typedef struct {
	history_memo_slot slot[HISTORY_MEMO_SLOTS];
} history_memo;
void model_doc_history(const model *m, doc *d, arena *a, history_memo *memo);

/* model_link.c: cross-references between documents and back-links.
 * all_slugs[kind] lists every slug of that kind, including documents left
 * out of this build, so a reference to a draft is dropped, not an error. */
void model_link(model *m, const strlist *all_slugs, diag_list *d);

/* The slug of a content path: its file name without extension. */
slice model_slug_of(const char *path);

#endif
