#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Score bouncelog's bounce classifier against hand-labelled SMTP replies.

Usage: accuracy.py BOUNCELOG [--labels=FILE] [--minimum=FRACTION]
                   [--codes-minimum=FRACTION]

responses.tsv beside this script, or the FILE given with --labels,
contains one SMTP response text per row,
with the reply code and enhanced status code that a correct extractor
takes from it (empty when the text has none) and the expected reason.
All texts go to a single run of `BOUNCELOG --classify --format=json`,
one text per line of standard input.  The classifier must print one JSON
object per input line, in input order, with at least the keys reply_code,
enhanced_code, reason, kind and evidence (empty string or null when there
is no value).

The TAP checks, in order:
  1. the label file is valid,
  2. the output has one object with the required keys per text,
  3. every reply code matches,
  4. every enhanced code matches,
     or, with --codes-minimum, at least that fraction of them (the wrong
     rows are listed either way),
  5. at least MIN_ACCURACY of the reasons match (or the --minimum given;
     the target stays MIN_ACCURACY and is printed either way).
Per-reason precision and recall and every wrong row are printed as TAP
comments.  A bouncelog without --classify (exit status 2, naming the
option) gives a skipped plan.
"""
import json
import os
import re
import subprocess
import sys

LABELS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "responses.tsv")
HEADER = ["id", "reply_code", "enhanced_code", "reason", "text", "note"]
REQUIRED_KEYS = ("reply_code", "enhanced_code", "reason", "kind", "evidence")
MIN_ACCURACY = 0.97
MIN_CODE_ACCURACY = 1.0
TEXT_WIDTH = 120
MAX_SHAPE_PROBLEMS = 20

REASONS = (
    "userunknown", "hostunknown", "notaccept", "hasmoved", "suspend",
    "mailboxfull", "filtered", "emailtoolarge", "rejected", "norelaying",
    "authfailure", "requireptr", "blocked", "badreputation", "spamdetected",
    "virusdetected", "policyviolation", "contenterror", "notcompliantrfc",
    "ratelimited", "toomanyrecipients", "greylisted", "securityerror",
    "failedstarttls", "syntaxerror", "systemerror", "systemfull",
    "networkerror", "dnserror", "connectionerror", "mailloop", "expired",
    "mailererror", "suppressed", "onhold", "undefined",
)
REPLY_CODE = re.compile(r"[2-5][0-9][0-9]")
ENHANCED_CODE = re.compile(r"[245]\.[0-9]{1,3}\.[0-9]{1,3}")


def read_labels(path):
    """Parse the label file and return its rows and the problems found."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    problems = []
    if not lines or lines[0].split("\t") != HEADER:
        problems.append("line 1: header must be " + " ".join(HEADER))
    rows = []
    texts = {}
    # Ids are a letter prefix and a 3-digit number, such as r001 in
    # responses.tsv.  The first row's prefix applies to the whole file.
    first_id = lines[1].split("\t")[0] if len(lines) > 1 else ""
    id_prefix = re.match(r"[a-z]*", first_id).group() or "r"
    for number, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            problems.append(f"line {number}: {len(fields)} fields, "
                            f"expected {len(HEADER)}")
            continue
        row = dict(zip(HEADER, fields))
        expected_id = f"{id_prefix}{len(rows) + 1:03d}"
        if row["id"] != expected_id:
            problems.append(f"line {number}: id {row['id']!r}, "
                            f"expected {expected_id!r}")
        if row["reply_code"] and not REPLY_CODE.fullmatch(row["reply_code"]):
            problems.append(f"line {number}: invalid reply_code "
                            f"{row['reply_code']!r}")
        if (row["enhanced_code"]
                and not ENHANCED_CODE.fullmatch(row["enhanced_code"])):
            problems.append(f"line {number}: invalid enhanced_code "
                            f"{row['enhanced_code']!r}")
        if row["reason"] not in REASONS:
            problems.append(f"line {number}: unknown reason "
                            f"{row['reason']!r}")
        text = row["text"]
        if not text or text != text.strip() or "\r" in text:
            problems.append(f"line {number}: text is empty, has a carriage "
                            "return or surrounding spaces")
        if text in texts:
            problems.append(f"line {number}: same text as line {texts[text]}")
        texts[text] = number
        for key in ("reply_code", "enhanced_code"):
            if row[key] and row[key] not in text:
                problems.append(f"line {number}: {key} {row[key]} does not "
                                "occur in the text")
        rows.append(row)
    return rows, problems


def lacks_classify(proc):
    """Return whether bouncelog rejected --classify as an unknown option."""
    return (proc.returncode == 2 and not proc.stdout.strip()
            and b"classify" in proc.stderr)


def parse_output(stdout, count):
    """Parse the classifier output into one result dict per input text.

    A missing or unreadable output line gives an empty dict, so every row is
    still scored.  Also returns the problems found in the output's shape.
    """
    lines = stdout.decode("utf-8", errors="replace").splitlines()
    problems = []
    if len(lines) != count:
        problems.append(f"{len(lines)} output lines for {count} input texts")
    results = []
    for number, line in enumerate(lines[:count], 1):
        try:
            result = json.loads(line)
        except ValueError as e:
            problems.append(f"output line {number}: invalid JSON: {e}")
            result = {}
        if not isinstance(result, dict):
            problems.append(f"output line {number}: not a JSON object")
            result = {}
        missing = [key for key in REQUIRED_KEYS if key not in result]
        if result and missing:
            problems.append(f"output line {number}: missing keys "
                            + ", ".join(missing))
        results.append(result)
    results += [{} for _ in range(count - len(results))]
    return results, problems


