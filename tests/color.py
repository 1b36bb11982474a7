#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check when the text report is coloured, with a terminal from script(1).

Usage: color.py BOUNCELOG

With --color=auto (the default) the report is coloured only on a
terminal, and not when NO_COLOR is set to a non-empty value or TERM is
"dumb".  An empty NO_COLOR does not count as set.  script(1) from
util-linux gives bouncelog a pseudo-terminal as standard output.  Each
case checks for the SGR sequences of the report title, and that no line
is wider than 80 columns once those sequences are removed.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LOG = os.path.join(SOURCE, "fixtures", "timerange", "newyear.log")
TITLE = b"\x1b[1mbouncelog report\x1b[0m"
SGR = re.compile(rb"\x1b\[[0-9;]*m")

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

# name, extra environment, extra arguments, whether colour is expected
CASES = [
    ("auto on a terminal", {}, [], True),
    ("no_color set", {"NO_COLOR": "1"}, [], False),
    ("no_color empty", {"NO_COLOR": ""}, [], True),
    ("dumb terminal", {"TERM": "dumb"}, [], False),
    ("never on a terminal", {}, ["--color=never"], False),
    ("always over no_color", {"NO_COLOR": "1"}, ["--color=always"], True),
]


def run(bouncelog, env_extra, args):
    command = " ".join(shlex.quote(w)
                       for w in [*WRAPPER, bouncelog, *args, LOG])
    env = base_env(**{"TERM": "xterm", **env_extra})
    return subprocess.run(["script", "-qec", command, "/dev/null"],
                          capture_output=True, timeout=600, env=env)


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    if shutil.which("script") is None:
        print("1..0 # SKIP script(1) from util-linux not found")
        return 0
    print(f"1..{len(CASES)}")
    failed = 0
    for number, (name, env_extra, args, want_color) in enumerate(CASES, 1):
        proc = run(bouncelog, env_extra, args)
        screen = proc.stdout
        problems = []
        if proc.returncode != 0:
            problems.append(f"exit status {proc.returncode}")
        if b"bouncelog report" not in screen:
            problems.append(f"no report in {screen[:120]!r}")
        if (TITLE in screen) != want_color:
            problems.append(f"coloured: got {TITLE in screen}, "
                            f"want {want_color}")
        if not want_color and SGR.search(screen):
            problems.append("an SGR sequence in a report without colour")
        for i, line in enumerate(SGR.sub(b"", screen).splitlines(), 1):
            width = len(line.rstrip(b"\r").decode("utf-8", "replace"))
            if width > 80:
                problems.append(f"line {i}: {width} columns, want at most 80")
                break
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
