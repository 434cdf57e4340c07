/*
 * chart: SVG bar and line charts of evidence records (see chart.h).
 *
 * Geometry, in the viewBox's units: a note on the direction at the top,
 * the plot area in the middle with three value ticks on the left, the
 * category labels under it and the sample size at the bottom. Colours are
 * presentation attributes the theme's CSS may override through the
 * classes (chart-bar, chart-result, chart-ref, ...).
 */
#include "chart.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hashkey.h"

#define PLOT_LEFT 48.0
#define PLOT_RIGHT (CHART_WIDTH - 12.0)
#define PLOT_TOP 30.0
#define PLOT_BOTTOM 150.0
#define LABEL_Y 168.0
#define N_Y 204.0
#define TEXT_COLOUR "#0b0c0c"
/* A white outline behind value labels, so a reference line crossing
 * them does not hide them. */
#define HALO "style=\"paint-order:stroke\" stroke=\"#ffffff\" stroke-width=\"4\""
#define CHAR_WIDTH 7.0 /* average width of a 13-unit sans-serif glyph */

/* The smallest of 1, 2, 2.5, 5 times a power of ten that is >= x > 0. */
static double nice_ceil(double x)
{
	double mag = pow(10, floor(log10(x)));
	static const double steps[] = { 1, 2, 2.5, 5, 10 };
	for (size_t i = 0; i < ARRAY_LEN(steps); i++)
		if (steps[i] * mag >= x * (1 - 1e-9))
			return steps[i] * mag;
	return 10 * mag;
}

chart_scale chart_scale_for(double min, double max, bool percent,
	bool inverted, double top, double bottom)
{
	chart_scale s = { 0, 1, top, bottom, inverted };
	if (!isfinite(min) || !isfinite(max) || min > max)
		return s;
	if (percent && min >= 0 && max <= 100) {
		s.hi = 100;
		return s;
	}
	/* Headroom above the largest value, so its label fits. */
	s.hi = max > 0 ? nice_ceil(max * 1.1) : 0;
	s.lo = min < 0 ? -nice_ceil(-min * 1.1) : 0;
	if (s.hi <= s.lo)
		s.hi = s.lo + 1;
	return s;
}

double chart_scale_y(const chart_scale *s, double v)
{
	double t = (v - s->lo) / (s->hi - s->lo);
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	/* Higher is better: hi at the top. Inverted: lo at the top. */
	return s->inverted ? s->top + t * (s->bottom - s->top) :
		s->bottom - t * (s->bottom - s->top);
}

double chart_scale_base(const chart_scale *s)
{
	/* Bars grow from zero when zero is on the axis, else from the worse
	 * end (the bottom of the plot either way round). */
	if (s->lo < 0 && s->hi > 0)
		return chart_scale_y(s, 0);
	return s->bottom;
}

/* printf for the SVG: a chart prints dozens of coordinates, and printf's
 * exact float formatting costs thousands of instructions each (most of a
 * case study page's data), where buf_put_fixed1 and buf_put_g mostly do
 * without. It knows %s, %d, %.1f, %g and %%. */
static void svg_printf(buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void svg_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p;) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			buf_puts(b, p);
			break;
		}
		buf_put(b, p, (size_t)(pct - p));
		if (pct[1] == 's') {
			buf_puts(b, va_arg(ap, const char *));
			p = pct + 2;
		} else if (pct[1] == 'd') {
			int i = va_arg(ap, int);
			if (i > -1000000 && i < 1000000)
				buf_put_g(b, i); /* the same digits */
			else
				buf_printf(b, "%d", i);
			p = pct + 2;
		} else if (pct[1] == 'g') {
			buf_put_g(b, va_arg(ap, double));
			p = pct + 2;
		} else if (strncmp(pct, "%.1f", 4) == 0) {
			buf_put_fixed1(b, va_arg(ap, double));
			p = pct + 4;
		} else if (pct[1] == '%') {
			buf_putc(b, '%');
			p = pct + 2;
		} else {
			assert(!"svg_printf: unsupported conversion");
			p = pct + 1;
		}
	}
	va_end(ap);
}

static void put_text(buf *b, const char *s)
{
	buf_put_html(b, s, strlen(s));
}

/* A label cut to fit width, with an ellipsis. */
static void put_fitted(buf *b, const char *s, double width)
{
	size_t max = width > CHAR_WIDTH ? (size_t)(width / CHAR_WIDTH) : 1;
	size_t n = strlen(s);
	if (n <= max) {
		put_text(b, s);
		return;
	}
	size_t cut = max > 1 ? max - 1 : 1;
	/* Do not split a UTF-8 sequence. */
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	buf_put_html(b, s, cut);
	buf_puts(b, "\xE2\x80\xA6");
}