def code_text(value):
    """Return a code from the JSON output as text, "" for null or missing."""
    if value is None:
        return ""
    return str(value)


def cut(text):
    if len(text) <= TEXT_WIDTH:
        return text
    return text[:TEXT_WIDTH - 3] + "..."


def code_check(number, rows, results, key, minimum):
    """Report one code check and return whether it passed."""
    wrong = compare_codes(rows, results, key)
    matched = len(rows) - len(wrong)
    passed = matched >= minimum * len(rows)
    description = f"{key.replace('_', ' ')}s match ({len(wrong)} wrong)"
    if minimum < 1.0:
        description += (f", {100 * matched / len(rows):.1f}% right, "
                        f"minimum {100 * minimum:.0f}%")
    report(number, passed, description, wrong)
    return passed


def report(number, passed, description, comments):
    print(f"{'ok' if passed else 'not ok'} {number} - {description}")
    for line in comments:
        print(f"# {line}")


def compare_codes(rows, results, key):
    """Return the comment lines for every row whose `key` differs."""
    wrong = []
    for row, result in zip(rows, results):
        got = code_text(result.get(key))
        if got != row[key]:
            wrong.append(f"{row['id']} {key} got {got!r}, want "
                         f"{row[key]!r}: {cut(row['text'])}")
    return wrong


def reason_table(rows, got_reasons):
    """Return comment lines with precision and recall for each reason."""
    names = [r for r in REASONS
             if r in got_reasons or any(row["reason"] == r for row in rows)]
    names += sorted(set(got_reasons) - set(names))
    lines = [f"{'reason':<18} {'labelled':>8} {'predicted':>9} "
             f"{'precision':>9} {'recall':>7}"]
    for name in names:
        labelled = sum(1 for row in rows if row["reason"] == name)
        predicted = sum(1 for got in got_reasons if got == name)
        correct = sum(1 for row, got in zip(rows, got_reasons)
                      if got == name and row["reason"] == name)
        precision = f"{100 * correct / predicted:.1f}%" if predicted else "-"
        recall = f"{100 * correct / labelled:.1f}%" if labelled else "-"
        lines.append(f"{name:<18} {labelled:>8} {predicted:>9} "
                     f"{precision:>9} {recall:>7}")
    return lines


def main(argv):
    global MIN_ACCURACY
    target = MIN_ACCURACY
    code_minimum = MIN_CODE_ACCURACY
    labels = LABELS
    for arg in argv[2:]:
        if arg.startswith("--minimum="):
            MIN_ACCURACY = float(arg.split("=", 1)[1])
        elif arg.startswith("--codes-minimum="):
            code_minimum = float(arg.split("=", 1)[1])
        elif arg.startswith("--labels="):
            labels = arg.split("=", 1)[1]
    argv = [a for a in argv
            if not a.startswith(("--minimum=", "--labels=",
                                 "--codes-minimum="))]
    if len(argv) != 2:
        print("usage: accuracy.py BOUNCELOG [--labels=FILE] "
              "[--minimum=FRACTION] [--codes-minimum=FRACTION]",
              file=sys.stderr)
        return 2
    bouncelog = os.path.abspath(argv[1])
    print(f"# target reason accuracy {100 * target:.0f}%, "
          f"minimum enforced {100 * MIN_ACCURACY:.0f}%")

    label_name = os.path.basename(labels)
    rows, label_problems = read_labels(labels)
    if label_problems:
        print("1..1")
        report(1, False, f"{label_name} is valid", label_problems)
        return 1

    texts = "".join(row["text"] + "\n" for row in rows).encode("utf-8")
    proc = subprocess.run([bouncelog, "--classify", "--format=json"],
                          input=texts, capture_output=True, timeout=300)
    if lacks_classify(proc):
        print("1..0 # SKIP bouncelog has no --classify yet")
        return 0

    print("1..5")
    report(1, True, f"{label_name} is valid ({len(rows)} rows)", [])

    results, shape_problems = parse_output(proc.stdout, len(rows))
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", errors="replace").strip()
        shape_problems.insert(0, f"exit status {proc.returncode}: "
                              + cut(stderr.replace("\n", " | ")))
    listed_problems = shape_problems[:MAX_SHAPE_PROBLEMS]
    if len(shape_problems) > len(listed_problems):
        listed_problems.append(
            f"... and {len(shape_problems) - len(listed_problems)} more")
    report(2, not shape_problems,
           "classifier prints one JSON object per text", listed_problems)

    reply_passed = code_check(3, rows, results, "reply_code", code_minimum)
    enhanced_passed = code_check(4, rows, results, "enhanced_code",
                                 code_minimum)

    got_reasons = [code_text(result.get("reason")) or "(none)"
                   for result in results]
    wrong = [f"{row['id']} got {got}, want {row['reason']}: "
             f"{cut(row['text'])}"
             for row, got in zip(rows, got_reasons) if got != row["reason"]]
    correct = len(rows) - len(wrong)
    accuracy = correct / len(rows)
    report(5, accuracy >= MIN_ACCURACY,
           f"reason accuracy {100 * accuracy:.1f}% ({correct}/{len(rows)}), "
           f"minimum {100 * MIN_ACCURACY:.0f}%",
           reason_table(rows, got_reasons) + wrong)

    failed = (shape_problems or not reply_passed or not enhanced_passed
              or accuracy < MIN_ACCURACY)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
