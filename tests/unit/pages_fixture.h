/*
 * pages_fixture: the pages of model_fixture.h's knowledge base for the
 * pages tests: plan it, find a page by URL, build its data. Header-only;
 * include after <cmocka.h>.
 */
#ifndef ENQUIRE_PAGES_FIXTURE_H
#define ENQUIRE_PAGES_FIXTURE_H

#include "model_fixture.h"
#include "pages.h"

static pages *P;
static arena A;

static inline int pt_setup(void **state)
{
	kb_setup(state);
	kb_base();
	P = NULL;
	A = ARENA_INIT;
	return 0;
}

static inline int pt_teardown(void **state)
{
	pages_free(P);
	P = NULL;
	arena_release(&A);
	return kb_teardown(state);
}

/* Loads the knowledge base (which must be valid) and plans its pages. */
static inline void plan(void)
{
	pages_free(P);
	kb_load(0, 2);
	tu_expect_no_errors(K.d);
	P = pages_new(K.m, 2);
	assert_non_null(P);
}

static inline const page *find(const char *url)
{
	const page *found = NULL;
	for (size_t i = 0; i < pages_count(P); i++) {
		const page *pg = pages_at(P, i);
		if (strcmp(pg->url, url) == 0) {
			if (found)
				fail_msg("two pages at '%s'", url);
			found = pg;
		}
	}
	if (!found)
		fail_msg("no page at '%s'", url);
	return found;
}

static inline value *data(const char *url)
{
	return pages_data(P, find(url), &A);
}

static inline size_t count(const value *v, const char *path)
{
	const value *l = tu_get(v, path);
	if (!l || l->kind != VALUE_LIST)
		fail_msg("no list at '%s'", path);
	return value_count(l);
}

#define absent(v, path) assert_null(tu_get((v), (path)))
/* Missing or null: what a template cannot tell from missing. */
#define falsy(v, path) assert_false(value_truthy(tu_get((v), (path))))

#endif
