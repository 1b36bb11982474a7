#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end test: bouncelog on the logs of real Postfix and Exim.

Usage: run.py BOUNCELOG WORKDIR

Installs Debian's postfix and unpacks Debian's exim4-daemon-light when
they are missing (see install.py).  Then it runs the scenario of
scenario.py against each MTA in turn, in a network namespace of its own
where only the loopback interface exists.  For each MTA it starts a
scripted SMTP responder and the MTA, sends the outbound messages and the
inbound sessions, waits until the queue is empty, stops the MTA, and
checks bouncelog's JSON report on each log file against the counts the
scenario defines.

The logs stay in WORKDIR/postfix and WORKDIR/exim.  Exit status: 0 when
every check passed, 1 when one failed, 77 (skipped) when the test
cannot run here: not root, no network namespace, or a package that
cannot be installed.
"""
import ctypes
import email.utils
import fcntl
import json
import os
import shutil
import signal
import smtplib
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import install  # noqa: E402
import mta  # noqa: E402
import scenario  # noqa: E402
from responder import Responder  # noqa: E402

SKIP = 77

# Maximum wait for an MTA to empty its queue, in seconds.  The scenario
# needs about 5 (the stalled reply costs 3).
SETTLE_DEADLINE = 120


def skip(reason):
    print(f"SKIP: {reason}")
    return SKIP


def outside(bouncelog, workdir):
    """Install what is missing, then run the scenario in a new network
    namespace.  Return the exit status."""
    if os.geteuid() != 0:
        return skip("needs root to install packages and run Postfix and "
                    "Exim on port 25")
    failure = install.ensure_postfix()
    if failure:
        return skip(failure)
    exim_dir = os.path.join(workdir, "exim-package")
    failure = install.ensure_exim(exim_dir)
    if failure:
        return skip(failure)

    unshare = shutil.which("unshare")
    if not unshare:
        return skip("unshare(1) is missing, so there is no private "
                    "network namespace")
    probe = subprocess.run([unshare, "--net", "true"], capture_output=True,
                           text=True)
    if probe.returncode != 0:
        return skip("cannot create a network namespace: "
                    + probe.stderr.strip())

    done = subprocess.run([unshare, "--net", "--", sys.executable,
                           os.path.abspath(__file__), "--inside", bouncelog,
                           workdir, install.exim_binary(exim_dir)])
    return done.returncode


def loopback_up():
    """Bring up the loopback interface of a new network namespace."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x",
                              fcntl.ioctl(s, siocgifflags, request))[1]
        fcntl.ioctl(s, siocsifflags,
                    struct.pack("16sH14x", b"lo", flags | iff_up))


