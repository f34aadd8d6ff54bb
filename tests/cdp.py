"""A small Chrome DevTools Protocol client for tests: the system's headless Chromium, driven over its
websocket with ``websocket-client`` (no browser download of its own)."""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import websocket

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--remote-debugging-port=0", "--window-size=1400,1000"]


def chromium_path() -> str | None:
    """The Chromium executable on PATH, if any."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    """One headless Chromium with one page; records network requests, console messages and dialogs."""

    def __init__(self, executable: str, timeout: float = 60.0):
        self._profile = tempfile.mkdtemp(prefix="coordgraph-cdp-")
        self._ws = None
        self._proc = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or self._proc.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        self._ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=timeout, suppress_origin=True)
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    def call(self, method: str, session: str | None = None, **params) -> dict[str, Any]:
        """Send a command (browser-level unless ``session``) and wait for its result."""
        message_id = next(self._ids)
        message = {"id": message_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._ws.send(json.dumps(message))
        while True:
            reply = json.loads(self._ws.recv())
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def send(self, method: str, **params) -> dict[str, Any]:
        """A command to the page."""
        return self.call(method, self.session, **params)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited when it is a promise)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, ready: str, timeout: float = 60.0) -> None:
        """Navigate and wait until the expression ``ready`` is true."""
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.evaluate(ready):
                    return
            except RuntimeError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"page not ready: {ready}")

    def mouse(self, kind: str, x: float, y: float) -> None:
        """A mouse event at viewport coordinates: ``mouseMoved``, or a left ``click``."""
        if kind in ("click", "mouseMoved"):  # a pointer arrives from somewhere: move next to the point first
            self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x - 6, y=y - 6)
            self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        if kind == "click":
            for event in ("mousePressed", "mouseReleased"):
                self.send("Input.dispatchMouseEvent", type=event, x=x, y=y, button="left", clickCount=1)
        elif kind != "mouseMoved":
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y)

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        """A PNG of the viewport (or the whole page)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", **params)["data"]))
        return path

    def pump(self, seconds: float = 0.3) -> None:
        """Collect events that arrive within ``seconds``."""
        self._ws.settimeout(seconds)
        try:
            while True:
                self.events.append(json.loads(self._ws.recv()))
        except websocket.WebSocketTimeoutException:
            pass
        finally:
            self._ws.settimeout(60)

    def requests(self) -> list[str]:
        """URLs of every request the page started."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def request_ids(self) -> list[tuple[str, str]]:
        """(request id, URL) of every request the page started."""
        return [(e["params"]["requestId"], e["params"]["request"]["url"]) for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def blocked_requests(self) -> dict[str, str]:
        """Request id -> URL of the requests the browser blocked (content-security policy and the like)."""
        urls = dict(self.request_ids())
        return {e["params"]["requestId"]: urls.get(e["params"]["requestId"], "") for e in self.events
                if e.get("method") == "Network.loadingFailed" and e["params"].get("blockedReason")}

    def event_names(self) -> list[str]:
        return [e.get("method", "") for e in self.events]

    def close(self) -> None:
        try:
            self._ws.close()
        except Exception:  # noqa: BLE001 - closing a socket that may already be gone
            pass
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        shutil.rmtree(self._profile, ignore_errors=True)
