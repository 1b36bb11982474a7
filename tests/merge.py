#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that merged JSON summaries count what one run counts.

Usage: merge.py BOUNCELOG [CORPUS_DIR]

Each log (every fixture log, and every file of the public corpus when its
folder exists) is split at line ends into PARTS files, which keep the
log's modification time so that years are inferred the same way.  The
test writes `bouncelog --format=json PART` for each part (the second one
gzip-compressed), merges them with `bouncelog --merge --format=json`, and
runs `bouncelog --format=json PART...` once over all parts.  Then:

* the merged report adds up the parts' reports exactly: every total,
  code, reason, class and domain count, every top-list total and the
  failures of each timeline series;
* the merged report equals the single run in every count that one line
  decides: its inputs, period, totals and the count, recipient domains
  and per-domain counts of each failure class.  The rest may differ
  where one run joins lines across its inputs: Postfix's queue manager
  lines give senders and charge expiries to earlier deferrals, and
  Exim's "retry timeout exceeded" failures take the reply code, host and
  reason of the message's last deferral, and the queue tracker drops a
  message by the log time of later lines, which another part may hold;
* each recipient-domain count of the merged report brackets the single
  run's count: count - error <= true count <= count;
* the parts have as many lines as the whole log, unless the log is in
  UTF-16, whose line feeds the byte-wise split does not keep;
* --fail-on reads the merged counts: a condition on a total that one
  line decides is met at the single run's value and not above it.

A gzip log that cannot be decompressed is reported as a skip.

CORPUS_DIR defaults to $BOUNCELOG_CORPUS, then to ../shared/corpus
beside the source tree.
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile
import zlib

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURES = os.path.join(SOURCE, "fixtures")
PARTS = 3

# Totals that depend on joins across inputs (see the docstring).
JOINED_TOTALS = {"deferred_recipients", "expired", "queue_ids_dropped",
                 "queue_ids_dropped_deferred"}


def run(args, stdin=None):
    proc = subprocess.run(args, capture_output=True, timeout=300,
                          input=stdin)
    return proc.returncode, proc.stdout, proc.stderr


def split_log(path, folder):
    """Write PARTS files of whole lines; return their paths and lines."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ValueError("UTF-16")
    lines = [line + b"\n" for line in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    if lines[-1] == b"":
        lines.pop()
    mtime = os.stat(path).st_mtime
    size = (len(lines) + PARTS - 1) // PARTS
    parts = []
    for i in range(PARTS):
        part = os.path.join(folder, f"part{i}.log")
        with open(part, "wb") as f:
            f.write(b"".join(lines[i * size:(i + 1) * size]))
        os.utime(part, (mtime, mtime))
        parts.append(part)
    return parts, len(lines)


def summaries(bouncelog, parts, folder):
    """Write one JSON summary per part; the second one gzip-compressed."""
    paths, reports = [], []
    for i, part in enumerate(parts):
        rc, out, err = run([bouncelog, "--format=json", part])
        if rc not in (0, 1):
            raise RuntimeError(f"{part}: exit status {rc}: {err[:300]!r}")
        reports.append(json.loads(out))
        path = os.path.join(folder, f"part{i}.json")
        if i == 1:
            path += ".gz"
            out = gzip.compress(out)
        with open(path, "wb") as f:
            f.write(out)
        paths.append(path)
    return paths, reports


def by_key(rows, field):
    return {row[field]: row for row in rows}


class Checker:
    def __init__(self):
        self.problems = []

    def equal(self, what, got, want):
        if got != want:
            self.problems.append(f"{what}: got {got!r}, want {want!r}")

    def summary_bounds(self, what, merged, single, field):
        """Each merged count brackets the single run's exact count."""
        truth = {row[field]: row["count"] for row in single["items"]}
        if single["unlisted_max"] != 0:
            return
        for row in merged["items"]:
            want = truth.get(row[field], 0)
            if not row["count"] - row["error"] <= want <= row["count"]:
                self.problems.append(
                    f"{what}[{row[field]!r}]: true count {want} outside "
                    f"[{row['count'] - row['error']}, {row['count']}]")
        listed = {row[field] for row in merged["items"]}
        for key, want in truth.items():
            if key not in listed and want > merged["unlisted_max"]:
                self.problems.append(
                    f"{what}[{key!r}]: unlisted with count {want} above "
                    f"unlisted_max {merged['unlisted_max']}")


def check_sums(c, merged, reports):
    """The merged report adds up the parts' reports exactly."""
    for key, value in merged["totals"].items():
        c.equal(f"sum of totals.{key}", value,
                sum(r["totals"][key] for r in reports))
    for name in ("reply_codes", "enhanced_codes"):
        want = {}
        for r in reports:
            for code, n in r[name].items():
                want[code] = want.get(code, 0) + n
        c.equal(f"sum of {name}", merged[name], want)
    want = {}
    for r in reports:
        for row in r["failure_reasons"]:
            want[row["reason"]] = want.get(row["reason"], 0) + row["count"]
    c.equal("sum of failure_reasons counts",
            {row["reason"]: row["count"] for row in
             merged["failure_reasons"]}, want)
    for side in ("outbound", "inbound"):
        for i in range(2):
            cls = merged[side][i]
            c.equal(f"sum of {side}[{i}].count", cls["count"],
                    sum(r[side][i]["count"] for r in reports))
            for name in ("domains", "senders"):
                c.equal(f"sum of {side}[{i}].{name}.total",
                        cls[name]["total"],
                        sum(r[side][i][name]["total"] for r in reports))
    for s, name in enumerate(merged["timeline"]["series"]):
        c.equal(f"sum of timeline {name}",
                merged["timeline"]["untimed"][s] +
                sum(b[s] for b in merged["timeline"]["buckets"]),
                sum(r["timeline"]["untimed"][s] +
                    sum(b[s] for b in r["timeline"]["buckets"])
                    for r in reports))
    want_inputs = [i for r in reports for i in r["inputs"]]
    got_inputs = [{k: v for k, v in i.items() if k != "summary"}
                  for i in merged["inputs"]]
    c.equal("inputs", got_inputs, want_inputs)


