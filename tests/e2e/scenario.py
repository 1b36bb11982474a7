# SPDX-License-Identifier: MIT
"""The end-to-end scenario: what each MTA is sent and what must follow.

Every outbound case is one message to one recipient, whose domain the
MTA routes to a responder address of its own (127.0.0.2 and up), so that
a failure at one address cannot hold back mail to another.  The inbound
cases are sessions with the MTA's own SMTP server that it must reject.
Each case states, per MTA, the outcome it must log and the reply code,
enhanced status code and failure reason that bouncelog must report for
it.  expected() turns those into the exact JSON counts.

The outcomes follow from each MTA's documented behaviour with the
harness's settings: Postfix tries each message once
(maximal_queue_lifetime = 0), so a temporary failure is one deferral and
then the message expires; Exim has a retry rule without retry times, so
a temporary failure is one deferral ("==") and then a bounce ("**" with
"retry timeout exceeded").
"""
from dataclasses import dataclass, field

from responder import Listener, Script

# The MTA under test listens here, the responders on later addresses.
MTA_ADDRESS = "127.0.0.1"
# An outside client, not in the MTA's trusted networks.
OUTSIDE_ADDRESS = "127.0.0.250"
# The name every harness client gives in EHLO.
CLIENT_NAME = "client.e2e.test"

SENDER = "sender@sender.e2e.test"
SENDER_DOMAIN = "sender.e2e.test"
# Where the MTAs deliver their bounce messages to SENDER.
SENDER_ADDRESS = "127.0.0.2"
LOCAL_DOMAIN = "local.e2e.test"

# Outcome kinds.
DELIVERED = "delivered"
BOUNCED = "bounced"
# One deferral, then Postfix expires the message.
DEFERRED_EXPIRED = "deferred, expired"
# One deferral, then Exim bounces it: "retry timeout exceeded".
DEFERRED_BOUNCED = "deferred, bounced"
REJECTED = "rejected"


@dataclass(frozen=True)
class Outcome:
    """What one MTA logs for a case and what bouncelog makes of it.

    code, enhanced: the reply code and enhanced status code bouncelog
    must report, or None when the log line has none.
    mismatch: the MTA's own status code (Postfix dsn=) has another class
    than the reply code, so the failure counts in code_mismatches.
    counted_by_domain: False when the log line names no recipient, so
    that the JSON report's domains table counts the failure under
    "(unknown)".
    """
    kind: str
    code: str = None
    enhanced: str = None
    reason: str = None
    mismatch: bool = False
    counted_by_domain: bool = True


@dataclass(frozen=True)
class Outbound:
    """A message to NAME@NAME.e2e.test, which the responder at ADDRESS
    serves with SCRIPT (and GREETING)."""
    name: str
    address: str
    script: Script
    postfix: Outcome
    exim: Outcome
    greeting: tuple = None
    listening: bool = True

    @property
    def domain(self):
        return f"{self.name}.e2e.test"

    @property
    def recipient(self):
        return f"{self.name}@{self.domain}"

    def failure_reply(self):
        """Return the lines of the reply that fails the delivery, or ()
        when the responder sends none."""
        if self.greeting:
            return self.greeting
        if self.script.rcpt and not self.script.rcpt[-1].startswith("2"):
            return self.script.rcpt
        if not self.script.data[-1].startswith("2"):
            return self.script.data
        return ()


@dataclass(frozen=True)
class Inbound:
    """A session from CLIENT that the MTA must reject.

    subject: a Subject header; the harness sends the message data only
    when a case has one (the rejection comes after DATA).
    """
    name: str
    client: str
    sender: str
    recipient: str
    postfix: Outcome
    exim: Outcome
    subject: str = None


USER_UNKNOWN = "550 5.1.1 <unknown@unknown.e2e.test>: User unknown"
MAILBOX_FULL = "552 5.2.2 <full@full.e2e.test>: Mailbox full, quota exceeded"
GREYLISTED = "450 4.7.1 Greylisted, try again in 300 seconds"
SHUTTING_DOWN = "421 4.3.2 Service shutting down, closing channel"
SPAM = "554 5.7.1 Message rejected as spam"
MULTILINE = ("550 5.1.1 The mailbox multi@multi.e2e.test does not exist.",
             "550 5.1.1 Check the address for typing errors",
             "550 5.1.1 and send the message again.")
BLOCKLISTED = "554 5.7.1 Service unavailable: your address is on a blocklist"

