#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the Postfix fixture logs and the counts a correct parser must report.

Usage: fixture-truth.py [OUTDIR]

OUTDIR defaults to fixtures/postfix in the repository that contains this
script.  For every fixture NAME.log the script also writes
NAME.log.expected.json, the name tests/fixture_truth.py looks for.

Each log is built from a scripted story below.  Every line that matters
for counting is emitted together with its meaning (status, recipient,
sender, remote host, reply code, enhanced code).  The expected counts are
computed from those meanings in file order, never by parsing the
generated text.  The output is identical on every run.

Only reserved names and addresses are used: example.com/.net/.org, *.example,
localhost, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32 and
loopback.
"""
import hashlib
import json
import os
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
PLUS3 = timezone(timedelta(hours=3))
MINUS5 = timezone(timedelta(hours=-5))

TLS_IN = ("TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) "
          "key-exchange X25519 server-signature RSA-PSS (2048 bits) "
          "server-digest SHA256")
TLS_OUT = ("TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) "
           "key-exchange X25519 server-signature ECDSA (P-256) "
           "server-digest SHA256")


# ---------------------------------------------------------------------------
# Formatting helpers

def fmt_delay(seconds):
    """Format a delay value as Postfix 3.x logs it.

    Values of 10 s or more are whole seconds, 1 to 10 s get one decimal,
    below 1 s two decimals, and zero is "0".
    """
    if seconds >= 10:
        return str(int(seconds))
    if seconds >= 1:
        text = f"{seconds:.1f}"
    else:
        text = f"{seconds:.2f}"
    text = text.rstrip("0").rstrip(".")
    return text or "0"


def delay_fields(total, qmgr=0.01, conn=0.0, xfer=0.0):
    """Return (delay, delays) strings for a status line.

    The first delays part (time before the queue manager) is whatever is
    left of the total after the other three parts.
    """
    before = max(total - qmgr - conn - xfer, 0.0)
    parts = "/".join(fmt_delay(x) for x in (before, qmgr, conn, xfer))
    return fmt_delay(total), parts


def fmt_offset(when, form):
    offset = when.utcoffset()
    minutes = int(offset.total_seconds() // 60)
    if form == "Z":
        if minutes != 0:
            raise ValueError("Z offset requested for a non-UTC time")
        return "Z"
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    if form == "colon":
        return f"{sign}{hours:02d}:{mins:02d}"
    return f"{sign}{hours:02d}{mins:02d}"


def header(when, form="rfc3339", digits=6, offset="colon", priority=None):
    """Render the syslog header timestamp of one line.

    form is "bsd" (space-padded day), "bsd0" (zero-padded day) or
    "rfc3339" with 0 to 6 fraction digits and an offset written as "colon"
    (+03:00), "nocolon" (+0300) or "Z".
    """
    if form == "bsd":
        text = f"{MONTHS[when.month - 1]} {when.day:2d} {when:%H:%M:%S}"
    elif form == "bsd0":
        text = f"{MONTHS[when.month - 1]} {when.day:02d} {when:%H:%M:%S}"
    else:
        text = f"{when:%Y-%m-%dT%H:%M:%S}"
        if digits:
            text += "." + f"{when.microsecond:06d}"[:digits]
        text += fmt_offset(when, offset)
    if priority is not None:
        text = f"<{priority}>" + text
    return text


def token(seed, length, alphabet):
    """Return a deterministic pseudo-random string derived from seed."""
    digest = hashlib.sha256(seed.encode()).digest()
    while len(digest) < length:
        digest += hashlib.sha256(digest).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:length])


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
HEX = "0123456789abcdef"
ALNUM_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"


def domain_of(address):
    if "@" not in address:
        return ""
    return address.rsplit("@", 1)[1].lower()


# ---------------------------------------------------------------------------
# Fixture container and truth computation

class Fixture:
    """One log file under construction: its lines, their meanings, notes."""

    def __init__(self, name, host="mx1", form=None, sort=True):
        self.name = name
        self.host = host
        self.form = form or {"form": "rfc3339", "digits": 6, "offset": "colon"}
        self.sort = sort
        self.renumber_from = None
        self.rows = []
        self.notes = []
        self.extra = {}

    def emit(self, when, program, pid, message, meaning=None, form=None):
        """Add one syslog line; pid None gives a tag without [pid]."""
        tag = program if pid is None else f"{program}[{pid}]"
        head = header(when, **(form or self.form))
        self.add(when, f"{head} {self.host} {tag}: {message}", meaning)

    def add(self, when, text, meaning=None):
        self.rows.append((when, len(self.rows), text, meaning))

    def ordered(self):
        if not self.sort:
            return list(self.rows)
        rows = sorted(self.rows, key=lambda row: (row[0], row[1]))
        if self.renumber_from:
            rows = renumber_pids(rows, self.renumber_from)
        return rows

    def write(self, outdir):
        rows = self.ordered()
        with open(os.path.join(outdir, self.name + ".log"), "w",
                  encoding="ascii", newline="\n") as out:
            for row in rows:
                out.write(row[2] + "\n")
        truth = compute_truth(self, rows)
        with open(os.path.join(outdir, self.name + ".log.expected.json"), "w",
                  encoding="ascii", newline="\n") as out:
            json.dump(truth, out, indent=2)
            out.write("\n")
        return truth


TRANSIENT_PID = re.compile(r"(\[|<|mpid=)(\d{5})(?=\]: |>|,)")


def renumber_pids(rows, first):
    """Rename the process ids of short-lived processes so that they grow
    with time, as they do on a real host.

    The story hands out ids of 30000 and above in the order it writes the
    flows.  After sorting, each such id is mapped at its first appearance
    to the next free id from first upward.  Long-lived daemons keep their
    lower ids.
    """
    mapping = {}
    next_pid = [first]

    def rename(match):
        old = int(match.group(2))
        if old < 30000:
            return match.group(0)
        if old not in mapping:
            next_pid[0] += 2 + old % 9
            mapping[old] = next_pid[0]
        return f"{match.group(1)}{mapping[old]}"

    return [(when, seq, TRANSIENT_PID.sub(rename, text), meaning)
            for when, seq, text, meaning in rows]


FAILURE_STATUSES = {"deferred", "SOFTBOUNCE", "bounced"}


def compute_truth(fixture, rows):
    """Count the meanings of rows in file order (see the fixtures README)."""
    totals = Counter(delivered=0, deferred=0, bounced=0, expired=0,
                     rejected=0)
    reply_codes = Counter()
    enhanced_codes = Counter()
    domains = defaultdict(Counter)
    senders = defaultdict(Counter)
    hosts = defaultdict(Counter)
    stages = Counter()
    other = Counter(forwarded=0, probes=0, reject_warnings=0, handoffs=0,
                    expired_lines=0, unrecognized_lines=0)
    deferred_rcpts = defaultdict(dict)   # qid -> {rcpt: sender}
    final_rcpts = defaultdict(set)

    for _, _, _, meaning in rows:
        if meaning is None:
            continue
        kind = meaning["kind"]
        if kind == "unrecognized":
            other["unrecognized_lines"] += 1
        elif kind == "status":
            status = meaning["status"]
            qid = meaning["qid"]
            rcpt = meaning["rcpt"]
            sender = meaning["sender"]
            if status == "forwarded":
                other["forwarded"] += 1
                final_rcpts[qid].add(rcpt)
                continue
            if status == "probe":
                other["probes"] += 1
                continue
            if status == "sent":
                key = "delivered"
                final_rcpts[qid].add(rcpt)
                if meaning.get("handoff"):
                    other["handoffs"] += 1
            elif status in ("deferred", "SOFTBOUNCE"):
                key = "deferred"
                deferred_rcpts[qid].setdefault(rcpt, sender)
            elif status == "bounced":
                key = "bounced"
                final_rcpts[qid].add(rcpt)
            else:
                raise ValueError(f"unknown status {status}")
            totals[key] += 1
            domains[domain_of(rcpt) or "(none)"][key] += 1
            senders[sender or "<>"][key] += 1
            if meaning.get("host"):
                hosts[meaning["host"]][key] += 1
            if status in FAILURE_STATUSES:
                if meaning.get("reply"):
                    reply_codes[meaning["reply"]] += 1
                if meaning.get("dsn"):
                    enhanced_codes[meaning["dsn"]] += 1
        elif kind == "expire":
            other["expired_lines"] += 1
            qid = meaning["qid"]
            waiting = [r for r in deferred_rcpts[qid]
                       if r not in final_rcpts[qid]]
            sender = meaning["sender"] or "<>"
            if waiting:
                for rcpt in waiting:
                    domains[domain_of(rcpt) or "(none)"]["expired"] += 1
                    final_rcpts[qid].add(rcpt)
                totals["expired"] += len(waiting)
                senders[sender]["expired"] += len(waiting)
            else:
                totals["expired"] += 1
                domains["(unknown)"]["expired"] += 1
                senders[sender]["expired"] += 1
        elif kind == "reject":
            if meaning.get("warning"):
                other["reject_warnings"] += 1
                continue
            totals["rejected"] += 1
            stages[meaning["stage"]] += 1
            if meaning.get("reply"):
                reply_codes[meaning["reply"]] += 1
            if meaning.get("dsn"):
                enhanced_codes[meaning["dsn"]] += 1
        else:
            raise ValueError(f"unknown meaning {kind}")

    def plain(table):
        return {key: dict(sorted(table[key].items()))
                for key in sorted(table)}

    truth = {
        "file": fixture.name + ".log",
        "lines": len(rows),
        "unrecognized_lines": other["unrecognized_lines"],
        "totals": {key: totals[key] for key in
                   ("delivered", "deferred", "bounced", "expired",
                    "rejected")},
        "reply_codes": dict(sorted(reply_codes.items())),
        "enhanced_codes": dict(sorted(enhanced_codes.items(),
                                      key=lambda kv: dsn_key(kv[0]))),
        "reject_stages": dict(sorted(stages.items())),
        "recipient_domains": plain(domains),
        "senders": plain(senders),
        "remote_hosts": plain(hosts),
        "other": {
            "expired_lines": other["expired_lines"],
            "forwarded": other["forwarded"],
            "probes": other["probes"],
            "reject_warnings": other["reject_warnings"],
            "handoffs": other["handoffs"],
        },
    }
    truth.update(fixture.extra)
    truth["notes"] = " ".join(COMMON_NOTES + fixture.notes)
    return truth


def dsn_key(code):
    return tuple(int(part) for part in code.split("."))


COMMON_NOTES = [
    "Counted from the generator's story in tools/fixture-truth.py, not from"
    " any parser's output.",
    "delivered counts status=sent lines except 'sent (forwarded as ...)'"
    " (other.forwarded) and address-verification probes (other.probes)."
    " status=sent lines that hand a message to a content filter or another"
    " Postfix instance on loopback are still counted as delivered; their"
    " number is other.handoffs.",
    "deferred counts status=deferred and status=SOFTBOUNCE lines, one per"
    " attempt.",
    "expired counts, for each qmgr status=expired or status=force-expired"
    " line, the recipients of that queue id with a deferral and no"
    " sent/bounced status earlier in the file, or 1 when there is none;"
    " other.expired_lines is the number of such qmgr lines.",
    "reply_codes and enhanced_codes count deferred, SOFTBOUNCE and bounced"
    " status lines and reject lines only. On status lines the reply code is"
    " the 3-digit code that starts the text after 'said: ' and the enhanced"
    " code is dsn=. On reject lines both come from the reject text.",
    "recipient_domains, senders and remote_hosts break the status counts"
    " down. remote_hosts is keyed by the host name in relay=host[...] and"
    " leaves out relay=none, local, virtual and pipe transport names."
    " Expired recipients are attributed to their domain, or to '(unknown)'"
    " when the file shows no deferral for that queue id. senders uses the"
    " envelope sender from the qmgr from= line, '<>' for the null sender.",
]


# ---------------------------------------------------------------------------
# Shared line builders

def status_message(qid, rcpt, relay, delay, delays, dsn, status, reason,
                   orig_to=None, conn_use=None, tls=None, angle=True,
                   close=True):
    """Build the text of a delivery status line after the program tag."""
    fields = [f"to=<{rcpt}>" if angle else f"to={rcpt}"]
    if orig_to:
        fields.append(f"orig_to=<{orig_to}>")
    fields.append(f"relay={relay}")
    if conn_use:
        fields.append(f"conn_use={conn_use}")
    fields.append(f"delay={delay}")
    fields.append(f"delays={delays}")
    if tls:
        fields.append(f"tls={tls}")
    fields.append(f"dsn={dsn}")
    tail = f"status={status} ({reason}" + (")" if close else "")
    fields.append(tail)
    return f"{qid}: " + ", ".join(fields)


def remote_reason(host, ip, reply, command):
    """Build the status reason Postfix logs for a remote server's reply."""
    text = f"host {host}[{ip}] said: {reply}"
    if command:
        text += f" (in reply to {command} command)"
    return text


def status_meaning(status, qid, rcpt, sender, host=None, reply=None,
                   dsn=None, handoff=False):
    return {"kind": "status", "status": status, "qid": qid, "rcpt": rcpt,
            "sender": sender, "host": host, "reply": reply, "dsn": dsn,
            "handoff": handoff}


def check_reply(reason, reply):
    """Raise ValueError unless the stated reply code occurs in the text,
    which catches typos in the story."""
    if reply and f"said: {reply}" not in reason and \
            not reason.startswith(reply) and f": {reply} " not in reason:
        raise ValueError(f"reply {reply} not found in {reason!r}")


class Clock:
    """A time cursor: each call moves it forward by the given seconds."""

    def __init__(self, start):
        self.now = start

    def __call__(self, seconds=0.0):
        self.now = self.now + timedelta(seconds=seconds)
        return self.now


class Pids:
    """Process id source: fixed ids for long-lived daemons, a growing
    counter for per-connection processes."""

    def __init__(self, start=30000):
        self.next = start
        self.fixed = {}

    def new(self, step=37):
        self.next += step
        return self.next

    def of(self, name, pid):
        return self.fixed.setdefault(name, pid)


class ShortIds:
    """Short queue ids as Postfix forms them: 5 hex digits of the
    microsecond clock followed by the queue file's inode number in hex."""

    def __init__(self, inode):
        self.inode = inode

    def new(self, when):
        self.inode += 0x35
        return f"{when.microsecond & 0xFFFFF:05X}{self.inode:X}"


# ---------------------------------------------------------------------------
# sample.log: one day on mx1.example.com

OUR_IP4 = "203.0.113.10"
OUR_IP6 = "2001:db8:10::10"
OUR_NAME = "mx1.example.com"

