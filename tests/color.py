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
import sys

import terminal
from tap import Tap

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LOG = os.path.join(SOURCE, "fixtures", "timerange", "newyear.log")
TITLE = b"\x1b[1mbouncelog report\x1b[0m"
SGR = re.compile(rb"\x1b\[[0-9;]*m")

# name, extra environment, extra arguments, whether colour is expected
CASES = [
    ("auto on a terminal", {}, [], True),
    ("no_color set", {"NO_COLOR": "1"}, [], False),
    ("no_color empty", {"NO_COLOR": ""}, [], True),
    ("dumb terminal", {"TERM": "dumb"}, [], False),
    ("never on a terminal", {}, ["--color=never"], False),
    ("always over no_color", {"NO_COLOR": "1"}, ["--color=always"], True),
]


def check_case(bouncelog, env_extra, args, want_color):
    """Run one case on a terminal; return its problems."""
    rc, screen = terminal.run(terminal.command(bouncelog, *args, LOG), 600,
                              **env_extra)
    problems = []
    if rc != 0:
        problems.append(f"exit status {rc}")
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
    return problems


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    if not terminal.available():
        print(terminal.SKIP_PLAN)
        return 0
    tap = Tap()
    for name, env_extra, args, want_color in CASES:
        tap.check(name, check_case(bouncelog, env_extra, args, want_color))
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
