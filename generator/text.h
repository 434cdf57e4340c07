/*
 * text: the words of prose, for the search index and the Lua plugins.
 *
 * One tokenizer serves both, so a search query, a claim's keywords and a
 * document's text are cut into the same terms:
 *
 *   - a word is a run of letters and digits (Unicode classes, via
 *     libunistring): "KS2" is one word, "ks2";
 *   - an apostrophe (' or U+2019) between two letters is dropped, so
 *     "don't" is "dont"; one at either end of a word is not part of it
 *     ("pupils'" is "pupils");
 *   - everything else separates words: "P-levels" is "p" and "levels",
 *     "lesson-study" matches the phrase "lesson study";
 *   - words are folded: lower case (full Unicode case folding) and without
 *     accents (NFKD, combining marks removed), so "Café" is "cafe";
 *   - words longer than TEXT_MAX_WORD bytes (URLs, data) are skipped.
 *
 * text_analyse adds English stemming (Snowball, libstemmer) and drops stop
 * words, for indexing and matching; positions still count every word, so
 * phrase queries line up.
 */
#ifndef ENQUIRE_TEXT_H
#define ENQUIRE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define TEXT_MAX_WORD 64

typedef struct {
	const char *term; /* folded (or stemmed) term, NUL-terminated; valid
	                     only during the callback */
	size_t len; /* strlen(term) */
	size_t offset, length; /* the word's bytes in the input */
	unsigned position; /* 0-based word number in the input */
} text_token;

/* Called for each token; return nonzero to stop. */
typedef int (*text_token_fn)(void *ctx, const text_token *t);

/* Cuts s[0..n) (UTF-8; invalid bytes separate words) into folded words.
 * Returns how many words were seen. Thread-safe. */
size_t text_tokenize(const char *s, size_t n, text_token_fn fn, void *ctx);

/* Whether a folded word is an English stop word ("the", "and", ...). */
bool text_is_stopword(const char *term, size_t len);

/* An English Snowball stemmer. Not thread-safe: one per thread. */
typedef struct text_stemmer text_stemmer;
text_stemmer *text_stemmer_new(void);
void text_stemmer_free(text_stemmer *st);
/* The stem of a folded word; valid until the next call on st. */
const char *text_stem(text_stemmer *st, const char *term, size_t len,
	size_t *stem_len);

enum {
	TEXT_STEM = 1 << 0, /* pass terms through the stemmer */
	TEXT_DROP_STOPWORDS = 1 << 1, /* leave stop words out */
};

/* text_tokenize, then per flags: stop words dropped, terms stemmed (st
 * may be NULL without TEXT_STEM). Returns how many words were seen. */
size_t text_analyse(text_stemmer *st, unsigned flags, const char *s, size_t n,
	text_token_fn fn, void *ctx);

#endif
