"""A small DevTools-protocol client for headless Debian chromium: open a page, watch it, read it, photograph it.

Used by the browser tests and benchmarks/viz_settle.py. Needs the ``chromium`` binary (Debian package
``chromium``; ``KG_CHROMIUM`` names another) and websocket-client. No browser is downloaded.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
         "--mute-audio", "--hide-scrollbars", "--remote-debugging-port=0"]


def find_chromium() -> str | None:
    """The chromium executable, or None when this machine has none (tests then skip)."""
    for name in (os.environ.get("KG_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (path := shutil.which(name)):
            return path
    return None


def why_no_browser() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if find_chromium() is None:
        return "no chromium on this machine (CI installs Debian's package: apt-get install -y chromium)"
    try:
        import websocket  # noqa: F401
    except ImportError:
        return "websocket-client is not installed (pip install -e '.[test]')"
    return None


@dataclass
class Tab:
    """One page of the browser, attached over the browser's DevTools socket (a flat session)."""

    browser: Browser
    session: str
    events: list[dict] = field(default_factory=list)

    def send(self, method: str, **params):
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (promises awaited)."""
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression!r} threw: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0):
        """Poll until the expression is truthy; its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            self.browser.pump(0.05)
        raise TimeoutError(f"{expression!r} still false after {timeout}s")

    def mouse(self, kind: str, x: float, y: float, **extra) -> None:
        """A real mouse event at page coordinates: ``moved``, ``pressed``, ``released`` or ``wheel``."""
        kinds = {"moved": "mouseMoved", "pressed": "mousePressed", "released": "mouseReleased", "wheel": "mouseWheel"}
        if kind in ("pressed", "released"):
            extra = {"button": "left", "clickCount": 1, **extra}
        self.send("Input.dispatchMouseEvent", type=kinds[kind], x=x, y=y, **extra)

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]

    def console_errors(self) -> list[str]:
        out = []
        for e in self.events:
            m, p = e["method"], e["params"]
            if m == "Runtime.exceptionThrown":
                out.append(json.dumps(p["exceptionDetails"])[:500])
            elif m == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
            elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
                out.append(p["entry"]["text"])
        return out

    def dialogs(self) -> list[str]:
        return [e["params"]["message"] for e in self.events if e["method"] == "Page.javascriptDialogOpening"]


class Browser:
    """Headless chromium with a private profile; use as a context manager."""

    def __init__(self, width: int = 1440, height: int = 900):
        import websocket

        exe = find_chromium()
        if exe is None:
            raise RuntimeError(why_no_browser())
        self.profile = tempfile.mkdtemp(prefix="kg-chromium-")
        self.proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
                                      "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                break
            if m := re.search(r"DevTools listening on (ws://\S+)", line):
                url = m.group(1)
        if url is None:
            self.close()
            raise RuntimeError("chromium did not start (no DevTools address on its stderr)")
        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.tabs: dict[str, Tab] = {}
        self.width, self.height = width, height

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            if getattr(self, "ws", None):
                self.ws.close()
        finally:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)

    def _dispatch(self, msg: dict) -> None:
        tab = self.tabs.get(msg.get("sessionId", ""))
        if tab is not None and "method" in msg:
            tab.events.append(msg)
            if msg["method"] == "Page.javascriptDialogOpening":  # never leave a dialog blocking the page
                self.ws.send(json.dumps({"id": next(self.ids), "method": "Page.handleJavaScriptDialog",
                                         "params": {"accept": False}, "sessionId": tab.session}))

    def send(self, method: str, params: dict | None = None, session: str | None = None):
        ident = next(self.ids)
        msg = {"id": ident, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._dispatch(reply)

    def pump(self, seconds: float) -> None:
        """Read events for a while (they arrive between replies)."""
        import websocket

        self.ws.settimeout(seconds)
        try:
            while True:
                self._dispatch(json.loads(self.ws.recv()))
        except websocket.WebSocketTimeoutException:  # nothing more for now
            return
        finally:
            self.ws.settimeout(60)

    def open(self, url: str, init_script: str | None = None) -> Tab:
        """A new tab watching console, network and dialogs from the first request, then loading ``url``.

        ``init_script`` runs in every document of the tab before the page's own scripts (to instrument it).
        """
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, session)
        self.tabs[session] = tab
        for domain in ("Page", "Runtime", "Network", "Log"):
            tab.send(f"{domain}.enable")
        tab.send("Emulation.setDeviceMetricsOverride", width=self.width, height=self.height, deviceScaleFactor=1,
                 mobile=False)
        if init_script:
            tab.send("Page.addScriptToEvaluateOnNewDocument", source=init_script)
        tab.events.clear()  # about:blank's own events
        tab.send("Page.navigate", url=url)
        return tab
