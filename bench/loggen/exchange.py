# SPDX-License-Identifier: MIT
"""Exchange 2019 message tracking logs, several hourly files joined.

Each file starts with a byte order mark and the #Software ... #Fields
header, as Exchange writes it, and rows end in CRLF; bench/gen joins a
file every HEADER_EVERY bytes, as `cat MSGTRK*.LOG` does.  Users' mail
leaves through the "Internet Send Connector" (SEND, DEFER and FAIL rows
of source SMTP), inbound mail is delivered by the store driver, unknown
local recipients fail in ROUTING, and messages expire in QUEUE after two
days (550 4.4.7 QUEUE.Expired).  Message tracking logs no inbound
rejections, so this format has none.

Counting follows doc/json-schema.md: one count per recipient of a
DELIVER, SEND, DEFER or FAIL row, and one notification per DSN row.  A
DEFER that quotes the remote reply ("responded with: "421 4.4.2 ..."")
counts Exchange's own codes, 451 and 4.4.0, and takes its reason from
the quoted reply.
"""
import time

from .common import local_part, token
from .replies import reply_text
from .story import OUR_DOMAIN, Fail, Message, Recipient, Simulation

SERVER = "MBX01"
OUR_IP = "198.51.100.5"
HEADER_EVERY = 10 << 20
VERSION = "15.02.1544.004"
FIELDS = ("date-time,client-ip,client-hostname,server-ip,server-hostname,"
          "source-context,connector-id,source,event-id,internal-message-id,"
          "message-id,network-message-id,recipient-address,recipient-status,"
          "total-bytes,recipient-count,related-recipient-address,reference,"
          "message-subject,sender-address,return-path,message-info,"
          "directionality,tenant-id,original-client-ip,original-server-ip,"
          "custom-data,transport-traffic-type,log-id,schema-version")

FAILOVER = ("Attempted failover to alternate host, but that did not "
            "succeed. Either there are no alternate hosts, or delivery "
            "failed to all alternate hosts. The last endpoint attempted "
            "was {ip}:25")

LOCAL_DEFERS = [
    ('451 4.4.397 Error encountered while communicating with primary '
     'target IP address: "Failed to connect. Winsock error code: 10060, '
     'Win32 error code: 10060." ' + FAILOVER, "451", "4.4.397",
     "connectionerror"),
    ("451 4.4.0 DNS query failed. The error was: DNS query failed with "
     "error: ErrorRetry", "451", "4.4.0", "dnserror"),
]

SUBJECTS = ("Invoice {n}", "Meeting notes, week {n}", "Re: your order {n}",
            "Quarterly report", "Weekly newsletter #{n}", "Lunch?",
            'Draft "v{n}"', "Fwd: photos")


def csv_field(value):
    if "," in value or '"' in value:
        return '"' + value.replace('"', '""') + '"'
    return value


