#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the crontab lines of the documentation; print TAP.

Usage: cron_lines.py BOUNCELOG SOURCE_DIR

README.md, README.tr.md and doc/*.md show lines for /etc/cron.d (five
time fields, a user, a command) that run bouncelog.  cron runs them with
PATH=/usr/bin:/bin, so each must name bouncelog by an absolute path.
Each line is also run as cron would run it: "\\%" becomes "%" and the
command goes to sh.  There /usr/local/bin/bouncelog is the bouncelog
under test and the logs under /var/log are the rotated fixture.  Every
other absolute path is moved into a temporary folder.  The run must exit with
0 or 3 (a --fail-on condition met), with no usage error.
"""
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile

# An indented /etc/cron.d line: five time fields, the user, the command.
CRON_LINE = re.compile(r"^    ((?:\S+\s+){5})(\w+)\s+(.*\bbouncelog\b.*)$")

INSTALLED = "/usr/local/bin/bouncelog"


def cron_lines(source):
    """[(file, line number, command)] of the documentation's cron lines."""
    paths = [os.path.join(source, "README.md"),
             os.path.join(source, "README.tr.md")]
    paths += sorted(glob.glob(os.path.join(source, "doc", "*.md")))
    found = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                match = CRON_LINE.match(line.rstrip("\n"))
                if match:
                    found.append((os.path.relpath(path, source), number,
                                  match.group(3)))
    return found


def localize(command, bouncelog, rotated, tmp):
    """The command with cron's "\\%" undone and its paths moved into the
    test's folders."""
    command = command.replace("\\%", "%")
    command = command.replace(INSTALLED, shlex.quote(bouncelog))

    def move(match):
        path = match.group(0)
        if path.startswith("/var/log/mail.log"):
            return os.path.join(rotated, os.path.basename(path))
        if path.startswith("/dev/"):
            return path
        target = os.path.join(tmp, path.lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        return target

    return re.sub(r"(?<![\w.])/(?:var|srv|etc|dev)/[\w./-]+", move,
                  command)


def main(argv):
    bouncelog, source = os.path.abspath(argv[1]), argv[2]
    rotated = os.path.join(source, "fixtures", "timerange", "rotated")
    lines = cron_lines(source)
    print(f"1..{len(lines) + 1}")
    failed = 0
    if lines:
        print(f"ok 1 - {len(lines)} cron lines found")
    else:
        failed += 1
        print("not ok 1 - no cron line found in the documentation")

    for number, (path, line, command) in enumerate(lines, 2):
        name = f"{path}:{line}"
        problems = []
        first = shlex.split(command.replace("\\%", "%"))[0]
        if not first.startswith("/"):
            problems.append(f"'{first}' is not an absolute path; cron "
                            "runs jobs with PATH=/usr/bin:/bin")
        with tempfile.TemporaryDirectory(prefix="bouncelog-cron-") as tmp:
            run = subprocess.run(
                ["/bin/sh", "-c",
                 localize(command, bouncelog, rotated, tmp)],
                capture_output=True, text=True,
                env={"PATH": "/usr/bin:/bin", "TZ": "Europe/Istanbul",
                     "LC_ALL": "C.UTF-8"})
        if run.returncode not in (0, 3):
            problems.append(f"exit status {run.returncode}: "
                            f"{run.stderr.strip()}")
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
