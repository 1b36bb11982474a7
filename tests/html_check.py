#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the HTML report's safety and its numbers with Python's html.parser.

Usage: html_check.py BOUNCELOG

For each case, run `bouncelog --format=html` and `--format=json` on the
same input and check that the document:
  - is valid UTF-8 with no control byte but newline;
  - has no script, frame, object, image, link, base or form element, no
    event-handler or style attribute, and only "#fragment" links that
    name an id of the document;
  - has the Content-Security-Policy that forbids scripts and remote
    loads, a lang attribute following --lang, and a title;
  - has one style element, equal to data/report.css, which loads nothing;
  - nests its elements properly (every end tag closes the open element),
    so no log text broke out of the element it was written in;
  - shows every hostile payload of fixtures/hostile/html-injection.log as
    text, and none of them in an attribute value;
  - shows example log lines that are lines of the input, byte for byte
    once the report's \\xNN and \\uNNNN escapes are undone;
  - gives the same totals in its summary and in the timeline legend and
    table as the JSON report does.
Output is TAP.
"""
import html.parser
import json
import os
import re
import shlex
import subprocess
import sys

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURES = os.path.join(SOURCE, "fixtures")

# A command put before bouncelog, such as valgrind with its options, from
# the environment variable BOUNCELOG_WRAPPER (split as a shell would).
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
# Self-closed SVG elements (<rect/>) are reported by handle_startendtag.
FORBIDDEN = {"script", "iframe", "frame", "object", "embed", "img", "link",
             "base", "form", "input", "button", "audio", "video", "source",
             "image", "foreignobject", "use", "a:link", "animate", "set"}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction",
                  "xlink:href", "poster", "background", "data", "ping",
                  "cite", "longdesc", "manifest"}

# Text that html-injection.log puts in replies, domains, hosts, clients
# and senders, as it must read in the report.
HOSTILE_TEXT = [
    "<script>alert(4)</script></svg><img src=x onerror=alert(5)> "
    "javascript:alert(6)",
    "</title></svg><script>alert(3)</script>",
    "<svg onload=alert(2)&amp;'\".example",
    "</style><style>body{display:none}</style>",
    "<iframe src=\"javascript:alert(7)\"></iframe> ]]> <![CDATA[ x ]]> "
    "<!-- c --> &lt;b&gt; &amp; &#x3c;",
    "\"<script src=//evil.example/x.js\"@sender.example",
    "mx'\"onmouseover=alert(8)",
    "\"onmouseover=\"alert(9)\" style=\"x\" 'single'",
    "\\x1b[31mred\\x1b[0m \\x1b]0;title\\x07 \\xc2\\x9b2J \\x9b raw "
    "\\xff\\xfe invalid \\u202eevil-rtl\\u202c tab\\x09here",
    "Recipient address rejected: before",
]
# Words that no attribute value may contain, whatever the input.
ATTRIBUTE_MARKERS = ["alert(", "javascript", "onerror=", "onmouseover=",
                     "evil", "<", ">"]

CASES = [
    ("sample", ["@FIXTURES@/postfix/sample.log"], "en"),
    ("sample-tr", ["--lang=tr", "@FIXTURES@/postfix/sample.log"], "tr"),
    ("hostile", ["--year=2026", "@FIXTURES@/hostile/html-injection.log"],
     "en"),
    ("no-failures", ["--year=2026", "@FIXTURES@/hostile/c1-in-verbose.log"],
     "en"),
    ("mixed", ["--year=2024", "@FIXTURES@/mixed/mail.log"], "en"),
    ("exchange", ["@FIXTURES@/exchange/MSGTRK-2019.LOG"], "en"),
    ("several", ["--year=2026", "--top=3", "@FIXTURES@/postfix/queue-ids.log",
                 "@FIXTURES@/postfix/rejects.log"], "en"),
    ("empty-stdin", ["-"], "en"),
    ("same-file-twice", ["--year=2026", "@FIXTURES@/postfix/queue-ids.log",
                         "@FIXTURES@/postfix/../postfix/queue-ids.log"],
     "en"),
]


class Document(html.parser.HTMLParser):
    """The parts of a report that the checks look at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.stack = []
        self.ids = set()
        self.hrefs = []
        self.attributes = []
        self.html_lang = None
        self.csp = []
        self.title = ""
        self.styles = []
        self.text = []
        self.examples = []
        self.cards = {}
        self.legend = []
        self.tables = []        # (caption or summary, [[cells]])
        self.summaries = []
        self._capture = None
        self._cell = None
        self._row = None
        self._table = None
        self._dt = None

    def _open(self, tag, attrs, closed):
        attrs = dict(attrs)
        if tag in FORBIDDEN:
            self.problems.append(f"forbidden element <{tag}>")
        for name, value in attrs.items():
            value = value or ""
            self.attributes.append((tag, name, value))
            if name.startswith("on"):
                self.problems.append(f"event attribute {name} on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name == "id":
                if value in self.ids:
                    self.problems.append(f"duplicate id {value!r}")
                self.ids.add(value)
            if name in URL_ATTRIBUTES:
                self.hrefs.append(value)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if (tag == "meta" and (attrs.get("http-equiv") or "").lower()
                == "content-security-policy"):
            self.csp.append(attrs.get("content"))
        if (tag == "meta" and (attrs.get("http-equiv") or "").lower()
                == "refresh"):
            self.problems.append("meta refresh")
        if tag in ("title", "style", "pre", "dt", "dd", "li", "summary",
                   "caption", "figcaption") and not self.stack_has("svg"):
            self._capture = [tag, attrs, []]
        if tag == "table":
            self._table = [self._last_summary(), []]
        if tag == "tr" and self._table is not None:
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []
        if not closed and tag not in VOID:
            self.stack.append(tag)

    def stack_has(self, tag):
        return tag in self.stack

    def _last_summary(self):
        return self.summaries[-1] if self.summaries else ""

    def handle_starttag(self, tag, attrs):
        self._open(tag, attrs, False)

    def handle_startendtag(self, tag, attrs):
        self._open(tag, attrs, True)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1]}>"
                                 if self.stack else f"stray </{tag}>")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if self._capture is not None and self._capture[0] == tag:
            self._finish_capture()
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        if tag == "tr" and self._row is not None:
            self._table[1].append(self._row)
            self._row = None
        if tag == "table" and self._table is not None:
            self.tables.append(tuple(self._table))
            self._table = None

    def _finish_capture(self):
        tag, attrs, parts = self._capture
        text = "".join(parts)
        self._capture = None
        if tag == "title":
            self.title = text
        elif tag == "style":
            self.styles.append(text)
        elif tag == "pre" and attrs.get("class") == "log":
            self.examples.append(text)
        elif tag == "dt":
            self._dt = text
        elif tag == "dd" and self._dt is not None:
            self.cards[self._dt] = number(text)
            self._dt = None
        elif tag == "li" and "\u2026" not in text and ": " in text:
            self.legend.append(text)
        elif tag == "summary":
            self.summaries.append(text)
        elif tag == "caption" and self._table is not None:
            self._table[0] = text

    def handle_data(self, data):
        self.text.append(data)
        if self._capture is not None:
            self._capture[2].append(data)
        if self._cell is not None:
            self._cell.append(data)


