#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Render HTML reports in headless Chromium and check them.

Usage: html_browser.py BOUNCELOG OUTPUT_DIR

Writes reports of the sample and hostile fixtures into OUTPUT_DIR, opens
each in Debian's Chromium driven by chromedriver (the W3C WebDriver HTTP
API on 127.0.0.1), and checks that:
  - the browser logs no console message at all;
  - the page loads nothing but itself: the DevTools network log contains
    no request for any other URL;
  - the page runs no script, and the Content-Security-Policy stops a
    script and an image that are added after loading (the violations must
    then show in the console log, which proves the log is read);
  - the document is as wide as the window (long log text wraps), and each
    chart is drawn with a non-zero size;
  - the page prints to PDF.
Full-page screenshots (light and dark colour scheme) and the PDF stay in
OUTPUT_DIR for people to look at.

Chromium runs as the user running the test, with --no-sandbox (needed as
root), a new empty profile, no network service other than loopback: the
proxy is 127.0.0.1:9 and every host name resolves to nothing.  When
chromium or chromedriver is not installed the test exits with status 77,
which meson reports as skipped.
"""
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURES = os.path.join(SOURCE, "fixtures")
SKIP = 77
WIDTH = 1280

REPORTS = [
    ("sample", ["@FIXTURES@/postfix/sample.log"]),
    ("hostile", ["--year=2026", "@FIXTURES@/hostile/html-injection.log"]),
    ("sample-tr", ["--lang=tr", "@FIXTURES@/postfix/sample.log"]),
]

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps",
    "--no-default-browser-check", "--hide-scrollbars",
    "--force-device-scale-factor=1", "--password-store=basic",
    "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
    f"--window-size={WIDTH},900",
]

# Run in the page after loading; returns what the checks need.
INSPECT = """
const charts = Array.from(document.querySelectorAll('svg.chart'));
return {
  scripts: document.scripts.length,
  title: document.title,
  lang: document.documentElement.lang,
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  charts: charts.map(c => {
    const r = c.getBoundingClientRect();
    return [r.width, r.height];
  }),
  bodyHeight: document.body.scrollHeight,
};
"""

# Try to run a script and load an image from loopback port 9 after the
# page loaded; the Content-Security-Policy must refuse both.
PROBE = """
window.__bouncelogProbe = 'blocked';
const s = document.createElement('script');
s.textContent = "window.__bouncelogProbe = 'ran';";
document.body.appendChild(s);
const img = document.createElement('img');
img.src = 'http://127.0.0.1:9/probe.png';
document.body.appendChild(img);
return window.__bouncelogProbe;
"""


class Driver:
    """A chromedriver process and one browser session."""

    def __init__(self, chromedriver, chromium, log_path, profile):
        self.port = free_port()
        self.log = open(log_path, "wb")
        # A process group of its own, so that close() can end the browser
        # that chromedriver started even when the session cannot be
        # deleted.
        self.process = subprocess.Popen(
            [chromedriver, f"--port={self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        self.session = None
        self._wait_ready()
        options = {"binary": chromium,
                   "args": CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]}
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
        }}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def _wait_ready(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("chromedriver ended with status "
                                   f"{self.process.returncode}")
            try:
                if self.call("GET", "/status").get("ready"):
                    return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        raise RuntimeError("chromedriver did not become ready in 30 s")

    def call(self, method, path, body=None):
        if self.session is not None and (path == "/s" or
                                         path.startswith("/s/")):
            path = f"/session/{self.session}" + path[2:]
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.load(response)["value"]
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")[:500]
            raise RuntimeError(f"{method} {path}: HTTP {e.code}: {detail}")

    def script(self, source):
        return self.call("POST", "/s/execute/sync",
                         {"script": source, "args": []})

    def cdp(self, command, params=None):
        return self.call("POST", "/s/goog/cdp/execute",
                         {"cmd": command, "params": params or {}})

    def logs(self, kind):
        return self.call("POST", "/s/se/log", {"type": kind})

    def close(self):
        try:
            if self.session is not None:
                self.call("DELETE", "/s")
        finally:
            self._end_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._end_group(signal.SIGKILL)
                self.process.wait()
            time.sleep(0.5)
            self._end_group(signal.SIGKILL)
            self.log.close()

    def _end_group(self, sig):
        """Send sig to chromedriver's process group: it and the browser."""
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_report(bouncelog, args, path):
    args = [a.replace("@FIXTURES@", FIXTURES) for a in args]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC",
           "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
    for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if key in os.environ:
            env[key] = os.environ[key]
    with open(path, "wb") as out:
        proc = subprocess.run([bouncelog, "--format=html"] + args,
                              stdout=out, stderr=subprocess.PIPE, env=env,
                              timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"bouncelog failed with status "
                           f"{proc.returncode}: {proc.stderr[:300]!r}")


