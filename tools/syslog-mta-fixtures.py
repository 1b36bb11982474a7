#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the Sendmail, OpenSMTPD and mixed mail.log fixtures and their truth.

Usage: syslog-mta-fixtures.py [FIXTURES_DIR]

FIXTURES_DIR defaults to fixtures/ in the repository that contains this
script.  It writes sendmail/maillog.log, opensmtpd/maillog.log and
mixed/mail.log, each with the LOG.expected.json that tests/fixture_truth.py
compares with bouncelog's JSON report.

Each log is a scripted day.  Every line is written together with its
meaning (delivered, deferred, bounced, rejected, a notice, or nothing to
count), and the expected counts are computed from those meanings in file
order, never by parsing the generated text.  The output is the same on
every run.  Only reserved names and addresses are used: example.com/.net/
.org, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32.
"""
import json
import os
import sys
from collections import Counter

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def stamp(seconds):
    """Return the BSD syslog time of 6 May plus seconds since midnight."""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"May  6 {h:02d}:{m:02d}:{s:02d}"


def split_reply(text):
    """Return the reply code and enhanced code that start a reply."""
    words = (text or "").split()
    code = enh = None
    if words and len(words[0]) == 3 and words[0].isdigit() \
            and words[0][0] in "2345":
        code = words[0]
        words = words[1:]
    if words:
        first = words[0].rstrip(":")
        parts = first.split(".")
        if len(parts) == 3 and all(p.isdigit() for p in parts) \
                and parts[0] in "245":
            enh = first
    return code, enh


class Log:
    """The lines of one fixture and the counts their meanings give."""

    def __init__(self):
        self.lines = []
        self.totals = Counter()
        self.reply_codes = Counter()
        self.enhanced_codes = Counter()
        self.pending = {}           # (qid, rcpt) -> deferred, no outcome
        self.deferred_pairs = set()
        self.clock = 0

    def at(self, seconds):
        self.clock = max(self.clock, seconds)
        return self

    def emit(self, host, program, message, step=1):
        self.lines.append(f"{stamp(self.clock)} {host} {program}: {message}")
        self.clock += step

    # Meanings, in the order the lines are written.

    def failure(self, reply=None, enh=None):
        code, reply_enh = split_reply(reply)
        if code:
            self.reply_codes[code] += 1
        if enh or reply_enh:
            self.enhanced_codes[enh or reply_enh] += 1

    def delivered(self, qid, rcpt):
        self.totals["delivered"] += 1
        self.pending.pop((qid, rcpt), None)

    def deferred(self, qid, rcpt, reply=None, enh=None):
        self.totals["deferred"] += 1
        self.deferred_pairs.add((qid, rcpt))
        self.pending[(qid, rcpt)] = True
        self.failure(reply, enh)

    def bounced(self, qid, rcpt, reply=None, enh=None):
        self.totals["bounced"] += 1
        self.pending.pop((qid, rcpt), None)
        self.failure(reply, enh)

    def expired_rcpt(self, qid, rcpt):
        self.totals["expired"] += 1
        self.pending.pop((qid, rcpt), None)

    def expired_message(self, qid):
        """Count a message's expiry: its recipients still deferred."""
        waiting = [k for k in self.pending if k[0] == qid]
        for k in waiting:
            del self.pending[k]
        self.totals["expired_messages"] += 1
        self.totals["expired"] += max(1, len(waiting))

    def rejected(self, reply):
        self.totals["rejected"] += 1
        self.failure(reply)

    def notification(self):
        self.totals["notifications"] += 1

    def truth(self, name, notes):
        totals = {k: self.totals.get(k, 0) for k in (
            "delivered", "deferred", "bounced", "expired", "rejected",
            "notifications", "expired_messages", "forwarded",
            "reject_warnings", "code_mismatches")}
        totals["deferred_recipients"] = len(self.deferred_pairs)
        return {
            "file": name,
            "lines": len(self.lines),
            "totals": totals,
            "reply_codes": dict(sorted(self.reply_codes.items())),
            "enhanced_codes": dict(sorted(self.enhanced_codes.items())),
            "notes": notes,
        }


# ---------------------------------------------------------------------------
# Sendmail

