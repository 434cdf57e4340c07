/*
 * model_history: what git says about a document (history.h), in the
 * document's own fields, so pages, feeds and the sitemap read one place.
 */
#include "model_int.h"

void model_doc_history(const model *m, doc *d, arena *a)
{
	d->published = d->updated = "";
	const history_file *h = history_find(m->history, d->path);
	if (!h)
		return;
	char t[HISTORY_TIME_SIZE];
	history_rfc3339(h->first, t);
	d->published = arena_strdup(a, t);
	history_rfc3339(h->last, t);
	d->updated = arena_strdup(a, t);
	/* The first commit is the default date (the front matter's wins). */
	if (!d->date || !*d->date) {
		history_date(h->first, t);
		d->date = arena_strdup(a, t);
	}
	d->contributors.n = h->nauthors;
	d->contributors.items = h->authors; /* the history outlives the model */
}
