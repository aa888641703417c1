#!/usr/bin/env python3
"""Opens a tcpsim HTML report (--report) in headless Chromium and says
what a reader would see, one "key<TAB>value" line each, for
tests/test_report.c:

  segments / rows            arrows drawn, rows of the table of packets
  details.<field>            the details panel after clicking packet N
                             (--click N, default 3) with the mouse
  selected_after_next        the packet chosen after pressing "n"
  selected_after_prev        ... then "p" twice
  zoom_grew                  1 when "+" made the diagram wider
  print_pages                pages of the page printed on A4 (print style)
  print_toolbar_shown        1 when the print style leaves the buttons
  print_diagram_width        the diagram's width in print (the page's)
  overflow_at_200            pixels of horizontal page overflow at 200 %
                             zoom (a 640 px wide viewport), 0 when it fits
  console / exceptions       messages the page logged, errors it threw
  requests                   network requests besides the file itself
  screenshot_width/_height   of the PNG taken at a fixed 1280x900 viewport

--screenshot FILE keeps that PNG (docs/report.png).  The browser is driven
with the Chrome DevTools Protocol over --remote-debugging-pipe (fds 3 and
4, NUL-terminated JSON): python3's standard library only, no npm.
Exit status 0 when the page loaded, 1 otherwise.
"""
import argparse
import base64
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time

WIDTH, HEIGHT = 1280, 900


class Browser:
    """Chromium headless, one page target attached in flat mode."""

    def __init__(self, binary):
        self.to_r, self.to_w = os.pipe()      # we write, Chromium reads fd 3
        self.from_r, self.from_w = os.pipe()  # Chromium writes fd 4, we read
        self.profile = tempfile.mkdtemp(prefix="tcpsim-chromium-")
        args = [binary, "--headless=new", "--remote-debugging-pipe", "--no-first-run",
                "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + self.profile, "--hide-scrollbars", "--mute-audio",
                "--force-color-profile=srgb", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")

        def fds():
            # copies first: a pipe may already be fd 3 or 4, and dup2 onto
            # itself would leave it close-on-exec
            r, w = os.dup(self.to_r), os.dup(self.from_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(args, preexec_fn=fds, close_fds=False,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(self.to_r)
        os.close(self.from_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:  # pylint: disable=broad-except
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_w)
        os.close(self.from_r)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self.from_r], [], [], left)
            if ready:
                chunk = os.read(self.from_r, 1 << 16)
                if not chunk:
                    raise EOFError("Chromium closed the pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        for i, e in enumerate(self.events):
            if e["method"] == method:
                return self.events.pop(i)
        while True:
            m = self._read_message(deadline)
            if "method" in m:
                if m["method"] == method:
                    return m
                self.events.append(m)

    def attach_page(self):
        targets = self.call("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": page["targetId"], "flatten": True},
                                 session=False)["sessionId"]

    def js(self, expression):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError("script failed: %s" % r["exceptionDetails"])
        return r["result"].get("value")

    def key(self, key):
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "text": key
                                                 if kind == "keyDown" else ""})

    def click(self, x, y):
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y,
                                                   "button": "left", "clickCount": 1})


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return 0, 0
    return struct.unpack(">II", data[16:24])


def set_viewport(b, width, height):
    b.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                  "deviceScaleFactor": 1, "mobile": False})