/* A value as the reader sees it: as written, with % for percentages. */
static void put_value(buf *b, const chart_point *p, bool percent)
{
	if (p->text && *p->text)
		put_text(b, p->text);
	else
		svg_printf(b, "%g", p->value);
	if (percent)
		buf_putc(b, '%');
}

static void put_tick(buf *b, double v, bool percent)
{
	svg_printf(b, "%g%s", fabs(v) < 1e-12 ? 0.0 : v, percent ? "%" : "");
}

/* The words of <desc>: every figure, the direction and n. */
static void describe(buf *b, const chart_spec *c, const chart_point *pts,
	size_t n)
{
	buf_puts(b, c->line ? "Line chart. " : "Bar chart. ");
	for (size_t i = 0; i < n; i++) {
		put_text(b, pts[i].label && *pts[i].label ? pts[i].label :
			"Value");
		buf_puts(b, ": ");
		put_value(b, &pts[i], c->percent);
		buf_puts(b, ". ");
	}
	if (c->comparison && isfinite(c->comparison->value)) {
		buf_puts(b, "Comparison");
		if (c->comparison->label && *c->comparison->label) {
			buf_puts(b, " (");
			put_text(b, c->comparison->label);
			buf_putc(b, ')');
		}
		buf_puts(b, ": ");
		put_value(b, c->comparison, c->percent);
		buf_puts(b, ". ");
	}
	buf_puts(b, c->lower_is_better ? "Lower is better; the axis is "
		"drawn upside down so that better is up. " : "Higher is better. ");
	if (c->n && *c->n) {
		buf_puts(b, "n = ");
		put_text(b, c->n);
		buf_putc(b, '.');
	} else {
		buf_puts(b, "Sample size not reported.");
	}
}

static void axis(buf *b, const chart_scale *s, const chart_spec *c)
{
	double ticks[3] = { s->lo, (s->lo + s->hi) / 2, s->hi };
	for (int i = 0; i < 3; i++) {
		double y = chart_scale_y(s, ticks[i]);
		svg_printf(b, "<line class=\"chart-grid\" x1=\"%.1f\" y1=\"%.1f\" "
			"x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b1b4b6\"/>", PLOT_LEFT, y,
			PLOT_RIGHT, y);
		svg_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
			PLOT_LEFT - 6, y + 4);
		put_tick(b, ticks[i], c->percent);
		buf_puts(b, "</text>");
	}
	svg_printf(b, "<line class=\"chart-axis\" x1=\"%.1f\" y1=\"%.1f\" "
		"x2=\"%.1f\" y2=\"%.1f\" stroke=\"" TEXT_COLOUR "\" "
		"stroke-width=\"1\"/>", PLOT_LEFT, s->top, PLOT_LEFT, s->bottom);
	/* Which way is better, in words (and an arrow), never by colour. */
	svg_printf(b, "<text class=\"chart-direction\" x=\"%.1f\" y=\"14\">"
		"\xE2\x86\x91 %s</text>", 4.0, c->lower_is_better ?
		"better (lower is better: axis inverted)" : "better (higher is better)");
}

static void comparison_line(buf *b, const chart_scale *s, const chart_spec *c)
{
	const chart_point *cmp = c->comparison;
	if (!cmp || !isfinite(cmp->value))
		return;
	double y = chart_scale_y(s, cmp->value);
	svg_printf(b, "<line class=\"chart-ref\" x1=\"%.1f\" y1=\"%.1f\" "
		"x2=\"%.1f\" y2=\"%.1f\" stroke=\"" TEXT_COLOUR "\" "
		"stroke-width=\"2\" stroke-dasharray=\"6 4\"/>", PLOT_LEFT, y,
		PLOT_RIGHT, y);
	/* The label goes in a key under the chart, beside n, where it
	 * cannot collide with the bars' value labels. */
	buf label = BUF_INIT;
	put_fitted(&label, cmp->label && *cmp->label ? cmp->label : "comparison",
		(PLOT_RIGHT - PLOT_LEFT) / 2);
	buf_puts(&label, ": ");
	put_value(&label, cmp, c->percent);
	double tw = (double)strlen(label.p) * CHAR_WIDTH;
	double x0 = PLOT_RIGHT - tw - 36;
	svg_printf(b, "<line class=\"chart-ref-key\" x1=\"%.1f\" y1=\"%.1f\" "
		"x2=\"%.1f\" y2=\"%.1f\" stroke=\"" TEXT_COLOUR "\" "
		"stroke-width=\"2\" stroke-dasharray=\"6 4\"/>", x0, N_Y - 4,
		x0 + 26, N_Y - 4);
	svg_printf(b, "<text class=\"chart-ref-label\" x=\"%.1f\" y=\"%.1f\" "
		"text-anchor=\"end\">%s</text>", PLOT_RIGHT, N_Y, label.p);
	buf_release(&label);
}

