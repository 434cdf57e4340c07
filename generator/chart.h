/*
 * chart: small, accessible SVG charts of impact evidence, drawn at build
 * time (no scripts, no fonts, no requests).
 *
 * A baseline and a result become two bars, a series becomes a line with a
 * dot per point; a comparison figure (e.g. the national average) is a
 * dashed reference line. Where lower is better (e.g. Ofsted grades, days
 * absent) the value axis is drawn upside down, so "better" is always up,
 * and the chart says so. The sample size n is always printed, "n not
 * reported" when the record has none. Each chart is a role="img" with a
 * <title> and a <desc> that says what it shows in words; the theme prints
 * the same figures in a table next to it.
 */
#ifndef ENQUIRE_CHART_H
#define ENQUIRE_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "util.h"

#define CHART_WIDTH 360
#define CHART_HEIGHT 212

typedef struct {
	const char *label; /* "Baseline", "start", ... */
	double value; /* NaN: not a number, skipped */
	const char *text; /* the value as written: "1.82" */
} chart_point;

typedef struct {
	const char *id; /* unique on the page: ids of <title> and <desc> */
	const char *title; /* what was measured */
	bool percent; /* values are percentages: 0-100 axis, "%" suffix */
	bool lower_is_better;
	bool line; /* a series: a line chart; else bars */
	const chart_point *points;
	size_t npoints;
	const chart_point *comparison; /* NULL if none */
	const char *n; /* sample size as reported; NULL if not reported */
} chart_spec;

/* The value axis: maps values to SVG y coordinates between top and
 * bottom. Inverted (lower is better) puts lo at the top. */
typedef struct {
	double lo, hi; /* domain, lo < hi */
	double top, bottom; /* y of the plot area, top < bottom */
	bool inverted;
} chart_scale;

/* The scale for values in [min, max]: from 0 (or below, for negative
 * values) to a round number above max; 0-100 for percentages. */
chart_scale chart_scale_for(double min, double max, bool percent,
	bool inverted, double top, double bottom);
double chart_scale_y(const chart_scale *s, double v);
/* The y where bars start: the "worse" end of the axis. */
double chart_scale_base(const chart_scale *s);

/* Appends the chart of c to out and returns true; returns false and
 * appends nothing when there is no numeric point to draw. */
bool chart_svg(buf *out, const chart_spec *c);

/* The chart of one evidence record (baseline/result bars or its series);
 * id as in chart_spec. False when the record has nothing to draw (a text
 * finding, no numbers). */
bool chart_evidence(buf *out, const evidence *e, const char *id);
/* A key for what chart_evidence draws (never 0): a hash of everything it
 * draws from, and of CHART_VERSION; 0 when it would draw nothing. Equal
 * keys, equal charts (incremental.h's keyed strings). */
unsigned long long chart_evidence_key(const evidence *e, const char *id);

#endif
