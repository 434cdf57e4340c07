/*
 * model_doc: one Markdown document (case study, enquiry, dissemination,
 * page): front matter split, YAML read into typed fields, body rendered.
 *
 * Runs on many threads at once: it may only read the model's settings,
 * claim sets and alliances, and allocates from the arena it is given.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "model_int.h"
#include "parse_cache.h"
#include "util.h"

static const char *const themes[] = { "pedagogy", "professional-development",
	"leadership", NULL };
static const char *const doc_statuses[] = { "draft", "published", NULL };
static const char *const enquiry_statuses[] = { "planned", "active",
	"complete", "stopped", NULL };
static const char *const visibilities[] = { "public", "internal", NULL };
static const char *const c2l_names[] = { "implementation", "innovation",
	"impact", NULL };
static const char *const kinds[] = { "event", "toolkit", "presentation",
	"publication", "newsletter", "video", "resource", "website", NULL };
static const char *const groups[] = { "learners", "staff", "schools", NULL };
static const char *const methods[] = { "attainment-data", "pupil-voice",
	"observation", "questionnaire", "work-scrutiny", "interview", "other",
	NULL };
static const char *const measures[] = { "percent", "count", "mean", "grade",
	"text", NULL };
static const char *const directions[] = { "higher-is-better",
	"lower-is-better", NULL };
static const char *const strengths[] = { "strong", "supporting", NULL };

/* Is id of the form <set>-<number>? */
static bool claim_id_shape(const char *id)
{
	const char *dash = strrchr(id, '-');
	if (!dash || dash == id || !dash[1])
		return false;
	for (const char *p = dash + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return fields_valid_slug(id, (size_t)(dash - id));
}

/* Resolves a claim id written at v, reporting unknown and malformed ids. */
static claim *resolve_claim(const model *m, fields *f, const value *v,
	const char *id)
{
	if (!claim_id_shape(id)) {
		fields_report(f, DIAG_ERROR, v,
			"bad claim id '%s' (expected <set>-<number>, e.g. pedagogy-4)",
			id);
		return NULL;
	}
	claim *c = model_find_claim(m, id);
	if (!c)
		fields_report(f, DIAG_ERROR, v, "unknown claim '%s'", id);
	return c;
}

void model_read_claim_refs(const model *m, fields *f, const char *key,
	bool required, doc *owner, claim_ref **out, size_t *n)
{
	const value *list = fields_get(f, key);
	*out = NULL;
	*n = 0;
	if (!list) {
		if (required)
			diag_add(f->d, DIAG_ERROR, f->path, f->line, f->col,
				"missing required field '%s'", key);
		return;
	}
	if (list->kind != VALUE_LIST) {
		fields_report(f, DIAG_ERROR, list, "'%s' must be a list", key);
		return;
	}
	*out = arena_alloc(f->a, (list->u.list.n + 1) * sizeof(claim_ref));
	for (size_t i = 0; i < list->u.list.n; i++) {
		const value *item = list->u.list.items[i];
		claim_ref ref = { NULL, STRENGTH_SUPPORTING, NULL, owner };
		const char *id;
		const value *at = item;
		if (value_is_scalar(item)) {
			id = value_text(item);
		} else {
			fields c;
			fields_begin(&c, f->a, f->d, f->path, item, item->line,
				item->col, "a claim");
			id = fields_str(&c, "id", true);
			at = value_get(item, "id");
			const char *s = fields_enum(&c, "strength", strengths, false);
			if (s && strcmp(s, "strong") == 0)
				ref.strength = STRENGTH_STRONG;
			ref.note = fields_str(&c, "note", false);
			fields_end(&c);
			if (!id)
				continue;
		}
		ref.claim = resolve_claim(m, f, at, id);
		if (!ref.claim)
			continue;
		bool dup = false;
		for (size_t k = 0; k < *n && !dup; k++)
			dup = (*out)[k].claim == ref.claim;
		if (dup) {
			fields_report(f, DIAG_WARNING, at,
				"claim '%s' is listed twice", id);
			continue;
		}
		(*out)[(*n)++] = ref;
	}
	if (required && *n == 0 && list->u.list.n == 0)
		fields_report(f, DIAG_ERROR, list, "'%s' needs at least one claim",
			key);
}

/* Reads a number (or the text of a non-numeric value) into p. */
static bool read_point(fields *f, const value *v, const char *what,
	evidence_point *p)
{
	if (!value_is_scalar(v) || v->kind == VALUE_NULL) {
		fields_report(f, DIAG_ERROR, v, "'%s' must be a number or text",
			what);
		return false;
	}
	p->text = value_text(v);
	p->value = v->kind == VALUE_NUMBER ? v->u.num : NAN;
	return true;
}

static const evidence_point *labelled_point(fields *f, const value *v,
	const char *what)
{
	fields c;
	fields_begin(&c, f->a, f->d, f->path, v, v->line, v->col, what);
	if (!c.map)
		return NULL;
	evidence_point *p = arena_alloc(f->a, sizeof *p);
	p->label = fields_str(&c, "label", true);
	const value *val = fields_get(&c, "value");
	fields_end(&c);
	if (!val) {
		fields_report(f, DIAG_ERROR, v, "%s needs a 'value'", what);
		return NULL;
	}
	if (!p->label || !read_point(f, val, "value", p))
		return NULL;
	return p;
}

static const evidence_point *plain_point(fields *f, const char *key,
	const char *label)
{
	const value *v = fields_get(f, key);
	if (!v)
		return NULL;
	evidence_point *p = arena_alloc(f->a, sizeof *p);
	p->label = label;
	return read_point(f, v, key, p) ? p : NULL;
}

static void read_series(fields *f, evidence *e)
{
	const value *list = fields_get(f, "series");
	if (!list)
		return;
	if (list->kind != VALUE_LIST) {
		fields_report(f, DIAG_ERROR, list, "'series' must be a list");
		return;
	}
	e->series = arena_alloc(f->a, (list->u.list.n + 1) * sizeof *e->series);
	for (size_t i = 0; i < list->u.list.n; i++) {
		const evidence_point *p = labelled_point(f, list->u.list.items[i],
			"a series point");
		if (p)
			e->series[e->nseries++] = *p;
	}
}

static void read_evidence_claims(const model *m, fields *f, const doc *owner,
	evidence *e)
{
	const value *list = fields_get(f, "claims");
	if (!list)
		return;
	size_t max = list->kind == VALUE_LIST ? list->u.list.n : 1;
	e->claims = arena_alloc(f->a, (max + 1) * sizeof *e->claims);
	for (size_t i = 0; i < max; i++) {
		const value *item = list->kind == VALUE_LIST ? list->u.list.items[i]
			: list;
		if (!value_is_scalar(item)) {
			fields_report(f, DIAG_ERROR, item,
				"each item of 'claims' must be a claim id");
			continue;
		}
		claim *c = resolve_claim(m, f, item, value_text(item));
		if (!c)
			continue;
		bool declared = false;
		for (size_t k = 0; k < owner->nclaims && !declared; k++)
			declared = owner->claims[k].claim == c;
		if (!declared)
			fields_report(f, DIAG_WARNING, item,
				"evidence is linked to claim '%s', which the %s does not declare",
				c->id, doc_kind_name(owner->kind));
		e->claims[e->nclaims++] = c;
	}
}

static void read_evidence(const model *m, fields *f, doc *d)
{
	const value *list = fields_get(f, "evidence");
	if (!list)
		return;
	if (list->kind != VALUE_LIST) {
		fields_report(f, DIAG_ERROR, list, "'evidence' must be a list");
		return;
	}
	d->evidence = arena_alloc(f->a, (list->u.list.n + 1) * sizeof(evidence));
	for (size_t i = 0; i < list->u.list.n; i++) {
		const value *item = list->u.list.items[i];
		fields r;
		fields_begin(&r, f->a, f->d, f->path, item, item->line, item->col,
			"an evidence entry");
		if (!r.map)
			continue;
		evidence *e = &d->evidence[d->nevidence];
		memset(e, 0, sizeof *e); /* the slot of a rejected entry is reused */
		e->doc = d;
		e->index = d->nevidence;
		e->line = item->line;
		e->outcome = fields_str(&r, "outcome", true);
		e->group = fields_enum(&r, "group", groups, false);
		e->method = fields_enum(&r, "method", methods, false);
		e->measure = fields_enum(&r, "measure", measures, false);
		const char *dir = fields_enum(&r, "direction", directions, false);
		e->lower_is_better = dir && strcmp(dir, "lower-is-better") == 0;
		e->baseline = plain_point(&r, "baseline", "Baseline");
		e->result = plain_point(&r, "result", "Result");
		read_series(&r, e);
		const value *cmp = fields_get(&r, "comparison");
		if (cmp)
			e->comparison = labelled_point(&r, cmp, "'comparison'");
		e->n = fields_str(&r, "n", false);
		const char *sample = fields_str(&r, "sample", false);
		if (!e->n)
			e->n = sample; /* "sample" is accepted as another name */
		e->source = fields_str(&r, "source", false);
		read_evidence_claims(m, &r, d, e);
		fields_end(&r);
		if (e->series && (e->baseline || e->result))
			fields_report(&r, DIAG_WARNING, item,
				"evidence has both a series and baseline/result; the chart shows the series");
		if (e->measure && strcmp(e->measure, "text") == 0 && e->result)
			e->text = e->result->text;
		if (e->outcome)
			d->nevidence++;
	}
}

static void read_case_study(const model *m, fields *f, doc *d)
{
	d->theme = fields_enum(f, "theme", themes, true);
	d->research_questions = fields_strlist(f, "research_questions", true);
	d->focus = fields_str(f, "focus", false);
	d->phases = fields_strlist(f, "phases", false);
	d->subjects = fields_strlist(f, "subjects", false);
	d->key_stages = fields_strlist(f, "key_stages", false);
	model_read_claim_refs(m, f, "claims", true, d, &d->claims, &d->nclaims);
	read_evidence(m, f, d);
}

static void read_enquiry(const model *m, fields *f, doc *d)
{
	d->question = fields_str(f, "question", true);
	d->theme = fields_enum(f, "theme", themes, false);
	const char *phase = fields_enum(f, "phase", c2l_names, false);
	d->c2l = phase ? markdown_phase_of(phase) : C2L_NONE;
	d->started = fields_date(f, "started", false);
	d->ended = fields_date(f, "ended", false);
	d->lead = fields_str(f, "lead", false);
	d->methods = fields_strlist(f, "methods", false);
	d->baseline = fields_str(f, "baseline", false);
	d->phases = fields_strlist(f, "phases", false);
	d->subjects = fields_strlist(f, "subjects", false);
	d->key_stages = fields_strlist(f, "key_stages", false);
	model_read_claim_refs(m, f, "claims", false, d, &d->claims, &d->nclaims);
	read_evidence(m, f, d);
	fields_get(f, "case_study"); /* resolved by model_link */
	if (d->started && d->ended && strcmp(d->ended, d->started) < 0)
		fields_report(f, DIAG_ERROR, value_get(f->map, "ended"),
			"'ended' (%s) is before 'started' (%s)", d->ended,
			d->started);
	if (d->status && (strcmp(d->status, "complete") == 0 ||
		strcmp(d->status, "stopped") == 0) && !d->ended)
		fields_report(f, DIAG_WARNING, value_get(f->map, "status"),
			"a %s enquiry should say when it 'ended'", d->status);
}

static void read_dissemination(const model *m, fields *f, doc *d)
{
	d->kind_name = fields_enum(f, "kind", kinds, true);
	d->link = fields_str(f, "url", false);
	d->files = fields_strlist(f, "files", false);
	d->audience = fields_strlist(f, "audience", false);
	fields_get(f, "case_studies"); /* resolved by model_link */
	fields_get(f, "done");
	model_read_claim_refs(m, f, "claims", false, d, &d->claims, &d->nclaims);
	for (size_t i = 0; i < d->files.n; i++) {
		const char *p = d->files.items[i];
		if (strncmp(p, "static/", 7) != 0 || strstr(p, "..") ||
			!m->src || !source_find(m->src, p))
			fields_report(f, DIAG_ERROR, value_get(f->map, "files"),
				"file '%s' is not in the %s (files must be under static/)",
				p, m->src ? source_describe(m->src) : "source");
	}
}

/* Fills out from the front matter. Returns false when the document is
 * left out of this build. */
static bool read_front(const model *m, doc_kind kind, const value *front,
	unsigned flags, fields *f, doc *d)
{
	bool doc_status = kind != DOC_ENQUIRY;
	const char *status = fields_enum(f, "status",
		doc_status ? doc_statuses : enquiry_statuses, false);
	const char *vis = fields_enum(f, "visibility", visibilities, false);
	if (doc_status && status && strcmp(status, "draft") == 0 &&
		!(flags & MODEL_DRAFTS))
		return false;
	if (vis && strcmp(vis, "internal") == 0 && !(flags & MODEL_INTERNAL))
		return false;
	d->status = status;
	d->front = front;
	d->title = fields_str(f, "title", true);
	bool date_required = kind == DOC_DISSEMINATION;
	d->date = fields_date(f, "date", date_required);
	d->licence = fields_str(f, "licence", false);
	d->authors = fields_strlist(f, "authors", false);
	d->tags = fields_strlist(f, "tags", false);
	d->schools = fields_strlist(f, "schools", false);
	fields_get(f, "description");
	fields_get(f, "summary");
	const char *al = fields_str(f, "alliance", kind == DOC_CASE_STUDY ||
		kind == DOC_ENQUIRY);
	if (al) {
		d->alliance = model_find_alliance(m, al);
		if (!d->alliance)
			fields_report(f, DIAG_ERROR, value_get(front, "alliance"),
				"unknown alliance '%s' (no alliances/%s.yaml)", al, al);
	}
	switch (kind) {
	case DOC_CASE_STUDY: read_case_study(m, f, d); break;
	case DOC_ENQUIRY: read_enquiry(m, f, d); break;
	case DOC_DISSEMINATION: read_dissemination(m, f, d); break;
	default: fields_get(f, "menu"); fields_get(f, "weight"); break;
	}
	if (!d->date)
		d->date = "";
	if (!d->licence)
		d->licence = m->site.licence;
	return true;
}

/* The school names a document lists must be schools of its alliance. */
static void check_schools(fields *f, const doc *d)
{
	if (!d->alliance)
		return;
	for (size_t i = 0; i < d->schools.n; i++) {
		bool found = false;
		for (size_t k = 0; k < d->alliance->nschools && !found; k++)
			found = strcmp(d->alliance->schools[k].name,
				d->schools.items[i]) == 0;
		if (!found)
			fields_report(f, DIAG_WARNING, value_get(f->map, "schools"),
				"school '%s' is not in the schools of alliance '%s'",
				d->schools.items[i], d->alliance->slug);
	}
}

/* A case study without the C2L phase headings gets one warning naming the
 * missing ones: it still builds, but readers lose phase navigation. */
static void check_phases(diag_list *d, const doc *out)
{
	static const char *const names[] = { "", "Implementation", "Innovation",
		"Impact", "Conclusions" };
	buf missing = BUF_INIT;
	for (int p = C2L_IMPLEMENTATION; p < C2L_COUNT; p++) {
		if (out->md.phase_heading[p] >= 0)
			continue;
		buf_printf(&missing, "%s'%s'", missing.len ? ", " : "", names[p]);
	}
	if (missing.len)
		diag_add(d, DIAG_WARNING, out->path, out->body_line, 1,
			"no %s heading: readers get no phase navigation for it",
			missing.p);
	buf_release(&missing);
}

bool model_read_doc(const model *m, doc_kind kind, const source_file *f,
	unsigned flags, parse_cache *pc, arena *a, diag_list *d, doc *out)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->path = f->path;
	slice slug = model_slug_of(f->path);
	out->slug = arena_strndup(a, slug.p, slug.n);
	out->url = arena_printf(a, "%s/%s/", doc_kind_dir(kind), out->slug);
	/* A document with errors is kept (so every error is reported), so it
	 * must be safe to sort and show even when reading stops early. */
	out->title = out->slug;
	out->date = "";
	out->licence = "";
	if (!model_check_text(f, d))
		return true;
	frontmatter fm;
	if (frontmatter_split(f->data, f->size, &fm) != 0) {
		diag_add(d, DIAG_ERROR, f->path, 1, 1,
			"front matter is not closed (no '---' line after it)");
		return true;
	}
	if (!fm.has_front) {
		diag_add(d, DIAG_ERROR, f->path, 1, 1,
			"missing front matter (the file must start with a '---' line)");
		return true;
	}
	const value *front = parse_cache_yaml(pc, a, fm.front.p, fm.front.n,
		f->path, fm.front_line, d);
	if (!front)
		return true;
	fields r;
	fields_begin(&r, a, d, f->path, front, 1, 1, "front matter");
	if (!read_front(m, kind, front, flags, &r, out))
		return false;
	fields_end(&r);
	/* model_doc_history runs later (model.c): the history may still be
	 * loading while documents are parsed. */
	check_schools(&r, out);
	out->body = fm.body;
	out->body_line = fm.body_line;
	parse_cache_markdown(pc, a, fm.body.p, fm.body.n,
		m->site.unsafe_html ? MARKDOWN_UNSAFE_HTML : 0, &out->md);
	if (kind == DOC_CASE_STUDY)
		check_phases(d, out);
	if (!out->title)
		out->title = out->slug;
	return true;
}
