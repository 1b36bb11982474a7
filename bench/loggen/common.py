# SPDX-License-Identifier: MIT
"""Shared parts of the log generators: clock, output, names and truth.

A generator runs a discrete-event simulation.  Story steps (a client's
SMTP session, a delivery attempt, a queue run) wait in a heap keyed by
time.  Each step writes its lines when it runs and counts them in the
Truth at that moment.  So the truth covers exactly the lines in the
file, also when the file ends in the middle of a story.
"""
import bisect
import hashlib
import heapq
import itertools
import json
import os
import random
import time
from collections import Counter

# The server's local time is UTC+03:00 without summer time, so the
# offset-less timestamp forms are read correctly with TZ=<+03>-3.
LOCAL_OFFSET = 3 * 3600
TZ_FOR_LOCAL = "<+03>-3"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
           "Oct", "Nov", "Dec")


class SecondCache:
    """Date and time fields of one whole second, computed once."""

    def __init__(self, utc):
        self.utc = utc
        self.second = None
        self.local = None
        self.zulu = None

    def fields(self, sec):
        if sec != self.second:
            self.second = sec
            self.local = time.gmtime(sec + LOCAL_OFFSET)
            self.zulu = time.gmtime(sec)
        return self.zulu if self.utc else self.local


def syslog_stamper(style, host):
    """Return header(t, program, pid) for a syslog timestamp style.

    The header ends in the ": " before the message.  Styles are the forms
    bouncelog reads (see include/bouncelog/sysline.h): "rfc3339-us"
    (rsyslog on Debian 12), "rfc3339-ms-z", "rfc3339-s-hhmm" (journalctl
    -o short-iso), "rfc3339-local", "bsd", "bsd-zero" (Postfix
    maillog_file), "pri-bsd", "pri-rfc3339" and "rfc5424".
    """
    cache = SecondCache(utc=(style == "rfc3339-ms-z"))
    state = {"sec": None, "text": ""}

    def date_part(t):
        sec = int(t)
        if sec != state["sec"]:
            tm = cache.fields(sec)
            if style in ("bsd", "pri-bsd"):
                text = (f"{_MONTHS[tm.tm_mon - 1]} {tm.tm_mday:2d} "
                        f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}")
            elif style == "bsd-zero":
                text = (f"{_MONTHS[tm.tm_mon - 1]} {tm.tm_mday:02d} "
                        f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}")
            else:
                text = (f"{tm.tm_year:04d}-{tm.tm_mon:02d}-{tm.tm_mday:02d}T"
                        f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}")
            state["sec"] = sec
            state["text"] = text
        return state["text"]

    def usec(t):
        return int((t - int(t)) * 1e6)

    if style == "rfc3339-us":
        return lambda t, prog, pid: (
            f"{date_part(t)}.{usec(t):06d}+03:00 {host} {prog}[{pid}]: ")
    if style == "rfc3339-ms-z":
        return lambda t, prog, pid: (
            f"{date_part(t)}.{usec(t) // 1000:03d}Z {host} {prog}[{pid}]: ")
    if style == "rfc3339-s-hhmm":
        return lambda t, prog, pid: (
            f"{date_part(t)}+0300 {host} {prog}[{pid}]: ")
    if style == "rfc3339-local":
        return lambda t, prog, pid: (
            f"{date_part(t)}.{usec(t):06d} {host} {prog}[{pid}]: ")
    if style in ("bsd", "bsd-zero"):
        return lambda t, prog, pid: f"{date_part(t)} {host} {prog}[{pid}]: "
    if style == "pri-bsd":
        return lambda t, prog, pid: (
            f"<22>{date_part(t)} {host} {prog}[{pid}]: ")
    if style == "pri-rfc3339":
        return lambda t, prog, pid: (
            f"<22>{date_part(t)}.{usec(t):06d}+03:00 {host} {prog}[{pid}]: ")
    if style == "rfc5424":
        return lambda t, prog, pid: (
            f"<22>1 {date_part(t)}.{usec(t):06d}+03:00 {host} {prog} {pid}"
            f" - - ")
    raise ValueError(f"unknown timestamp style {style!r}")


