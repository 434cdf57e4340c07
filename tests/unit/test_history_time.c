/*
 * Unit tests for the history's time formats: RFC 3339 in the author's
 * time zone (Z for UTC, whole and part hours, either side, a date that
 * moves with the zone) and the year-10000 case that needs five digits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "history.h"

static void expect_rfc3339(int64_t time, int offset, const char *want)
{
	char out[HISTORY_TIME_SIZE];
	history_rfc3339((history_time){ time, offset }, out);
	assert_string_equal(out, want);
}

static void test_rfc3339(void **state)
{
	(void)state;
	expect_rfc3339(0, 0, "1970-01-01T00:00:00Z");
	expect_rfc3339(1700000000, 0, "2023-11-14T22:13:20Z");
	expect_rfc3339(1700000000, 60, "2023-11-14T23:13:20+01:00");
	expect_rfc3339(1700000000, -210, "2023-11-14T18:43:20-03:30");
	expect_rfc3339(1700000000, 345, "2023-11-15T03:58:20+05:45");
	expect_rfc3339(951782400, 0, "2000-02-29T00:00:00Z");
	expect_rfc3339(253402300800, 0, "10000-01-01T00:00:00Z");
	expect_rfc3339(253402300800, -60, "9999-12-31T23:00:00-01:00");
}

static void test_date(void **state)
{
	(void)state;
	char out[HISTORY_TIME_SIZE];
	history_date((history_time){ 1700000000, 345 }, out);
	assert_string_equal(out, "2023-11-15");
	history_date((history_time){ 1700000000, -210 }, out);
	assert_string_equal(out, "2023-11-14");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
