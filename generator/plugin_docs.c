/*
 * plugin_docs: documents as Lua tables (doc.front, doc.text, doc.claims,
 * doc.evidence, ...). A table starts with its cheap fields; the others are
 * made on first use by doc_index and kept, except doc.text, which is made
 * anew each time so a plugin reading every text does not hold them all.
 */
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>

#include "plugin_int.h"
#include "util.h"

/* ---- documents */

static const char *const kind_names[DOC_KIND_COUNT] = { "case-study",
	"enquiry", "dissemination", "page" };

static void push_doc_list(plugin *p, doc *const *docs, size_t n)
{
	lua_createtable(p->L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		push_object(p, docs[i], OBJ_DOC);
		lua_rawseti(p->L, -2, (lua_Integer)i + 1);
	}
}

void push_doc_array(plugin *p, doc *docs, size_t n)
{
	lua_createtable(p->L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		push_object(p, &docs[i], OBJ_DOC);
		lua_rawseti(p->L, -2, (lua_Integer)i + 1);
	}
}

/* The line of the front matter entry naming claim id, or 0. */
static unsigned claim_line(const doc *d, const char *id)
{
	const value *list = value_get(d->front, "claims");
	for (size_t i = 0; list && list->kind == VALUE_LIST &&
		i < list->u.list.n; i++) {
		const value *it = list->u.list.items[i];
		const value *idv = it->kind == VALUE_MAP ? value_get(it, "id") : it;
		const char *t = value_text(idv);
		if (t && strcmp(t, id) == 0)
			return it->line;
	}
	return 0;
}

/* Whether an evidence record of d links to c. */
static bool evidenced(const doc *d, const claim *c)
{
	for (size_t e = 0; e < d->nevidence; e++)
		for (size_t i = 0; i < d->evidence[e].nclaims; i++)
			if (d->evidence[e].claims[i] == c)
				return true;
	return false;
}