def number(text):
    """The integer in a count written with narrow no-break spaces."""
    return int(text.replace("\u202f", "").strip())


def unescape_report(text):
    """Undo the report's escapes of control bytes and bidi characters."""
    out = bytearray()
    i = 0
    while i < len(text):
        if text.startswith("\\x", i) and re.match(r"[0-9a-f]{2}",
                                                  text[i + 2:i + 4]):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        elif text.startswith("\\u", i) and re.match(r"[0-9a-f]{4}",
                                                    text[i + 2:i + 6]):
            out += chr(int(text[i + 2:i + 6], 16)).encode()
            i += 6
        else:
            out += text[i].encode()
            i += 1
    return bytes(out)


def input_lines(args):
    lines = []
    for arg in args:
        if arg.startswith("@FIXTURES@"):
            with open(arg.replace("@FIXTURES@", FIXTURES), "rb") as f:
                lines += f.read().split(b"\n")
    return lines


def run(bouncelog, args):
    args = [a.replace("@FIXTURES@", FIXTURES) for a in args]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC",
           "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
    for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
                "BOUNCELOG_PCRE2_JIT"):
        if key in os.environ:
            env[key] = os.environ[key]
    proc = subprocess.run(WRAPPER + [bouncelog] + args, input=b"",
                          capture_output=True, env=env, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"bouncelog {' '.join(args)}: exit status "
                           f"{proc.returncode}: {proc.stderr[:500]!r}")
    return proc.stdout


def check_bytes(raw):
    problems = []
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"invalid UTF-8 at byte {e.start}")
    for i, b in enumerate(raw):
        if (b < 0x20 and b != 0x0a) or b == 0x7f:
            problems.append(f"control byte 0x{b:02x} at byte {i}")
            break
    if not raw.startswith(b"<!DOCTYPE html>\n"):
        problems.append("no <!DOCTYPE html> at the start")
    if re.search(rb"<script", raw, re.I):
        problems.append("raw <script in the document")
    return problems