def check_classes(c, merged, single):
    """Class counts and recipient domains match."""
    for side in ("outbound", "inbound"):
        for i in range(2):
            m, s = merged[side][i], single[side][i]
            what = f"{side}[{i}]"
            c.equal(f"{what}.count", m["count"], s["count"])
            hosts = "clients" if side == "inbound" else "hosts"
            for name in ("domains", hosts, "senders"):
                c.equal(f"{what}.{name}.total", m[name]["total"],
                        s[name]["total"])
            c.summary_bounds(f"{what}.domains", m["domains"], s["domains"],
                             "domain")


def check_single(c, merged, single):
    """The merged report equals one run over the parts, but for joins."""
    c.equal("period", merged["period"], single["period"])
    for key, value in single["totals"].items():
        if key not in JOINED_TOTALS:
            c.equal(f"totals.{key}", merged["totals"][key], value)
    if merged["totals"]["deferred_recipients"] < \
            single["totals"]["deferred_recipients"]:
        c.problems.append("deferred_recipients: fewer than one run found")
    # One run reads its inputs oldest first, so its list may be in
    # another order than the summaries given to --merge.
    c.equal("inputs", sorted(({k: v for k, v in i.items() if k != "summary"}
                              for i in merged["inputs"]),
                             key=lambda i: i["name"]),
            sorted(single["inputs"], key=lambda i: i["name"]))

    got, want = by_key(merged["domains"], "domain"), \
        by_key(single["domains"], "domain")
    for domain in set(got) | set(want):
        for key in ("delivered", "deferred", "bounced", "rejected"):
            c.equal(f"domains[{domain!r}].{key}",
                    got.get(domain, {}).get(key, 0),
                    want.get(domain, {}).get(key, 0))

    check_classes(c, merged, single)


def check_fail_on(c, bouncelog, paths, single):
    """--fail-on with --merge: status 3 exactly when the condition holds
    for the single run's totals."""
    for metric in ("delivered", "bounced", "rejected"):
        value = single["totals"][metric]
        for condition, want in ((f"{metric}>={value}", 3),
                                (f"{metric}>{value}", 0)):
            rc, _, err = run([bouncelog, "--merge", "--format=json",
                              "--fail-on=" + condition] + paths)
            c.equal(f"--merge --fail-on={condition}: exit status "
                    f"({err[:200]!r})", rc, want)


def check_log(bouncelog, path):
    """Return the problems found, or a reason to skip the log."""
    with tempfile.TemporaryDirectory(prefix="bouncelog-merge-") as folder:
        try:
            parts, nlines = split_log(path, folder)
        except (OSError, EOFError, zlib.error) as e:
            return f"cannot decompress: {e}"
        except ValueError:
            return "UTF-16 lines are not split byte-wise"
        paths, reports = summaries(bouncelog, parts, folder)
        rc_merged, out, err = run([bouncelog, "--merge", "--format=json"]
                                  + paths)
        if rc_merged != 0:
            return [f"--merge: exit status {rc_merged}: {err[:300]!r}"]
        merged = json.loads(out)
        rc_single, out, _ = run([bouncelog, "--format=json"] + parts)
        single = json.loads(out)

        c = Checker()
        check_sums(c, merged, reports)
        check_single(c, merged, single)
        check_fail_on(c, bouncelog, paths, single)
        c.equal("lines of the parts",
                sum(i["lines"] for i in merged["inputs"]), nlines)
        return c.problems


def log_files(corpus):
    files = []
    for top in (FIXTURES, corpus):
        if top is None or not os.path.isdir(top):
            continue
        for d, _, names in os.walk(top):
            for name in names:
                # Expected counts and JSON summaries are not logs.
                if name.endswith(".md") or ".json" in name:
                    continue
                files.append(os.path.join(d, name))
    return sorted(files)


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    corpus = (argv[2] if len(argv) > 2 else os.environ.get(
        "BOUNCELOG_CORPUS", os.path.join(SOURCE, "..", "shared", "corpus")))
    files = log_files(corpus)
    print(f"1..{len(files)}")
    if not os.path.isdir(corpus):
        print(f"# corpus folder {corpus} not found; fixtures only")
    failed = 0
    for number, path in enumerate(files, 1):
        rel = os.path.relpath(path, SOURCE)
        problems = check_log(bouncelog, path)
        if isinstance(problems, str):
            print(f"ok {number} - {rel} # SKIP {problems}")
            continue
        print(f"{'not ok' if problems else 'ok'} {number} - {rel}")
        for p in problems[:10]:
            print(f"# {p}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
