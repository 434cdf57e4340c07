/*
 * plugin_counts: site:claim_counts(), the counting behind a claims
 * mapping done in C, so a plugin gets every claim's figures without
 * making a table for each of ten thousand documents (see enquire-lua(7)).
 */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "plugin_int.h"
#include "util.h"

typedef struct {
	lua_Integer strong, supporting, enquiries, dissemination, evidence;
	lua_Integer *with; /* [claim index] */
	lua_Integer *alliances; /* [alliance index] */
} claim_count;

/* The counts behind one call, owned by a userdata so that a memory error
 * while pushing the results leaks nothing. */
typedef struct {
	claim_count *c;
	size_t nclaims;
	lua_Integer *cells;
} counts_box;

static int box_gc(lua_State *L)
{
	counts_box *b = lua_touserdata(L, 1);
	free(b->c);
	free(b->cells);
	b->c = NULL;
	b->cells = NULL;
	return 0;
}

/* Claims are numbered across sets in site order. */
static size_t claim_index_of(const model *m, const size_t *first,
	const claim *c)
{
	size_t s = (size_t)(c->set - m->sets);
	return first[s] + (size_t)(c - m->sets[s].claims);
}

static void count_evidence(const model *m, const size_t *first,
	claim_count *cc, const doc *d)
{
	for (size_t e = 0; e < d->nevidence; e++) {
		const evidence *ev = &d->evidence[e];
		for (size_t i = 0; i < ev->nclaims; i++) {
			bool again = false; /* a claim listed twice counts once */
			for (size_t j = 0; j < i && !again; j++)
				again = ev->claims[j] == ev->claims[i];
			if (!again)
				cc[claim_index_of(m, first, ev->claims[i])].evidence++;
		}
	}
}

static void count(const model *m, counts_box *b, const size_t *first)
{
	claim_count *cc = b->c;
	for (size_t i = 0; i < m->ndocs[DOC_CASE_STUDY]; i++) {
		const doc *d = &m->docs[DOC_CASE_STUDY][i];
		for (size_t r = 0; r < d->nclaims; r++) {
			const claim *c = d->claims[r].claim;
			claim_count *x = &cc[claim_index_of(m, first, c)];
			if (d->claims[r].strength == STRENGTH_STRONG)
				x->strong++;
			else
				x->supporting++;
			for (size_t o = 0; o < d->nclaims; o++)
				if (d->claims[o].claim != c)
					x->with[claim_index_of(m, first,
						d->claims[o].claim)]++;
			if (d->alliance)
				x->alliances[d->alliance - m->alliances]++;
		}
		count_evidence(m, first, cc, d);
	}
	for (size_t i = 0; i < m->ndocs[DOC_ENQUIRY]; i++) {
		const doc *d = &m->docs[DOC_ENQUIRY][i];
		for (size_t r = 0; r < d->nclaims; r++)
			cc[claim_index_of(m, first, d->claims[r].claim)].enquiries++;
		count_evidence(m, first, cc, d);
	}
	for (size_t i = 0; i < m->ndocs[DOC_DISSEMINATION]; i++) {
		const doc *d = &m->docs[DOC_DISSEMINATION][i];
		for (size_t r = 0; r < d->nclaims; r++)
			cc[claim_index_of(m, first,
				d->claims[r].claim)].dissemination++;
	}
}

/* site:claim_counts(): for every claim (the key is its table)
 *   { strong = n, supporting = n,  -- case studies declaring it
 *     enquiries = n, dissemination = n,
 *     evidence = n,                -- impact records of case studies and
 *                                     enquiries linking it
 *     with = { [claim] = n },      -- declared with it in a case study
 *     alliances = { [alliance] = n } }  -- its case studies' alliances
 * A claim listed twice by one document counts twice, except within one
 * evidence record. */
int claim_counts(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	int type;
	model *m = object_of(L, 1, &type);
	if (!m || type != OBJ_SITE)
		return luaL_argerror(L, 1, "the site (call it as site:claim_counts())");
	size_t *first = lua_newuserdatauv(L, (m->nsets + 1) * sizeof *first, 0);
	size_t nc = 0;
	for (size_t s = 0; s < m->nsets; s++) {
		first[s] = nc;
		nc += m->sets[s].nclaims;
	}
	counts_box *b = lua_newuserdatauv(L, sizeof *b, 0);
	memset(b, 0, sizeof *b);
	lua_newtable(L);
	lua_pushcfunction(L, box_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	b->nclaims = nc;
	b->c = xcalloc(nc ? nc : 1, sizeof *b->c);
	size_t per = nc + m->nalliances;
	/* A cell per claim pair and claim x alliance: 100 claims and 1,000
	 * alliances are 110,000 cells; refuse what would not fit in memory. */
	if (nc && per > (size_t)16000000 / nc)
		return luaL_error(L, "claim_counts: too many claims (%d) and "
			"alliances (%d) to count", (int)nc, (int)m->nalliances);
	size_t ncells = nc * per;
	b->cells = xcalloc(ncells ? ncells : 1, sizeof *b->cells);
	for (size_t i = 0; i < nc; i++) {
		b->c[i].with = b->cells + i * per;
		b->c[i].alliances = b->cells + i * per + nc;
	}
	count(m, b, first);

	lua_createtable(L, 0, (int)nc);
	size_t i = 0;
	for (size_t s = 0; s < m->nsets; s++)
		for (size_t k = 0; k < m->sets[s].nclaims; k++, i++) {
			const claim_count *x = &b->c[i];
			push_object(p, &m->sets[s].claims[k], OBJ_CLAIM);
			lua_createtable(L, 0, 7);
			set_int(L, "strong", x->strong);
			set_int(L, "supporting", x->supporting);
			set_int(L, "enquiries", x->enquiries);
			set_int(L, "dissemination", x->dissemination);
			set_int(L, "evidence", x->evidence);
			lua_newtable(L);
			size_t j = 0;
			for (size_t s2 = 0; s2 < m->nsets; s2++)
				for (size_t k2 = 0; k2 < m->sets[s2].nclaims; k2++, j++)
					if (x->with[j]) {
						push_object(p, &m->sets[s2].claims[k2], OBJ_CLAIM);
						lua_pushinteger(L, x->with[j]);
						lua_rawset(L, -3);
					}
			lua_setfield(L, -2, "with");
			lua_newtable(L);
			for (size_t a = 0; a < m->nalliances; a++)
				if (x->alliances[a]) {
					push_object(p, &m->alliances[a], OBJ_ALLIANCE);
					lua_pushinteger(L, x->alliances[a]);
					lua_rawset(L, -3);
				}
			lua_setfield(L, -2, "alliances");
			lua_rawset(L, -3);
		}
	return 1;
}
