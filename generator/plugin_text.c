/*
 * plugin_text: the enquire.* text helpers, so plugins scan prose in C
 * (text.h, the tokenizer search uses) and keep Lua for decisions.
 *
 *   enquire.words(s)         folded words, stop words kept, not stemmed
 *   enquire.terms(s)         analysed terms: stemmed, stop words dropped
 *   enquire.term_counts(s)   {term = count} of the analysed terms, and
 *                            the number of words seen
 *   enquire.stem(s)          the analysed terms of s joined by spaces
 *                            ("Worked examples" -> "work exampl")
 *   enquire.phrases(s, list) for each phrase of list, how often its terms
 *                            occur in s in a row (stop words between
 *                            them counting as in the phrase)
 *
 * Tokens are collected into memory owned by a Lua userdata, so a memory
 * error raised while pushing results leaks nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "plugin_int.h"
#include "text.h"
#include "util.h"

typedef struct {
	size_t off; /* of the NUL-terminated term in bytes */
	unsigned pos;
} tok;

/* The userdata behind one call: tokens and their bytes. */
typedef struct {
	tok *toks;
	size_t n, cap;
	buf bytes;
	text_stemmer *st;
} tokbox;

static int tokbox_gc(lua_State *L)
{
	tokbox *b = lua_touserdata(L, 1);
	free(b->toks);
	buf_release(&b->bytes);
	text_stemmer_free(b->st);
	b->toks = NULL;
	b->st = NULL;
	b->n = b->cap = 0;
	return 0;
}

static tokbox *tokbox_new(lua_State *L)
{
	tokbox *b = lua_newuserdatauv(L, sizeof *b, 0);
	memset(b, 0, sizeof *b);
	b->bytes = BUF_INIT;
	if (luaL_newmetatable(L, "enquire.tokens")) {
		lua_pushcfunction(L, tokbox_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	return b;
}

static int collect(void *ctx, const text_token *t)
{
	tokbox *b = ctx;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->toks = xrealloc(b->toks, b->cap * sizeof *b->toks);
	}
	b->toks[b->n].off = b->bytes.len;
	b->toks[b->n].pos = t->position;
	b->n++;
	buf_put(&b->bytes, t->term, t->len);
	buf_putc(&b->bytes, '\0');
	return 0;
}

/* Tokenizes the string at idx into a new box (left on the stack). */
static tokbox *analyse(lua_State *L, int idx, unsigned flags, size_t *words)
{
	size_t n;
	const char *s = luaL_checklstring(L, idx, &n);
	tokbox *b = tokbox_new(L);
	if (flags & TEXT_STEM)
		b->st = text_stemmer_new();
	size_t w = flags ? text_analyse(b->st, flags, s, n, collect, b) :
		text_tokenize(s, n, collect, b);
	if (words)
		*words = w;
	return b;
}

#define ANALYSED (TEXT_STEM | TEXT_DROP_STOPWORDS)

static int push_list(lua_State *L, unsigned flags)
{
	tokbox *b = analyse(L, 1, flags, NULL);
	lua_createtable(L, (int)b->n, 0);
	for (size_t i = 0; i < b->n; i++) {
		lua_pushstring(L, b->bytes.p + b->toks[i].off);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int l_words(lua_State *L)
{
	return push_list(L, 0);
}

static int l_terms(lua_State *L)
{
	return push_list(L, ANALYSED);
}

static int l_term_counts(lua_State *L)
{
	size_t words;
	tokbox *b = analyse(L, 1, ANALYSED, &words);
	lua_newtable(L);
	for (size_t i = 0; i < b->n; i++) {
		const char *t = b->bytes.p + b->toks[i].off;
		lua_Integer c = lua_getfield(L, -1, t) == LUA_TNUMBER ?
			lua_tointeger(L, -1) : 0;
		lua_pop(L, 1);
		lua_pushinteger(L, c + 1);
		lua_setfield(L, -2, t);
	}
	lua_pushinteger(L, (lua_Integer)words);
	return 2;
}

static int l_stem(lua_State *L)
{
	tokbox *b = analyse(L, 1, ANALYSED, NULL);
	luaL_Buffer out;
	luaL_buffinit(L, &out);
	for (size_t i = 0; i < b->n; i++) {
		if (i)
			luaL_addchar(&out, ' ');
		luaL_addstring(&out, b->bytes.p + b->toks[i].off);
	}
	luaL_pushresult(&out);
	return 1;
}

/* Does phrase ph (n tokens) occur in text starting at token i? Positions
 * must keep the phrase's gaps (its stop words). */
static bool phrase_at(const tokbox *text, size_t i, const tokbox *ph)
{
	if (i + ph->n > text->n)
		return false;
	unsigned base = text->toks[i].pos, pbase = ph->toks[0].pos;
	for (size_t j = 0; j < ph->n; j++) {
		const tok *t = &text->toks[i + j], *p = &ph->toks[j];
		if (t->pos - base != p->pos - pbase ||
			strcmp(text->bytes.p + t->off, ph->bytes.p + p->off) != 0)
			return false;
	}
	return true;
}

static int l_phrases(lua_State *L)
{
	luaL_checktype(L, 2, LUA_TTABLE);
	tokbox *text = analyse(L, 1, ANALYSED, NULL);
	lua_Integer n = luaL_len(L, 2);
	lua_createtable(L, (int)n, 0);
	int result = lua_gettop(L);
	for (lua_Integer k = 1; k <= n; k++) {
		lua_geti(L, 2, k);
		tokbox *ph = analyse(L, lua_gettop(L), ANALYSED, NULL);
		lua_Integer count = 0;
		for (size_t i = 0; ph->n && i < text->n; i++)
			count += phrase_at(text, i, ph);
		lua_settop(L, result);
		lua_pushinteger(L, count);
		lua_rawseti(L, result, k);
	}
	return 1;
}

void text_api_open(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{ "words", l_words },
		{ "terms", l_terms },
		{ "term_counts", l_term_counts },
		{ "stem", l_stem },
		{ "phrases", l_phrases },
		{ NULL, NULL },
	};
	luaL_setfuncs(L, fns, 0);
}