def check_document(doc, lang, css):
    problems = list(doc.problems)
    if doc.stack:
        problems.append(f"elements left open: {doc.stack}")
    if doc.csp != [CSP]:
        problems.append(f"Content-Security-Policy: got {doc.csp!r}")
    if doc.html_lang != lang:
        problems.append(f"lang: got {doc.html_lang!r}, want {lang!r}")
    if not doc.title.strip():
        problems.append("empty title")
    if [style.strip() for style in doc.styles] != [css.strip()]:
        problems.append(f"{len(doc.styles)} style elements, or the style "
                        "differs from data/report.css")
    for href in doc.hrefs:
        if not href.startswith("#") or href[1:] not in doc.ids:
            problems.append(f"link to {href!r}, not an id of the document")
    for tag, name, value in doc.attributes:
        for marker in ATTRIBUTE_MARKERS:
            if marker in value and not (tag == "meta" and name == "content"):
                problems.append(f"attribute {name}={value!r} on <{tag}> "
                                f"holds {marker!r}")
    return problems


def check_css(css):
    problems = []
    for match in re.finditer(r"url\(\s*([^)]*)\)", css):
        if not match.group(1).startswith("#"):
            problems.append(f"style sheet loads {match.group(0)}")
    if re.search(r"@import|expression\(|</style", css, re.I):
        problems.append("style sheet imports, runs or ends early")
    return problems


def check_examples(doc, args):
    lines = input_lines(args)
    problems = []
    for text in doc.examples:
        got = unescape_report(text.removesuffix("\u2026"))
        if not any(line.startswith(got) for line in lines):
            problems.append(f"example is no input line: {text[:120]!r}")
    return problems


def legend_counts(doc):
    counts = {}
    for item in doc.legend:
        label, _, value = item.rpartition(": ")
        counts[label] = number(value)
    return counts


def timeline_table_total(doc):
    for caption, rows in doc.tables:
        if caption == "Numbers per time bucket":
            return sum(number(row[-1]) for row in rows[1:])
    return 0


def check_numbers(doc, report):
    totals = report["totals"]
    failures = sum(r["count"] for r in report["failure_reasons"])
    problems = []
    want_cards = {"Failures": failures, "Delivered": totals["delivered"],
                  "Deferred": totals["deferred"],
                  "Bounced": totals["bounced"], "Expired": totals["expired"],
                  "Rejected inbound": totals["rejected"]}
    if doc.html_lang == "en" and doc.cards != want_cards:
        problems.append(f"summary cards: got {doc.cards}, want {want_cards}")
    if doc.html_lang != "en" or failures == 0:
        return problems

    legend = legend_counts(doc)
    if legend.get("deferred (4xx)") != totals["deferred"]:
        problems.append(f"legend deferred: got {legend}, want "
                        f"{totals['deferred']}")
    rejected = (legend.get("rejected inbound (4xx)", 0) +
                legend.get("rejected inbound (5xx)", 0))
    if rejected != totals["rejected"]:
        problems.append(f"legend rejections: got {rejected}, want "
                        f"{totals['rejected']}")
    if sum(legend.values()) != failures:
        problems.append(f"legend sum: got {sum(legend.values())}, want "
                        f"{failures}")
    untimed = 0
    match = re.search(r"Failures without a time, not drawn: ([\d\u202f]+)",
                      "".join(doc.text))
    if match:
        untimed = number(match.group(1))
    drawn = timeline_table_total(doc)
    if drawn + untimed != failures:
        problems.append(f"timeline table: {drawn} drawn and {untimed} "
                        f"untimed, want {failures} in all")
    return problems


def check_hostile(doc):
    text = "".join(doc.text)
    return [f"payload not shown as text: {p!r}" for p in HOSTILE_TEXT
            if p not in text]


def main(argv):
    bouncelog = os.path.abspath(argv[1])
    with open(os.path.join(SOURCE, "data", "report.css"),
              encoding="utf-8") as f:
        css = f.read()
    print(f"1..{len(CASES) + 1}")
    failed = 0
    problems = check_css(css)
    print(("not ok" if problems else "ok") + " 1 - style sheet")
    for p in problems:
        print(f"# {p}")
    failed += bool(problems)

    for number_, (name, args, lang) in enumerate(CASES, 2):
        try:
            raw = run(bouncelog, ["--format=html"] + args)
            report = json.loads(run(bouncelog, ["--format=json"] + args))
        except RuntimeError as e:
            failed += 1
            print(f"not ok {number_} - {name}")
            print(f"# {e}")
            continue
        doc = Document()
        doc.feed(raw.decode("utf-8", "replace"))
        doc.close()
        problems = check_bytes(raw)
        problems += check_document(doc, lang, css)
        problems += check_examples(doc, args)
        problems += check_numbers(doc, report)
        if name == "hostile":
            problems += check_hostile(doc)
        if problems:
            failed += 1
            print(f"not ok {number_} - {name}")
            for p in problems[:20]:
                print(f"# {p}")
        else:
            print(f"ok {number_} - {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
