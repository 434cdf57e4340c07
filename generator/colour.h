/*
 * colour: the site's brand colour (site.yaml primary_colour): parsing and
 * the WCAG contrast check against the white text and background the
 * default theme puts on and around it.
 */
#ifndef ENQUIRE_COLOUR_H
#define ENQUIRE_COLOUR_H

#include <stdbool.h>

/* Parses "#rgb" or "#rrggbb" (any case) into 0-255 channels. */
bool colour_parse(const char *s, int rgb[3]);
/* WCAG 2 relative luminance (0 black .. 1 white). */
double colour_luminance(const int rgb[3]);
/* The contrast ratio of two colours, 1 to 21. */
double colour_contrast(const int a[3], const int b[3]);

/* WCAG 2 AA for normal text. */
#define COLOUR_MIN_CONTRAST 4.5

#endif
