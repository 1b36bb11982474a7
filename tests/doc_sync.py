#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that the Turkish documents cover what the English ones do; print TAP.

Usage: doc_sync.py SOURCE_DIR

The Turkish manual page must have the sections, the options (in the same
order) and as many examples as doc/bouncelog.1, and README.tr.md's option
table must name the options that README.md's names.  The words differ by
language; option names, which are never translated, must not.  A failure
names what the Turkish document lacks or has in excess.
"""
import os
import re
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def man_options(text):
    """Option names of the .It lines of the OPTIONS list, in order."""
    names = []
    for line in text.splitlines():
        if line.startswith(".It Fl "):
            names.append(" ".join(re.findall(r"Fl (\S+)", line)))
    return names


def man_counts(text):
    lines = text.splitlines()
    return {
        "sections (.Sh)": sum(1 for x in lines if x.startswith(".Sh ")),
        "subsections (.Ss)": sum(1 for x in lines if x.startswith(".Ss ")),
        "one-line examples (.Dl)": sum(1 for x in lines
                                       if x.startswith(".Dl ")),
        "example blocks (.Bd -literal)": sum(1 for x in lines
                                             if x.startswith(".Bd -literal")),
        "environment variables (.It Ev)": sum(1 for x in lines
                                              if x.startswith(".It Ev ")),
    }


def readme_options(text):
    """Option names in the first cells of option tables."""
    names = set()
    for line in text.splitlines():
        m = re.match(r"\| (`-[^|]*(?:\\\|[^|]*)*)\|", line)
        if m:
            names.update(re.findall(r"`(--?[A-Za-z][A-Za-z-]*)", m.group(1)))
    return names


def compare_lists(what, english, turkish):
    if english == turkish:
        return []
    problems = [f"{what}: English has {len(english)}, Turkish {len(turkish)}"]
    for i in range(max(len(english), len(turkish))):
        e = english[i] if i < len(english) else "<none>"
        t = turkish[i] if i < len(turkish) else "<none>"
        if e != t:
            problems.append(f"{what} {i + 1}: English {e!r}, Turkish {t!r}")
            break
    return problems


def check_manpage(source):
    english = read(os.path.join(source, "doc", "bouncelog.1"))
    turkish = read(os.path.join(source, "doc", "tr", "bouncelog.1"))
    problems = compare_lists("option", man_options(english),
                             man_options(turkish))
    for key, count in man_counts(english).items():
        got = man_counts(turkish)[key]
        if got != count:
            problems.append(f"{key}: English has {count}, Turkish {got}")
    return problems


def check_readme(source):
    english = readme_options(read(os.path.join(source, "README.md")))
    turkish = readme_options(read(os.path.join(source, "README.tr.md")))
    problems = []
    for name in sorted(english - turkish):
        problems.append(f"README.tr.md does not describe {name}")
    for name in sorted(turkish - english):
        problems.append(f"README.tr.md describes {name}, README.md does not")
    return problems


def main(argv):
    source = argv[1]
    checks = [("Turkish manual page matches the English", check_manpage),
              ("README.tr.md options match README.md", check_readme)]
    print(f"1..{len(checks)}")
    failures = 0
    for number, (name, check) in enumerate(checks, 1):
        problems = check(source)
        if problems:
            failures += 1
            print(f"not ok {number} - {name}")
            for p in problems:
                print(f"# {p}")
        else:
            print(f"ok {number} - {name}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
