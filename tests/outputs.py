#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the CSV, Prometheus and event outputs on every fixture, and that
output files are replaced atomically.  Prints TAP.

Usage: outputs.py BOUNCELOG

The golden cases in tests/cli/cases freeze the exact output of a few
runs.  This test checks properties that must hold for any input instead:
  - every --events line is a JSON object with the fields of
    doc/events-schema.md, in that order and of the types it gives, and
    there is one line per deferral, bounce, expiry and rejection counted
    in the JSON summary;
  - the Prometheus output passes a parser of the text exposition format
    written from its specification (promtool is not installed here), and
    its counts agree with the JSON summary;
  - every CSV table parses strictly, has CRLF line ends and the same
    number of cells in every record, and no cell could start a formula;
  - the same runs under tr_TR.UTF-8 give the same bytes;
  - an output file is replaced whole or not at all: after a write error
    (a file size limit, a full device, a directory that cannot be
    written) the old file is intact, no temporary file is left, a clear
    message is printed and the exit status is 1.

A command in the environment variable BOUNCELOG_WRAPPER, such as valgrind
with its options, is put before every run of bouncelog.  Under a wrapper
only the fixtures in WRAPPED_FIXTURES are checked, because the full set
runs bouncelog about 600 times.
"""
import csv
import io
import json
import math
import os
import re
import resource
import shlex
import signal
import subprocess
import sys
import tempfile

from tap import Tap

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURES = os.path.join(SOURCE, "fixtures")
KEY = b"bouncelog test key, not a secret"

ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC",
       "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
             "BOUNCELOG_PCRE2_JIT"):
    if name in os.environ:
        ENV[name] = os.environ[name]

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?"
                     r"(Z|[+-]\d{2}:\d{2})$")
METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))
WRAPPED_FIXTURES = ("hostile/formula-cells.log", "postfix/statuses.log",
                    "postfix/rejects.log", "exim/mainlog-4.97.log")
CSV_TABLES = ("codes", "reasons", "domains", "hosts", "senders", "events")


def fixture_logs():
    """Every log under fixtures/ (not the truth and README files), or
    only WRAPPED_FIXTURES under a wrapper."""
    logs = []
    for folder, _, names in os.walk(FIXTURES):
        for name in sorted(names):
            if name.endswith((".md", ".json")) or ".expected" in name:
                continue
            logs.append(os.path.join(folder, name))
    if WRAPPER:
        return [os.path.join(FIXTURES, rel) for rel in WRAPPED_FIXTURES]
    return sorted(logs)


def run(bouncelog, args, stdin=b"", env=None, preexec=None):
    return subprocess.run(WRAPPER + [bouncelog] + args, input=stdin,
                          capture_output=True, env=env or ENV,
                          timeout=120, cwd=SOURCE, preexec_fn=preexec)


def schema_fields():
    """(name, type) of each row of the field table in the events schema."""
    fields = []
    path = os.path.join(SOURCE, "doc", "events-schema.md")
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\| `([a-z_]+)` \| ([a-z, ]+) \|", line)
            if m:
                fields.append((m.group(1), m.group(2).split(", ")))
    return fields


JSON_TYPES = {"string": str, "integer": int, "boolean": bool,
              "null": type(None)}


def check_event(obj, fields, show):
    problems = []
    if list(obj) != [name for name, _ in fields]:
        return [f"keys {list(obj)} differ from the schema's"]
    for name, types in fields:
        value = obj[name]
        if not any(type(value) is JSON_TYPES[t] for t in types):
            problems.append(f"{name}: {value!r} is not {' or '.join(types)}")
    if obj["time"] is not None and not RFC3339.match(obj["time"]):
        problems.append(f"time {obj['time']!r} is not RFC 3339 with an "
                        "offset")
    if (obj["time"] is None) != (obj["offset_assumed"] is None):
        problems.append("time and offset_assumed disagree on null")
    if obj["outcome"] not in ("deferred", "bounced", "expired", "rejected"):
        problems.append(f"outcome {obj['outcome']!r}")
    if obj["class"] not in ("4xx", "5xx"):
        problems.append(f"class {obj['class']!r}")
    if (obj["direction"] == "inbound") != (obj["outcome"] == "rejected"):
        problems.append("direction and outcome disagree")
    for role in ("sender", "recipient"):
        hashed = obj[role + "_hash"]
        if hashed is not None and not re.match(r"^[0-9a-f]{16}$", hashed):
            problems.append(f"{role}_hash {hashed!r}")
        if not show and obj[role] is not None:
            problems.append(f"{role} in clear without --show-addresses")
        if show and (obj[role] is None) != (hashed is None):
            problems.append(f"{role} and {role}_hash disagree")
    if not show and obj["text"] is not None:
        problems.append("text without --show-addresses")
    return problems


SUMMARIES = {}


def summary_of(bouncelog, log):
    """The JSON summary of log, run once per log."""
    if log not in SUMMARIES:
        proc = run(bouncelog, ["--format=json", "--year=2026", log])
        SUMMARIES[log] = json.loads(proc.stdout)
    return SUMMARIES[log]


def check_events(bouncelog, log, fields, show):
    args = ["--events=-", "--output=/dev/null", "--pseudonym-key=/dev/stdin",
            "--year=2026", log]
    if show:
        args.insert(0, "--show-addresses")
    proc = run(bouncelog, args, stdin=KEY)
    summary = summary_of(bouncelog, log)
    problems = []
    if not proc.stdout.endswith(b"\n") and proc.stdout:
        problems.append("the last line has no newline")
    lines = proc.stdout.split(b"\n")[:-1]
    for number, line in enumerate(lines, 1):
        try:
            text = line.decode("utf-8")
            obj = json.loads(text)
        except ValueError as e:
            problems.append(f"line {number}: not UTF-8 JSON: {e}")
            continue
        if "\n" in text or not isinstance(obj, dict):
            problems.append(f"line {number}: not one JSON object")
            continue
        problems += [f"line {number}: {p}"
                     for p in check_event(obj, fields, show)]
    totals = summary["totals"]
    want = (totals["deferred"] + totals["bounced"] + totals["expired"]
            + totals["rejected"])
    if len(lines) != want:
        problems.append(f"{len(lines)} events, want {want} (deferred + "
                        "bounced + expired + rejected)")
    return problems


def unescape_label(text, pos):
    """Read a quoted label value at text[pos] == '"'; (value, next pos)."""
    out = []
    i = pos + 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            if i + 1 >= len(text) or text[i + 1] not in '\\"n':
                raise ValueError(f"invalid escape at column {i + 1}")
            out.append({"\\": "\\", '"': '"', "n": "\n"}[text[i + 1]])
            i += 2
        elif c == '"':
            return "".join(out), i + 1
        elif c == "\n":
            raise ValueError("raw line feed in a label value")
        else:
            out.append(c)
            i += 1
    raise ValueError("label value not closed")


def parse_sample(line):
    """(name, {label: value}, float value) of a sample line."""
    m = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line)
    if not m:
        raise ValueError("no metric name")
    name, i, labels = m.group(0), m.end(), {}
    if i < len(line) and line[i] == "{":
        i += 1
        while line[i] != "}":
            m = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)=").match(line, i)
            if not m:
                raise ValueError(f"bad label name at column {i + 1}")
            if m.group(1) in labels:
                raise ValueError(f"label {m.group(1)} twice")
            value, i = unescape_label(line, m.end())
            labels[m.group(1)] = value
            if line[i] == ",":
                i += 1
            elif line[i] != "}":
                raise ValueError(f"expected , or }} at column {i + 1}")
        i += 1
    rest = line[i:].split(" ")
    if len(rest) not in (2, 3) or rest[0] != "":
        raise ValueError("expected one space, a value and maybe a time")
    value = float(rest[1])
    if len(rest) == 3:
        int(rest[2])
    return name, labels, value


def parse_prometheus(data):
    """The samples of a text exposition, checked against the format."""
    text = data.decode("utf-8")
    if text and not text.endswith("\n"):
        raise ValueError("no final newline")
    types, helps, samples, seen, done = {}, {}, {}, set(), set()
    current = None
    for number, line in enumerate(text.split("\n")[:-1], 1):
        where = f"line {number}"
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            parts = line.split(" ", 3)
            if len(parts) < 4 or not METRIC_NAME.match(parts[2]):
                raise ValueError(f"{where}: malformed {parts[1]} line")
            family = parts[2]
            table = helps if parts[1] == "HELP" else types
            if family in table:
                raise ValueError(f"{where}: second {parts[1]} of {family}")
            if family in done or (family in seen and parts[1] == "TYPE"):
                raise ValueError(f"{where}: {parts[1]} of {family} after "
                                 "its samples")
            if parts[1] == "TYPE" and parts[3] not in (
                    "counter", "gauge", "histogram", "summary", "untyped"):
                raise ValueError(f"{where}: unknown type {parts[3]}")
            if parts[1] == "HELP" and re.search(r"\\[^\\n]", parts[3]):
                raise ValueError(f"{where}: invalid escape in HELP")
            table[family] = parts[3]
            if current is not None and current != family:
                done.add(current)
            current = family
            continue
        if line.startswith("#") or line == "":
            continue
        try:
            name, labels, value = parse_sample(line)
        except (ValueError, IndexError) as e:
            raise ValueError(f"{where}: {e}")
        if name in done or (current is not None and name != current):
            raise ValueError(f"{where}: {name} is not in its family's block")
        if types.get(name) == "counter" and not name.endswith("_total"):
            raise ValueError(f"{where}: counter {name} lacks _total")
        if types.get(name) == "counter" and (value < 0 or math.isnan(value)):
            raise ValueError(f"{where}: counter {name} is {value}")
        key = (name, tuple(sorted(labels.items())))
        if key in samples:
            raise ValueError(f"{where}: series {key} twice")
        samples[key] = value
        seen.add(name)
        current = name
    for family in seen:
        if family not in types or family not in helps:
            raise ValueError(f"{family} lacks HELP or TYPE")
    return samples


def sample_sum(samples, name, **labels):
    return sum(v for (n, ls), v in samples.items() if n == name
               and all(dict(ls).get(k) == w for k, w in labels.items()))


def check_prometheus(bouncelog, log):
    proc = run(bouncelog, ["--format=prometheus", "--year=2026", log])
    summary = summary_of(bouncelog, log)
    try:
        samples = parse_prometheus(proc.stdout)
    except (ValueError, UnicodeDecodeError) as e:
        return [str(e)]
    problems = []
    for (name, labels), _ in samples.items():
        for label, value in labels:
            if "@" in value:
                problems.append(f"{name} label {label} holds an address "
                                f"{value!r}")
    totals = summary["totals"]
    want = {
        ("bouncelog_deliveries_total", "sent"): totals["delivered"],
        ("bouncelog_deliveries_total", "deferred"): totals["deferred"],
        ("bouncelog_deliveries_total", "bounced"): totals["bounced"],
        ("bouncelog_deliveries_total", "expired"): totals["expired"],
    }
    for (name, status), count in want.items():
        got = sample_sum(samples, name, status=status)
        if got != count:
            problems.append(f"{name}{{status={status}}} {got}, want {count}")
    got = sample_sum(samples, "bouncelog_rejections_total")
    if got != totals["rejected"]:
        problems.append(f"rejections {got}, want {totals['rejected']}")
    reasons = sample_sum(samples, "bouncelog_failure_reasons_total")
    if reasons != sum(summary["reasons"].values()):
        problems.append(f"reasons sum {reasons}, want "
                        f"{sum(summary['reasons'].values())}")
    domains = sample_sum(samples, "bouncelog_domain_failures_total")
    want_domains = sum(d["deferred"] + d["bounced"] + d["expired"]
                       + d["rejected"] for d in summary["domains"])
    if domains != want_domains:
        problems.append(f"domain failures sum {domains}, want "
                        f"{want_domains}")
    for deferred, count in (
            ("yes", totals["queue_ids_dropped_deferred"]),
            ("no", totals["queue_ids_dropped"]
             - totals["queue_ids_dropped_deferred"])):
        got = sample_sum(samples, "bouncelog_queue_ids_dropped_total",
                         deferred=deferred)
        if got != count:
            problems.append(f"queue ids dropped {{deferred={deferred}}} "
                            f"{got}, want {count}")
    lines = summary["inputs"][0]["lines"]
    got = sample_sum(samples, "bouncelog_input_lines_total")
    if got != lines:
        problems.append(f"input lines {got}, want {lines}")
    return problems


def check_csv_bytes(data, excel, table):
    problems = []
    if excel:
        if not data.startswith(b"\xef\xbb\xbf"):
            return ["no byte order mark"]
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"not UTF-8: {e}"]
    if text and not text.endswith("\r\n"):
        problems.append("the last record does not end in CRLF")
    if re.search(r"(?<!\r)\n|\r(?!\n)", text):
        problems.append("a line end other than CRLF")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]", text):
        problems.append("a control character")
    sep = ";" if excel else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep,
                           strict=True))
    if not rows:
        return problems + ["no header record"]
    header = rows[0]
    if not all(re.match(r"^[a-z_]+$", h) for h in header):
        problems.append(f"header {header} is not snake_case English")
    for number, row in enumerate(rows[1:], 2):
        if len(row) != len(header):
            problems.append(f"record {number}: {len(row)} cells, want "
                            f"{len(header)}")
        for cell in row:
            if cell.startswith(FORMULA_START):
                problems.append(f"record {number}: cell {cell!r} could "
                                "start a formula")
    return problems


def check_csv(bouncelog, log):
    problems = []
    for table in CSV_TABLES:
        for excel in (False, True) if table in ("codes", "events") else \
                (False,):
            args = [f"--format=csv.{table}", "--year=2026", log]
            if excel:
                args.insert(0, "--csv-excel")
            if table == "events":
                args.insert(0, "--show-addresses")
            proc = run(bouncelog, args)
            problems += [f"{table}{' excel' if excel else ''}: {p}"
                         for p in check_csv_bytes(proc.stdout, excel, table)]
    return problems


def check_locale(bouncelog, log):
    """Machine-readable output is the same in a Turkish locale."""
    problems = []
    tr = dict(ENV, LC_ALL="tr_TR.UTF-8")
    for fmt in ("prometheus", "csv.codes", "csv.reasons"):
        args = [f"--format={fmt}", "--lang=en", "--year=2026", log]
        c, t = run(bouncelog, args), run(bouncelog, args, env=tr)
        if c.stdout != t.stdout:
            problems.append(f"{fmt} differs under tr_TR.UTF-8")
    return problems


def listing(folder):
    return sorted(os.listdir(folder))


def limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def check_size_limit(bouncelog, option):
    """A write that fails half way leaves the old file and no other."""
    log = os.path.join(FIXTURES, "postfix", "statuses.log")
    with tempfile.TemporaryDirectory(prefix="bouncelog-out-") as tmp:
        target = os.path.join(tmp, "out")
        with open(target, "w") as f:
            f.write("old content\n")
        args = [option + target, "--year=2026", log]
        if option == "--events=":
            args.insert(0, "--output=/dev/null")
        proc = run(bouncelog, args, preexec=limit_file_size)
        problems = []
        if proc.returncode != 1:
            problems.append(f"exit status {proc.returncode}, want 1")
        want = f"bouncelog: {target}: cannot write: File too large\n"
        if proc.stderr.decode() != want:
            problems.append(f"stderr {proc.stderr!r}, want {want!r}")
        with open(target) as f:
            if f.read() != "old content\n":
                problems.append("the old file was changed")
        if listing(tmp) != ["out"]:
            problems.append(f"files left: {listing(tmp)}")
        return problems


def check_full_stdout(bouncelog):
    log = os.path.join(FIXTURES, "postfix", "statuses.log")
    problems = []
    for args in (["--format=prometheus"], ["--events=-", "--output=/dev/null"],
                 ["--format=csv.events"]):
        with open("/dev/full", "wb") as full:
            proc = subprocess.run(WRAPPER + [bouncelog] + args + [log],
                                  stdout=full,
                                  stderr=subprocess.PIPE, env=ENV,
                                  timeout=120)
        want = b"bouncelog: cannot write to standard output: No space left "\
               b"on device\n"
        if proc.returncode != 1 or proc.stderr != want:
            problems.append(f"{args}: exit status {proc.returncode} and "
                            f"{proc.stderr!r}, want 1 and {want!r}")
    return problems


def check_unwritable_dir(bouncelog):
    """A directory the user may not write to: run as nobody when root,
    because root may write anywhere; skipped when that cannot be done."""
    log = os.path.join(FIXTURES, "postfix", "statuses.log")
    preexec = None
    if os.geteuid() == 0:
        def preexec():
            os.setgid(65534)
            os.setuid(65534)
    with tempfile.TemporaryDirectory(prefix="bouncelog-out-") as tmp:
        target = os.path.join(tmp, "bouncelog.prom")
        os.chmod(tmp, 0o555)
        try:
            proc = run(bouncelog, ["--format=prometheus",
                                   "--output=" + target, log],
                       preexec=preexec)
        except (OSError, subprocess.SubprocessError):
            return None
        finally:
            os.chmod(tmp, 0o755)
        if proc.returncode in (126, 127):
            return None
        want = (f"bouncelog: {target}: cannot create a temporary file in "
                f"{tmp}: Permission denied\n").encode()
        problems = []
        if proc.returncode != 1 or proc.stderr != want:
            problems.append(f"exit status {proc.returncode} and "
                            f"{proc.stderr!r}, want 1 and {want!r}")
        if listing(tmp):
            problems.append(f"files left: {listing(tmp)}")
        return problems


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    fields = schema_fields()
    tap = Tap()
    tap.check("events schema has fields", [] if len(fields) > 10 else
              ["doc/events-schema.md lists no field table"])
    for log in fixture_logs():
        rel = os.path.relpath(log, FIXTURES)
        tap.check(f"events {rel}", check_events(bouncelog, log, fields,
                                                show=False))
        tap.check(f"events shown {rel}", check_events(bouncelog, log, fields,
                                                      show=True))
        tap.check(f"prometheus {rel}", check_prometheus(bouncelog, log))
        tap.check(f"csv {rel}", check_csv(bouncelog, log))
    for rel in ("postfix/statuses.log", "hostile/formula-cells.log"):
        tap.check(f"turkish locale {rel}",
                  check_locale(bouncelog, os.path.join(FIXTURES, rel)))
    for option in ("--output=", "--events="):
        tap.check(f"size limit {option}", check_size_limit(bouncelog, option))
    tap.check("full standard output", check_full_stdout(bouncelog))
    tap.check("unwritable directory", check_unwritable_dir(bouncelog))
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
