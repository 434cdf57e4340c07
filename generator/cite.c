/*
 * cite: references and reference-manager records (see cite.h).
 */
#include "cite.h"

#include <ctype.h>
#include <string.h>

#include "hashkey.h"

static void put_html(buf *b, const char *s)
{
	buf_put_html(b, s, strlen(s));
}

/* The first byte of the next word at or after s (skipping spaces). */
static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Initials of given names: "Mary-Jane Anne" -> "M.-J. A." */
static void initials(buf *out, const char *s, size_t n)
{
	bool first = true, start = true;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '.') {
			start = true;
			continue;
		}
		if (c == '-') {
			buf_putc(out, '-');
			start = true;
			continue;
		}
		if (!start)
			continue;
		if (!first && out->len && out->p[out->len - 1] != '-')
			buf_putc(out, ' ');
		/* The whole first character, even if it is not ASCII. */
		size_t len = 1;
		while (i + len < n && ((unsigned char)s[i + len] & 0xC0) == 0x80)
			len++;
		buf_put(out, s + i, len);
		buf_putc(out, '.');
		first = start = false;
	}
}

void cite_name(buf *out, const char *name)
{
	name = skip_spaces(name);
	size_t n = strlen(name);
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	const char *comma = memchr(name, ',', n);
	if (comma) { /* "Surname, Given" */
		buf_put(out, name, (size_t)(comma - name));
		const char *given = skip_spaces(comma + 1);
		size_t gn = n - (size_t)(given - name);
		if (gn) {
			buf_puts(out, ", ");
			initials(out, given, gn);
		}
		return;
	}
	const char *last = NULL;
	for (size_t i = 0; i < n; i++)
		if (name[i] == ' ')
			last = name + i;
	if (!last) { /* one word: an organisation or a mononym */
		buf_put(out, name, n);
		return;
	}
	const char *surname = last + 1;
	buf_put(out, surname, n - (size_t)(surname - name));
	buf_puts(out, ", ");
	initials(out, name, (size_t)(last - name));
}

/* The corporate author when no person is named. */
static const char *corporate(const cite_info *c)
{
	return c->doc->alliance ? c->doc->alliance->name : c->publisher;
}

static void year(buf *out, const cite_info *c)
{
	const char *d = c->doc->date;
	if (d && strlen(d) >= 4)
		buf_put(out, d, 4);
	else
		buf_puts(out, "n.d.");
}

/* Authors joined with ", " and last_sep ("and", "&amp;"). */
static void author_list(buf *out, const cite_info *c, const char *last_sep,
	bool comma_before_last)
{
	const strlist *a = &c->doc->authors;
	if (!a->n) {
		put_html(out, corporate(c));
		return;
	}
	for (size_t i = 0; i < a->n; i++) {
		if (i > 0 && i + 1 == a->n) {
			buf_puts(out, comma_before_last ? ", " : " ");
			buf_puts(out, last_sep);
			buf_putc(out, ' ');
		} else if (i > 0) {
			buf_puts(out, ", ");
		}
		buf nm = BUF_INIT;
		cite_name(&nm, a->items[i]);
		buf_put_html(out, nm.p, nm.len);
		buf_release(&nm);
	}
}

/* The publisher part: "Alliance name, Site title" (or just the site). */
static void publisher(buf *out, const cite_info *c)
{
	if (c->doc->alliance && c->doc->authors.n) {
		put_html(out, c->doc->alliance->name);
		buf_puts(out, ", ");
	}
	put_html(out, c->publisher);
}

void cite_harvard_html(buf *out, const cite_info *c)
{
	author_list(out, c, "and", false);
	buf_puts(out, " (");
	year(out, c);
	buf_puts(out, ") <i>");
	put_html(out, c->doc->title);
	buf_puts(out, "</i>. Case study. ");
	publisher(out, c);
	buf_puts(out, ". Available at: ");
	put_html(out, c->url);
	/* Cite Them Right wants the date the reader saw the page, which a
	 * static page cannot know: a placeholder, which cite.js fills in with
	 * today's date when scripts run. */
	buf_puts(out, " (Accessed: <span class=\"cite-accessed\">day month year</span>).");
}

