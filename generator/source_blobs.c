/*
 * source_blobs: reading the blobs of a commit's tree on all cores.
 *
 * The tree walk only lists blobs; they are inflated here in parallel, each
 * thread through its own repository handle (libgit2 objects are not to be
 * shared between threads), and added to the source in walk order, so the
 * result does not depend on the number of threads.
 *
 * With a cache folder, the bytes of each blob are also kept in a kvstore
 * (<cache>/blobs) under a hash of the blob's id, stored with their NUL:
 * a blob found there is not inflated, and its file data points into the
 * store's mapping (borrowed). An id names its bytes for good, so the
 * store needs no validity beyond its format.
 */
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "source_internal.h"
#include "util.h"

#define MAX_THREADS 64
#define BLOB_STORE "blobs"
#define BLOB_STORE_VERSION "enquire blobs 1"

kvstore *source_blob_store_open(const char *dir)
{
	char *path = xasprintf("%s/%s", dir, BLOB_STORE);
	kvstore *k = kvstore_open(path, hash64(BLOB_STORE_VERSION,
		sizeof BLOB_STORE_VERSION, HASH64_INIT));
	free(path);
	return k;
}

static kv_key blob_key(const git_oid *id)
{
	unsigned long long k[2];
	hash128(id->id, GIT_OID_RAWSZ, hash64("blob", 4, HASH64_INIT), k);
	return (kv_key){ { k[0], k[1] } };
}

void source_blobs_add(source_blobs *b, const char *path, const git_oid *id)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->items = xrealloc(b->items, b->cap * sizeof *b->items);
	}
	b->items[b->n].path = xstrdup(path);
	git_oid_cpy(&b->items[b->n].id, id);
	b->n++;
}

typedef struct {
	char *data; /* NULL when too large or on error */
	size_t size;
	bool too_large, failed;
	bool borrowed; /* data points into the blob store */
} blob_result;

typedef struct {
	const char *gitdir;
	const source_blobs *b;
	blob_result *results;
	git_repository *repos[MAX_THREADS]; /* opened by their own thread */
	git_odb *odbs[MAX_THREADS];
	const char *describe;
	diag_list *d;
	kvstore *store; /* or NULL */
} read_job;

static git_odb *thread_odb(read_job *j, unsigned t)
{
	if (!j->odbs[t] && git_repository_open(&j->repos[t], j->gitdir) == 0)
		git_repository_odb(&j->odbs[t], j->repos[t]);
	return j->odbs[t];
}

static void read_one(void *ctx, size_t i, unsigned t)
{
	read_job *j = ctx;
	const source_blob *blob = &j->b->items[i];
	blob_result *r = &j->results[i];
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_object_t type;
	kv_key key = blob_key(&blob->id);
	size_t len;
	const unsigned char *p = kvstore_get(j->store, key, &len);
	if (p && len > 0 && len - 1 <= SOURCE_MAX_FILE_SIZE && !p[len - 1]) {
		r->data = (char *)(uintptr_t)p;
		r->size = len - 1;
		r->borrowed = true;
		return;
	}
	odb = thread_odb(j, t);
	if (!odb || git_odb_read_header(&r->size, &type, odb, &blob->id) < 0)
		goto fail;
	if (type != GIT_OBJECT_BLOB) {
		diag_add(j->d, DIAG_ERROR, "", 0, 0,
			"'%s' in commit %s is not a file", blob->path, j->describe);
		r->failed = true;
		return;
	}
	if (r->size > SOURCE_MAX_FILE_SIZE) {
		r->too_large = true; /* reported by the model, never loaded */
		return;
	}
	if (git_odb_read(&obj, odb, &blob->id) < 0)
		goto fail;
	r->size = git_odb_object_size(obj);
	r->data = xmalloc(r->size + 1);
	memcpy(r->data, git_odb_object_data(obj), r->size);
	r->data[r->size] = '\0';
	git_odb_object_free(obj);
	kvstore_put(j->store, key, r->data, r->size + 1);
	return;
fail:
	diag_add(j->d, DIAG_ERROR, "", 0, 0, "cannot read '%s' from commit %s: %s",
		blob->path, j->describe, source_git_message());
	r->failed = true;
}

int source_blobs_read(source *s, git_repository *repo, source_blobs *b,
	const char *describe, diag_list *d)
{
	read_job *j = xcalloc(1, sizeof *j);
	j->gitdir = git_repository_path(repo);
	j->b = b;
	j->results = xcalloc(b->n + 1, sizeof *j->results);
	j->describe = describe;
	j->d = d;
	j->store = s->blobs;
	unsigned threads = parallel_default_threads();
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	parallel_for(b->n, threads, read_one, j);
	int ret = 0;
	for (size_t i = 0; i < b->n; i++) {
		blob_result *r = &j->results[i];
		if (r->failed)
			ret = -1;
		else {
			source_add(s, b->items[i].path, r->data, r->size,
				&b->items[i].id, r->too_large);
			s->files[s->n - 1].borrowed = r->borrowed;
		}
		free(b->items[i].path);
	}
	for (unsigned t = 0; t < MAX_THREADS; t++) {
		git_odb_free(j->odbs[t]);
		git_repository_free(j->repos[t]);
	}
	free(j->results);
	free(j);
	free(b->items);
	*b = (source_blobs){ NULL, 0, 0 };
	return ret;
}
