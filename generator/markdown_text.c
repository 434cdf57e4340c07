/*
 * markdown_text: the parts of the Markdown stage that need no cmark:
 * UTF-8 and character classes, heading slugs, C2L phase names, excerpts
 * and word counts (declared in markdown.h and markdown_text.h).
 */
#include "markdown.h"
#include "markdown_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Bytes of excerpt text before the "…" is appended. */
#define EXCERPT_MAX 240

/* ---- UTF-8 and character classes ---- */

/* Decodes the code point at s[*i] and advances *i. An invalid, overlong
 * or truncated sequence yields U+FFFD and consumes one byte. */
static uint32_t next_cp(const char *s, size_t n, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s + *i;
	size_t left = n - *i;
	uint32_t cp;
	size_t len;
	if (u[0] < 0x80) {
		*i += 1;
		return u[0];
	} else if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		cp = u[0] & 0x1F, len = 2;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		cp = u[0] & 0x0F, len = 3;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		cp = u[0] & 0x07, len = 4;
	} else {
		goto bad;
	}
	if (left < len)
		goto bad;
	for (size_t k = 1; k < len; k++) {
		if ((u[k] & 0xC0) != 0x80)
			goto bad;
		cp = cp << 6 | (u[k] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto bad;
	*i += len;
	return cp;
bad:
	*i += 1;
	return 0xFFFD;
}

static void put_cp(buf *b, uint32_t cp)
{
	char s[4];
	size_t n;
	if (cp < 0x80) {
		s[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | cp >> 6), n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | cp >> 12), n = 3;
	} else {
		s[0] = (char)(0xF0 | cp >> 18), n = 4;
	}
	for (size_t k = 1; k < n; k++)
		s[k] = (char)(0x80 | ((cp >> (6 * (n - 1 - k))) & 0x3F));
	buf_put(b, s, n);
}

static bool is_ascii_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		(c >= 'A' && c <= 'Z');
}

/*
 * Letters, digits and combining marks: what words and slugs are made of.
 * Without Unicode tables, non-ASCII counts as a letter unless it lies in a
 * block of punctuation, spaces or symbols (Latin-1 punctuation, general
 * punctuation to dingbats and arrows, CJK punctuation, full-width
 * punctuation, specials including U+FFFD, private use, emoji).
 */
static bool is_word_cp(uint32_t c)
{
	if (c < 0x80)
		return is_ascii_alnum(c);
	if (c >= 0x10000) /* not emoji, tags or private use */
		return !(c >= 0x1F000 && c <= 0x1FAFF) && c < 0xE0000;
	if (c <= 0xBF)
		return c == 0xAA || c == 0xB5 || c == 0xBA;
	return !(c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) ||
		(c >= 0x2E00 && c <= 0x2E7F) || (c >= 0x3000 && c <= 0x303F) ||
		(c >= 0xE000 && c <= 0xF8FF) || (c >= 0xFE00 && c <= 0xFE6F) ||
		(c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
		(c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) ||
		c >= 0xFFF0);
}

/* Lowercase for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic;
 * other scripts are kept as written. */