static void push_claim_refs(plugin *p, const doc *d)
{
	lua_State *L = p->L;
	lua_createtable(L, (int)d->nclaims, 0);
	for (size_t i = 0; i < d->nclaims; i++) {
		const claim_ref *r = &d->claims[i];
		lua_createtable(L, 0, 6);
		push_object(p, r->claim, OBJ_CLAIM);
		lua_setfield(L, -2, "claim");
		set_str(L, "id", r->claim->id);
		set_str(L, "strength", r->strength == STRENGTH_STRONG ?
			"strong" : "supporting");
		set_str(L, "note", r->note);
		set_int(L, "line", claim_line(d, r->claim->id));
		lua_pushboolean(L, evidenced(d, r->claim));
		lua_setfield(L, -2, "evidenced");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* An evidence record's text fields, on first use: the claims plugin
 * reads only e.claims of thousands of records. */
int evidence_index(lua_State *L)
{
	int type;
	const evidence *e = object_of(L, 1, &type);
	const char *k = lua_tostring(L, 2);
	if (!e || !k)
		return 0;
	static const struct { const char *name; size_t off; } strs[] = {
		{ "outcome", offsetof(evidence, outcome) },
		{ "group", offsetof(evidence, group) },
		{ "method", offsetof(evidence, method) },
		{ "measure", offsetof(evidence, measure) },
		{ "source", offsetof(evidence, source) },
		{ "n", offsetof(evidence, n) },
		{ "text", offsetof(evidence, text) },
	};
	for (size_t i = 0; i < ARRAY_LEN(strs); i++)
		if (strcmp(k, strs[i].name) == 0) {
			const char *v = *(const char *const *)((const char *)e +
				strs[i].off);
			if (!v)
				return 0;
			lua_pushstring(L, v);
			lua_pushvalue(L, 2);
			lua_pushvalue(L, -2);
			lua_rawset(L, 1); /* not through __newindex */
			return 1;
		}
	if (strcmp(k, "lower_is_better") == 0) {
		lua_pushboolean(L, e->lower_is_better);
		return 1;
	}
	return 0;
}

static void push_evidence(plugin *p, const doc *d)
{
	lua_State *L = p->L;
	lua_createtable(L, (int)d->nevidence, 0);
	for (size_t i = 0; i < d->nevidence; i++) {
		const evidence *e = &d->evidence[i];
		lua_createtable(L, 0, 4);
		set_int(L, "index", (lua_Integer)i + 1);
		set_int(L, "line", e->line);
		lua_createtable(L, (int)e->nclaims, 0);
		for (size_t c = 0; c < e->nclaims; c++) {
			push_object(p, e->claims[c], OBJ_CLAIM);
			lua_rawseti(L, -2, (lua_Integer)c + 1);
		}
		lua_setfield(L, -2, "claims");
		getreg(L, &reg_mt[OBJ_EVIDENCE]);
		lua_setmetatable(L, -2);
		getreg(L, &reg_ptrs);
		lua_pushvalue(L, -2);
		lua_pushlightuserdata(L, (void *)(uintptr_t)e);
		lua_rawset(L, -3);
		lua_pop(L, 1);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static void push_front_lines(lua_State *L, const value *front)
{
	lua_newtable(L);
	for (size_t i = 0; front && front->kind == VALUE_MAP &&
		i < front->u.map.n; i++) {
		lua_pushinteger(L, front->u.map.pairs[i].line);
		lua_setfield(L, -2, front->u.map.pairs[i].key);
	}
}

/* Pushes field k of d, or returns false for an unknown one. */
static bool doc_field(plugin *p, doc *d, const char *k)
{
	lua_State *L = p->L;
	static const struct { const char *name; size_t off; } lists[] = {
		{ "authors", offsetof(doc, authors) },
		{ "tags", offsetof(doc, tags) },
		{ "schools", offsetof(doc, schools) },
		{ "research_questions", offsetof(doc, research_questions) },
		{ "phases", offsetof(doc, phases) },
		{ "subjects", offsetof(doc, subjects) },
		{ "key_stages", offsetof(doc, key_stages) },
		{ "methods", offsetof(doc, methods) },
		{ "files", offsetof(doc, files) },
		{ "audience", offsetof(doc, audience) },
	};
	static const struct { const char *name; size_t off; } strs[] = {
		{ "licence", offsetof(doc, licence) },
		{ "focus", offsetof(doc, focus) },
		{ "question", offsetof(doc, question) },
		{ "lead", offsetof(doc, lead) },
		{ "started", offsetof(doc, started) },
		{ "ended", offsetof(doc, ended) },
		{ "baseline", offsetof(doc, baseline) },
		{ "link", offsetof(doc, link) },
		{ "dissemination_kind", offsetof(doc, kind_name) },
		{ "slug", offsetof(doc, slug) },
		{ "url", offsetof(doc, url) },
		{ "title", offsetof(doc, title) },
		{ "date", offsetof(doc, date) },
		{ "status", offsetof(doc, status) },
	};
	/* The fields a plugin reads of every document first. */
	if (strcmp(k, "claims") == 0) {
		push_claim_refs(p, d);
		return true;
	}
	if (strcmp(k, "evidence") == 0) {
		push_evidence(p, d);
		return true;
	}
	if (strcmp(k, "alliance") == 0) {
		if (d->alliance)
			push_object(p, d->alliance, OBJ_ALLIANCE);
		else
			lua_pushnil(L);
		return true;
	}
	for (size_t i = 0; i < ARRAY_LEN(lists); i++)
		if (strcmp(k, lists[i].name) == 0) {
			api_push_strlist(L, (const strlist *)((char *)d + lists[i].off));
			return true;
		}
	for (size_t i = 0; i < ARRAY_LEN(strs); i++)
		if (strcmp(k, strs[i].name) == 0) {
			const char *s = *(const char **)((char *)d + strs[i].off);
			if (s)
				lua_pushstring(L, s);
			else
				lua_pushnil(L);
			return true;
		}
	if (strcmp(k, "words") == 0)
		lua_pushinteger(L, (lua_Integer)d->md.words);
	else if (strcmp(k, "body_line") == 0)
		lua_pushinteger(L, d->body_line);
	else if (strcmp(k, "front") == 0)
		api_push_value(L, d->front, 0);
	else if (strcmp(k, "lines") == 0)
		push_front_lines(L, d->front);
	else if (strcmp(k, "text") == 0)
		lua_pushlstring(L, d->body.p ? d->body.p : "", d->body.n);
	else if (strcmp(k, "case_study") == 0 && d->case_study)
		push_object(p, d->case_study, OBJ_DOC);
	else if (strcmp(k, "case_studies") == 0)
		push_doc_list(p, d->case_studies, d->ncase_studies);
	else if (strcmp(k, "enquiries") == 0)
		push_doc_list(p, d->enquiries, d->nenquiries);
	else if (strcmp(k, "dissemination") == 0)
		push_doc_list(p, d->disseminations, d->ndisseminations);
	else
		return false;
	return true;
}

/* The document of table arg 1 (a method's self), or raises. */

int doc_index(lua_State *L)
{
	plugin *p = sandbox_plugin(L);
	int type;
	doc *d = object_of(L, 1, &type);
	const char *k = lua_tostring(L, 2);
	if (!d || !k)
		return 0;
	if (strcmp(k, "data") == 0) {
		if (!p->m)
			return 0;
		push_data(p, d, OBJ_DOC);
		return 1;
	}
	if (doc_method(L, k))
		return 1;
	if (!doc_field(p, d, k))
		return 0;
	/* The text is not kept: a plugin reading every document's text
	 * once should not hold them all. */
	if (strcmp(k, "text") == 0)
		return 1;
	/* Computed once: later reads find it in the table. */
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1); /* not through __newindex */
	return 1;
}

void make_doc(plugin *p, const doc *d)
{
	lua_State *L = p->L;
	/* The rest on first use (doc_field): a plugin going over ten
	 * thousand documents reads a few fields of each. */
	lua_createtable(L, 0, 8);
	set_str(L, "kind", kind_names[d->kind]);
	set_str(L, "path", d->path);
	set_str(L, "theme", d->theme);
}

