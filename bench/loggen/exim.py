# SPDX-License-Identifier: MIT
"""Exim 4.96/4.97 main logs, in the forms Debian's exim4 writes them.

The server mx2.example.com sends its users' mail out through the
dnslookup router and receives mail for them.  The file changes its line
form in blocks: Exim's own timestamp alone (the default), with
milliseconds, log_timezone and [pid] (log_selector +millisec +pid, with
the 23-character message ids of 4.97), and the same lines sent to syslog
as "exim" with Exim's own time.

Counting follows doc/json-schema.md: delivered per "=>" line, deferred
per "==" line, bounced per "**" line, "retry timeout exceeded" included,
which takes the codes and the reason of the recipient's last "==" line in
the file; rejected per "rejected" line.  Exim writes no enhanced code
field, so a reply's enhanced code is the one in its text.
"""
import time

from .common import (LOCAL_OFFSET, address_for, local_part, syslog_stamper,
                     token)
from .replies import reply_text
from .story import OUR_DOMAIN, Fail, Recipient, Simulation

HOST = "mx2"
OUR_IP = "192.0.2.1"
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# A local delivery "=> alice <alice@example.com>" names the local part
# first; bouncelog counts an address without a domain under "(local)"
# (doc/json-schema.md), although the original address in <> has one.
LOCAL = "(local)"

DATA_REASONS = {"spamdetected", "virusdetected", "emailtoolarge",
                "authfailure", "policyviolation"}

# Line forms, in order of the file: (name, share).
STYLES = [("plain", 0.5), ("ms-tz-pid", 0.3), ("syslog", 0.2)]

# Deferrals Exim makes itself: errno, text after it, reason.
LOCAL_DEFERS = [
    ("110", "Connection timed out", "connectionerror"),
    ("111", "Connection refused", "connectionerror"),
]

# Rejections by our ACLs: text, reply code, enhanced code, reason, temporary.
REJECTS = [
    ("relay not permitted", None, None, "norelaying", False, 5),
    ("Unknown user", None, None, "userunknown", False, 5),
    ("JunkMail rejected - {name} [{ip}] is in an RBL: Client host "
     "blocked using zen.spamhaus.org", None, None, "blocked", False, 5),
    ("greylisted.", None, None, "greylisted", True, 4),
    ("550 5.7.1 Relay not permitted", "550", "5.7.1", "norelaying", False, 2),
    ("550 5.1.1 Mailbox unavailable: user unknown", "550", "5.1.1",
     "userunknown", False, 2),
]


def base62(n, width):
    out = ""
    for _ in range(width):
        out = _B62[n % 62] + out
        n //= 62
    return out


