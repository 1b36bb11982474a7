# SPDX-License-Identifier: MIT
"""Postfix 3.7 logs as Debian 12's rsyslog writes them, among others.

The server mx1.example.com takes inbound mail through postscreen and
smtpd and delivers it to Dovecot over LMTP; users submit outbound mail
through the submission service or pickup, and smtp delivers it.  The file
changes its timestamp form in blocks (SYSLOG_STYLES) and switches
between short and long queue ids, so every header form bouncelog reads is
present.

Counting follows doc/json-schema.md: delivered per status=sent line,
deferred per status=deferred line, bounced per status=bounced line,
expired per recipient still deferred (in this file) when qmgr logs
status=expired, 1 when none is, rejected per reject line; the reply code
is the one after "said:", the enhanced code is dsn=.
"""
from .common import (SYSLOG_STYLES, address_for, local_part,
                     syslog_stamper, token)
from .replies import reply_text
from .story import OUR_DOMAIN, Fail, Message, Recipient, Simulation

HOST = "mx1"
OUR_IP = "203.0.113.10"

# Replies given at the end of DATA rather than after RCPT TO.
DATA_REASONS = {"spamdetected", "virusdetected", "emailtoolarge",
                "authfailure", "policyviolation"}

LOCAL_DEFERS = [
    ("connect to {mx}[{ip}]:25: Connection timed out", "4.4.1",
     "connectionerror", True),
    ("connect to {mx}[{ip}]:25: Connection refused", "4.4.1",
     "connectionerror", True),
    ("Host or domain name not found. Name service error for name={rdom} "
     "type=MX: Host not found, try again", "4.4.3", "dnserror", True),
    ("lost connection with {mx}[{ip}] while receiving the initial server "
     "greeting", "4.4.2", "connectionerror", False),
    ("TLS is required, but was not offered by host {mx}[{ip}]", "4.7.4",
     "failedstarttls", False),
]

NOISE = [
    ("dovecot", "imap-login: Login: user=<{user}@example.com>, "
     "method=PLAIN, rip={cip}, lip=203.0.113.10, mpid={pid}, TLS, "
     "session=<{tok}>"),
    ("dovecot", "imap({user}@example.com)<{pid}><{tok}>: Disconnected: "
     "Logged out in=120 out=4523 deleted=0 expunged=0 trashed=0 "
     "hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0"),
    ("postfix/anvil", "statistics: max connection rate 3/60s for "
     "(smtp:{cip}) at Nov 19 10:12:04"),
    ("postfix/postscreen", "DNSBL rank 2 for [{cip}]:{port}"),
    ("postfix/smtpd", "warning: hostname {tok}.example.net does not "
     "resolve to address {cip}: Name or service not known"),
    ("CRON", "(root) CMD (command -v debian-sa1 > /dev/null && "
     "debian-sa1 1 1)"),
    ("postgrey", "action=greylist, reason=new, client_name=unknown, "
     "client_address={cip}, sender={user}@example.org, "
     "recipient={user}@example.com"),
]