REMOTE = {
    "net": ("mx.example.net", "192.0.2.25"),
    "org": ("mx1.example.org", "2001:db8:1::25"),
    "big4": ("mx-in.bigmail.example", "198.51.100.27"),
    "big6": ("mx-in.bigmail.example", "2001:db8:4860::1b"),
    "oldisp": ("mail.oldisp.example", "203.0.113.40"),
    "corp": ("corp-example.inbound.cloudmail.example", "198.51.100.140"),
    "school": ("mx.school.example", "203.0.113.61"),
    "guard": ("in.mailguard.example", "198.51.100.77"),
    "slow1": ("mx.slow.example", "203.0.113.50"),
    "slow2": ("mx2.slow.example", "203.0.113.51"),
    "shop": ("mx.shop.example", "198.51.100.200"),
    "legacy": ("mail.legacy.example", "192.0.2.70"),
}


class Message:
    def __init__(self, qid, sender, rcpts, arrival, size):
        self.qid = qid
        self.sender = sender
        self.rcpts = list(rcpts)
        self.arrival = arrival
        self.size = size
        self.final = set()
        self.msgid = None


class Day:
    """The sample day's story: helpers that write whole message flows."""

    def __init__(self):
        self.fx = Fixture("sample")
        self.fx.renumber_from = 3100
        self.pids = Pids(41000)
        self.ids = ShortIds(0x2A41B)
        self.qmgr = 1187
        self.postscreen = 1185
        self.pickup = 1186
        self.seq = 0

    def t(self, hhmmss, day=19, month=11, year=2024):
        hh, mm, ss = (int(x) for x in hhmmss.split(":"))
        self.seq += 1
        micro = (self.seq * 7919 * 104729 + 12345) % 900000 + 50000
        return datetime(year, month, day, hh, mm, ss, micro, tzinfo=PLUS3)

    def emit(self, when, program, pid, message, meaning=None):
        self.fx.emit(when, program, pid, message, meaning)

    def msgid(self, seed, domain="example.com"):
        return f"{token(seed, 8, HEX)}-{token(seed + 'b', 4, HEX)}-" \
               f"{token(seed + 'c', 4, HEX)}-{token(seed + 'd', 4, HEX)}-" \
               f"{token(seed + 'e', 12, HEX)}@{domain}"

    # -- inbound mail from the Internet to local mailboxes ----------------

    def inbound(self, start, client, ip, sender, rcpts, size, port,
                verdict="PASS OLD", dkim="pass", helo=None):
        c = Clock(start)
        fx = self.fx
        self.emit(c(), "postfix/postscreen", self.postscreen,
                  f"CONNECT from [{ip}]:{port} to [{our_ip(ip)}]:25")
        self.emit(c(0.112), "postfix/postscreen", self.postscreen,
                  f"{verdict} [{ip}]:{port}")
        pid = self.pids.new()
        self.emit(c(0.004), "postfix/smtpd", pid,
                  f"connect from {client}[{ip}]")
        self.emit(c(0.041), "postfix/smtpd", pid,
                  f"Anonymous TLS connection established from "
                  f"{client}[{ip}]: {TLS_IN}")
        qid = self.ids.new(c(0.087))
        self.emit(c.now, "postfix/smtpd", pid, f"{qid}: client={client}[{ip}]")
        msgid = self.msgid(qid, domain_of(sender))
        self.emit(c(0.052), "postfix/cleanup", self.pids.new(3),
                  f"{qid}: message-id=<{msgid}>")
        if dkim == "pass":
            self.emit(c(0.013), "opendkim", 904,
                      f"{qid}: {client} [{ip}] not internal")
            self.emit(c(0.022), "opendkim", 904,
                      f"{qid}: DKIM verification successful")
        elif dkim == "none":
            self.emit(c(0.013), "opendkim", 904,
                      f"{qid}: {client} [{ip}] not internal")
            self.emit(c(0.001), "opendkim", 904, f"{qid}: not authenticated")
        self.emit(c(0.019), "postfix/qmgr", self.qmgr,
                  f"{qid}: from=<{sender}>, size={size}, "
                  f"nrcpt={len(rcpts)} (queue active)")
        n = len(rcpts)
        self.emit(c(0.031), "postfix/smtpd", pid,
                  f"disconnect from {client}[{ip}] ehlo=2 starttls=1 mail=1 "
                  f"rcpt={n} data=1 quit=1 commands={6 + n}")
        arrival = start
        lpid = self.pids.new(5)
        dpid = self.pids.new(3)
        for rcpt in rcpts:
            session = token(qid + rcpt, 22, B64.replace("+", "").replace(
                "/", ""))
            when = c(0.28)
            delay, delays = delay_fields(
                (when - arrival).total_seconds(), 0.01, 0.02, 0.09)
            self.emit(when, "dovecot", None,
                      f"lmtp({rcpt})<{dpid}><{session}>: "
                      f"msgid=<{msgid}>: "
                      f"saved mail to INBOX")
            reason = f"250 2.0.0 <{rcpt}> {session} Saved"
            self.emit(c(0.003), "postfix/lmtp", lpid, status_message(
                qid, rcpt, f"{OUR_NAME}[private/dovecot-lmtp]", delay,
                delays, "2.0.0", "sent", reason),
                status_meaning("sent", qid, rcpt, sender, OUR_NAME))
        self.emit(c(0.001), "postfix/qmgr", self.qmgr, f"{qid}: removed")
        return qid

    # -- outbound mail ------------------------------------------------------

    def submit(self, start, user, client, ip, rcpts, size):
        """Write the lines of a message an authenticated user submits on the
        submission port, and return the message."""
        c = Clock(start)
        pid = self.pids.new()
        self.emit(c(), "postfix/submission/smtpd", pid,
                  f"connect from {client}[{ip}]")
        self.emit(c(0.063), "postfix/submission/smtpd", pid,
                  f"Anonymous TLS connection established from "
                  f"{client}[{ip}]: {TLS_IN}")
        qid = self.ids.new(c(0.21))
        self.emit(c.now, "postfix/submission/smtpd", pid,
                  f"{qid}: client={client}[{ip}], sasl_method=PLAIN, "
                  f"sasl_username={user}")
        msgid = self.msgid(qid)
        self.emit(c(0.044), "postfix/cleanup", self.pids.new(3),
                  f"{qid}: message-id=<{msgid}>")
        self.emit(c(0.011), "opendkim", 904,
                  f"{qid}: DKIM-Signature field added (s=mail2024, "
                  f"d=example.com)")
        self.emit(c(0.016), "postfix/qmgr", self.qmgr,
                  f"{qid}: from=<{user}>, size={size}, "
                  f"nrcpt={len(rcpts)} (queue active)")
        n = len(rcpts)
        self.emit(c(0.012), "postfix/submission/smtpd", pid,
                  f"disconnect from {client}[{ip}] ehlo=2 starttls=1 auth=1 "
                  f"mail=1 rcpt={n} data=1 quit=1 commands={7 + n}")
        msg = Message(qid, user, rcpts, start, size)
        msg.msgid = msgid
        return msg, c.now

    def pickup_msg(self, start, uid, login, sender, rcpts, size,
                   msgid_domain=OUR_NAME):
        """Write the lines of a message a local program hands to sendmail(1),
        and return the message."""
        c = Clock(start)
        qid = self.ids.new(start)
        self.emit(c(), "postfix/pickup", self.pickup,
                  f"{qid}: uid={uid} from=<{login}>")
        stamp = start.strftime("%Y%m%d%H%M%S")
        msgid = f"{stamp}.{qid}@{msgid_domain}"
        self.emit(c(0.006), "postfix/cleanup", self.pids.new(3),
                  f"{qid}: message-id=<{msgid}>")
        self.emit(c(0.009), "postfix/qmgr", self.qmgr,
                  f"{qid}: from=<{sender}>, size={size}, "
                  f"nrcpt={len(rcpts)} (queue active)")
        msg = Message(qid, sender, rcpts, start, size)
        msg.msgid = msgid
        return msg, c.now

    def queue_active(self, when, msg, nrcpt=None):
        self.emit(when, "postfix/qmgr", self.qmgr,
                  f"{msg.qid}: from=<{msg.sender}>, size={msg.size}, "
                  f"nrcpt={nrcpt or len(msg.rcpts)} (queue active)")

    def smtp_result(self, c, msg, rcpt, status, hostkey, reason, dsn,
                    reply=None, conn=0.21, xfer=0.34, tls=True, pid=None,
                    note_tls=True):
        """Write one smtp(8) status line for a remote reply, which may be
        the 250 of a delivery."""
        host, ip = REMOTE[hostkey]
        pid = pid or self.pids.new(11)
        if tls and note_tls:
            self.emit(c(conn), "postfix/smtp", pid,
                      f"Verified TLS connection established to "
                      f"{host}[{ip}]:25: {TLS_OUT}")
        check_reply(reason, reply)
        when = c(xfer)
        delay, delays = delay_fields((when - msg.arrival).total_seconds(),
                                     0.01, conn, xfer)
        relay = f"{host}[{ip}]:25"
        self.emit(when, "postfix/smtp", pid, status_message(
            msg.qid, rcpt, relay, delay, delays, dsn, status, reason),
            status_meaning(status, msg.qid, rcpt, msg.sender, host, reply,
                           dsn))
        if status in ("sent", "bounced"):
            msg.final.add(rcpt)
        return pid

    def sent(self, c, msg, rcpt, hostkey, **kw):
        remote_id = token(msg.qid + rcpt, 10, "0123456789ABCDEF")
        if hostkey.startswith("big"):
            reason = (f"250 2.0.0 OK  {int(c.now.timestamp())} "
                      f"{token(rcpt, 12, ALNUM_LOWER)}"
                      f".{int(c.now.timestamp()) % 997} - gsmtp")
        else:
            reason = f"250 2.0.0 Ok: queued as {remote_id}"
        return self.smtp_result(c, msg, rcpt, "sent", hostkey, reason,
                                "2.0.0", **kw)

    def failed(self, c, msg, rcpt, status, hostkey, reply, dsn, text,
               command, **kw):
        host, ip = REMOTE[hostkey]
        reason = remote_reason(host, ip, text, command)
        return self.smtp_result(c, msg, rcpt, status, hostkey, reason, dsn,
                                reply=reply, **kw)

    def timeout(self, c, msg, rcpts, hostkeys=("slow1", "slow2"), pid=None):
        """Write deferrals after every MX host timed out.  Postfix writes
        the reason itself, so there is no reply code."""
        pid = pid or self.pids.new(11)
        for key in hostkeys:
            host, ip = REMOTE[key]
            self.emit(c(30.0), "postfix/smtp", pid,
                      f"connect to {host}[{ip}]:25: Connection timed out")
        host, ip = REMOTE[hostkeys[-1]]
        for rcpt in rcpts:
            when = c(0.001)
            delay, delays = delay_fields((when - msg.arrival).total_seconds(),
                                         0.02, 30.0 * len(hostkeys), 0)
            self.emit(when, "postfix/smtp", pid, status_message(
                msg.qid, rcpt, "none", delay, delays, "4.4.1", "deferred",
                f"connect to {host}[{ip}]:25: Connection timed out"),
                status_meaning("deferred", msg.qid, rcpt, msg.sender, None,
                               None, "4.4.1"))

    def suspended(self, c, msg, rcpt, hostkey="slow2"):
        """Write a deferral by error(8) while the destination is marked
        dead."""
        host, ip = REMOTE[hostkey]
        when = c(0.004)
        delay, delays = delay_fields((when - msg.arrival).total_seconds(),
                                     0.01, 0, 0)
        self.emit(when, "postfix/error", self.pids.new(7), status_message(
            msg.qid, rcpt, "none", delay, delays, "4.4.1", "deferred",
            f"delivery temporarily suspended: connect to {host}[{ip}]:25: "
            f"Connection timed out"),
            status_meaning("deferred", msg.qid, rcpt, msg.sender, None, None,
                           "4.4.1"))

    def lmtp_sent(self, c, msg, rcpt):
        session = token(msg.qid + rcpt, 22, B64[:62])
        when = c(0.27)
        self.emit(when, "dovecot", None,
                  f"lmtp({rcpt})<{self.pids.new(3)}><{session}>: "
                  f"msgid=<{msg.msgid}>: saved mail to INBOX")
        delay, delays = delay_fields((when - msg.arrival).total_seconds(),
                                     0.01, 0.01, 0.08)
        self.emit(c(0.002), "postfix/lmtp", self.pids.new(5), status_message(
            msg.qid, rcpt, f"{OUR_NAME}[private/dovecot-lmtp]", delay,
            delays, "2.0.0", "sent",
            f"250 2.0.0 <{rcpt}> {session} Saved"),
            status_meaning("sent", msg.qid, rcpt, msg.sender, OUR_NAME))
        msg.final.add(rcpt)

    def local_result(self, c, msg, rcpt, status, dsn, reason, orig_to=None):
        when = c(0.012)
        delay, delays = delay_fields((when - msg.arrival).total_seconds(),
                                     0.01, 0, 0.01)
        self.emit(when, "postfix/local", self.pids.new(5), status_message(
            msg.qid, rcpt, "local", delay, delays, dsn, status, reason,
            orig_to=orig_to),
            status_meaning(status, msg.qid, rcpt, msg.sender, None, None,
                           dsn))
        msg.final.add(rcpt)

    def removed(self, c, msg):
        self.emit(c(0.001), "postfix/qmgr", self.qmgr, f"{msg.qid}: removed")

    def ndr(self, c, msg, remove=False):
        """Write the bounce daemon's non-delivery notification to the
        sender and its local delivery."""
        ndr_qid = self.ids.new(c(0.004))
        stamp = c.now.strftime("%Y%m%d%H%M%S")
        msgid = f"{stamp}.{ndr_qid}@{OUR_NAME}"
        self.emit(c.now, "postfix/cleanup", self.pids.new(3),
                  f"{ndr_qid}: message-id=<{msgid}>")
        self.emit(c(0.002), "postfix/bounce", self.pids.new(3),
                  f"{msg.qid}: sender non-delivery notification: {ndr_qid}")
        ndr = Message(ndr_qid, "", [msg.sender], c.now, 2900 + msg.size % 4000)
        ndr.msgid = msgid
        self.emit(c(0.003), "postfix/qmgr", self.qmgr,
                  f"{ndr_qid}: from=<>, size={ndr.size}, nrcpt=1 "
                  f"(queue active)")
        if remove:
            self.removed(c, msg)
        if msg.sender.endswith("@" + OUR_NAME):
            self.local_result(c, ndr, msg.sender, "sent", "2.0.0",
                              "delivered to mailbox")
        else:
            self.lmtp_sent(c, ndr, msg.sender)
        self.removed(c, ndr)

    def expire(self, c, msg, force=False):
        word = "force-expired" if force else "expired"
        self.emit(c(0.002), "postfix/qmgr", self.qmgr,
                  f"{msg.qid}: from=<{msg.sender}>, status={word}, "
                  f"returned to sender",
                  {"kind": "expire", "qid": msg.qid, "sender": msg.sender})
        self.ndr(c, msg, remove=True)

    # -- rejects and noise --------------------------------------------------

    def reject(self, when, program, pid, message, stage, reply, dsn,
               warning=False):
        check_reply(message, reply)
        self.emit(when, program, pid, message,
                  {"kind": "reject", "stage": stage, "reply": reply,
                   "dsn": dsn, "warning": warning})

    def bot(self, start, ip, port, rank=2, hangup=False):
        """Write a spam bot's session, which postscreen ends before smtpd
        gets the connection."""
        c = Clock(start)
        self.emit(c(), "postfix/postscreen", self.postscreen,
                  f"CONNECT from [{ip}]:{port} to [{our_ip(ip)}]:25")
        pid = self.pids.new(2)
        for answer in ("127.0.0.2", "127.0.0.4")[:max(rank - 1, 1)]:
            self.emit(c(0.09), "postfix/dnsblog", pid,
                      f"addr {ip} listed by domain zen.example.org as "
                      f"{answer}")
        if hangup:
            self.emit(c(1.3), "postfix/postscreen", self.postscreen,
                      f"HANGUP after 1.4 from [{ip}]:{port} in tests before "
                      f"SMTP handshake")
            self.emit(c(0.001), "postfix/postscreen", self.postscreen,
                      f"DNSBL rank {rank} for [{ip}]:{port}")
        else:
            self.emit(c(0.12), "postfix/postscreen", self.postscreen,
                      f"PREGREET 14 after 0.21 from [{ip}]:{port}: "
                      f"EHLO localhost\\r\\n")
            self.emit(c(0.001), "postfix/postscreen", self.postscreen,
                      f"DNSBL rank {rank} for [{ip}]:{port}")
        self.emit(c(0.44), "postfix/postscreen", self.postscreen,
                  f"DISCONNECT [{ip}]:{port}")

    def anvil(self, when, service, ip, at, count=1, rate=1):
        pid = self.pids.fixed.setdefault("anvil", 1190)
        stamp = f"{MONTHS[at.month - 1]} {at.day} {at:%H:%M:%S}"
        self.emit(when, "postfix/anvil", pid,
                  f"statistics: max connection rate {rate}/60s for "
                  f"({service}:{ip}) at {stamp}")
        self.emit(when + timedelta(microseconds=310), "postfix/anvil", pid,
                  f"statistics: max connection count {count} for "
                  f"({service}:{ip}) at {stamp}")
        self.emit(when + timedelta(microseconds=540), "postfix/anvil", pid,
                  f"statistics: max cache size 1 at {stamp}")

    def imap_session(self, when, user, ip, minutes):
        pid = self.pids.new(9)
        session = token(user + str(when), 16, B64[:62])
        self.emit(when, "dovecot", None,
                  f"imap-login: Login: user=<{user}>, method=PLAIN, "
                  f"rip={ip}, lip={our_ip(ip)}, mpid={pid}, TLS, "
                  f"session=<{session}>")
        end = when + timedelta(minutes=minutes, seconds=17)
        self.emit(end, "dovecot", None,
                  f"imap({user})<{pid}><{session}>: Disconnected: "
                  f"Logged out in=1207 out=48316 deleted=0 expunged=0 "
                  f"trashed=0 hdr_count=12 hdr_bytes=5120 body_count=3 "
                  f"body_bytes=40211")


