#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run bouncelog on broken inputs and outputs made here, and check that
each fault gets its diagnostic and exit status while the other input of
the run is still read.  Prints TAP.

Usage: faults.py BOUNCELOG

Every input case reads the fault together with a good log and checks:
the exact diagnostic lines, the exit status that README.md gives under
"Exit status", and that the JSON report counts every line of the good
log.  The faults:
  - a file that the user may not read (run as the user nobody when
    root);
  - a directory, an empty file, and a FIFO fed by a writer thread in
    small pieces, which must be read as a stream;
  - gzip with a wrong CRC-32, and gzip with bytes after its last member;
  - a gzip input when no thread can be started;
  - a file truncated, replaced or removed while it is read.  The test
    stops bouncelog with SIGSTOP once /proc shows it reading the file
    past the part that the input sorting peeks at, checks there that it
    has not reached the end, changes the file and lets it go on, so the
    order of events is fixed, not a race;
  - standard output closed early by its reader, with SIGPIPE ignored or
    not in bouncelog's parent: no message, the status of a good run, and
    the other outputs still written;
  - standard output on /dev/full: a message and status 1;
  - an output that names the file on standard input ("-"): refused;
  - standard output on the file of another output: refused;
  - an output named by a link to a missing file or to standard output:
    the link stays a link;
  - standard input or output closed: "-" and the report on standard
    output fail with EBADF, and no other file takes their descriptor;
  - SIGTERM, SIGINT or SIGHUP while the outputs are open: their temporary
    files are removed and the run ends by the signal.

