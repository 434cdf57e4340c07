/*
 * main: the command line. Parses options and hands over to build (build,
 * check) or renders one template (mustache); everything else lives in the
 * library so the tests exercise the same code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "diag.h"
#include "mustache_cli.h"
#include "plugin.h"
#include "util.h"


static const char usage[] =
	"usage: enquire build [ROOT] [options]   render the site into --out\n"
	"       enquire check [ROOT] [options]   validate the content only\n"
	"       enquire mustache TEMPLATE DATA.yaml [--partials DIR]\n"
	"       enquire NAME [args]              a plugin's command, e.g.\n"
	"                                        enquire claims suggest FILE...\n"
	"       enquire --version | --help\n"
	"\n"
	"options:\n"
	"  --out DIR          output folder (default: _site)\n"
	"  --ref REF          commit, branch or tag to read (default: HEAD)\n"
	"  --worktree         read the files on disk, uncommitted changes included\n"
	"  --drafts           include documents with status: draft\n"
	"  --profile NAME     public (default) or internal: include visibility: internal\n"
	"  --themes DIR       where themes are (default: beside the program)\n"
	"  -j, --jobs N       threads (default: one per processor)\n"
	"  -q, --quiet        print diagnostics only, no progress or summary\n"
	"  --no-cache         full build: ignore and do not write .enquire-cache\n";

typedef struct {
	build_options build;
	bool quiet;
} cli;

/* Reads the value of an option that takes one; exits on a missing one. */
static const char *arg_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "enquire: error: option '%s' needs a value\n", argv[*i]);
		exit(2);
	}
	return argv[++*i];
}

static void parse_build_args(int argc, char **argv, cli *c)
{
	bool have_root = false;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--out") == 0 || strcmp(a, "-o") == 0) {
			c->build.out = arg_value(argc, argv, &i);
		} else if (strcmp(a, "--ref") == 0) {
			c->build.ref = arg_value(argc, argv, &i);
		} else if (strcmp(a, "--worktree") == 0) {
			c->build.worktree = true;
		} else if (strcmp(a, "--drafts") == 0) {
			c->build.drafts = true;
		} else if (strcmp(a, "--profile") == 0) {
			const char *p = arg_value(argc, argv, &i);
			if (strcmp(p, "internal") == 0) {
				c->build.internal = true;
			} else if (strcmp(p, "public") != 0) {
				fprintf(stderr, "enquire: error: unknown profile '%s' (expected public or internal)\n", p);
				exit(2);
			}
		} else if (strcmp(a, "--themes") == 0) {
			c->build.themes_dir = arg_value(argc, argv, &i);
		} else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
			const char *v = arg_value(argc, argv, &i);
			char *end;
			long n = strtol(v, &end, 10);
			if (*end || n < 1 || n > 64) {
				fprintf(stderr, "enquire: error: bad number of jobs '%s' (1 to 64)\n", v);
				exit(2);
			}
			c->build.threads = (unsigned)n;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			c->quiet = true;
		} else if (strcmp(a, "--no-cache") == 0) {
			c->build.no_cache = true;
		} else if (a[0] == '-') {
			fprintf(stderr, "enquire: error: unknown option '%s'\n%s", a, usage);
			exit(2);
		} else if (!have_root) {
			c->build.root = a;
			have_root = true;
		} else {
			fprintf(stderr, "enquire: error: more than one ROOT ('%s')\n", a);
			exit(2);
		}
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_build(int argc, char **argv)
{
	cli c = { BUILD_OPTIONS_INIT, false };
	parse_build_args(argc, argv, &c);
	c.build.progress = !c.quiet && isatty(STDERR_FILENO);
	c.build.quiet = c.quiet;
	diag_list *d = diag_list_new();
	build_stats st;
	double t0 = now();
	int rc = build_site(&c.build, d, &st);
	size_t errors = diag_errors(d), warnings = diag_warnings(d);
	size_t notes = diag_count(d) - errors - warnings;
	/* Notes are advice for authors (a plugin's "check this claim"): a
	 * large site can have thousands, so build only counts them and
	 * check lists them. */
	diag_print_upto(d, DIAG_WARNING, stderr);
	if (notes && !c.quiet)
		fprintf(stderr, "enquire: %zu note%s: 'enquire check' lists them\n",
			notes, notes == 1 ? "" : "s");
	if (rc != 0) {
		fprintf(stderr, "enquire: %zu error%s; nothing written, '%s' left as it was\n",
			errors, errors == 1 ? "" : "s", c.build.out);
	} else if (!c.quiet) {
		fprintf(stderr, "enquire: built %zu pages and %zu files (%zu unchanged, %.1f MB written) from %s into '%s' in %.2f s%s\n",
			st.pages, st.files, st.reused, (double)st.bytes / 1e6,
			st.source ? st.source : "?", c.build.out, now() - t0,
			warnings ? " (with warnings)" : "");
	}
	build_stats_release(&st);
	diag_list_free(d);
	return rc == 0 ? 0 : 1;
}

static int cmd_check(int argc, char **argv)
{
	cli c = { BUILD_OPTIONS_INIT, false };
	c.build.out = NULL;
	parse_build_args(argc, argv, &c);
	diag_list *d = diag_list_new();
	build_check(&c.build, d);
	size_t errors = diag_errors(d), warnings = diag_warnings(d);
	diag_print(d, stderr);
	if (!c.quiet)
		fprintf(stderr, "enquire: %zu error%s, %zu warning%s\n", errors,
			errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	diag_list_free(d);
	return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "build") == 0)
		return cmd_build(argc, argv);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc, argv);
	if (strcmp(cmd, "mustache") == 0)
		return mustache_command(argc, argv);
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("enquire %s\n", ENQUIRE_VERSION);
		return 0;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0 ||
		strcmp(cmd, "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	return plugin_command_main(argc, argv, usage);
}