def screenshot(driver, path):
    """Save the whole page, not only the window, as a PNG."""
    metrics = driver.cdp("Page.getLayoutMetrics")
    size = metrics["cssContentSize"]
    shot = driver.cdp("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"],
                 "height": size["height"], "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def requests_made(performance_log, document_url):
    """The URLs that the document asked for and the browser did not
    refuse before sending, and every request to a network scheme."""
    asked, refused = {}, set()
    for entry in performance_log:
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message.get("method") == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if (params.get("documentURL") == document_url or
                    url.split(":")[0] in ("http", "https", "ws", "wss",
                                          "ftp")):
                asked[params["requestId"]] = url
        if (message.get("method") == "Network.loadingFailed" and
                params.get("blockedReason") == "csp"):
            refused.add(params["requestId"])
    return [url for rid, url in asked.items() if rid not in refused]


def check_report(driver, name, path, out_dir):
    problems = []
    url = "file://" + path
    driver.logs("browser")
    driver.logs("performance")
    driver.call("POST", "/s/url", {"url": url})

    for entry in driver.logs("browser"):
        problems.append(f"console {entry['level']}: {entry['message']}")
    for request in requests_made(driver.logs("performance"), url):
        if request != url and not request.startswith("data:"):
            problems.append(f"request for {request}")

    page = driver.script(INSPECT)
    if page["scripts"] != 0:
        problems.append(f"{page['scripts']} script elements")
    if not page["title"]:
        problems.append("empty title")
    if page["scrollWidth"] > page["clientWidth"]:
        problems.append(f"page is {page['scrollWidth']} px wide in a "
                        f"{page['clientWidth']} px window")
    if not page["charts"]:
        problems.append("no chart")
    for width, height in page["charts"]:
        if width < 100 or height < 50:
            problems.append(f"chart drawn at {width}x{height} px")

    screenshot(driver, os.path.join(out_dir, f"{name}.png"))
    driver.cdp("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    screenshot(driver, os.path.join(out_dir, f"{name}-dark.png"))
    driver.cdp("Emulation.setEmulatedMedia", {"features": []})

    pdf = base64.b64decode(driver.cdp("Page.printToPDF",
                                      {"printBackground": True})["data"])
    with open(os.path.join(out_dir, f"{name}.pdf"), "wb") as f:
        f.write(pdf)
    if not pdf.startswith(b"%PDF") or pdf.count(b"/Type /Page") < 1:
        problems.append("printing to PDF gave no page")

    problems += check_probe(driver, url)
    return problems, page


def check_probe(driver, url):
    """The policy must stop a late script and image, and log both."""
    problems = []
    driver.logs("performance")
    if driver.script(PROBE) != "blocked":
        problems.append("an added script ran despite the policy")
    time.sleep(0.5)
    console = driver.logs("browser")
    if not any("Content Security Policy" in e["message"] for e in console):
        problems.append("no policy violation in the console log, so "
                        "console errors would go unseen")
    for request in requests_made(driver.logs("performance"), url):
        if request != url:
            problems.append(f"the policy let through a request for "
                            f"{request}")
    return problems


def main(argv):
    bouncelog, out_dir = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    if chromium is None or chromedriver is None:
        missing = "chromium" if chromium is None else "chromedriver"
        print(f"SKIP: {missing} is not installed (Debian packages chromium "
              "and chromium-driver)")
        return SKIP

    os.makedirs(out_dir, exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="bouncelog-chromium-") as tmp:
        profile = os.path.join(tmp, "profile")
        os.mkdir(profile)
        driver = Driver(chromedriver, chromium,
                        os.path.join(out_dir, "chromedriver.log"), profile)
        try:
            for name, args in REPORTS:
                path = os.path.join(out_dir, f"{name}.html")
                write_report(bouncelog, args, path)
                problems, page = check_report(driver, name, path, out_dir)
                status = "not ok" if problems else "ok"
                print(f"{status} - {name}: {len(page['charts'])} charts, "
                      f"{page['bodyHeight']} px tall, screenshot "
                      f"{os.path.join(out_dir, name + '.png')}")
                for p in problems:
                    print(f"# {p}")
                failed += bool(problems)
        finally:
            driver.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
