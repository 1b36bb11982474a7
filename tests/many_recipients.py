#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that one line of very many recipients costs time linear in its
length.

Usage: many_recipients.py BOUNCELOG

Each case is one line of about 1 MB, below READER_LINE_MAX, made here.
Two are Sendmail delivery lines whose "to=" lists 100,000 times the same
address, or 60,000 distinct ones, before a deferral text of 300 KB.  The
third is an Exchange tracking row whose FAIL names one address 200,000
times.  Each recipient gets an event, which
takes the text, the reply found in it, its classification and the copy
of the line over from the event before it.  A cost per recipient that
grows with the line made these runs take minutes; now they take well
under a second.  So each run, with one job and with the default, must
end within TIMEOUT seconds, a limit that only such a cost reaches, and
its JSON report must count every recipient.

NOTE: on a 2-core host the code before took about 6 s on the Exchange
case, under TIMEOUT, and minutes on the Sendmail cases, so only those
catch its cost for certain.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

from tap import Tap

PASSED_ON = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
             "BOUNCELOG_PCRE2_JIT")
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC",
       "LC_ALL": "C.UTF-8",
       **{k: os.environ[k] for k in PASSED_ON if k in os.environ}}

# A command put before bouncelog, such as valgrind with its options, from
# the environment variable BOUNCELOG_WRAPPER (split as a shell would).
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))

# Recipients of the line whose addresses are the same, and of those whose
# addresses differ, so that the line stays below READER_LINE_MAX.
SAME = 100_000
DISTINCT = 60_000
# Seconds per run: far above the time of a linear cost, even in a
# sanitizer build, and far below that of a cost per recipient that grows
# with the line.
TIMEOUT = 20

# An Exchange 2019 log whose header lines the Exchange case takes.
EXCHANGE_FIXTURE = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "fixtures",
    "exchange", "MSGTRK-2019.LOG")


def exchange_header():
    """The header lines of EXCHANGE_FIXTURE, its byte order mark removed."""
    with open(EXCHANGE_FIXTURE, encoding="utf-8-sig") as f:
        return "".join(line for line in f if line.startswith("#"))


def sendmail_line(addresses):
    """A Sendmail deferral of the addresses, with a long text."""
    # Without a reply code at its start, the whole text is searched for
    # the enhanced code, so each recipient would cost its length.
    text = "Deferred: " + "x " * 150_000
    return (f"May  6 10:00:08 relay sm-mta[4031]: 441C5aB7003001: "
            f"to={','.join(addresses)}, delay=00:01:00, mailer=esmtp, "
            f"dsn=4.0.0, stat={text}\n")


def exchange_log(count):
    """An Exchange tracking log of one FAIL row for count recipients,
    all of one address."""
    rcpts = ";".join(["a@b"] * count)
    row = ("2024-05-06T08:12:01.301Z,,,,MBX01,,,ROUTING,FAIL,41231,"
           "<m1@example.org>,7f1e," + rcpts +
           ",550 5.1.1 RESOLVER.ADR.RecipNotFound; not found,48213,"
           f"{count},,,s,billing@example.org,billing@example.org,,"
           "Incoming,,,,,Email,0a,15.02\n")
    return exchange_header() + row


def check_run(bouncelog, path, jobs, total, want):
    """Run bouncelog on path with jobs and return the problems found,
    none when it ended in time and its totals count want recipients
    under total."""
    try:
        proc = subprocess.run(
            WRAPPER + [bouncelog, f"--jobs={jobs}", "--format=json", path],
            capture_output=True, env=ENV, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return [f"--jobs={jobs}: not done after {TIMEOUT} s"]
    if proc.returncode != 0:
        return [f"--jobs={jobs}: exit status {proc.returncode}: "
                f"{proc.stderr.decode(errors='replace')[:300]}"]
    got = json.loads(proc.stdout)["totals"][total]
    if got != want:
        return [f"--jobs={jobs}: {total} is {got}, want {want}"]
    return []


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    tap = Tap()
    cases = [
        ("Sendmail, one address repeated", "deferred", SAME,
         sendmail_line(["<a@b>"] * SAME)),
        ("Sendmail, distinct addresses", "deferred", DISTINCT,
         sendmail_line([f"<u{i}@c>" for i in range(DISTINCT)])),
        ("Exchange", "bounced", 2 * SAME, exchange_log(2 * SAME)),
    ]
    with tempfile.TemporaryDirectory(prefix="bouncelog-many-") as tmp:
        for name, total, want, text in cases:
            path = os.path.join(tmp, "case.log")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            for jobs in (1, 0):
                tap.check(f"{name}, --jobs={jobs}",
                          check_run(bouncelog, path, jobs, total, want))
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
