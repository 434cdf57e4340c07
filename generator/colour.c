/*
 * colour: hex colours and WCAG 2 contrast ratios (see colour.h).
 */
#include "colour.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool colour_parse(const char *s, int rgb[3])
{
	if (!s || s[0] != '#')
		return false;
	size_t n = strlen(s + 1);
	if (n != 3 && n != 6)
		return false;
	for (size_t i = 1; i <= n; i++)
		if (hex(s[i]) < 0)
			return false;
	for (int c = 0; c < 3; c++)
		rgb[c] = n == 3 ? hex(s[1 + c]) * 17 :
			hex(s[1 + 2 * c]) * 16 + hex(s[2 + 2 * c]);
	return true;
}

static double channel(int v)
{
	double c = v / 255.0;
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double colour_luminance(const int rgb[3])
{
	return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) +
		0.0722 * channel(rgb[2]);
}

double colour_contrast(const int a[3], const int b[3])
{
	double la = colour_luminance(a), lb = colour_luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}