A command in the environment variable BOUNCELOG_WRAPPER, such as valgrind
with its options, is put before every run of bouncelog.
"""
import gzip
import json
import os
import resource
import shlex
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

from tap import Tap

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURES = os.path.join(SOURCE, "fixtures")
GOOD = os.path.join(FIXTURES, "postfix", "statuses.log")
FILLER = os.path.join(FIXTURES, "postfix", "queue-ids.log")
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))
# meson's b_sanitize of the build, such as "address,undefined".
SANITIZE = os.environ.get("BOUNCELOG_SANITIZE", "")
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC",
       "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
    if name in os.environ:
        ENV[name] = os.environ[name]

# The input sorting reads at most INPUTS_PEEK_BYTES (4 MiB) of a file
# plus one read of READER_BUF_SIZE (256 KiB).  So a read position past
# PEEK_END belongs to the report's own pass over the file.
PEEK_END = 4 * 1024 * 1024 + 256 * 1024 + 2
NOBODY = 65534


# The filler's BSD timestamps ("Dec 04") are dated in the good log's year,
# so that both logs cover the same day and no message looks abandoned.
def command(bouncelog, args):
    return WRAPPER + [bouncelog, "--year=2024"] + args


def report_inputs(stdout):
    """name -> input record of a JSON report, or None when it is not
    JSON."""
    try:
        report = json.loads(stdout)
    except ValueError:
        return None
    return {i["name"]: i for i in report["inputs"]}


def count_lines(data):
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n")
                                else 0)


def check_run(proc, want_rc, want_stderr, want_lines):
    """Problems of a finished JSON run: its status, its stderr lines and
    the line count of each input named in want_lines."""
    problems = []
    if proc.returncode != want_rc:
        problems.append(f"exit status {proc.returncode}, want {want_rc}")
    got = proc.stderr.decode(errors="replace").splitlines()
    if got != want_stderr:
        problems.append(f"stderr {got!r}, want {want_stderr!r}")
    inputs = report_inputs(proc.stdout)
    if inputs is None:
        return problems + ["standard output is not a JSON report"]
    for path, lines in want_lines.items():
        if path not in inputs:
            problems.append(f"{path} missing from the report's inputs")
        elif inputs[path]["lines"] != lines:
            problems.append(f"{path}: {inputs[path]['lines']} lines, "
                            f"want {lines}")
    return problems


def good_lines():
    with open(GOOD, "rb") as f:
        return count_lines(f.read())


def run_with_good(bouncelog, path, preexec=None):
    return subprocess.run(command(bouncelog, ["--format=json", path, GOOD]),
                          capture_output=True, env=ENV, timeout=300,
                          preexec_fn=preexec)


def check_unreadable(bouncelog, tmp):
    path = os.path.join(tmp, "unreadable.log")
    with open(FILLER, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read())
    os.chmod(path, 0)
    preexec = None
    if os.geteuid() == 0:
        # root reads any file, so the run drops to the user nobody, who
        # must still reach the good log and bouncelog itself.
        def preexec():
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
    proc = run_with_good(bouncelog, path, preexec)
    if proc.returncode in (126, 127):
        return "bouncelog cannot be run as nobody"
    want = [f"bouncelog: {path}: Permission denied; run bouncelog as a "
            "user who may read the file, such as a member of its group"]
    return check_run(proc, 1, want, {path: 0, GOOD: good_lines()})


def check_directory(bouncelog, tmp):
    folder = os.path.join(tmp, "logs")
    os.mkdir(folder)
    proc = run_with_good(bouncelog, folder + "/")
    want = [f"bouncelog: {folder}/: is a directory, not a log file; name "
            f"the files in it instead, such as {folder}/*.log"]
    return check_run(proc, 1, want, {folder + "/": 0, GOOD: good_lines()})


def check_empty(bouncelog, tmp, compress):
    """An empty file, or a gzip file of one, which decodes to nothing."""
    path = os.path.join(tmp, "empty.log.gz" if compress else "empty.log")
    with open(path, "wb") as f:
        if compress:
            f.write(gzip_member(b""))
    proc = run_with_good(bouncelog, path)
    want = [f"bouncelog: {path}: warning: the input is empty, so it adds "
            "nothing to the report; check that it is the log you meant"]
    return check_run(proc, 0, want, {path: 0, GOOD: good_lines()})


def feed_fifo(path, data, errors):
    """Write data to the FIFO path in pieces that split lines."""
    try:
        with open(path, "wb", buffering=0) as f:
            for i in range(0, len(data), 97):
                f.write(data[i:i + 97])
    except OSError as e:
        errors.append(f"writing the FIFO: {e}")


def check_fifo(bouncelog, tmp, compress):
    path = os.path.join(tmp, "fifo.gz" if compress else "fifo")
    os.mkfifo(path)
    with open(FILLER, "rb") as f:
        text = f.read()
    data = gzip.compress(text) if compress else text
    errors = []
    writer = threading.Thread(target=feed_fifo, args=(path, data, errors))
    writer.start()
    try:
        proc = run_with_good(bouncelog, path)
    finally:
        # Let a writer that is still blocked in open() finish.
        if writer.is_alive():
            with open(path, "rb") as f:
                f.read()
        writer.join()
    problems = errors + check_run(proc, 0, [], {path: count_lines(text),
                                                GOOD: good_lines()})
    inputs = report_inputs(proc.stdout) or {}
    want = "gzip" if compress else "plain"
    if path in inputs and inputs[path]["encoding"] != want:
        problems.append(f"encoding {inputs[path]['encoding']}, want {want}")
    return problems


def gzip_member(data):
    return gzip.compress(data, mtime=0)


def check_gzip_bad_crc(bouncelog, tmp):
    path = os.path.join(tmp, "bad-crc.log.gz")
    with open(FILLER, "rb") as f:
        text = f.read()
    member = bytearray(gzip_member(text))
    # The trailer is the CRC-32 and then the length, 4 bytes each.
    member[-8] ^= 0xff
    with open(path, "wb") as f:
        f.write(member)
    want = [f"bouncelog: {path}: invalid gzip data at byte offset "
            f"{len(member) - 4} (CRC-32 mismatch); the lines before it "
            "were read, but the damage lies earlier in the member and may "
            "have garbled some of them; the rest of the file was skipped, "
            "check it with gzip -t"]
    proc = run_with_good(bouncelog, path)
    return check_run(proc, 1, want, {path: count_lines(text),
                                     GOOD: good_lines()})


def check_gzip_trailing(bouncelog, tmp):
    path = os.path.join(tmp, "trailing.log.gz")
    with open(FILLER, "rb") as f:
        text = f.read()
    member = gzip_member(text)
    garbage = b"not gzip\n" * 3
    with open(path, "wb") as f:
        f.write(member + garbage)
    want = [f"bouncelog: {path}: warning: ignored {len(garbage)} bytes of "
            f"trailing garbage at byte offset {len(member)}"]
    proc = run_with_good(bouncelog, path)
    return check_run(proc, 0, want, {path: count_lines(text),
                                     GOOD: good_lines()})


def check_no_threads(bouncelog, tmp):
    """A gzip input when no thread can start.  --jobs=4 requests parsing
    threads and an inflating thread per gzip input, and a stack limit
    larger than the address space limit makes every thread's stack fail
    to map.  The main thread then reads both inputs itself."""
    path = os.path.join(tmp, "no-threads.log.gz")
    with open(FILLER, "rb") as f:
        text = f.read()
    with open(path, "wb") as f:
        f.write(gzip_member(text))

    def preexec():
        resource.setrlimit(resource.RLIMIT_STACK, (4 << 30, 4 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    proc = subprocess.run(
        command(bouncelog, ["--format=json", "--jobs=4", path, GOOD]),
        capture_output=True, env=ENV, timeout=300, preexec_fn=preexec)
    return check_run(proc, 0, [], {path: count_lines(text),
                                   GOOD: good_lines()})


def read_position(pid, path):
    """The file offset of pid's descriptor for path, or None."""
    fds = f"/proc/{pid}/fd"
    try:
        names = os.listdir(fds)
    except OSError:
        return None
    for fd in names:
        try:
            if os.readlink(os.path.join(fds, fd)) != path:
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                for line in f:
                    if line.startswith("pos:"):
                        return int(line.split()[1])
        except OSError:
            continue
    return None