def become_subreaper():
    """Adopt the orphans of the daemons, so that stopping them can wait
    for every one (Linux prctl PR_SET_CHILD_SUBREAPER)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(36, 1, 0, 0, 0)


def on_sigterm(signum, frame):
    # Unwind through the finally blocks that stop the daemons.
    raise SystemExit(128 + signum)


class Checks:
    """Named checks printed as they run; failures are counted."""

    def __init__(self):
        self.failed = 0
        self.passed = 0

    def check(self, name, problems):
        if problems:
            self.failed += 1
            print(f"not ok - {name}")
            for problem in problems:
                print(f"    {problem}")
        else:
            self.passed += 1
            print(f"ok - {name}")


def send(sender, recipient, source, subject="scenario"):
    """Send one message in a session of its own.  Return None when the
    MTA took it, else the (code, text) of its rejection."""
    message = (f"From: <{sender}>\r\nTo: <{recipient}>\r\n"
               f"Subject: {subject}\r\n"
               f"Date: {email.utils.formatdate()}\r\n"
               f"Message-ID: {email.utils.make_msgid(domain=scenario.CLIENT_NAME)}\r\n"
               "\r\nA message of the bouncelog end-to-end test.\r\n")
    with smtplib.SMTP(scenario.MTA_ADDRESS, mta.SMTP_PORT,
                      local_hostname=scenario.CLIENT_NAME,
                      source_address=(source, 0), timeout=30) as smtp:
        try:
            smtp.sendmail(sender, [recipient], message)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients[recipient]
            return code, text.decode("ascii", "replace")
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
            return error.smtp_code, error.smtp_error.decode("ascii",
                                                            "replace")
    return None


def wait_listening(deadline=30):
    end = time.monotonic() + deadline
    while True:
        try:
            with socket.create_connection((scenario.MTA_ADDRESS,
                                           mta.SMTP_PORT), timeout=5) as s:
                s.recv(512)
                return
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.3)


def settle(server, responder, accepted):
    """Wait until SERVER's queue is empty and RESPONDER has ACCEPTED
    messages; return the problems found."""
    end = time.monotonic() + SETTLE_DEADLINE
    quiet = 0
    while time.monotonic() < end:
        done = len(responder.record.accepted) >= accepted
        if done and server.queued() == 0:
            quiet += 1
            # Two quiet polls a second apart, so the log writers are done.
            if quiet >= 2:
                return []
        else:
            quiet = 0
        time.sleep(1)
    return [f"after {SETTLE_DEADLINE}s: {server.queued()} queue files, "
            f"{len(responder.record.accepted)} of {accepted} messages "
            "accepted by the responder"]


def exercise(server, expected, checks):
    """Run the scenario against SERVER.  The responder and the daemon
    are stopped before this returns."""
    responder = Responder(scenario.listeners(), scenario.scripts(),
                          port=mta.SMTP_PORT)
    with responder:
        server.start()
        try:
            wait_listening()
            problems = []
            for case in scenario.OUTBOUND:
                reply = send(scenario.SENDER, case.recipient,
                             scenario.MTA_ADDRESS)
                if reply:
                    problems.append(f"{case.recipient}: not accepted: "
                                    f"{reply}")
            for case in scenario.INBOUND:
                reply = send(case.sender, case.recipient, case.client,
                             case.subject or "scenario")
                if reply is None:
                    problems.append(f"{case.name}: accepted, not rejected")
                else:
                    print(f"# {server.name} {case.name}: {reply[0]} "
                          f"{reply[1]}")
            checks.check(f"{server.name}: scenario sent", problems)
            checks.check(f"{server.name}: queue settled",
                         settle(server, responder, expected.accepted))
        finally:
            left = server.stop()
        checks.check(f"{server.name}: stopped, no process left",
                     [f"process {pid} still runs" for pid in left])

    want = sorted([case.recipient for case in scenario.OUTBOUND
                   if getattr(case, server.name).kind == scenario.DELIVERED]
                  + [scenario.SENDER] * expected.totals["notifications"])
    got = sorted(rcpt for _, _, rcpts in responder.record.accepted
                 for rcpt in rcpts)
    checks.check(f"{server.name}: responder accepted what it should",
                 [] if got == want else [f"got {got}", f"want {want}"])


def compare(name, got, want):
    problems = []
    for key in sorted(set(got) | set(want)):
        if got.get(key, 0) != want.get(key, 0):
            problems.append(f"{name}[{key}]: got {got.get(key, 0)}, "
                            f"want {want.get(key, 0)}")
    return problems


def check_reply_texts(report, server):
    """Return the outbound failures whose reply text is in no example
    line that bouncelog shows for the reply code."""
    examples = {}
    for item in report["outbound"]:
        for entry in item["reply_codes"]:
            examples.setdefault(entry["code"], []).extend(entry["examples"])
    problems = []
    for case in scenario.OUTBOUND:
        code = getattr(case, server.name).code
        for line in case.failure_reply() if code else ():
            text = line[4:]
            if not any(text in example for example in examples.get(code,
                                                                      [])):
                problems.append(f"{case.name}: {text!r} is in no example "
                                f"of reply code {code}")
    return problems


def domain_counts(report):
    keys = ("delivered", "deferred", "bounced", "expired", "rejected")
    return {row["domain"]: {k: row[k] for k in keys if row[k]}
            for row in report["domains"]}


def check_log(bouncelog, server, log, checks):
    """Check bouncelog's report on one log file against the scenario."""
    label, path, outbound, inbound = log
    name = f"{server.name} {label}"
    if not os.path.exists(path):
        # Exim creates its panic log only when it logs a panic.
        if label == "paniclog":
            return
        checks.check(f"{name}: written", [f"{path} is missing"])
        return

    env = dict(os.environ, TZ="UTC")
    done = subprocess.run([bouncelog, "--format=json", "-vv", path],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        checks.check(f"{name}: bouncelog ran",
                     [f"exit status {done.returncode}", done.stderr])
        return
    report = json.loads(done.stdout)
    (source,) = report["inputs"]
    want = scenario.expected(server.name, outbound, inbound)

    accounted = source["recognized"] + source["other_program"]
    problems = []
    if source["lines"] == 0:
        problems.append("no lines")
    if source["lines"] != accounted:
        problems.append(f"lines {source['lines']} != recognized "
                        f"{source['recognized']} + other programs "
                        f"{source['other_program']}")
    for key in ("unknown", "bad_header", "limit_hits"):
        if source[key]:
            problems.append(f"{key}: {source[key]}")
    if problems:
        problems += done.stderr.strip().splitlines()[:20]
    checks.check(f"{name}: every line recognized "
                 f"({source['lines']} lines)", problems)

    checks.check(f"{name}: totals",
                 compare("totals", report["totals"], want.totals))
    checks.check(f"{name}: reply codes",
                 compare("reply_codes", report["reply_codes"],
                         want.reply_codes))
    checks.check(f"{name}: enhanced codes",
                 compare("enhanced_codes", report["enhanced_codes"],
                         want.enhanced_codes))
    checks.check(f"{name}: reasons",
                 compare("reasons", report["reasons"], want.reasons))
    if outbound:
        checks.check(f"{name}: reply texts in examples",
                     check_reply_texts(report, server))
    got_domains = domain_counts(report)
    problems = []
    for domain in sorted(set(got_domains) | set(want.domains)):
        problems += compare(f"domains[{domain}]",
                            got_domains.get(domain, {}),
                            want.domains.get(domain, {}))
    checks.check(f"{name}: domains", problems)

    nonzero = {k: v for k, v in report["totals"].items() if v}
    print(f"# {name}: {source['lines']} lines; totals {nonzero}")


def leftover_processes(markers):
    """Return the processes whose command line contains one of MARKERS,
    the configuration paths given to the daemons."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().replace(b"\0", b" ").decode("utf-8",
                                                           "replace")
        except OSError:
            continue
        if any(marker in argv for marker in markers):
            found.append(f"{entry}: {argv.strip()}")
    return found


def inside(bouncelog, workdir, exim_binary):
    """Run the scenario against each MTA; return the exit status."""
    loopback_up()
    become_subreaper()
    signal.signal(signal.SIGTERM, on_sigterm)
    checks = Checks()

    servers = [mta.Postfix(os.path.join(workdir, "postfix")),
               mta.Exim(os.path.join(workdir, "exim"), exim_binary)]
    for server in servers:
        shutil.rmtree(server.workdir, ignore_errors=True)
        os.makedirs(server.workdir)
        server.configure()
        expected = scenario.expected(server.name)
        try:
            exercise(server, expected, checks)
        except (OSError, RuntimeError, smtplib.SMTPException) as error:
            checks.check(f"{server.name}: scenario ran", [repr(error)])
            continue
        for log in server.logs():
            check_log(bouncelog, server, log, checks)

    checks.check("no daemon left running",
                 leftover_processes([server.marker for server in servers]))
    print(f"checks: {checks.passed} of {checks.passed + checks.failed} "
          "passed")
    return 1 if checks.failed else 0


def main(argv):
    if len(argv) == 5 and argv[1] == "--inside":
        return inside(os.path.abspath(argv[2]), os.path.abspath(argv[3]),
                      argv[4])
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    workdir = os.path.abspath(argv[2])
    os.makedirs(workdir, exist_ok=True)
    return outside(os.path.abspath(argv[1]), workdir)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
