/*
 * plugin_doctext: methods that read a document's text in C, without
 * copying it into Lua: doc:find, doc:sub, doc:line_at, doc:numbered.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <lauxlib.h>

#include "plugin_int.h"
#include "util.h"

static doc *self_doc(lua_State *L)
{
	int type;
	doc *d = object_of(L, 1, &type);
	if (!d || type != OBJ_DOC)
		luaL_argerror(L, 1, "a document (call it as doc:method())");
	return d;
}

/* doc:find(needle, ...): the byte positions (1-based) in doc.text where
 * any needle occurs, in text order, without copying the text into Lua.
 * With several needles, the index of the one found follows each
 * position: {pos1, needle1, pos2, needle2, ...}. */
static int doc_find(lua_State *L)
{
	doc *d = self_doc(L);
	int nneedles = lua_gettop(L) - 1;
	luaL_argcheck(L, nneedles >= 1 && nneedles <= 16, 2, "1 to 16 needles");
	const char *needles[16];
	size_t lens[16], next[16];
	for (int i = 0; i < nneedles; i++) {
		needles[i] = luaL_checklstring(L, i + 2, &lens[i]);
		luaL_argcheck(L, lens[i] > 0, i + 2, "empty needle");
	}
	lua_newtable(L);
	const char *text = d->body.p ? d->body.p : "";
	size_t n = d->body.n;
	/* next[i]: where needle i occurs next at or after the cursor. */
	for (int i = 0; i < nneedles; i++) {
		const char *s = memmem(text, n, needles[i], lens[i]);
		next[i] = s ? (size_t)(s - text) : SIZE_MAX;
	}
	lua_Integer k = 0;
	for (;;) {
		int best = -1;
		for (int i = 0; i < nneedles; i++)
			if (next[i] != SIZE_MAX && (best < 0 || next[i] < next[best]))
				best = i;
		if (best < 0)
			break;
		size_t at = next[best];
		lua_pushinteger(L, (lua_Integer)at + 1);
		lua_rawseti(L, -2, ++k);
		if (nneedles > 1) {
			lua_pushinteger(L, best + 1);
			lua_rawseti(L, -2, ++k);
		}
		size_t from = at + lens[best];
		const char *s = from < n ? memmem(text + from, n - from,
			needles[best], lens[best]) : NULL;
		next[best] = s ? (size_t)(s - text) : SIZE_MAX;
	}
	return 1;
}

/* doc:sub(i, j): doc.text:sub(i, j) without copying the rest. */
static int doc_sub(lua_State *L)
{
	doc *d = self_doc(L);
	lua_Integer len = (lua_Integer)d->body.n;
	lua_Integer i = luaL_checkinteger(L, 2), j = luaL_optinteger(L, 3, -1);
	if (i < 0)
		i = len + i + 1 > 0 ? len + i + 1 : 1;
	if (j < 0)
		j = len + j + 1;
	if (i < 1)
		i = 1;
	if (j > len)
		j = len;
	if (i > j)
		lua_pushliteral(L, "");
	else
		lua_pushlstring(L, d->body.p + i - 1, (size_t)(j - i + 1));
	return 1;
}

/* doc:line_at(pos): the line of the file where byte pos of doc.text is. */
static int doc_line_at(lua_State *L)
{
	doc *d = self_doc(L);
	lua_Integer pos = luaL_checkinteger(L, 2);
	unsigned line = d->body_line;
	for (lua_Integer i = 0; i < pos - 1 && i < (lua_Integer)d->body.n; i++)
		line += d->body.p[i] == '\n';
	lua_pushinteger(L, line);
	return 1;
}


static bool is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t skip_space(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		s[i] == '\r'))
		i++;
	return i;
}

/* Pushes {pos=, word=, match=, sep=, numbers={...}, before=} for word k
 * at text[at] when a number follows it (*end: just after the numbers),
 * or pushes nothing and returns false. */
static bool push_numbered(lua_State *L, const char *text, size_t n,
	size_t at, size_t wlen, int k, size_t *end)
{
	size_t i = at + wlen;
	if (i < n && text[i] == 's')
		i++;
	char sep;
	if (i < n && text[i] == '-') {
		sep = '-';
		i++;
	} else {
		size_t j = skip_space(text, i, n);
		if (j == i)
			return false;
		sep = ' ';
		i = j;
	}
	if (i >= n || !is_digit(text[i]))
		return false;
	lua_createtable(L, 0, 6);
	lua_createtable(L, 1, 0);
	lua_Integer count = 0;
	for (;;) {
		lua_Integer v = 0;
		while (i < n && is_digit(text[i]) && v < 1000000)
			v = 10 * v + (text[i++] - '0');
		lua_pushinteger(L, v);
		lua_rawseti(L, -2, ++count);
		/* ", 4", " and 4", " & 4" */
		size_t j = skip_space(text, i, n);
		if (j < n && (text[j] == ',' || text[j] == '&'))
			j++;
		else if (j + 3 <= n && memcmp(text + j, "and", 3) == 0)
			j += 3;
		j = skip_space(text, j, n);
		if (j >= n || !is_digit(text[j]) || j == i)
			break;
		i = j;
	}
	lua_setfield(L, -2, "numbers");
	*end = i;
	set_int(L, "pos", (lua_Integer)at + 1);
	set_int(L, "word", k);
	lua_pushlstring(L, text + at, wlen);
	lua_setfield(L, -2, "match");
	lua_pushlstring(L, &sep, 1);
	lua_setfield(L, -2, "sep");
	/* The word before, as in "pedagogy claim 3". */
	size_t e = at;
	while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\t'))
		e--;
	size_t b = e;
	while (b > 0 && is_word_byte((unsigned char)text[b - 1]) &&
		text[b - 1] != '_')
		b--;
	if (e < at && b < e) {
		lua_pushlstring(L, text + b, e - b);
		lua_setfield(L, -2, "before");
	}
	return true;
}

