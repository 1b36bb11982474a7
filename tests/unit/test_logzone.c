/* SPDX-License-Identifier: MIT */
/*
 * test_logzone.c - unit tests of the UTC offset of log timestamps
 *
 * Each case sets TZ and compares the offset computed for a wall time.
 * The zones come from the system's tzdata; a zone that is missing makes the C
 * library use UTC, which the "UTC" case tells apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "bouncelog/logzone.h"
#include "check.h"

struct zone_case {
	const char *name;
	const char *tz;
	int year, month, day, hour;
	bool has_offset;
	int offset_min;		/* the log's own, when has_offset */
	int want;
};

static const struct zone_case zone_cases[] = {
	{"UTC", "UTC", 2026, 12, 4, 6, false, 0, 0},
	{"Istanbul", "Europe/Istanbul", 2026, 12, 4, 6, false, 0, 180},
	{"New York winter", "America/New_York", 2026, 12, 4, 6, false, 0,
	 -300},
	{"New York summer", "America/New_York", 2026, 7, 4, 6, false, 0,
	 -240},
	{"fixed offset zone", "<+0530>-5:30", 2026, 1, 1, 0, false, 0, 330},
	{"log offset wins", "America/New_York", 2026, 12, 4, 6, true, 60, 60},
	{"year 9999", "Europe/Istanbul", 9999, 12, 31, 23, false, 0, 180},
};

static void
test_offsets(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(zone_cases); i++) {
		const struct zone_case *c = &zone_cases[i];
		struct logtime t = {0};
		struct logtime with;

		setenv("TZ", c->tz, 1);
		tzset();
		logzone_forget();
		t.wall = sysline_days_from_civil(c->year, c->month, c->day) *
				 86400 +
			 c->hour * 3600;
		t.has_offset = c->has_offset;
		t.offset_min = (int16_t)c->offset_min;

		check_int(c->name, "offset", logzone_offset_min(&t), c->want);
		check_int(c->name, "utc", logzone_utc(&t),
			  t.wall - (int64_t)c->want * 60);
		with = logzone_with_offset(&t);
		check_int(c->name, "with offset", with.has_offset, 1);
		check_int(c->name, "with offset minutes", with.offset_min,
			  c->want);
	}
	setenv("TZ", "UTC", 1);
	tzset();
	logzone_forget();
	finish_cases();
}

/* offset_fresh - logzone_offset_min() of wall with nothing kept */
static int
offset_fresh(int64_t wall)
{
	struct logtime t = {0};

	t.wall = wall;
	logzone_forget();
	return logzone_offset_min(&t);
}

/*
 * test_kept_minute - the offset kept for a minute is the one worked out
 * afresh, second by second, around the daylight saving changes of a
 * zone: the wall times go forward, as a log's do.
 */
static void
test_kept_minute(void **state)
{
	static const struct {
		const char *name;
		int year, month, day, hour;
	} changes[] = {
	    {"New York spring", 2026, 3, 8, 1},
	    {"New York autumn", 2026, 11, 1, 0},
	};

	(void)state;
	setenv("TZ", "America/New_York", 1);
	tzset();
	for (size_t i = 0; i < ARRAY_LEN(changes); i++) {
		int64_t start =
		    sysline_days_from_civil(changes[i].year, changes[i].month,
					    changes[i].day) *
			86400 +
		    changes[i].hour * 3600;
		int mismatches = 0;

		logzone_forget();
		for (int64_t wall = start; wall < start + 3 * 3600; wall++) {
			struct logtime t = {0};
			int kept_offset;

			t.wall = wall;
			kept_offset = logzone_offset_min(&t);
			if (kept_offset != offset_fresh(wall))
				mismatches++;

			/* offset_fresh() forgot the minute: ask again so
			 * that the next second finds it kept. */
			(void)logzone_offset_min(&t);
		}
		check_int(changes[i].name, "seconds whose kept offset differs",
			  mismatches, 0);
	}
	setenv("TZ", "UTC", 1);
	tzset();
	logzone_forget();
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_kept_minute),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("logzone", tests, NULL, NULL);
}
