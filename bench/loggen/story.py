# SPDX-License-Identifier: MIT
"""The mail traffic that every generated log tells, whatever its format.

Simulation is a base class: it draws arrivals (outbound messages to
remote recipients, inbound messages for local users, rejected inbound
sessions and unrelated log noise), decides each recipient's fate, and
runs delivery attempts with the MTA's retry schedule until every
recipient is delivered, bounced or expired.  A subclass renders each step
as log lines of its format and counts it in the Truth.

Messages that were already deferred when the log begins enter the
simulation at their first retry after its start, so the file has the
retries and expiries of an older queue, as a real day's log does.
"""

from .common import (Domains, Output, ReplyPicker, Scheduler, Truth,
                     address_for, generator_digest, local_part, make_rng,
                     set_mtime, write_truth)
from .replies import INBOUND, OUTBOUND

OUR_DOMAIN = "example.com"

# What happens to a recipient that fails, given that it fails.
FAILURE_PLANS = [
    ("bounce", 0.30),		# a permanent reply at the first attempt
    ("defer-deliver", 0.40),	# temporary replies, then delivered
    ("defer-bounce", 0.12),	# temporary replies, then a permanent one
    ("local-defer-deliver", 0.10),	# no connection or DNS, then delivered
    ("local-bounce", 0.04),	# the domain does not exist
    ("defer-expire", 0.04),	# deferred until the queue lifetime ends
]


class Recipient:
    __slots__ = ("address", "domain", "provider", "mx", "ip", "plan",
                 "defers", "defer_fail", "final_fail", "state",
                 "seen_deferred", "last_fail")

    def __init__(self, address, domain, provider, mx, ip):
        self.address = address
        self.domain = domain
        self.provider = provider
        self.mx = mx
        self.ip = ip
        self.plan = "deliver"
        self.defers = 0
        self.defer_fail = None
        self.final_fail = None
        self.state = "pending"		# "delivered", "bounced", "expired"
        self.seen_deferred = False	# a deferral of it is in the file
        self.last_fail = None		# the last deferral in the file


class Message:
    __slots__ = ("id", "sender", "rcpts", "arrival", "attempts", "size",
                 "extra")

    def __init__(self, ident, sender, rcpts, arrival):
        self.id = ident
        self.sender = sender
        self.rcpts = rcpts
        self.arrival = arrival
        self.attempts = 0
        self.size = 0
        self.extra = None


class Fail:
    """A failure as a log shows it: text, codes and the reason.

    code and enh are what a parser must read from this line; reason is
    the classifier's reason the text was written to show.
    """
    __slots__ = ("reply", "text", "code", "enh", "reason", "local")

    def __init__(self, reply, text, code, enh, reason, local=False):
        self.reply = reply
        self.text = text
        self.code = code
        self.enh = enh
        self.reason = reason
        self.local = local