void cite_apa_html(buf *out, const cite_info *c)
{
	const strlist *a = &c->doc->authors;
	author_list(out, c, "&amp;", a->n > 2);
	/* APA ends the author element with a full stop unless an initial's
	 * full stop is already there. */
	if (out->len && out->p[out->len - 1] != '.')
		buf_putc(out, '.');
	buf_puts(out, " (");
	year(out, c);
	buf_puts(out, "). <i>");
	put_html(out, c->doc->title);
	buf_puts(out, "</i> [Case study]. ");
	publisher(out, c);
	buf_puts(out, ". ");
	put_html(out, c->url);
}

/* BibTeX: special characters escaped, braces balanced. Plain runs are
 * copied whole: a citation file's abstract is most of its bytes. */
static void put_bibtex(buf *b, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "{}%&$#_\\^~\n\r\t");
		buf_put(b, s, n);
		s += n;
		if (!*s)
			return;
		switch (*s) {
		case '\\': buf_puts(b, "\\textbackslash{}"); break;
		case '^': buf_puts(b, "\\textasciicircum{}"); break;
		case '~': buf_puts(b, "\\textasciitilde{}"); break;
		case '\n': case '\r': case '\t': buf_putc(b, ' '); break;
		default: /* { } % & $ # _ */
			buf_putc(b, '\\');
			buf_putc(b, *s);
		}
		s++;
	}
}

static void bib_field(buf *b, const char *key, const char *v, bool braces)
{
	if (!v || !*v)
		return;
	buf_puts(b, "  ");
	buf_puts(b, key);
	buf_puts(b, braces ? " = {{" : " = {");
	put_bibtex(b, v);
	buf_puts(b, braces ? "}},\n" : "},\n");
}

