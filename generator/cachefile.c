/*
 * cachefile: see cachefile.h.
 */
#include "cachefile.h"

#include <stdlib.h>
#include <unistd.h>

uint32_t cf_load_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

uint64_t cf_load_u64(const unsigned char *p)
{
	return (uint64_t)cf_load_u32(p) | (uint64_t)cf_load_u32(p + 4) << 32;
}

void cf_store_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

void cf_put_u8(buf *b, unsigned v)
{
	buf_putc(b, (char)(unsigned char)v);
}

void cf_put_u32(buf *b, uint32_t v)
{
	unsigned char x[4];
	cf_store_u32(x, v);
	buf_put(b, x, 4);
}

void cf_put_u64(buf *b, uint64_t v)
{
	cf_put_u32(b, (uint32_t)v);
	cf_put_u32(b, (uint32_t)(v >> 32));
}

const unsigned char *cf_take(cf_reader *r, size_t n)
{
	if (r->bad || n > r->n - r->at) {
		r->bad = true;
		return NULL;
	}
	const unsigned char *p = r->p + r->at;
	r->at += n;
	return p;
}

unsigned cf_get_u8(cf_reader *r)
{
	const unsigned char *x = cf_take(r, 1);
	return x ? x[0] : 0;
}

uint32_t cf_get_u32(cf_reader *r)
{
	const unsigned char *x = cf_take(r, 4);
	return x ? cf_load_u32(x) : 0;
}

uint64_t cf_get_u64(cf_reader *r)
{
	const unsigned char *x = cf_take(r, 8);
	return x ? cf_load_u64(x) : 0;
}

uint64_t cf_get_varint(cf_reader *r)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		const unsigned char *b = cf_take(r, 1);
		if (!b)
			return 0;
		v |= (uint64_t)(*b & 0x7f) << shift;
		if (!(*b & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

size_t cf_fits(cf_reader *r, uint64_t n, size_t min)
{
	if (!r->bad && n > (r->n - r->at) / (min ? min : 1))
		r->bad = true;
	return r->bad ? 0 : (size_t)n;
}

void cf_writer_open(cf_writer *w, const char *path)
{
	w->path = xstrdup(path);
	w->tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
	w->fp = fopen(w->tmp, "wb");
	w->ok = w->fp != NULL;
}

void cf_writer_put(cf_writer *w, const void *p, size_t n)
{
	if (w->ok && n && fwrite(p, 1, n, w->fp) != n)
		w->ok = false;
}

int cf_writer_close(cf_writer *w)
{
	if (w->fp && fclose(w->fp) != 0)
		w->ok = false;
	if (!w->ok || rename(w->tmp, w->path) != 0) {
		remove(w->tmp);
		w->ok = false;
	}
	free(w->tmp);
	free(w->path);
	return w->ok ? 0 : -1;
}

int cf_replace(const char *path, const void *p, size_t n)
{
	cf_writer w;
	cf_writer_open(&w, path);
	cf_writer_put(&w, p, n);
	return cf_writer_close(&w);
}
