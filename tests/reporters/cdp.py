"""Drive a headless Chromium through the DevTools protocol, with the standard library only.

Enough of RFC 6455 (client frames masked, server frames possibly fragmented)
and of the DevTools protocol to open a page, record its network requests and
console errors, evaluate JavaScript and take screenshots. A test dependency
such as a websocket or Playwright package would be heavier than these lines.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--remote-debugging-port=0",
)


def find_chromium() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


class WebSocket:
    """A minimal blocking websocket client (text frames, ping/pong, close)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parsed = urlparse(url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self._read(1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"websocket handshake refused: {head[:200]!r}")

    def send(self, text: str) -> None:
        self._frame(0x1, text.encode())

    def recv(self) -> str:
        parts: list[bytes] = []
        while True:
            first, payload = self._read_frame()
            opcode = first & 0x0F
            if opcode == 0x9:  # ping
                self._frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            parts.append(payload)
            if first & 0x80:  # FIN
                return b"".join(parts).decode()

    def close(self) -> None:
        self.sock.close()

    def _frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
        elif length < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _read_frame(self) -> tuple[int, bytes]:
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._read(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._read(8))
        return first, self._read(length)

    def _read(self, size: int) -> bytes:
        chunks, remaining = [], size
        while remaining:
            chunk = self.sock.recv(min(remaining, 1 << 20))
            if not chunk:
                raise ConnectionError("websocket connection lost")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)


class Page:
    """One browser tab attached in flat mode; events are kept in ``events``."""

    def __init__(self, ws: WebSocket, session: str) -> None:
        self.ws = ws
        self.session = session
        self.events: list[dict[str, Any]] = []
        self._next = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        return call(self.ws, method, params, self.session, self.events, self)

    def wait_for(self, method: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = next((e for e in self.events if e.get("method") == method), None)
            if found:
                return found
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(f"no {method} within {timeout}s")

    def evaluate(self, expression: str) -> Any:
        reply = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return reply["result"]["value"]

    def resize(self, width: int, height: int) -> None:
        """Emulate a screen; under 600 px wide, a phone (viewport meta honoured)."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )

    def screenshot(self, path: Path, top: int = 0, height: int | None = None) -> None:
        """The page from ``top`` down ``height`` CSS pixels (default: the viewport)."""
        width, viewport = self.evaluate("[window.innerWidth, window.innerHeight]")
        clip = {"x": 0, "y": top, "width": width, "height": height or viewport, "scale": 1}
        data = self.call(
            "Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip
        )
        path.write_bytes(base64.b64decode(data["data"]))

    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def console_errors(self) -> list[str]:
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(json.dumps(params.get("args"), ensure_ascii=False))
            elif method == "Runtime.exceptionThrown":
                errors.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                errors.append(str(params["entry"].get("text")))
        return errors


_ids = iter(range(1, 1 << 30))


def call(
    ws: WebSocket,
    method: str,
    params: dict[str, Any],
    session: str | None,
    events: list[dict[str, Any]],
    page: Page | None = None,
) -> dict[str, Any]:
    message_id = next(_ids)
    message: dict[str, Any] = {"id": message_id, "method": method, "params": params}
    if session:
        message["sessionId"] = session
    ws.send(json.dumps(message))
    while True:
        reply = json.loads(ws.recv())
        if reply.get("id") == message_id:
            if "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            result: dict[str, Any] = reply.get("result", {})
            return result
        events.append(reply)


@contextmanager
def open_page(url: str, chromium: str, width: int = 1200, height: int = 900) -> Iterator[Page]:
    """Start Chromium, open ``url`` in a fresh tab with logging on, yield it loaded."""
    with tempfile.TemporaryDirectory(prefix="dvc-chromium-") as profile:
        process = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            ws = WebSocket(_browser_endpoint(Path(profile)))
            events: list[dict[str, Any]] = []
            target = call(ws, "Target.createTarget", {"url": "about:blank"}, None, events)
            attached = call(
                ws,
                "Target.attachToTarget",
                {"targetId": target["targetId"], "flatten": True},
                None,
                events,
            )
            page = Page(ws, attached["sessionId"])
            for domain in ("Page", "Network", "Runtime", "Log"):
                page.call(f"{domain}.enable")
            page.resize(width, height)
            page.call("Page.navigate", url=url)
            page.wait_for("Page.loadEventFired")
            yield page
            ws.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _browser_endpoint(profile: Path, timeout: float = 30.0) -> str:
    """Chromium writes its DevTools port and path to the profile once it listens."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists():
            lines = marker.read_text().split()
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        time.sleep(0.05)
    raise TimeoutError("Chromium did not open its DevTools port")
