/*
 * text: tokenizer, folding, stop words and stemming (see text.h for the
 * rules). Unicode classes, case folding and normalisation come from
 * libunistring, stemming from libstemmer (Snowball). ASCII words, nearly
 * all of an English knowledge base, take a fast path that never calls
 * either library for folding.
 */
#include "text.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "util.h"

static bool is_word_char(ucs4_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9');
	/* Combining marks belong to the letter before them (decomposed
	 * input: "e" + U+0301). */
	return uc_is_alnum(c) || uc_is_general_category(c, UC_CATEGORY_M);
}

static bool is_apostrophe(ucs4_t c)
{
	return c == '\'' || c == 0x2019;
}

/* Decodes the character at s[0..n), n > 0; invalid bytes decode as
 * U+FFFD, which separates words. Returns its length. */
static size_t decode(const char *s, size_t n, ucs4_t *c)
{
	unsigned char b = (unsigned char)*s;
	if (b < 0x80) {
		*c = b;
		return 1;
	}
	int len = u8_mbtouc(c, (const uint8_t *)s, n);
	return len > 0 ? (size_t)len : 1;
}

/* Folds word[0..n) into out (at least 4 * TEXT_MAX_WORD + 1 bytes): lower
 * case, no accents, no apostrophes. Returns the folded length, or 0 when
 * the result is empty or too long. */
