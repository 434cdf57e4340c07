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
#include "markdown_text.h"
#include "util.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	markdown_put_collapsed(&t, w->cap.p, w->cap.len);
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
			char *e = markdown_excerpt(w->cap.p, w->cap.len);
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
	while (w.text.len && markdown_is_space(w.text.p[w.text.len - 1]))
		buf_truncate(&w.text, w.text.len - 1);
	out->words = markdown_count_words(w.text.p, w.text.len);
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
