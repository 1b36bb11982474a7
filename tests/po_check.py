#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the translation catalogues.

Usage:
  po_check.py msgfmt MSGFMT LANG.po
      msgfmt --check --statistics must pass and count no untranslated or
      fuzzy message; every translation keeps the message's style: the
      same letter case at the start (diagnostics start in lower case), no
      final period that the English text lacks, and help lines within 80
      columns.
  po_check.py complete XGETTEXT SOURCE_DIR LANG.po
      Extract every _(), N_() and P_() string from SOURCE_DIR/src/*.c
      with xgettext, as "ninja bouncelog-pot" does, and fail for each one
      that LANG.po lacks or has untranslated or fuzzy; also fail for a
      source file with such strings that po/POTFILES.in does not list.
      Exits with 77 (skipped) when xgettext is missing.

Failures name the message and what to do, one per line.
"""
import ast
import glob
import os
import re
import subprocess
import sys
import tempfile

# The keywords and options of po/meson.build.
XGETTEXT_ARGS = ["--from-code=UTF-8", "--keyword=_", "--keyword=N_",
                 "--keyword=P_:1,2", "--add-comments=TRANSLATORS:"]

# Upper-case letters that may start a Turkish message, beside A-Z.
TURKISH_UPPER = "ÇĞİÖŞÜ"
TURKISH_LOWER = "çğıöşü"


def parse_entry(block):
    """One PO entry from its lines: a dict with msgctxt, msgid,
    msgid_plural (when present), msgstr (a list of forms), flags (a set)
    and obsolete."""
    entry = {"msgstr": [], "flags": set(), "obsolete": False}
    field = None
    for line in block:
        if line.startswith("#~"):
            entry["obsolete"] = True
            line = line[2:].lstrip()
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)'
                     r'\s+(".*")$', line)
        if m:
            field = m.group(1)
            text = ast.literal_eval(m.group(2))
            if field.startswith("msgstr"):
                entry["msgstr"].append(text)
            else:
                entry[field] = text
        elif line.startswith('"') and field is not None:
            text = ast.literal_eval(line)
            if field.startswith("msgstr"):
                entry["msgstr"][-1] += text
            else:
                entry[field] += text
    return entry


def parse_po(path):
    """The entries of a PO file, which are separated by blank lines,
    without the header and obsolete entries."""
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    entries = [parse_entry(b.strip("\n").split("\n")) for b in blocks
               if b.strip()]
    return [e for e in entries
            if e.get("msgid") not in (None, "") and not e["obsolete"]]


def untranslated(entry):
    return not entry["msgstr"] or any(s == "" for s in entry["msgstr"])


def first_letter_case(text):
    """'upper', 'lower' or None for the first character of text, when it
    is a letter (ASCII or Turkish)."""
    if not text:
        return None
    c = text[0]
    if ("A" <= c <= "Z") or c in TURKISH_UPPER:
        return "upper"
    if ("a" <= c <= "z") or c in TURKISH_LOWER:
        return "lower"
    return None


def style_problems(entry):
    """Ways in which a translation breaks the style of its English text."""
    problems = []
    msgid = entry["msgid"]
    for msgstr in entry["msgstr"]:
        want = first_letter_case(msgid)
        got = first_letter_case(msgstr)
        if want is not None and got is not None and want != got:
            problems.append(f"starts in {got} case, the English text in "
                            f"{want} case")
        if not msgid.endswith(".") and msgstr.endswith("."):
            problems.append("ends in a period that the English text lacks")
        if msgid.endswith(" ") != msgstr.endswith(" "):
            problems.append("differs from the English text in a final "
                            "space")
        if "\n" in msgid:
            for line in msgstr.split("\n"):
                if len(line) > 80:
                    problems.append(f"has a line of {len(line)} columns, "
                                    f"more than 80: {line!r}")
    return problems


def check_msgfmt(msgfmt, po):
    proc = subprocess.run([msgfmt, "--check", "--statistics", "-o",
                           os.devnull, po], capture_output=True, text=True)
    failures = []
    report = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        failures.append(f"msgfmt --check failed:\n{report}")
    if "untranslated" in report or "fuzzy" in report:
        failures.append(f"{po}: {report}; translate every message and "
                        "remove the fuzzy flags")
    entries = parse_po(po)
    for e in entries:
        for problem in style_problems(e):
            failures.append(f"{po}: {e['msgid']!r}: the translation "
                            f"{problem}")
    print(f"{os.path.basename(po)}: {report}")
    return failures


def marked_files(source):
    """Source files that hold strings marked for translation."""
    mark = re.compile(r'\b[NP]?_\(\s*"')
    files = []
    for path in sorted(glob.glob(os.path.join(source, "src", "*.c"))):
        with open(path, encoding="utf-8") as f:
            if mark.search(f.read()):
                files.append(os.path.relpath(path, source))
    return files


def check_complete(xgettext, source, po):
    files = marked_files(source)
    failures = []

    with open(os.path.join(source, "po", "POTFILES.in"),
              encoding="utf-8") as f:
        listed = {line.strip() for line in f
                  if line.strip() and not line.startswith("#")}
    for path in files:
        if path not in listed:
            failures.append(f"po/POTFILES.in: {path} holds translatable "
                            "strings but is not listed; add it")

    with tempfile.TemporaryDirectory(prefix="bouncelog-po-") as tmp:
        pot = os.path.join(tmp, "bouncelog.pot")
        proc = subprocess.run([xgettext, *XGETTEXT_ARGS, "-o", pot,
                               *files], cwd=source, capture_output=True,
                              text=True)
        if proc.returncode != 0:
            return [f"xgettext failed:\n{proc.stderr.strip()}"]
        wanted = parse_po(pot)

    have = {(e.get("msgctxt"), e["msgid"]): e for e in parse_po(po)}
    for e in wanted:
        got = have.get((e.get("msgctxt"), e["msgid"]))
        if got is None:
            failures.append(f"{po}: no entry for {e['msgid']!r}; run "
                            "'ninja -C BUILD bouncelog-update-po' and "
                            "translate it")
        elif untranslated(got):
            failures.append(f"{po}: {e['msgid']!r} is not translated")
        elif "fuzzy" in got["flags"]:
            failures.append(f"{po}: {e['msgid']!r} is fuzzy; check the "
                            "translation and remove the flag")
    print(f"{len(wanted)} messages in {len(files)} source files")
    return failures


def main(argv):
    if len(argv) == 4 and argv[1] == "msgfmt":
        failures = check_msgfmt(argv[2], argv[3])
    elif len(argv) == 5 and argv[1] == "complete":
        xgettext = argv[2]
        if not os.path.isabs(xgettext) or not os.access(xgettext, os.X_OK):
            print("skipped: xgettext (Debian package gettext) is missing")
            return 77
        failures = check_complete(xgettext, argv[3], argv[4])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