class Sendmail:
    """Sendmail 8.17 lines of one host, with their meanings."""

    def __init__(self, log, host, pid=4000):
        self.log = log
        self.host = host
        self.pid = pid

    def emit(self, message, program="sm-mta", step=1):
        self.pid += 1
        self.log.emit(self.host, f"{program}[{self.pid}]", message, step)

    def sender(self, qid, sender, nrcpts, relay, size=2400):
        self.emit(f"{qid}: from=<{sender}>, size={size}, class=0, "
                  f"nrcpts={nrcpts}, msgid=<{qid}.{nrcpts}@example.com>, "
                  f"proto=ESMTP, daemon=MTA-v4, relay={relay}")

    def to_line(self, qid, rcpts, mailer, relay, dsn, stat, delay="00:00:01",
                ctladdr=None, more=False):
        to = ",".join(f"<{r}>" for r in rcpts) + (", [more]" if more else "")
        fields = f"ctladdr=<{ctladdr}> (1000/1000), " if ctladdr else ""
        fields += f"delay={delay}, xdelay=00:00:01, mailer={mailer}, pri=32400, "
        if relay:
            fields += f"relay={relay}, "
        self.emit(f"{qid}: to={to}, {fields}dsn={dsn}, stat={stat}")

    def sent(self, qid, rcpts, relay="mx.example.org. [198.51.100.7]",
             reply="Sent (Ok: queued as 4VxQ2m1Zz9)", mailer="esmtp",
             **kw):
        self.to_line(qid, rcpts, mailer, relay, "2.0.0", reply, **kw)
        for r in rcpts:
            self.log.delivered(qid, r)

    def local(self, qid, rcpt):
        self.to_line(qid, [rcpt], "local", None, "2.0.0", "Sent")
        self.log.delivered(qid, rcpt)

    def deferred(self, qid, rcpts, relay, dsn, text, **kw):
        self.to_line(qid, rcpts, "esmtp", relay, dsn, "Deferred: " + text,
                     **kw)
        for r in rcpts:
            self.log.deferred(qid, r, text, dsn)

    def bounced(self, qid, rcpts, relay, dsn, stat, **kw):
        self.to_line(qid, rcpts, "esmtp", relay, dsn, stat, **kw)
        for r in rcpts:
            self.log.bounced(qid, r, None, dsn)

    def dsn(self, qid, new_qid, text, expired=False):
        self.emit(f"{qid}: {new_qid}: DSN: {text}")
        if expired:
            self.log.expired_message(qid)
        self.log.notification()

    def reject(self, qid, ruleset, arg1, relay, reply):
        prefix = f"{qid}: " if qid else ""
        self.emit(f"{prefix}ruleset={ruleset}, arg1={arg1}, relay={relay}, "
                  f"reject={reply}")
        self.log.rejected(reply)

    def noise(self, message, program="sm-mta"):
        self.emit(message, program)


def foreign(log, host, program, message):
    log.emit(host, program, message)