# Share of the file written in each syslog timestamp style, in this
# order.  Debian 12's rsyslog default comes first and dominates.
SYSLOG_STYLES = [
    ("rfc3339-us", 0.55), ("bsd", 0.15), ("rfc3339-ms-z", 0.06),
    ("rfc3339-s-hhmm", 0.06), ("bsd-zero", 0.06), ("pri-bsd", 0.03),
    ("pri-rfc3339", 0.03), ("rfc3339-local", 0.03), ("rfc5424", 0.03),
]


class Truth:
    """Counts of the generated file, kept as it is written."""

    OUTCOMES = ("delivered", "deferred", "bounced", "expired", "rejected")

    def __init__(self):
        self.lines = 0
        self.totals = Counter({k: 0 for k in (
            "delivered", "deferred", "deferred_recipients", "bounced",
            "expired", "expired_messages", "rejected", "notifications")})
        self.reply_codes = Counter()
        self.enhanced_codes = Counter()
        self.reasons = Counter()
        self.domains = {}

    def _domain(self, domain):
        row = self.domains.get(domain)
        if row is None:
            row = self.domains[domain] = [0, 0, 0, 0, 0]
        return row

    def delivered(self, domain):
        self.totals["delivered"] += 1
        self._domain(domain)[0] += 1

    def failure(self, outcome, domain, reason, code=None, enh=None):
        """Count one failure; outcome is one of OUTCOMES except delivered."""
        self.totals[outcome] += 1
        self._domain(domain)[self.OUTCOMES.index(outcome)] += 1
        self.reasons[reason] += 1
        if code is not None:
            self.reply_codes[code] += 1
        if enh is not None:
            self.enhanced_codes[enh] += 1

    def as_json(self, meta, top):
        """Return the truth document; top is how many domains to list."""
        fails = sorted(self.domains.items(),
                       key=lambda kv: (-sum(kv[1][1:]), kv[0]))
        domains = {}
        for name, row in fails[:top]:
            domains[name] = dict(zip(self.OUTCOMES, row))
        counted = sum(self.totals[k] for k in self.OUTCOMES)
        failed = counted - self.totals["delivered"]
        return {
            **meta,
            "lines": self.lines,
            "failure_line_share": round(failed / counted, 4) if counted else 0,
            "distinct_domains": len(self.domains),
            "totals": dict(sorted(self.totals.items())),
            "reply_codes": dict(sorted(self.reply_codes.items())),
            "enhanced_codes": dict(sorted(self.enhanced_codes.items())),
            "reasons": dict(sorted(self.reasons.items())),
            "top_domains": domains,
        }


class Output:
    """The log file, written in large blocks, with its byte count."""

    def __init__(self, path, truth, newline="\n"):
        # UTF-8 for the byte order mark of Exchange logs; every line is
        # ASCII, so len() counts bytes except for the mark.
        self.file = open(path, "w", encoding="utf-8", newline="\n")
        self.truth = truth
        self.newline = newline
        self.buf = []
        self.written = 0
        self.last_time = 0.0

    def raw(self, text):
        """Write text that is not a log line (a byte order mark)."""
        self.buf.append(text)
        self.written += len(text.encode("utf-8"))

    def line(self, text):
        text += self.newline
        self.buf.append(text)
        self.written += len(text)
        self.truth.lines += 1
        if len(self.buf) >= 8192:
            self.file.write("".join(self.buf))
            self.buf.clear()

    def close(self):
        self.file.write("".join(self.buf))
        self.buf.clear()
        self.file.close()


class Scheduler:
    """A heap of story steps: (time, sequence, callable, args)."""

    def __init__(self):
        self.heap = []
        self.seq = itertools.count()

    def at(self, when, step, *args):
        heapq.heappush(self.heap, (when, next(self.seq), step, args))

    def run_until(self, when):
        heap = self.heap
        while heap and heap[0][0] <= when:
            t, _, step, args = heapq.heappop(heap)
            step(t, *args)