class EximLog(Simulation):
    format_name = "exim"
    lifetime = 4 * 86400		# retry rule F,4d,6h
    bytes_per_arrival = 900

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.our_ip = OUR_IP
        self.style = None
        self.syslog_header = syslog_stamper("rfc3339-us", HOST)
        self.rejects = REJECTS
        self.reject_total = sum(r[-1] for r in REJECTS)
        self.sec = None
        self.date = ""
        self.styles_used = []

    # --- rendering helpers -----------------------------------------------

    def on_segment(self, fraction):
        acc = 0.0
        for name, share in STYLES:
            acc += share
            if fraction < acc:
                break
        if name != self.style:
            self.style = name
            self.styles_used.append(name)
            self.meta["line_styles"] = self.styles_used

    def stamp(self, t):
        sec = int(t)
        if sec != self.sec:
            tm = time.gmtime(sec + LOCAL_OFFSET)
            self.sec = sec
            self.date = (f"{tm.tm_year:04d}-{tm.tm_mon:02d}-{tm.tm_mday:02d} "
                         f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}")
        return self.date

    def emit(self, t, text, pid=None):
        out = self.out
        if t < out.last_time:
            t = out.last_time
        out.last_time = t
        if pid is None:
            pid = 4000 + int(t) % 20000
        style = self.style
        if style == "plain":
            line = f"{self.stamp(t)} {text}"
        elif style == "ms-tz-pid":
            ms = int((t - int(t)) * 1000)
            line = f"{self.stamp(t)}.{ms:03d} +0300 [{pid}] {text}"
        else:
            line = (self.syslog_header(t, "exim", pid) +
                    f"{self.stamp(t)} {text}")
        out.line(line)

    def message_id(self, t):
        n = self.next_id()
        if self.style == "ms-tz-pid":
            return (f"{base62(int(t), 6)}-{base62(n, 11)}-"
                    f"{base62(n * 7 + 3, 4)}")
        return f"{base62(int(t), 6)}-{base62(n, 6)}-{base62(n * 7 + 3, 2)}"

    def client(self):
        rng = self.rng
        ip = address_for(f"client{int(rng.random() * 5000)}", 0.15)
        return f"{token(rng, 6)}.{self.domains.pick()}", ip

    # --- failures --------------------------------------------------------

    def remote_fail(self, r, reply):
        after = ("end of data" if reply.reason in DATA_REASONS
                 else f"RCPT TO:<{r.address}>")
        text = (f"SMTP error from remote mail server after {after}: "
                f"{self.fill(reply_text(reply, chr(92) + 'n'), r, OUR_DOMAIN)}")
        return Fail(reply, text, reply.code, reply.enh, reply.reason)

    def local_defer(self, r):
        errno, text, reason = LOCAL_DEFERS[
            int(self.rng.random() * len(LOCAL_DEFERS))]
        return Fail(None, f"({errno}): {text} H={r.mx} [{r.ip}]", None, None,
                    reason, local=True)

    def local_bounce(self, r):
        return Fail(None, "Unrouteable address", None, None, "hostunknown",
                    local=True)

    # --- outbound --------------------------------------------------------

    def submit(self, t, msg):
        rng = self.rng
        user = msg.sender.partition("@")[0]
        rcpts = " ".join(r.address for r in msg.rcpts)
        mid = f"{token(rng, 14)}@{OUR_DOMAIN}"
        if rng.random() < 0.6:
            cname, cip = self.client()
            self.emit(t, f"{msg.id} <= {msg.sender} H=({token(rng, 6)}) "
                         f"[{cip}]:{1024 + int(rng.random() * 60000)} "
                         f"I=[{OUR_IP}]:587 P=esmtpsa "
                         f"X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no "
                         f"A=plain:{user} S={msg.size} id={mid} "
                         f"for {rcpts}")
        else:
            self.emit(t, f"{msg.id} <= {msg.sender} U={user} P=local "
                         f"S={msg.size} id={mid} for {rcpts}")

    def retry_delay(self, attempts):
        # F,2h,15m then G,16h,1h,1.5 then F,4d,6h, rounded up to the
        # next queue run (-q30m) with some jitter.
        if attempts < 8:
            delay = 900
        else:
            delay = min(3600 * 1.5 ** (attempts - 8), 6 * 3600)
        return delay + self.rng.random() * 300

    def attempt_start(self, t, msg):
        pass

    def delivered(self, t, msg, r):
        rng = self.rng
        if r.provider == "gmail":
            reply = f"250 2.0.0 OK  {int(t)} {token(rng, 20)} - gsmtp"
        else:
            reply = f"250 2.0.0 Ok: queued as {token(rng, 10).upper()}"
        self.emit(t, f"{msg.id} => {r.address} R=dnslookup T=remote_smtp "
                     f"H={r.mx} [{r.ip}] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 "
                     f"CV=yes C=\"{reply}\"")
        self.truth.delivered(r.domain)

    def deferred(self, t, msg, r, fail):
        if fail.local:
            self.emit(t, f"{msg.id} == {r.address} R=dnslookup "
                         f"T=remote_smtp defer {fail.text}")
        else:
            self.emit(t, f"{msg.id} == {r.address} R=dnslookup "
                         f"T=remote_smtp defer (-44) H={r.mx} [{r.ip}]: "
                         f"{fail.text}")
        self.count_deferred(r, fail)

    def bounced(self, t, msg, r, fail):
        if fail.local:
            self.emit(t, f"{msg.id} ** {r.address}: {fail.text}")
        else:
            self.emit(t, f"{msg.id} ** {r.address} R=dnslookup "
                         f"T=remote_smtp H={r.mx} [{r.ip}] "
                         f"X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: "
                         f"{fail.text}")
        self.count_bounced(r, fail)

    def notify(self, t, msg):
        nid = self.message_id(t)
        self.emit(t, f"{nid} <= <> R={msg.id} U=Debian-exim P=local S=3871 "
                     f"T=\"Mail delivery failed: returning message to "
                     f"sender\"")
        self.truth.totals["notifications"] += 1
        user = msg.sender.partition("@")[0]
        self.emit(t + 0.02, f"{nid} => {user} <{msg.sender}> R=local_user "
                            f"T=mail_spool")
        self.truth.delivered(LOCAL)
        self.emit(t + 0.03, f"{nid} Completed")

    def finish(self, t, msg):
        self.emit(t, f"{msg.id} Completed")

    def expire(self, t, msg):
        tr = self.truth
        for r in msg.rcpts:
            if r.state != "pending":
                continue
            r.state = "bounced"
            self.emit(t, f"{msg.id} ** {r.address} R=dnslookup "
                         f"T=remote_smtp: retry timeout exceeded")
            last = r.last_fail if r.seen_deferred else None
            if last is None:
                tr.failure("bounced", r.domain, "expired")
            else:
                tr.failure("bounced", r.domain, last.reason, last.code,
                           last.enh)
        self.notify(t + 0.01, msg)
        self.finish(t + 0.1, msg)

    # --- inbound ---------------------------------------------------------

    def inbound(self, t):
        rng = self.rng
        if rng.random() < self.failure * 0.9:
            self.reject_session(t)
            return
        cname, cip = self.client()
        mid = self.message_id(t)
        sender = f"{local_part(rng)}@{self.domains.pick()}"
        user = self.user()
        self.emit(t, f"{mid} <= {sender} H={cname} [{cip}]:"
                     f"{1024 + int(rng.random() * 60000)} I=[{OUR_IP}]:25 "
                     f"P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no "
                     f"S={2000 + int(rng.random() * 90000)} "
                     f"id={token(rng, 16)}@{sender.partition('@')[2]}")
        self.sched.at(t + 0.2 + rng.random(), self.inbound_done, mid, user)

    def inbound_done(self, t, mid, user):
        self.emit(t, f"{mid} => {user} <{user}@{OUR_DOMAIN}> R=local_user "
                     f"T=mail_spool")
        self.truth.delivered(LOCAL)
        self.emit(t + 0.01, f"{mid} Completed")

    def reject_session(self, t):
        rng = self.rng
        cname, cip = self.client()
        x = rng.random() * self.reject_total
        for text, code, enh, reason, temp, weight in self.rejects:
            x -= weight
            if x < 0:
                break
        if reason == "norelaying":
            r = self.remote_recipient()
        else:
            r = Recipient(f"{self.user()}@{OUR_DOMAIN}", OUR_DOMAIN, None,
                          "", "")
        sender = f"{local_part(rng)}@{self.domains.pick()}"
        port = 1024 + int(rng.random() * 60000)
        text = text.format(name=cname, ip=cip)
        verb = "temporarily rejected" if temp else "rejected"
        self.emit(t, f"H={cname} [{cip}]:{port} I=[{OUR_IP}]:25 "
                     f"F=<{sender}> {verb} RCPT <{r.address}>: {text}")
        self.truth.failure("rejected", r.domain, reason, code, enh)

    def noise(self, t):
        rng = self.rng
        x = rng.random()
        cname, cip = self.client()
        if x < 0.4:
            self.emit(t, f"SMTP connection from {cname} [{cip}]:"
                         f"{1024 + int(rng.random() * 60000)} "
                         f"I=[{OUR_IP}]:25 (TCP/IP connection count = "
                         f"{1 + int(rng.random() * 9)})")
        elif x < 0.7:
            pid = 4000 + int(rng.random() * 20000)
            self.emit(t, f"Start queue run: pid={pid}", pid)
            self.emit(t + 0.5, f"End queue run: pid={pid}", pid)
        else:
            self.emit(t, f"no host name found for IP address {cip}")