def build_sendmail(log, host="relay", pid=4000):
    """Write one day of a Sendmail relay: users send out, mail comes in."""
    sm = Sendmail(log, host, pid)
    mx_org = "mx.example.org. [198.51.100.7]"
    mx_net = "mx.example.net. [203.0.113.5]"
    client = "client.example.com [192.0.2.10]"

    log.at(6 * 3600)
    sm.noise("starting daemon (8.17.1.9): SMTP+queueing@00:30:00")
    sm.noise("starting daemon (8.17.1.9): queueing@00:30:00",
             "sm-msp-queue")

    # Inbound mail for local users, delivered by the local mailer.
    for i, (sender, rcpt) in enumerate([
            ("news@example.net", "alice@example.com"),
            ("bob@example.org", "carol@example.com"),
            ("billing@example.net", "dave@example.com")]):
        qid = f"446G{i}a1A00{4700 + i}"
        log.at(6 * 3600 + 300 + i * 600)
        sm.noise(f"STARTTLS=server, relay=mail.example.net [203.0.113.{20 + i}], "
                 "version=TLSv1.3, verify=NO, cipher=TLS_AES_256_GCM_SHA384, "
                 "bits=256/256")
        sm.sender(qid, sender, 1, f"mail.example.net [203.0.113.{20 + i}]")
        sm.local(qid, rcpt)
        foreign(log, host, f"dovecot[{900 + i}]",
                f"lda({rcpt.split('@')[0]})<{900 + i}><x{i}>: "
                f"msgid=<{qid}@example.net>: saved mail to INBOX")

    # An authenticated user sends to three recipients on one line.
    log.at(8 * 3600)
    qid = "446I0aB1004811"
    sm.noise(f"{qid}: AUTH=server, relay={client}, authid=alice, "
             "mech=PLAIN, bits=0")
    sm.sender(qid, "alice@example.com", 3, client)
    sm.noise("STARTTLS=client, relay=mx.example.org., version=TLSv1.3, "
             "verify=OK, cipher=TLS_AES_256_GCM_SHA384, bits=256/256")
    sm.sent(qid, ["bob@example.org", "erin@example.org", "frank@example.org"],
            ctladdr="alice@example.com")

    # Greylisting: deferred, then sent on the next queue run.
    log.at(8 * 3600 + 600)
    qid = "446I1aB2004812"
    sm.sender(qid, "carol@example.com", 1, client)
    sm.deferred(qid, ["gina@example.net"], mx_net, "4.7.1",
                "451 4.7.1 <gina@example.net>: Recipient address rejected: "
                "Greylisted, try again later")
    log.at(9 * 3600 + 600)
    sm.sent(qid, ["gina@example.net"], relay=mx_net,
            reply="Sent (Ok: queued as 9F2E1C0042)", delay="01:00:02")

    # A user that does not exist: the bounce, its notice and its delivery.
    log.at(9 * 3600 + 1200)
    qid = "446J2aB3004813"
    sm.sender(qid, "dave@example.com", 1, client)
    sm.bounced(qid, ["nobody@example.org"], mx_org, "5.1.1", "User unknown")
    sm.dsn(qid, "446J2aB4004814", "User unknown")
    sm.sender("446J2aB4004814", "", 1, "localhost")
    sm.local("446J2aB4004814", "dave@example.com")

    # A newsletter to five recipients, logged over two lines.
    log.at(10 * 3600)
    qid = "446K3aB5004815"
    sm.sender(qid, "news@example.com", 5, "localhost [127.0.0.1]")
    sm.sent(qid, ["r1@example.net", "r2@example.net", "r3@example.net"],
            relay=mx_net, reply="Sent (ok 1714987200)", more=True)
    sm.sent(qid, ["r4@example.net", "r5@example.net"], relay=mx_net,
            reply="Sent (ok 1714987200)")

    # Connection timeouts: two deferrals of two recipients, then sent.
    log.at(10 * 3600 + 900)
    qid = "446K4aB6004816"
    sm.sender(qid, "erin@example.com", 2, client)
    slow = "mail.example.net."
    sm.deferred(qid, ["h1@example.net", "h2@example.net"], slow, "4.0.0",
                "Connection timed out with mail.example.net.")
    log.at(11 * 3600 + 900)
    sm.deferred(qid, ["h1@example.net", "h2@example.net"], slow, "4.0.0",
                "Connection timed out with mail.example.net.",
                delay="01:00:05")
    log.at(12 * 3600 + 900)
    sm.sent(qid, ["h1@example.net", "h2@example.net"],
            relay="mail.example.net. [203.0.113.40]",
            reply="Sent (Message accepted)", delay="02:00:03")

    # A message queued five days ago expires: one more deferral of its two
    # recipients, then the expiry notice and its local delivery.
    log.at(12 * 3600 + 1800)
    qid = "441C5aB7003001"
    sm.deferred(qid, ["ops@example.org", "ceo@example.org"],
                "mx.example.org.", "4.0.0",
                "Connection refused by mx.example.org.", delay="4+23:59:10")
    sm.dsn(qid, "446M5aB8004818", "Cannot send message for 5 days",
           expired=True)
    sm.sender("446M5aB8004818", "", 1, "localhost")
    sm.local("446M5aB8004818", "frank@example.com")

    # A delay warning for another old message.
    log.at(13 * 3600)
    qid = "4462Q6aB9003002"
    sm.deferred(qid, ["slow@example.org"], "mx.example.org.", "4.4.1",
                "Connection refused by mx.example.org.", delay="04:00:10")
    sm.dsn(qid, "446N6aC0004820", "Warning: could not send message for "
           "past 4 hours")
    sm.sender("446N6aC0004820", "", 1, "localhost")
    sm.local("446N6aC0004820", "erin@example.com")

    # A full mailbox and a host that does not exist.
    log.at(14 * 3600)
    qid = "446O7aC1004821"
    sm.sender(qid, "bob@example.com", 2, client)
    sm.bounced(qid, ["full@example.net"], mx_net, "5.2.2",
               "Service unavailable")
    sm.bounced(qid, ["x@nowhere.example.net"], "nowhere.example.net.",
               "5.1.2",
               "Host unknown (Name server: nowhere.example.net: host not "
               "found)")
    sm.dsn(qid, "446O7aC2004822", "Service unavailable")
    sm.sender("446O7aC2004822", "", 1, "localhost")
    sm.local("446O7aC2004822", "bob@example.com")

    # A local cron mail through the submission queue.
    log.at(15 * 3600)
    qid = "446P8aC3004823"
    sm.emit(f"{qid}: from=root, size=812, class=0, nrcpts=1, "
            f"msgid=<{qid}@relay.example.com>, relay=root@localhost",
            "sm-msp-queue")
    sm.emit(f"{qid}: to=root, ctladdr=root (0/0), delay=00:00:00, "
            "xdelay=00:00:00, mailer=relay, pri=30812, relay=[127.0.0.1] "
            "[127.0.0.1], dsn=2.0.0, stat=Sent (446P8aC4004824 Message "
            "accepted for delivery)", "sm-msp-queue")
    log.delivered(qid, "root")
    sm.emit(f"{qid}: to=<x@example.org>, delay=00:00:00, mailer=esmtp, "
            "pri=30812, stat=queued")

    # Inbound rejections and the noise of a day on the Internet.
    log.at(16 * 3600)
    sm.reject("446Q9aC5004825", "check_rcpt", "<h@example.net>",
              "client.example.org [203.0.113.9]",
              "550 5.7.1 <h@example.net>... Relaying denied. Proper "
              "authentication required.")
    sm.reject("446Q9aC6004826", "check_rcpt", "<j@example.net>",
              "[198.51.100.226]",
              "550 5.7.1 <j@example.net>... Relaying denied. IP name "
              "lookup failed [198.51.100.226]")
    sm.reject("446Q9aC7004827", "check_mail", "<s@nodomain.example.org>",
              "int0.example.org [203.0.113.19] (may be forged)",
              "553 5.1.8 <s@nodomain.example.org>... Domain of sender "
              "address s@nodomain.example.org does not exist")
    sm.reject(None, "check_relay", "host.example.net",
              "host.example.net [192.0.2.123]",
              "421 4.3.2 Connection rate limit exceeded.")
    sm.noise("446Q9aC8004828: ruleset=check_rcpt, arg1=<t@example.com>, "
             "relay=[198.51.100.45], reject=450 4.4.0 <t@example.com>... "
             "Relaying temporarily denied. Cannot resolve PTR record for "
             "198.51.100.45")
    log.rejected("450 4.4.0 <t@example.com>... Relaying temporarily "
                 "denied")
    sm.noise("446Q9aC9004829: <ghost@example.com>... User unknown")
    log.rejected(None)
    sm.noise("446Q9aC9004829: from=<spam@example.net>, size=0, class=0, "
             "nrcpts=0, proto=ESMTP, daemon=MTA-v4, relay=bad.example.net "
             "[203.0.113.66]")
    sm.noise("446Q9aC9004829: lost input channel from bad.example.net "
             "[203.0.113.66] to MTA-v4 after rcpt")
    sm.noise("446QAaD0004830: Milter: data, reject=554 5.7.1 Spam message "
             "rejected")
    log.rejected("554 5.7.1 Spam message rejected")
    sm.noise("446QAaD1004831: Milter: to=<carol@example.com>, reject=451 "
             "4.7.1 Greylisting in action, please come back later")
    log.rejected("451 4.7.1 Greylisting in action, please come back "
                 "later")
    foreign(log, host, "milter-greylist[700]", "446QAaD1004831: addr "
            "192.0.2.77 from <x@example.org> to <carol@example.com> delayed "
            "for 00:05:00")
    sm.noise("446QBaD2004832: [192.0.2.78]: possible SMTP attack: "
             "command=AUTH, count=5")
    sm.noise("446QBaD3004833: AUTH failure (LOGIN): authentication failure "
             "(-13) SASL(-13): authentication failure: checkpass failed, "
             "user=admin, relay=[192.0.2.78]")
    sm.noise("446QBaD4004834: host.example.org [192.0.2.194] did not issue "
             "MAIL/EXPN/VRFY/ETRN during connection to MTA-v4")
    sm.noise("446QBaD5004835: [192.0.2.76]: EXPN root [rejected]")
    sm.noise("446QBaD6004836: timeout waiting for input from "
             "slow.example.org during server cmd read")
    sm.noise("446QBaD7004837: rejecting commands from [192.0.2.9] due to "
             "pre-greeting traffic after 0 seconds")
    sm.noise("446QBaD8004838: ruleset=check_mail, arg1=<promo@example.net>, "
             "relay=[192.0.2.90], discard")
    foreign(log, host, "opendkim[620]", "446QAaD0004830: mail.example.net "
            "[203.0.113.30] not internal")
    foreign(log, host, "dovecot[910]", "imap-login: Login: "
            "user=<alice@example.com>, method=PLAIN, rip=192.0.2.10, "
            "lip=192.0.2.1, mpid=912, TLS, session=<abc123>")
    foreign(log, host, "CRON[1500]", "(root) CMD (test -x /usr/sbin/"
            "sendmail && /usr/share/sendmail/sendmail cron-msp)")