def our_ip(client_ip):
    return OUR_IP6 if ":" in client_ip else OUR_IP4


def build_sample():
    d = Day()
    fx = d.fx
    T = d.t

    # Background: bots turned away by postscreen, spread over the day.
    for i, (hhmmss, ip, rank, hangup) in enumerate([
            ("00:03:12", "203.0.113.201", 3, False),
            ("02:47:40", "198.51.100.66", 2, True),
            ("05:13:05", "203.0.113.202", 3, False),
            ("08:31:44", "192.0.2.199", 2, False),
            ("13:02:19", "203.0.113.203", 3, True),
            ("21:15:30", "203.0.113.204", 3, False)]):
        d.bot(T(hhmmss), ip, 40112 + 977 * i, rank, hangup)

    # Inbound mail to local mailboxes.
    d.inbound(T("00:12:04"), "o12.mailer.shop.example", "198.51.100.201",
              "billing@shop.example", ["alice@example.com"], 18734, 52110)
    d.anvil(T("00:22:05"), "smtp", "198.51.100.201", T("00:12:04"))
    d.inbound(T("07:41:09"), "mail-out.example.net", "192.0.2.30",
              "colleague@example.net", ["bob@example.com", "can@example.com"],
              40211, 39544, dkim="none")
    d.inbound(T("08:15:27"), "smtp.example.org", "2001:db8:1::30",
              "newsletter@example.org", ["dilek@example.com"], 61250, 43021)
    d.anvil(T("08:25:28"), "smtp", "2001:db8:1::30", T("08:15:27"))
    d.inbound(T("09:02:55"), "mail-out.example.net", "192.0.2.30",
              "colleague@example.net", ["alice@example.com"], 8121, 39610,
              dkim="none")
    d.inbound(T("12:31:48"), "relay.bank.example", "198.51.100.33",
              "statements@bank.example", ["erdem@example.com"], 153020,
              51877, verdict="PASS NEW")
    d.inbound(T("15:09:13"), "smtp.example.org", "2001:db8:1::30",
              "events@example.org", ["bob@example.com", "alice@example.com"],
              24455, 44780)
    d.anvil(T("15:19:14"), "smtp", "2001:db8:1::30", T("15:09:13"))
    d.inbound(T("18:44:02"), "o12.mailer.shop.example", "198.51.100.201",
              "billing@shop.example", ["can@example.com"], 19002, 52993)
    d.inbound(T("22:06:37"), "mail-out.example.net", "192.0.2.30",
              "colleague@example.net", ["dilek@example.com"], 6642, 40001,
              dkim="none")

    # Users reading mail.
    d.imap_session(T("07:58:40"), "alice@example.com", "198.51.100.150", 42)
    d.imap_session(T("08:05:11"), "bob@example.com", "2001:db8:77::a", 95)
    d.imap_session(T("13:20:02"), "dilek@example.com", "198.51.100.151", 8)
    d.imap_session(T("19:30:45"), "can@example.com", "203.0.113.152", 21)

    # amavis restarts after the nightly signature update.  No mail passes
    # through it on this host, so only its own lines appear.
    fx.emit(T("06:25:03"), "amavis", 1402,
            "(!)Net::Server: 2024/11/19-06:25:03 Server closing!")
    fx.emit(T("06:25:05"), "amavis", 2931,
            "starting. /usr/sbin/amavisd at mx1.example.com amavis-2.13.0 "
            "(20230106), Unicode aware, LC_CTYPE=\"C.UTF-8\"")
    fx.emit(T("06:25:06"), "amavis", 2931,
            "Module Mail::SpamAssassin 4.000000")

    # E1: queued five days ago for two recipients at slow.example, whose
    # MX hosts stay unreachable.  It expires on the 04:02 attempt.
    e1 = Message("3C7D51A2E90", "can@example.com",
                 ["ops@slow.example", "noc@slow.example"],
                 datetime(2024, 11, 14, 3, 50, 12, 410000, tzinfo=PLUS3),
                 27110)
    for hhmmss in ("01:48:31", "02:55:11", "04:02:16"):
        c = Clock(T(hhmmss))
        d.queue_active(c(), e1)
        d.timeout(c, e1, e1.rcpts)
    d.expire(c, e1)

    # E2: queued five days ago for two recipients at example.net.  One was
    # delivered before this log starts, and the other's mailbox stays full.
    e2 = Message("8B02F44C1D3", "alice@example.com",
                 ["sevgi@example.net", "tarik@example.net"],
                 datetime(2024, 11, 14, 2, 10, 40, 77000, tzinfo=PLUS3),
                 120311)
    c = Clock(T("01:05:02"))
    d.queue_active(c(), e2, nrcpt=2)
    d.failed(c, e2, "sevgi@example.net", "deferred", "net", "452", "4.2.2",
             "452 4.2.2 <sevgi@example.net>: Mailbox full, try again later",
             "RCPT TO")
    c = Clock(T("02:12:44"))
    d.queue_active(c(), e2, nrcpt=2)
    d.failed(c, e2, "sevgi@example.net", "deferred", "net", "452", "4.2.2",
             "452 4.2.2 <sevgi@example.net>: Mailbox full, try again later",
             "RCPT TO")
    d.expire(c, e2)

    # Cron mail from root, delivered to the local mailbox.
    msg, now = d.pickup_msg(T("06:25:01"), 0, "root", "root@" + OUR_NAME,
                            ["root@" + OUR_NAME], 1877)
    c = Clock(now)
    d.local_result(c, msg, "root@" + OUR_NAME, "sent", "2.0.0",
                   "delivered to mailbox", orig_to="root")
    d.removed(c, msg)

    # Cron mail from the backup user to a login that does not exist.
    msg, now = d.pickup_msg(T("03:30:02"), 1002, "backup",
                            "backup@" + OUR_NAME, ["bkpadmin@" + OUR_NAME],
                            1420)
    c = Clock(now)
    d.local_result(c, msg, "bkpadmin@" + OUR_NAME, "bounced", "5.1.1",
                   'unknown user: "bkpadmin"', orig_to="bkpadmin")
    d.ndr(c, msg, remove=True)

    # M1: greylisted at example.org, delivered on the retry (IPv6 relay).
    m1, now = d.submit(T("08:40:17"), "alice@example.com",
                       "dsl-150.isp.example", "198.51.100.150",
                       ["friend@example.org"], 5412)
    c = Clock(now)
    d.failed(c, m1, "friend@example.org", "deferred", "org", "451", "4.7.1",
             "451 4.7.1 <friend@example.org>: Recipient address rejected: "
             "Greylisted, please try again in 300 seconds", "RCPT TO")
    c = Clock(T("08:46:02"))
    d.queue_active(c(), m1)
    d.sent(c, m1, "friend@example.org", "org")
    d.removed(c, m1)

    # M2: two recipients, both delivered on the first attempt.
    m2, now = d.submit(T("08:52:40"), "bob@example.com",
                       "dsl-77.isp.example", "2001:db8:77::a",
                       ["gul@example.net", "yasemin@bigmail.example"], 33210)
    c = Clock(now)
    d.sent(c, m2, "gul@example.net", "net")
    d.sent(c, m2, "yasemin@bigmail.example", "big6")
    d.removed(c, m2)

    # M3: slow.example is down this morning, then recovers.
    m3, now = d.submit(T("09:58:30"), "can@example.com",
                       "dsl-152.isp.example", "203.0.113.152",
                       ["info@slow.example"], 9321)
    c = Clock(now)
    d.timeout(c, m3, m3.rcpts)

    # The newsletter: one message to 14 recipients, from a local program.
    news, now = d.pickup_msg(T("10:00:00"), 1001, "newsletter",
                             "newsletter@example.com", [
                                 "anna@bigmail.example",
                                 "ben@bigmail.example",
                                 "cem@bigmail.example",
                                 "deniz@bigmail.example",
                                 "old.user@oldisp.example",
                                 "former@oldisp.example",
                                 "emre@example.net",
                                 "fatma@example.net",
                                 "gul@example.net",
                                 "hakan@corp.example",
                                 "ilker@school.example",
                                 "jale@partner.example",
                                 "kerem@slow.example",
                                 "leyla@example.org"], 48120)
    c = Clock(now)
    d.suspended(c, news, "kerem@slow.example")
    pid = d.failed(c, news, "anna@bigmail.example", "deferred", "big4",
                   "421", "4.7.0",
                   "421 4.7.0 [RL12] Too many messages from 203.0.113.10 "
                   "in a short time, try again later", "MAIL FROM")
    d.failed(c, news, "ben@bigmail.example", "deferred", "big4", "421",
             "4.7.0",
             "421 4.7.0 [RL12] Too many messages from 203.0.113.10 in a "
             "short time, try again later", "MAIL FROM", pid=pid,
             note_tls=False, conn=0, xfer=0.001)
    pid = d.failed(c, news, "cem@bigmail.example", "bounced", "big6", "550",
                   "5.7.1",
                   "550-5.7.1 [2001:db8:10::10      19] This message looks "
                   "like unsolicited bulk 550-5.7.1 mail and was not "
                   "accepted. Read https://help.bigmail.example/bulk?hl=en "
                   "550-5.7.1 for the sender requirements. To keep "
                   "delivering, 550-5.7.1 authenticate your mail and honor "
                   "unsubscribe requests. 550 5.7.1  "
                   "x9c2k4m7p1q3.218 - gsmtp", "end of DATA")
    d.sent(c, news, "deniz@bigmail.example", "big6", pid=pid,
           note_tls=False)
    pid = d.failed(c, news, "old.user@oldisp.example", "bounced", "oldisp",
                   "550", "5.0.0",
                   "550 sorry, this address has no mailbox here (#5.1.1)",
                   "RCPT TO", tls=False)
    d.failed(c, news, "former@oldisp.example", "bounced", "oldisp", "550",
             "5.0.0", "550 sorry, this address has no mailbox here (#5.1.1)",
             "RCPT TO", pid=pid, tls=False, conn=0, xfer=0.02)
    pid = d.failed(c, news, "emre@example.net", "bounced", "net", "550",
                   "5.1.1",
                   "550 5.1.1 <emre@example.net>: Recipient address "
                   "rejected: User unknown in virtual mailbox table",
                   "RCPT TO")
    d.failed(c, news, "fatma@example.net", "bounced", "net", "552", "5.2.2",
             "552 5.2.2 <fatma@example.net>: Mailbox full", "RCPT TO",
             pid=pid, note_tls=False, conn=0, xfer=0.01)
    d.sent(c, news, "gul@example.net", "net", pid=pid, note_tls=False,
           conn=0)
    d.sent(c, news, "hakan@corp.example", "corp")
    d.failed(c, news, "ilker@school.example", "bounced", "school", "550",
             "5.0.0", "550 #5.1.0 Address rejected.", "RCPT TO", tls=False)
    d.failed(c, news, "jale@partner.example", "bounced", "guard", "554",
             "5.7.1",
             "554 5.7.1 Message rejected as spam by content filter, "
             "reference 7f3a91c2", "end of DATA")
    d.failed(c, news, "leyla@example.org", "deferred", "org", "451", "4.7.1",
             "451 4.7.1 <leyla@example.org>: Recipient address rejected: "
             "Greylisted, please try again in 300 seconds", "RCPT TO")
    d.ndr(c, news)

    c = Clock(T("10:04:12"))
    d.queue_active(c(), m3)
    d.timeout(c, m3, m3.rcpts)

    c = Clock(T("10:05:40"))
    d.queue_active(c(), news, nrcpt=14)
    d.suspended(c, news, "kerem@slow.example")
    d.sent(c, news, "anna@bigmail.example", "big6")
    d.failed(c, news, "ben@bigmail.example", "deferred", "big4", "421",
             "4.7.0",
             "421 4.7.0 [RL12] Too many messages from 203.0.113.10 in a "
             "short time, try again later", "MAIL FROM")
    d.sent(c, news, "leyla@example.org", "org")

    c = Clock(T("10:14:45"))
    d.queue_active(c(), m3)
    d.suspended(c, m3, "info@slow.example")

    c = Clock(T("10:16:30"))
    d.queue_active(c(), news, nrcpt=14)
    d.timeout(c, news, ["kerem@slow.example"])
    d.sent(c, news, "ben@bigmail.example", "big6")

    c = Clock(T("10:35:50"))
    d.queue_active(c(), m3)
    d.timeout(c, m3, m3.rcpts)

    c = Clock(T("10:38:00"))
    d.queue_active(c(), news, nrcpt=14)
    d.timeout(c, news, ["kerem@slow.example"])

    c = Clock(T("11:42:30"))
    d.queue_active(c(), m3)
    d.sent(c, m3, "info@slow.example", "slow1")
    d.removed(c, m3)
    c = Clock(T("11:44:40"))
    d.queue_active(c(), news, nrcpt=14)
    d.sent(c, news, "kerem@slow.example", "slow1")
    d.removed(c, news)

    # E3: a message an administrator held, then force-expired and released.
    c = Clock(T("11:19:58"))
    pid = d.pids.new()
    d.emit(c(), "postfix/postsuper", pid, "4F09B33E6A1: released from hold")
    d.emit(c(0.001), "postfix/postsuper", pid, "Released from hold: 1 message")
    e3 = Message("4F09B33E6A1", "dilek@example.com", ["sales@shop.example"],
                 datetime(2024, 11, 18, 16, 2, 9, 0, tzinfo=PLUS3), 2202411)
    d.queue_active(c(5.9), e3)
    d.expire(c, e3, force=True)

    # M4: unknown recipient at example.net.
    m4, now = d.submit(T("11:03:07"), "dilek@example.com",
                       "dsl-151.isp.example", "198.51.100.151",
                       ["unknown.person@example.net"], 7740)
    c = Clock(now)
    d.failed(c, m4, "unknown.person@example.net", "bounced", "net", "550",
             "5.1.1",
             "550 5.1.1 <unknown.person@example.net>: Recipient address "
             "rejected: User unknown in virtual mailbox table", "RCPT TO")
    d.ndr(c, m4, remove=True)

    # M5: a legacy server that replies without an enhanced status code.
    m5, now = d.submit(T("13:37:21"), "alice@example.com",
                       "dsl-150.isp.example", "198.51.100.150",
                       ["team@legacy.example"], 11020)
    c = Clock(now)
    d.failed(c, m5, "team@legacy.example", "bounced", "legacy", "550",
             "5.0.0", "550 Requested action not taken: mailbox unavailable",
             "RCPT TO", tls=False)
    d.ndr(c, m5, remove=True)

    # M6: mailbox busy twice, delivered on the third attempt.
    m6, now = d.submit(T("14:10:05"), "bob@example.com",
                       "dsl-77.isp.example", "2001:db8:77::a",
                       ["pat@example.net"], 6120)
    c = Clock(now)
    d.failed(c, m6, "pat@example.net", "deferred", "net", "450", "4.2.1",
             "450 4.2.1 <pat@example.net>: Mailbox busy, try again later",
             "RCPT TO")
    c = Clock(T("14:15:49"))
    d.queue_active(c(), m6)
    d.failed(c, m6, "pat@example.net", "deferred", "net", "450", "4.2.1",
             "450 4.2.1 <pat@example.net>: Mailbox busy, try again later",
             "RCPT TO")
    c = Clock(T("14:26:21"))
    d.queue_active(c(), m6)
    d.sent(c, m6, "pat@example.net", "net")
    d.removed(c, m6)

    # M7: the contact form sends with the visitor's From: header, which
    # fails DMARC at corp.example.
    m7, now = d.pickup_msg(T("16:20:44"), 33, "www-data",
                           "noreply@example.com", ["sales@corp.example"],
                           3310)
    c = Clock(now)
    d.emit(c(0.004), "opendkim", 904,
           f"{m7.qid}: DKIM-Signature field added (s=mail2024, "
           f"d=example.com)")
    d.failed(c, m7, "sales@corp.example", "bounced", "corp", "550",
             "5.7.26",
             "550 5.7.26 Message rejected: the From: domain bigmail.example "
             "publishes a DMARC reject policy and this message failed "
             "both SPF and DKIM alignment", "end of DATA")
    d.ndr(c, m7, remove=True)

    # Plain successes.
    m8, now = d.submit(T("09:25:40"), "erdem@example.com",
                       "dsl-153.isp.example", "198.51.100.153",
                       ["orders@shop.example"], 14220)
    c = Clock(now)
    d.sent(c, m8, "orders@shop.example", "shop")
    d.removed(c, m8)
    m9, now = d.submit(T("11:58:13"), "alice@example.com",
                       "dsl-150.isp.example", "198.51.100.150",
                       ["bob@example.com", "partners@corp.example"], 20871)
    c = Clock(now)
    d.lmtp_sent(c, m9, "bob@example.com")
    d.sent(c, m9, "partners@corp.example", "corp")
    d.removed(c, m9)
    m10, now = d.submit(T("17:05:59"), "can@example.com",
                        "dsl-152.isp.example", "203.0.113.152",
                        ["zeynep@bigmail.example", "friend@example.org"],
                        9944)
    c = Clock(now)
    d.sent(c, m10, "zeynep@bigmail.example", "big6")
    d.sent(c, m10, "friend@example.org", "org")
    d.removed(c, m10)
    m11, now = d.submit(T("20:41:26"), "dilek@example.com",
                        "dsl-151.isp.example", "198.51.100.151",
                        ["ilker@school.example"], 4410)
    c = Clock(now)
    d.failed(c, m11, "ilker@school.example", "bounced", "school", "550",
             "5.0.0", "550 #5.1.0 Address rejected.", "RCPT TO", tls=False)
    d.ndr(c, m11, remove=True)
    for hhmmss, ip in (("09:35:41", "198.51.100.153"),
                       ("11:08:08", "198.51.100.151"),
                       ("14:36:22", "2001:db8:77::a")):
        d.anvil(T(hhmmss), "submission", ip, T(hhmmss) - timedelta(
            minutes=10, seconds=1))

    # Password guessing on the submission port.
    c = Clock(T("03:12:50"))
    pid = d.pids.new()
    d.emit(c(), "postfix/submission/smtpd", pid,
           "connect from unknown[203.0.113.200]")
    d.emit(c(2.91), "postfix/submission/smtpd", pid,
           "warning: unknown[203.0.113.200]: SASL LOGIN authentication "
           "failed: UGFzc3dvcmQ6")
    d.emit(c(0.22), "postfix/submission/smtpd", pid,
           "lost connection after AUTH from unknown[203.0.113.200]")
    d.emit(c(0.001), "postfix/submission/smtpd", pid,
           "disconnect from unknown[203.0.113.200] ehlo=1 auth=0/1 "
           "commands=1/2")

    # A scanner that connects and leaves without a command.
    c = Clock(T("18:02:37"))
    d.emit(c(), "postfix/postscreen", d.postscreen,
           f"CONNECT from [203.0.113.210]:51515 to [{OUR_IP4}]:25")
    d.emit(c(0.1), "postfix/postscreen", d.postscreen,
           "PASS OLD [203.0.113.210]:51515")
    pid = d.pids.new()
    d.emit(c(0.003), "postfix/smtpd", pid,
           "connect from unknown[203.0.113.210]")
    d.emit(c(0.9), "postfix/smtpd", pid,
           "lost connection after CONNECT from unknown[203.0.113.210]")
    d.emit(c(0.001), "postfix/smtpd", pid,
           "disconnect from unknown[203.0.113.210] commands=0/0")

    # Rejected inbound sessions.
    def rejected_session(start, client, ip, port, helo, items,
                         unresolved=None, counts=None):
        c = Clock(start)
        d.emit(c(), "postfix/postscreen", d.postscreen,
               f"CONNECT from [{ip}]:{port} to [{our_ip(ip)}]:25")
        d.emit(c(0.105), "postfix/postscreen", d.postscreen,
               f"PASS OLD [{ip}]:{port}")
        pid = d.pids.new()
        if unresolved:
            d.emit(c(0.002), "postfix/smtpd", pid,
                   f"warning: hostname {unresolved} does not resolve to "
                   f"address {ip}: Name or service not known")
        d.emit(c(0.004), "postfix/smtpd", pid, f"connect from {client}[{ip}]")
        for before, text, stage, reply, dsn in items:
            if before:
                d.emit(c(0.3), "postfix/smtpd", pid, before)
            d.reject(c(0.35), "postfix/smtpd", pid,
                     f"NOQUEUE: reject: {stage} from {client}[{ip}]: {text} "
                     f"helo=<{helo}>",
                     stage, reply, dsn)
        d.emit(c(0.2), "postfix/smtpd", pid,
               f"disconnect from {client}[{ip}] {counts}")

    rejected_session(
        T("01:17:33"), "unknown", "203.0.113.77", 50121,
        "203.0.113.77",
        [(None, "554 5.7.1 <victim@example.net>: Relay access denied; "
          "from=<promo@offers.example> to=<victim@example.net> "
          "proto=ESMTP", "RCPT", "554", "5.7.1")],
        counts="ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")
    rejected_session(
        T("04:44:18"), "unknown", "192.0.2.150", 61002, "mail.example.net",
        [(None, "550 5.1.1 <info@example.com>: Recipient address rejected: "
          "User unknown in virtual mailbox table; from=<sales@example.net> "
          "to=<info@example.com> proto=ESMTP", "RCPT", "550", "5.1.1"),
         (None, "550 5.1.1 <contact@example.com>: Recipient address "
          "rejected: User unknown in virtual mailbox table; "
          "from=<sales@example.net> to=<contact@example.com> proto=ESMTP",
          "RCPT", "550", "5.1.1"),
         (None, "550 5.1.1 <office@example.com>: Recipient address "
          "rejected: User unknown in virtual mailbox table; "
          "from=<sales@example.net> to=<office@example.com> proto=ESMTP",
          "RCPT", "550", "5.1.1")],
        counts="ehlo=1 mail=1 rcpt=0/3 rset=1 quit=1 commands=4/7")
    rejected_session(
        T("07:02:51"), "unknown", "198.51.100.88", 33019,
        "relay.nowhere.example",
        [(None, "450 4.7.1 <relay.nowhere.example>: Helo command rejected: "
          "Host not found; from=<info@nowhere.example> "
          "to=<bob@example.com> proto=ESMTP", "RCPT", "450", "4.7.1")],
        unresolved="mail.unresolved.example",
        counts="ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")
    rejected_session(
        T("12:10:09"), "dyn-66.cable.example", "198.51.100.65", 47700,
        "dyn-66.cable.example",
        [(None, "554 5.7.1 Service unavailable; Client host [198.51.100.65] "
          "blocked using zen.example.org; "
          "https://example.org/lookup?ip=198.51.100.65; "
          "from=<deals@cable.example> to=<erdem@example.com> proto=ESMTP",
          "RCPT", "554", "5.7.1")],
        counts="ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")

    # Greylisting by the postgrey policy service.
    c = Clock(T("19:12:40"))
    ip = "192.0.2.177"
    d.emit(c(), "postfix/postscreen", d.postscreen,
           f"CONNECT from [{ip}]:58820 to [{OUR_IP4}]:25")
    d.emit(c(0.1), "postfix/postscreen", d.postscreen,
           f"PASS OLD [{ip}]:58820")
    pid = d.pids.new()
    d.emit(c(0.003), "postfix/smtpd", pid,
           f"connect from out3.lists.example[{ip}]")
    d.emit(c(0.4), "postgrey", 977,
           f"action=greylist, reason=new, client_name=out3.lists.example, "
           f"client_address={ip}, sender=digest@lists.example, "
           f"recipient=can@example.com")
    d.reject(c(0.001), "postfix/smtpd", pid,
             f"NOQUEUE: reject: RCPT from out3.lists.example[{ip}]: "
             f"450 4.2.0 <can@example.com>: Recipient address rejected: "
             f"Greylisted, see https://postgrey.example.org/help/example.com; "
             f"from=<digest@lists.example> to=<can@example.com> proto=ESMTP "
             f"helo=<out3.lists.example>", "RCPT", "450", "4.2.0")
    d.emit(c(0.2), "postfix/smtpd", pid,
           f"disconnect from out3.lists.example[{ip}] ehlo=1 mail=1 "
           f"rcpt=0/1 quit=1 commands=3/4")

    # postscreen itself rejects a listed client after the DNSBL score.
    c = Clock(T("23:31:07"))
    ip, port = "203.0.113.99", 40001
    d.emit(c(), "postfix/postscreen", d.postscreen,
           f"CONNECT from [{ip}]:{port} to [{OUR_IP4}]:25")
    pid = d.pids.new(2)
    d.emit(c(0.07), "postfix/dnsblog", pid,
           f"addr {ip} listed by domain zen.example.org as 127.0.0.3")
    d.emit(c(5.9), "postfix/postscreen", d.postscreen,
           f"DNSBL rank 2 for [{ip}]:{port}")
    d.reject(c(1.1), "postfix/postscreen", d.postscreen,
             f"NOQUEUE: reject: RCPT from [{ip}]:{port}: 550 5.7.1 Service "
             f"unavailable; client [{ip}] blocked using zen.example.org; "
             f"from=<ads@promo.example>, to=<alice@example.com>, "
             f"proto=ESMTP, helo=<promo.example>", "RCPT", "550", "5.7.1")
    d.emit(c(0.3), "postfix/postscreen", d.postscreen,
           f"DISCONNECT [{ip}]:{port}")

    # cleanup rejects after the message was received: a milter verdict
    # and a header_checks rule.  Neither reaches the queue manager.
    for hhmmss, client, ip, sender, rcpt, kind in (
            ("05:51:26", "mta7.bulk.example", "198.51.100.90",
             "offers@bulk.example", "bob@example.com", "milter"),
            ("17:33:04", "unknown", "203.0.113.91",
             "invoice@billing.example", "dilek@example.com", "header")):
        c = Clock(T(hhmmss))
        d.emit(c(), "postfix/postscreen", d.postscreen,
               f"CONNECT from [{ip}]:45000 to [{OUR_IP4}]:25")
        d.emit(c(0.1), "postfix/postscreen", d.postscreen,
               f"PASS OLD [{ip}]:45000")
        pid = d.pids.new()
        d.emit(c(0.003), "postfix/smtpd", pid, f"connect from {client}[{ip}]")
        qid = d.ids.new(c(0.5))
        d.emit(c.now, "postfix/smtpd", pid, f"{qid}: client={client}[{ip}]")
        cpid = d.pids.new(3)
        d.emit(c(0.06), "postfix/cleanup", cpid,
               f"{qid}: message-id=<{d.msgid(qid, domain_of(sender))}>")
        tail = (f"from=<{sender}> to=<{rcpt}> proto=ESMTP "
                f"helo=<{client if client != 'unknown' else ip}>")
        if kind == "milter":
            d.reject(c(0.8), "postfix/cleanup", cpid,
                     f"{qid}: milter-reject: END-OF-MESSAGE from "
                     f"{client}[{ip}]: 5.7.1 Spam message rejected; {tail}",
                     "END-OF-MESSAGE", None, "5.7.1")
        else:
            d.reject(c(0.02), "postfix/cleanup", cpid,
                     f"{qid}: reject: header Content-Type: application/"
                     f"x-msdownload; name=\"invoice.exe\" from "
                     f"{client}[{ip}]; {tail}: 5.7.1 Executable attachments "
                     f"are not accepted", "header", None, "5.7.1")
        d.emit(c(0.01), "postfix/smtpd", pid,
               f"disconnect from {client}[{ip}] ehlo=1 mail=1 rcpt=1 "
               f"data=0/1 quit=1 commands=4/5")

    fx.notes += [
        "The day is 2024-11-19 in +03:00; every header is RFC 3339 with six"
        " fraction digits.",
        "Expiry: 3C7D51A2E90 (two recipients at slow.example, each deferred"
        " three times) gives 2; 8B02F44C1D3 (nrcpt=2, but only"
        " sevgi@example.net is deferred in this file) gives 1; 4F09B33E6A1"
        " is force-expired with no earlier line and gives 1 under"
        " '(unknown)'.",
        "kerem@slow.example of the newsletter is deferred twice by"
        " postfix/error (delivery temporarily suspended) and twice by"
        " connect timeouts, then sent; info@slow.example is deferred three"
        " times by connect timeouts and once by postfix/error, then sent.",
        "Replies without a parsed enhanced code: mail.oldisp.example answers"
        " '550 sorry, ... (#5.1.1)', mx.school.example '550 #5.1.0 Address"
        " rejected.' and mail.legacy.example '550 Requested action not"
        " taken: mailbox unavailable'; Postfix logs dsn=5.0.0 for all of"
        " them, and the expected enhanced code is that dsn=5.0.0, not the"
        " code inside the text.",
        "Lines Postfix wrote itself (connect timeouts, 'delivery"
        " temporarily suspended', 'unknown user') have no reply code, so"
        " reply_codes sums to fewer than the failures.",
        "Non-delivery notifications to the senders (from=<>) are delivered"
        " by lmtp or local and count as delivered under sender '<>'.",
        "cleanup rejects (milter-reject at END-OF-MESSAGE and the"
        " header_checks reject) carry only an enhanced code; their stage is"
        " END-OF-MESSAGE and 'header'.",
        "postsuper, anvil, postscreen verdicts, dnsblog, postgrey, opendkim,"
        " dovecot and amavis lines count nowhere.",
    ]
    return fx