def inspect(b, url, click, out):
    for domain in ("Page", "Runtime", "Log", "Network"):
        b.call(domain + ".enable")
    set_viewport(b, WIDTH, HEIGHT)
    b.call("Page.navigate", {"url": url})
    b.wait_event("Page.loadEventFired")
    out("segments", b.js("document.querySelectorAll('#ladder g.seg').length"))
    out("rows", b.js("document.querySelectorAll('#seg-table tbody tr').length"))
    out("bands", b.js("document.querySelectorAll('#ladder g.band').length"))
    out("legend", b.js("document.querySelectorAll('.legend li').length"))
    rect = b.js("(function () { var g = document.getElementById('seg-%d');"
                " g.scrollIntoView({block: 'center'});"
                " var r = g.querySelector('line.hit').getBoundingClientRect();"
                " return [r.left + r.width / 2, r.top + r.height / 2]; })()" % click)
    b.click(rect[0], rect[1])
    pairs = b.js("Array.prototype.map.call(document.querySelectorAll('#details-list dt'),"
                 " function (dt) { return [dt.textContent, dt.nextElementSibling.textContent]; })")
    for name, value in pairs:
        out("details." + name, value)
    out("selected", b.js("(document.querySelector('#ladder g.seg.selected') || {}).id || ''"))
    b.js("document.getElementById('scroller').scrollTop = 0;"
         " document.getElementById('diagram').scrollIntoView({block: 'start'}); 1")
    # the pointer off the diagram, or the arrow now under it would be shown
    b.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": WIDTH - 2, "y": 2})
    screenshot = base64.b64decode(b.call("Page.captureScreenshot", {"format": "png"})["data"])
    b.key("n")
    out("selected_after_next", b.js("document.querySelector('#ladder g.seg.selected').id"))
    b.key("p")
    b.key("p")
    out("selected_after_prev", b.js("document.querySelector('#ladder g.seg.selected').id"))
    before = b.js("document.getElementById('ladder').getBoundingClientRect().width")
    b.key("+")
    after = b.js("document.getElementById('ladder').getBoundingClientRect().width")
    out("zoom_grew", 1 if after > before else 0)
    b.key("0")
    pdf = base64.b64decode(b.call("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69},
                                  timeout=60)["data"])
    out("print_pages", pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages"))
    b.call("Emulation.setEmulatedMedia", {"media": "print"})
    out("print_toolbar_shown", b.js("document.querySelector('.toolbar').offsetParent ? 1 : 0"))
    out("print_diagram_width", b.js("Math.round(document.getElementById('ladder')"
                                    ".getBoundingClientRect().width)"))
    if os.environ.get("REPORT_PRINT_SHOT"):
        with open(os.environ["REPORT_PRINT_SHOT"], "wb") as f:
            f.write(base64.b64decode(b.call("Page.captureScreenshot", {"format": "png"})["data"]))
    b.call("Emulation.setEmulatedMedia", {"media": ""})
    set_viewport(b, WIDTH // 2, HEIGHT // 2)
    out("overflow_at_200", b.js("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"))
    return screenshot


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("report")
    ap.add_argument("--click", type=int, default=3)
    ap.add_argument("--screenshot")
    ap.add_argument("--browser", default=os.environ.get("CHROMIUM", "chromium"))
    opts = ap.parse_args()
    path = os.path.abspath(opts.report)
    url = "file://" + path
    binary = shutil.which(opts.browser)
    if not binary:
        print("no browser: %s" % opts.browser, file=sys.stderr)
        return 77
    lines = []

    def out(key, value):
        lines.append("%s\t%s" % (key, str(value).replace("\n", " ")))

    b = Browser(binary)
    try:
        b.attach_page()
        screenshot = inspect(b, url, opts.click, out)
        b.call("Runtime.evaluate", {"expression": "1"})  # collects the events still queued
    finally:
        b.close()
    console = [e for e in b.events if e["method"] == "Runtime.consoleAPICalled"]
    errors = [e for e in b.events if e["method"] == "Runtime.exceptionThrown"]
    logs = [e for e in b.events if e["method"] == "Log.entryAdded"]
    requests = [e["params"]["request"]["url"] for e in b.events
                if e["method"] == "Network.requestWillBeSent"
                and e["params"]["request"]["url"] != url]
    out("console", len(console) + len(logs))
    for e in console + logs:
        out("console.message", json.dumps(e["params"])[:300])
    out("exceptions", len(errors))
    for e in errors:
        out("exception.message", json.dumps(e["params"])[:300])
    out("requests", len(requests))
    for r in requests:
        out("request.url", r)
    w, h = png_size(screenshot)
    out("screenshot_width", w)
    out("screenshot_height", h)
    if opts.screenshot:
        with open(opts.screenshot, "wb") as f:
            f.write(screenshot)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