def sendmail_notes():
    return (
        "Counted from the story in tools/syslog-mta-fixtures.py, not from "
        "any parser's output. delivered counts each recipient of a stat=Sent "
        "line, so the three-recipient line and the newsletter split over a "
        "'[more]' line and its continuation count 3 and 5. deferred counts "
        "each recipient of each stat=Deferred line; deferred_recipients the "
        "distinct (queue id, recipient) pairs. bounced counts each recipient "
        "of a failure line (dsn=5.x.x): User unknown, Service unavailable, "
        "Host unknown. The DSN line 'Cannot send message for 5 days' is the "
        "expiry of 441C5aB7003001: expired_messages 1 and expired 2, its two "
        "recipients deferred earlier in the file; it is also a notification. "
        "notifications counts the four DSN lines (one bounce notice, one "
        "expiry, one delay warning, one notice for two bounces). The notices "
        "are then delivered locally and count as delivered. stat=queued is "
        "not a delivery. rejected counts the ruleset rejections (check_rcpt, "
        "check_mail, check_relay), the '<ghost@example.com>... User unknown' "
        "user error and the two milter rejections; 'ruleset=... discard' is "
        "not one. reply_codes and enhanced_codes count deferrals, bounces "
        "and rejections; on delivery lines the enhanced code is dsn=, and "
        "the reply code is the one that starts the text after 'Deferred: '. "
        "Sendmail writes no reply code on bounces. The user error has no "
        "codes. CRON, dovecot, opendkim and milter-greylist lines are other "
        "programs.")


# ---------------------------------------------------------------------------
# OpenSMTPD

