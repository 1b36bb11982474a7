#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the command-line golden tests and print TAP.

Usage: run.py BOUNCELOG CASES_DIR [--update] [CASE...]

Each case is a directory under CASES_DIR holding:
  cmd               the arguments, one per line (no shell quoting)
  stdin             optional; fed to standard input
  env               optional; KEY=VALUE lines added to the environment
  expected.stdout   expected standard output
  expected.stderr   expected standard error
  expected.rc       expected exit status
  max-width         optional; a number of columns that no line of standard
                    output may exceed (counted in characters, without the
                    SGR colour sequences, which take no column)
  copies            optional; lines "NAME<TAB>FILE<TAB>MTIME": FILE is copied
                    to @TMP@/NAME with its modification time set to MTIME
                    (seconds since 1970), for tests of year inference
  expected.tmp/     optional; each file NAME in it is the expected content
                    of @TMP@/NAME after the run (a file the case wrote),
                    and a NAME.absent file means @TMP@/NAME must not exist
  needs             optional; words naming what the case needs: "nls" is a
                    build with translations (BOUNCELOG_NLS=1 in the
                    environment); the case is skipped without it
  files/            optional; each file NAME in it is written to @TMP@/NAME
                    with the placeholders expanded, for logs that must
                    carry today's or yesterday's date (-d today)
  expected.stdout.ENGINE, expected.stderr.ENGINE
                    optional; used in place of expected.stdout or
                    expected.stderr when the build inflates gzip with
                    ENGINE ("zlib" or "isa-l", from BOUNCELOG_INFLATE in
                    the environment), for output that names the engine