class Simulation:
    # Subclasses set these.
    format_name = None
    lifetime = 5 * 86400		# queue lifetime in seconds
    bytes_per_arrival = 1500		# to spread arrivals over the span

    def __init__(self, path, size, seed, failure, ndomains, zipf, span,
                 start, part=0):
        self.path = path
        self.part = part
        self.size = size
        self.seed = seed
        self.failure = failure
        self.span = span
        self.t0 = start
        # Parts of one large log (bench/gen --parts) share the domains
        # but draw their own traffic and message ids.
        self.rng = make_rng(seed, self.format_name if part == 0 else
                            f"{self.format_name}/{part}")
        self.truth = Truth()
        self.out = Output(path, self.truth, self.newline())
        self.sched = Scheduler()
        self.domains = Domains(make_rng(seed, "domains"), ndomains, zipf)
        self.outbound_defer = ReplyPicker(self.rng, OUTBOUND, "defer")
        self.outbound_bounce = ReplyPicker(self.rng, OUTBOUND, "bounce")
        self.inbound_reject = ReplyPicker(self.rng, INBOUND, "reject")
        self.counter = part << 36
        self.users = [local_part(self.rng) for _ in range(2000)]
        self.rate = max(size / self.bytes_per_arrival, 50) / span
        self.meta = {}
        self.part_table = False

    # --- hooks for the formats -------------------------------------

    def newline(self):
        return "\n"

    def begin(self):
        """Write what comes before the first line (a file header)."""

    def on_segment(self, fraction):
        """Called as the file fills; fraction is written / size."""

    def retry_delay(self, attempts):
        raise NotImplementedError

    # --- drawing -----------------------------------------------------

    def next_id(self):
        self.counter += 1
        return self.counter

    def user(self):
        return self.users[int(self.rng.random() * len(self.users))]

    def remote_recipient(self, domain=None):
        if domain is None:
            domain = self.domains.pick()
        provider, mx = self.domains.provider(domain)
        return Recipient(f"{local_part(self.rng)}@{domain}", domain,
                         provider, mx, address_for(mx, 0.35))

    def plan_recipient(self, r, share):
        """Give r a fate; share is its chance to fail."""
        rng = self.rng
        if rng.random() >= share:
            return
        x = rng.random()
        for plan, p in FAILURE_PLANS:
            x -= p
            if x < 0:
                break
        r.plan = plan
        if plan in ("bounce", "defer-bounce"):
            r.final_fail = self.remote_fail(r, self.outbound_bounce.pick(
                r.provider))
        if plan in ("defer-deliver", "defer-bounce", "defer-expire"):
            r.defer_fail = self.remote_fail(r, self.outbound_defer.pick(
                r.provider))
            r.defers = 1 + int(rng.random() * rng.random() * 5)
        if plan == "local-defer-deliver":
            r.defer_fail = self.local_defer(r)
            r.defers = 1 + int(rng.random() * 4)
        if plan == "local-bounce":
            r.final_fail = self.local_bounce(r)
        if plan == "defer-expire":
            r.defers = 1 << 30
            if rng.random() < 0.5:
                r.defer_fail = self.local_defer(r)

    def fill(self, text, r, sender):
        if "{" not in text:
            return text
        return text.format(rcpt=r.address, rdom=r.domain, ip=self.our_ip,
                           tag=self.tag(), sdom=sender.partition("@")[2]
                           or OUR_DOMAIN, helo="")

    def tag(self):
        return f"{int(self.rng.random() * 0xffffffffffff):012x}"

    # --- the run -----------------------------------------------------

    def run(self):
        rng = self.rng
        self.begin()
        self.on_segment(0.0)
        self.warm_start()
        t = self.t0
        written = self.out
        size = self.size
        next_mark = 0.01
        while written.written < size:
            t += rng.expovariate(self.rate)
            self.sched.run_until(t)
            fraction = written.written / size
            if fraction >= next_mark:
                self.on_segment(fraction)
                next_mark = fraction + 0.01
            x = rng.random()
            if x < 0.50:
                self.outbound(t)
            elif x < 0.90:
                self.inbound(t)
            else:
                self.noise(t)
        self.out.close()
        set_mtime(self.path, max(self.out.last_time, self.t0) + 1)
        doc = self.truth.as_json({
            "format": self.format_name, "seed": self.seed,
            "generator": generator_digest(),
            "size_requested": self.size, "bytes": self.out.written,
            "failure_requested": self.failure, **self.meta}, 20)
        write_truth(self.path + ".truth.json", doc)
        if self.part_table:
            write_truth(self.path + ".domains.json", self.truth.domains)
        return doc

    def warm_start(self):
        """Queue messages that were deferred before the log starts."""
        rng = self.rng
        count = max(int(self.rate * self.lifetime * self.failure * 0.01),
                    40)
        for _ in range(count):
            arrival = self.t0 - rng.random() * self.lifetime
            msg = self.new_outbound(arrival, rcpts=1 + int(rng.random() *
                                                           rng.random() * 3))
            for r in msg.rcpts:
                r.plan = "defer-expire"
                r.defers = 1 << 30
                if rng.random() < 0.5:
                    r.defer_fail = self.local_defer(r)
                else:
                    r.defer_fail = self.remote_fail(
                        r, self.outbound_defer.pick(r.provider))
            # Skip the attempts before the log: they would all defer.
            when = arrival
            while when < self.t0:
                when += self.retry_delay(msg.attempts)
                msg.attempts += 1
            self.sched.at(when, self.attempt, msg)

    def new_outbound(self, t, rcpts=None):
        rng = self.rng
        if rcpts is None:
            x = rng.random()
            rcpts = 1 if x < 0.8 else (2 + int(rng.random() * 4)
                                       if x < 0.97 else
                                       10 + int(rng.random() * 20))
        sender = (f"{self.user()}@{OUR_DOMAIN}" if rcpts < 10 else
                  f"newsletter@{OUR_DOMAIN}")
        rs = [self.remote_recipient() for _ in range(rcpts)]
        msg = Message(self.message_id(t), sender, rs, t)
        msg.size = 800 + int(rng.expovariate(1 / 40000))
        return msg

    def outbound(self, t):
        msg = self.new_outbound(t)
        for r in msg.rcpts:
            self.plan_recipient(r, self.failure)
        self.submit(t, msg)
        self.sched.at(t + 0.4 + self.rng.random(), self.attempt, msg)

    def attempt(self, t, msg):
        """One delivery attempt of every pending recipient of msg."""
        if t - msg.arrival >= self.lifetime:
            self.expire(t, msg)
            return
        index = msg.attempts
        msg.attempts += 1
        self.attempt_start(t, msg)
        bounced = False
        pending = False
        t += 0.2
        for r in msg.rcpts:
            if r.state != "pending":
                continue
            t += 0.01
            if index < r.defers:
                self.deferred(t, msg, r, r.defer_fail)
                pending = True
            elif r.plan in ("bounce", "defer-bounce", "local-bounce"):
                r.state = "bounced"
                self.bounced(t, msg, r, r.final_fail)
                bounced = True
            else:
                r.state = "delivered"
                self.delivered(t, msg, r)
        if bounced:
            self.notify(t + 0.05, msg)
        if pending:
            self.sched.at(t + self.retry_delay(index), self.attempt, msg)
        else:
            self.finish(t + 0.1, msg)

    # Counting helpers shared by the formats.

    def count_deferred(self, r, fail):
        tr = self.truth
        tr.failure("deferred", r.domain, fail.reason, fail.code, fail.enh)
        if not r.seen_deferred:
            r.seen_deferred = True
            tr.totals["deferred_recipients"] += 1
        r.last_fail = fail

    def count_bounced(self, r, fail):
        self.truth.failure("bounced", r.domain, fail.reason, fail.code,
                           fail.enh)