# ---------------------------------------------------------------------------
# Small focused fixtures

class Small:
    """Helpers shared by the hand-scripted focused fixtures."""

    def __init__(self, name, start, form, host="mx1"):
        self.fx = Fixture(name, host=host, form=form, sort=False)
        self.clock = Clock(start)
        self.pid = 2200
        self.sticky = {}

    def pid_of(self, program):
        """Return one process id per program tag for the whole file, as
        when each daemon process serves many requests."""
        if program not in self.sticky:
            self.pid += 13
            self.sticky[program] = self.pid
        return self.sticky[program]

    def line(self, program, message, meaning=None, step=1.0, pid=None,
             form=None):
        when = self.clock(step)
        self.fx.emit(when, program, pid or self.pid_of(program), message,
                     meaning,
                     form=form)
        return when

    def status(self, program, qid, rcpt, sender, relay, dsn, status, reason,
               meaning_status=None, host=None, reply=None, delay=0.42,
               delays=None, step=1.0, pid=None, form=None, handoff=False,
               **fields):
        check_reply(reason, reply)
        delays = delays or "0.05/0.01/0.12/0.24"
        text = status_message(qid, rcpt, relay, fmt_delay(delay), delays,
                              dsn, status, reason, **fields)
        meaning = status_meaning(meaning_status or status, qid, rcpt, sender,
                                 host, reply, dsn, handoff)
        return self.line(program, text, meaning, step=step, pid=pid,
                         form=form)

    def qmgr(self, qid, sender, nrcpt=1, size=4210, program="postfix/qmgr",
             step=0.2):
        return self.line(program, f"{qid}: from=<{sender}>, size={size}, "
                         f"nrcpt={nrcpt} (queue active)", step=step)

    def removed(self, qid, program="postfix/qmgr"):
        return self.line(program, f"{qid}: removed", step=0.01)

    def expire(self, qid, sender, force=False, program="postfix/qmgr"):
        word = "force-expired" if force else "expired"
        return self.line(program, f"{qid}: from=<{sender}>, status={word}, "
                         f"returned to sender",
                         {"kind": "expire", "qid": qid, "sender": sender},
                         step=0.01)

    def reject(self, program, message, stage, reply, dsn, warning=False,
               step=1.0, pid=None):
        check_reply(message, reply)
        return self.line(program, message,
                         {"kind": "reject", "stage": stage, "reply": reply,
                          "dsn": dsn, "warning": warning}, step=step, pid=pid)


