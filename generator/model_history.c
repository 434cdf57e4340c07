/*
 * model_history: what git says about a document (history.h), in the
 * document's own fields, so pages, feeds and the sitemap read one place.
 */
#include "model_int.h"

/* The memo slot of time t, emptied first if another time held it. */
static history_memo_slot *memo_slot(history_memo *memo, history_time t)
{
	uint64_t k = (uint64_t)t.time * 0x9E3779B97F4A7C15u ^ (uint64_t)t.offset;
	size_t i = (size_t)(k >> 56) % HISTORY_MEMO_SLOTS;
	if (!memo->slot[i].used || memo->slot[i].t.time != t.time ||
		memo->slot[i].t.offset != t.offset) {
		memo->slot[i].used = true;
		memo->slot[i].t = t;
		memo->slot[i].rfc3339 = memo->slot[i].date = NULL;
	}
	return &memo->slot[i];
}

/* history_rfc3339 of t, formatted once per memo. */
static const char *rfc3339_of(history_memo *memo, history_time t, arena *a)
{
	const char **s = &memo_slot(memo, t)->rfc3339;
	if (!*s) {
		char text[HISTORY_TIME_SIZE];
		history_rfc3339(t, text);
		*s = arena_strdup(a, text);
	}
	return *s;
}

void model_doc_history(const model *m, doc *d, arena *a, history_memo *memo)
{
	d->published = d->updated = "";
	const history_file *h = history_find(m->history, d->path);
	d->history = h;
	if (!h)
		return;
	d->published = rfc3339_of(memo, h->first, a);
	d->updated = rfc3339_of(memo, h->last, a);
	/* The first commit is the default date (the front matter's wins). */
	if (!d->date || !*d->date) {
		const char **s = &memo_slot(memo, h->first)->date;
		if (!*s) {
			char text[HISTORY_TIME_SIZE];
			history_date(h->first, text);
			*s = arena_strdup(a, text);
		}
		d->date = *s;
	}
	d->contributors.n = h->nauthors;
	d->contributors.items = h->authors; /* the history outlives the model */
}
