/*
 * yamlparse: YAML text to a value tree (the only module that includes
 * libyaml's <yaml.h>). Errors become diagnostics at libyaml's line and
 * column.
 *
 * Plain scalars are resolved as in YAML 1.2's core schema (null, true and
 * false, integers, floats); everything else is a string. Anchors and
 * aliases work, but the total number of nodes reachable through aliases is
 * bounded (YAML_MAX_EXPANDED_NODES), which stops "billion laughs" bombs.
 * Duplicate keys in a map are an error. Only the first document is read;
 * a second document is an error.
 *
 * Map keys must be scalars; a pair's key is the key's text as written
 * ("1" and 1 are the same key). Tags: "!" and "!!str" make a string (with
 * quoted set), "!!null", "!!bool", "!!int" and "!!float" require text of
 * that type, "!!seq" and "!!map" are accepted on lists and maps; any other
 * tag is an error. Merge keys ("<<") are ordinary keys. An alias shares
 * its anchor's node, which is usable only once complete (no cycles).
 */
#ifndef ENQUIRE_YAMLPARSE_H
#define ENQUIRE_YAMLPARSE_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "value.h"

#define YAML_MAX_EXPANDED_NODES 100000
#define YAML_MAX_DEPTH 200

/*
 * Parses len bytes of text. Line numbers in values and diagnostics are
 * offset by first_line - 1, so front matter starting on line 2 of a
 * Markdown file reports lines of that file. Diagnostics name path.
 *
 * Returns the root value (a VALUE_NULL node for an empty document) only
 * when it added nothing to d (the parse cache relies on it), else NULL
 * after adding at least one error. All nodes come from a.
 * The caller checks size limits and UTF-8 validity beforehand.
 */
value *yaml_parse(arena *a, const char *text, size_t len, const char *path,
	unsigned first_line, diag_list *d);

/* libyaml's version, part of cache keys. */
const char *yaml_library_version(void);

#endif