_SYLLABLES = (
    "ka ro mi ta ne lo vi sa du pe ar en ol is um ba ge ti zo ha ri me no "
    "lu fa ke si po da ve mo ra li ne ku bo ze ya tu ca de fi go hu").split()
_FIRST = (
    "anna ali ayse ben can carla deniz ella emre eva fatma hans ines ivan "
    "jack jana kemal lara leo lina maria mehmet mia noah olga omar paul "
    "rosa sam sara selin tom ufuk vera yusuf zeynep nora felix ida arda "
    "elif burak ceren dora ege hakan kaan melis murat nil oz pinar sinan").split()
_LAST = (
    "smith yilmaz kaya demir schmidt muller rossi dubois garcia novak "
    "ivanova berg jensen costa silva tanaka kim lee nguyen brown wilson "
    "celik sahin aydin ozturk arslan dogan kilic aslan cetin kara koc "
    "kurt ozdemir simsek polat erdem gunes aksoy tekin").split()


def local_part(rng):
    """Return a plausible mailbox name."""
    r = rng.random()
    first = _FIRST[int(rng.random() * len(_FIRST))]
    last = _LAST[int(rng.random() * len(_LAST))]
    if r < 0.45:
        return f"{first}.{last}"
    if r < 0.75:
        return f"{first}{last}{int(rng.random() * 100)}"
    if r < 0.9:
        return f"{first[0]}{last}"
    return f"{first}_{int(rng.random() * 10000)}"


def word(rng, syllables):
    n = len(_SYLLABLES)
    bits = rng.getrandbits(8 * syllables)
    out = ""
    for _ in range(syllables):
        out += _SYLLABLES[(bits & 0xff) % n]
        bits >>= 8
    return out


# Receivers with their own reply texts: domain, provider key and MX host.
PROVIDER_DOMAINS = [
    ("gmail.com", "gmail", "gmail-smtp-in.l.google.com"),
    ("outlook.com", "microsoft", "outlook-com.olc.protection.outlook.com"),
    ("yahoo.com", "yahoo", "mta6.am0.yahoodns.net"),
    ("hotmail.com", "microsoft", "hotmail-com.olc.protection.outlook.com"),
    ("icloud.com", "apple", "mx01.mail.icloud.com"),
    ("gmx.de", "gmx", "mx00.gmx.net"),
    ("web.de", "gmx", "mx-ha03.web.de"),
    ("aol.com", "yahoo", "mx-aol.mail.gm0.yahoodns.net"),
    ("mail.ru", "mailru", "mxs.mail.ru"),
    ("live.com", "microsoft", "live-com.olc.protection.outlook.com"),
    ("yandex.ru", "yandex", "mx.yandex.ru"),
    ("orange.fr", "orange", "smtp-in.orange.fr"),
    ("t-online.de", "tonline", "mx00.t-online.de"),
    ("googlemail.com", "gmail", "gmail-smtp-in.l.google.com"),
    ("comcast.net", "comcast", "mx1a1.comcast.net"),
    ("gmx.net", "gmx", "mx01.emig.gmx.net"),
    ("me.com", "apple", "mx02.mail.icloud.com"),
    ("wanadoo.fr", "orange", "smtp-in.orange.fr"),
]

_TLDS = ("example", "example.com", "example.net", "example.org", "test")


