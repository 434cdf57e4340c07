/*
 * markdown: the Markdown stage. Parses a document body with cmark-gfm
 * (tables, strikethrough, autolinks), gives every heading a unique id,
 * collects the headings, the plain text, an excerpt and a word count, and
 * renders HTML.
 *
 * Key invariants: this is the only file that includes cmark-gfm's headers;
 * every cmark parse runs under parse_lock and after guard (see there);
 * raw HTML and dangerous URLs reach the output only with
 * MARKDOWN_UNSAFE_HTML.
 */
#include "markdown.h"

#include "markdown_mem.h"
#include "util.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of excerpt text before the "…" is appended. */
#define EXCERPT_MAX 240

static const char *const ext_names[] = { "table", "strikethrough", "autolink" };
static cmark_syntax_extension *exts[ARRAY_LEN(ext_names)];
/* The table extension's cell node type; its header is not installed, so
 * it is learned by parsing a probe table once. */
static cmark_node_type table_cell_type;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
/*
 * cmark-gfm 0.29.0.gfm.6 marks the extensions' trigger characters ('~',
 * ':', 'w') special in a process-global table when inline parsing starts
 * and clears them when it ends (blocks.c process_inlines, table.c
 * row_from_string). Two parses at once therefore lose strikethrough and
 * autolinks at random (about 30% of renders with 4 threads). So parsing
 * is serialised; walking the tree and rendering HTML run in parallel.
 */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * cmark-gfm 0.29.0.gfm.6 takes quadratic time on some inputs (fixed in
 * later releases): a table row's cells are appended one list walk at a
 * time (cells squared per row), rows short of cells are padded to the
 * header's width, and each link closed after unclosed "![" openers
 * rescans them all. A 12 KB table took 15 s and 1 GB here. So a linear
 * pre-scan bounds that work; past a budget the document is parsed without
 * the table extension, or with every "![" escaped, instead of hanging.
 */
#define TABLE_WORK_BUDGET ((uint64_t)1 << 27) /* about a second */
#define TABLE_PAD_BUDGET ((uint64_t)1 << 18) /* empty cells added */
#define IMAGE_WORK_BUDGET ((uint64_t)1 << 26)

enum { GUARD_NO_TABLES = 1 << 0, GUARD_ESCAPE_IMAGES = 1 << 1 };

static bool blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* A table's delimiter row: only '-', '|', ':' and blanks, with a '-'. */
static bool delimiter_row(const char *p, const char *end)
{
	if (*p != '-' && *p != '|' && *p != ':')
		return false; /* most lines: one look */
	bool dash = false;
	for (; p < end; p++) {
		if (*p != '-' && *p != '|' && *p != ':' && !blank_byte(*p))
			return false;
		dash |= *p == '-';
	}
	return dash;
}

/* How many times byte a is followed by byte b. */
static uint64_t count_pairs(const char *s, size_t n, char a, char b)
{
	uint64_t count = 0;
	const char *end = s + n;
	for (const char *p = s; p < end && (p = memchr(p, a, (size_t)(end - p))); p++)
		count += p + 1 < end && p[1] == b;
	return count;
}

/* The pre-scan runs over every document, so lines are taken with memchr
 * and only a line that could be part of a table is looked at closely. */
static unsigned guard(const char *s, size_t n)
{
	uint64_t table_work = 0, pad = 0;
	size_t cols = 0, prev_cells = 0; /* cols > 0: inside a table */
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n;
		size_t first = i, last, cells = 1;
		while (first < end && blank_byte(s[first]))
			first++;
		if (first == end) {
			cols = 0;
			prev_cells = cells;
			i = end + 1;
			continue;
		}
		for (last = end - 1; blank_byte(s[last]); last--)
			;
		size_t pipes = 0;
		const char *stop = s + last + 1;
		for (const char *p = s + first;
			p < stop && (p = memchr(p, '|', (size_t)(stop - p))); p++)
			pipes++;
		cells = pipes + 1 - ((s[first] == '|') +
			(last > first && s[last] == '|'));
		if (cols) {
			table_work += (uint64_t)cells * cells;
			pad += cells < cols ? cols - cells : 0;
		} else if (delimiter_row(s + first, stop)) {
			cols = cells;
			table_work += (uint64_t)prev_cells * prev_cells +
				(uint64_t)cells * cells;
		}
		prev_cells = cells;
		i = end + 1;
	}
	uint64_t opens = count_pairs(s, n, '!', '['),
		closes = count_pairs(s, n, ']', '(');
	return (table_work > TABLE_WORK_BUDGET || pad > TABLE_PAD_BUDGET ?
		GUARD_NO_TABLES : 0) |
		(opens * closes > IMAGE_WORK_BUDGET ? GUARD_ESCAPE_IMAGES : 0);
}

