#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check bouncelog's JSON report against each fixture's ground truth.

Usage: fixture_truth.py BOUNCELOG

For every fixtures/**/NAME.expected.json beside a log NAME (or NAME.gz),
run `bouncelog --format=json NAME` and compare the line count, every
total named in the truth file, and the reply and enhanced code counts.
The truth files were derived by hand from the story each fixture tells,
not from bouncelog's output, so this test catches counting mistakes that
golden output would freeze in.
"""
import json
import os
import shlex
import subprocess
import sys

# A command put before bouncelog, such as valgrind with its options, from
# the environment variable BOUNCELOG_WRAPPER (split as a shell would).
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURES = os.path.join(SOURCE, "fixtures")

# The counts of a domains[] row, each of which adds up to the total of
# the same name.
DOMAIN_OUTCOMES = ("delivered", "deferred", "bounced", "expired", "rejected")


def compare(truth, report):
    problems = []
    (inp,) = report["inputs"]
    if "lines" in truth and inp["lines"] != truth["lines"]:
        problems.append(f"lines: got {inp['lines']}, want {truth['lines']}")
    for key, want in truth.get("totals", {}).items():
        got = report["totals"].get(key)
        if got != want:
            problems.append(f"totals.{key}: got {got}, want {want}")
    # Every outcome counted in the totals has a row in the domain table,
    # under "(unknown)" when the log names no recipient (a rejection at
    # CONNECT or HELO, an expiry whose recipients were not seen).
    for key in DOMAIN_OUTCOMES:
        listed = sum(row[key] for row in report["domains"])
        if listed != report["totals"][key]:
            problems.append(f"domains[].{key} add up to {listed}, "
                            f"totals.{key} is {report['totals'][key]}")
    for section in ("reply_codes", "enhanced_codes"):
        if section not in truth:
            continue
        got, want = report[section], truth[section]
        for code in sorted(set(got) | set(want)):
            if got.get(code, 0) != want.get(code, 0):
                problems.append(f"{section}[{code}]: got {got.get(code, 0)}"
                                f", want {want.get(code, 0)}")
    return problems


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    cases = []
    for folder, _, names in os.walk(FIXTURES):
        for name in sorted(names):
            if not name.endswith(".expected.json"):
                continue
            log = os.path.join(folder, name[:-len(".expected.json")])
            if not os.path.exists(log) and os.path.exists(log + ".gz"):
                log += ".gz"
            cases.append((os.path.join(folder, name), log))
    cases.sort()
    print(f"1..{len(cases)}")
    failed = 0
    for number, (truth_path, log) in enumerate(cases, 1):
        rel = os.path.relpath(log, FIXTURES)
        with open(truth_path, encoding="utf-8") as f:
            truth = json.load(f)
        proc = subprocess.run(WRAPPER + [bouncelog, "--format=json", "--", log],
                              capture_output=True, timeout=120)
        problems = []
        if proc.returncode != truth.get("exit_status", 0):
            problems.append(f"exit status: got {proc.returncode}, want "
                            f"{truth.get('exit_status', 0)}")
        try:
            problems += compare(truth, json.loads(proc.stdout))
        except (ValueError, KeyError) as e:
            problems.append(f"unreadable report: {e}")
        if problems:
            failed += 1
            print(f"not ok {number} - {rel}")
            for p in problems:
                print(f"# {p}")
        else:
            print(f"ok {number} - {rel}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
