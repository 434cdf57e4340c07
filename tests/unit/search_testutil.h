/*
 * search_testutil: a search document of a title and a body, for the
 * search unit tests (test_search.c, test_search_cache.c).
 */
#ifndef ENQUIRE_SEARCH_TESTUTIL_H
#define ENQUIRE_SEARCH_TESTUTIL_H

#include <string.h>

#include "arena.h"
#include "search_int.h"

static inline search_input search_test_doc(arena *a, const char *title,
	const char *body)
{
	search_input in = { 0 };
	in.fields = arena_alloc(a, 2 * sizeof *in.fields);
	in.fields[0] = (search_field){ title, strlen(title), SEARCH_W_TITLE };
	in.fields[1] = (search_field){ body, strlen(body), SEARCH_W_BODY };
	in.nfields = 2;
	in.title = title;
	in.url = "x/";
	in.kind = "Case study";
	in.excerpt = body;
	in.meta = "";
	in.boost = 1;
	return in;
}

#endif