static cmark_parser *parse(const char *text, size_t len, int options,
	cmark_mem *mem, cmark_node **root)
{
	unsigned g = guard(text, len);
	buf escaped = BUF_INIT;
	if (g & GUARD_ESCAPE_IMAGES) {
		for (size_t i = 0; i < len; i++) {
			buf_putc(&escaped, text[i]);
			if (text[i] == '!' && i + 1 < len && text[i + 1] == '[')
				buf_putc(&escaped, '\\');
		}
		text = escaped.p;
		len = escaped.len;
	}
	cmark_parser *p = cmark_parser_new_with_mem(options, mem);
	for (size_t i = 0; i < ARRAY_LEN(exts); i++)
		if (!(g & GUARD_NO_TABLES) || strcmp(ext_names[i], "table"))
			cmark_parser_attach_syntax_extension(p, exts[i]);
	pthread_mutex_lock(&parse_lock);
	cmark_parser_feed(p, len ? text : "", len);
	*root = cmark_parser_finish(p);
	pthread_mutex_unlock(&parse_lock);
	buf_release(&escaped);
	return p;
}

static void broken_install(const char *what)
{
	fprintf(stderr, "enquire: cmark-gfm %s is missing\n", what);
	abort();
}

static void init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	for (size_t i = 0; i < ARRAY_LEN(exts); i++)
		if (!(exts[i] = cmark_find_syntax_extension(ext_names[i])))
			broken_install(ext_names[i]);

	static const char probe[] = "| a |\n| - |\n";
	cmark_node *root = NULL;
	cmark_parser *p = parse(probe, sizeof probe - 1, CMARK_OPT_DEFAULT,
		cmark_get_default_mem_allocator(), &root);
	cmark_node *table = cmark_node_first_child(root);
	cmark_node *row = table ? cmark_node_first_child(table) : NULL;
	cmark_node *cell = row ? cmark_node_first_child(row) : NULL;
	if (!cell)
		broken_install("table support");
	table_cell_type = cmark_node_get_type(cell);
	cmark_node_free(root);
	cmark_parser_free(p);
}

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

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		c == '\v';
}

/* Appends s[0..n) with runs of ASCII whitespace made one space and no
 * space at either end. */
