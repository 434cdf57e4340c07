/*
 * Unit tests for parse_cache: what comes back from the file equals a
 * fresh parse (positions, kinds, quoting, headings), and a file that is
 * short, corrupt, from another version or hostile (a valid checksum over
 * nonsense) is a miss, never a crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cachefile.h"
#include "markdown.h"
#include "parse_cache.h"
#include "testutil.h"
#include "util.h"
#include "yamlparse.h"

static const char front[] =
	"title: \"Talk: for writing\"\n"
	"number: 12\n"
	"float: 2.50\n"
	"yes: true\n"
	"nothing: ~\n"
	"empty:\n"
	"plain: 0012\n"
	"block: |\n"
	"  two\n"
	"  lines\n"
	"tags: [a, 'b', 3]\n"
	"base: &b { x: 1, y: [p, q] }\n"
	"copy: *b\n"
	"nested:\n"
	"  - id: pedagogy-1\n"
	"    note: \"caf\\u00e9\"\n"
	"  - {}\n"
	"  - []\n";

static const char body[] =
	"Intro paragraph with *emphasis* and a [link](https://example.org).\n\n"
	"## Implementation\n\nWe did things.\n\n"
	"## Impact\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
	"## Impact\n\nAgain, with <b>raw</b> html.\n";

static char *dir;
static char *file;

static int setup(void **state)
{
	dir = tu_mkdtemp();
	file = tu_path(dir, PARSE_CACHE_FILE);
	return 0;
}

static int teardown(void **state)
{
	tu_rmrf(dir);
	free(dir);
	free(file);
	return 0;
}

static void assert_same_value(const value *a, const value *b)
{
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->col, b->col);
	assert_int_equal(a->quoted, b->quoted);
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->str, b->str, a->len + 1);
	switch (a->kind) {
	case VALUE_BOOL:
		assert_int_equal(a->u.b, b->u.b);
		break;
	case VALUE_NUMBER:
		assert_true(a->u.num == b->u.num);
		break;
	case VALUE_LIST:
		assert_int_equal(a->u.list.n, b->u.list.n);
		for (size_t i = 0; i < a->u.list.n; i++)
			assert_same_value(a->u.list.items[i], b->u.list.items[i]);
		break;
	case VALUE_MAP:
		assert_int_equal(a->u.map.n, b->u.map.n);
		for (size_t i = 0; i < a->u.map.n; i++) {
			const value_pair *p = &a->u.map.pairs[i], *q = &b->u.map.pairs[i];
			assert_string_equal(p->key, q->key);
			assert_int_equal(p->line, q->line);
			assert_int_equal(p->col, q->col);
			assert_same_value(p->val, q->val);
			assert_ptr_equal(value_get(b, p->key), q->val);
		}
		break;
	default:
		break;
	}
}

static void assert_same_markdown(const markdown_doc *a, const markdown_doc *b)
{
	assert_string_equal(a->html, b->html);
	assert_string_equal(a->text, b->text);
	assert_string_equal(a->excerpt, b->excerpt);
	assert_int_equal(a->words, b->words);
	assert_int_equal(a->nheadings, b->nheadings);
	for (size_t i = 0; i < a->nheadings; i++) {
		assert_int_equal(a->headings[i].level, b->headings[i].level);
		assert_string_equal(a->headings[i].id, b->headings[i].id);
		assert_string_equal(a->headings[i].text, b->headings[i].text);
		assert_int_equal(a->headings[i].line, b->headings[i].line);
		assert_int_equal(a->headings[i].phase, b->headings[i].phase);
	}
	for (int p = 0; p < C2L_COUNT; p++)
		assert_int_equal(a->phase_heading[p], b->phase_heading[p]);
}

/* One build: looks up (or parses) front and body, then saves. Returns
 * how many came from the cache. */
static size_t build_once(const char *version, const char *fm, unsigned line,
	const char *md, unsigned flags)
{
	parse_cache *pc = parse_cache_open(dir, version);
	arena a = ARENA_INIT;
	diag_list *d = diag_list_new();
	value *v = parse_cache_yaml(pc, &a, fm, strlen(fm), "x.md", line, d);
	markdown_doc doc;
	parse_cache_markdown(pc, &a, md, strlen(md), flags, &doc);
	assert_int_equal(parse_cache_save(pc), 0);

	arena fresh = ARENA_INIT;
	diag_list *fd = diag_list_new();
	value *want = yaml_parse(&fresh, fm, strlen(fm), "x.md", line, fd);
	assert_int_equal(diag_count(d), diag_count(fd));
	if (want)
		assert_same_value(v, want);
	else
		assert_null(v);
	markdown_doc want_md;
	markdown_render(md, strlen(md), flags, &want_md);
	assert_same_markdown(&doc, &want_md);
	markdown_doc_release(&want_md);
	markdown_doc_release(&doc);
	size_t hits, misses;
	parse_cache_stats(pc, &hits, &misses);
	assert_int_equal(hits + misses, 2);
	parse_cache_free(pc); /* after the value and doc, which point into it */
	diag_list_free(fd);
	diag_list_free(d);
	arena_release(&fresh);
	arena_release(&a);
	return hits;
}

