/*
 * Unit tests for chart: the value axis (both directions, percentages,
 * negative values), and the SVG of bars, lines, comparison lines, n labels,
 * empty and single-point series, escaping and evidence records.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "testutil.h"

/* The y attribute of the element whose data-value is v (first match). */
static double y_of(const char *svg, const char *attr, double v)
{
	char want[64];
	snprintf(want, sizeof want, "data-value=\"%g\"", v);
	const char *at = strstr(svg, want);
	assert_non_null(at);
	/* Back to the start of the element, then find its attribute. */
	const char *start = at;
	while (start > svg && *start != '<')
		start--;
	char key[16];
	snprintf(key, sizeof key, " %s=\"", attr);
	const char *a = strstr(start, key);
	assert_non_null(a);
	assert_true(a < at);
	return strtod(a + strlen(key), NULL);
}

/* The y of the tick label whose text is t. */
static double tick_y(const char *svg, const char *t)
{
	char want[32];
	snprintf(want, sizeof want, "text-anchor=\"end\">%s</text>", t);
	const char *at = strstr(svg, want);
	assert_non_null(at);
	const char *y = at;
	while (y > svg && strncmp(y, " y=\"", 4) != 0)
		y--;
	return strtod(y + 4, NULL);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* ---- the scale ---- */

static void test_scale_higher_is_better_goes_up(void **state)
{
	(void)state;
	chart_scale s = chart_scale_for(20, 80, false, false, 10, 110);
	assert_true(s.lo == 0);
	assert_true(s.hi >= 80 * 1.1);
	assert_true(chart_scale_y(&s, 80) < chart_scale_y(&s, 20));
	assert_true(fabs(chart_scale_y(&s, 0) - 110) < 1e-9);
	assert_true(fabs(chart_scale_y(&s, s.hi) - 10) < 1e-9);
	assert_true(fabs(chart_scale_base(&s) - 110) < 1e-9);
}

static void test_scale_lower_is_better_is_inverted(void **state)
{
	(void)state;
	/* Ofsted grades: 1 (outstanding) is best, so 1 is drawn higher. */
	chart_scale s = chart_scale_for(1.57, 1.82, false, true, 10, 110);
	assert_true(s.inverted);
	assert_true(chart_scale_y(&s, 1.57) < chart_scale_y(&s, 1.82));
	assert_true(fabs(chart_scale_y(&s, s.lo) - 10) < 1e-9);
	/* Bars still grow from the bottom: the worse end. */
	assert_true(fabs(chart_scale_base(&s) - 110) < 1e-9);
}

static void test_scale_percent_is_0_to_100(void **state)
{
	(void)state;
	chart_scale s = chart_scale_for(62, 71, true, false, 0, 100);
	assert_true(s.lo == 0 && s.hi == 100);
	assert_true(fabs(chart_scale_y(&s, 50) - 50) < 1e-9);
	/* Percentages over 100 (growth) get a larger axis. */
	s = chart_scale_for(90, 140, true, false, 0, 100);
	assert_true(s.hi >= 140);
}

static void test_scale_round_numbers(void **state)
{
	(void)state;
	chart_scale s = chart_scale_for(0, 7, false, false, 0, 100);
	assert_true(s.hi == 10);
	s = chart_scale_for(0, 180, false, false, 0, 100);
	assert_true(s.hi == 200);
	s = chart_scale_for(0, 0, false, false, 0, 100);
	assert_true(s.hi > s.lo);
}

static void test_scale_negative_values(void **state)
{
	(void)state;
	chart_scale s = chart_scale_for(-3, 5, false, false, 0, 100);
	assert_true(s.lo < -3 && s.hi > 5);
	double zero = chart_scale_y(&s, 0);
	assert_true(fabs(chart_scale_base(&s) - zero) < 1e-9);
	assert_true(chart_scale_y(&s, -3) > zero);
	/* Values outside the domain are clamped to the plot. */
	assert_true(chart_scale_y(&s, 1e9) >= 0);
	assert_true(chart_scale_y(&s, -1e9) <= 100);
}

static void test_scale_bad_input(void **state)
{
	(void)state;
	chart_scale s = chart_scale_for(NAN, 3, false, false, 0, 100);
	assert_true(s.hi > s.lo);
	s = chart_scale_for(5, 1, false, false, 0, 100);
	assert_true(s.hi > s.lo);
	s = chart_scale_for(-INFINITY, INFINITY, false, false, 0, 100);
	assert_true(s.hi > s.lo);
}

/* ---- SVG ---- */

static void test_bars_baseline_and_result(void **state)
{
	(void)state;
	chart_point pts[] = { { "Baseline", 73, "73" }, { "Result", 93, "93" } };
	chart_spec c = { .id = "evidence-1-chart", .title = "Pupils at target",
		.percent = true, .points = pts, .npoints = 2, .n = "120" };
	buf b = BUF_INIT;
	assert_true(chart_svg(&b, &c));
	assert_non_null(strstr(b.p, "<svg "));
	assert_non_null(strstr(b.p, "role=\"img\""));
	assert_non_null(strstr(b.p, "aria-labelledby=\"evidence-1-chart-title "
		"evidence-1-chart-desc\""));
	assert_non_null(strstr(b.p, "<title id=\"evidence-1-chart-title\">"
		"Pupils at target</title>"));
	assert_int_equal(count(b.p, "<rect "), 2);
	assert_non_null(strstr(b.p, ">73%</text>"));
	assert_non_null(strstr(b.p, ">93%</text>"));
	assert_non_null(strstr(b.p, ">Baseline</text>"));
	assert_non_null(strstr(b.p, "n = 120"));
	assert_non_null(strstr(b.p, "Baseline: 73%. Result: 93%. Higher is better. n = 120."));
	/* Higher is better: the taller bar (smaller y) is the larger value. */
	assert_true(y_of(b.p, "y", 93) < y_of(b.p, "y", 73));
	assert_non_null(strstr(b.p, "</svg>"));
	buf_release(&b);
}

static void test_bars_lower_is_better_drawn_right_way_up(void **state)
{
	(void)state;
	chart_point pts[] = { { "Baseline", 1.82, "1.82" },
		{ "Result", 1.57, "1.57" } };
	chart_spec c = { .id = "g", .title = "Mean Ofsted grade",
		.lower_is_better = true, .points = pts, .npoints = 2, .n = "9" };
	buf b = BUF_INIT;
	assert_true(chart_svg(&b, &c));
	/* The better (lower) grade is the taller bar: its top is higher. */
	assert_true(y_of(b.p, "y", 1.57) < y_of(b.p, "y", 1.82));
	assert_non_null(strstr(b.p, "lower is better: axis inverted"));
	assert_non_null(strstr(b.p, "Lower is better; the axis is drawn upside down"));
	/* Ticks: 0 is printed at the top, 2.5 (the worse end) at the bottom. */
	assert_true(tick_y(b.p, "0") < tick_y(b.p, "2.5"));
	buf_release(&b);
}

static void test_line_series_and_direction(void **state)
{
	(void)state;
	chart_point pts[] = { { "start", 1.82, "1.82" },
		{ "end of year 1", 1.57, "1.57" }, { "end of year 2", 1.4, "1.4" } };
	chart_spec up = { .id = "s", .title = "Grade", .line = true,
		.points = pts, .npoints = 3, .n = "12" };
	buf b = BUF_INIT;
	assert_true(chart_svg(&b, &up));
	assert_non_null(strstr(b.p, "<polyline "));
	assert_int_equal(count(b.p, "<circle "), 3);
	assert_true(y_of(b.p, "cy", 1.82) < y_of(b.p, "cy", 1.4));
	assert_non_null(strstr(b.p, "Line chart. start: 1.82. end of year 1: 1.57."));
	buf_release(&b);

	chart_spec down = up;
	down.lower_is_better = true;
	assert_true(chart_svg(&b, &down));
	assert_true(y_of(b.p, "cy", 1.82) > y_of(b.p, "cy", 1.4));
	buf_release(&b);
}

static void test_n_always_shown(void **state)
{
	(void)state;
	chart_point pts[] = { { "Result", 40, "40" } };
	chart_spec c = { .id = "x", .title = "t", .points = pts, .npoints = 1 };
	buf b = BUF_INIT;
	assert_true(chart_svg(&b, &c));
	assert_non_null(strstr(b.p, ">n not reported</text>"));
	assert_non_null(strstr(b.p, "Sample size not reported."));
	buf_release(&b);
	c.n = "about 30 pupils";
	assert_true(chart_svg(&b, &c));
	assert_non_null(strstr(b.p, ">n = about 30 pupils</text>"));
	buf_release(&b);
}

static void test_empty_series_draws_nothing(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	chart_spec c = { .id = "e", .title = "t", .line = true };
	assert_false(chart_svg(&b, &c));
	assert_int_equal(b.len, 0);
	/* Only non-numbers: nothing to draw either. */
	chart_point pts[] = { { "a", NAN, "good" }, { "b", NAN, "better" } };
	c.points = pts;
	c.npoints = 2;
	assert_false(chart_svg(&b, &c));
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_single_point_series(void **state)
{
	(void)state;
	chart_point pts[] = { { "July 2014", 58, "58" }, { "x", NAN, "n/a" } };
	chart_spec c = { .id = "one", .title = "t", .line = true,
		.points = pts, .npoints = 2, .percent = true, .n = "30" };
	buf b = BUF_INIT;
	assert_true(chart_svg(&b, &c));
	assert_null(strstr(b.p, "<polyline"));
	assert_int_equal(count(b.p, "<circle "), 1);
	assert_non_null(strstr(b.p, ">58%</text>"));
	assert_non_null(strstr(b.p, ">July 2014</text>"));
	buf_release(&b);
}

static void test_comparison_reference_line(void **state)
{
	(void)state;
	chart_point pts[] = { { "Baseline", 73, "73" }, { "Result", 93, "93" } };
	chart_point cmp = { "national", 69, "69" };
	chart_spec c = { .id = "c", .title = "t", .percent = true,
		.points = pts, .npoints = 2, .comparison = &cmp, .n = "120" };
	buf b = BUF_INIT;
	assert_true(chart_svg(&b, &c));
	const char *ref = strstr(b.p, "class=\"chart-ref\"");
	assert_non_null(ref);
	assert_non_null(strstr(ref, "stroke-dasharray"));
	assert_non_null(strstr(b.p, ">national: 69%</text>"));
	assert_non_null(strstr(b.p, "Comparison (national): 69%."));
	/* At 69 on a 0-100 axis between y 30 and 150. */
	const char *y1 = strstr(ref, "y1=\"");
	assert_non_null(y1);
	double y = strtod(y1 + 4, NULL);
	assert_true(fabs(y - (150 - 0.69 * 120)) < 0.1);
	buf_release(&b);
}

static void test_comparison_outside_values_widens_axis(void **state)
{
	(void)state;
	chart_point pts[] = { { "Result", 3, "3" } };
	chart_point cmp = { "target", 10, "10" };
	chart_spec c = { .id = "w", .title = "t", .points = pts, .npoints = 1,
		.comparison = &cmp };
	buf b = BUF_INIT;
	assert_true(chart_svg(&b, &c));
	/* The axis reaches past 10, so the line is inside the plot. */
	assert_true(tick_y(b.p, "20") < tick_y(b.p, "10"));
	const char *ref = strstr(b.p, "class=\"chart-ref\"");
	double y = strtod(strstr(ref, "y1=\"") + 4, NULL);
	assert_true(y > 30);
	buf_release(&b);
}

static void test_text_is_escaped_and_fitted(void **state)
{
	(void)state;
	chart_point pts[] = { { "<b>", 1, "1" },
		{ "a very very long label that cannot fit under a bar at all", 2, "2" } };
	chart_spec c = { .id = "q\"x", .title = "A & B <script>",
		.points = pts, .npoints = 2, .n = "5 & 6" };
	buf b = BUF_INIT;
	assert_true(chart_svg(&b, &c));
	assert_null(strstr(b.p, "<script>"));
	assert_null(strstr(b.p, "<b>"));
	assert_non_null(strstr(b.p, "A &amp; B &lt;script&gt;"));
	assert_non_null(strstr(b.p, "q&quot;x-title"));
	assert_non_null(strstr(b.p, "\xE2\x80\xA6</text>"));
	assert_non_null(strstr(b.p, "n = 5 &amp; 6"));
	buf_release(&b);
}

/* A before/after percentage of 120 pupils with a comparison. */
static evidence percent_record(evidence_point *base, evidence_point *res,
	evidence_point *cmp)
{
	evidence e = { 0 };
	e.outcome = "Pupils at or above target";
	e.measure = "percent";
	e.baseline = base;
	e.result = res;
	e.comparison = cmp;
	e.n = "120";
	return e;
}

static void test_evidence_records(void **state)
{
	(void)state;
	evidence_point base = { NULL, 73, "73" }, res = { NULL, 93, "93" };
	evidence_point cmp = { "national", 69, "69" };
	evidence e = percent_record(&base, &res, &cmp);
	buf b = BUF_INIT;
	assert_true(chart_evidence(&b, &e, "evidence-1-chart"));
	assert_non_null(strstr(b.p, ">Baseline</text>"));
	assert_non_null(strstr(b.p, ">Result</text>"));
	assert_non_null(strstr(b.p, ">93%</text>"));
	assert_non_null(strstr(b.p, "national: 69%"));
	buf_release(&b);

	/* A text finding has no chart. */
	evidence t = { 0 };
	t.outcome = "Staff confidence";
	t.measure = "text";
	t.text = "Most staff felt more confident";
	assert_false(chart_evidence(&b, &t, "x"));
	assert_int_equal(b.len, 0);

	/* A series is a line. */
	evidence_point series[] = { { "start", 1.82, "1.82" },
		{ "end", 1.57, "1.57" } };
	evidence s = { 0 };
	s.outcome = "Grade";
	s.measure = "grade";
	s.lower_is_better = true;
	s.series = series;
	s.nseries = 2;
	assert_true(chart_evidence(&b, &s, "y"));
	assert_non_null(strstr(b.p, "<polyline"));
	assert_non_null(strstr(b.p, "axis inverted"));
	buf_release(&b);
}

/* A chart's key changes with everything it is drawn from, and only then:
 * built sites reuse a page whose chart keys are unchanged. */
static void test_evidence_key(void **state)
{
	(void)state;
	evidence_point base = { NULL, 73, "73" }, res = { NULL, 93, "93" };
	evidence_point cmp = { "national", 69, "69" };
	evidence e = percent_record(&base, &res, &cmp);
	unsigned long long k = chart_evidence_key(&e, "c");
	assert_int_not_equal(k, 0);
	assert_int_equal(chart_evidence_key(&e, "c"), k);
	/* Fields the chart does not draw leave the key alone. */
	e.source = "Tracking data";
	e.group = "learners";
	assert_int_equal(chart_evidence_key(&e, "c"), k);

#define CHANGES(stmt, undo) do { \
		stmt; \
		assert_int_not_equal(chart_evidence_key(&e, "c"), k); \
		undo; \
		assert_int_equal(chart_evidence_key(&e, "c"), k); \
	} while (0)
	assert_int_not_equal(chart_evidence_key(&e, "d"), k);
	CHANGES(e.outcome = "Other", e.outcome = "Pupils at or above target");
	CHANGES(e.measure = "count", e.measure = "percent");
	CHANGES(e.lower_is_better = true, e.lower_is_better = false);
	CHANGES(e.n = NULL, e.n = "120");
	CHANGES(e.n = "", e.n = "120");
	CHANGES(res.value = 94, res.value = 93);
	CHANGES(res.text = "93.0", res.text = "93");
	CHANGES(cmp.label = "local", cmp.label = "national");
	CHANGES(cmp.value = 70, cmp.value = 69);
	CHANGES(e.comparison = NULL, e.comparison = &cmp);
	CHANGES(e.baseline = NULL, e.baseline = &base);
	evidence_point series[] = { { "start", 1.82, "1.82" },
		{ "end", 1.57, "1.57" } };
	CHANGES((e.series = series, e.nseries = 2),
		(e.series = NULL, e.nseries = 0));
#undef CHANGES
	/* A series point's label is drawn, so it counts. */
	e.series = series;
	e.nseries = 2;
	k = chart_evidence_key(&e, "c");
	series[1].label = "finish";
	assert_int_not_equal(chart_evidence_key(&e, "c"), k);

	/* No chart, no key: a text finding, or no number to draw. */
	evidence t = { 0 };
	t.outcome = "Staff confidence";
	t.measure = "text";
	assert_int_equal(chart_evidence_key(&t, "x"), 0);
	evidence_point nan = { NULL, NAN, "n/a" };
	evidence none = { 0 };
	none.outcome = "Unmeasured";
	none.baseline = &nan;
	buf b = BUF_INIT;
	assert_false(chart_evidence(&b, &none, "x"));
	assert_int_equal(chart_evidence_key(&none, "x"), 0);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_higher_is_better_goes_up),
		cmocka_unit_test(test_scale_lower_is_better_is_inverted),
		cmocka_unit_test(test_scale_percent_is_0_to_100),
		cmocka_unit_test(test_scale_round_numbers),
		cmocka_unit_test(test_scale_negative_values),
		cmocka_unit_test(test_scale_bad_input),
		cmocka_unit_test(test_bars_baseline_and_result),
		cmocka_unit_test(test_bars_lower_is_better_drawn_right_way_up),
		cmocka_unit_test(test_line_series_and_direction),
		cmocka_unit_test(test_n_always_shown),
		cmocka_unit_test(test_empty_series_draws_nothing),
		cmocka_unit_test(test_single_point_series),
		cmocka_unit_test(test_comparison_reference_line),
		cmocka_unit_test(test_comparison_outside_values_widens_axis),
		cmocka_unit_test(test_text_is_escaped_and_fitted),
		cmocka_unit_test(test_evidence_records),
		cmocka_unit_test(test_evidence_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