void cite_bibtex(buf *out, const cite_info *c)
{
	const doc *d = c->doc;
	buf key = BUF_INIT;
	for (const char *s = d->slug; *s; s++)
		buf_putc(&key, isalnum((unsigned char)*s) ? *s : '-');
	buf_printf(out, "@misc{%s,\n", key.p);
	buf_release(&key);
	buf names = BUF_INIT;
	for (size_t i = 0; i < d->authors.n; i++) {
		if (i)
			buf_puts(&names, " and ");
		cite_name(&names, d->authors.items[i]);
	}
	if (d->authors.n)
		bib_field(out, "author", names.p, false);
	else /* a corporate author is braced, so it is not split into names */
		bib_field(out, "author", corporate(c), true);
	buf_release(&names);
	bib_field(out, "title", d->title, true);
	if (d->date && strlen(d->date) >= 4) {
		char y[5];
		memcpy(y, d->date, 4);
		y[4] = '\0';
		bib_field(out, "year", y, false);
	}
	if (d->date && strlen(d->date) >= 7) {
		static const char *const months[] = { "jan", "feb", "mar", "apr",
			"may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
		int mo = (d->date[5] - '0') * 10 + (d->date[6] - '0');
		if (mo >= 1 && mo <= 12)
			buf_printf(out, "  month = %s,\n", months[mo - 1]);
	}
	bib_field(out, "howpublished", "Case study", false);
	if (d->alliance)
		bib_field(out, "organization", d->alliance->name, true);
	bib_field(out, "publisher", c->publisher, true);
	bib_field(out, "url", c->url, false);
	bib_field(out, "abstract", d->md.excerpt, false);
	bib_field(out, "language", c->language, false);
	bib_field(out, "copyright", d->licence, false);
	buf_puts(out, "}\n");
}

/* RIS: one "TAG  - value" line each, CRLF, values on one line. */
static void ris(buf *b, const char *tag, const char *v)
{
	if (!v || !*v)
		return;
	buf_puts(b, tag);
	buf_puts(b, "  - ");
	for (;;) {
		size_t n = strcspn(v, "\n\r\t");
		buf_put(b, v, n);
		v += n;
		if (!*v)
			break;
		buf_putc(b, ' ');
		v++;
	}
	buf_puts(b, "\r\n");
}

void cite_ris(buf *out, const cite_info *c)
{
	const doc *d = c->doc;
	ris(out, "TY", "RPRT");
	for (size_t i = 0; i < d->authors.n; i++) {
		buf nm = BUF_INIT;
		cite_name(&nm, d->authors.items[i]);
		ris(out, "AU", nm.p);
		buf_release(&nm);
	}
	if (!d->authors.n)
		ris(out, "AU", corporate(c));
	ris(out, "TI", d->title);
	ris(out, "T3", "Case study");
	if (d->date && strlen(d->date) >= 4) {
		char y[5];
		memcpy(y, d->date, 4);
		y[4] = '\0';
		ris(out, "PY", y);
	}
	if (d->date && *d->date) {
		char da[16];
		/* RIS dates are YYYY/MM/DD/ with empty parts allowed. */
		snprintf(da, sizeof da, "%.4s/%.2s/%.2s/", d->date,
			strlen(d->date) >= 7 ? d->date + 5 : "",
			strlen(d->date) >= 10 ? d->date + 8 : "");
		ris(out, "DA", da);
	}
	if (d->alliance)
		ris(out, "A2", d->alliance->name);
	ris(out, "PB", c->publisher);
	ris(out, "UR", c->url);
	ris(out, "AB", d->md.excerpt);
	for (size_t i = 0; i < d->tags.n; i++)
		ris(out, "KW", d->tags.items[i]);
	for (size_t i = 0; i < d->nclaims; i++)
		ris(out, "KW", d->claims[i].claim->title);
	ris(out, "LA", c->language);
	/* "ER  - " ends the record (ris() skips empty values). */
	buf_puts(out, "ER  - \r\n");
}

/* Bump when any format writes anything differently: built sites hold
 * citations keyed by the version that wrote them (cite_key). The build
 * key also holds the program's hash (util.h), where the system shows it. */
#define CITE_VERSION 1

static void key_strlist(hashkey *k, const strlist *l)
{
	hashkey_u64(k, l->n);
	for (size_t i = 0; i < l->n; i++)
		hashkey_str(k, l->items[i]);
}

/* Every field of c and c->doc that the formats above read: a new one
 * read there must be added here (test_cite checks each). */
unsigned long long cite_inputs_key(const cite_info *c)
{
	const doc *d = c->doc;
	hashkey k;
	hashkey_init(&k, "cite");
	hashkey_u64(&k, CITE_VERSION);
	hashkey_str(&k, c->url);
	hashkey_str(&k, c->publisher);
	hashkey_str(&k, c->language);
	hashkey_str(&k, d->slug);
	hashkey_str(&k, d->title);
	hashkey_str(&k, d->date);
	hashkey_str(&k, d->licence);
	hashkey_str(&k, d->md.excerpt);
	key_strlist(&k, &d->authors);
	key_strlist(&k, &d->tags);
	hashkey_str(&k, d->alliance ? d->alliance->name : NULL);
	hashkey_u64(&k, d->nclaims);
	for (size_t i = 0; i < d->nclaims; i++)
		hashkey_str(&k, d->claims[i].claim->title);
	return hashkey_done(&k);
}

unsigned long long cite_format_key(unsigned long long inputs,
	const char *format)
{
	hashkey k;
	hashkey_init(&k, "cite-format");
	hashkey_u64(&k, inputs);
	hashkey_str(&k, format);
	return hashkey_done(&k);
}

unsigned long long cite_key(const cite_info *c, const char *format)
{
	return cite_format_key(cite_inputs_key(c), format);
}
