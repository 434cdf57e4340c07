/*
 * frontmatter: the first stage of reading a Markdown file, splitting it
 * into YAML front matter and body.
 *
 * Key invariant: nothing is copied; front and body are slices into the
 * caller's text, and front_line/body_line are the lines of the file where
 * those slices start, so later diagnostics point into the real file.
 */
#include "frontmatter.h"

#include <string.h>

/* Is the line s[0..n) (without its \n) the delimiter d, followed only by
 * blanks and a \r? */
static bool is_delimiter(const char *s, size_t n, const char *d)
{
	if (n < 3 || memcmp(s, d, 3) != 0)
		return false;
	for (size_t i = 3; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* The length of the line at s (up to, not including, its \n or the end). */
static size_t line_len(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	return (size_t)((nl ? nl : end) - s);
}

int frontmatter_split(const char *text, size_t len, frontmatter *out)
{
	if (!text) {
		text = "";
		len = 0;
	}
	const char *end = text + len;
	const char *p = text;
	*out = (frontmatter){ false, { text, 0 }, 0, { text, len }, 1 };

	/* A UTF-8 byte order mark is not part of the first line. */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	size_t n = line_len(p, end);
	if (!is_delimiter(p, n, "---"))
		return 0;
	out->has_front = true;
	out->front_line = 2;
	p += n;
	if (p < end)
		p++; /* the \n */
	const char *front = p;
	unsigned line = 2;
	while (p < end) {
		n = line_len(p, end);
		if (is_delimiter(p, n, "---") || is_delimiter(p, n, "...")) {
			out->front = (slice){ front, (size_t)(p - front) };
			p += n;
			if (p < end)
				p++;
			out->body = (slice){ p, (size_t)(end - p) };
			out->body_line = line + 1;
			return 0;
		}
		p += n;
		if (p < end)
			p++;
		line++;
	}
	/* Never closed: the whole rest is front matter, the body is empty. */
	out->front = (slice){ front, (size_t)(end - front) };
	out->body = (slice){ end, 0 };
	out->body_line = line;
	return -1;
}
