#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the progress line on a terminal, run under script(1).

Usage: progress.py BOUNCELOG

script(1) from util-linux gives bouncelog a pseudo-terminal, so that it
draws its progress line on standard error; the report goes to a file.
The input is a temporary log of 65 MiB, just over the size from which the
line is shown at once.  One line of 1.5 MiB near its end makes bouncelog
warn while the progress line is on the screen.  The test
checks that the line is drawn, that its last drawing is erased, that the
warning starts a line of its own, that the report file contains no terminal control sequence,
and that -q or a standard error that is not a terminal shows no line.
A last case feeds standard input through a pipe that pauses for longer
than the 2 seconds after which the line is shown for inputs of unknown
size.
"""
import os
import re
import subprocess
import sys
import tempfile

import terminal
from tap import Tap
from terminal import WRAPPER, base_env, command, shell

ERASE = b"\r\x1b[K"
PROGRESS = re.compile(rb"\rbouncelog: [0-9.]+ [KMGT]?i?B (of 65\.0 MiB "
                      rb"\([0-9]+%\)|read)")
LINE = b"not a mail log line, but one that the reader must still count\n"
SIZE = 65 * 1024 * 1024


def make_log(path):
    """Write SIZE bytes of short lines with one 1.5 MiB line at the end."""
    long_line = b"y" * (3 * 1024 * 1024 // 2) + b"\n"
    with open(path, "wb") as f:
        count = (SIZE - len(long_line)) // len(LINE)
        f.write(LINE * count)
        f.write(long_line)
        f.write(b"z" * (SIZE - count * len(LINE) - len(long_line) - 1) +
                b"\n")


def under_terminal(command_line):
    """Run a shell command on a terminal; return what the terminal got."""
    return terminal.run(command_line, 3000)


def test_drawn_and_erased(bouncelog, log, report):
    rc, screen = under_terminal(f"{command(bouncelog, log)} > {shell(report)}")
    problems = []
    if rc != 0:
        problems.append(f"exit status {rc}")
    drawings = list(PROGRESS.finditer(screen))
    if not drawings:
        problems.append(f"no progress line in {screen[:200]!r}")
    elif screen.find(ERASE, drawings[-1].end()) < 0:
        problems.append(f"the last progress line is not erased: "
                        f"{screen[drawings[-1].start():][:160]!r}")
    warning = screen.find(b"warning: line of")
    if warning < 0:
        problems.append("the warning about the long line is missing")
    else:
        start = screen.rfind(b"bouncelog: ", 0, warning)
        if screen[start - len(ERASE):start] != ERASE:
            problems.append(f"the warning shares a line with the progress "
                            f"line: {screen[start - 40:warning]!r}")
    with open(report, "rb") as f:
        text = f.read()
    if b"\x1b" in text or b"\r" in text:
        problems.append("the report contains a terminal control sequence")
    if b"bouncelog report" not in text:
        problems.append("the report is missing")
    return problems


def test_quiet(bouncelog, log, report):
    rc, screen = under_terminal(
        f"{command(bouncelog, '-q', log)} > {shell(report)}")
    problems = []
    if rc != 0:
        problems.append(f"exit status {rc}")
    if screen:
        problems.append(f"-q still wrote {screen[:120]!r}")
    return problems


def test_not_a_terminal(bouncelog, log, report):
    proc = subprocess.run(WRAPPER + [bouncelog, log], capture_output=True,
                          timeout=3000, env=base_env())
    problems = []
    if proc.returncode != 0:
        problems.append(f"exit status {proc.returncode}")
    if b"\r" in proc.stderr or b"\x1b" in proc.stderr:
        problems.append(f"progress on a pipe: {proc.stderr[:120]!r}")
    return problems


def test_slow_pipe(bouncelog, log, report):
    part = shell(log)
    pipeline = (f"(head -c 1000000 {part}; sleep 2.5; head -c 1000000 "
                f"{part}) | {command(bouncelog, '-')} > {shell(report)}")
    rc, screen = under_terminal(pipeline)
    problems = []
    if rc != 0:
        problems.append(f"exit status {rc}")
    drawings = list(re.finditer(
        rb"\rbouncelog: [0-9.]+ [KM]iB read, [0-9.kM]+ lines/s", screen))
    if not drawings:
        problems.append(f"no progress line in {screen[:200]!r}")
    elif screen.find(ERASE, drawings[-1].end()) < 0:
        # The warning that no line was recognized may follow the erase.
        problems.append("the line is not erased at the end")
    return problems


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    tests = [("line drawn and erased", test_drawn_and_erased),
             ("quiet shows no line", test_quiet),
             ("no line without a terminal", test_not_a_terminal),
             ("slow pipe shows a line", test_slow_pipe)]
    if not terminal.available():
        print(terminal.SKIP_PLAN)
        return 0
    tap = Tap()
    with tempfile.TemporaryDirectory(prefix="bouncelog-progress-") as tmp:
        log = os.path.join(tmp, "big.log")
        report = os.path.join(tmp, "report.txt")
        make_log(log)
        for name, test in tests:
            tap.check(name, test(bouncelog, log, report))
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