/* The first digit in s[i..n), or n. Digits are rare in prose, so this is
 * the whole cost of doc:numbered on most documents: 32 bytes at a time
 * with SSE2 (every x86-64), else 8 with the "hasbetween" trick of Bit
 * Twiddling Hacks. */
static size_t next_digit(const char *s, size_t i, size_t n)
{
#ifdef __SSE2__
	const __m128i lo = _mm_set1_epi8('0' - 1), hi = _mm_set1_epi8('9' + 1);
	for (; i + 32 <= n; i += 32) {
		__m128i a = _mm_loadu_si128((const __m128i *)(s + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(s + i + 16));
		/* Signed compares: bytes >= 0x80 are negative, not digits. */
		__m128i da = _mm_and_si128(_mm_cmpgt_epi8(a, lo),
			_mm_cmplt_epi8(a, hi));
		__m128i db = _mm_and_si128(_mm_cmpgt_epi8(b, lo),
			_mm_cmplt_epi8(b, hi));
		unsigned mask = (unsigned)_mm_movemask_epi8(da) |
			(unsigned)_mm_movemask_epi8(db) << 16;
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#else
	const uint64_t ones = ~(uint64_t)0 / 255, low7 = ones * 127;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		uint64_t t = ((ones * (127 + 0x3A) - (x & low7)) & ~x &
			((x & low7) + ones * (127 - 0x2F))) & (ones * 128);
		if (t)
			break;
	}
#endif
	while (i < n && !is_digit(s[i]))
		i++;
	return i;
}

/* The word of words[] that ends at text[e] ("claim" or "claims" before
 * " 3"), its start in *at; -1 if none. */
static int word_before(const char *text, size_t e, const char *const *words,
	const size_t *lens, int nwords, size_t *at)
{
	for (int k = 0; k < nwords; k++)
		for (int plural = 0; plural < 2; plural++) {
			size_t end = e - (size_t)plural, wl = lens[k];
			if (plural && (e == 0 || text[e - 1] != 's'))
				continue;
			if (end < wl)
				continue;
			size_t a = end - wl;
			char first = text[a], want = words[k][0];
			if (first != want && !(want >= 'a' && want <= 'z' &&
				first == want - 'a' + 'A'))
				continue;
			if (memcmp(text + a + 1, words[k] + 1, wl - 1) != 0)
				continue;
			if (a > 0 && is_word_byte((unsigned char)text[a - 1]))
				continue;
			*at = a;
			return k;
		}
	return -1;
}

/* doc:numbered(word, ...): where doc.text names one of the words followed
 * by a number or a list of them: "claim 3", "Claims 2 and 4", "cpd-1".
 * Words are lower case; the text's may start with a capital and end in
 * "s"; a space or one hyphen comes before the number. Returns nil when
 * there is none (so most documents cost no table), else a list of
 * {pos=, word=index, match=, sep=" " or "-", numbers={...}, before=} in
 * text order; `before` is the word just before, if any.
 *
 * It looks for digits first and then at the word before them: digits are
 * rare in prose, so this is one quick pass over the text whatever the
 * number of words. */
static int doc_numbered(lua_State *L)
{
	doc *d = self_doc(L);
	int nwords = lua_gettop(L) - 1;
	luaL_argcheck(L, nwords >= 1 && nwords <= 16, 2, "1 to 16 words");
	const char *words[16];
	size_t lens[16];
	for (int i = 0; i < nwords; i++) {
		words[i] = luaL_checklstring(L, i + 2, &lens[i]);
		luaL_argcheck(L, lens[i] > 1, i + 2, "a word of two letters or more");
	}
	const char *text = d->body.p ? d->body.p : "";
	size_t n = d->body.n;
	lua_Integer k = 0;
	bool made = false;
	for (size_t i = next_digit(text, 0, n); i < n;
		i = next_digit(text, i + 1, n)) {
		if (i > 0 && is_digit(text[i - 1]))
			continue;
		size_t e = i;
		if (e > 0 && text[e - 1] == '-')
			e--;
		else
			while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\t' ||
				text[e - 1] == '\n' || text[e - 1] == '\r'))
				e--;
		size_t at;
		int w = e < i ? word_before(text, e, words, lens, nwords, &at) : -1;
		if (w < 0)
			continue;
		if (!made) {
			lua_newtable(L);
			made = true;
		}
		size_t end = i;
		if (push_numbered(L, text, n, at, lens[w], w + 1, &end)) {
			lua_rawseti(L, -2, ++k);
			i = end > i ? end - 1 : i;
		}
	}
	if (made && k == 0)
		lua_pop(L, 1);
	if (k == 0)
		lua_pushnil(L);
	return 1;
}

bool doc_method(lua_State *L, const char *k)
{
	static const luaL_Reg methods[] = { { "find", doc_find },
		{ "sub", doc_sub }, { "line_at", doc_line_at },
		{ "numbered", doc_numbered } };
	for (size_t i = 0; i < ARRAY_LEN(methods); i++)
		if (strcmp(k, methods[i].name) == 0) {
			lua_pushcfunction(L, methods[i].func);
			return true;
		}
	return false;
}