class Domains:
    """Recipient domains drawn with a Zipf distribution over their rank.

    The large providers take the first ranks; the rest are invented names
    under reserved top-level domains.  Of those, some are hosted by Google
    or Microsoft and get those providers' replies and MX names.
    """

    def __init__(self, rng, count, exponent):
        self.names = [d for d, _, _ in PROVIDER_DOMAINS][:count]
        self.info = {d: (p, mx) for d, p, mx in PROVIDER_DOMAINS}
        seen = set(self.names)
        while len(self.names) < count:
            name = f"{word(rng, 2 + int(rng.random() * 2))}" \
                   f".{_TLDS[int(rng.random() * len(_TLDS))]}"
            if name in seen:
                continue
            seen.add(name)
            self.names.append(name)
        weights = [1.0 / (rank ** exponent)
                   for rank in range(1, len(self.names) + 1)]
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]
        self.rng = rng
        self.hosting = {}

    def pick(self):
        i = bisect.bisect_left(self.cum, self.rng.random() * self.total)
        return self.names[min(i, len(self.names) - 1)]

    def provider(self, domain):
        """Return (provider key or None, MX host name) for a domain."""
        known = self.info.get(domain)
        if known is not None:
            return known
        known = self.hosting.get(domain)
        if known is None:
            h = hash_text(domain)
            if h % 100 < 18:
                known = ("microsoft", domain.replace(".", "-") +
                         ".mail.protection.outlook.com")
            elif h % 100 < 30:
                known = ("gmail", ("aspmx.l.google.com",
                                   "alt1.aspmx.l.google.com")[h & 1])
            else:
                known = (None, ("mx1.", "mail.", "mx.", "smtp.")[h % 4]
                         + domain)
            self.hosting[domain] = known
        return known


def hash_text(text):
    """Return a stable 32-bit FNV-1a hash (hash() is salted per run)."""
    h = 0x811C9DC5
    for ch in text.encode():
        h = ((h ^ ch) * 0x01000193) & 0xFFFFFFFF
    return h


_ADDRESSES = {}


def address_for(name, ipv6_share=0.3):
    """Return a documentation address, IPv4 or IPv6, for a host name."""
    key = (name, ipv6_share)
    known = _ADDRESSES.get(key)
    if known is not None:
        return known
    if len(_ADDRESSES) > 500000:
        _ADDRESSES.clear()
    known = _ADDRESSES[key] = _address(name, ipv6_share)
    return known


def _address(name, ipv6_share):
    h = hash_text(name)
    if (h >> 8) % 1000 < ipv6_share * 1000:
        return f"2001:db8:{(h >> 16) & 0xffff:x}::{h & 0xfff:x}"
    net = ("192.0.2", "198.51.100", "203.0.113")[h % 3]
    return f"{net}.{1 + (h >> 4) % 254}"


class ReplyPicker:
    """Replies of one kind, chosen by weight, preferring a provider's own."""

    def __init__(self, rng, replies, kind):
        self.rng = rng
        self.by_provider = {}
        for r in replies:
            if r.kind == kind:
                self.by_provider.setdefault(r.provider, []).append(r)
        self.cum = {p: list(itertools.accumulate(x.weight for x in rs))
                    for p, rs in self.by_provider.items()}

    def pick(self, provider):
        # A provider with texts of its own always uses them: its
        # classifier rules read a generic text's codes in the provider's
        # own meaning (Microsoft's 5.1.10 is an unknown recipient).
        if provider not in self.by_provider:
            provider = None
        rs, cum = self.by_provider[provider], self.cum[provider]
        i = bisect.bisect_left(cum, self.rng.random() * cum[-1])
        return rs[min(i, len(rs) - 1)]


def token(rng, n=10):
    """Return n random lower-case hexadecimal digits."""
    return f"{rng.getrandbits(4 * n):0{n}x}"


def write_truth(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")


def set_mtime(path, when):
    """Give the log its last line's time, so BSD years come out right."""
    os.utime(path, (when, when))


def generator_digest():
    """Return a digest of the generator's source, to tell stale logs."""
    folder = os.path.dirname(os.path.abspath(__file__))
    h = hashlib.sha256()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), "rb") as f:
                h.update(name.encode() + b"\0" + f.read())
    return h.hexdigest()[:16]


def make_rng(seed, name):
    return random.Random(f"{seed}:{name}")
