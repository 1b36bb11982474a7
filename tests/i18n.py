#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run bouncelog in Turkish and English under chosen environments; print TAP.

Usage: i18n.py BOUNCELOG

Every run starts from an empty environment (as "env -i" does) plus the
variables that the case names, so nothing leaks in from the caller.  The
catalogue comes from $BOUNCELOG_LOCALEDIR, which meson points at the build
tree.  The cases check that:
  - --lang=tr gives Turkish with no locale variable at all, and the
    default follows LC_ALL, LC_MESSAGES, LANG and LANGUAGE as gettext does;
  - help and usage errors follow --lang wherever it appears in the arguments;
  - a missing catalogue gives a warning and English, not a failure;
  - under LC_ALL=tr_TR.UTF-8 LANGUAGE=tr (Turkish decimal comma and
    dotless i) the text report is Turkish and the JSON report parses the
    logs exactly as the English run does.
The tr_TR.UTF-8 cases are skipped when that locale is not installed, and
all of them in a build without translations (BOUNCELOG_NLS is not 1).
"""
import json
import locale
import os
import re
import subprocess
import sys
import tempfile

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURES = os.path.join(SOURCE, "fixtures")

# Logs of every format, with the year of their BSD timestamps.
LOGS = [
    ["--year=2024", os.path.join(FIXTURES, "postfix", "sample.log")],
    ["--year=2026", os.path.join(FIXTURES, "postfix", "rejects.log")],
    ["--year=2024", os.path.join(FIXTURES, "sendmail", "maillog.log")],
    ["--year=2024", os.path.join(FIXTURES, "opensmtpd", "maillog.log")],
    [os.path.join(FIXTURES, "exim", "mainlog-4.97.log")],
    [os.path.join(FIXTURES, "exchange", "MSGTRK-2019.LOG")],
]

# Headings of the text report in Turkish, and their English originals.
TURKISH = ["bouncelog raporu", "Toplamlar", "Hata nedenleri:",
           "Geçici teslim hataları (4xx):", "Kalıcı teslim hataları (5xx):",
           "Reddedilen gelen posta, kalıcı (5xx):"]
ENGLISH = ["bouncelog report", "Totals", "Failure reasons:",
           "Temporary delivery failures (4xx):",
           "Permanent delivery failures (5xx):",
           "Inbound rejections, permanent (5xx):"]

# JSON fields whose text follows --lang; everything else is parsing.
TEXT_FIELDS = {"description", "label", "advice", "language"}


def run(args, env=None):
    """Run bouncelog with only the given environment; (rc, out, err)."""
    base = {"TZ": "UTC"}
    if "BOUNCELOG_LOCALEDIR" in os.environ:
        base["BOUNCELOG_LOCALEDIR"] = os.environ["BOUNCELOG_LOCALEDIR"]
    for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if key in os.environ:
            base[key] = os.environ[key]
    base.update(env or {})
    proc = subprocess.run([BOUNCELOG] + args, env=base, capture_output=True,
                          timeout=120, cwd=SOURCE)
    return (proc.returncode, proc.stdout.decode("utf-8"),
            proc.stderr.decode("utf-8"))


def tr_locale_installed():
    try:
        old = locale.setlocale(locale.LC_ALL)
        locale.setlocale(locale.LC_ALL, "tr_TR.UTF-8")
        locale.setlocale(locale.LC_ALL, old)
        return True
    except locale.Error:
        return False


def without_text(value):
    """value with the language-dependent fields removed, recursively."""
    if isinstance(value, dict):
        return {k: without_text(v) for k, v in value.items()
                if k not in TEXT_FIELDS}
    if isinstance(value, list):
        return [without_text(v) for v in value]
    return value


def expect_language(problems, out, language):
    want, other = (TURKISH, ENGLISH) if language == "tr" else (ENGLISH,
                                                               TURKISH)
    for heading in want:
        if heading not in out:
            problems.append(f"heading {heading!r} missing")
    for heading in other:
        if heading in out:
            problems.append(f"heading {heading!r} of the other language")


def expect_clean(problems, rc, err):
    if rc != 0:
        problems.append(f"exit status {rc}, want 0")
    if err:
        problems.append(f"unexpected stderr: {err.strip()!r}")


def case_default(env, language):
    """The report language chosen by the environment alone."""
    def check():
        problems = []
        rc, out, err = run(LOGS[0], env)
        expect_clean(problems, rc, err)
        expect_language(problems, out, language)
        return problems
    return check


def case_lang_option(args, env, language):
    def check():
        problems = []
        rc, out, err = run(args + LOGS[0], env)
        expect_clean(problems, rc, err)
        expect_language(problems, out, language)
        return problems
    return check


def check_help():
    problems = []
    for args in (["--lang=tr", "--help"], ["--help", "--lang", "tr"]):
        rc, out, err = run(args)
        expect_clean(problems, rc, err)
        if not out.startswith("Kullanım: bouncelog [SEÇENEK]..."):
            problems.append(f"{args}: help is not Turkish: "
                            f"{out[:40]!r}")
        for line in out.splitlines():
            if len(line) > 80:
                problems.append(f"{args}: help line of {len(line)} "
                                f"columns: {line!r}")
    return problems


def check_usage_error():
    problems = []
    rc, out, err = run(["--no-such-option", "--lang=tr"])
    want = ("bouncelog: tanınmayan seçenek '--no-such-option'\n"
            "Ayrıntılı bilgi için 'bouncelog --help' yazın.\n")
    if rc != 2:
        problems.append(f"exit status {rc}, want 2")
    if err != want:
        problems.append(f"stderr {err!r}, want {want!r}")
    if out:
        problems.append(f"unexpected stdout {out[:60]!r}")
    return problems


def check_missing_catalogue():
    problems = []
    rc, out, err = run(["--lang=tr"] + LOGS[0],
                       {"BOUNCELOG_LOCALEDIR": "/nonexistent"})
    if rc != 0:
        problems.append(f"exit status {rc}, want 0")
    want = ("bouncelog: warning: no Turkish translation (bouncelog.mo) "
            "found in /nonexistent; the messages are in English\n")
    if err != want:
        problems.append(f"stderr {err!r}, want {want!r}")
    expect_language(problems, out, "en")
    return problems


def check_turkish_locale_text():
    problems = []
    env = {"LC_ALL": "tr_TR.UTF-8", "LANGUAGE": "tr"}
    for log in LOGS:
        rc, out, err = run(log, env)
        expect_clean(problems, rc, err)
        for heading in ("bouncelog raporu", "Toplamlar", "Hata nedenleri:"):
            if heading not in out:
                problems.append(f"{log[-1]}: heading {heading!r} missing")
        for line in out.splitlines():
            if len(line) > 80:
                problems.append(f"{log[-1]}: line of {len(line)} columns: "
                                f"{line!r}")
                break
    return problems


def check_turkish_locale_json():
    problems = []
    tr_env = {"LC_ALL": "tr_TR.UTF-8", "LANGUAGE": "tr"}
    en_env = {"LC_ALL": "C"}
    for log in LOGS:
        name = os.path.basename(log[-1])
        rc_en, en, err_en = run(["--format=json"] + log, en_env)
        rc_tr_en, tr_en, err_tr_en = run(["--format=json", "--lang=en"] +
                                         log, tr_env)
        rc_tr, tr, err_tr = run(["--format=json"] + log, tr_env)
        for rc, err in ((rc_en, err_en), (rc_tr_en, err_tr_en),
                        (rc_tr, err_tr)):
            expect_clean(problems, rc, err)
        if tr_en != en:
            problems.append(f"{name}: JSON with --lang=en differs under "
                            "tr_TR.UTF-8 from the C locale's")
        try:
            tr_doc, en_doc = json.loads(tr), json.loads(en)
        except ValueError as e:
            problems.append(f"{name}: invalid JSON: {e}")
            continue
        if tr_doc.get("language") != "tr":
            problems.append(f"{name}: language {tr_doc.get('language')!r}, "
                            "want 'tr'")
        if without_text(tr_doc) != without_text(en_doc):
            problems.append(f"{name}: Turkish JSON counts differ from the "
                            "English run's")
    return problems


def check_html():
    """The HTML report in Turkish: lang attribute, headings, and
    percentages written the Turkish way."""
    problems = []
    rc, out, err = run(["--lang=tr", "--format=html"] + LOGS[0])
    expect_clean(problems, rc, err)
    for want in ('<html lang="tr">', "<h1>Posta teslim hataları",
                 "<h2>Hata nedenleri", "%32,7"):
        if want not in out:
            problems.append(f"{want!r} missing from the HTML report")
    for unwanted in ("Mail delivery failures", "32.7%"):
        if unwanted in out:
            problems.append(f"English {unwanted!r} in the HTML report")
    return problems


def check_turkish_locale_outputs():
    """CSV, Prometheus and event output are the same under tr_TR.UTF-8 as
    in the C locale; metrics and events have no text to translate, so
    they are the same in Turkish too."""
    problems = []
    tr_env = {"LC_ALL": "tr_TR.UTF-8", "LANGUAGE": "tr"}
    en_env = {"LC_ALL": "C"}
    key_dir = tempfile.TemporaryDirectory(prefix="bouncelog-i18n-")
    key = os.path.join(key_dir.name, "pseudonym.key")
    with open(os.open(key, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as f:
        f.write(bytes(range(32)))
    outputs = [(["--format=csv"], False), (["--format=csv.reasons"], False),
               (["--format=csv.domains"], False),
               (["--format=prometheus"], True),
               (["--output=/dev/null", "--events=-",
                 "--pseudonym-key=" + key], True)]
    for args, same_in_turkish in outputs:
        _, en, _ = run(args + LOGS[0], en_env)
        rc, tr_en, err = run(args + ["--lang=en"] + LOGS[0], tr_env)
        expect_clean(problems, rc, err)
        if tr_en != en:
            problems.append(f"{args[0]}: output differs under tr_TR.UTF-8")
        if same_in_turkish:
            _, tr, _ = run(args + LOGS[0], tr_env)
            if tr != en:
                problems.append(f"{args[0]}: Turkish output differs")
            if re.search(r"\d,\d", tr):
                problems.append(f"{args[0]}: a decimal comma in Turkish")
    key_dir.cleanup()
    return problems


def check_turkish_locale_classify():
    problems = []
    replies = ["452 4.2.2 <bob@example.com>: Mailbox full",
               "550 5.1.1 <IRIS@EXAMPLE.COM>: Recipient address rejected: "
               "User unknown in virtual mailbox table",
               "421 4.7.0 [TSS04] Messages temporarily deferred due to "
               "unexpected volume or user complaints"]
    for fmt in ([], ["--format=json", "--lang=en"]):
        _, en, _ = run(["--classify"] + fmt + replies, {"LC_ALL": "C"})
        rc, tr, err = run(["--classify"] + fmt + replies,
                          {"LC_ALL": "tr_TR.UTF-8", "LANGUAGE": "tr"})
        expect_clean(problems, rc, err)
        if tr != en:
            problems.append(f"--classify {fmt}: output differs under "
                            "tr_TR.UTF-8")
    return problems


def main(argv):
    global BOUNCELOG
    BOUNCELOG = os.path.abspath(argv[1])
    if os.environ.get("BOUNCELOG_NLS") != "1":
        print("1..0 # SKIP this build has no translations (-Dnls)")
        return 0
    have_tr = tr_locale_installed()
    cases = [
        ("--lang=tr with no locale variable",
         case_lang_option(["--lang=tr"], {}, "tr")),
        ("--lang tr as two arguments",
         case_lang_option(["--lang", "tr"], {}, "tr")),
        ("--lang=en over LANG=tr_TR.UTF-8",
         case_lang_option(["--lang=en"], {"LANG": "tr_TR.UTF-8"}, "en")),
        ("no locale variable is English", case_default({}, "en")),
        ("LANG=tr_TR.UTF-8, locale not needed",
         case_default({"LANG": "tr_TR.UTF-8"}, "tr")),
        ("LANG=tr_CY.UTF-8 picks Turkish",
         case_default({"LANG": "tr_CY.UTF-8"}, "tr")),
        ("LC_MESSAGES over LANG",
         case_default({"LANG": "en_US.UTF-8", "LC_MESSAGES": "tr_TR.UTF-8"},
                      "tr")),
        ("LC_ALL=C over LANG",
         case_default({"LANG": "tr_TR.UTF-8", "LC_ALL": "C"}, "en")),
        ("LANGUAGE ignored in the C locale",
         case_default({"LANGUAGE": "tr"}, "en")),
        ("LANGUAGE list under C.UTF-8",
         case_default({"LC_ALL": "C.UTF-8", "LANGUAGE": "de:tr:en"}, "tr")),
        ("LANGUAGE en over LANG=tr_TR.UTF-8",
         case_default({"LANG": "tr_TR.UTF-8", "LANGUAGE": "en"}, "en")),
        ("help in Turkish within 80 columns", check_help),
        ("usage error in Turkish", check_usage_error),
        ("missing catalogue warns", check_missing_catalogue),
        ("HTML report in Turkish", check_html),
    ]
    locale_cases = [
        ("text report under tr_TR.UTF-8", check_turkish_locale_text),
        ("JSON parsing same under tr_TR.UTF-8", check_turkish_locale_json),
        ("CSV, metrics, events same under tr_TR.UTF-8",
         check_turkish_locale_outputs),
        ("--classify same under tr_TR.UTF-8",
         check_turkish_locale_classify),
    ]
    print(f"1..{len(cases) + len(locale_cases)}")
    failures = 0
    number = 0
    for name, check in cases + locale_cases:
        number += 1
        if (name, check) in locale_cases and not have_tr:
            print(f"ok {number} - {name} # SKIP tr_TR.UTF-8 locale not "
                  "installed")
            continue
        problems = check()
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