class OpenSMTPD:
    """OpenSMTPD 7.x lines of one host, with their meanings."""

    def __init__(self, log, host, pid=3101):
        self.log = log
        self.host = host
        self.pid = pid
        self.next_id = 0x7a1c0e5b3d2f9a00

    def emit(self, message, step=1):
        self.log.emit(self.host, f"smtpd[{self.pid}]", message, step)

    def session(self):
        self.next_id += 0x1f3
        return f"{self.next_id:016x}"

    def inbound(self, client_ip, client_host, sender, rcpts, msgid,
                failures=()):
        """Write a client session: failed commands, then one message or none."""
        sid = self.session()
        self.emit(f"{sid} smtp connected address={client_ip} "
                  f"host={client_host}")
        self.emit(f"{sid} smtp tls ciphers=TLSv1.3:TLS_AES_256_GCM_SHA384:256")
        for command, reply in failures:
            self.emit(f'{sid} smtp failed-command command="{command}" '
                      f'result="{reply}"')
            self.log.rejected(reply)
        evpids = []
        if rcpts:
            self.emit(f"{sid} smtp message msgid={msgid} size=2345 "
                      f"nrcpt={len(rcpts)} proto=ESMTP")
            for i, rcpt in enumerate(rcpts):
                evpid = f"{msgid}{i + 1:08x}"
                evpids.append(evpid)
                self.emit(f"{sid} smtp envelope evpid={evpid} "
                          f"from=<{sender}> to=<{rcpt}>")
        self.emit(f"{sid} smtp disconnected reason=quit")
        return evpids

    def mda(self, evpid, sender, rcpt, result, stat, meaning, user=None):
        sid = self.session()
        user = user or rcpt.split("@")[0]
        self.emit(f"{sid} mda delivery evpid={evpid} from=<{sender}> "
                  f"to=<{rcpt}> rcpt=<{rcpt}> user={user} delay=0s "
                  f"result={result} stat={stat}")
        meaning(evpid, rcpt)

    def mta(self, evpid, sender, rcpt, ip, name, result, stat, delay="2s"):
        sid = self.session()
        self.emit(f"{sid} mta connecting address=smtp://{ip}:25 host={name}")
        self.emit(f"{sid} mta connected")
        self.emit(f'{sid} mta delivery evpid={evpid} from=<{sender}> '
                  f'to=<{rcpt}> rcpt=<-> source="192.0.2.5" '
                  f'relay="{ip} ({name})" delay={delay} result="{result}" '
                  f'stat="{stat}"')
        self.emit(f"{sid} mta disconnected reason=quit messages=1")
        if result == "Ok":
            self.log.delivered(evpid, rcpt)
        elif result == "TempFail":
            self.log.deferred(evpid, rcpt, stat)
        else:
            self.log.bounced(evpid, rcpt, stat)


