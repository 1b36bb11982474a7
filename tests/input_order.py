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
loses no line to the search for first timestamps, and that a file named
twice, by any path or as a FIFO, is read once.
"""
import itertools
import json
import os
import shlex
import subprocess
import sys
import tempfile

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


def read_inputs(report):
    """The inputs that were read, by name, and the ones that were not,
    as (name, same_as) pairs."""
    read = [i["name"] for i in report["inputs"] if "same_as" not in i]
    not_read = [(i["name"], i["same_as"]) for i in report["inputs"]
                if "same_as" in i]
    return read, not_read


def without_inputs(report):
    return {k: v for k, v in report.items() if k != "inputs"}


def test_same_file_once(bouncelog):
    """A file named again, by any path, is read once, and the report
    lists the other names as not read, with any number of jobs."""
    reference = json.loads(run([bouncelog, "--format=json"] + FILES).stdout)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        link = os.path.join(tmp, "link.log")
        os.symlink(os.path.join(ROTATED, "mail.log"), link)
        args = ["mail.log.1", "mail.log", "./mail.log.1", link,
                "mail.log.2.gz", "-", "mail.log"]
        want_not_read = [("./mail.log.1", "mail.log.1"),
                         (link, "mail.log"), ("-", "mail.log"),
                         ("mail.log", "mail.log")]
        for jobs in ("1", "3"):
            with open(os.path.join(ROTATED, "mail.log"), "rb") as stdin:
                proc = run([bouncelog, "--format=json", f"--jobs={jobs}"]
                           + args, stdin=stdin)
            report = json.loads(proc.stdout)
            read, not_read = read_inputs(report)
            if read != FILES:
                problems.append(f"--jobs={jobs}: read {read}, want {FILES}")
            if not_read != want_not_read:
                problems.append(f"--jobs={jobs}: not read {not_read}, "
                                f"want {want_not_read}")
            if without_inputs(report) != without_inputs(reference):
                problems.append(f"--jobs={jobs}: counts differ from the "
                                f"files read once each")
            warnings = proc.stderr.decode().count("it is read only once")
            if proc.returncode != 0 or warnings != len(want_not_read):
                problems.append(f"--jobs={jobs}: exit status "
                                f"{proc.returncode}, {warnings} warnings, "
                                f"stderr {proc.stderr!r}")
    return problems


def test_stdin_past_start(bouncelog):
    """Standard input on a file, moved past its first line, is not read
    in place of the file's path, which reads the whole file."""
    reference = json.loads(run([bouncelog, "--format=json"] + FILES).stdout)
    problems = []
    for jobs in ("1", "2"):
        with open(os.path.join(ROTATED, "mail.log"), "rb") as stdin:
            stdin.readline()
            proc = run([bouncelog, "--format=json", f"--jobs={jobs}", "-"]
                       + FILES, stdin=stdin)
        report = json.loads(proc.stdout)
        read, not_read = read_inputs(report)
        if read != FILES or not_read != [("-", "mail.log")]:
            problems.append(f"--jobs={jobs}: read {read}, not read "
                            f"{not_read}")
        if without_inputs(report) != without_inputs(reference):
            problems.append(f"--jobs={jobs}: counts differ from the files "
                            f"read in full")
    return problems


def test_fifo_twice(bouncelog):
    """A FIFO named twice is read once: the run does not wait for a
    second writer."""
    problems = []
    with open(os.path.join(ROTATED, "mail.log"), "rb") as f:
        newest = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "fifo")
        os.mkfifo(fifo)
        proc = subprocess.Popen(
            WRAPPER + [bouncelog, "--format=json", "--jobs=2", fifo, fifo],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
            cwd=ROTATED)
        with open(fifo, "wb") as writer:
            writer.write(newest)
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return ["bouncelog still waited 120 s after the writer closed"]
        report = json.loads(out)
        read, not_read = read_inputs(report)
        if read != [fifo] or not_read != [(fifo, fifo)]:
            problems.append(f"read {read}, not read {not_read}")
        lines, want_lines = report["inputs"][0]["lines"], newest.count(b"\n")
        if lines != want_lines:
            problems.append(f"lines: got {lines}, want {want_lines}")
        if proc.returncode != 0:
            problems.append(f"exit status {proc.returncode}, stderr {err!r}")
    return problems


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    tests = [("any order gives one report", test_orders),
             ("pipe keeps its place", test_pipe_keeps_place),
             ("a file named twice is read once", test_same_file_once),
             ("a path is read rather than stdin", test_stdin_past_start),
             ("a FIFO named twice is read once", test_fifo_twice)]
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
