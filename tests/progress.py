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
import shlex
import shutil
import subprocess
import sys
import tempfile

ERASE = b"\r\x1b[K"
PROGRESS = re.compile(rb"\rbouncelog: [0-9.]+ [KMGT]?i?B (of 65\.0 MiB "
                      rb"\([0-9]+%\)|read)")
LINE = b"not a mail log line, but one that the reader must still count\n"
SIZE = 65 * 1024 * 1024

# A command put before bouncelog, such as valgrind with its options, from
# the environment variable BOUNCELOG_WRAPPER (split as a shell would).
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))

# Settings of the sanitizers and of PCRE2's JIT (off under valgrind) that
# the run of bouncelog keeps from the test's environment.
PASSED_ON = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
             "BOUNCELOG_PCRE2_JIT")


def base_env(**extra):
    """A fixed environment for bouncelog, plus PASSED_ON and extra."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC",
           "LC_ALL": "C.UTF-8"}
    env.update({k: os.environ[k] for k in PASSED_ON if k in os.environ})
    env.update(extra)
    return env


def make_log(path):
    """Write SIZE bytes of short lines with one 1.5 MiB line at the end."""
    long_line = b"y" * (3 * 1024 * 1024 // 2) + b"\n"
    with open(path, "wb") as f:
        count = (SIZE - len(long_line)) // len(LINE)
        f.write(LINE * count)
        f.write(long_line)
        f.write(b"z" * (SIZE - count * len(LINE) - len(long_line) - 1) +
                b"\n")


def under_terminal(command):
    """Run a shell command under script(1); return what the terminal got."""
    proc = subprocess.run(["script", "-qec", command, "/dev/null"],
                          capture_output=True, timeout=3000,
                          env=base_env(TERM="xterm"))
    return proc.returncode, proc.stdout


def shell(*words):
    return " ".join(shlex.quote(w) for w in words)


def command(bouncelog, *args):
    """bouncelog with its arguments, after the wrapper, for a shell."""
    return shell(*WRAPPER, bouncelog, *args)


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
    if shutil.which("script") is None:
        print("1..0 # SKIP script(1) from util-linux not found")
        return 0
    print(f"1..{len(tests)}")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="bouncelog-progress-") as tmp:
        log = os.path.join(tmp, "big.log")
        report = os.path.join(tmp, "report.txt")
        make_log(log)
        for number, (name, test) in enumerate(tests, 1):
            problems = test(bouncelog, log, report)
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