def build_opensmtpd(log, host="mail", pid=3101):
    """Write one day of an OpenSMTPD server with local users."""
    os_ = OpenSMTPD(log, host, pid)
    ok = log.delivered

    log.at(7 * 3600)
    os_.emit("info: OpenSMTPD 7.4.0 starting")

    # Inbound mail for local users; one recipient is unknown.
    log.at(7 * 3600 + 120)
    evps = os_.inbound("192.0.2.10", "client.example.com",
                       "alice@example.net", ["bob@example.com",
                                             "carol@example.com"],
                       "4f2a9c11",
                       failures=[("RCPT TO:<ghost@example.com>",
                                  "550 Invalid recipient: "
                                  "<ghost@example.com>")])
    os_.mda(evps[0], "alice@example.net", "bob@example.com", "Ok",
            "Delivered", ok)
    os_.mda(evps[1], "alice@example.net", "carol@example.com", "Ok",
            "Delivered", ok)

    # The local delivery agent fails for a while, then succeeds.
    log.at(8 * 3600)
    evps = os_.inbound("203.0.113.20", "mail.example.org",
                       "news@example.org", ["erin@example.com"], "5b3d7e90")
    os_.mda(evps[0], "news@example.org", "erin@example.com", "TempFail",
            'Error ("dovecot-lda" exited with status: 75)',
            lambda e, r: log.deferred(e, r))
    log.at(8 * 3600 + 600)
    os_.mda(evps[0], "news@example.org", "erin@example.com", "Ok",
            "Delivered", ok)

    # A forwarding loop, caught by the local delivery agent.
    log.at(9 * 3600)
    evps = os_.inbound("203.0.113.21", "list.example.org",
                       "list@example.org", ["loop@example.com"], "6c4e8fa3")
    os_.mda(evps[0], "list@example.org", "loop@example.com", "PermFail",
            "Loop detected", lambda e, r: log.bounced(e, r))

    # Users send out through submission.
    log.at(10 * 3600)
    evps = os_.inbound("192.0.2.30", "laptop.example.com",
                       "bob@example.com", ["frank@example.org",
                                           "nobody@example.org"], "7d5f90b4")
    os_.mta(evps[0], "bob@example.com", "frank@example.org", "198.51.100.7",
            "mx.example.org", "Ok", "250 2.0.0 Ok: queued as 9F2E1C0042")
    os_.mta(evps[1], "bob@example.com", "nobody@example.org",
            "198.51.100.7", "mx.example.org", "PermFail",
            "550 5.1.1 <nobody@example.org>: Recipient address rejected: "
            "User unknown in virtual mailbox table")

    # Greylisting, then delivered half an hour later.
    log.at(11 * 3600)
    evps = os_.inbound("192.0.2.31", "desk.example.com", "carol@example.com",
                       ["gina@example.net"], "8e6f01c5")
    os_.mta(evps[0], "carol@example.com", "gina@example.net", "203.0.113.5",
            "mx.example.net", "TempFail",
            "451 4.7.1 <gina@example.net>: Recipient address rejected: "
            "Greylisted")
    log.at(11 * 3600 + 1800)
    os_.mta(evps[0], "carol@example.com", "gina@example.net", "203.0.113.5",
            "mx.example.net", "Ok", "250 2.0.0 OK 1714993200 - gsmtp",
            delay="30m")

    # A host that refuses connections, and a full mailbox.
    log.at(12 * 3600)
    evps = os_.inbound("192.0.2.30", "laptop.example.com", "bob@example.com",
                       ["h@example.net", "full@example.net"], "9f7021d6")
    os_.mta(evps[0], "bob@example.com", "h@example.net", "198.51.100.77",
            "mail.example.net", "TempFail", "Connection refused")
    os_.mta(evps[1], "bob@example.com", "full@example.net", "203.0.113.5",
            "mx.example.net", "PermFail",
            "552 5.2.2 <full@example.net>: mailbox full")

    # An envelope queued four days ago expires.
    log.at(13 * 3600)
    os_.emit("relay: Expire for 84e6f01c55ee66ff: from=<bob@example.com>, "
             "to=<frank@unreachable.example.net>, rcpt=<->, delay=4d, "
             "stat=Envelope expired")
    log.expired_rcpt("84e6f01c55ee66ff", "frank@unreachable.example.net")
    os_.emit("smtp-out: No MX found for [connector:[]->[relay:"
             "unreachable.example.net,smtp],0x0]")

    # Inbound rejections: a filter, greylisting, spam, a bad sender.
    log.at(14 * 3600)
    os_.inbound("203.0.113.66", "<unknown>", None, [], None,
                failures=[("", "550 no rDNS please fix")])
    os_.inbound("198.51.100.40", "bulk.example.net", None, [], None,
                failures=[("DATA", "451 Try again later")])
    os_.inbound("198.51.100.41", "spam.example.net", None, [], None,
                failures=[(".", "554 5.7.1 Message rejected as spam")])
    os_.inbound("198.51.100.42", "odd.example.net", None, [], None,
                failures=[("MAIL FROM:<s@nodomain.example.org>",
                           "553 5.1.8 Sender address domain does not "
                           "exist")])

    # Password guessing and protocol noise count nowhere.
    log.at(15 * 3600)
    sid = os_.session()
    os_.emit(f"{sid} smtp connected address=192.0.2.99 host=<unknown>")
    os_.emit(f'{sid} smtp failed-command command="AUTH LOGIN" '
             f'result="503 5.5.1 Invalid command: Command not supported"')
    os_.emit(f"{sid} smtp disconnected reason=disconnect")
    sid = os_.session()
    os_.emit(f"{sid} smtp connected address=192.0.2.98 host=<unknown>")
    os_.emit(f'{sid} smtp bad-input result="500 5.5.1 Invalid command: '
             f'Pipelining not supported"')
    os_.emit(f"{sid} smtp disconnected reason=quit")
    sid = os_.session()
    os_.emit(f"{sid} smtp connected address=192.0.2.30 "
             "host=laptop.example.com")
    os_.emit(f"{sid} smtp authentication user=bob result=permfail")
    os_.emit(f"{sid} smtp disconnected reason=quit")
    foreign(log, host, "dovecot[810]", "imap-login: Login: "
            "user=<bob@example.com>, method=PLAIN, rip=192.0.2.30, "
            "lip=192.0.2.1, mpid=811, TLS, session=<def456>")
    foreign(log, host, "rspamd[520]", "<8e6f01>; proxy; rspamd_task_write_log:"
            " id: <x@example.net>, qid: <8e6f01c5>, ip: 192.0.2.31, "
            "action: no action, score: 1.20 / 15.00")


def opensmtpd_notes():
    return (
        "Counted from the story in tools/syslog-mta-fixtures.py, not from "
        "any parser's output. Every envelope (evpid) holds one recipient. "
        "delivered counts result=Ok lines of the mda and the mta. deferred "
        "counts result=TempFail lines (the dovecot-lda exit 75, a greylisted "
        "recipient, a refused connection); deferred_recipients the distinct "
        "envelopes. bounced counts result=PermFail: the loop, 550 5.1.1 and "
        "552 5.2.2. The queue's 'relay: Expire for ...' line is one expired "
        "recipient; no message-level expiry is logged, so expired_messages "
        "is 0. rejected counts smtp failed-command lines except the failed "
        "AUTH command, which is a password guess like Postfix's SASL "
        "failures: RCPT (550), an empty command at connect (a filter's 550), "
        "DATA (451), '.' (554 5.7.1) and MAIL FROM (553 5.1.8). bad-input, "
        "authentication and session lines count nowhere. reply_codes and "
        "enhanced_codes come from the remote reply in stat= and from "
        "result=; 'Connection refused' and the local agent's errors have "
        "none. dovecot and rspamd lines are other programs.")