def build_statuses():
    s = Small("statuses", datetime(2024, 12, 4, 9, 0, 0, 120000,
                                   tzinfo=PLUS3),
              {"form": "rfc3339", "digits": 6, "offset": "colon"})
    net = "mx.example.net[192.0.2.25]:25"
    org6 = "mx.example.org[2001:db8::25]:25"

    # Canonical smtp sent, deferred, bounced.
    s.qmgr("6A1F0C2B3D", "alice@example.com")
    s.status("postfix/smtp", "6A1F0C2B3D", "bob@example.net",
             "alice@example.com", net, "2.0.0", "sent",
             "250 2.0.0 Ok: queued as 91C4E2A07F", host="mx.example.net")
    s.removed("6A1F0C2B3D")

    s.qmgr("6B2A1D3C4E", "alice@example.com")
    s.status("postfix/smtp", "6B2A1D3C4E", "carol@example.org",
             "alice@example.com", org6, "4.7.1", "deferred",
             remote_reason("mx.example.org", "2001:db8::25",
                  "451 4.7.1 <carol@example.org>: Recipient address "
                  "rejected: Greylisted for 300 seconds", "RCPT TO"),
             host="mx.example.org", reply="451")
    # Second attempt: orig_to= and conn_use= in the middle of the line.
    s.qmgr("6B2A1D3C4E", "alice@example.com", step=301)
    s.status("postfix/smtp", "6B2A1D3C4E", "carol@example.org",
             "alice@example.com", org6, "2.0.0", "sent",
             "250 2.0.0 Ok: queued as 4D5E6F7A8B", host="mx.example.org",
             orig_to="sales@example.com", conn_use=2, delay=302,
             delays="301/0.01/0/0.35")
    s.removed("6B2A1D3C4E")

    s.qmgr("6C3B2E4D5F", "bob@example.com")
    s.status("postfix/smtp", "6C3B2E4D5F", "nobody@example.net",
             "bob@example.com", net, "5.1.1", "bounced",
             remote_reason("mx.example.net", "192.0.2.25",
                  "550 5.1.1 <nobody@example.net>: Recipient address "
                  "rejected: User unknown in virtual mailbox table",
                  "RCPT TO"),
             host="mx.example.net", reply="550")
    s.line("postfix/bounce", "6C3B2E4D5F: sender non-delivery notification: "
           "6D4C3F5E60", step=0.01)
    s.removed("6C3B2E4D5F")

    # Expiry after a deferral in this file, and forced expiry with none.
    s.qmgr("7E1D2C3B4A", "carol@example.com", step=40)
    s.status("postfix/smtp", "7E1D2C3B4A", "dave@example.org",
             "carol@example.com", "none", "4.4.2", "deferred",
             "lost connection with mx.example.org[192.0.2.26] while "
             "sending RCPT TO", delay=432011, delays="431950/0.02/60/0")
    s.expire("7E1D2C3B4A", "carol@example.com")
    s.line("postfix/bounce", "7E1D2C3B4A: sender non-delivery notification: "
           "7F2E3D4C5B", step=0.01)
    s.removed("7E1D2C3B4A")
    s.qmgr("7A3F4E5D6C", "carol@example.com", nrcpt=1, step=20)
    s.expire("7A3F4E5D6C", "carol@example.com", force=True)
    s.removed("7A3F4E5D6C")

    # soft_bounce=yes: dsn rewritten to 4.x.x, the text keeps the 5xx reply.
    s.qmgr("81A2B3C4D5", "erin@example.com", nrcpt=2, step=30)
    s.status("postfix/smtp", "81A2B3C4D5", "frank@example.net",
             "erin@example.com", net, "4.7.1", "SOFTBOUNCE",
             remote_reason("mx.example.net", "192.0.2.25",
                  "501 5.7.1 <erin@example.com>... Sender refused",
                  "MAIL FROM"),
             host="mx.example.net", reply="501")
    s.status("postfix/smtp", "81A2B3C4D5", "gone@example.net",
             "erin@example.com", net, "4.1.1", "SOFTBOUNCE",
             remote_reason("mx.example.net", "192.0.2.25",
                  "550 5.1.1 <gone@example.net>: Recipient address "
                  "rejected: User unknown", "RCPT TO"),
             host="mx.example.net", reply="550", step=0.05)

    # Address verification probes are not mail.
    probe = "double-bounce@mx1.example.com"
    s.qmgr("82B3C4D5E6", probe, size=262, step=12)
    s.status("postfix/smtp", "82B3C4D5E6", "helen@example.net", probe, net,
             "2.1.5", "deliverable", "250 2.1.5 Ok", meaning_status="probe",
             host="mx.example.net")
    s.removed("82B3C4D5E6")
    s.qmgr("83C4D5E6F7", probe, size=262)
    s.status("postfix/smtp", "83C4D5E6F7", "ivan@example.net", probe, net,
             "5.1.1", "undeliverable",
             remote_reason("mx.example.net", "192.0.2.25",
                  "550 5.1.1 <ivan@example.net>: Recipient address "
                  "rejected: User unknown", "RCPT TO"),
             meaning_status="probe", host="mx.example.net", reply="550")
    s.removed("83C4D5E6F7")
    s.qmgr("84D5E6F708", probe, size=262)
    s.status("postfix/local", "84D5E6F708", "olduser@mx1.example.com", probe,
             "local", "5.1.1", "undeliverable", 'unknown user: "olduser"',
             meaning_status="probe")
    s.removed("84D5E6F708")
    s.qmgr("85E6F70819", probe, size=262)
    s.status("postfix/error", "85E6F70819", "ghost@example.com", probe,
             "none", "5.1.1", "undeliverable-but-not-cached",
             "User unknown in local recipient table",
             meaning_status="probe")
    s.removed("85E6F70819")

    # local(8): a forward (not a final delivery), its re-queued copy,
    # delivery to a command and to a mailbox, and to= without brackets.
    s.qmgr("9A0B1C2D3E", "judy@example.net", step=25)
    s.status("postfix/local", "9A0B1C2D3E", "tom@mx1.example.com",
             "judy@example.net", "local", "2.0.0", "sent",
             "forwarded as 9B1C2D3E4F", meaning_status="forwarded",
             orig_to="tom@example.com")
    s.removed("9A0B1C2D3E")
    s.qmgr("9B1C2D3E4F", "judy@example.net", step=0.02)
    s.status("postfix/smtp", "9B1C2D3E4F", "tom.home@example.org",
             "judy@example.net", org6, "2.0.0", "sent",
             "250 2.0.0 Ok: queued as 0C1D2E3F4A", host="mx.example.org",
             orig_to="tom@example.com")
    s.removed("9B1C2D3E4F")
    s.qmgr("9C2D3E4F50", "judy@example.net")
    s.status("postfix/local", "9C2D3E4F50", "kim@mx1.example.com",
             "judy@example.net", "local", "2.0.0", "sent",
             'delivered to command: procmail -a "$EXTENSION"')
    s.status("postfix/local", "9C2D3E4F50", "lee@mx1.example.com",
             "judy@example.net", "local", "2.0.0", "sent",
             "delivered to mailbox", step=0.02)
    s.removed("9C2D3E4F50")
    s.qmgr("9D3E4F5061", "root@mx1.example.com")
    s.status("postfix/local", "9D3E4F5061", "webmaster@localhost",
             "root@mx1.example.com", "local", "2.0.0", "sent",
             "delivered to mailbox", angle=False)
    s.removed("9D3E4F5061")

    # pipe(8) to dovecot-lda: sent, temporary failure, hard failure.
    s.qmgr("A01B2C3D4E", "mallory@example.net", nrcpt=3, step=30)
    s.status("postfix/pipe", "A01B2C3D4E", "nina@example.com",
             "mallory@example.net", "dovecot", "2.0.0", "sent",
             "delivered via dovecot service", orig_to="n.k@example.com")
    s.status("postfix/pipe", "A01B2C3D4E", "oscar@example.com",
             "mallory@example.net", "dovecot", "4.3.0", "deferred",
             "temporary failure. Command output: lda(oscar@example.com): "
             "Error: open(/var/mail/oscar/.lock) failed: Permission denied ",
             step=0.1)
    s.status("postfix/pipe", "A01B2C3D4E", "paula@example.com",
             "mallory@example.net", "dovecot", "5.1.1", "bounced",
             "user unknown. Command output: lda: Unknown user paula ",
             step=0.1)

    # lmtp(8): over a unix socket, a full mailbox with parentheses inside
    # the reply, and a cyrus socket path.
    s.qmgr("A12C3D4E5F", "quinn@example.org", nrcpt=2, step=20)
    s.status("postfix/lmtp", "A12C3D4E5F", "rita@example.com",
             "quinn@example.org", "mail.example.com[private/dovecot-lmtp]",
             "2.0.0", "sent",
             "250 2.0.0 <rita@example.com> qU1a2b3C4d5E6f7G8h9I0j Saved",
             host="mail.example.com")
    s.status("postfix/lmtp", "A12C3D4E5F", "sam@example.com",
             "quinn@example.org", "mail.example.com[private/dovecot-lmtp]",
             "5.2.2", "bounced",
             "host mail.example.com[private/dovecot-lmtp] said: 552 5.2.2 "
             "<sam@example.com> Quota exceeded (mailbox for user is full) "
             "(in reply to end of DATA command)",
             host="mail.example.com", reply="552", step=0.1)
    s.qmgr("A23D4E5F60", "quinn@example.org")
    s.status("postfix/lmtp", "A23D4E5F60", "tina@example.com",
             "quinn@example.org",
             "mail.example.com[/var/run/cyrus/socket/lmtp]", "2.1.5", "sent",
             "250 2.1.5 Ok SESSIONID=<cyrus-1733292007-52174-1-1234>",
             host="mail.example.com")

    # virtual(8).
    s.qmgr("B01C2D3E4F", "ursula@example.net", nrcpt=2, step=20)
    s.status("postfix/virtual", "B01C2D3E4F", "victor@example.com",
             "ursula@example.net", "virtual", "2.0.0", "sent",
             "delivered to maildir")
    s.status("postfix/virtual", "B01C2D3E4F", "wendy@example.com",
             "ursula@example.net", "virtual", "5.2.2", "bounced",
             "cannot update mailbox /var/spool/vmail/example.com/wendy for "
             "user wendy@example.com. file too large", step=0.05)

    # error(8) and retry(8): Postfix-made texts, no reply code.
    s.qmgr("B12D3E4F50", "xavier@example.com", nrcpt=2, step=20)
    s.status("postfix/error", "B12D3E4F50", "yuri@slow.example",
             "xavier@example.com", "none", "4.4.1", "deferred",
             "delivery temporarily suspended: connect to "
             "mx.slow.example[203.0.113.50]:25: Connection timed out",
             delay=1800, delays="1800/0/0/0")
    s.status("postfix/error", "B12D3E4F50", "zoe@retired.example",
             "xavier@example.com", "none", "5.1.1", "bounced",
             "mailbox retired, write to postmaster@retired.example",
             delays="0.02/0/0/0.01", step=0.01)
    s.status("postfix/retry", "B12D3E4F50", "yuri@slow.example",
             "xavier@example.com", "none", "4.4.2", "deferred",
             "delivery temporarily suspended: lost connection with "
             "mx.slow.example[203.0.113.50] while sending RCPT TO",
             delay=3900, delays="3900/0.01/0/0", step=2100)

    # Postfix-made smtp texts with no reply code.
    s.qmgr("C01D2E3F40", "amy@example.com", nrcpt=2, step=10)
    s.status("postfix/smtp", "C01D2E3F40", "bart@nowhere.example",
             "amy@example.com", "none", "5.4.4", "bounced",
             "Host or domain name not found. Name service error for "
             "name=nowhere.example type=AAAA: Host not found",
             delays="0.03/0.01/0.08/0")
    s.status("postfix/smtp", "C01D2E3F40", "cleo@closed.example",
             "amy@example.com", "none", "4.4.1", "deferred",
             "connect to mx.closed.example[198.51.100.44]:25: Connection "
             "refused", delays="0.03/0.01/0.2/0", step=0.2)

    # tls= before dsn= (newer Postfix) and IPv6 relay.
    s.qmgr("C12E3F4051", "amy@example.com", step=10)
    s.status("postfix/smtp", "C12E3F4051", "dora@example.org",
             "amy@example.com", org6, "2.0.0", "sent",
             "250 2.0.0 Ok: queued as 7B8C9D0E1F", host="mx.example.org",
             tls="TLSv1.3")
    s.removed("C12E3F4051")

    # Reply texts: nested parentheses, three-digit details, a truncated line.
    s.qmgr("D01E2F3A4B", "eve@example.com", nrcpt=3, step=10)
    s.status("postfix/smtp", "D01E2F3A4B", "finn@example.net",
             "eve@example.com", net, "5.7.1", "bounced",
             remote_reason("mx.example.net", "192.0.2.25",
                  "550 5.7.1 Message rejected (policy violation (see "
                  "https://example.net/policy?id=44&lang=en))",
                  "end of DATA"),
             host="mx.example.net", reply="550")
    s.status("postfix/smtp", "D01E2F3A4B", "gina@corp.example",
             "eve@example.com",
             "corp-example.inbound.cloudmail.example[198.51.100.140]:25",
             "5.7.133", "bounced",
             remote_reason("corp-example.inbound.cloudmail.example",
                           "198.51.100.140",
                  "550 5.7.133 Group delivery refused; the sender must "
                  "authenticate to send to this group "
                  "[AB1CD2EF3.eurprd00.prod.cloudmail.example]",
                  "RCPT TO"),
             host="corp-example.inbound.cloudmail.example", reply="550",
             step=0.3)
    s.status("postfix/smtp", "D01E2F3A4B", "hugo@corp.example",
             "eve@example.com",
             "corp-example.inbound.cloudmail.example[198.51.100.140]:25",
             "4.7.650", "deferred",
             remote_reason("corp-example.inbound.cloudmail.example",
                           "198.51.100.140",
                  "451 4.7.650 The mail server [203.0.113.10] has been "
                  "temporarily rate limited due to IP reputation. "
                  "[AB1CD2EF4.eurprd00.prod.cloudmail.example]",
                  "MAIL FROM"),
             host="corp-example.inbound.cloudmail.example", reply="451",
             step=0.02)
    s.qmgr("D12F3A4B5C", "eve@example.com", step=5)
    s.status("postfix/smtp", "D12F3A4B5C", "ines@bigmail.example",
             "eve@example.com", "mx-in.bigmail.example[2001:db8:4860::1b]:25",
             "5.7.1", "bounced",
             "host mx-in.bigmail.example[2001:db8:4860::1b] said: "
             "550-5.7.1 [2001:db8:10::10      12] Messages from this "
             "sender are not accepted 550-5.7.1 because of its sending "
             "history. Review the bulk sender rules at 550-5.7.1 "
             "https://help.bigmail.example/bulk to improve",
             close=False, host="mx-in.bigmail.example", reply="550")

    # Handoff to a content filter on loopback.
    s.qmgr("E01F2A3B4C", "jack@example.net", step=10)
    s.status("postfix/smtp", "E01F2A3B4C", "kate@example.com",
             "jack@example.net", "127.0.0.1[127.0.0.1]:10024", "2.0.0",
             "sent",
             "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: "
             "queued as E12A3B4C5D", host="127.0.0.1", handoff=True)
    s.removed("E01F2A3B4C")

    s.fx.notes += [
        "Probes (status=deliverable, undeliverable and"
        " undeliverable-but-not-cached, sender double-bounce@) count nowhere,"
        " not even in reply_codes.",
        "SOFTBOUNCE lines count as deferred with the enhanced code from dsn="
        " (4.7.1, 4.1.1) and the reply code from the text (501, 550).",
        "7E1D2C3B4A expires with one deferred recipient (1); 7A3F4E5D6C is"
        " force-expired with no earlier line (1, domain '(unknown)').",
        "The bounced line for ines@bigmail.example ends without its closing"
        " parenthesis and without the 'in reply to' part (cut by a syslog"
        " size limit); it still counts as bounced with 550 and 5.7.1.",
        "'sent (forwarded as 9B1C2D3E4F)' counts only in other.forwarded;"
        " the forwarded copy 9B1C2D3E4F is a delivery.",
        "The tls=TLSv1.3 field before dsn= is a field placement test; the"
        " line counts as an ordinary delivery.",
        "The handoff to 127.0.0.1[127.0.0.1]:10024 counts as delivered"
        " (other.handoffs = 1).",
        "The pipe deferral (dsn=4.3.0), pipe bounce (5.1.1), virtual bounce"
        " (5.2.2), error and retry lines, 5.4.4 and the Connection refused"
        " deferral have no reply code.",
    ]
    return s.fx


