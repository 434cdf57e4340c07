/*
 * history_diff: see history_diff.h.
 */
#include <stdlib.h>
#include <string.h>

#include "history_diff.h"

static void add_change(changes *c, const char *path, const git_tree_entry *o,
	const git_tree_entry *n)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->items = xrealloc(c->items, c->cap * sizeof *c->items);
	}
	change *ch = &c->items[c->n++];
	memset(ch, 0, sizeof *ch);
	ch->path = xstrdup(path);
	if ((ch->has_old = o != NULL))
		git_oid_cpy(&ch->old_id, git_tree_entry_id(o));
	if ((ch->has_new = n != NULL))
		git_oid_cpy(&ch->new_id, git_tree_entry_id(n));
}

void history_changes_clear(changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].path);
	c->n = 0;
}

bool history_is_tree(const git_tree_entry *e)
{
	return git_tree_entry_filemode(e) == GIT_FILEMODE_TREE;
}

bool history_is_file(const git_tree_entry *e)
{
	git_filemode_t m = git_tree_entry_filemode(e);
	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* What the source reads: no dot names (source.c skips them too). */
static bool wanted(const git_tree_entry *e)
{
	const char *name = git_tree_entry_name(e);
	return name[0] && name[0] != '.' && !strchr(name, '/') &&
		(history_is_file(e) || history_is_tree(e));
}

/* git's tree order: names compared bytewise, a folder as if its name
 * ended with '/'. */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *x = git_tree_entry_name(a), *y = git_tree_entry_name(b);
	size_t lx = strlen(x), ly = strlen(y), n = lx < ly ? lx : ly;
	int c = memcmp(x, y, n);
	if (c)
		return c;
	unsigned cx = n < lx ? (unsigned char)x[n] : history_is_tree(a) ? '/' : 0;
	unsigned cy = n < ly ? (unsigned char)y[n] : history_is_tree(b) ? '/' : 0;
	return (int)cx - (int)cy;
}


/* One side of a pair: a file is a change, a folder its every file. */
static void diff_entry(changes *c, const git_tree_entry *o,
	const git_tree_entry *n, buf *path, unsigned depth)
{
	const git_tree_entry *e = o ? o : n;
	size_t mark = path->len;
	if (mark)
		buf_putc(path, '/');
	buf_puts(path, git_tree_entry_name(e));
	if (o && n && history_is_file(o) && history_is_file(n)) {
		add_change(c, path->p, o, n);
	} else if (o && n && history_is_tree(o) && history_is_tree(n)) {
		git_tree *to = NULL, *tn = NULL;
		if (git_tree_lookup(&to, c->repo, git_tree_entry_id(o)) < 0 ||
			git_tree_lookup(&tn, c->repo, git_tree_entry_id(n)) < 0)
			c->error = -1;
		else
			history_diff_trees(c, to, tn, path, depth + 1);
		git_tree_free(to);
		git_tree_free(tn);
	} else if (history_is_file(e)) {
		add_change(c, path->p, o, n);
	} else {
		git_tree *t = NULL;
		if (git_tree_lookup(&t, c->repo, git_tree_entry_id(e)) < 0)
			c->error = -1;
		else
			history_diff_trees(c, o ? t : NULL, o ? NULL : t, path, depth + 1);
		git_tree_free(t);
	}
	buf_truncate(path, mark);
}

/* Adds the files that differ between trees o and n (either may be NULL)
 * below path. Equal ids are skipped without reading them. */
void history_diff_trees(changes *c, const git_tree *o, const git_tree *n,
	buf *path, unsigned depth)
{
	if (depth > SOURCE_MAX_DEPTH || c->error)
		return;
	size_t no = o ? git_tree_entrycount(o) : 0;
	size_t nn = n ? git_tree_entrycount(n) : 0;
	size_t i = 0, j = 0;
	while (i < no || j < nn) {
		const git_tree_entry *eo = i < no ? git_tree_entry_byindex(o, i) : NULL;
		const git_tree_entry *en = j < nn ? git_tree_entry_byindex(n, j) : NULL;
		if (eo && !wanted(eo)) {
			i++;
			continue;
		}
		if (en && !wanted(en)) {
			j++;
			continue;
		}
		int cmp = !eo ? 1 : !en ? -1 : entry_cmp(eo, en);
		if (cmp < 0) {
			diff_entry(c, eo, NULL, path, depth);
			i++;
		} else if (cmp > 0) {
			diff_entry(c, NULL, en, path, depth);
			j++;
		} else {
			if (!git_oid_equal(git_tree_entry_id(eo), git_tree_entry_id(en)))
				diff_entry(c, eo, en, path, depth);
			i++;
			j++;
		}
	}
}