# ---------------------------------------------------------------------------
# Postfix, for the mixed log

class Postfix:
    """Postfix 3.7 lines of one host, with their meanings."""

    def __init__(self, log, host, pid=2000):
        self.log = log
        self.host = host
        self.pids = {}
        self.next_pid = pid

    def emit(self, daemon, message):
        """Write one line of a daemon; each daemon keeps one process id."""
        if daemon not in self.pids:
            self.next_pid += 1
            self.pids[daemon] = self.next_pid
        self.log.emit(self.host, f"postfix/{daemon}[{self.pids[daemon]}]",
                      message)

    def receive(self, qid, client, sender, nrcpt):
        self.emit("smtpd", f"connect from {client}")
        self.emit("smtpd", f"{qid}: client={client}")
        self.emit("cleanup", f"{qid}: message-id=<{qid}@example.org>")
        self.emit("qmgr", f"{qid}: from=<{sender}>, size=3100, nrcpt={nrcpt} "
                  "(queue active)")
        self.emit("smtpd", f"disconnect from {client} ehlo=1 mail=1 rcpt=1 "
                  "data=1 quit=1 commands=5")

    def status(self, daemon, qid, rcpt, relay, dsn, status, text):
        self.emit(daemon, f"{qid}: to=<{rcpt}>, relay={relay}, delay=1.2, "
                  f"delays=0.1/0/0.5/0.6, dsn={dsn}, status={status} ({text})")


def build_mixed_postfix(log, pf, step):
    """Write one step of the Postfix part of the mixed log."""
    if step == 0:
        pf.receive("4VxQ2m1Zz9", "mail.example.net[203.0.113.30]",
                   "news@example.net", 1)
        pf.status("lmtp", "4VxQ2m1Zz9", "alice@mx1.example.com",
                  "mx1.example.com[private/dovecot-lmtp]", "2.0.0", "sent",
                  "250 2.0.0 <alice@mx1.example.com> Saved")
        log.delivered("4VxQ2m1Zz9", "alice@mx1.example.com")
        log.emit("mx1", "dovecot[700]", "lmtp(alice@mx1.example.com)<701>"
                 "<abc>: msgid=<4VxQ2m1Zz9@example.org>: saved mail to INBOX")
        pf.emit("qmgr", "4VxQ2m1Zz9: removed")
    elif step == 1:
        pf.receive("4VxQ3n2Ab8", "client.example.com[192.0.2.10]",
                   "bob@mx1.example.com", 1)
        reply = ("450 4.2.1 <busy@example.org>: Recipient address "
                 "rejected: mailbox busy")
        pf.status("smtp", "4VxQ3n2Ab8", "busy@example.org",
                  "mx.example.org[198.51.100.7]:25", "4.2.1", "deferred",
                  f"host mx.example.org[198.51.100.7] said: {reply} (in reply "
                  "to RCPT TO command)")
        log.deferred("4VxQ3n2Ab8", "busy@example.org", reply, "4.2.1")
    elif step == 2:
        pf.status("smtp", "4VxQ3n2Ab8", "busy@example.org",
                  "mx.example.org[198.51.100.7]:25", "2.0.0", "sent",
                  "250 2.0.0 Ok: queued as 77AB12")
        log.delivered("4VxQ3n2Ab8", "busy@example.org")
        pf.emit("qmgr", "4VxQ3n2Ab8: removed")
    elif step == 3:
        pf.emit("smtpd", "connect from unknown[203.0.113.50]")
        reply = "554 5.7.1 <x@example.net>: Relay access denied"
        pf.emit("smtpd", f"NOQUEUE: reject: RCPT from unknown[203.0.113.50]: "
                f"{reply}; from=<s@example.org> to=<x@example.net> "
                "proto=ESMTP helo=<x>")
        log.rejected(reply)
        pf.emit("smtpd", "disconnect from unknown[203.0.113.50] ehlo=1 mail=1 "
                "rcpt=0/1 quit=1 commands=3/4")
    elif step == 4:
        pf.receive("4VxQ4p3Cd7", "client.example.com[192.0.2.10]",
                   "carol@mx1.example.com", 1)
        reply = ("550 5.1.1 <gone@example.net>: Recipient address rejected: "
                 "User unknown")
        pf.status("smtp", "4VxQ4p3Cd7", "gone@example.net",
                  "mx.example.net[203.0.113.5]:25", "5.1.1", "bounced",
                  f"host mx.example.net[203.0.113.5] said: {reply} (in reply "
                  "to RCPT TO command)")
        log.bounced("4VxQ4p3Cd7", "gone@example.net", reply, "5.1.1")
        pf.emit("bounce", "4VxQ4p3Cd7: sender non-delivery notification: "
                "4VxQ5q4De6")
        log.notification()
        pf.emit("qmgr", "4VxQ4p3Cd7: removed")


