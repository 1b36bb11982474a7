#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that -d today and -d yesterday cover the local day of the clock.

Usage: day_range.py BOUNCELOG

The golden tests cannot hold today's date, so this test computes the
expected local midnights with Python's zoneinfo and compares them with
the "range" member of the JSON report, in zones east and west of UTC.
The day is read before and after each run, so a run across midnight
may match either day.  The last case is the manual's cron example,
"bouncelog -d yesterday mail.log mail.log.1", on the rotated fixture.
"""
import datetime
import json
import os
import shlex
import subprocess
import sys
import zoneinfo

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LOG = os.path.join(SOURCE, "fixtures", "timerange", "offsets.log")
ROTATED = os.path.join(SOURCE, "fixtures", "timerange", "rotated")
ZONES = ["Europe/Istanbul", "America/New_York", "Asia/Kolkata", "UTC"]

# A command put before bouncelog, such as valgrind with its options, from
# the environment variable BOUNCELOG_WRAPPER (split as a shell would).
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))

# Settings of the sanitizers and of PCRE2's JIT (off under valgrind) that
# the run of bouncelog keeps from the test's environment.
PASSED_ON = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
             "BOUNCELOG_PCRE2_JIT")


def midnight(day, zone):
    """RFC 3339 text of local midnight at the start of day in zone."""
    start = datetime.datetime.combine(day, datetime.time(), zone)
    return start.isoformat().replace("+00:00", "Z")


def expected(word, zone):
    today = datetime.datetime.now(zone).date()
    day = today - datetime.timedelta(days=1) if word == "yesterday" else today
    return (midnight(day, zone),
            midnight(day + datetime.timedelta(days=1), zone))


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    cases = [(zone, word, [LOG]) for zone in ZONES
             for word in ("today", "yesterday")]
    cases.append(("Europe/Istanbul", "yesterday",
                  [os.path.join(ROTATED, "mail.log"),
                   os.path.join(ROTATED, "mail.log.1")]))
    print(f"1..{len(cases)}")
    failed = 0
    for number, (zone, word, logs) in enumerate(cases, 1):
        tz = zoneinfo.ZoneInfo(zone)
        before = expected(word, tz)
        proc = subprocess.run(
            WRAPPER + [bouncelog, "--format=json", "-d", word] + logs,
            capture_output=True, timeout=600,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": zone,
                 "LC_ALL": "C.UTF-8",
                 **{k: os.environ[k] for k in PASSED_ON if k in os.environ}})
        after = expected(word, tz)
        name = f"{word} in {zone} with {len(logs)} file(s)"
        problems = []
        if proc.returncode != 0:
            problems.append(f"exit status {proc.returncode}: "
                            f"{proc.stderr.decode(errors='replace')}")
        else:
            got_range = json.loads(proc.stdout)["range"]
            got = (got_range["since"], got_range["until"])
            if got not in (before, after):
                problems.append(f"range: got {got}, want {before}")
        if problems:
            failed += 1
            print(f"not ok {number} - {name}")
            for p in problems:
                print(f"# {p}")
        else:
            print(f"ok {number} - {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