/* The category labels under the plot; when one does not fit its slot,
 * they alternate between two rows so that each gets twice the room. */
static void category_labels(buf *b, const chart_point *pts, size_t n,
	double slot)
{
	bool stagger = false;
	for (size_t i = 0; i < n && n > 1; i++)
		if (pts[i].label && (double)strlen(pts[i].label) * CHAR_WIDTH >
			slot - 4)
			stagger = true;
	for (size_t i = 0; i < n; i++) {
		double cx = PLOT_LEFT + slot * ((double)i + 0.5);
		svg_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
			cx, LABEL_Y + (stagger && i % 2 ? 16 : 0));
		put_fitted(b, pts[i].label && *pts[i].label ? pts[i].label : "",
			stagger ? 2 * slot - 8 : slot - 4);
		buf_puts(b, "</text>");
	}
}

static void bars(buf *b, const chart_scale *s, const chart_spec *c,
	const chart_point *pts, size_t n)
{
	double slot = (PLOT_RIGHT - PLOT_LEFT) / (double)n;
	double w = slot * 0.5 < 64 ? slot * 0.5 : 64;
	double base = chart_scale_base(s);
	for (size_t i = 0; i < n; i++) {
		double cx = PLOT_LEFT + slot * ((double)i + 0.5);
		double y = chart_scale_y(s, pts[i].value);
		double top = y < base ? y : base, h = fabs(base - y);
		bool last = i + 1 == n;
		/* The last bar (the result) is solid; earlier ones hatched in
		 * a lighter tone, and every bar is labelled in words below. */
		svg_printf(b, "<rect class=\"chart-bar%s\" x=\"%.1f\" y=\"%.1f\" "
			"width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#0b0c0c\" "
			"stroke-width=\"1\" data-value=\"%g\"/>",
			last ? " chart-result" : "", cx - w / 2, top, w,
			h < 1 ? 1 : h, last ? "currentColor" : "#dfe3e6",
			pts[i].value);
		double ly = (y < base ? y : base) - 6;
		svg_printf(b, "<text class=\"chart-value\" x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"middle\" " HALO ">", cx, ly < 12 ? 12 : ly);
		put_value(b, &pts[i], c->percent);
		buf_puts(b, "</text>");
	}
	category_labels(b, pts, n, slot);
}

static void line(buf *b, const chart_scale *s, const chart_spec *c,
	const chart_point *pts, size_t n)
{
	double slot = (PLOT_RIGHT - PLOT_LEFT) / (double)n;
	if (n > 1) {
		buf_puts(b, "<polyline class=\"chart-line\" fill=\"none\" "
			"stroke=\"currentColor\" stroke-width=\"3\" points=\"");
		for (size_t i = 0; i < n; i++)
			svg_printf(b, "%s%.1f,%.1f", i ? " " : "",
				PLOT_LEFT + slot * ((double)i + 0.5),
				chart_scale_y(s, pts[i].value));
		buf_puts(b, "\"/>");
	}
	for (size_t i = 0; i < n; i++) {
		double cx = PLOT_LEFT + slot * ((double)i + 0.5);
		double y = chart_scale_y(s, pts[i].value);
		svg_printf(b, "<circle class=\"chart-point\" cx=\"%.1f\" cy=\"%.1f\" "
			"r=\"5\" fill=\"currentColor\" stroke=\"#ffffff\" "
			"stroke-width=\"2\" data-value=\"%g\"/>", cx, y, pts[i].value);
		svg_printf(b, "<text class=\"chart-value\" x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"middle\" " HALO ">", cx, y - 10 < 12 ? 12 : y - 10);
		put_value(b, &pts[i], c->percent);
		buf_puts(b, "</text>");
	}
	category_labels(b, pts, n, slot);
}

