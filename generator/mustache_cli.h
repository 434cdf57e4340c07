/*
 * mustache_cli: `enquire mustache TEMPLATE DATA.yaml [--partials DIR]`,
 * which renders one template with YAML data to stdout, for theme authors
 * debugging a template and for checks.
 */
#ifndef ENQUIRE_MUSTACHE_CLI_H
#define ENQUIRE_MUSTACHE_CLI_H

/* argv[0] is the program, argv[1] "mustache". Returns the exit status. */
int mustache_command(int argc, char **argv);

#endif
