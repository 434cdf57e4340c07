/*
 * util: allocation that aborts on out of memory, slices, the growable
 * buffer, UTF-8 validation and whole-file reads.
 */
#include "util.h"

#include <xxhash.h>

#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

char buf_empty_[1];

static void out_of_memory(size_t n)
{
	fprintf(stderr, "enquire: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

slice slice_from(const char *s)
{
	return (slice){ s, s ? strlen(s) : 0 };
}

bool slice_eq(slice a, const char *s)
{
	size_t n = strlen(s);
	return a.n == n && (n == 0 || memcmp(a.p, s, n) == 0);
}

char *slice_dup(slice s)
{
	return xstrndup(s.p ? s.p : "", s.n);
}

void buf_grow(buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	if (extra > SIZE_MAX / 2 - b->len)
		out_of_memory(extra);
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	if (b->cap == 0) {
		b->p = xmalloc(cap);
		b->p[0] = '\0';
	} else {
		b->p = xrealloc(b->p, cap);
	}
	b->cap = cap;
}

void buf_put(buf *b, const void *data, size_t n)
{
	if (n == 0)
		return;
	buf_grow(b, n);
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(buf *b, char c)
{
	buf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	/* Formatted straight into the free space, formatting twice only
	 * when it does not fit: a float's formatting costs thousands of
	 * instructions, and charts print many. */
	va_list ap2;
	va_copy(ap2, ap);
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	int n = vsnprintf(room ? b->p + b->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n <= 0) {
		if (room)
			b->p[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

/* A whole number, with a minus sign when neg. */
static void put_digits(buf *b, unsigned long long u, bool neg)
{
	char tmp[24], *end = tmp + sizeof tmp, *p = end;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (neg)
		*--p = '-';
	buf_put(b, p, (size_t)(end - p));
}

void buf_put_fixed1(buf *b, double v)
{
	double t = v * 10, f = t - floor(t);
	/* t is v * 10 rounded to a double; it rounds to the same tenth as
	 * the exact product that printf rounds unless the two are within
	 * half an ulp (< 1.2e-7 below 1e9) of a tie: printf decides those. */
	if (!(fabs(t) < 1e9) || fabs(f - 0.5) < 1e-6) {
		buf_printf(b, "%.1f", v);
		return;
	}
	unsigned long long u = (unsigned long long)fabs(floor(t + 0.5));
	put_digits(b, u / 10, signbit(v)); /* "-0.0" too, as printf */
	buf_putc(b, '.');
	buf_putc(b, (char)('0' + u % 10));
}

void buf_put_g(buf *b, double v)
{
	/* %g keeps six significant digits: whole numbers below 1e6 are
	 * their digits. */
	if (!(fabs(v) < 1e6) || v != floor(v)) {
		buf_printf(b, "%g", v);
		return;
	}
	put_digits(b, (unsigned long long)fabs(v), signbit(v));
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* The bytes buf_put_html replaces: one table look per byte of text. */
static const bool html_special[256] = {
	['&'] = true, ['<'] = true, ['>'] = true, ['"'] = true, ['\''] = true,
};

void buf_put_html(buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (!html_special[(unsigned char)s[i]])
			continue;
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_put(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_put(b, s + start, n - start);
}

/* The bytes buf_put_json escapes, and how: 'u' as \u00XX, else as a
 * backslash and that letter. */
static const unsigned char json_escape[256] = {
	['\0'] = 'u', [1] = 'u', [2] = 'u', [3] = 'u', [4] = 'u', [5] = 'u',
	[6] = 'u', [7] = 'u', [8] = 'u', ['\t'] = 't', ['\n'] = 'n',
	[11] = 'u', [12] = 'u', ['\r'] = 'r', [14] = 'u', [15] = 'u',
	[16] = 'u', [17] = 'u', [18] = 'u', [19] = 'u', [20] = 'u', [21] = 'u',
	[22] = 'u', [23] = 'u', [24] = 'u', [25] = 'u', [26] = 'u', [27] = 'u',
	[28] = 'u', [29] = 'u', [30] = 'u', [31] = 'u', ['"'] = '"',
	['\\'] = '\\', ['<'] = 'u', ['>'] = 'u', ['&'] = 'u',
};

void buf_put_json(buf *b, const char *s)
{
	/* Room for the worst case (every byte as \u00XX), so the loop
	 * writes without checking: a byte a table look-up. */
	size_t n = strlen(s);
	buf_grow(b, 6 * n + 2);
	char *o = b->p + b->len;
	*o++ = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char e = json_escape[*p];
		if (!e) {
			*o++ = (char)*p;
			continue;
		}
		*o++ = '\\';
		*o++ = (char)e;
		if (e == 'u') {
			static const char hex[] = "0123456789abcdef";
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->p);
}

void buf_truncate(buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->p[len] = '\0';
	}
}

void buf_clear(buf *b)
{
	buf_truncate(b, 0);
}

char *buf_detach(buf *b)
{
	char *p = b->cap ? b->p : xstrdup("");
	*b = BUF_INIT;
	return p;
}

void buf_release(buf *b)
{
	if (b->cap)
		free(b->p);
	*b = BUF_INIT;
}

bool utf8_valid(const char *str, size_t n, size_t *bad_offset)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		/* Content is nearly all ASCII: step over 32 bytes at a time
		 * while none is NUL or >= 0x80 (a byte b is one of those
		 * exactly when b or b - 1 has its top bit set; a borrow only
		 * carries out of a byte that is itself 0). */
		while (n - i >= 32) {
			const uint64_t ones = 0x0101010101010101u;
			const uint64_t high = 0x8080808080808080u;
			uint64_t w[4], any = 0;
			memcpy(w, s + i, sizeof w);
			for (int k = 0; k < 4; k++)
				any |= w[k] | (w[k] - ones);
			if (any & high)
				break;
			i += 32;
		}
		if (i >= n)
			break;
		unsigned c = s[i];
		size_t len;
		uint32_t cp, min;
		if (c < 0x80) {
			if (c == 0)
				goto bad;
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			goto bad;
		}
		if (n - i < len)
			goto bad;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto bad;
		i += len;
	}
	return true;
bad:
	if (bad_offset)
		*bad_offset = i;
	return false;
}

int read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	int err = ferror(f) ? errno : 0;
	fclose(f);
	if (err) {
		buf_release(&b);
		errno = err;
		return -1;
	}
	*len = b.len;
	*out = buf_detach(&b);
	return 0;
}

unsigned long long hash64_portable(const void *p, size_t n,
	unsigned long long h)
{
	return XXH3_64bits_withSeed(p, n, h);
}

void hash128_portable(const void *p, size_t n, unsigned long long seed,
	unsigned long long out[2])
{
	XXH128_hash_t h = XXH3_128bits_withSeed(p, n, seed);
	out[0] = h.low64;
	out[1] = h.high64;
}

static char *dir_if_exists(char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return path;
	free(path);
	return NULL;
}

int make_folders(char *dir, size_t base_len)
{
	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;
	char *slash = strrchr(dir, '/');
	if (errno != ENOENT || !slash || (size_t)(slash - dir) <= base_len)
		return -1;
	*slash = '\0';
	int rc = make_folders(dir, base_len);
	*slash = '/';
	if (rc == 0 && mkdir(dir, 0755) != 0 && errno != EEXIST)
		rc = -1;
	return rc;
}

static unsigned long long program_hash_value;

static void program_hash_once(void)
{
	char *data = NULL;
	size_t len = 0;
	if (read_file("/proc/self/exe", &data, &len) == 0)
		program_hash_value = hash64(data, len, HASH64_INIT);
	free(data);
}

unsigned long long program_hash(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, program_hash_once);
	return program_hash_value;
}

char *install_dir(const char *env, const char *name)
{
	const char *e = getenv(env);
	if (e && *e)
		return xstrdup(e);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	char *dir = dir_if_exists(xasprintf("%s/%s", exe, name));
	if (!dir) /* a binary in the build folder of a source tree */
		dir = dir_if_exists(xasprintf("%s/../%s", exe, name));
	if (!dir)
		dir = dir_if_exists(xasprintf("%s/../share/enquire/%s", exe, name));
	return dir;
}
