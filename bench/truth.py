#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare bouncelog's JSON report of a generated log with its truth.

Usage: bench/truth.py BOUNCELOG LOG...

Runs `bouncelog --format=json LOG` for each LOG (plain or gzip) and
compares it with LOG.truth.json written by bench/gen (for LOG.gz, the
truth of LOG): lines, totals, reply codes, enhanced codes, reasons and
the top recipient domains.  Prints TAP and exits with 1 when any count
differs.  bench/run imports compare().
"""
import json
import os
import subprocess
import sys

# bench/gen writes offset-less timestamps in this zone.
TZ_FOR_LOCAL = "<+03>-3"


def truth_path(log):
    base = log[:-3] if log.endswith(".gz") else log
    return base + ".truth.json"


def compare(truth, report, reasons=True):
    """Return a list of differences, each a readable line.

    With reasons false, the per-reason counts are left out: they depend
    on the classifier's judgement of the reply texts, while every other
    count follows from the log's syntax.
    """
    problems = []
    (inp,) = report["inputs"]
    if inp["lines"] != truth["lines"]:
        problems.append(f"lines: got {inp['lines']}, want {truth['lines']}")
    if inp.get("unknown", 0) or inp.get("bad_header", 0):
        problems.append(f"unknown lines {inp.get('unknown')}, lines without "
                        f"a header {inp.get('bad_header')}: want 0")
    for key, want in truth["totals"].items():
        got = report["totals"].get(key)
        if got != want:
            problems.append(f"totals.{key}: got {got}, want {want}")
    sections = ("reply_codes", "enhanced_codes") + (
        ("reasons",) if reasons else ())
    for section in sections:
        got, want = report[section], truth[section]
        for key in sorted(set(got) | set(want)):
            if got.get(key, 0) != want.get(key, 0):
                problems.append(f"{section}[{key}]: got {got.get(key, 0)}, "
                                f"want {want.get(key, 0)}")
    domains = {d["domain"]: d for d in report["domains"]}
    for name, want in truth["top_domains"].items():
        got = domains.get(name)
        if got is None:
            problems.append(f"domain {name}: missing from the report")
            continue
        for key, count in want.items():
            if got.get(key) != count:
                problems.append(f"domain {name}.{key}: got {got.get(key)}, "
                                f"want {count}")
    return problems


def run_report(bouncelog, log, extra_env=None):
    env = dict(os.environ, TZ=TZ_FOR_LOCAL, **(extra_env or {}))
    proc = subprocess.run([bouncelog, "--format=json", "--top=100", "--",
                           log], capture_output=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"bouncelog exited with {proc.returncode} on "
                           f"{log}: {proc.stderr.decode(errors='replace')}")
    return json.loads(proc.stdout)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    bouncelog, logs = argv[1], argv[2:]
    print(f"1..{len(logs)}")
    failed = 0
    for number, log in enumerate(logs, 1):
        try:
            with open(truth_path(log), encoding="utf-8") as f:
                truth = json.load(f)
            problems = compare(truth, run_report(bouncelog, log))
        except (OSError, RuntimeError, ValueError, KeyError) as e:
            problems = [f"no usable report: {e}"]
        print(f"{'not ok' if problems else 'ok'} {number} - {log}")
        for p in problems:
            print(f"# {p}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