def build_mixed(log):
    """Write a log collector's mail.log: three MTAs and Dovecot."""
    pf = Postfix(log, "mx1")
    sm = Sendmail(log, "relay2", 6000)
    os_ = OpenSMTPD(log, "mail3", 5200)
    ok = log.delivered

    log.at(9 * 3600)
    build_mixed_postfix(log, pf, 0)

    sm.sender("446I0aB1005001", "alice@example.com", 3,
              "client.example.com [192.0.2.10]")
    sm.sent("446I0aB1005001", ["bob@example.org", "erin@example.org"])

    evps = os_.inbound("192.0.2.10", "client.example.com",
                       "alice@example.net", ["dave@example.com"], "1a2b3c4d",
                       failures=[("RCPT TO:<ghost@example.com>",
                                  "550 Invalid recipient: "
                                  "<ghost@example.com>")])
    build_mixed_postfix(log, pf, 1)
    os_.mda(evps[0], "alice@example.net", "dave@example.com", "Ok",
            "Delivered", ok)

    sm.sender("446I1aB2005002", "carol@example.com", 1,
              "client.example.com [192.0.2.10]")
    sm.deferred("446I1aB2005002", ["gina@example.net"],
                "mx.example.net. [203.0.113.5]", "4.7.1",
                "451 4.7.1 <gina@example.net>: Recipient address rejected: "
                "Greylisted")
    log.emit("mx1", "dovecot[702]", "imap-login: Login: "
             "user=<alice@mx1.example.com>, method=PLAIN, rip=192.0.2.10, "
             "lip=192.0.2.1, mpid=703, TLS, session=<ghi789>")
    build_mixed_postfix(log, pf, 3)

    os_.mta(f"2b3c4d5e{1:08x}", "erin@example.com", "nobody@example.org",
            "198.51.100.7", "mx.example.org", "PermFail",
            "550 5.1.1 <nobody@example.org>: User unknown")

    sm.reject("446I2aB3005003", "check_rcpt", "<h@example.net>",
              "client.example.org [203.0.113.9]",
              "550 5.7.1 <h@example.net>... Relaying denied")
    build_mixed_postfix(log, pf, 2)
    build_mixed_postfix(log, pf, 4)

    sm.sent("446I1aB2005002", ["gina@example.net"],
            relay="mx.example.net. [203.0.113.5]",
            reply="Sent (Ok: queued as 9F2E1C0042)", delay="00:30:02")
    sm.bounced("446I0aB1005001", ["frank@example.org"],
               "mx.example.org. [198.51.100.7]", "5.1.1", "User unknown")
    sm.dsn("446I0aB1005001", "446I3aB4005004", "User unknown")

    os_.mta(f"3c4d5e6f{1:08x}", "frank@example.com", "gina@example.net",
            "203.0.113.5", "mx.example.net", "TempFail",
            "421 4.7.0 Try again later")
    log.emit("mx1", "dovecot[704]", "imap(alice@mx1.example.com)<705><ghi789>:"
             " Disconnected: Logged out in=12 out=3456")


def mixed_notes():
    return (
        "Counted from the story in tools/syslog-mta-fixtures.py, not from "
        "any parser's output. Three hosts write to one collector: mx1 runs "
        "Postfix (postfix/smtpd and friends) and Dovecot, relay2 runs "
        "Sendmail (sm-mta), mail3 runs OpenSMTPD (smtpd). Lines of the "
        "three MTAs alternate. Postfix: 2 delivered (LMTP, and a deferred "
        "recipient sent later), 1 deferred (450 4.2.1), 1 bounced (550 "
        "5.1.1), 1 rejected (554 5.7.1), 1 notification. Sendmail: 3 "
        "delivered (two recipients on one line, and a greylisted recipient "
        "sent later; the bounce notice's delivery is not in this log), 1 deferred (451 4.7.1), 1 bounced "
        "(dsn=5.1.1, no reply code), 1 rejected (550 5.7.1), 1 "
        "notification. OpenSMTPD: 1 delivered, 1 deferred (421 4.7.0), 1 "
        "bounced (550 5.1.1), 1 rejected (550, no enhanced code). Dovecot "
        "lines are other programs. The enhanced code of a Postfix or "
        "Sendmail delivery is its dsn= field; OpenSMTPD's comes from the "
        "reply.")


# ---------------------------------------------------------------------------

def write(folder, name, log, notes):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(log.lines) + "\n")
    with open(path + ".expected.json", "w", encoding="utf-8") as f:
        json.dump(log.truth(name, notes), f, indent=2)
        f.write("\n")


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")

    log = Log()
    build_sendmail(log)
    write(os.path.join(root, "sendmail"), "maillog.log", log,
          sendmail_notes())

    log = Log()
    build_opensmtpd(log)
    write(os.path.join(root, "opensmtpd"), "maillog.log", log,
          opensmtpd_notes())

    log = Log()
    build_mixed(log)
    write(os.path.join(root, "mixed"), "mail.log", log, mixed_notes())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