class PostfixLog(Simulation):
    format_name = "postfix"
    lifetime = 5 * 86400		# maximal_queue_lifetime = 5d
    bytes_per_arrival = 1300

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.our_ip = OUR_IP
        self.style_index = -1
        self.header = None
        self.long_ids = False
        self.styles_used = []

    # --- rendering helpers ---------------------------------------------

    def on_segment(self, fraction):
        acc = 0.0
        for i, (style, share) in enumerate(SYSLOG_STYLES):
            acc += share
            if fraction < acc or i == len(SYSLOG_STYLES) - 1:
                break
        if i != self.style_index:
            self.style_index = i
            self.header = syslog_stamper(style, HOST)
            self.long_ids = i % 3 == 2
            self.styles_used.append(style)
            self.meta["timestamp_styles"] = self.styles_used

    def emit(self, t, program, text):
        out = self.out
        if t < out.last_time:
            t = out.last_time
        out.last_time = t
        # A daemon's process id changes every few hundred seconds, as
        # Postfix's max_idle and max_use restart them.
        pid = 1000 + (len(program) * 7919 + int(t) // 300) % 30000
        out.line(self.header(t, program, pid) + text)

    def message_id(self, t):
        n = self.next_id()
        if self.long_ids:
            # Postfix's long ids: time and microseconds in base 52, "z",
            # then the inode number.
            alphabet = ("0123456789BCDFGHJKLMNPQRSTVWXYZ"
                        "bcdfghjklmnpqrstvwxy")
            sec = int(t)
            head = ""
            for _ in range(6):
                head = alphabet[sec % 51] + head
                sec //= 51
            tail = ""
            m = n
            for _ in range(5):
                tail = alphabet[m % 51] + tail
                m //= 51
            return f"{head}{tail[:4]}z{tail}{alphabet[n % 51]}"
        return f"{(n * 0x9E3779B1 + 0x2545F) & 0xFFFFFFFFFF:010X}"

    def client(self):
        rng = self.rng
        ip = address_for(f"client{int(rng.random() * 5000)}", 0.15)
        if rng.random() < 0.3:
            return "unknown", ip
        return f"{token(rng, 6)}.{self.domains.pick()}", ip

    # --- failures ------------------------------------------------------

    def remote_fail(self, r, reply):
        stage = "end of DATA" if reply.reason in DATA_REASONS else "RCPT TO"
        text = (f"host {r.mx}[{r.ip}] said: "
                f"{self.fill(reply_text(reply), r, OUR_DOMAIN)} "
                f"(in reply to {stage} command)")
        enh = reply.enh or f"{reply.code[0]}.0.0"
        return Fail(reply, text, reply.code, enh, reply.reason)

    def local_defer(self, r):
        text, dsn, reason, no_relay = LOCAL_DEFERS[
            int(self.rng.random() * len(LOCAL_DEFERS))]
        text = text.format(mx=r.mx, ip=r.ip, rdom=r.domain)
        return Fail(None, text, None, dsn, reason, local=no_relay)

    def local_bounce(self, r):
        text = (f"Host or domain name not found. Name service error for "
                f"name={r.domain} type=A: Host not found")
        return Fail(None, text, None, "5.4.4", "hostunknown", local=True)

    # --- outbound --------------------------------------------------------

    def submit(self, t, msg):
        rng = self.rng
        qid = msg.id
        user = msg.sender.partition("@")[0]
        if rng.random() < 0.7:
            cname, cip = self.client()
            if cname == "unknown":
                cname = f"dsl-{token(rng, 5)}.example.net"
            self.emit(t, "postfix/submission/smtpd",
                      f"connect from {cname}[{cip}]")
            self.emit(t + 0.05, "postfix/submission/smtpd",
                      f"{qid}: client={cname}[{cip}], sasl_method=PLAIN, "
                      f"sasl_username={user}@{OUR_DOMAIN}")
            closing = (f"disconnect from {cname}[{cip}] ehlo=2 starttls=1 "
                       f"auth=1 mail=1 rcpt={len(msg.rcpts)} data=1 quit=1 "
                       f"commands={7 + len(msg.rcpts)}")
        else:
            self.emit(t, "postfix/pickup",
                      f"{qid}: uid=1000 from=<{user}>")
            closing = None
        self.emit(t + 0.1, "postfix/cleanup",
                  f"{qid}: message-id=<{token(rng, 16)}@{OUR_DOMAIN}>")
        self.emit(t + 0.12, "opendkim",
                  f"{qid}: DKIM-Signature field added (s=mail, "
                  f"d={OUR_DOMAIN})")
        self.emit(t + 0.15, "postfix/qmgr",
                  f"{qid}: from=<{msg.sender}>, size={msg.size}, "
                  f"nrcpt={len(msg.rcpts)} (queue active)")
        if closing:
            self.emit(t + 0.2, "postfix/submission/smtpd", closing)

    def retry_delay(self, attempts):
        # minimal_backoff_time 300s doubling to maximal_backoff_time 4000s
        return min(300 * (1 << min(attempts, 8)), 4000) + \
            self.rng.random() * 60

    def attempt_start(self, t, msg):
        if msg.attempts > 1:
            self.emit(t, "postfix/qmgr",
                      f"{msg.id}: from=<{msg.sender}>, size={msg.size}, "
                      f"nrcpt={len(msg.rcpts)} (queue active)")

    def delays(self, msg, t):
        delay = max(t - msg.arrival, 0.01)
        return (f"delay={delay:.2f}, delays={delay * 0.3:.2f}/0.01/"
                f"{delay * 0.2:.2g}/{delay * 0.5:.2g}")

    def delivered(self, t, msg, r):
        rng = self.rng
        if rng.random() < 0.3:
            self.emit(t - 0.005, "postfix/smtp",
                      f"Trusted TLS connection established to "
                      f"{r.mx}[{r.ip}]:25: TLSv1.3 with cipher "
                      f"TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange "
                      f"X25519 server-signature RSA-PSS (2048 bits) "
                      f"server-digest SHA256")
        if r.provider == "gmail":
            reply = f"250 2.0.0 OK  {int(t)} {token(rng, 20)} - gsmtp"
        elif r.provider == "microsoft":
            reply = (f"250 2.6.0 <{token(rng, 16)}@{OUR_DOMAIN}> "
                     f"[InternalId={int(rng.random() * 1e13)}, "
                     f"Hostname={token(rng, 8).upper()}.eurprd04.prod."
                     f"outlook.com] 9512 bytes in 0.041, 225.4 KB/sec "
                     f"Queued mail for delivery")
        else:
            reply = f"250 2.0.0 Ok: queued as {token(rng, 10).upper()}"
        self.emit(t, "postfix/smtp",
                  f"{msg.id}: to=<{r.address}>, relay={r.mx}[{r.ip}]:25, "
                  f"{self.delays(msg, t)}, dsn=2.0.0, status=sent ({reply})")
        self.truth.delivered(r.domain)

    def status_line(self, t, msg, r, fail, status):
        relay = "none" if fail.local else f"{r.mx}[{r.ip}]:25"
        self.emit(t, "postfix/smtp",
                  f"{msg.id}: to=<{r.address}>, relay={relay}, "
                  f"{self.delays(msg, t)}, dsn={fail.enh}, "
                  f"status={status} ({fail.text})")

    def deferred(self, t, msg, r, fail):
        self.status_line(t, msg, r, fail, "deferred")
        self.count_deferred(r, fail)

    def bounced(self, t, msg, r, fail):
        self.status_line(t, msg, r, fail, "bounced")
        self.count_bounced(r, fail)

    def notify(self, t, msg):
        nid = self.message_id(t)
        self.emit(t, "postfix/bounce",
                  f"{msg.id}: sender non-delivery notification: {nid}")
        self.truth.totals["notifications"] += 1
        ndr = Message(nid, "", [Recipient(msg.sender, OUR_DOMAIN, None,
                                          "mail.example.com", "")], t)
        self.sched.at(t + 0.05, self.deliver_ndr, ndr)

    def deliver_ndr(self, t, ndr):
        qid = ndr.id
        self.emit(t, "postfix/cleanup",
                  f"{qid}: message-id=<{token(self.rng, 14)}@{HOST}."
                  f"{OUR_DOMAIN}>")
        self.emit(t + 0.01, "postfix/qmgr",
                  f"{qid}: from=<>, size=4210, nrcpt=1 (queue active)")
        self.local_delivery(t + 0.05, ndr, ndr.rcpts[0].address)
        self.emit(t + 0.06, "postfix/qmgr", f"{qid}: removed")

    def finish(self, t, msg):
        self.emit(t, "postfix/qmgr", f"{msg.id}: removed")

    def expire(self, t, msg):
        self.emit(t, "postfix/qmgr",
                  f"{msg.id}: from=<{msg.sender}>, status=expired, "
                  f"returned to sender")
        tr = self.truth
        tr.totals["expired_messages"] += 1
        charged = 0
        for r in msg.rcpts:
            if r.state == "pending":
                r.state = "expired"
                if r.seen_deferred:
                    tr.failure("expired", r.domain, r.last_fail.reason)
                    charged += 1
        if charged == 0:
            tr.failure("expired", "(unknown)", "expired")
        self.notify(t + 0.01, msg)
        self.finish(t + 0.1, msg)

    # --- inbound ---------------------------------------------------------

    def local_delivery(self, t, msg, address):
        self.emit(t, "postfix/lmtp",
                  f"{msg.id}: to=<{address}>, relay=mail.{OUR_DOMAIN}"
                  f"[private/dovecot-lmtp], delay=0.12, "
                  f"delays=0.05/0.01/0.02/0.04, dsn=2.0.0, status=sent "
                  f"(250 2.0.0 <{address}> {token(self.rng, 22)} Saved)")
        self.truth.delivered(address.rpartition("@")[2])

    def inbound(self, t):
        rng = self.rng
        if rng.random() < self.failure * 0.9:
            self.reject_session(t)
            return
        cname, cip = self.client()
        port = 1024 + int(rng.random() * 60000)
        qid = self.message_id(t)
        sender = f"{local_part(rng)}@{self.domains.pick()}"
        rcpts = [f"{self.user()}@{OUR_DOMAIN}"
                 for _ in range(1 if rng.random() < 0.9 else 2)]
        self.emit(t, "postfix/postscreen",
                  f"CONNECT from [{cip}]:{port} to [{OUR_IP}]:25")
        self.emit(t + 0.1, "postfix/postscreen", f"PASS OLD [{cip}]:{port}")
        self.emit(t + 0.11, "postfix/smtpd", f"connect from {cname}[{cip}]")
        self.emit(t + 0.3, "postfix/smtpd", f"{qid}: client={cname}[{cip}]")
        self.emit(t + 0.35, "postfix/cleanup",
                  f"{qid}: message-id=<{token(rng, 20)}@"
                  f"{sender.partition('@')[2]}>")
        self.emit(t + 0.4, "postfix/qmgr",
                  f"{qid}: from=<{sender}>, size="
                  f"{2000 + int(rng.random() * 90000)}, nrcpt={len(rcpts)} "
                  f"(queue active)")
        msg = Message(qid, sender, rcpts, t)
        msg.extra = (cname, cip, len(rcpts))
        self.sched.at(t + 0.5 + rng.random(), self.inbound_done, msg)

    def inbound_done(self, t, msg):
        for i, address in enumerate(msg.rcpts):
            self.local_delivery(t + i * 0.01, msg, address)
        self.emit(t + 0.05, "postfix/qmgr", f"{msg.id}: removed")
        cname, cip, n = msg.extra
        self.emit(t + 0.06, "postfix/smtpd",
                  f"disconnect from {cname}[{cip}] ehlo=1 mail=1 rcpt={n} "
                  f"data=1 quit=1 commands={4 + n}")

    def reject_session(self, t):
        rng = self.rng
        cname, cip = self.client()
        port = 1024 + int(rng.random() * 60000)
        reply = self.inbound_reject.pick(None)
        if reply.reason == "norelaying":
            r = self.remote_recipient()
        else:
            r = Recipient(f"{self.user()}@{OUR_DOMAIN}", OUR_DOMAIN, None,
                          "", "")
        sender = f"{local_part(rng)}@{self.domains.pick()}"
        helo = cname if cname != "unknown" else f"[{cip}]"
        text = reply_text(reply).format(rcpt=r.address, rdom=r.domain,
                                        ip=cip, tag="", sdom="", helo=helo)
        self.emit(t, "postfix/postscreen",
                  f"CONNECT from [{cip}]:{port} to [{OUR_IP}]:25")
        if reply.reason == "blocked" and rng.random() < 0.5:
            self.emit(t + 0.2, "postfix/postscreen",
                      f"NOQUEUE: reject: RCPT from [{cip}]:{port}: {text}; "
                      f"from=<{sender}>, to=<{r.address}>, proto=ESMTP, "
                      f"helo=<{helo}>")
            self.emit(t + 0.3, "postfix/postscreen",
                      f"DISCONNECT [{cip}]:{port}")
        else:
            self.emit(t + 0.1, "postfix/postscreen",
                      f"PASS NEW [{cip}]:{port}")
            self.emit(t + 0.11, "postfix/smtpd",
                      f"connect from {cname}[{cip}]")
            self.emit(t + 0.3, "postfix/smtpd",
                      f"NOQUEUE: reject: RCPT from {cname}[{cip}]: {text}; "
                      f"from=<{sender}> to=<{r.address}> proto=ESMTP "
                      f"helo=<{helo}>")
            self.emit(t + 0.4, "postfix/smtpd",
                      f"disconnect from {cname}[{cip}] ehlo=1 mail=1 "
                      f"rcpt=0/1 quit=1 commands=3/4")
        self.truth.failure("rejected", r.domain, reply.reason, reply.code,
                           reply.enh)

    def noise(self, t):
        rng = self.rng
        program, text = NOISE[int(rng.random() * len(NOISE))]
        self.emit(t, program, text.format(
            user=self.user(), cip=self.client()[1], tok=token(rng, 12),
            pid=int(rng.random() * 30000), port=int(rng.random() * 60000)))

