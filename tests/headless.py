"""One headless Chromium for many pages, driven over the DevTools protocol on a pipe.

Starting Chromium costs about a second; the browser tests take some twenty screenshots.
`Browser` starts it once (per colour scheme: `--force-dark-mode` is a flag of the browser,
as the operating system's setting would be) and then, for each page, sets the viewport,
loads the page, waits for its load event (its images are in by then) and takes the
screenshot, as `chromium --window-size=W,H --screenshot` does, or reads the document as
`--dump-dom` does. The messages are JSON, each ended by a NUL byte: Chromium reads them
on its descriptor 3 and answers on its descriptor 4 (`--remote-debugging-pipe`).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import time
from typing import Any


def _high(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]


class Browser:
    def __init__(self, executable: str, *flags: str) -> None:
        ours_to_it, its_input = os.pipe()[::-1]  # (write end, read end)
        its_output, ours_from_it = os.pipe()[::-1]
        # Above 9, so that moving them to 3 and 4 cannot overwrite one with the other (bash,
        # not sh: dash takes one digit for a descriptor).
        its_input, its_output = (_high(fd) for fd in (its_input, its_output))
        self._write, self._read = ours_to_it, ours_from_it
        self.process = subprocess.Popen(
            [
                "bash", "-c", f'exec "$@" 3<&{its_input} 4>&{its_output}', "bash",
                executable, *FLAGS, *flags, "--remote-debugging-pipe", "about:blank",
            ],
            pass_fds=(its_input, its_output),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(its_input)
        os.close(its_output)
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        attached = self.call("Target.attachToTarget", targetId=target, flatten=True)
        self._session = attached["sessionId"]
        self.call("Page.enable", session=True)

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer (events that come first are kept)."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._next()
            if answer.get("id") == self._id:
                assert "error" not in answer, (method, answer["error"])
                result: dict[str, Any] = answer["result"]
                return result
            self._events.append(answer)

    def _next(self, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._read], [], [], max(0.0, left))
            assert ready, "headless Chromium did not answer within a minute"
            chunk = os.read(self._read, 1 << 20)
            assert chunk, "headless Chromium has gone"
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        found: dict[str, Any] = json.loads(message)
        return found

    def load(self, url: str, width: int, height: int) -> None:
        """The page at `url` in a viewport of `width` by `height` CSS pixels, loaded."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self._events.clear()
        self.call("Page.navigate", session=True, url=url)
        while not any(event.get("method") == "Page.loadEventFired" for event in self._events):
            self._events.append(self._next())

    def screenshot(self, url: str, width: int, height: int) -> bytes:
        """A PNG of the viewport, once the page has loaded."""
        self.load(url, width, height)
        shot = self.call("Page.captureScreenshot", session=True, format="png")
        return base64.b64decode(shot["data"])

    def dom(self, url: str) -> str:
        """The document as --dump-dom prints it: the root element's HTML once loaded."""
        self.load(url, 800, 600)
        found = self.call(
            "Runtime.evaluate",
            session=True,
            expression="document.documentElement.outerHTML",
            returnByValue=True,
        )
        html: str = found["result"]["value"]
        return html

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (AssertionError, OSError):
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        os.close(self._read)