OUTBOUND = (
    Outbound("accept", "127.0.0.3", Script(),
             postfix=Outcome(DELIVERED), exim=Outcome(DELIVERED)),
    Outbound("unknown", "127.0.0.4", Script(rcpt=(USER_UNKNOWN,)),
             postfix=Outcome(BOUNCED, "550", "5.1.1", "userunknown"),
             exim=Outcome(BOUNCED, "550", "5.1.1", "userunknown")),
    Outbound("full", "127.0.0.5", Script(rcpt=(MAILBOX_FULL,)),
             postfix=Outcome(BOUNCED, "552", "5.2.2", "mailboxfull"),
             exim=Outcome(BOUNCED, "552", "5.2.2", "mailboxfull")),
    Outbound("grey", "127.0.0.6", Script(rcpt=(GREYLISTED,)),
             postfix=Outcome(DEFERRED_EXPIRED, "450", "4.7.1", "greylisted"),
             exim=Outcome(DEFERRED_BOUNCED, "450", "4.7.1", "greylisted")),
    Outbound("drop", "127.0.0.7",
             Script(rcpt=(SHUTTING_DOWN,), close_after_rcpt=True),
             postfix=Outcome(DEFERRED_EXPIRED, "421", "4.3.2", "systemerror"),
             exim=Outcome(DEFERRED_BOUNCED, "421", "4.3.2", "systemerror")),
    Outbound("spam", "127.0.0.8", Script(data=(SPAM,)),
             postfix=Outcome(BOUNCED, "554", "5.7.1", "spamdetected"),
             exim=Outcome(BOUNCED, "554", "5.7.1", "spamdetected")),
    Outbound("multi", "127.0.0.9", Script(rcpt=MULTILINE),
             postfix=Outcome(BOUNCED, "550", "5.1.1", "userunknown"),
             exim=Outcome(BOUNCED, "550", "5.1.1", "userunknown")),
    # Postfix skips a server that greets with 5xx and defers with its
    # own 4.7.1 (smtp_skip_5xx_greeting); Exim bounces.
    Outbound("blocked", "127.0.0.10", Script(), greeting=(BLOCKLISTED,),
             postfix=Outcome(DEFERRED_EXPIRED, "554", "4.7.1", "blocked",
                             mismatch=True),
             exim=Outcome(BOUNCED, "554", "5.7.1", "blocked")),
    # No RCPT reply: both MTAs time out, without a reply code.  Postfix
    # logs its own 4.4.2.
    Outbound("stall", "127.0.0.11", Script(rcpt=None),
             postfix=Outcome(DEFERRED_EXPIRED, None, "4.4.2",
                             "connectionerror"),
             exim=Outcome(DEFERRED_BOUNCED, None, None, "connectionerror")),
    # Nothing listens: Postfix logs its own 4.4.1.
    Outbound("refused", "127.0.0.12", Script(), listening=False,
             postfix=Outcome(DEFERRED_EXPIRED, None, "4.4.1",
                             "connectionerror"),
             exim=Outcome(DEFERRED_BOUNCED, None, None, "connectionerror")),
)

# Exim logs the text of the ACL message, which may start with codes;
# Postfix logs its whole reply.
INBOUND = (
    Inbound("unknown local user", MTA_ADDRESS, SENDER,
            f"nobody@{LOCAL_DOMAIN}",
            postfix=Outcome(REJECTED, "550", "5.1.1", "userunknown"),
            exim=Outcome(REJECTED, "550", "5.1.1", "userunknown")),
    Inbound("relay denied", OUTSIDE_ADDRESS, "someone@outside.e2e.test",
            "someone@elsewhere.e2e.test",
            postfix=Outcome(REJECTED, "554", "5.7.1", "norelaying"),
            exim=Outcome(REJECTED, None, None, "norelaying")),
    Inbound("sender on the access list", MTA_ADDRESS,
            "blocked@spam.e2e.test", f"postmaster@{LOCAL_DOMAIN}",
            postfix=Outcome(REJECTED, "554", "5.7.1", "blocked"),
            exim=Outcome(REJECTED, "554", "5.7.1", "blocked")),
    # Postfix's cleanup logs only the enhanced code and the recipient;
    # Exim's after-DATA line names no recipient.
    Inbound("content rejected after DATA", MTA_ADDRESS, SENDER,
            f"postmaster@{LOCAL_DOMAIN}", subject="forbidden words",
            postfix=Outcome(REJECTED, None, "5.7.1", "policyviolation"),
            exim=Outcome(REJECTED, "550", "5.7.1", "policyviolation",
                         counted_by_domain=False)),
)