class ExchangeLog(Simulation):
    format_name = "exchange"
    lifetime = 2 * 86400		# Exchange's message expiration timeout
    bytes_per_arrival = 1700

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.our_ip = OUR_IP
        self.next_header = 0
        self.sec = None
        self.date = ""

    def newline(self):
        return "\r\n"

    # --- rendering helpers -----------------------------------------------

    def stamp(self, t):
        sec = int(t)
        if sec != self.sec:
            tm = time.gmtime(sec)
            self.sec = sec
            self.date = (f"{tm.tm_year:04d}-{tm.tm_mon:02d}-{tm.tm_mday:02d}T"
                         f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}")
        return f"{self.date}.{int((t - sec) * 1000):03d}Z"

    def header(self, t):
        out = self.out
        out.raw("\ufeff")
        out.line("#Software: Microsoft Exchange Server")
        out.line(f"#Version: {VERSION}")
        out.line("#Log-type: Message Tracking Log")
        out.line(f"#Date: {self.stamp(t)}")
        out.line(f"#Fields: {FIELDS}")

    def row(self, t, source, event, msg, rcpts, statuses, *,
            client=("", ""), server=("", SERVER), context="", connector="",
            related="", reference="", info="", direction="Originating",
            custom="", sender=None, return_path=None):
        out = self.out
        if t < out.last_time:
            t = out.last_time
        out.last_time = t
        if out.written >= self.next_header:
            self.next_header = out.written + HEADER_EVERY
            self.header(t)
        rng = self.rng
        sender = msg.sender if sender is None else sender
        fields = (
            self.stamp(t), client[0], client[1], server[0], server[1],
            context, connector, source, event, str(msg.extra[0]),
            msg.extra[1], msg.extra[2], ";".join(rcpts),
            ";".join(statuses), str(msg.size), str(len(rcpts)), related,
            reference, msg.extra[3], sender,
            sender if return_path is None else return_path, info, direction,
            "", "", "", custom, "Email",
            f"{rng.getrandbits(128):032x}", VERSION)
        out.line(",".join(csv_field(f) for f in fields))

    def message_id(self, t):
        return 41000 + self.next_id()

    def decorate(self, msg, domain):
        rng = self.rng
        g = f"{rng.getrandbits(128):032x}"
        subject = SUBJECTS[int(rng.random() * len(SUBJECTS))].format(
            n=int(rng.random() * 1000))
        msg.extra = (msg.id, f"<{token(rng, 16)}@{domain}>",
                     f"{g[:8]}-{g[8:12]}-{g[12:16]}-{g[16:20]}-{g[20:]}",
                     subject)

    # --- failures --------------------------------------------------------

    def remote_fail(self, r, reply):
        text = self.fill(reply_text(reply), r, OUR_DOMAIN)
        if reply.kind == "defer":
            # The reply is Exchange's own 451 4.4.0; the quoted reply of
            # the remote server is its cause and decides the reason.
            text = (f'451 4.4.0 Primary target IP address responded with: '
                    f'"{text}" ' + FAILOVER.format(ip=r.ip))
            return Fail(reply, text, "451", "4.4.0", reply.reason)
        return Fail(reply, text, reply.code, reply.enh, reply.reason)

    def local_defer(self, r):
        text, code, enh, reason = LOCAL_DEFERS[
            int(self.rng.random() * len(LOCAL_DEFERS))]
        return Fail(None, text.format(ip=r.ip), code, enh, reason, True)

    def local_bounce(self, r):
        return Fail(None, "550 5.4.4 SMTPSEND.DNS.NonExistentDomain; "
                          "nonexistent domain", "550", "5.4.4",
                    "hostunknown", True)

    # --- outbound --------------------------------------------------------

    def new_outbound(self, t, rcpts=None):
        msg = super().new_outbound(t, rcpts)
        self.decorate(msg, OUR_DOMAIN)
        return msg

    def submit(self, t, msg):
        rcpts = [r.address for r in msg.rcpts]
        self.row(t, "STOREDRIVER", "RECEIVE", msg, rcpts,
                 ["To"] * len(rcpts),
                 context="MDB:3c2b1a09-1111-2222-3333-444455556666, "
                         "Mailbox:aa11bb22-cc33-dd44-ee55-ff6677889900, "
                         "Event:1048577, MessageClass:IPM.Note, "
                         "ClientType:MOMT")

    def retry_delay(self, attempts):
        # Transient failures retry after 10 minutes, then the outbound
        # connection failure interval grows towards an hour.
        return min(600 * (1 + attempts), 3600) + self.rng.random() * 30

    def attempt_start(self, t, msg):
        pass

    def delivered(self, t, msg, r):
        status = ("250 2.0.0 OK  {} {} - gsmtp".format(int(t),
                                                      token(self.rng, 16))
                  if r.provider == "gmail" else "250 2.6.0 Queued mail for "
                  "delivery")
        self.row(t, "SMTP", "SEND", msg, [r.address], [status],
                 client=(OUR_IP, SERVER), server=(r.ip, r.mx),
                 context=f";{status};ClientSubmitTime:",
                 connector="Internet Send Connector",
                 custom="S:IsSmtpResponseFromExternalServer=True")
        self.truth.delivered(r.domain)

    def deferred(self, t, msg, r, fail):
        self.row(t, "SMTP", "DEFER", msg, [r.address], [fail.text],
                 connector="Internet Send Connector")
        self.count_deferred(r, fail)

    def bounced(self, t, msg, r, fail):
        self.row(t, "SMTP", "FAIL", msg, [r.address], [fail.text],
                 client=(OUR_IP, SERVER), server=(r.ip, r.mx),
                 connector="Internet Send Connector",
                 reference=f"<{token(self.rng, 16)}@{SERVER}.{OUR_DOMAIN}>")
        self.count_bounced(r, fail)

    def notify(self, t, msg):
        dsn = Recipient(msg.sender, OUR_DOMAIN, None, "", "")
        ndr = type(msg)(self.message_id(t), "", [dsn], t)
        ndr.size = 12000
        self.decorate(ndr, f"{SERVER}.{OUR_DOMAIN}")
        self.row(t, "DSN", "DSN", ndr, [msg.sender], [""],
                 reference=msg.extra[1],
                 sender=f"MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@"
                        f"{OUR_DOMAIN}", return_path="<>")
        self.truth.totals["notifications"] += 1

    def finish(self, t, msg):
        pass

    def expire(self, t, msg):
        for r in msg.rcpts:
            if r.state != "pending":
                continue
            r.state = "bounced"
            fail = Fail(None, "550 4.4.7 QUEUE.Expired; message expired",
                        "550", "4.4.7", "expired")
            self.row(t, "QUEUE", "FAIL", msg, [r.address], [fail.text])
            self.count_bounced(r, fail)
        self.notify(t + 0.01, msg)

    # --- inbound ---------------------------------------------------------

    def inbound(self, t):
        rng = self.rng
        sdom = self.domains.pick()
        sender = f"{local_part(rng)}@{sdom}"
        n = 1 if rng.random() < 0.85 else 2 + int(rng.random() * 3)
        rcpts = [Recipient(f"{self.user()}@{OUR_DOMAIN}", OUR_DOMAIN, None,
                           "", "") for _ in range(n)]
        msg = Message(self.message_id(t), sender, rcpts, t)
        msg.size = 2000 + int(rng.random() * 90000)
        self.decorate(msg, sdom)
        cip = f"203.0.113.{1 + int(rng.random() * 250)}"
        self.row(t, "SMTP", "RECEIVE", msg, [r.address for r in rcpts],
                 [""] * n, client=(cip, f"mail.{sdom}"),
                 server=(OUR_IP, SERVER),
                 context=f"08DC{token(rng, 12).upper()};{self.stamp(t)};0",
                 connector=f"{SERVER}\\Default {SERVER}",
                 direction="Incoming")
        self.row(t + 0.02, "AGENT", "AGENTINFO", msg,
                 [r.address for r in rcpts], [""] * n,
                 direction="Incoming",
                 custom="S:CompCost=|AMA=0|ETR=0;S:DeliveryPriority=Normal")
        self.sched.at(t + 0.3 + rng.random(), self.inbound_done, msg)

    def inbound_done(self, t, msg):
        rng = self.rng
        for r in msg.rcpts:
            if rng.random() < self.failure * 0.9:
                fail = Fail(None, "550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
                                  "Recipient not found by SMTP address "
                                  "lookup", "550", "5.1.10", "userunknown")
                self.row(t, "ROUTING", "FAIL", msg, [r.address], [fail.text],
                         direction="Incoming")
                self.count_bounced(r, fail)
                self.notify(t + 0.01, msg)
            else:
                self.row(t, "STOREDRIVER", "DELIVER", msg, [r.address],
                         ["250 2.1.5 Recipient OK"],
                         client=(OUR_IP, f"{SERVER}.{OUR_DOMAIN}"),
                         server=(OUR_IP, SERVER), direction="Incoming")
                self.truth.delivered(OUR_DOMAIN)
            t += 0.01

    def reject_session(self, t):
        raise NotImplementedError

    def noise(self, t):
        rng = self.rng
        msg = Message(self.message_id(t), f"{self.user()}@"
                                 f"{OUR_DOMAIN}", [], t)
        msg.size = 3000
        self.decorate(msg, OUR_DOMAIN)
        self.row(t, "STOREDRIVER", "SUBMIT", msg, [], [],
                 context="MDB:3c2b1a09-1111-2222-3333-444455556666, "
                         f"Mailbox:{token(rng, 8)}, Event:77, "
                         "MessageClass:IPM.Note")
