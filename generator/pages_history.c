/*
 * pages_history: what git says, on pages: a document's first publication,
 * last change and contributors (doc.history), and /changes/, the latest
 * commits that changed published documents, with those documents. All
 * times come from the commits, never from the clock.
 */
#include <stdlib.h>
#include <string.h>

#include "pages_int.h"
#include "util.h"

/* "2024-03-01" of an RFC 3339 time (its own zone's date). */
static const char *date_part(arena *a, const char *rfc3339)
{
	return arena_strndup(a, rfc3339, strlen(rfc3339) < 10 ? 0 : 10);
}

void pages_doc_history(const doc *d, arena *a, value *v)
{
	if (!*d->published)
		return;
	value *h = value_map(a);
	pages_set_ref(a, h, "published", d->published);
	pages_set_ref(a, h, "published_date", date_part(a, d->published));
	pages_set_ref(a, h, "updated", d->updated);
	const char *updated = date_part(a, d->updated);
	pages_set_ref(a, h, "updated_date", updated);
	value_set_bool(a, h, "changed", strcmp(d->published, d->updated) != 0);
	pages_set_list(a, h, "contributors", pages_strlist(a, &d->contributors));
	value_set(a, v, "history", h);
}

/* The published document at a content path, or NULL. */
static const doc *doc_at(const model *m, const char *path)
{
	for (int k = 0; k < DOC_KIND_COUNT; k++) {
		const char *dir = doc_kind_dir(k);
		size_t n = strlen(dir);
		if (strncmp(path, dir, n) != 0 || path[n] != '/')
			continue;
		const char *name = path + n + 1;
		const char *dot = strrchr(name, '.');
		if (strchr(name, '/') || !dot || dot == name)
			return NULL;
		char *s = xstrndup(name, (size_t)(dot - name));
		const doc *d = model_find_doc(m, k, s);
		free(s);
		return d && strcmp(d->path, path) == 0 ? d : NULL;
	}
	return NULL;
}

void pages_changes_data(const pages *p, arena *a, value *data)
{
	const history *h = p->m->history;
	value *commits = value_list(a);
	for (size_t i = 0; i < history_recent_count(h); i++) {
		const history_commit *c = history_recent_at(h, i);
		value *cv = value_map(a);
		char t[HISTORY_TIME_SIZE];
		pages_set_ref(a, cv, "id", c->id);
		pages_set_ref(a, cv, "short_id", arena_strndup(a, c->id, 7));
		history_rfc3339(c->time, t);
		value_set_str(a, cv, "datetime", t);
		history_date(c->time, t);
		value_set_str(a, cv, "date", t);
		pages_set_ref(a, cv, "author", c->author);
		pages_set_ref(a, cv, "summary", c->summary);
		/* Only published documents: a draft's or internal file's
		 * path must not appear on the public site either. */
		value *docs = value_list(a);
		for (size_t k = 0; k < c->npaths; k++) {
			const doc *d = c->deleted[k] ? NULL : doc_at(p->m, c->paths[k]);
			if (!d)
				continue;
			value *item = value_map(a);
			pages_set_ref(a, item, "title", d->title);
			pages_set_ref(a, item, "url", d->url);
			pages_set_ref(a, item, "kind", doc_kind_name(d->kind));
			value_push(a, docs, item);
		}
		if (!value_count(docs))
			continue;
		pages_set_list(a, cv, "docs", docs);
		value_push(a, commits, cv);
	}
	pages_set_list(a, data, "commits", commits);
}