def build_rejects():
    s = Small("rejects", datetime(2024, 12, 4, 14, 0, 0, tzinfo=PLUS3),
              {"form": "bsd"})
    smtpd = "postfix/smtpd"

    s.reject(smtpd, "NOQUEUE: reject: CONNECT from unknown[203.0.113.5]: "
             "554 5.7.1 <unknown[203.0.113.5]>: Client host rejected: "
             "Access denied; proto=SMTP", "CONNECT", "554", "5.7.1")
    s.reject(smtpd, "NOQUEUE: reject: EHLO from unknown[203.0.113.6]: 504 "
             "5.5.2 <bogus_helo>: Helo command rejected: need "
             "fully-qualified hostname; proto=SMTP helo=<bogus_helo>",
             "EHLO", "504", "5.5.2")
    s.reject(smtpd, "NOQUEUE: reject: HELO from unknown[203.0.113.7]: 450 "
             "4.7.1 <relay.nowhere.example>: Helo command rejected: Host "
             "not found; proto=SMTP helo=<relay.nowhere.example>", "HELO",
             "450", "4.7.1")
    s.reject(smtpd, "NOQUEUE: reject: MAIL from unknown[198.51.100.12]: 553 "
             "5.7.1 <ceo@example.com>: Sender address rejected: not logged "
             "in; from=<ceo@example.com> proto=ESMTP "
             "helo=<desktop.example>", "MAIL", "553", "5.7.1")
    s.reject(smtpd, "NOQUEUE: reject: RCPT from client.example.net"
             "[192.0.2.10]: 554 5.7.1 <h@example.org>: Relay access denied; "
             "from=<a@example.net> to=<h@example.org> proto=ESMTP "
             "helo=<client.example.net>", "RCPT", "554", "5.7.1")
    s.reject(smtpd, "NOQUEUE: reject: RCPT from unknown[203.0.113.8]:41234: "
             "550 5.1.1 <nobody@example.com>: Recipient address rejected: "
             "User unknown in virtual mailbox table; from=<> "
             "to=<nobody@example.com> proto=ESMTP helo=<203.0.113.8>",
             "RCPT", "550", "5.1.1")
    s.reject(smtpd, "NOQUEUE: reject: RCPT from unknown[2001:db8:5::7]: 450 "
             "4.7.25 Client host rejected: cannot find your hostname, "
             "[2001:db8:5::7]; from=<x@example.net> to=<bob@example.com> "
             "proto=ESMTP helo=<[2001:db8:5::7]>", "RCPT", "450", "4.7.25")
    s.reject(smtpd, "NOQUEUE: reject: RCPT from dyn-66.cable.example"
             "[198.51.100.65]: 554 5.7.1 Service unavailable; Client host "
             "[198.51.100.65] blocked using zen.example.org; "
             "https://example.org/lookup?ip=198.51.100.65&src=mx; "
             "from=<deals@cable.example> to=<erdem@example.com> "
             "proto=ESMTP helo=<dyn-66.cable.example>", "RCPT", "554",
             "5.7.1")
    s.reject(smtpd, "NOQUEUE: reject: RCPT from out3.lists.example"
             "[192.0.2.177]: 450 4.2.0 <can@example.com>: Recipient address "
             "rejected: Greylisted, see "
             "https://postgrey.example.org/help/example.com; "
             "from=<digest@lists.example> to=<can@example.com> proto=ESMTP "
             "helo=<out3.lists.example>", "RCPT", "450", "4.2.0")
    # After one recipient was accepted the queue id replaces NOQUEUE.
    s.line(smtpd, "5E6F7A8B9C: client=mail.example.net[192.0.2.31]",
           pid=3301)
    s.reject(smtpd, "5E6F7A8B9C: reject: RCPT from mail.example.net"
             "[192.0.2.31]: 550 5.1.1 <gone@example.com>: Recipient address "
             "rejected: User unknown in virtual mailbox table; "
             "from=<list@example.net> to=<gone@example.com> proto=ESMTP "
             "helo=<mail.example.net>", "RCPT", "550", "5.1.1", step=0.2,
             pid=3301)
    s.reject(smtpd, "5E6F7A8B9C: reject: DATA from mail.example.net"
             "[192.0.2.31]: 550 5.5.3 <DATA>: Data command rejected: "
             "Multi-recipient bounce; from=<> proto=ESMTP "
             "helo=<mail.example.net>", "DATA", "550", "5.5.3", step=0.3,
             pid=3301)
    s.line(smtpd, "6F7A8B9C0D: client=relay.example.org[192.0.2.32]",
           pid=3302)
    s.reject(smtpd, "6F7A8B9C0D: reject: END-OF-MESSAGE from "
             "relay.example.org[192.0.2.32]: 554 5.7.1 Message rejected by "
             "policy service; from=<news@example.org> to=<bob@example.com> "
             "proto=ESMTP helo=<relay.example.org>", "END-OF-MESSAGE", "554",
             "5.7.1", step=2.0, pid=3302)
    s.reject(smtpd, "NOQUEUE: reject: VRFY from unknown[203.0.113.9]: 550 "
             "5.1.1 <admin>: Recipient address rejected: User unknown in "
             "local recipient table; to=<admin> proto=SMTP", "VRFY", "550",
             "5.1.1")
    s.reject(smtpd, "NOQUEUE: reject: BDAT from mail.example.net"
             "[192.0.2.31]: 552 5.3.4 Message size exceeds fixed limit; "
             "from=<big@example.net> to=<bob@example.com> proto=ESMTP "
             "helo=<mail.example.net>", "BDAT", "552", "5.3.4")
    # Submission service with its own syslog_name.
    s.reject("postfix/submission/smtpd", "NOQUEUE: reject: RCPT from "
             "unknown[198.51.100.150]: 554 5.7.1 <x@example.org>: Relay "
             "access denied; from=<alice@example.com> to=<x@example.org> "
             "proto=ESMTP helo=<laptop>", "RCPT", "554", "5.7.1")

    # Not rejects: warn-only mode and other actions.
    s.reject(smtpd, "NOQUEUE: reject_warning: RCPT from unknown"
             "[203.0.113.11]: 450 4.7.1 Client host rejected: cannot find "
             "your reverse hostname, [203.0.113.11]; from=<a@example.net> "
             "to=<bob@example.com> proto=ESMTP helo=<host11.example>",
             "RCPT", "450", "4.7.1", warning=True)
    s.line(smtpd, "7A8B9C0D1E: hold: RCPT from mail.example.net[192.0.2.31]: "
           "<list@example.net>: Sender address triggers HOLD action; "
           "from=<list@example.net> to=<bob@example.com> proto=ESMTP "
           "helo=<mail.example.net>")
    s.line(smtpd, "NOQUEUE: discard: RCPT from mail.example.net[192.0.2.31]: "
           "<noise@example.com>: Recipient address triggers DISCARD action; "
           "from=<list@example.net> to=<noise@example.com> proto=ESMTP "
           "helo=<mail.example.net>")

    # Milter rejects: from smtpd with a reply code, from cleanup without.
    s.reject(smtpd, "NOQUEUE: milter-reject: RCPT from mail.example.net"
             "[192.0.2.31]: 451 4.7.1 Try again later (greylisted by "
             "policy milter); from=<list@example.net> to=<bob@example.com> "
             "proto=ESMTP helo=<mail.example.net>", "RCPT", "451", "4.7.1")
    s.line(smtpd, "8B9C0D1E2F: client=mta7.bulk.example[198.51.100.90]")
    s.line("postfix/cleanup", "8B9C0D1E2F: message-id=<offer-88123@"
           "bulk.example>", step=0.3, pid=3310)
    s.reject("postfix/cleanup", "8B9C0D1E2F: milter-reject: END-OF-MESSAGE "
             "from mta7.bulk.example[198.51.100.90]: 5.7.1 Spam message "
             "rejected; from=<offers@bulk.example> to=<bob@example.com> "
             "proto=ESMTP helo=<mta7.bulk.example>", "END-OF-MESSAGE", None,
             "5.7.1", step=0.8, pid=3310)

    # cleanup header and body checks.
    s.line(smtpd, "9C0D1E2F3A: client=unknown[203.0.113.91]")
    s.reject("postfix/cleanup", "9C0D1E2F3A: reject: header Subject: Your "
             "account is suspended from unknown[203.0.113.91]; "
             "from=<security@phish.example> to=<dilek@example.com> "
             "proto=ESMTP helo=<phish.example>: 5.7.1 message content "
             "rejected", "header", None, "5.7.1", step=0.3)
    s.line(smtpd, "A0D1E2F3B4: client=unknown[203.0.113.92]")
    s.reject("postfix/cleanup", "A0D1E2F3B4: reject: body Claim your prize "
             "at https://prize.example/?id=12 from unknown[203.0.113.92]; "
             "from=<win@prize.example> to=<erdem@example.com> proto=ESMTP "
             "helo=<prize.example>: 5.7.1 Spam body pattern matched",
             "body", None, "5.7.1", step=0.3)
    s.line("postfix/cleanup", "B1E2F3A4C5: warning: header Subject: "
           "Meeting notes from mail.example.net[192.0.2.31]; "
           "from=<list@example.net> to=<bob@example.com> proto=ESMTP "
           "helo=<mail.example.net>")

    # postscreen: comma-separated fields and [ip]:port.
    s.reject("postfix/postscreen", "NOQUEUE: reject: RCPT from "
             "[203.0.113.99]:40001: 550 5.7.1 Service unavailable; client "
             "[203.0.113.99] blocked using zen.example.org; "
             "from=<ads@promo.example>, to=<alice@example.com>, "
             "proto=ESMTP, helo=<promo.example>", "RCPT", "550", "5.7.1",
             pid=1185)
    s.reject("postfix/postscreen", "NOQUEUE: reject: RCPT from "
             "[2001:db8:66::9]:51002: 450 4.3.2 Service currently "
             "unavailable; from=<a@example.net>, to=<bob@example.com>, "
             "proto=ESMTP, helo=<host9.example>", "RCPT", "450", "4.3.2",
             pid=1185)

    # Before-queue content filter verdict.
    s.reject(smtpd, "NOQUEUE: proxy-reject: END-OF-MESSAGE: 554 5.7.0 "
             "Reject, id=04811-07 - spam; from=<x@spam.example> "
             "to=<bob@example.com> proto=ESMTP helo=<spam.example>",
             "END-OF-MESSAGE", "554", "5.7.0")

    s.fx.notes += [
        "Headers are BSD with a space-padded day (Dec  4) in 2024.",
        "rejected counts smtpd reject, milter-reject and proxy-reject lines"
        " (NOQUEUE or queue id), postscreen reject lines and cleanup"
        " header/body/milter rejects. reject_warning, hold, discard and"
        " cleanup warning lines count nowhere; reject_warning is in"
        " other.reject_warnings.",
        "The proxy-reject line (before-queue content filter) is counted as a"
        " reject; if the project decides otherwise, rejected is one less and"
        " 554 and 5.7.0 drop by one.",
        "cleanup rejects carry only an enhanced code (5.7.1), so"
        " reply_codes sums to rejected minus 3.",
        "reject_stages uses the word after 'reject: ' (or after"
        " 'milter-reject: '/'proxy-reject: '); cleanup header and body"
        " checks are keyed 'header' and 'body'.",
    ]
    return s.fx


