#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run bouncelog over every public log sample and check its accounting.

Usage: corpus.py BOUNCELOG [CORPUS_DIR]

CORPUS_DIR defaults to $BOUNCELOG_CORPUS, then to ../shared/corpus beside
the source tree; it holds one folder per log format.  For every file
except the *.md notes, the test runs `bouncelog --format=json FILE` and
checks that it exits with 0, that it read as many lines as the file has
(after gzip decompression), and that every line is either recognized or
counted as unrecognized.  Files listed in PLAIN_LOGS are plain logs of a
supported format, so none of their lines may be left as an unknown line
of that format.  The recognized ratio of each file is printed as a TAP
comment.  Without the corpus folder the test reports a skip.
"""
import gzip
import json
import os
import shlex
import subprocess
import sys

# A command put before bouncelog, such as valgrind with its options, from
# the environment variable BOUNCELOG_WRAPPER (split as a shell would).
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# Files that are whole real logs must stay almost fully recognized.
MIN_RATIO = {"postfix/postfix-logsums/mail.log.gz": 0.99}

# Plain logs of a supported format, by their SOURCES.md: every line of
# that format in them must be recognized.  Files left out are parser test
# data with deliberately damaged lines, annotations or templates.
PLAIN_LOGS = {
    "postfix/crowdsec-hub/postfix-helo/postfix-spam.log",
    "postfix/crowdsec-hub/postfix-honeypot-users/postfix-honeypot-users.log",
    "postfix/crowdsec-hub/postfix-logs/postfix-logs.log",
    "postfix/crowdsec-hub/postfix-non-smtp/postfix-non-smtp.log",
    "postfix/crowdsec-hub/postfix-relay/postfix-spam.log",
    "postfix/crowdsec-hub/postfix-sasl-bf/postfix-sasl-bf.log",
    "postfix/crowdsec-hub/postfix-spam/postfix-spam.log",
    "postfix/digineo-postfix_exporter/mail.log",
    "postfix/fail2ban/postfix",
    "postfix/log-ship-elastic-postfix/mail.log",
    "postfix/lograptor/postfix.log",
    "postfix/pflogsumm-go/rfc3339.log",
    "postfix/pflogsumm-go/sample.log",
    "postfix/postfix-logsums/mail.log.gz",
    "postfix/youyo-postfix-log-parser/test-iso8601.log",
    "postfix/youyo-postfix-log-parser/test.log",
    "exim/crowdsec-hub-exim-bf.log",
    "exim/crowdsec-hub-exim-logs.log",
    "exim/crowdsec-hub-exim-spam.log",
    "exim/crowdsec-hub-exim-syslog-logs.log",
    "exim/exim-testsuite-log-0099.log",
    "exim/exim-testsuite-log-0135.log",
    "exim/exim-testsuite-log-0217.log",
    "exim/exim-testsuite-log-0227.log",
    "exim/exim-testsuite-log-0264.log",
    "exim/exim-testsuite-log-0322.log",
    "exim/exim-testsuite-log-0495.log",
    "exim/exim-testsuite-log-0497.log",
    "exim/exim-testsuite-log-0511.log",
    "exim/exim-testsuite-log-0536.log",
    "exim/exim-testsuite-log-0548.log",
    "exim/exim-testsuite-log-0551.log",
    "exim/exim-testsuite-log-0622.log",
    "exim/exim-testsuite-log-5100.log",
    "exim/exim_exporter-test-mainlog.log",
    "exim/exim_exporter-test-paniclog.log",
    "exim/exim_exporter-test-rejectlog.log",
    "exim/generated-exim4.96-all-selector.mainlog",
    "exim/generated-exim4.96-default-selector.mainlog",
    "exim/generated-exim4.96-default-selector.rejectlog",
    "opensmtpd/SYNTHETIC-opensmtpd-maillog.log",
    "sendmail/SYNTHETIC-sendmail-maillog.log",
    "sendmail/fail2ban-tests-sendmail-auth.log",
    "sendmail/fail2ban-tests-sendmail-reject.log",
    "exchange/SYNTHETIC-MSGTRK2024050608-1.LOG",
    "exchange/crowdsec-hub-exchange-smtp-bf.log",
    "exchange/crowdsec-hub-exchange-smtp-logs.log",
}


# Totals counted by hand for some corpus files (see the file itself).
TRUTH_FILE = os.path.join(SOURCE, "tests", "corpus_truth.json")


def load_truth():
    with open(TRUTH_FILE, encoding="utf-8") as f:
        return json.load(f)["files"]


def count_lines(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def check_file(bouncelog, corpus, path, truth):
    rel = os.path.relpath(path, corpus)
    proc = subprocess.run(WRAPPER + [bouncelog, "--format=json", "--", path],
                          capture_output=True, timeout=300)
    if proc.returncode != 0:
        return rel, [f"exit status: got {proc.returncode}, want 0; "
                     f"stderr: {proc.stderr[:300]!r}"], None
    report = json.loads(proc.stdout)
    (inp,) = report["inputs"]
    problems = []
    want_lines = count_lines(path)
    if inp["lines"] != want_lines:
        problems.append(f"lines: got {inp['lines']}, want {want_lines}")
    if inp["recognized"] + inp["unrecognized"] != inp["lines"]:
        problems.append(f"recognized {inp['recognized']} + unrecognized "
                        f"{inp['unrecognized']} != lines {inp['lines']}")
    parts = (inp["other_program"] + inp["unknown"] + inp["bad_header"] +
             inp["limit_hits"])
    if parts != inp["unrecognized"]:
        problems.append(f"unrecognized {inp['unrecognized']} != other "
                        f"program + unknown + bad header + limit ({parts})")
    if rel in PLAIN_LOGS and inp["unknown"] + inp["limit_hits"] > 0:
        problems.append(f"{inp['unknown']} unknown and {inp['limit_hits']} "
                        f"limit lines in a plain log of a supported format")
    for key, want in truth.get(rel, {}).get("totals", {}).items():
        got = report["totals"][key]
        if got != want:
            problems.append(f"totals.{key}: got {got}, want {want} "
                            f"(counted by hand)")
    ratio = inp["recognized"] / inp["lines"] if inp["lines"] else 1.0
    if ratio < MIN_RATIO.get(rel, 0.0):
        problems.append(f"recognized ratio {ratio:.4f} below "
                        f"{MIN_RATIO[rel]}")
    return rel, problems, (inp, ratio)


# Pseudo daemon names in the grok cases that name a sub-pattern, not a
# Postfix program, so no real log holds them.
GROK_PSEUDO = {"command_counter_data", "delays", "relay", "tls_features"}

# Share of the grok cases' real-daemon messages that must be recognized.
GROK_MIN_RATIO = 0.98


def check_grok_messages(bouncelog, corpus):
    """Wrap each grok test message in a syslog header and count matches."""
    path = os.path.join(corpus, "postfix", "postfix-grok-patterns",
                        "messages-extracted.tsv")
    lines = []
    with open(path, encoding="utf-8") as f:
        for row in f.read().splitlines():
            fields = row.split("\t")
            if row.startswith("#") or len(fields) < 3:
                continue
            daemon = fields[0].rsplit("_", 1)[0]
            if daemon in GROK_PSEUDO:
                continue
            lines.append(f"Dec  4 06:25:01 mx1 postfix/{daemon}[123]: "
                         f"{fields[2]}\n")
    proc = subprocess.run(WRAPPER + [bouncelog, "--format=json", "--year=2026", "-"],
                          input="".join(lines).encode(), capture_output=True,
                          timeout=300)
    (inp,) = json.loads(proc.stdout)["inputs"]
    ratio = inp["recognized"] / inp["lines"]
    problems = []
    if inp["lines"] != len(lines):
        problems.append(f"lines: got {inp['lines']}, want {len(lines)}")
    if ratio < GROK_MIN_RATIO:
        problems.append(f"recognized {inp['recognized']} of {inp['lines']} "
                        f"({ratio:.3f}), want at least {GROK_MIN_RATIO}")
    return problems, f"{inp['recognized']} of {inp['lines']} recognized"


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    corpus = (argv[2] if len(argv) > 2 else os.environ.get(
        "BOUNCELOG_CORPUS", os.path.join(SOURCE, "..", "shared", "corpus")))
    if not os.path.isdir(corpus):
        print(f"1..0 # SKIP corpus folder {corpus} not found")
        return 0
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(corpus)
                   for f in names if not f.endswith(".md"))
    grok = os.path.isfile(os.path.join(corpus, "postfix",
                                       "postfix-grok-patterns",
                                       "messages-extracted.tsv"))
    truth = load_truth()
    print(f"1..{len(files) + grok}")
    failed = 0
    for number, path in enumerate(files, 1):
        rel, problems, result = check_file(bouncelog, corpus, path, truth)
        if problems:
            failed += 1
            print(f"not ok {number} - {rel}")
            for p in problems:
                print(f"# {p}")
            continue
        inp, ratio = result
        print(f"ok {number} - {rel}")
        print(f"# {rel}: {inp['format']}, {inp['lines']} lines, "
              f"{inp['recognized']} recognized ({100 * ratio:.1f}%), "
              f"{inp['other_program']} other programs, {inp['unknown']} "
              f"unknown, {inp['bad_header']} without header")
    if grok:
        problems, summary = check_grok_messages(bouncelog, corpus)
        print(f"{'not ok' if problems else 'ok'} {len(files) + 1} - "
              f"grok cases as log lines")
        for p in problems:
            print(f"# {p}")
        print(f"# grok cases: {summary}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
