#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that rotated logs give the same report in any order.

Usage: input_order.py BOUNCELOG

fixtures/timerange/rotated contains three days of one server's log, rotated
into mail.log.2.gz, mail.log.1 and mail.log.  A message deferred on the
first two days expires on the third, and the expiry is joined to its
deferred recipient by queue id only when the files are read oldest
first.  This test runs bouncelog with the files in each of the six
orders, checks that the JSON reports are identical, and checks the
counts that the fixture's README derives from its story.  It also checks
that an input that cannot be read twice (a pipe) keeps its place and
loses no line to the search for first timestamps.
"""
import itertools
import json
import os
import shlex
import subprocess
import sys

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
ROTATED = os.path.join(SOURCE, "fixtures", "timerange", "rotated")
FILES = ["mail.log.2.gz", "mail.log.1", "mail.log"]
PASSED_ON = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
             "BOUNCELOG_PCRE2_JIT")
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC",
       "LC_ALL": "C.UTF-8",
       **{k: os.environ[k] for k in PASSED_ON if k in os.environ}}

# A command put before bouncelog, such as valgrind with its options, from
# the environment variable BOUNCELOG_WRAPPER (split as a shell would).
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))

# Counted by hand from the story in fixtures/timerange/README.md.
WANT_TOTALS = {"delivered": 4, "deferred": 4, "deferred_recipients": 2,
               "expired": 1, "expired_messages": 1, "rejected": 1}
WANT_FULL_DOMAIN = {"domain": "full.example", "delivered": 0, "deferred": 2,
                    "bounced": 0, "expired": 1, "rejected": 0}


def run(args, **kwargs):
    return subprocess.run(WRAPPER + args, capture_output=True, env=ENV,
                          cwd=ROTATED, timeout=600, **kwargs)


def check_counts(report):
    problems = []
    for key, want in WANT_TOTALS.items():
        got = report["totals"][key]
        if got != want:
            problems.append(f"totals.{key}: got {got}, want {want}")
    full = [d for d in report["domains"] if d["domain"] == "full.example"]
    if full != [WANT_FULL_DOMAIN]:
        problems.append(f"domain full.example: got {full}, "
                        f"want {WANT_FULL_DOMAIN}")
    reasons = {r["reason"]: r for r in report["failure_reasons"]}
    expired = reasons.get("mailboxfull", {}).get("expired")
    if expired != 1:
        problems.append(f"mailboxfull expiries: got {expired}, want 1")
    names = [os.path.basename(i["name"]) for i in report["inputs"]]
    if names != FILES:
        problems.append(f"reading order: got {names}, want {FILES}")
    return problems


def test_orders(bouncelog):
    """Every order gives the same bytes as oldest first."""
    reference = run([bouncelog, "--format=json"] + FILES)
    problems = check_counts(json.loads(reference.stdout))
    for order in itertools.permutations(FILES):
        proc = run([bouncelog, "--format=json"] + list(order))
        if proc.returncode != 0 or proc.stdout != reference.stdout:
            problems.append(f"order {' '.join(order)}: report differs "
                            f"(exit status {proc.returncode})")
    return problems


def test_pipe_keeps_place(bouncelog):
    """A pipe between two files is read where it was given, in full."""
    with open(os.path.join(ROTATED, "mail.log"), "rb") as f:
        newest = f.read()
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        WRAPPER + [bouncelog, "--format=json", "mail.log.1",
                   f"/dev/fd/{read_fd}", "mail.log.2.gz"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
        cwd=ROTATED, pass_fds=[read_fd])
    os.close(read_fd)
    os.write(write_fd, newest)
    os.close(write_fd)
    out, err = proc.communicate(timeout=600)
    report = json.loads(out)
    names = [os.path.basename(i["name"]) for i in report["inputs"]]
    want_names = ["mail.log.2.gz", str(read_fd), "mail.log.1"]
    problems = []
    if names != want_names:
        problems.append(f"reading order: got {names}, want {want_names}")
    lines, want_lines = report["inputs"][1]["lines"], newest.count(b"\n")
    if lines != want_lines:
        problems.append(f"pipe lines: got {lines}, want {want_lines}")
    if proc.returncode != 0 or err:
        problems.append(f"exit status {proc.returncode}, stderr {err!r}")
    return problems


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    tests = [("any order gives one report", test_orders),
             ("pipe keeps its place", test_pipe_keeps_place)]
    print(f"1..{len(tests)}")
    failed = 0
    for number, (name, test) in enumerate(tests, 1):
        problems = test(bouncelog)
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