static size_t fold(const char *word, size_t n, bool ascii, char *out)
{
	size_t len = 0;
	if (ascii) {
		for (size_t i = 0; i < n; i++) {
			char c = word[i];
			if (c == '\'')
				continue;
			out[len++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
		out[len] = '\0';
		return len <= TEXT_MAX_WORD ? len : 0;
	}
	uint8_t stack[4 * TEXT_MAX_WORD + 16];
	size_t flen = sizeof stack;
	uint8_t *f = u8_casefold((const uint8_t *)word, n, NULL, UNINORM_NFKD,
		stack, &flen);
	if (!f)
		return 0;
	for (size_t i = 0; i < flen && len <= TEXT_MAX_WORD;) {
		ucs4_t c;
		size_t l = decode((const char *)f + i, flen - i, &c);
		if (!uc_is_general_category(c, UC_CATEGORY_M) && !is_apostrophe(c)) {
			if (len + l > TEXT_MAX_WORD) {
				len = TEXT_MAX_WORD + 1;
				break;
			}
			memcpy(out + len, f + i, l);
			len += l;
		}
		i += l;
	}
	if (f != stack)
		free(f);
	if (len > TEXT_MAX_WORD)
		return 0;
	out[len] = '\0';
	return len;
}

size_t text_tokenize(const char *s, size_t n, text_token_fn fn, void *ctx)
{
	char term[4 * TEXT_MAX_WORD + 1];
	unsigned position = 0;
	size_t i = 0;
	while (i < n) {
		ucs4_t c;
		size_t l = decode(s + i, n - i, &c);
		if (!is_word_char(c)) {
			i += l;
			continue;
		}
		size_t start = i, end;
		bool ascii = true;
		for (;;) {
			if (c >= 0x80)
				ascii = false;
			i += l;
			end = i;
			if (i >= n)
				break;
			l = decode(s + i, n - i, &c);
			if (is_word_char(c))
				continue;
			if (!is_apostrophe(c) || i + l >= n)
				break;
			/* An apostrophe joins two parts of a word ("don't"). */
			ucs4_t next;
			size_t nl = decode(s + i + l, n - i - l, &next);
			if (!is_word_char(next))
				break;
			if (c >= 0x80)
				ascii = false;
			i += l;
			c = next;
			l = nl;
		}
		size_t len = end - start > 4 * TEXT_MAX_WORD ? 0 :
			fold(s + start, end - start, ascii, term);
		if (len > 0) {
			text_token t = { term, len, start, end - start, position };
			if (fn(ctx, &t))
				return position + 1;
		}
		position++;
	}
	return position;
}

/* Common English function words: they carry no meaning for ranking or
 * matching. Sorted, for bsearch. */
static const char *const stopwords[] = {
	"a", "about", "after", "again", "all", "am", "an", "and", "any", "are",
	"as", "at", "be", "because", "been", "before", "being", "between",
	"both", "but", "by", "can", "could", "did", "do", "does", "doing",
	"during", "each", "few", "for", "from", "further", "had", "has", "have",
	"having", "he", "her", "here", "hers", "herself", "him", "himself",
	"his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
	"just", "me", "more", "most", "my", "myself", "no", "nor", "not", "of",
	"off", "on", "once", "only", "or", "other", "our", "ours", "ourselves",
	"out", "over", "own", "same", "she", "should", "so", "some", "such",
	"than", "that", "the", "their", "theirs", "them", "themselves", "then",
	"there", "these", "they", "this", "those", "through", "to", "too",
	"under", "until", "up", "very", "was", "we", "were", "what", "when",
	"where", "which", "while", "who", "whom", "why", "will", "with",
	"would", "you", "your", "yours", "yourself", "yourselves",
};

typedef struct {
	const char *s;
	size_t n;
} word_key;

static int compare_stopword(const void *key, const void *item)
{
	const word_key *k = key;
	const char *w = *(const char *const *)item;
	int c = strncmp(k->s, w, k->n);
	if (c != 0)
		return c;
	return w[k->n] == '\0' ? 0 : -1;
}

bool text_is_stopword(const char *term, size_t len)
{
	if (len > 10)
		return false;
	word_key k = { term, len };
	return bsearch(&k, stopwords, sizeof stopwords / sizeof *stopwords,
		sizeof *stopwords, compare_stopword) != NULL;
}

struct text_stemmer {
	struct sb_stemmer *sb;
	char out[4 * TEXT_MAX_WORD + 8]; /* the last stem, NUL-terminated */
};

/* libstemmer reports running out of memory as NULL; like xmalloc, we
 * stop there. */
static void stemmer_oom(void)
{
	fputs("enquire: out of memory (stemmer)\n", stderr);
	abort();
}

text_stemmer *text_stemmer_new(void)
{
	struct sb_stemmer *sb = sb_stemmer_new("english", NULL);
	if (!sb)
		stemmer_oom();
	text_stemmer *st = xmalloc(sizeof *st);
	st->sb = sb;
	return st;
}

void text_stemmer_free(text_stemmer *st)
{
	if (!st)
		return;
	sb_stemmer_delete(st->sb);
	free(st);
}

const char *text_stem(text_stemmer *st, const char *term, size_t len,
	size_t *stem_len)
{
	const sb_symbol *r = sb_stemmer_stem(st->sb, (const sb_symbol *)term,
		(int)len);
	if (!r)
		stemmer_oom();
	/* The result is not documented as NUL-terminated; a stem is never
	 * longer than the word, but stay within out regardless. */
	size_t n = (size_t)sb_stemmer_length(st->sb);
	if (n >= sizeof st->out)
		n = sizeof st->out - 1;
	memcpy(st->out, r, n);
	st->out[n] = '\0';
	*stem_len = n;
	return st->out;
}

typedef struct {
	text_stemmer *st;
	unsigned flags;
	text_token_fn fn;
	void *ctx;
} analyse_ctx;

static int analyse_token(void *ctx, const text_token *t)
{
	analyse_ctx *a = ctx;
	if ((a->flags & TEXT_DROP_STOPWORDS) && text_is_stopword(t->term, t->len))
		return 0;
	if (!(a->flags & TEXT_STEM))
		return a->fn(a->ctx, t);
	text_token s = *t;
	s.term = text_stem(a->st, t->term, t->len, &s.len);
	return a->fn(a->ctx, &s);
}

size_t text_analyse(text_stemmer *st, unsigned flags, const char *s, size_t n,
	text_token_fn fn, void *ctx)
{
	analyse_ctx a = { st, flags, fn, ctx };
	return text_tokenize(s, n, analyse_token, &a);
}