static uint32_t to_lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c < 0xC0)
		return c;
	if (c <= 0xDE)
		return c == 0xD7 ? c : c + 32;
	if (c >= 0x100 && c <= 0x17F) {
		if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F)
			return c;
		if (c == 0x178)
			return 0xFF;
		bool odd_upper = (c >= 0x139 && c <= 0x148) || c >= 0x179;
		return (c % 2 == 1) == odd_upper ? c + 1 : c;
	}
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 37;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 63;
	if ((c >= 0x391 && c <= 0x3AB && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

bool markdown_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		c == '\v';
}

/* Appends s[0..n) with runs of ASCII whitespace made one space and no
 * space at either end. */
void markdown_put_collapsed(buf *b, const char *s, size_t n)
{
	bool gap = false;
	for (size_t i = 0; i < n; i++) {
		if (markdown_is_space(s[i])) {
			gap = true;
			continue;
		}
		if (gap && b->len)
			buf_putc(b, ' ');
		gap = false;
		buf_putc(b, s[i]);
	}
}

/* ---- slugs, phases, excerpts, words ---- */

char *markdown_slugify(const char *text)
{
	buf b = BUF_INIT;
	size_t n = text ? strlen(text) : 0;
	for (size_t i = 0; i < n;) {
		uint32_t c = next_cp(text, n, &i);
		if (c < 0x80 && markdown_is_space((char)c))
			buf_putc(&b, '-');
		else if (c == '-' || c == '_' || is_word_cp(c))
			put_cp(&b, to_lower(c));
	}
	if (!b.len)
		buf_puts(&b, "section");
	return buf_detach(&b);
}

/* Does s start with the word w (followed by a space or the end)? */
static size_t word_at(const char *s, const char *w)
{
	size_t n = strlen(w);
	return strncmp(s, w, n) == 0 && (s[n] == ' ' || !s[n]) ? n : 0;
}

static size_t numbering_at(const char *s)
{
	static const char *const words[] = { "one", "two", "three", "four",
		"five", "i", "ii", "iii", "iv", "v" };
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (n && (s[n] == ' ' || !s[n]))
		return n;
	for (size_t k = 0; k < ARRAY_LEN(words); k++)
		if ((n = word_at(s, words[k])))
			return n;
	return 0;
}

/* The start of the last word of s[0..n), or NULL when there is one word. */
static const char *last_word(const char *s, size_t n)
{
	while (n > 0 && s[n - 1] != ' ')
		n--;
	return n ? s + n : NULL;
}

static size_t skip_word(const char *s, size_t n)
{
	return n + (s[n] == ' ');
}

/*
 * The heading is first normalised: ASCII lowercased, every run of
 * punctuation and spaces made one space. Then leading "the", numbering
 * ("1.", "2.1", "iv", "phase 1:", "stage two -") and a trailing "phase" or
 * "stage" (optionally numbered) are stripped. What remains must be exactly
 * a keyword, or "final conclusion(s)", or "conclusion(s) and ...".
 * Anything else ("Impact on staff", "Implementation details") is not a
 * phase heading: those are sub-sections an author wrote inside a phase.
 */
c2l_phase markdown_phase_of(const char *heading_text)
{
	buf b = BUF_INIT;
	size_t n = heading_text ? strlen(heading_text) : 0;
	bool gap = false;
	for (size_t i = 0; i < n;) {
		size_t at = i;
		uint32_t c = next_cp(heading_text, n, &i);
		bool sep = c < 0x80 ? !is_ascii_alnum(c) :
			c == 0xA0 || c == 0xFFFD || (c >= 0x2000 && c <= 0x206F) ||
			c == 0x3000;
		if (sep) {
			gap = b.len > 0;
			continue;
		}
		if (gap)
			buf_putc(&b, ' ');
		gap = false;
		if (c < 0x80)
			buf_putc(&b, (char)to_lower(c));
		else
			buf_put(&b, heading_text + at, i - at);
	}

	const char *s = b.p;
	for (;;) {
		size_t k;
		if ((k = word_at(s, "the"))) {
			s += skip_word(s, k);
		} else if ((k = word_at(s, "phase")) || (k = word_at(s, "stage")) ||
			(k = word_at(s, "step")) || (k = word_at(s, "part"))) {
			size_t m = numbering_at(s + skip_word(s, k));
			if (!m)
				break;
			s += skip_word(s, k);
			s += skip_word(s, m);
		} else if ((k = numbering_at(s)) && s[k]) {
			s += skip_word(s, k);
		} else {
			break;
		}
	}

	/* Trailing "phase", "stage", "phase 2". */
	size_t len = strlen(s);
	for (int pass = 0; pass < 2; pass++) {
		const char *w = last_word(s, len);
		if (!w)
			break;
		size_t wl = len - (size_t)(w - s);
		if (pass == 0 && numbering_at(w) == wl) {
			const char *prev = last_word(s, (size_t)(w - s) - 1);
			prev = prev ? prev : s;
			if (!word_at(prev, "phase") && !word_at(prev, "stage"))
				break;
		} else if (!word_at(w, "phase") && !word_at(w, "stage")) {
			break;
		}
		len = (size_t)(w - s) - 1;
	}

	c2l_phase p = C2L_NONE;
	char *r = xstrndup(s, len);
	if (!strcmp(r, "implementation"))
		p = C2L_IMPLEMENTATION;
	else if (!strcmp(r, "innovation"))
		p = C2L_INNOVATION;
	else if (!strcmp(r, "impact"))
		p = C2L_IMPACT;
	else if (!strcmp(r, "conclusion") || !strcmp(r, "conclusions") ||
		!strcmp(r, "final conclusion") || !strcmp(r, "final conclusions") ||
		!strncmp(r, "conclusion and ", 15) || !strncmp(r, "conclusions and ", 16))
		p = C2L_CONCLUSIONS;
	free(r);
	buf_release(&b);
	return p;
}

const char *c2l_phase_name(c2l_phase p)
{
	switch (p) {
	case C2L_IMPLEMENTATION: return "implementation";
	case C2L_INNOVATION: return "innovation";
	case C2L_IMPACT: return "impact";
	case C2L_CONCLUSIONS: return "conclusions";
	default: return "";
	}
}

/* Whitespace collapsed, then cut at a word boundary to EXCERPT_MAX bytes
 * with "…" appended. A single word longer than that is cut at a UTF-8
 * character boundary. The caller frees the result. */
char *markdown_excerpt(const char *s, size_t n)
{
	buf b = BUF_INIT;
	markdown_put_collapsed(&b, s, n);
	if (b.len > EXCERPT_MAX) {
		size_t cut = EXCERPT_MAX;
		if (b.p[cut] != ' ')
			while (cut > 0 && b.p[cut - 1] != ' ')
				cut--;
		/* Drop the space and any dangling clause punctuation. */
		while (cut > 0 && b.p[cut - 1] && strchr(" ,;:-", b.p[cut - 1]))
			cut--;
		if (cut == 0) {
			cut = EXCERPT_MAX;
			while (cut > 0 && ((unsigned char)b.p[cut] & 0xC0) == 0x80)
				cut--;
		}
		buf_truncate(&b, cut);
		buf_puts(&b, "\xE2\x80\xA6");
	}
	return buf_detach(&b);
}

/* The code point at s[*i], advancing *i, and whether it is a word
 * character; ASCII (most of any text) without a call. */
static inline uint32_t next_word_cp(const char *s, size_t n, size_t *i,
	bool *word)
{
	unsigned char b = (unsigned char)s[*i];
	if (b < 0x80) {
		*i += 1;
		*word = is_ascii_alnum(b);
		return b;
	}
	uint32_t c = next_cp(s, n, i);
	*word = is_word_cp(c);
	return c;
}

size_t markdown_count_words(const char *s, size_t n)
{
	size_t words = 0;
	bool in = false, word;
	for (size_t i = 0; i < n;) {
		uint32_t c = next_word_cp(s, n, &i, &word);
		if (word) {
			words += !in;
			in = true;
		} else if (in && (c == '\'' || c == 0x2019) && i < n) {
			size_t j = i; /* an apostrophe inside a word: "don't" */
			in = is_word_cp(next_cp(s, n, &j));
		} else {
			in = false;
		}
	}
	return words;
}