def process_state(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def stop_while_reading(proc, path, size):
    """Stop proc with SIGSTOP while it reads path between PEEK_END and
    size.  Returns the read position, or None when the run got past the
    file first."""
    while proc.poll() is None:
        pos = read_position(proc.pid, path)
        if pos is None or pos < PEEK_END:
            time.sleep(0.0005)
            continue
        os.kill(proc.pid, signal.SIGSTOP)
        while process_state(proc.pid) not in ("T", "t"):
            time.sleep(0.001)
        pos = read_position(proc.pid, path)
        if pos is not None and PEEK_END <= pos < size:
            return pos
        os.kill(proc.pid, signal.SIGCONT)
    return None


def change_while_reading(bouncelog, tmp, change):
    """Run bouncelog on a big log and the good one, and call change(path,
    pos) while it is stopped inside the big one.  Returns the finished
    process, the big log's bytes and pos, or None when no stop was
    caught with any of three sizes of the log."""
    path = os.path.join(tmp, "big.log")
    with open(FILLER, "rb") as f:
        unit = f.read()
    copies = (32 * 1024 * 1024) // len(unit)
    for _ in range(3):
        data = unit * copies
        with open(path, "wb") as f:
            f.write(data)
        proc = subprocess.Popen(
            command(bouncelog, ["--format=json", "--jobs=1", path, GOOD]),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
        # The report goes to a pipe, so a thread reads it while the
        # main thread watches the process.
        out = []
        reader = threading.Thread(target=lambda: out.extend(
            proc.communicate(timeout=300)))
        reader.start()
        pos = stop_while_reading(proc, path, len(data))
        if pos is not None:
            change(path, pos)
            os.kill(proc.pid, signal.SIGCONT)
        reader.join()
        if pos is not None:
            return subprocess.CompletedProcess(proc.args, proc.returncode,
                                               out[0], out[1]), data, pos
        copies *= 2
        for name in os.listdir(tmp):
            os.unlink(os.path.join(tmp, name))
    return None


def check_truncated(bouncelog, tmp):
    def truncate(path, pos):
        os.truncate(path, pos // 2)

    result = change_while_reading(bouncelog, tmp, truncate)
    if result is None:
        return "bouncelog read the file before it could be stopped"
    proc, data, pos = result
    path = os.path.join(tmp, "big.log")
    want = [f"bouncelog: {path}: the file was truncated to {pos // 2} bytes "
            f"while it was read, at byte offset {pos}; the lines before "
            "that offset were read, later lines were not; run bouncelog "
            "again when the log is not being rotated"]
    return check_run(proc, 1, want, {path: count_lines(data[:pos]),
                                     GOOD: good_lines()})


def check_replaced(bouncelog, tmp):
    def rotate(path, pos):
        os.rename(path, path + ".1")
        with open(path, "wb") as f:
            f.write(b"a line of the new log\n")

    result = change_while_reading(bouncelog, tmp, rotate)
    if result is None:
        return "bouncelog read the file before it could be stopped"
    proc, data, _ = result
    path = os.path.join(tmp, "big.log")
    want = [f"bouncelog: {path}: warning: the file was replaced while it "
            "was read, as log rotation does; the old file was read to its "
            f"end, at byte offset {len(data)}, and the new one was not; run "
            "bouncelog again to include it"]
    return check_run(proc, 0, want, {path: count_lines(data),
                                     GOOD: good_lines()})


def check_removed(bouncelog, tmp):
    result = change_while_reading(bouncelog, tmp,
                                  lambda path, pos: os.unlink(path))
    if result is None:
        return "bouncelog read the file before it could be stopped"
    proc, data, _ = result
    path = os.path.join(tmp, "big.log")
    want = [f"bouncelog: {path}: warning: the file was renamed or removed "
            f"while it was read; it was read to its end, at byte offset "
            f"{len(data)}"]
    return check_run(proc, 0, want, {path: count_lines(data),
                                     GOOD: good_lines()})


def check_closed_pipe(bouncelog, tmp, ignore_sigpipe):
    """The reader of standard output goes away after one line of a long
    event stream, while bouncelog still writes."""
    path = os.path.join(tmp, "many.log")
    with open(FILLER, "rb") as f:
        unit = f.read()
    with open(path, "wb") as f:
        f.write(unit * 200)
    report = os.path.join(tmp, "report.json")
    preexec = None
    if ignore_sigpipe:
        def preexec():
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    proc = subprocess.Popen(
        command(bouncelog, ["--events=-", "--output=/dev/null",
                            "--report=json:" + report, path]),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
        preexec_fn=preexec)
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read()
    rc = proc.wait(timeout=300)
    problems = []
    if not first.startswith(b"{"):
        problems.append(f"first line {first[:80]!r}, want an event record")
    if rc != 0:
        problems.append(f"exit status {rc}, want 0")
    if stderr:
        problems.append(f"stderr {stderr!r}, want nothing")
    try:
        with open(report, "rb") as f:
            inputs = report_inputs(f.read()) or {}
    except OSError as e:
        return problems + [f"the JSON report was not written: {e}"]
    if inputs.get(path, {}).get("lines") != count_lines(unit * 200):
        problems.append("the JSON report does not count every line")
    return problems


def check_closed_pipe_classify(bouncelog):
    """The same for --classify, which writes one verdict for each line
    of its standard input."""
    texts = b"550 5.1.1 user unknown\n" * 20000
    proc = subprocess.Popen(command(bouncelog, ["--classify"]),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV)
    errors = []

    def feed():
        try:
            proc.stdin.write(texts)
            proc.stdin.close()
        except OSError as e:
            errors.append(f"writing standard input: {e}")

    writer = threading.Thread(target=feed)
    writer.start()
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read()
    rc = proc.wait(timeout=300)
    writer.join()
    problems = errors
    if not first.startswith(b"550\t5.1.1\tuserunknown"):
        problems.append(f"first line {first[:80]!r}, want a verdict")
    if rc != 0:
        problems.append(f"exit status {rc}, want 0")
    if stderr:
        problems.append(f"stderr {stderr!r}, want nothing")
    return problems


def check_full_device(bouncelog, args):
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(command(bouncelog, args), stdout=full,
                              stderr=subprocess.PIPE, env=ENV, timeout=300)
    want = b"bouncelog: cannot write to standard output: No space left on "\
           b"device\n"
    if proc.returncode != 1 or proc.stderr != want:
        return [f"exit status {proc.returncode} and {proc.stderr!r}, "
                f"want 1 and {want!r}"]
    return []


def check_signal(bouncelog, tmp, sig):
    """A run ended by sig while it waits for its input removes the
    temporary files of its three outputs, and ends by that signal."""
    fifo = os.path.join(tmp, "input.fifo")
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        command(bouncelog, ["--output=" + os.path.join(tmp, "report.txt"),
                            "--report=json:" + os.path.join(tmp, "r.json"),
                            "--events=" + os.path.join(tmp, "e.jsonl"),
                            fifo]),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)

    # Opening a FIFO with no writer waits, and the outputs are opened
    # before any input, so the three temporary files appear and stay.
    temps = []
    deadline = time.monotonic() + 120
    while len(temps) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
        temps = [n for n in os.listdir(tmp) if n.startswith(".")]
    problems = []
    if len(temps) != 3:
        problems.append(f"temporary files before the signal: {temps}, "
                        f"want 3")
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=120)
    if proc.returncode != -sig:
        problems.append(f"exit status {proc.returncode}, want {-sig} (ended "
                        f"by the signal); stderr {stderr!r}")
    left = sorted(n for n in os.listdir(tmp) if n != "input.fifo")
    if left:
        problems.append(f"left behind: {left}")
    return problems


def check_output_is_stdin(bouncelog, tmp):
    """An output that names the file on standard input, given as "-",
    is refused and the file is left as it was."""
    path = os.path.join(tmp, "mail.log")
    with open(GOOD, "rb") as f:
        log = f.read()
    with open(path, "wb") as f:
        f.write(log)
    with open(path, "rb") as stdin:
        proc = subprocess.run(command(bouncelog, ["--output=" + path, "-"]),
                              stdin=stdin, capture_output=True, env=ENV,
                              timeout=300)
    problems = []
    want = (f"bouncelog: {path}: is also the input -; choose another "
            f"output file\n").encode()
    if proc.returncode != 1 or proc.stderr != want:
        problems.append(f"exit status {proc.returncode} and "
                        f"{proc.stderr!r}, want 1 and {want!r}")
    with open(path, "rb") as f:
        if f.read() != log:
            problems.append("the input on standard input was overwritten")
    return problems


def events_alone(bouncelog, tmp):
    """Write a pseudonym key and the events of GOOD read alone; return
    the key's option and the events file."""
    alone = os.path.join(tmp, "alone.jsonl")
    key_file = os.path.join(tmp, "pseudonym.key")
    with open(os.open(key_file, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as f:
        f.write(b"k" * 32)
    key = ["--pseudonym-key=" + key_file]
    subprocess.run(command(bouncelog, key + ["--events=" + alone, GOOD]),
                   capture_output=True, env=ENV, timeout=300)
    return key, alone


def check_closed_descriptor(bouncelog, tmp, fd, args, want):
    """With descriptor fd (standard input or output) closed, the run fails
    with the message want, and the events file, whose temporary file could
    take that descriptor, holds only the events of GOOD."""
    events = os.path.join(tmp, "events.jsonl")
    key, alone = events_alone(bouncelog, tmp)
    proc = subprocess.run(
        command(bouncelog, key + ["--events=" + events] + args),
        capture_output=True, env=ENV, timeout=300,
        preexec_fn=lambda: os.close(fd))
    problems = []
    if proc.returncode != 1 or proc.stderr != want:
        problems.append(f"exit status {proc.returncode} and "
                        f"{proc.stderr!r}, want 1 and {want!r}")
    with open(events, "rb") as got, open(alone, "rb") as expected:
        if got.read() != expected.read():
            problems.append("the events differ from those of GOOD alone")
    return problems


def check_output_links(bouncelog, tmp):
    """An output named by a link is never made a regular file: a link to
    a missing file makes that file, and a link that leads to standard
    output, here a deleted file, is written through.  A dangling link to
    another output's file names that file."""
    problems = []
    link = os.path.join(tmp, "report.txt")
    os.symlink("made.txt", link)
    proc = subprocess.run(command(bouncelog, ["--output=" + link, GOOD]),
                          capture_output=True, env=ENV, timeout=300)
    if proc.returncode != 0 or not os.path.islink(link) or \
            not os.path.isfile(os.path.join(tmp, "made.txt")):
        problems.append(f"dangling link: exit status {proc.returncode}, "
                        f"link kept {os.path.islink(link)}, {proc.stderr!r}")

    fd_link = os.path.join(tmp, "stdout")
    os.symlink("/proc/self/fd/1", fd_link)
    deleted = os.path.join(tmp, "deleted.txt")
    with open(deleted, "wb") as out:
        os.unlink(deleted)
        proc = subprocess.run(command(bouncelog, ["--output=" + fd_link,
                                                  GOOD]),
                              stdout=out, stderr=subprocess.PIPE, env=ENV,
                              timeout=300)
    if proc.returncode != 0 or not os.path.islink(fd_link):
        problems.append(f"link to standard output: exit status "
                        f"{proc.returncode}, link kept "
                        f"{os.path.islink(fd_link)}, {proc.stderr!r}")

    # Two outputs, one named by a dangling link to the other's file.
    other = os.path.join(tmp, "other.csv")
    other_link = os.path.join(tmp, "other-link.csv")
    os.symlink("other.csv", other_link)
    proc = subprocess.run(command(bouncelog, ["--output=" + other,
                                              "--report=csv:" + other_link,
                                              GOOD]),
                          capture_output=True, env=ENV, timeout=300)
    if proc.returncode != 2 or b"name the same file" not in proc.stderr:
        problems.append(f"dangling link to another output: exit status "
                        f"{proc.returncode}, {proc.stderr!r}, want 2")
    return problems


def check_stdout_same_file(bouncelog, tmp):
    """A report to standard output, which "> FILE" put on FILE, and an
    output named FILE are refused: one would replace the other."""
    path = os.path.join(tmp, "report.txt")
    with open(path, "wb") as out:
        proc = subprocess.run(command(bouncelog, ["--report=json:" + path,
                                                  GOOD]),
                              stdout=out, stderr=subprocess.PIPE, env=ENV,
                              timeout=300)
    want = (f"bouncelog: standard output and '{path}' name the same file; "
            f"give each output its own file\n"
            f"Try 'bouncelog --help' for more information.\n").encode()
    if proc.returncode != 2 or proc.stderr != want:
        return [f"exit status {proc.returncode} and {proc.stderr!r}, want "
                f"2 and {want!r}"]
    return []


def in_folder(check, *args):
    """Run check(bouncelog, folder, ...) in a new folder that every user
    may enter, so that a run as the user nobody still reaches its files."""
    with tempfile.TemporaryDirectory(prefix="bouncelog-faults-") as tmp:
        os.chmod(tmp, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP
                 | stat.S_IROTH | stat.S_IXOTH)
        return check(*args[:1], tmp, *args[1:])


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    tap = Tap()
    tap.check("unreadable file", in_folder(check_unreadable, bouncelog))
    tap.check("directory", in_folder(check_directory, bouncelog))
    tap.check("empty file", in_folder(check_empty, bouncelog, False))
    tap.check("empty gzip file", in_folder(check_empty, bouncelog, True))
    tap.check("fifo", in_folder(check_fifo, bouncelog, False))
    tap.check("fifo with gzip", in_folder(check_fifo, bouncelog, True))
    tap.check("gzip bad crc", in_folder(check_gzip_bad_crc, bouncelog))
    tap.check("gzip trailing garbage",
              in_folder(check_gzip_trailing, bouncelog))
    if WRAPPER or SANITIZE not in ("", "none"):
        tap.check("gzip without threads", "valgrind and the sanitizers "
                  "need more address space than the limit leaves")
    else:
        tap.check("gzip without threads",
                  in_folder(check_no_threads, bouncelog))
    tap.check("truncated while read", in_folder(check_truncated, bouncelog))
    tap.check("replaced while read", in_folder(check_replaced, bouncelog))
    tap.check("removed while read", in_folder(check_removed, bouncelog))
    tap.check("closed pipe", in_folder(check_closed_pipe, bouncelog, False))
    tap.check("closed pipe, SIGPIPE ignored",
              in_folder(check_closed_pipe, bouncelog, True))
    tap.check("closed pipe, --classify", check_closed_pipe_classify(bouncelog))
    tap.check("closed stdin",
              in_folder(check_closed_descriptor, bouncelog, 0, ["-", GOOD],
                        b"bouncelog: -: Bad file descriptor\n"))
    tap.check("closed stdout",
              in_folder(check_closed_descriptor, bouncelog, 1,
                        ["--format=json", GOOD],
                        b"bouncelog: cannot write to standard output: Bad "
                        b"file descriptor\n"))
    tap.check("standard output on an output's file",
              in_folder(check_stdout_same_file, bouncelog))
    tap.check("outputs named by links", in_folder(check_output_links,
                                                  bouncelog))
    tap.check("output is the input on stdin",
              in_folder(check_output_is_stdin, bouncelog))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        tap.check(f"ended by {sig.name}",
                  in_folder(check_signal, bouncelog, sig))
    for args in (["--format=text", GOOD], ["--format=json", GOOD],
                 ["--classify", "550 5.1.1 user unknown"]):
        tap.check(f"full device {args[0]}", check_full_device(bouncelog, args))
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
