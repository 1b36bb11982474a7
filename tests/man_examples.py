#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that every example of the manual page has a golden case; print TAP.

Usage: man_examples.py SOURCE_DIR

Each command of the EXAMPLES section of doc/bouncelog.1 must be run by
its own command-line case tests/cli/cases/man-example-*, so that an
example added to the page without a case, or a case left behind by a
changed example, fails here.  A case runs an example when its cmd file
gives every option of the example with the same value.  A value that is
a path only needs the same text before its first '/', because the case
reads fixtures in place of /var/log.  An operand of the example that is
not a path ('-', a reply text, a file name) must be an operand of the
case or the last component of one.  The case may add options of its own
(--year for fixtures).  Examples and cases are paired one to one, so
there is exactly one case per example.  The Turkish page must show the
same commands, up to the names of files that the shell writes.
"""
import os
import re
import shlex
import sys

# Short options that take a value, with their long names.
SHORT_WITH_VALUE = {"-d": "--day", "-j": "--jobs"}

# Placeholders of the golden cases, which stand for folders.
PLACEHOLDER = re.compile(r"@(FIXTURES|SOURCE|TMP)@")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def example_commands(page, title):
    """The shell commands of the examples section (.Sh title), in order,
    without the '$ ' prompt and with continued lines joined."""
    section = page.split(f"\n.Sh {title}\n", 1)[1].split("\n.Sh ", 1)[0]
    commands = []
    pending = None
    for line in section.splitlines():
        text = line.replace("\\e", "\\").replace("\\-", "-")
        if text.startswith(".Dl $ "):
            commands.append(text[len(".Dl $ "):])
        elif text.startswith("$ ") or pending is not None:
            part = text[2:] if pending is None else text.strip()
            if part.endswith("\\"):
                pending = (pending or "") + part[:-1]
                continue
            commands.append((pending or "") + part)
            pending = None
    return commands


def bouncelog_arguments(command):
    """The arguments given to bouncelog in a shell command line."""
    words = shlex.split(command)
    if "bouncelog" not in words:
        return []
    start = len(words) - words[::-1].index("bouncelog")
    arguments = []
    for word in words[start:]:
        if word in ("|", ">", ">>"):
            break
        arguments.append(word)
    return arguments


def parse(arguments):
    """({option: [value, or None without '=']}, [operand]) of a list of
    arguments."""
    options, operands = {}, []
    i = 0
    while i < len(arguments):
        word = arguments[i]
        if word in SHORT_WITH_VALUE and i + 1 < len(arguments):
            options.setdefault(SHORT_WITH_VALUE[word], []).append(
                arguments[i + 1])
            i += 2
            continue
        if word.startswith("--"):
            name, equals, value = word.partition("=")
            options.setdefault(name, []).append(value if equals else None)
        elif word.startswith("-") and word != "-":
            options.setdefault(word, []).append(None)
        else:
            operands.append(word)
        i += 1
    return options, operands


def same_value(example, case):
    if example is None or case is None:
        return example == case
    if "/" not in example:
        return example == case
    return (example.split("/", 1)[0]
            == PLACEHOLDER.sub("", case).split("/", 1)[0])


def runs(case, example):
    """Whether the parsed case gives every option and operand of the
    parsed example."""
    case_options, case_operands = case
    example_options, example_operands = example
    for name, values in example_options.items():
        case_values = case_options.get(name, [])
        if len(case_values) < len(values):
            return False
        if not all(any(same_value(v, c) for c in case_values)
                   for v in values):
            return False
    for operand in example_operands:
        if "/" in operand:
            continue
        if not any(operand in (g, os.path.basename(g))
                   for g in case_operands):
            return False
    return True


def pair(examples, cases):
    """{example index: case name} of a pairing that gives each example its
    own case and covers as many examples as possible (augmenting paths)."""
    owner = {}

    def assign(index, seen):
        for name, parsed in cases.items():
            if name in seen or not runs(parsed, examples[index]):
                continue
            seen.add(name)
            if name not in owner or assign(owner[name], seen):
                owner[name] = index
                return True
        return False

    for index in range(len(examples)):
        assign(index, set())
    return {index: name for name, index in owner.items()}


def main(argv):
    source = argv[1]
    english = example_commands(
        read(os.path.join(source, "doc", "bouncelog.1")), "EXAMPLES")
    turkish = example_commands(
        read(os.path.join(source, "doc", "tr", "bouncelog.1")), "ÖRNEKLER")
    cases_dir = os.path.join(source, "tests", "cli", "cases")
    cases = {}
    for name in sorted(os.listdir(cases_dir)):
        if name.startswith("man-example-"):
            lines = read(os.path.join(cases_dir, name, "cmd")).splitlines()
            cases[name] = parse([x for x in lines if x != ""])
    examples = [parse(bouncelog_arguments(c)) for c in english]
    paired = pair(examples, cases)

    print(f"1..{len(english) + 2}")
    failed = 0
    for index, command in enumerate(english):
        if index in paired:
            print(f"ok {index + 1} - {paired[index]}: {command}")
        else:
            failed += 1
            print(f"not ok {index + 1} - no man-example-* case runs: "
                  f"{command}")
    unused = sorted(set(cases) - set(paired.values()))
    if unused:
        failed += 1
        print(f"not ok {len(english) + 1} - cases without an example")
        for name in unused:
            print(f"# {name} runs no example of doc/bouncelog.1 "
                  f"that another case does not")
    else:
        print(f"ok {len(english) + 1} - every case runs an example")
    # Only the arguments of bouncelog must agree: the Turkish page may
    # name the file that a report is redirected to in Turkish.
    if ([bouncelog_arguments(c) for c in turkish]
            != [bouncelog_arguments(c) for c in english]):
        failed += 1
        print(f"not ok {len(english) + 2} - Turkish examples differ")
        for en, tr in zip(english + [""] * len(turkish),
                          turkish + [""] * len(english)):
            if bouncelog_arguments(en) != bouncelog_arguments(tr):
                print(f"# English: {en!r}")
                print(f"# Turkish: {tr!r}")
                break
    else:
        print(f"ok {len(english) + 2} - Turkish examples are the same")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