# The access-map and ACL texts of the inbound cases.
ACCESS_TEXT = "Sender is on the local blocklist"
CONTENT_TEXT = "Message content rejected"
CONTENT_PATTERN = "forbidden"


def listeners():
    """Return the responder's listeners: one per outbound case that has
    a server, and one for the bounce messages to SENDER."""
    result = [Listener(SENDER_ADDRESS)]
    for case in OUTBOUND:
        if not case.listening:
            continue
        if case.greeting:
            result.append(Listener(case.address, greeting=case.greeting))
        else:
            result.append(Listener(case.address))
    return result


def scripts():
    """Return the responder's scripts keyed by recipient local part."""
    return {case.name: case.script for case in OUTBOUND}


def routes():
    """Return (domain, address) for every domain the MTAs relay to."""
    result = [(SENDER_DOMAIN, SENDER_ADDRESS)]
    result += [(case.domain, case.address) for case in OUTBOUND]
    return result


@dataclass
class Expected:
    """The JSON report that one MTA's log must produce."""
    totals: dict = field(default_factory=dict)
    reply_codes: dict = field(default_factory=dict)
    enhanced_codes: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    # domain -> {"delivered": n, "deferred": n, ...}, non-zero keys only.
    domains: dict = field(default_factory=dict)
    # Messages the responder must have accepted: the delivered cases and
    # one bounce message to SENDER per failed case.
    accepted: int = 0


TOTAL_KEYS = ("delivered", "deferred", "deferred_recipients",
              "soft_bounced", "bounced", "expired", "expired_messages",
              "rejected", "reject_warnings", "forwarded", "notifications",
              "probes_deliverable", "probes_undeliverable",
              "code_mismatches")


def add(table, key, count=1):
    if key is not None:
        table[key] = table.get(key, 0) + count


def expected(mta, outbound=True, inbound=True):
    """Return the Expected report for MTA ("postfix" or "exim").

    OUTBOUND and INBOUND select which half of the scenario the log
    covers: Exim's reject log holds only the rejections.
    """
    result = Expected(totals={key: 0 for key in TOTAL_KEYS})
    totals = result.totals

    def count_failure(outcome, times=1):
        add(result.reply_codes, outcome.code, times)
        add(result.enhanced_codes, outcome.enhanced, times)

    def count_domain(domain, key):
        add(result.domains.setdefault(domain, {}), key)

    for case in OUTBOUND if outbound else ():
        outcome = getattr(case, mta)
        domain = case.domain
        if outcome.kind == DELIVERED:
            totals["delivered"] += 1
            result.accepted += 1
            count_domain(domain, "delivered")
            continue

        # Every failure sends the sender a bounce message, which the
        # responder accepts.
        totals["notifications"] += 1
        totals["delivered"] += 1
        result.accepted += 1
        count_domain(SENDER_DOMAIN, "delivered")
        if outcome.mismatch:
            totals["code_mismatches"] += 1

        if outcome.kind == BOUNCED:
            totals["bounced"] += 1
            count_failure(outcome)
            add(result.reasons, outcome.reason)
            count_domain(domain, "bounced")
        elif outcome.kind == DEFERRED_EXPIRED:
            # The expiry is charged to the recipient's last deferral,
            # but only the deferral is a failure with codes.
            totals["deferred"] += 1
            totals["deferred_recipients"] += 1
            totals["expired"] += 1
            totals["expired_messages"] += 1
            count_failure(outcome)
            add(result.reasons, outcome.reason, 2)
            count_domain(domain, "deferred")
            count_domain(domain, "expired")
        elif outcome.kind == DEFERRED_BOUNCED:
            # "retry timeout exceeded" names no code; bouncelog takes the
            # last deferral's reply, so the codes count twice.
            totals["deferred"] += 1
            totals["deferred_recipients"] += 1
            totals["bounced"] += 1
            count_failure(outcome, 2)
            add(result.reasons, outcome.reason, 2)
            count_domain(domain, "deferred")
            count_domain(domain, "bounced")
        else:
            raise ValueError(f"{case.name}: outcome {outcome.kind}")

    for case in INBOUND if inbound else ():
        outcome = getattr(case, mta)
        totals["rejected"] += 1
        count_failure(outcome)
        add(result.reasons, outcome.reason)
        if outcome.counted_by_domain:
            count_domain(case.recipient.rpartition("@")[2], "rejected")
        else:
            count_domain("(unknown)", "rejected")

    return result
