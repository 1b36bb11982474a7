#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run bouncelog under valgrind on inputs that reach every reader path,
and with every output format and output file.

Usage: valgrind.py VALGRIND BOUNCELOG

Passes only when valgrind reports no error and no leak and bouncelog's
exit status is the expected one. PCRE2's JIT is turned off, because
valgrind cannot follow JIT-compiled code and reports false errors in it.
"""
import os
import subprocess
import sys
import tempfile

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURES = os.path.join(SOURCE, "fixtures")
VALGRIND_ERROR = 99

CASES = [
    # (name, arguments, expected exit status of bouncelog)
    ("text report", ["postfix/sample.log", "postfix/statuses.log"], 0),
    ("json report", ["--format=json", "--lang=tr", "postfix/rejects.log",
                     "reader/multi-member.log.gz"], 0),
    ("long line", ["--format=json", "reader/long-line.log.gz"], 0),
    ("html report", ["--format=html", "--year=2026",
                     "hostile/html-injection.log", "postfix/sample.log"], 0),
    ("truncated gzip", ["reader/truncated.log.gz"], 1),
    ("corrupt gzip", ["reader/corrupt.log.gz"], 1),
    ("missing file", ["reader/no-such-file.log"], 1),
    # @TMP@ is a temporary folder.
    ("every output", ["--format=csv.codes", "--csv-excel",
                      "--report=prometheus:@TMP@/bouncelog.prom",
                      "--report=csv.events:@TMP@/events.csv",
                      "--events=@TMP@/events.jsonl", "--show-addresses",
                      "hostile/formula-cells.log", "postfix/statuses.log"], 0),
    ("output error", ["--output=@TMP@/missing/bouncelog.prom",
                      "--report=json:@TMP@/report.json",
                      "postfix/statuses.log"], 1),
    ("merged summaries", ["--merge", "--format=html",
                          "summaries/mx1-2024-11-19.json",
                          "summaries/mx2-2024-12-04.json.gz",
                          "summaries/mx3-estimated.json",
                          "summaries/damaged/truncated.json",
                          "summaries/damaged/bad-lines.json"], 1),
]


def main(argv):
    valgrind, bouncelog = argv[1], argv[2]
    env = dict(os.environ, BOUNCELOG_PCRE2_JIT="0")
    print(f"1..{len(CASES)}")
    failed = 0
    tmp = tempfile.TemporaryDirectory(prefix="bouncelog-valgrind-")
    for number, (name, args, want) in enumerate(CASES, 1):
        args = [a.replace("@TMP@", tmp.name) if a.startswith("--")
                else os.path.join(FIXTURES, a) for a in args]
        proc = subprocess.run(
            [valgrind, "--quiet", "--leak-check=full",
             "--errors-for-leak-kinds=all",
             f"--error-exitcode={VALGRIND_ERROR}", bouncelog] + args,
            capture_output=True, env=env, timeout=600)
        if proc.returncode == want:
            print(f"ok {number} - {name}")
            continue
        failed += 1
        print(f"not ok {number} - {name}")
        print(f"# exit status: got {proc.returncode}, want {want}")
        for line in proc.stderr.decode("utf-8", "replace").splitlines()[:30]:
            print(f"# {line}")
    tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
