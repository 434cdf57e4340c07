/*
 * mustache_parse: template text to a node tree, one line at a time.
 *
 * Each line is first cut into tokens (text and tags; a set-delimiter tag
 * takes effect at once, for the rest of the line too). Only then is it
 * decided whether the line is standalone: whitespace and a single tag that
 * prints nothing (section, inverted, end, comment, partial, delimiter,
 * parent or block), or whitespace and nothing but inheritance tags ({{<p}},
 * {{$b}}, their ends, comments). A standalone line leaves no text behind;
 * its leading whitespace becomes the indentation of a partial, parent or
 * block on it. Tokens then go to a stack of open sections that builds the
 * tree.
 *
 * Block re-indentation (the spec's ~inheritance module): when a block's
 * opening tag ends a standalone line, the leading whitespace of the next
 * line is the block's own ("intrinsic") indentation. It is stripped from
 * every line inside the block (`dedent` accumulates over nested blocks) and
 * re-added wherever the block is expanded.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mustache_int.h"

#define ROOT_KIND 0xff /* kind of the bottom frame, which is no node */

typedef struct {
	char sigil; /* 0 text, 'v' variable, else the tag's sigil character */
	size_t start, end; /* text bytes, or the whole tag with delimiters */
	const char *content; /* tag: trimmed, after the sigil */
	size_t clen;
	unsigned line, col;
} tok;

typedef struct {
	mnode n; /* the open section, parent or block */
	mnode *kids;
	size_t nkids, cap;
	size_t saved_dedent;
} frame;

typedef struct {
	const mtmpl *t;
	const char *src;
	size_t len;
	arena *a;
	diag_list *d;
	int errors;
	bool fatal; /* stop: the rest of the template cannot be read */
	const char *otag, *ctag; /* current delimiters, pointing into src */
	size_t olen, clen;
	size_t pos, line_start;
	unsigned line;
	size_t col_off; /* column() counted up to here on this line ... */
	unsigned col; /* ... which is this column */
	const char *next_open; /* the next opening delimiter at or after pos,
	                        * when next_known; NULL for none */
	bool next_known;
	tok *toks; /* the tokens of the current line */
	size_t ntoks, tcap;
	frame stack[MUSTACHE_MAX_NEST + 1]; /* [0] is the template itself */
	size_t depth;
	size_t dedent; /* leading whitespace to strip from each line */
	bool bol; /* the next node starts a template line */
} parser;

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static bool has_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_ws(s[i]) || s[i] == '\n' || s[i] == '\r' || s[i] == '\v' ||
				s[i] == '\f')
			return true;
	return false;
}

static void trim(const char **s, size_t *n)
{
	while (*n && has_space(*s, 1)) {
		(*s)++;
		(*n)--;
	}
	while (*n && has_space(*s + *n - 1, 1))
		(*n)--;
}

/* memmem, which POSIX lacks. */
static const char *find_bytes(const char *s, size_t n, const char *pat,
	size_t m)
{
	if (m == 0 || m > n)
		return NULL;
	for (const char *end = s + n - m + 1; s < end; s++) {
		s = memchr(s, pat[0], (size_t)(end - s));
		if (!s)
			return NULL;
		if (memcmp(s, pat, m) == 0)
			return s;
	}
	return NULL;
}

static void advance_to(parser *p, size_t pos)
{
	for (size_t i = p->pos; i < pos; i++)
		if (p->src[i] == '\n') {
			p->line++;
			p->line_start = p->col_off = i + 1;
			p->col = 1;
		}
	p->pos = pos;
}

/* 1-based column of offset off (at or after p->pos) on the current line,
 * in characters. Counts on from the last call, so that a long line with
 * many tags costs linear time. */
static unsigned column(parser *p, size_t off)
{
	if (off < p->col_off) {
		p->col_off = p->line_start;
		p->col = 1;
	}
	for (; p->col_off < off; p->col_off++)
		if (((unsigned char)p->src[p->col_off] & 0xc0) != 0x80)
			p->col++;
	return p->col;
}