def build_timestamps():
    s = Small("timestamps", datetime(2024, 12, 4, 6, 25, 0, 0, tzinfo=PLUS3),
              {"form": "bsd"})
    forms = [
        ("bsd, space-padded day", {"form": "bsd"}),
        ("bsd, zero-padded day", {"form": "bsd0"}),
        ("rfc3339, no fraction, +03:00",
         {"form": "rfc3339", "digits": 0, "offset": "colon"}),
        ("rfc3339, 1 fraction digit, +03:00",
         {"form": "rfc3339", "digits": 1, "offset": "colon"}),
        ("rfc3339, 2 fraction digits, +03:00",
         {"form": "rfc3339", "digits": 2, "offset": "colon"}),
        ("rfc3339, 3 fraction digits, +03:00",
         {"form": "rfc3339", "digits": 3, "offset": "colon"}),
        ("rfc3339, 4 fraction digits, +03:00",
         {"form": "rfc3339", "digits": 4, "offset": "colon"}),
        ("rfc3339, 5 fraction digits, +03:00",
         {"form": "rfc3339", "digits": 5, "offset": "colon"}),
        ("rfc3339, 6 fraction digits, +03:00",
         {"form": "rfc3339", "digits": 6, "offset": "colon"}),
        ("rfc3339, no fraction, Z",
         {"form": "rfc3339", "digits": 0, "offset": "Z"}, timezone.utc),
        ("rfc3339, 3 fraction digits, Z",
         {"form": "rfc3339", "digits": 3, "offset": "Z"}, timezone.utc),
        ("rfc3339, no fraction, +0300",
         {"form": "rfc3339", "digits": 0, "offset": "nocolon"}),
        ("rfc3339, 6 fraction digits, +0300",
         {"form": "rfc3339", "digits": 6, "offset": "nocolon"}),
        ("rfc3339, 3 fraction digits, -05:00",
         {"form": "rfc3339", "digits": 3, "offset": "colon"}, MINUS5),
        ("rfc3339, no fraction, -0500",
         {"form": "rfc3339", "digits": 0, "offset": "nocolon"}, MINUS5),
        ("<22> priority, bsd space-padded",
         {"form": "bsd", "priority": 22}),
        ("<22> priority, bsd zero-padded",
         {"form": "bsd0", "priority": 22}),
        ("<22> priority, rfc3339 6 digits +03:00",
         {"form": "rfc3339", "digits": 6, "offset": "colon",
          "priority": 22}),
        ("<22> priority, rfc3339 no fraction Z",
         {"form": "rfc3339", "digits": 0, "offset": "Z", "priority": 22},
         timezone.utc),
    ]
    outcomes = [
        ("sent", "2.0.0", "250 2.0.0 Ok: queued as {rid}", None),
        ("bounced", "5.1.1", "host mx.example.net[192.0.2.25] said: 550 "
         "5.1.1 <{rcpt}>: Recipient address rejected: User unknown (in reply "
         "to RCPT TO command)", "550"),
        ("deferred", "4.2.2", "host mx.example.net[192.0.2.25] said: 452 "
         "4.2.2 <{rcpt}>: Mailbox full (in reply to RCPT TO command)",
         "452"),
    ]
    detail = []
    base = datetime(2024, 12, 4, 6, 25, 1, 123456, tzinfo=PLUS3)
    for i, entry in enumerate(forms):
        label, form = entry[0], entry[1]
        zone = entry[2] if len(entry) > 2 else PLUS3
        when = (base + timedelta(seconds=i)).astimezone(zone)
        status, dsn, reason, reply = outcomes[i % 3]
        qid = f"3A{i:02d}C4D5E6"
        rcpt = f"user{i:02d}@example.net"
        reason = reason.format(rid=f"7B{i:02d}0A1C2D", rcpt=rcpt)
        s.clock.now = when
        s.status("postfix/smtp", qid, rcpt, "alice@example.com",
                 "mx.example.net[192.0.2.25]:25", dsn, status, reason,
                 host="mx.example.net", reply=reply, step=0, form=form)
        digits = form.get("digits", 0)
        entry_detail = {"line": i + 1, "header": label, "recognized": True}
        if form["form"].startswith("bsd"):
            entry_detail["local_time"] = when.strftime("%Y-%m-%dT%H:%M:%S")
        else:
            utc = when.astimezone(timezone.utc)
            stamp = utc.strftime("%Y-%m-%dT%H:%M:%S")
            if digits:
                stamp += "." + f"{utc.microsecond:06d}"[:digits]
            entry_detail["utc"] = stamp + "Z"
        detail.append(entry_detail)

    # Damaged headers: the payloads are valid status lines that must not
    # be counted.
    damaged = [
        ("bsd without seconds", "Dec  4 06:25"),
        ("bsd with an invalid month name", "Dex  4 06:25:21"),
        ("rfc3339 with an empty fraction", "2024-12-04T06:25:22.+03:00"),
        ("unterminated priority", "<22Dec  4 06:25:23"),
    ]
    for j, (label, head) in enumerate(damaged):
        n = len(forms) + j
        qid = f"3A{n:02d}C4D5E6"
        rcpt = f"user{n:02d}@example.net"
        text = (f"{head} mx1 postfix/smtp[2299]: " + status_message(
            qid, rcpt, "mx.example.net[192.0.2.25]:25", "0.42",
            "0.05/0.01/0.12/0.24", "5.1.1", "bounced",
            remote_reason("mx.example.net", "192.0.2.25",
                 f"550 5.1.1 <{rcpt}>: Recipient address rejected: User "
                 f"unknown", "RCPT TO")))
        s.fx.add(base, text, {"kind": "unrecognized"})
        detail.append({"line": n + 1, "header": label, "recognized": False})
    s.fx.add(base, "2024-12-04T06:25:2", {"kind": "unrecognized"})
    detail.append({"line": len(forms) + len(damaged) + 1,
                   "header": "line cut inside the timestamp",
                   "recognized": False})

    s.fx.extra["line_headers"] = detail
    s.fx.notes += [
        "Every recognized line is one smtp status line; the outcomes cycle"
        " sent, bounced, deferred. All recognized lines describe one"
        " second each from 2024-12-04T03:25:01.123456Z onward, written in"
        " different zones; line_headers gives the UTC instant each RFC 3339"
        " header denotes (fraction truncated to the digits shown) and the"
        " local time of each BSD header, which carries no zone; its year"
        " 2024 is an assumption the header cannot show.",
        "The last five lines have damaged headers and must be reported as"
        " unrecognized; the four with a status payload must not be counted."
        " The last line is cut inside its timestamp.",
    ]
    return s.fx


def build_queue_ids():
    s = Small("queue-ids", datetime(2024, 12, 4, 10, 0, 0, tzinfo=PLUS3),
              {"form": "bsd0"})
    net = "mx.example.net[192.0.2.25]:25"
    cases = [
        ("3F2A1C", "sent"),
        ("A1B2C3D", "bounced"),
        ("4C1D2E3F", "sent"),
        ("E5A6B7C8D", "deferred"),
        ("1A2B3C4D5E", "sent"),
        ("AE0F1A2B3C4", "bounced"),
        ("1A2B3C4D5E6F", "sent"),
        ("4Y3kPq7HxRz2Lb", "sent"),
        ("4Y3kQ02Mb5z9sT", "bounced"),
        ("4Xk9Qz1Lb2z9sT7", "sent"),
        ("4Y3kR18vwNzBcD6f", "deferred"),
        ("4Y3kS2hJjmz3tGr", "sent"),
    ]
    for i, (qid, outcome) in enumerate(cases):
        rcpt = f"r{i:02d}@example.net"
        s.line("postfix/smtpd", f"{qid}: client=mail.example.org"
               f"[192.0.2.40]", step=2.0)
        s.line("postfix/cleanup", f"{qid}: message-id=<m{i:02d}."
               f"{qid.lower()}@example.org>", step=0.05)
        s.qmgr(qid, "sender@example.org", step=0.02)
        if outcome == "sent":
            s.status("postfix/smtp", qid, rcpt, "sender@example.org", net,
                     "2.0.0", "sent", f"250 2.0.0 Ok: queued as R{i:02d}X",
                     host="mx.example.net", step=0.4)
            s.removed(qid)
        elif outcome == "bounced":
            s.status("postfix/smtp", qid, rcpt, "sender@example.org", net,
                     "5.1.1", "bounced",
                     remote_reason("mx.example.net", "192.0.2.25",
                          f"550 5.1.1 <{rcpt}>: Recipient address rejected: "
                          f"User unknown", "RCPT TO"),
                     host="mx.example.net", reply="550", step=0.4)
            if len(qid) > 12:
                ndr_id = f"4Y3kZb{i:02d}z7Q"
            else:
                ndr_id = f"FFFA{i:02d}0"
            s.line("postfix/bounce", f"{qid}: sender non-delivery "
                   f"notification: {ndr_id}", step=0.01)
            s.removed(qid)
        else:
            s.status("postfix/smtp", qid, rcpt, "sender@example.org", net,
                     "4.7.0", "deferred",
                     remote_reason("mx.example.net", "192.0.2.25",
                          "421 4.7.0 Too many connections, try again later",
                          "MAIL FROM"),
                     host="mx.example.net", reply="421", step=0.4)
    # Severity before the queue id, and a pre-queue reject.
    s.line("postfix/cleanup", "warning: 4Y3kT3nPqrz5vWx: "
           "sender_canonical_maps map lookup problem for "
           "sender@example.org -- message not accepted, try again later")
    s.reject("postfix/smtpd", "NOQUEUE: reject: RCPT from unknown"
             "[203.0.113.5]: 554 5.7.1 <x@example.org>: Relay access denied; "
             "from=<y@example.net> to=<x@example.org> proto=ESMTP "
             "helo=<203.0.113.5>", "RCPT", "554", "5.7.1")
    s.fx.extra["queue_ids"] = [qid for qid, _ in cases]
    s.fx.notes += [
        "Headers are BSD with a zero-padded day (Dec 04) in 2024.",
        "queue_ids lists the twelve ids with a status line: short hex ids of"
        " 6 to 12 characters (some containing A and E) and long ids of 14 to"
        " 16 characters, all in one file. 4Xk9Qz1Lb2z9sT7 has two 'z'"
        " characters and still is one id.",
        "The cleanup warning names 4Y3kT3nPqrz5vWx after 'warning: '; it is"
        " no status line and counts nowhere.",
    ]
    return s.fx