static void put_collapsed(buf *b, const char *s, size_t n)
{
	bool gap = false;
	for (size_t i = 0; i < n; i++) {
		if (is_space(s[i])) {
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
		if (c < 0x80 && is_space((char)c))
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
static char *make_excerpt(const char *s, size_t n)
{
	buf b = BUF_INIT;
	put_collapsed(&b, s, n);
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

static size_t count_words(const char *s, size_t n)
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

/* ---- heading ids ---- */

/* The ids given so far, with GitHub's counter of repeats per id. */
typedef struct {
	const char *key; /* owned by the heading */
	unsigned repeats;
} id_slot;

static size_t hash_str(const char *s)
{
	size_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot holding key, or the empty slot where it would go; the table is
 * never more than half full. */
static id_slot *id_find(id_slot *t, size_t cap, const char *key)
{
	size_t i = hash_str(key) & (cap - 1);
	while (t[i].key && strcmp(t[i].key, key))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* github-slugger's rule: a repeat of "x" becomes "x-N" with N counting the
 * repeats of "x", skipping any "x-N" already taken. */
static char *unique_id(id_slot *t, size_t cap, const char *slug)
{
	char *id = xstrdup(slug);
	id_slot *s = id_find(t, cap, id);
	id_slot *orig = s;
	while (s->key) {
		orig->repeats++;
		free(id);
		id = xasprintf("%s-%u", slug, orig->repeats);
		s = id_find(t, cap, id);
	}
	s->key = id;
	s->repeats = 0;
	return id;
}

/* ---- the tree walk ---- */

typedef struct {
	buf text; /* the body's plain text */
	buf cap; /* plain text of the heading or first paragraph in hand */
	bool capturing;
	int in_image; /* alt text goes to the body text only */
	char *excerpt;
	markdown_heading *headings;
	cmark_node **nodes; /* the heading nodes, parallel to headings */
	size_t n, alloc;
} walk;

static void emit(walk *w, const char *s, size_t n)
{
	buf_put(&w->text, s, n);
	if (w->capturing && !w->in_image)
		buf_put(&w->cap, s, n);
}

static void end_block(walk *w)
{
	while (w->text.len && w->text.p[w->text.len - 1] == ' ')
		buf_truncate(&w->text, w->text.len - 1);
	if (w->text.len && w->text.p[w->text.len - 1] != '\n')
		buf_putc(&w->text, '\n');
}

static void add_heading(walk *w, cmark_node *node)
{
	if (w->n == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 8;
		w->headings = xrealloc(w->headings, w->alloc * sizeof *w->headings);
		w->nodes = xrealloc(w->nodes, w->alloc * sizeof *w->nodes);
	}
	buf t = BUF_INIT;
	put_collapsed(&t, w->cap.p, w->cap.len);
	int line = cmark_node_get_start_line(node);
	w->headings[w->n] = (markdown_heading){
		.level = cmark_node_get_heading_level(node),
		.text = buf_detach(&t),
		.line = line > 0 ? (unsigned)line : 1,
	};
	w->nodes[w->n++] = node;
}

static void visit(walk *w, cmark_node *node, bool entering)
{
	cmark_node_type type = cmark_node_get_type(node);
	const char *lit;
	switch (type) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		if ((lit = cmark_node_get_literal(node)))
			emit(w, lit, strlen(lit));
		break;
	case CMARK_NODE_SOFTBREAK:
		emit(w, " ", 1);
		break;
	case CMARK_NODE_LINEBREAK:
		emit(w, "\n", 1);
		break;
	case CMARK_NODE_IMAGE:
		w->in_image += entering ? 1 : -1;
		break;
	case CMARK_NODE_CODE_BLOCK:
		end_block(w);
		if ((lit = cmark_node_get_literal(node)))
			emit(w, lit, strlen(lit));
		end_block(w);
		break;
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		if (entering) {
			w->capturing = type == CMARK_NODE_HEADING || !w->excerpt;
			buf_clear(&w->cap);
			break;
		}
		if (type == CMARK_NODE_HEADING) {
			add_heading(w, node);
		} else if (w->capturing) {
			char *e = make_excerpt(w->cap.p, w->cap.len);
			if (*e)
				w->excerpt = e;
			else
				free(e);
		}
		w->capturing = false;
		end_block(w);
		break;
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		break; /* markup, not text */
	default:
		if (type == table_cell_type) {
			if (!entering)
				emit(w, " ", 1);
		} else if ((type & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK) {
			end_block(w); /* lists, items, quotes, rows, rules */
		}
		break;
	}
}

/* Replaces the heading node with a custom block holding its HTML with the
 * id spliced in, so the document renders in one pass in both modes. */
static void give_id(cmark_node *node, const char *id, int level,
	int render_opts, cmark_llist *ext_list, cmark_mem *mem)
{
	char *html = cmark_render_html(node, render_opts, ext_list);
	buf b = BUF_INIT;
	if (html[0] == '<' && html[1] == 'h' && html[2] == '0' + level &&
		html[3] == '>') {
		buf_printf(&b, "<h%d id=\"", level);
		buf_put_html(&b, id, strlen(id));
		buf_puts(&b, "\">");
		buf_puts(&b, html + 4);
	} else {
		buf_puts(&b, html);
	}
	while (b.len && b.p[b.len - 1] == '\n')
		buf_truncate(&b, b.len - 1);
	/* html is in the document's arena (markdown_mem): no free */

	/* cmark links only nodes of the same allocator */
	cmark_node *custom = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem);
	if (cmark_node_set_on_enter(custom, b.p) && cmark_node_replace(node, custom))
		cmark_node_free(node);
	else
		cmark_node_free(custom);
	buf_release(&b);
}

int markdown_render(const char *text, size_t len, unsigned flags,
	markdown_doc *out)
{
	walk w = { .text = BUF_INIT, .cap = BUF_INIT };
	id_slot *ids = NULL;
	cmark_iter *it = NULL;
	cmark_node *root = NULL;
	cmark_parser *parser = NULL;
	/* style="text-align" instead of the obsolete align attribute */
	int render_opts = CMARK_OPT_DEFAULT | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;

	pthread_once(&init_once, init);
	memset(out, 0, sizeof *out);
	for (size_t p = 0; p < C2L_COUNT; p++)
		out->phase_heading[p] = -1;
	if (flags & MARKDOWN_UNSAFE_HTML)
		render_opts |= CMARK_OPT_UNSAFE;
	arena mem = ARENA_INIT;
	cmark_mem *cm = markdown_mem_begin(&mem);
	parser = parse(text, len, render_opts | CMARK_OPT_VALIDATE_UTF8, cm,
		&root);

	it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		visit(&w, cmark_iter_get_node(it), ev == CMARK_EVENT_ENTER);

	size_t cap = 16;
	while (cap < 2 * w.n + 2)
		cap *= 2;
	ids = xcalloc(cap, sizeof *ids);
	cmark_llist *ext_list = cmark_parser_get_syntax_extensions(parser);
	for (size_t i = 0; i < w.n; i++) {
		markdown_heading *h = &w.headings[i];
		char *slug = markdown_slugify(h->text);
		h->id = unique_id(ids, cap, slug);
		free(slug);
		h->phase = markdown_phase_of(h->text);
		if (h->phase != C2L_NONE && out->phase_heading[h->phase] < 0)
			out->phase_heading[h->phase] = (int)i;
		give_id(w.nodes[i], h->id, h->level, render_opts, ext_list, cm);
	}

	/* The HTML comes from the document's arena: keep a copy. */
	char *html = cmark_render_html(root, render_opts, ext_list);
	out->html = xstrdup(html);
	while (w.text.len && is_space(w.text.p[w.text.len - 1]))
		buf_truncate(&w.text, w.text.len - 1);
	out->words = count_words(w.text.p, w.text.len);
	/* Kept until the search index is built: no spare capacity (the
	 * buffer doubled as it grew). */
	out->text = w.text.cap ? xrealloc(w.text.p, w.text.len + 1) : xstrdup("");
	w.text = BUF_INIT;
	out->excerpt = w.excerpt ? w.excerpt : xstrdup("");
	out->headings = w.headings;
	out->nheadings = w.n;

	free(ids);
	free(w.nodes);
	buf_release(&w.cap);
	cmark_iter_free(it);
	cmark_node_free(root);
	cmark_parser_free(parser);
	markdown_mem_end();
	arena_release(&mem);
	return 0;
}

void markdown_doc_release(markdown_doc *doc)
{
	if (!doc)
		return;
	if (doc->borrowed) {
		memset(doc, 0, sizeof *doc);
		return;
	}
	for (size_t i = 0; i < doc->nheadings; i++) {
		free(doc->headings[i].id);
		free(doc->headings[i].text);
	}
	free(doc->headings);
	free(doc->html);
	free(doc->text);
	free(doc->excerpt);
	memset(doc, 0, sizeof *doc);
}

const char *markdown_library_version(void)
{
	return cmark_version_string();
}
