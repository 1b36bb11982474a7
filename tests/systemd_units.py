#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the systemd units of the README; print TAP.

Usage: systemd_units.py BOUNCELOG SOURCE_DIR

The "systemd timer" section of README.md shows bouncelog.service and
bouncelog.timer.  This test takes them from the README and checks that
README.tr.md shows the same units.  `systemd-analyze verify` checks
them, with ExecStart pointing at the bouncelog under test, because the
installed path does not exist here.  Then the ExecStart command line
runs as systemd would expand it, on the rotated fixture instead of
/var/log/mail.log, with %S in a temporary folder.  The run must exit
with 0 and leave a JSON summary.  Exits with 77 (skipped) when
systemd-analyze is missing.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

UNITS = ("bouncelog.service", "bouncelog.timer")

# A command put before bouncelog, such as valgrind with its options, from
# the environment variable BOUNCELOG_WRAPPER (split as a shell would).
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def readme_units(text):
    """{file name: unit text} of the indented blocks that follow a line
    naming /etc/systemd/system/NAME."""
    units = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        found = re.search(r"/etc/systemd/system/(bouncelog\.\w+)", line)
        if not found or found.group(1) in units:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith("    "):
            j += 1
        block = []
        while j < len(lines) and (lines[j].startswith("    ")
                                  or lines[j] == ""):
            block.append(lines[j][4:])
            j += 1
        units[found.group(1)] = "\n".join(block).strip() + "\n"
    return units


def exec_start(unit):
    for line in unit.splitlines():
        if line.startswith("ExecStart="):
            return line[len("ExecStart="):]
    return None


def main(argv):
    bouncelog, source = os.path.abspath(argv[1]), argv[2]
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("1..0 # SKIP systemd-analyze is not installed")
        return 77
    english = readme_units(read(os.path.join(source, "README.md")))
    turkish = readme_units(read(os.path.join(source, "README.tr.md")))
    rotated = os.path.join(source, "fixtures", "timerange", "rotated")
    print("1..4")
    failed = 0

    missing = [name for name in UNITS if name not in english]
    if missing:
        print(f"not ok 1 - README.md shows {', '.join(UNITS)}")
        print(f"# missing: {', '.join(missing)}")
        return 1
    print(f"ok 1 - README.md shows {', '.join(UNITS)}")

    if turkish != english:
        failed += 1
        print("not ok 2 - README.tr.md shows the same units")
    else:
        print("ok 2 - README.tr.md shows the same units")

    with tempfile.TemporaryDirectory(prefix="bouncelog-units-") as tmp:
        command = exec_start(english["bouncelog.service"])
        for name in UNITS:
            text = english[name].replace("/usr/local/bin/bouncelog",
                                         bouncelog)
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(text)
        proc = subprocess.run([analyze, "verify", "--man=no"]
                              + [os.path.join(tmp, n) for n in UNITS],
                              capture_output=True, text=True, cwd=tmp)
        if proc.returncode != 0 or proc.stderr.strip():
            failed += 1
            print("not ok 3 - systemd-analyze verify")
            for line in (proc.stdout + proc.stderr).splitlines():
                print(f"# {line}")
        else:
            print("ok 3 - systemd-analyze verify")

        # systemd's own expansion: %S is the state folder root, %% is %.
        state = os.path.join(tmp, "state")
        os.makedirs(os.path.join(state, "bouncelog"))
        words = shlex.split(command.replace("%S", state)
                            .replace("%%", "%"))
        words = [os.path.join(rotated, os.path.basename(w))
                 if w.startswith("/var/log/") else w for w in words[1:]]
        run = subprocess.run(WRAPPER + [bouncelog] + words,
                             capture_output=True, text=True,
                             env={"PATH": os.environ.get("PATH", ""),
                                  "TZ": "Europe/Istanbul",
                                  "LC_ALL": "C.UTF-8"})
        summary = os.path.join(state, "bouncelog", "yesterday.json")
        problems = []
        if run.returncode != 0:
            problems.append(f"exit status {run.returncode}: {run.stderr}")
        if not os.path.exists(summary):
            problems.append(f"{summary} was not written")
        else:
            try:
                json.loads(read(summary))
            except ValueError as error:
                problems.append(f"{summary} is not JSON: {error}")
        if problems:
            failed += 1
            print("not ok 4 - ExecStart writes the summary")
            for p in problems:
                print(f"# {p}")
        else:
            print("ok 4 - ExecStart writes the summary")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