def build_multi_instance():
    s = Small("multi-instance", datetime(2024, 12, 4, 7, 0, 0, 0,
                                         tzinfo=timezone.utc),
              {"form": "rfc3339", "digits": 3, "offset": "Z"})
    s.line("postfix", "Postfix is running with backwards-compatible default "
           "settings", pid=1201)
    s.line("postfix/postfix-script", "starting the Postfix mail system",
           pid=1202)
    s.line("postfix-out/postfix-script", "starting the Postfix mail system",
           pid=1212)

    # Submission -> amavis -> reinjection on port 10025 -> postfix-out.
    # A filter replies 250 only after the reinjected copy is queued, so
    # the new queue id appears before the status line that names it.
    s.line("postfix/submission/smtpd", "connect from unknown"
           "[198.51.100.150]")
    s.line("postfix/submission/smtpd", "1B2C3D4E5F: client=unknown"
           "[198.51.100.150], sasl_method=PLAIN, "
           "sasl_username=alice@example.com", step=0.3)
    s.line("postfix/cleanup", "1B2C3D4E5F: message-id=<s1@example.com>",
           step=0.05)
    s.qmgr("1B2C3D4E5F", "alice@example.com", nrcpt=2, step=0.02)
    s.line("postfix/10025/smtpd", "2C3D4E5F6A: client=localhost[127.0.0.1]",
           step=1.5)
    s.line("postfix/cleanup", "2C3D4E5F6A: message-id=<s1@example.com>",
           step=0.01)
    s.status("postfix/amavis/smtp", "1B2C3D4E5F", "bob@example.net",
             "alice@example.com", "127.0.0.1[127.0.0.1]:10024", "2.0.0",
             "sent", "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 "
             "Ok: queued as 2C3D4E5F6A", host="127.0.0.1", handoff=True,
             step=0.02)
    s.status("postfix/amavis/smtp", "1B2C3D4E5F", "gone@example.org",
             "alice@example.com", "127.0.0.1[127.0.0.1]:10024", "2.0.0",
             "sent", "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 "
             "Ok: queued as 2C3D4E5F6A", host="127.0.0.1", handoff=True,
             step=0.001)
    s.qmgr("2C3D4E5F6A", "alice@example.com", nrcpt=2, step=0.001)
    s.removed("1B2C3D4E5F")
    s.line("postfix-out/smtpd", "3D4E5F6A7B: client=localhost[127.0.0.1]",
           step=0.05)
    s.status("postfix/smtp", "2C3D4E5F6A", "bob@example.net",
             "alice@example.com", "127.0.0.1[127.0.0.1]:10026", "2.0.0",
             "sent", "250 2.0.0 Ok: queued as 3D4E5F6A7B", host="127.0.0.1",
             handoff=True, step=0.02)
    s.status("postfix/smtp", "2C3D4E5F6A", "gone@example.org",
             "alice@example.com", "127.0.0.1[127.0.0.1]:10026", "2.0.0",
             "sent", "250 2.0.0 Ok: queued as 3D4E5F6A7B", host="127.0.0.1",
             handoff=True, step=0.001)
    s.qmgr("3D4E5F6A7B", "alice@example.com", nrcpt=2,
           program="postfix-out/qmgr", step=0.001)
    s.removed("2C3D4E5F6A")
    s.status("postfix-out/smtp", "3D4E5F6A7B", "bob@example.net",
             "alice@example.com", "mx.example.net[192.0.2.25]:25", "2.0.0",
             "sent", "250 2.0.0 Ok: queued as 4E5F6A7B8C",
             host="mx.example.net", step=0.9)
    s.status("postfix-out/smtp", "3D4E5F6A7B", "gone@example.org",
             "alice@example.com", "mx.example.org[2001:db8::25]:25", "5.1.1",
             "bounced",
             remote_reason("mx.example.org", "2001:db8::25",
                  "550 5.1.1 <gone@example.org>: Recipient address "
                  "rejected: User unknown", "RCPT TO"),
             host="mx.example.org", reply="550", step=0.2)
    s.line("postfix-out/bounce", "3D4E5F6A7B: sender non-delivery "
           "notification: 5F6A7B8C9D", step=0.01)
    s.removed("3D4E5F6A7B", program="postfix-out/qmgr")

    # Inbound instance with a content filter transport that reinjects
    # into the default instance.
    s.line("postfix-mx/postscreen", "CONNECT from [192.0.2.30]:40100 to "
           "[203.0.113.10]:25", step=30)
    s.line("postfix-mx/postscreen", "PASS OLD [192.0.2.30]:40100", step=0.1)
    s.line("postfix-mx/smtpd", "connect from mail-out.example.net"
           "[192.0.2.30]", step=0.01)
    s.line("postfix-mx/smtpd", "6A7B8C9D0E: client=mail-out.example.net"
           "[192.0.2.30]", step=0.2)
    s.qmgr("6A7B8C9D0E", "colleague@example.net",
           program="postfix-mx/qmgr")
    s.line("postfix/10025/smtpd", "7B8C9D0E1F: client=localhost[127.0.0.1]",
           step=1.1)
    s.status("postfix-mx/content-filter/smtp", "6A7B8C9D0E",
             "can@example.com", "colleague@example.net",
             "127.0.0.1[127.0.0.1]:10024", "2.0.0", "sent",
             "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: "
             "queued as 7B8C9D0E1F", host="127.0.0.1", handoff=True,
             step=0.05)
    s.qmgr("7B8C9D0E1F", "colleague@example.net", step=0.001)
    s.removed("6A7B8C9D0E", program="postfix-mx/qmgr")
    s.status("postfix/lmtp", "7B8C9D0E1F", "can@example.com",
             "colleague@example.net",
             "mx1.example.com[private/dovecot-lmtp]", "2.0.0", "sent",
             "250 2.0.0 <can@example.com> aB3dE5fG7hJ9kL1mN3pQ5r Saved",
             host="mx1.example.com", step=0.3)
    s.removed("7B8C9D0E1F")
    s.line("postfix-mx/smtpd", "NOQUEUE: reject: RCPT from unknown"
           "[203.0.113.77]: 554 5.7.1 <victim@example.net>: Relay access "
           "denied; from=<promo@offers.example> to=<victim@example.net> "
           "proto=ESMTP helo=<203.0.113.77>",
           {"kind": "reject", "stage": "RCPT", "reply": "554",
            "dsn": "5.7.1", "warning": False}, step=12)

    # A second instance that keeps deferring and finally expires a message.
    s.qmgr("8C9D0E1F2A", "erdem@example.com", nrcpt=2,
           program="postfix-secondary/qmgr", step=60)
    s.status("postfix-secondary/smtp", "8C9D0E1F2A", "ops@slow.example",
             "erdem@example.com", "none", "4.4.1", "deferred",
             "connect to mx.slow.example[203.0.113.50]:25: Connection timed "
             "out", delay=431990, delays="431930/0.01/60/0", step=60)
    s.status("postfix-secondary/smtp", "8C9D0E1F2A", "noc@slow.example",
             "erdem@example.com", "none", "4.4.1", "deferred",
             "connect to mx.slow.example[203.0.113.50]:25: Connection timed "
             "out", delay=431990, delays="431930/0.01/60/0", step=0.001)
    s.qmgr("8C9D0E1F2A", "erdem@example.com", nrcpt=2,
           program="postfix-secondary/qmgr", step=4000)
    s.status("postfix-secondary/smtp", "8C9D0E1F2A", "ops@slow.example",
             "erdem@example.com", "none", "4.4.1", "deferred",
             "connect to mx.slow.example[203.0.113.50]:25: Connection timed "
             "out", delay=436050, delays="435990/0.01/60/0", step=60)
    s.status("postfix-secondary/smtp", "8C9D0E1F2A", "noc@slow.example",
             "erdem@example.com", "none", "4.4.1", "deferred",
             "connect to mx.slow.example[203.0.113.50]:25: Connection timed "
             "out", delay=436050, delays="435990/0.01/60/0", step=0.001)
    s.expire("8C9D0E1F2A", "erdem@example.com",
             program="postfix-secondary/qmgr")
    s.line("postfix-secondary/bounce", "8C9D0E1F2A: sender non-delivery "
           "notification: 9D0E1F2A3B", step=0.01)
    s.removed("8C9D0E1F2A", program="postfix-secondary/qmgr")

    s.fx.notes += [
        "Headers are RFC 3339 UTC with milliseconds and 'Z'.",
        "Daemon = last '/' component of the tag: postfix/amavis/smtp,"
        " postfix-mx/content-filter/smtp and postfix-out/smtp are smtp;"
        " postfix/submission/smtpd and postfix/10025/smtpd are smtpd;"
        " postfix-secondary/qmgr is qmgr. 'postfix[1201]:' has no daemon"
        " part and counts nowhere.",
        "One message passes through amavis (2 lines), the reinjection"
        " instance's relay to postfix-out (2 lines) and postfix-mx's content"
        " filter (1 line) before its final delivery: these 5 status=sent"
        " lines to 127.0.0.1 are handoffs, counted as delivered per the"
        " definition (other.handoffs = 5). Counting final deliveries only"
        " gives delivered = 2.",
        "8C9D0E1F2A (postfix-secondary) expires with both recipients"
        " deferred: expired 2.",
    ]
    return s.fx


def build_rollover():
    s = Small("rollover", datetime(2024, 12, 31, 23, 55, 0, tzinfo=PLUS3),
              {"form": "bsd"})
    net = "mx.example.net[192.0.2.25]:25"
    by_date = defaultdict(Counter)

    def count(when, key):
        by_date[when.strftime("%Y-%m-%d")][key] += 1

    s.line("postfix/pickup", "5A0B1C2D3E: uid=1001 from=<newsletter>",
           pid=1186, step=1)
    s.qmgr("5A0B1C2D3E", "newsletter@example.com", nrcpt=3)
    when = s.status("postfix/smtp", "5A0B1C2D3E", "a@example.net",
                    "newsletter@example.com", net, "2.0.0", "sent",
                    "250 2.0.0 Ok: queued as 11AA22BB33",
                    host="mx.example.net")
    count(when, "delivered")
    when = s.status("postfix/smtp", "5A0B1C2D3E", "b@example.net",
                    "newsletter@example.com", net, "4.2.1", "deferred",
                    remote_reason("mx.example.net", "192.0.2.25",
                         "450 4.2.1 <b@example.net>: Mailbox busy, try again "
                         "later", "RCPT TO"),
                    host="mx.example.net", reply="450", step=0.1)
    count(when, "deferred")
    when = s.status("postfix/smtp", "5A0B1C2D3E", "c@example.net",
                    "newsletter@example.com", net, "5.1.1", "bounced",
                    remote_reason("mx.example.net", "192.0.2.25",
                         "550 5.1.1 <c@example.net>: Recipient address "
                         "rejected: User unknown", "RCPT TO"),
                    host="mx.example.net", reply="550", step=0.1)
    count(when, "bounced")
    s.line("postfix/bounce", "5A0B1C2D3E: sender non-delivery notification: "
           "5B1C2D3E4F", step=0.01)
    when = s.reject("postfix/smtpd", "NOQUEUE: reject: RCPT from unknown"
                    "[203.0.113.5]: 554 5.7.1 <x@example.org>: Relay access "
                    "denied; from=<y@example.net> to=<x@example.org> "
                    "proto=ESMTP helo=<203.0.113.5>", "RCPT", "554", "5.7.1",
                    step=170)
    count(when, "rejected")
    # 23:59:59 -> 00:00:00 crossing.
    s.clock.now = datetime(2024, 12, 31, 23, 59, 58, tzinfo=PLUS3)
    s.qmgr("5C2D3E4F50", "alice@example.com", step=0)
    when = s.status("postfix/smtp", "5C2D3E4F50", "d@example.org",
                    "alice@example.com", "mx.example.org[192.0.2.26]:25",
                    "5.2.2", "bounced",
                    remote_reason("mx.example.org", "192.0.2.26",
                         "552 5.2.2 <d@example.org>: Mailbox full",
                         "RCPT TO"),
                    host="mx.example.org", reply="552", step=1)
    count(when, "bounced")
    s.line("postfix/bounce", "5C2D3E4F50: sender non-delivery notification: "
           "5D3E4F5061", step=0.5)
    s.removed("5C2D3E4F50")
    when = s.reject("postfix/smtpd", "NOQUEUE: reject: RCPT from unknown"
                    "[203.0.113.6]: 550 5.1.1 <nobody@example.com>: "
                    "Recipient address rejected: User unknown in virtual "
                    "mailbox table; from=<z@example.net> "
                    "to=<nobody@example.com> proto=ESMTP "
                    "helo=<203.0.113.6>", "RCPT", "550", "5.1.1", step=1)
    count(when, "rejected")
    # The deferred recipient is delivered on the retry in the new year.
    s.clock.now = datetime(2025, 1, 1, 0, 4, 58, tzinfo=PLUS3)
    s.qmgr("5A0B1C2D3E", "newsletter@example.com", nrcpt=3, step=0)
    when = s.status("postfix/smtp", "5A0B1C2D3E", "b@example.net",
                    "newsletter@example.com", net, "2.0.0", "sent",
                    "250 2.0.0 Ok: queued as 44DD55EE66",
                    host="mx.example.net", delay=598,
                    delays="597/0.01/0.2/0.3")
    count(when, "delivered")
    s.removed("5A0B1C2D3E")
    s.qmgr("5E4F506172", "bob@example.com", step=300)
    when = s.status("postfix/smtp", "5E4F506172", "e@example.org",
                    "bob@example.com", "mx.example.org[192.0.2.26]:25",
                    "4.7.1", "deferred",
                    remote_reason("mx.example.org", "192.0.2.26",
                         "451 4.7.1 <e@example.org>: Recipient address "
                         "rejected: Greylisted", "RCPT TO"),
                    host="mx.example.org", reply="451")
    count(when, "deferred")
    s.line("postfix/anvil", "statistics: max connection rate 1/60s for "
           "(smtp:203.0.113.6) at Dec 31 23:59:59", pid=1190, step=2)

    s.fx.extra["by_date"] = {day: dict(sorted(c.items()))
                             for day, c in sorted(by_date.items())}
    s.fx.notes += [
        "BSD headers carry no year. The log runs from Dec 31 23:55 to"
        " Jan  1 00:10 and was written across the New Year of 2024/2025, so"
        " a tool that knows the file ends in 2025 (for example from the file"
        " time or a --year option naming the last line's year) must place"
        " the Dec lines in 2024 and the Jan lines in 2025. by_date gives the"
        " counts per local calendar day under that reading.",
        "Message 5A0B1C2D3E is deferred on Dec 31 and delivered on Jan 1;"
        " the anvil line quotes 'Dec 31 23:59:59' inside its text, which is"
        " no header.",
    ]
    return s.fx


BUILDERS = [build_sample, build_timestamps, build_queue_ids,
            build_multi_instance, build_statuses, build_rejects,
            build_rollover]


def main(argv):
    if len(argv) > 2:
        sys.stderr.write("usage: fixture-truth.py [OUTDIR]\n")
        return 2
    if len(argv) == 2:
        outdir = argv[1]
    else:
        outdir = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              os.pardir, "fixtures", "postfix")
    os.makedirs(outdir, exist_ok=True)
    for build in BUILDERS:
        fixture = build()
        truth = fixture.write(outdir)
        print(f"{fixture.name}.log: {truth['lines']} lines, "
              f"totals {truth['totals']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
