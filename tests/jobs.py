#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that the report is the same for any number of parsing threads.

Usage: jobs.py BOUNCELOG [CORPUS_DIR]

For each group of inputs below, the test runs `bouncelog --format=json`
once with --jobs=1 (one thread, no queues) and once with --jobs=2 and
--jobs=5, with -v so that diagnostics about unrecognized lines are
printed too, and requires the same standard output, standard error and
exit status.  A second run of each writes the per-failure event lines
(--events, addresses in clear, a fixed pseudonym key), which show every
field of the events that the parsing threads pass on.  The groups are the fixtures of each log format in name
order, with the rotated Exim logs oldest first so that a deferral in one
file and its expiry in the next are joined; every fixture at once; and
every file of the public corpus at once, given in both name orders.
Two more groups give the rotated Exim logs with one of them piped to
standard input.  The last gives an Exim failure and a deferral of the
same address logged after it.
CORPUS_DIR defaults to $BOUNCELOG_CORPUS, then to ../shared/corpus
beside the source tree; without it those groups are skipped.
"""
import os
import subprocess
import sys
import tempfile

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURES = os.environ.get("BOUNCELOG_FIXTURES",
                          os.path.join(SOURCE, "fixtures"))
JOBS = (2, 5)


def log_files(folder):
    """Every log file under folder, in name order, without notes and truth."""
    found = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            if name.endswith((".md", ".json", ".yaml", ".tsv")):
                continue
            found.append(os.path.join(root, name))
    return sorted(found)


def run(bouncelog, jobs, files, key, stdin=None):
    """Standard output, standard error and exit status of the report run
    and of the event run.  With stdin, the file of that name is written
    to a pipe on standard input, for the input "-"."""
    data = b""
    if stdin is not None:
        with open(stdin, "rb") as f:
            data = f.read()
    report = subprocess.run(
        [bouncelog, "--format=json", "-v", "--jobs=%d" % jobs, "--"] + files,
        input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        check=False, env=dict(os.environ, TZ="UTC"))
    events = subprocess.run(
        [bouncelog, "--events=-", "--show-addresses",
         "--pseudonym-key=" + key, "--output=" + os.devnull,
         "--jobs=%d" % jobs, "--"] + files,
        input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        check=False, env=dict(os.environ, TZ="UTC"))
    return (report.stdout, report.stderr, report.returncode,
            events.stdout, events.stderr, events.returncode)


def groups(corpus):
    """(name, files, stdin) for every group of inputs that the test
    compares; stdin names the file piped to the input "-", or is None."""
    result = []
    for fmt in sorted(os.listdir(FIXTURES)):
        folder = os.path.join(FIXTURES, fmt)
        if os.path.isdir(folder):
            result.append(("fixtures/" + fmt, log_files(folder), None))
    older = os.path.join(FIXTURES, "exim", "rotated-mainlog.1")
    newer = os.path.join(FIXTURES, "exim", "rotated-mainlog")
    result.append(("exim rotated, oldest first", [older, newer], None))
    # A pipe can be read only once, and the newer log needs what the
    # older one left (a deferral and its expiry).
    result.append(("exim rotated, the newer log piped",
                   [older, "-"], newer))
    result.append(("exim rotated, the older log piped",
                   ["-", newer], older))
    # The first lines are read ahead to sort the inputs, and the later
    # deferral read there must not reach the failure before it.
    result.append(("exim, a deferral after the failure",
                   [newer, os.path.join(FIXTURES, "exim",
                                        "later-deferral.log")], None))
    result.append(("all fixtures", log_files(FIXTURES), None))
    if corpus is not None:
        files = log_files(corpus)
        result.append(("corpus", files, None))
        result.append(("corpus, reversed", files[::-1], None))
    return result


def main():
    bouncelog = sys.argv[1]
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.environ.get(
        "BOUNCELOG_CORPUS", os.path.join(SOURCE, "..", "shared", "corpus"))
    if not os.path.isdir(corpus):
        corpus = None

    cases = groups(corpus)
    print("1..%d" % (len(cases) * len(JOBS) + (corpus is None)))
    failed = 0
    number = 0
    with tempfile.NamedTemporaryFile("w", prefix="bouncelog-key-") as keyfile:
        keyfile.write("a fixed pseudonym key for the jobs test\n")
        keyfile.flush()
        os.chmod(keyfile.name, 0o600)
        for name, files, stdin in cases:
            failed += compare(bouncelog, name, files, keyfile.name, number,
                              stdin)
            number += len(JOBS)
    if corpus is None:
        number += 1
        print("ok %d - corpus # SKIP no corpus folder" % number)
    return 1 if failed else 0


def compare(bouncelog, name, files, key, number, stdin):
    """Print one TAP line per job count; the number of failures."""
    labels = ("report", "report diagnostics", "report exit status",
              "events", "event diagnostics", "event exit status")
    failed = 0
    want = run(bouncelog, 1, files, key, stdin)
    for jobs in JOBS:
        number += 1
        got = run(bouncelog, jobs, files, key, stdin)
        problems = [labels[i] for i in range(len(labels))
                    if got[i] != want[i]]
        if problems:
            failed += 1
            print("not ok %d - %s, --jobs=%d" % (number, name, jobs))
            print("# %d files; differs from --jobs=1 in %s" %
                  (len(files), ", ".join(problems)))
        else:
            print("ok %d - %s, --jobs=%d (%d files)" %
                  (number, name, jobs, len(files)))
    return failed


if __name__ == "__main__":
    sys.exit(main())