static void error_at(parser *p, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void error_at(parser *p, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	p->errors++;
	if (!p->d)
		return;
	va_start(ap, fmt);
	diag_vadd(p->d, DIAG_ERROR, p->t->path, line, col, fmt, ap);
	va_end(ap);
}

/* Length of at most max bytes of s that ends on a character boundary and
 * before any line break, for quoting source in messages. */
static int snippet(const char *s, size_t n, size_t max)
{
	size_t k = 0;
	while (k < n && k < max && s[k] != '\n' && s[k] != '\r')
		k++;
	if (k < n && k == max)
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	return (int)k;
}

static void push_tok(parser *p, const tok *t)
{
	if (p->ntoks == p->tcap) {
		p->tcap = p->tcap ? p->tcap * 2 : 16;
		p->toks = xrealloc(p->toks, p->tcap * sizeof *p->toks);
	}
	p->toks[p->ntoks++] = *t;
}

static void push_text(parser *p, size_t start, size_t end)
{
	tok t = { 0 };
	t.start = start;
	t.end = end;
	t.line = p->line;
	t.col = column(p, start);
	push_tok(p, &t);
}

/* Where the tag closes: the delimiter ctag, preceded by `pre` for {{{x}}}
 * and {{=a b=}}. Returns the offset of pre (or of ctag), or -1. */
static long find_close(const parser *p, size_t from, char pre)
{
	size_t at = from;
	while (at < p->len) {
		const char *c = find_bytes(p->src + at, p->len - at, p->ctag, p->clen);
		if (!c)
			return -1;
		size_t off = (size_t)(c - p->src);
		if (!pre)
			return (long)off;
		if (off > from && p->src[off - 1] == pre)
			return (long)off - 1;
		at = off + 1;
	}
	return -1;
}

/* {{=<% %>=}}: exactly two delimiters, no whitespace or '=' in either. */
static bool set_delims(parser *p, const char *s, size_t n)
{
	size_t i = 0, a0, a1, b0, b1;
	a0 = i;
	while (i < n && !has_space(s + i, 1))
		i++;
	a1 = i;
	while (i < n && has_space(s + i, 1))
		i++;
	b0 = i;
	while (i < n && !has_space(s + i, 1))
		i++;
	b1 = i;
	if (a1 == a0 || b1 == b0 || i != n || memchr(s + a0, '=', a1 - a0) ||
			memchr(s + b0, '=', b1 - b0))
		return false;
	p->otag = s + a0;
	p->olen = a1 - a0;
	p->ctag = s + b0;
	p->clen = b1 - b0;
	return true;
}

/* Checks the name of a tag that names something; reports and returns
 * false when it is empty, has whitespace, or (dotted) an empty part. */
static bool check_name(parser *p, const tok *t, const char *s, size_t n,
	bool dotted)
{
	const char *what = NULL;
	if (n == 0)
		what = "empty name in tag";
	else if (has_space(s, n))
		what = "whitespace in tag name";
	else if (dotted && !(n == 1 && s[0] == '.') &&
			(s[0] == '.' || s[n - 1] == '.' || find_bytes(s, n, "..", 2)))
		what = "empty part in dotted name";
	if (!what)
		return true;
	int k = snippet(p->src + t->start, t->end - t->start, 40);
	error_at(p, t->line, t->col, "%s '%.*s'", what, k, p->src + t->start);
	return false;
}

/* Reads the tag whose opening delimiter is at p->pos into a token. */
static void read_tag(parser *p)
{
	tok t = { 0 };
	size_t q = p->pos + p->olen;
	char pre = 0;
	t.start = p->pos;
	t.line = p->line;
	t.col = column(p, p->pos);
	t.sigil = 'v';
	if (q < p->len && (p->src[q] == '{' || p->src[q] == '=')) {
		t.sigil = p->src[q];
		pre = p->src[q] == '{' ? '}' : '=';
		q++;
	} else {
		size_t r = q;
		while (r < p->len && has_space(p->src + r, 1))
			r++;
		if (r < p->len && p->src[r] && strchr("#^/!><$&", p->src[r])) {
			t.sigil = p->src[r];
			q = r + 1;
		}
	}
	long close = find_close(p, q, pre);
	if (close < 0 && t.sigil == '=' && find_close(p, q, 0) >= 0) {
		/* {{=<% %>}}: closed, but without the second '=' */
		size_t end = (size_t)find_close(p, q, 0) + p->clen;
		int k = snippet(p->src + t.start, end - t.start, 40);
		error_at(p, t.line, t.col, "bad set-delimiter tag '%.*s'", k,
			p->src + t.start);
		p->fatal = true;
		return;
	}
	if (close < 0) {
		int k = snippet(p->src + t.start, p->len - t.start, 20);
		error_at(p, t.line, t.col, "unclosed tag '%.*s'", k,
			p->src + t.start);
		p->fatal = true;
		return;
	}
	t.content = p->src + q;
	t.clen = (size_t)close - q;
	trim(&t.content, &t.clen);
	t.end = (size_t)close + (pre ? 1 : 0) + p->clen;
	if (t.sigil == '=') {
		p->next_known = false;
		if (!set_delims(p, t.content, t.clen)) {
			int k = snippet(p->src + t.start, t.end - t.start, 40);
			error_at(p, t.line, t.col, "bad set-delimiter tag '%.*s'",
				k, p->src + t.start);
			p->fatal = true;
			return;
		}
	} else if (t.sigil == '>' || t.sigil == '<') {
		const char *s = t.content;
		size_t n = t.clen;
		bool dyn = n && s[0] == '*';
		if (dyn) {
			s++;
			n--;
			trim(&s, &n);
		}
		check_name(p, &t, s, n, dyn);
	} else if (t.sigil != '!') {
		check_name(p, &t, t.content, t.clen, t.sigil != '$');
	}
	advance_to(p, t.end);
	push_tok(p, &t);
}

/* Cuts the next line into tokens. A tag may span lines (a long comment);
 * the line then ends at the first line break after it. */
static void collect_line(parser *p)
{
	p->ntoks = 0;
	while (p->pos < p->len && !p->fatal) {
		const char *s = p->src + p->pos, *end = p->src + p->len;
		/* Searched once per delimiter, not once per line: a long
		 * template without tags must not cost quadratic time. */
		if (!p->next_known || (p->next_open && p->next_open < s)) {
			p->next_open = find_bytes(s, (size_t)(end - s), p->otag,
				p->olen);
			p->next_known = true;
		}
		const char *o = p->next_open;
		const char *nl = memchr(s, '\n', (size_t)((o ? o : end) - s));
		if (nl || !o) {
			size_t stop = nl ? (size_t)(nl + 1 - p->src) : p->len;
			push_text(p, p->pos, stop);
			advance_to(p, stop);
			return;
		}
		if (o > s)
			push_text(p, p->pos, (size_t)(o - p->src));
		advance_to(p, (size_t)(o - p->src));
		read_tag(p);
	}
}

/* A name as written, copied into the arena and split at dots for lookups.
 * With dyn_ok a leading '*' marks a dynamic name: it is normalised
 * ("* x" -> "*x") and the part after the '*' is split. */
static mname make_name(parser *p, const char *s, size_t n, bool dotted,
	bool dyn_ok)
{
	mname nm = { 0 };
	bool dyn = dyn_ok && n && s[0] == '*';
	const char *rest = s + dyn;
	size_t rn = n - dyn;
	trim(&rest, &rn);
	char *raw = arena_alloc(p->a, rn + 2);
	if (dyn)
		raw[0] = '*';
	memcpy(raw + dyn, rest, rn);
	nm.raw = raw;
	if (!dotted || (rn == 1 && rest[0] == '.'))
		return nm;
	size_t parts = 1;
	for (size_t i = 0; i < rn; i++)
		parts += rest[i] == '.';
	const char **v = arena_alloc(p->a, parts * sizeof *v);
	size_t k = 0, from = 0;
	for (size_t i = 0; i <= rn; i++)
		if (i == rn || rest[i] == '.') {
			v[k++] = arena_strndup(p->a, rest + from, i - from);
			from = i + 1;
		}
	nm.parts = v;
	nm.nparts = k;
	return nm;
}

static void add_node(parser *p, const mnode *n)
{
	frame *f = &p->stack[p->depth];
	/* A parent keeps only its argument blocks; other text is ignored. */
	if (f->n.kind == MN_PARENT && n->kind != MN_BLOCK)
		return;
	if (n->kind == MN_TEXT && f->nkids) {
		mnode *last = &f->kids[f->nkids - 1];
		if (last->kind == MN_TEXT && last->text + last->len == n->text) {
			last->len += n->len;
			return;
		}
	}
	if (f->nkids == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->kids = xrealloc(f->kids, f->cap * sizeof *f->kids);
	}
	f->kids[f->nkids++] = *n;
}

static void add_text(parser *p, const tok *t)
{
	size_t start = t->start, end = t->end;
	if (end <= start)
		return;
	mnode n = { 0 };
	n.kind = MN_TEXT;
	n.line = t->line;
	n.col = t->col;
	n.path = p->t->path;
	n.bol = p->bol;
	n.text = p->src + start;
	n.len = end - start;
	add_node(p, &n);
	p->bol = p->src[end - 1] == '\n';
}

/* Moves a finished frame's children into the arena. */
static void seal(parser *p, frame *f, mnode **kids, size_t *n)
{
	*n = f->nkids;
	*kids = NULL;
	if (f->nkids) {
		*kids = arena_alloc(p->a, f->nkids * sizeof **kids);
		memcpy(*kids, f->kids, f->nkids * sizeof **kids);
	}
	free(f->kids);
	f->kids = NULL;
	f->nkids = f->cap = 0;
}

static const char *kind_word(unsigned kind)
{
	switch (kind) {
	case MN_PARENT: return "parent";
	case MN_BLOCK: return "block";
	default: return "section";
	}
}

static void close_tag(parser *p, const tok *t, bool standalone, bool nl)
{
	mname nm = make_name(p, t->content, t->clen, false, true);
	if (p->depth == 0) {
		error_at(p, t->line, t->col, "unexpected end tag '%s'", nm.raw);
		return;
	}
	frame *f = &p->stack[p->depth];
	if (strcmp(nm.raw, f->n.name.raw) != 0)
		/* Reported, then taken as the end of the open section, which
		 * keeps later diagnostics meaningful. */
		error_at(p, t->line, t->col,
			"end tag '%s' does not match open %s '%s'", nm.raw,
			kind_word(f->n.kind), f->n.name.raw);
	mnode n = f->n;
	seal(p, f, &n.kids, &n.nkids);
	if (n.kind == MN_BLOCK)
		n.force_nl = standalone && nl;
	p->dedent = f->saved_dedent;
	p->depth--;
	add_node(p, &n);
}

static void open_tag(parser *p, const tok *t, mnode *n)
{
	if (p->depth == MUSTACHE_MAX_NEST) {
		error_at(p, t->line, t->col, "sections nested deeper than %d",
			MUSTACHE_MAX_NEST);
		p->fatal = true;
		return;
	}
	frame *f = &p->stack[++p->depth];
	memset(f, 0, sizeof *f);
	f->n = *n;
	f->saved_dedent = p->dedent;
}

/* Feeds one tag to the tree. standalone: it is on a standalone line, whose
 * leading whitespace (given to the first tag) is indent; last: no tag
 * follows on the line; nl: the line ended with a line break. */
static void feed_tag(parser *p, const tok *t, bool standalone,
	const char *indent, size_t indent_len, bool last, bool nl)
{
	mnode n = { 0 };
	n.line = t->line;
	n.col = t->col;
	n.path = p->t->path;
	n.bol = p->bol;
	switch (t->sigil) {
	case '!':
	case '=':
		return;
	case '/':
		close_tag(p, t, standalone, nl);
		return;
	case 'v':
	case '&':
	case '{':
		n.kind = t->sigil == 'v' ? MN_VAR : MN_RAW;
		n.name = make_name(p, t->content, t->clen, true, false);
		add_node(p, &n);
		p->bol = false;
		return;
	case '#':
	case '^':
		n.kind = t->sigil == '#' ? MN_SECTION : MN_INVERTED;
		n.name = make_name(p, t->content, t->clen, true, false);
		open_tag(p, t, &n);
		return;
	case '>':
	case '<':
		n.kind = t->sigil == '>' ? MN_PARTIAL : MN_PARENT;
		n.dynamic = t->clen && t->content[0] == '*';
		n.name = make_name(p, t->content, t->clen, n.dynamic, true);
		n.standalone = standalone;
		n.indent = indent;
		n.indent_len = indent_len;
		if (!standalone)
			p->bol = false;
		if (n.kind == MN_PARTIAL)
			add_node(p, &n);
		else
			open_tag(p, t, &n);
		return;
	case '$':
		n.kind = MN_BLOCK;
		n.name = make_name(p, t->content, t->clen, false, false);
		n.standalone = standalone;
		n.indent = indent;
		n.indent_len = indent_len;
		size_t dedent = p->dedent;
		if (standalone && last && nl) {
			/* Intrinsic indentation: that of the next line, past
			 * what enclosing blocks strip already. */
			size_t q = p->pos, k = 0;
			while (k < dedent && q < p->len && is_ws(p->src[q]))
				q++, k++;
			size_t r = q;
			while (r < p->len && is_ws(p->src[r]))
				r++;
			n.indent = p->src + q;
			n.indent_len = r - q;
			dedent += r - q;
		}
		open_tag(p, t, &n);
		if (!p->fatal)
			p->dedent = dedent;
		return;
	default:
		return;
	}
}

/* Would the line's tags, all of them {{<p}}, {{$b}}, comments or ends of
 * parents and blocks, make a standalone line? */
static bool inheritance_only(const parser *p)
{
	unsigned char opened[64];
	size_t nopen = 0, below = 0;
	bool any = false;
	for (size_t i = 0; i < p->ntoks; i++) {
		const tok *t = &p->toks[i];
		if (t->sigil == 0 || t->sigil == '!')
			continue;
		if (t->sigil == '<' || t->sigil == '$') {
			if (nopen == sizeof opened)
				return false;
			opened[nopen++] = t->sigil == '<' ? MN_PARENT : MN_BLOCK;
			any = true;
			continue;
		}
		if (t->sigil != '/')
			return false;
		unsigned kind;
		if (nopen)
			kind = opened[--nopen];
		else if (below < p->depth)
			kind = p->stack[p->depth - below++].n.kind;
		else
			return false;
		if (kind != MN_PARENT && kind != MN_BLOCK)
			return false;
		any = true;
	}
	return any;
}

static void process_line(parser *p)
{
	size_t ntags = 0, first = 0, last = 0, nl = 0;
	bool blank = true;
	for (size_t i = 0; i < p->ntoks; i++) {
		const tok *t = &p->toks[i];
		if (t->sigil) {
			if (!ntags++)
				first = i;
			last = i;
			continue;
		}
		size_t end = t->end;
		if (i + 1 == p->ntoks && p->src[end - 1] == '\n') {
			nl = end - 1 > t->start && p->src[end - 2] == '\r' ? 2 : 1;
			end -= nl;
		}
		for (size_t j = t->start; j < end && blank; j++)
			blank = is_ws(p->src[j]);
	}
	bool standalone = blank && ntags > 0 &&
		(ntags == 1 ? strchr("#^/!=><$", p->toks[first].sigil) != NULL
			: inheritance_only(p));
	if (!standalone) {
		for (size_t i = 0; i < p->ntoks && !p->fatal; i++) {
			const tok *t = &p->toks[i];
			if (t->sigil)
				feed_tag(p, t, false, NULL, 0, false, false);
			else
				add_text(p, t);
		}
		return;
	}
	const tok *lead = first > 0 ? &p->toks[0] : NULL;
	for (size_t i = first; i <= last && !p->fatal; i++) {
		const tok *t = &p->toks[i];
		if (!t->sigil)
			continue;
		bool is_first = i == first && lead;
		feed_tag(p, t, true, is_first ? p->src + lead->start : NULL,
			is_first ? lead->end - lead->start : 0, i == last, nl > 0);
	}
	p->bol = true;
}

int mustache_parse(mtmpl *t, arena *a, diag_list *d)
{
	parser *p = xcalloc(1, sizeof *p);
	p->t = t;
	p->src = t->text;
	p->len = t->len;
	p->a = a;
	p->d = d;
	p->otag = "{{";
	p->ctag = "}}";
	p->olen = p->clen = 2;
	p->line = p->col = 1;
	p->bol = true;
	p->stack[0].n.kind = ROOT_KIND;
	while (p->pos < p->len && !p->fatal) {
		size_t k = 0;
		while (k < p->dedent && p->pos < p->len && is_ws(p->src[p->pos]))
			p->pos++, k++;
		collect_line(p);
		if (!p->fatal)
			process_line(p);
	}
	for (; p->depth > 0; p->depth--) {
		frame *f = &p->stack[p->depth];
		if (!p->fatal)
			error_at(p, f->n.line, f->n.col, "unclosed %s '%s'",
				kind_word(f->n.kind), f->n.name.raw);
		free(f->kids);
	}
	seal(p, &p->stack[0], &t->root, &t->nroot);
	int errors = p->errors;
	free(p->toks);
	free(p);
	return errors;
}
