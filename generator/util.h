/*
 * util: the out-of-memory policy, slices and the growable buffer.
 *
 * enquire is a command-line tool, so running out of memory is not an input
 * error: the x* allocators print a message and abort. Every other error path
 * in the code base is then about real input or I/O.
 */
#ifndef ENQUIRE_UTIL_H
#define ENQUIRE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* The caller must free the result. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string; the caller must free the result. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A view into bytes owned by someone else (a loaded file, a buffer). */
typedef struct {
	const char *p;
	size_t n;
} slice;

#define SLICE_NULL ((slice){ NULL, 0 })
slice slice_from(const char *s);
bool slice_eq(slice a, const char *s);
/* The caller must free the result. */
char *slice_dup(slice s);

/*
 * A growable byte buffer held by value. Its `p` is never NULL (an empty
 * buffer points at a static "") and is always NUL-terminated; buf_detach is
 * the only way to take the bytes.
 */
typedef struct {
	char *p;
	size_t len, cap;
} buf;

extern char buf_empty_[1];
#define BUF_INIT ((buf){ buf_empty_, 0, 0 })

void buf_grow(buf *b, size_t extra);
void buf_put(buf *b, const void *data, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* printf's "%.1f" and "%g" of v, byte for byte, mostly without printf
 * (whose exact float formatting costs thousands of instructions). */
void buf_put_fixed1(buf *b, double v);
void buf_put_g(buf *b, double v);
/* Appends s with &, <, >, " and ' escaped for HTML text and attributes. */
void buf_put_html(buf *b, const char *s, size_t n);
/* Appends s as a JSON string (quotes included). '<' is escaped too, so
 * the JSON is safe inside an HTML <script> element. */
void buf_put_json(buf *b, const char *s);
void buf_truncate(buf *b, size_t len);
void buf_clear(buf *b);
/* The caller owns (and must free) the returned string; b is reset. */
char *buf_detach(buf *b);
void buf_release(buf *b);

/* Is s[0..n) valid UTF-8 (no overlongs, surrogates or NULs)? On failure
 * *bad_offset is the byte offset of the first bad sequence. */
bool utf8_valid(const char *s, size_t n, size_t *bad_offset);

/* 64-bit XXH3 of n bytes, seeded with h, so hashes chain
 * (start with HASH64_INIT):
 * for cache keys and checksums, not for security. */
#define HASH64_INIT 0xcbf29ce484222325ULL
unsigned long long hash64(const void *p, size_t n, unsigned long long h);
/* 128-bit XXH3 of n bytes, seeded: a key that stands for content (the
 * parse cache's), where 64 bits would leave collisions merely unlikely. */
void hash128(const void *p, size_t n, unsigned long long seed,
	unsigned long long out[2]);
/* The same numbers from libxxhash's build for any x86-64; hash64 and
 * hash128 (hash.c) use a faster build where the processor allows. */
unsigned long long hash64_portable(const void *p, size_t n,
	unsigned long long h);
void hash128_portable(const void *p, size_t n, unsigned long long seed,
	unsigned long long out[2]);

/* mkdir -p of dir (restored on return), whose first base_len bytes name
 * a folder that exists (0: none known). The deepest folder is tried
 * first: a page mostly goes into a folder of its own, made by one mkdir,
 * in a folder that exists. Safe when threads race (EEXIST is success).
 * Returns 0 or -1 with errno set. */
int make_folders(char *dir, size_t base_len);

/* A hash of the running program's bytes (0 where the system does not
 * show them), read once: caches that depend on enquire's code (parses,
 * rendered pages) join it to their key, because a development build
 * changes the code without changing the version number. */
unsigned long long program_hash(void);

/* A folder installed with enquire (themes, plugins): $env when set, else
 * name beside the executable, in its parent (a build in a source tree) or
 * in ../share/enquire/. NULL when none exists; the caller frees it. */
char *install_dir(const char *env, const char *name);

/* Reads a whole file from disk. Returns 0 and a malloc'd NUL-terminated
 * buffer in *out (the caller frees it), or -1 with errno set. */
int read_file(const char *path, char **out, size_t *len);

#endif
