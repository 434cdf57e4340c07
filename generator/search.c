/*
 * search: the index stage of a build (see search.h): the model's search
 * documents, indexed, encoded and written through the output stage, so
 * the index is part of the site swapped in at the end.
 */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "parallel.h"
#include "search_int.h"
#include "util.h"

/* With ENQUIRE_TIMING set, the parts of the stage are timed too. */
void search_timing(const char *part)
{
	static double last, last_cpu;
	static int on = -1;
	if (on < 0)
		on = getenv("ENQUIRE_TIMING") != NULL;
	if (!on)
		return;
	struct timespec ts, cpu;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	double now_cpu = (double)cpu.tv_sec + (double)cpu.tv_nsec / 1e9;
	if (part)
		fprintf(stderr, "enquire: timing:   search %-8s %.3f s (%.3f s cpu)\n",
			part, now - last, now_cpu - last_cpu);
	last = now;
	last_cpu = now_cpu;
}

typedef struct {
	const search_output *out;
	const search_files *files;
	_Atomic int failed;
} write_job;

/* Reuses the last build's file when it has the same key; otherwise
 * compresses (if it is to be) and writes it. */
static void write_one(void *ctx, size_t i, unsigned thread)
{
	write_job *j = ctx;
	const search_file *f = &j->files->v[i];
	unsigned long long key = search_file_key(f);
	if (j->out->reuse && j->out->reuse(j->out->ctx, f->path, key) == 0)
		return;
	size_t len;
	unsigned char *owned;
	const unsigned char *data = search_file_bytes(f, &len, &owned);
	if (j->out->put(j->out->ctx, f->path, data, len, key) != 0)
		j->failed = 1;
	free(owned);
}

int search_write_index(const model *m, const search_output *out,
	unsigned threads, const char *cache_dir, search_stats *st, diag_list *d)
{
	arena a = ARENA_INIT;
	size_t n;
	search_timing(NULL);
	search_input *in = search_inputs_from_model(m, &a, &n);
	search_timing("inputs");
	char *cache = cache_dir ? xasprintf("%s/search-tokens", cache_dir) : NULL;
	search_index *ix = search_index_build_cached(in, n, threads, cache);
	search_timing("layout");
	search_files files = { 0 };
	search_encode(ix, in, n, threads, &files);
	search_pairs_memo_save(cache, ix, &files);
	search_index_free(ix);
	free(cache);
	search_timing("encode");
	write_job j = { out, &files, 0 };
	parallel_for(files.n, threads, write_one, &j);
	search_timing("write");
	if (st) {
		st->docs = n;
		st->files = files.n;
		st->bytes = 0;
		for (size_t i = 0; i < files.n; i++)
			st->bytes += files.v[i].len;
	}
	search_files_release(&files);
	arena_release(&a);
	return j.failed || diag_errors(d) ? -1 : 0;
}
