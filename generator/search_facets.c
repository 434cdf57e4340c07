/*
 * search_facets: the facet files, one per facet (document type, claim,
 * theme, ...): its values, each with a label and the ascending list of its
 * documents, so the client can count a query's results per value and
 * filter by the values a reader ticks. Values are in natural key order
 * ("gp-2" before "gp-10").
 */
#include "search_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const facet_names[SEARCH_FACET_COUNT] = { "type",
	"claim", "theme", "phase", "subject", "key_stage", "alliance", "c2l" };

/* A facet value and its documents, ascending (documents are visited in
 * order, so appending keeps them sorted). */
typedef struct {
	const search_tag *tag; /* its first tag: key and label */
	uint32_t *docs;
	size_t ndocs, cap;
} value_docs;

/* Compares runs of digits by value, the rest byte by byte. */
static int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			size_t na = 0, nb = 0;
			while (isdigit((unsigned char)a[na]))
				na++;
			while (isdigit((unsigned char)b[nb]))
				nb++;
			if (na != nb)
				return na < nb ? -1 : 1;
			int c = memcmp(a, b, na);
			if (c)
				return c;
			a += na;
			b += nb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int cmp_value(const void *pa, const void *pb)
{
	const value_docs *a = *(value_docs *const *)pa, *b = *(value_docs *const *)pb;
	int c = natural_cmp(a->tag->key, b->tag->key);
	return c ? c : strcmp(a->tag->key, b->tag->key);
}

static void put_varint(buf *b, uint64_t v)
{
	unsigned char tmp[10];
	buf_put(b, tmp, search_put_varint(tmp, v));
}

static void put_str(buf *b, const char *s)
{
	size_t n = strlen(s);
	put_varint(b, n);
	buf_put(b, s, n);
}

const char *search_facet_name(search_facet f)
{
	return facet_names[f];
}

static uint32_t hash_key(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void search_encode_facet(const search_input *in, size_t n, search_facet which,
	buf *b)
{
	size_t nt = 0, cap = 0;
	search_doc_tag *t = NULL;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < in[i].ntags; j++) {
			if (in[i].tags[j].facet != which)
				continue;
			if (nt == cap) {
				cap = cap ? cap * 2 : 64;
				t = xrealloc(t, cap * sizeof *t);
			}
			t[nt++] = (search_doc_tag){ (uint32_t)i, &in[i].tags[j] };
		}
	search_encode_facet_tags(t, nt, b);
	free(t);
}

void search_encode_facet_tags(const search_doc_tag *tags, size_t ntags,
	buf *b)
{
	/* values by key, in an open-addressing table (a few hundred at most
	 * in practice, but any number works) */
	value_docs *v = NULL;
	size_t nv = 0, vcap = 0, tcap = 64;
	uint32_t *slot = xcalloc(tcap, sizeof *slot); /* value + 1, or 0 */
	for (size_t k = 0; k < ntags; k++) {
		const search_tag *t = tags[k].tag;
		size_t i = tags[k].doc;
		if ((nv + 1) * 2 > tcap) {
			tcap *= 2;
			free(slot);
			slot = xcalloc(tcap, sizeof *slot);
			for (size_t r = 0; r < nv; r++) {
				size_t h = hash_key(v[r].tag->key) & (tcap - 1);
				while (slot[h])
					h = (h + 1) & (tcap - 1);
				slot[h] = (uint32_t)r + 1;
			}
		}
		size_t h = hash_key(t->key) & (tcap - 1);
		while (slot[h] && strcmp(v[slot[h] - 1].tag->key, t->key))
			h = (h + 1) & (tcap - 1);
		if (!slot[h]) {
			if (nv == vcap) {
				vcap = vcap ? vcap * 2 : 16;
				v = xrealloc(v, vcap * sizeof *v);
			}
			v[nv] = (value_docs){ t, NULL, 0, 0 };
			slot[h] = (uint32_t)++nv;
		}
		value_docs *x = &v[slot[h] - 1];
		/* a document tagged twice with one value counts once */
		if (x->ndocs && x->docs[x->ndocs - 1] == i)
			continue;
		if (x->ndocs == x->cap) {
			x->cap = x->cap ? x->cap * 2 : 16;
			x->docs = xrealloc(x->docs, x->cap * sizeof *x->docs);
		}
		x->docs[x->ndocs++] = (uint32_t)i;
	}
	free(slot);
	value_docs **order = xcalloc(nv + 1, sizeof *order);
	for (size_t k = 0; k < nv; k++)
		order[k] = &v[k];
	if (nv)
		qsort(order, nv, sizeof *order, cmp_value);
	put_varint(b, nv);
	for (size_t k = 0; k < nv; k++) {
		value_docs *x = order[k];
		put_str(b, x->tag->key);
		put_str(b, x->tag->label);
		put_varint(b, x->ndocs);
		/* the documents, written in place (tens of thousands) */
		buf_grow(b, x->ndocs * 5);
		unsigned char *p = (unsigned char *)b->p + b->len;
		uint32_t prev = 0;
		for (size_t i = 0; i < x->ndocs; i++) {
			p += search_put_varint(p, x->docs[i] - prev);
			prev = x->docs[i];
		}
		b->len = (size_t)(p - (unsigned char *)b->p);
		b->p[b->len] = '\0';
		free(x->docs);
	}
	free(order);
	free(v);
}