static void test_round_trip(void **state)
{
	assert_int_equal(build_once("v1", front, 2, body, 0), 0);
	assert_true(tu_exists(dir, PARSE_CACHE_FILE));
	assert_int_equal(build_once("v1", front, 2, body, 0), 2);
	/* The same result again: nothing changed, the file is not rewritten. */
	struct stat before, after;
	assert_int_equal(stat(file, &before), 0);
	assert_int_equal(build_once("v1", front, 2, body, 0), 2);
	assert_int_equal(stat(file, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
}

static void test_inputs_are_the_key(void **state)
{
	build_once("v1", front, 2, body, 0);
	/* Another first line moves every node: the front matter misses. */
	assert_int_equal(build_once("v1", front, 3, body, 0), 1);
	/* Other flags render raw HTML differently: the body misses. */
	assert_int_equal(build_once("v1", front, 3, body, MARKDOWN_UNSAFE_HTML), 1);
	assert_int_equal(build_once("v1", "title: x\n", 3, "other\n",
		MARKDOWN_UNSAFE_HTML), 0);
}

static void test_version_mismatch(void **state)
{
	build_once("v1", front, 2, body, 0);
	assert_int_equal(build_once("v2", front, 2, body, 0), 0);
	assert_int_equal(build_once("v2", front, 2, body, 0), 2);
}

/* Only what a build used is kept. */
static void test_save_keeps_used(void **state)
{
	build_once("v1", "a: 1\n", 2, "body a\n", 0);
	build_once("v1", "b: 1\n", 2, "body a\n", 0);
	assert_int_equal(build_once("v1", "b: 1\n", 2, "body a\n", 0), 2);
	assert_int_equal(build_once("v1", "a: 1\n", 2, "body a\n", 0), 1);
}

static void test_errors_are_not_cached(void **state)
{
	const char *bad = "a: 1\na: 2\n";
	assert_int_equal(build_once("v1", bad, 2, body, 0), 0);
	/* The duplicate key is reported again, from a fresh parse. */
	assert_int_equal(build_once("v1", bad, 2, body, 0), 1);
}

static void test_no_cache(void **state)
{
	arena a = ARENA_INIT;
	diag_list *d = diag_list_new();
	parse_cache *pc = parse_cache_open(NULL, "v1");
	assert_null(pc);
	value *v = parse_cache_yaml(pc, &a, front, strlen(front), "x.md", 2, d);
	assert_non_null(v);
	markdown_doc doc;
	parse_cache_markdown(pc, &a, body, strlen(body), 0, &doc);
	assert_false(doc.borrowed);
	markdown_doc_release(&doc);
	assert_int_equal(parse_cache_save(pc), 0);
	parse_cache_free(pc);
	diag_list_free(d);
	arena_release(&a);
}

/* The store's files after one build: its index (file) and its one
 * segment (kvstore.h). */
typedef struct {
	char *idx, *seg, *segname;
	size_t nidx, nseg;
} store_files;

static void read_store(store_files *f)
{
	assert_int_equal(read_file(file, &f->idx, &f->nidx), 0);
	f->segname = tu_find_prefix(dir, PARSE_CACHE_FILE ".");
	assert_non_null(f->segname);
	char *p = tu_path(dir, f->segname);
	assert_int_equal(read_file(p, &f->seg, &f->nseg), 0);
	free(p);
}

/* Puts back the index and segment given (a build in between saved
 * others, which the index then does not name). */
static void write_store(const store_files *f, const char *idx, size_t nidx,
	const char *seg, size_t nseg)
{
	tu_write_n(dir, PARSE_CACHE_FILE, idx, nidx);
	tu_write_n(dir, f->segname, seg, nseg);
}

static void store_files_release(store_files *f)
{
	free(f->idx);
	free(f->seg);
	free(f->segname);
}

static void test_corrupt_or_short_file(void **state)
{
	build_once("v1", front, 2, body, 0);
	store_files f;
	read_store(&f);
	for (size_t n = 0; n < f.nidx; n++) {
		write_store(&f, f.idx, n, f.seg, f.nseg);
		assert_int_equal(build_once("v1", front, 2, body, 0), 0);
	}
	for (size_t i = 0; i < f.nidx; i++) {
		f.idx[i] ^= 0x20;
		write_store(&f, f.idx, f.nidx, f.seg, f.nseg);
		assert_int_equal(build_once("v1", front, 2, body, 0), 0);
		f.idx[i] ^= 0x20;
	}
	/* A cut segment misses whole; a damaged byte misses at least its
	 * entry. */
	for (size_t n = 0; n < f.nseg; n += n < 64 ? 1 : 97) {
		write_store(&f, f.idx, f.nidx, f.seg, n);
		assert_int_equal(build_once("v1", front, 2, body, 0), 0);
	}
	for (size_t i = 0; i < f.nseg; i += i < 64 ? 1 : 31) {
		f.seg[i] ^= 0x20;
		write_store(&f, f.idx, f.nidx, f.seg, f.nseg);
		assert_true(build_once("v1", front, 2, body, 0) < 2);
		f.seg[i] ^= 0x20;
	}
	write_store(&f, f.idx, f.nidx, f.seg, f.nseg);
	assert_int_equal(build_once("v1", front, 2, body, 0), 2);
	/* Bytes appended after the index's checksum. */
	char *longer = xmalloc(f.nidx + 1);
	memcpy(longer, f.idx, f.nidx);
	longer[f.nidx] = 'x';
	write_store(&f, longer, f.nidx + 1, f.seg, f.nseg);
	assert_int_equal(build_once("v1", front, 2, body, 0), 0);
	free(longer);
	store_files_release(&f);
}

/* Recomputes every entry's checksum over the segment, then the index's
 * (kvstore.h): what a hostile store would do to pass the checks. */
static void resign(char *idx, size_t nidx, const char *seg, size_t nseg)
{
	unsigned char *p = (unsigned char *)idx;
	uint64_t nsegs = cf_load_u64(p + 24), nent = cf_load_u64(p + 32);
	assert_int_equal(nsegs, 1);
	for (uint64_t i = 0; i < nent; i++) {
		unsigned char *e = p + 40 + 16 * nsegs + 40 * i;
		uint64_t off = cf_load_u64(e + 16);
		uint32_t size = cf_load_u32(e + 24);
		assert_true(off + size <= nseg);
		uint64_t sum = hash64(seg + off, size,
			cf_load_u64(e) ^ cf_load_u64(e + 8));
		cf_store_u32(e + 32, (uint32_t)sum);
		cf_store_u32(e + 36, (uint32_t)(sum >> 32));
	}
	uint64_t h = hash64(p, nidx - 8, HASH64_INIT);
	cf_store_u32(p + nidx - 8, (uint32_t)h);
	cf_store_u32(p + nidx - 4, (uint32_t)(h >> 32));
}

/* A checksum is no proof: every payload byte changed, under valid
 * checksums, still gives a miss or a well-formed tree. */
static void test_hostile_payloads(void **state)
{
	build_once("v1", front, 2, body, 0);
	store_files f;
	read_store(&f);
	char *idx = xmalloc(f.nidx), *seg = xmalloc(f.nseg);
	memcpy(idx, f.idx, f.nidx);
	resign(idx, f.nidx, f.seg, f.nseg);
	assert_memory_equal(idx, f.idx, f.nidx);
	size_t hits = 0;
	for (size_t i = 32; i < f.nseg; i++) {
		static const unsigned char subst[] = { 0x00, 0xff, 0x07 };
		for (size_t s = 0; s < ARRAY_LEN(subst); s++) {
			memcpy(idx, f.idx, f.nidx);
			memcpy(seg, f.seg, f.nseg);
			seg[i] = (char)subst[s];
			resign(idx, f.nidx, seg, f.nseg);
			write_store(&f, idx, f.nidx, seg, f.nseg);
			parse_cache *pc = parse_cache_open(dir, "v1");
			arena a = ARENA_INIT;
			diag_list *d = diag_list_new();
			value *v = parse_cache_yaml(pc, &a, front, strlen(front),
				"x.md", 2, d);
			assert_non_null(v);
			markdown_doc doc;
			parse_cache_markdown(pc, &a, body, strlen(body), 0, &doc);
			assert_non_null(doc.html);
			size_t h, m;
			parse_cache_stats(pc, &h, &m);
			hits += h;
			for (size_t k = 0; k < doc.nheadings; k++)
				assert_true(doc.headings[k].level >= 1 &&
					doc.headings[k].level <= 6);
			markdown_doc_release(&doc);
			parse_cache_free(pc);
			diag_list_free(d);
			arena_release(&a);
		}
	}
	/* Changed text inside strings still decodes: the checks above did
	 * run on decoded entries. */
	assert_true(hits > f.nseg / 2);
	free(idx);
	free(seg);
	store_files_release(&f);
}

/* A folder where the file cannot be written: the build goes on. */
static void test_unwritable(void **state)
{
	char *missing = tu_path(dir, "no/such/dir");
	parse_cache *pc = parse_cache_open(missing, "v1");
	arena a = ARENA_INIT;
	diag_list *d = diag_list_new();
	assert_non_null(parse_cache_yaml(pc, &a, front, strlen(front), "x.md", 2,
		d));
	assert_int_equal(parse_cache_save(pc), -1);
	parse_cache_free(pc);
	diag_list_free(d);
	arena_release(&a);
	free(missing);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_round_trip),
		T(test_inputs_are_the_key),
		T(test_version_mismatch),
		T(test_save_keeps_used),
		T(test_errors_are_not_cached),
		T(test_no_cache),
		T(test_corrupt_or_short_file),
		T(test_hostile_payloads),
		T(test_unwritable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