In every file, @FIXTURES@, @SOURCE@ and @TMP@ stand for the fixtures
folder, the source tree and the case's temporary folder, so expected
output holds no machine-specific paths.  In the cases with a files/
folder, @TODAY@ and @YESTERDAY@ also stand for the local dates
(YYYY-MM-DD) of the run in the case's TZ; a run that crosses midnight
is repeated once.
With --update, the expected files are rewritten from the actual output.
"""
import datetime
import os
import re
import shutil
import shlex
import subprocess
import sys
import tempfile
import zoneinfo

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(SOURCE, "fixtures")


# {placeholder: date} of the case being run, empty unless it has files/.
DAYS = {}


def expand(text, tmp):
    text = (text.replace("@FIXTURES@", FIXTURES).replace("@SOURCE@", SOURCE)
            .replace("@TMP@", tmp))
    for name, day in DAYS.items():
        text = text.replace(name, day)
    return text


def placeholders(data, tmp):
    data = (data.replace(tmp.encode(), b"@TMP@")
            .replace(FIXTURES.encode(), b"@FIXTURES@")
            .replace(SOURCE.encode(), b"@SOURCE@"))
    for name, day in DAYS.items():
        data = data.replace(day.encode(), name.encode())
    return data


def local_days(case_dir):
    """{"@TODAY@": date, "@YESTERDAY@": date} in the zone that the case's
    env file sets (UTC without one)."""
    zone = "UTC"
    for line in read(os.path.join(case_dir, "env"), "").splitlines():
        if line.startswith("TZ="):
            zone = line[3:]
    today = datetime.datetime.now(zoneinfo.ZoneInfo(zone)).date()
    return {"@TODAY@": today.isoformat(),
            "@YESTERDAY@": (today - datetime.timedelta(days=1)).isoformat()}


def write_files(case_dir, tmp):
    folder = os.path.join(case_dir, "files")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
            f.write(expand(read(os.path.join(folder, name)), tmp))


def read(path, default=None, binary=False):
    if not os.path.exists(path):
        return default
    with open(path, "rb" if binary else "r",
              **({} if binary else {"encoding": "utf-8"})) as f:
        return f.read()


def make_copies(case_dir, tmp):
    for line in read(os.path.join(case_dir, "copies"), "").splitlines():
        if not line.strip():
            continue
        name, source, mtime = line.split("\t")
        target = os.path.join(tmp, name)
        shutil.copyfile(expand(source, tmp), target)
        os.utime(target, (int(mtime), int(mtime)))


# A command put before bouncelog, such as valgrind with its options, from
# the environment variable BOUNCELOG_WRAPPER (split as a shell would).
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))


def missing_needs(case_dir):
    """The first need of the case that this build lacks, or None."""
    for need in read(os.path.join(case_dir, "needs"), "").split():
        if need == "nls" and os.environ.get("BOUNCELOG_NLS") != "1":
            return "a build with translations (-Dnls)"
        if need != "nls":
            return f"unknown need {need!r}"
    return None


def expected_path(case_dir, fname):
    """The path of expected file fname, or of its variant for the gzip
    inflate engine of the build when the case has one."""
    engine = os.environ.get("BOUNCELOG_INFLATE")
    if engine:
        variant = os.path.join(case_dir, f"{fname}.{engine}")
        if os.path.exists(variant):
            return variant
    return os.path.join(case_dir, fname)


def run_case(bouncelog, case_dir):
    dated = os.path.isdir(os.path.join(case_dir, "files"))
    for _ in range(2):
        DAYS.clear()
        if dated:
            DAYS.update(local_days(case_dir))
        with tempfile.TemporaryDirectory(prefix="bouncelog-cli-") as tmp:
            make_copies(case_dir, tmp)
            if dated:
                write_files(case_dir, tmp)
            result = run_in(bouncelog, case_dir, tmp)
            result += (written_files(case_dir, tmp),)
        if not dated or DAYS == local_days(case_dir):
            break
    return result


def written_files(case_dir, tmp):
    """{NAME: (want, got)} for the files of expected.tmp/; got is None
    when @TMP@/NAME is missing."""
    folder = os.path.join(case_dir, "expected.tmp")
    files = {}
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        target = name[:-len(".absent")] if name.endswith(".absent") else name
        got = read(os.path.join(tmp, target), binary=True)
        if got is not None:
            got = placeholders(got, tmp)
        files[name] = (read(os.path.join(folder, name), b"", True), got)
    return files


def run_in(bouncelog, case_dir, tmp):
    args = [expand(a, tmp)
            for a in read(os.path.join(case_dir, "cmd")).splitlines()
            if a != ""]
    stdin = read(os.path.join(case_dir, "stdin"), binary=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC",
           "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
    # The translations of the build tree, the sanitizers' settings and
    # the choice of PCRE2's interpreter.
    for key in ("BOUNCELOG_LOCALEDIR", "ASAN_OPTIONS", "UBSAN_OPTIONS",
                "LSAN_OPTIONS", "BOUNCELOG_PCRE2_JIT"):
        if key in os.environ:
            env[key] = os.environ[key]
    for line in read(os.path.join(case_dir, "env"), "").splitlines():
        if "=" in line:
            key, _, value = line.partition("=")
            env[key] = expand(value, tmp)
    proc = subprocess.run(WRAPPER + [bouncelog] + args, input=stdin or b"",
                          capture_output=True, env=env, cwd=SOURCE,
                          timeout=120)
    return (placeholders(proc.stdout, tmp), placeholders(proc.stderr, tmp),
            proc.returncode)


def main(argv):
    update = "--update" in argv
    argv = [a for a in argv if a != "--update"]
    bouncelog, cases_dir = os.path.abspath(argv[1]), argv[2]
    names = argv[3:] or sorted(
        d for d in os.listdir(cases_dir)
        if os.path.isfile(os.path.join(cases_dir, d, "cmd")))
    print(f"1..{len(names)}")
    failures = 0
    for number, name in enumerate(names, 1):
        case_dir = os.path.join(cases_dir, name)
        missing = missing_needs(case_dir)
        if missing:
            print(f"ok {number} - {name} # SKIP needs {missing}")
            continue
        out, err, rc, files = run_case(bouncelog, case_dir)
        if update:
            for fname, data in (("expected.stdout", out),
                                ("expected.stderr", err),
                                ("expected.rc", f"{rc}\n".encode())):
                with open(expected_path(case_dir, fname), "wb") as f:
                    f.write(data)
            for fname, (_, got) in files.items():
                if not fname.endswith(".absent") and got is not None:
                    with open(os.path.join(case_dir, "expected.tmp", fname),
                              "wb") as f:
                        f.write(got)
            print(f"ok {number} - {name} # updated")
            continue
        problems = []
        for fname, (want, got) in files.items():
            if fname.endswith(".absent"):
                if got is not None:
                    problems.append(f"@TMP@/{fname[:-7]} exists, want none")
            elif got is None:
                problems.append(f"@TMP@/{fname} was not written")
            elif got != want:
                problems.append(f"@TMP@/{fname} differs from "
                                f"expected.tmp/{fname}")
        want_out = read(expected_path(case_dir, "expected.stdout"), b"",
                        True)
        want_err = read(expected_path(case_dir, "expected.stderr"), b"",
                        True)
        want_rc = int(read(os.path.join(case_dir, "expected.rc"), "0"))
        if rc != want_rc:
            problems.append(f"exit status: got {rc}, want {want_rc}")
        max_width = read(os.path.join(case_dir, "max-width"))
        if max_width is not None:
            visible = re.sub(r"\x1b\[[0-9;]*m", "",
                             out.decode("utf-8", "replace"))
            for i, text in enumerate(visible.splitlines(), 1):
                if len(text) > int(max_width):
                    problems.append(f"stdout line {i}: {len(text)} columns,"
                                    f" want at most {int(max_width)}")
                    break
        for label, got, want in (("stdout", out, want_out),
                                 ("stderr", err, want_err)):
            if got != want:
                got_lines = got.decode("utf-8", "replace").splitlines()
                want_lines = want.decode("utf-8", "replace").splitlines()
                for i in range(max(len(got_lines), len(want_lines))):
                    g = got_lines[i] if i < len(got_lines) else "<missing>"
                    w = want_lines[i] if i < len(want_lines) else "<missing>"
                    if g != w:
                        problems.append(f"{label} line {i + 1}: got {g!r}, "
                                        f"want {w!r}")
                        break
                else:
                    problems.append(f"{label}: differs in line endings")
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