bool chart_svg(buf *out, const chart_spec *c)
{
	/* Only the numeric points are drawn. */
	chart_point pts[32];
	size_t n = 0;
	double min = INFINITY, max = -INFINITY;
	for (size_t i = 0; i < c->npoints && n < ARRAY_LEN(pts); i++) {
		if (!isfinite(c->points[i].value))
			continue;
		pts[n++] = c->points[i];
		min = fmin(min, c->points[i].value);
		max = fmax(max, c->points[i].value);
	}
	if (n == 0)
		return false;
	if (c->comparison && isfinite(c->comparison->value)) {
		min = fmin(min, c->comparison->value);
		max = fmax(max, c->comparison->value);
	}
	chart_scale s = chart_scale_for(min, max, c->percent, c->lower_is_better,
		PLOT_TOP, PLOT_BOTTOM);
	const char *id = c->id && *c->id ? c->id : "chart";
	svg_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
		"viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		"aria-labelledby=\"", CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH,
		CHART_HEIGHT);
	put_text(out, id);
	buf_puts(out, "-title ");
	put_text(out, id);
	buf_puts(out, "-desc\" font-family=\"sans-serif\" font-size=\"13\" fill=\""
		TEXT_COLOUR "\"><title id=\"");
	put_text(out, id);
	buf_puts(out, "-title\">");
	put_text(out, c->title && *c->title ? c->title : "Evidence");
	buf_puts(out, "</title><desc id=\"");
	put_text(out, id);
	buf_puts(out, "-desc\">");
	describe(out, c, pts, n);
	buf_puts(out, "</desc>");
	axis(out, &s, c);
	if (c->line)
		line(out, &s, c, pts, n);
	else
		bars(out, &s, c, pts, n);
	comparison_line(out, &s, c);
	svg_printf(out, "<text class=\"chart-n\" x=\"%.1f\" y=\"%.1f\">",
		4.0, N_Y);
	if (c->n && *c->n) {
		buf_puts(out, "n = ");
		put_fitted(out, c->n, CHART_WIDTH - 40);
	} else {
		buf_puts(out, "n not reported");
	}
	buf_puts(out, "</text></svg>");
	return true;
}

static chart_point from_evidence(const evidence_point *p, const char *label)
{
	return (chart_point){ p->label && *p->label ? p->label : label, p->value,
		p->text };
}

/* What chart_evidence draws from: c points into pts and cmp. False when
 * the record is a text finding. */
static bool evidence_spec(const evidence *e, const char *id, chart_spec *c,
	chart_point pts[static 32], chart_point *cmp)
{
	if (e->text || (e->measure && strcmp(e->measure, "text") == 0))
		return false;
	size_t n = 0;
	*c = (chart_spec){ 0 };
	c->id = id;
	c->title = e->outcome;
	c->percent = e->measure && strcmp(e->measure, "percent") == 0;
	c->lower_is_better = e->lower_is_better;
	c->n = e->n;
	if (e->nseries) {
		c->line = true;
		for (size_t i = 0; i < e->nseries && n < 32; i++)
			pts[n++] = from_evidence(&e->series[i], "");
	} else {
		if (e->baseline)
			pts[n++] = from_evidence(e->baseline, "Baseline");
		if (e->result)
			pts[n++] = from_evidence(e->result, "Result");
		/* Bars are labelled by role, whatever the points' own labels. */
		if (n == 2) {
			pts[0].label = "Baseline";
			pts[1].label = "Result";
		}
	}
	if (e->comparison) {
		*cmp = from_evidence(e->comparison, "comparison");
		c->comparison = cmp;
	}
	c->points = pts;
	c->npoints = n;
	return true;
}

bool chart_evidence(buf *out, const evidence *e, const char *id)
{
	chart_point pts[32], cmp;
	chart_spec c;
	return evidence_spec(e, id, &c, pts, &cmp) && chart_svg(out, &c);
}

/* Bump when chart_svg draws anything differently: built sites hold charts
 * keyed by the version that drew them (chart_evidence_key). The build key
 * also holds the program's hash (util.h), where the system shows it. */
#define CHART_VERSION 1

static void key_point(hashkey *k, const chart_point *p)
{
	hashkey_str(k, p->label);
	hashkey_double(k, p->value);
	hashkey_str(k, p->text);
}

unsigned long long chart_evidence_key(const evidence *e, const char *id)
{
	chart_point pts[32], cmp;
	chart_spec c;
	if (!evidence_spec(e, id, &c, pts, &cmp))
		return 0;
	/* chart_svg draws only the finite points, and nothing without. */
	bool any = false;
	for (size_t i = 0; i < c.npoints; i++)
		any |= isfinite(c.points[i].value) != 0;
	if (!any)
		return 0;
	hashkey k;
	hashkey_init(&k, "chart");
	hashkey_u64(&k, CHART_VERSION);
	hashkey_str(&k, c.id);
	hashkey_str(&k, c.title);
	hashkey_str(&k, c.n);
	hashkey_u64(&k, (uint64_t)c.percent | (uint64_t)c.lower_is_better << 1 |
		(uint64_t)c.line << 2);
	hashkey_u64(&k, c.npoints);
	for (size_t i = 0; i < c.npoints; i++)
		key_point(&k, &c.points[i]);
	hashkey_u64(&k, c.comparison != NULL);
	if (c.comparison)
		key_point(&k, c.comparison);
	return hashkey_done(&k);
}
