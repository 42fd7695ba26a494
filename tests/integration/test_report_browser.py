"""report.html in headless Chromium: no console errors, renders at phone (390 px) and desktop (1280 px) widths
without horizontal overflow, and the annotated video beside it loads.

Chromium is driven over the DevTools protocol through ``--remote-debugging-pipe`` (file descriptors 3 and 4,
NUL-terminated JSON), so no Python package beyond the standard library is needed. Needs ``/usr/bin/chromium``
(Debian: ``apt-get install chromium``). Screenshots are saved into the test's tmp folder.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from formcheck.render.video import render_annotated_video  # noqa: E402
from formcheck.report.html import write_report  # noqa: E402
from tests.fixtures.fake_analysis import FPS, HEIGHT, N_FRAMES, WIDTH, make_fake_analysis  # noqa: E402

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium (apt-get install chromium)"
    ),
]


class Chromium:
    """A headless Chromium and a minimal DevTools-protocol client over ``--remote-debugging-pipe``."""

    def __init__(self, profile: Path) -> None:
        to_chrome_r, self._to_chrome_w = os.pipe()
        self._from_chrome_r, from_chrome_w = os.pipe()

        def child_fds() -> None:  # chrome reads commands on fd 3 and writes replies on fd 4
            r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)  # never clobber one with the other
            os.dup2(r, 3)
            os.dup2(w, 4)

        args = [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--no-default-browser-check", "--mute-audio",
            "--hide-scrollbars", f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            args,
            pass_fds=(3, 4),  # kept open in the child after child_fds() placed the pipes there
            preexec_fn=child_fds,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def _read_message(self, timeout_s: float) -> dict:
        import select

        deadline = time.monotonic() + timeout_s
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_chrome_r], [], [], left)[0]:
                raise TimeoutError("no reply from chromium")
            chunk = os.read(self._from_chrome_r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(
        self, method: str, params: dict | None = None, timeout_s: float = 30.0, session: bool = True
    ) -> dict:
        self._id += 1
        msg: dict = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_chrome_w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read_message(timeout_s)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout_s: float = 30.0) -> dict:
        for e in self.events:
            if e.get("method") == method:
                self.events.remove(e)
                return e
        deadline = time.monotonic() + timeout_s
        while True:
            e = self._read_message(max(0.1, deadline - time.monotonic()))
            if e.get("method") == method:
                return e
            self.events.append(e)

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    def evaluate(self, expression: str, timeout_s: float = 30.0):
        r = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            timeout_s,
        )
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def errors(self) -> list[str]:
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(str(p.get("exceptionDetails", {}).get("text")))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(str(p.get("args")))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(str(p["entry"].get("text")) + " " + str(p["entry"].get("url", "")))
        return out

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", session=False, timeout_s=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome_w)
        os.close(self._from_chrome_r)


VIDEO_STATE_JS = """new Promise(resolve => {
  const v = document.querySelector('video');
  if (!v) { resolve(null); return; }
  const report = () => resolve({readyState: v.readyState, duration: v.duration,
                                error: v.error ? v.error.code : null, width: v.videoWidth});
  if (v.readyState >= 1) { report(); return; }
  v.addEventListener('loadedmetadata', report);
  v.addEventListener('error', report);
  v.load();
  setTimeout(report, 15000);
})"""


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    from formcheck.video.writer import VideoWriter

    out = tmp_path_factory.mktemp("browser")
    src = out / "input.mp4"
    frame = np.full((HEIGHT, WIDTH, 3), 110, np.uint8)
    with VideoWriter(str(src), WIDTH, HEIGHT, FPS) as w:
        for i in range(N_FRAMES):
            w.write(frame, i / FPS)
    analysis = make_fake_analysis(path=str(src))
    result = render_annotated_video(analysis, out / "annotated.mp4")
    write_report(analysis, out, key_frames=result.key_frames)
    return out


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    browser = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        browser.open_page()
        yield browser
    finally:
        browser.close()


@pytest.mark.parametrize("width_px,mobile", [(390, True), (1280, False)])
def test_report_renders_without_errors(chromium, report_dir, width_px, mobile):
    chromium.events.clear()
    chromium.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": width_px, "height": 844 if mobile else 900, "deviceScaleFactor": 1, "mobile": mobile},
    )
    chromium.send("Page.navigate", {"url": (report_dir / "report.html").as_uri()})
    chromium.wait_event("Page.loadEventFired")
    layout = chromium.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " cards: document.querySelectorAll('.card').length, svgs: document.querySelectorAll('svg.plot').length,"
        " imgs: [...document.images].filter(i => i.complete && i.naturalWidth > 0).length,"
        " height: document.documentElement.scrollHeight})"
    )
    assert layout["cards"] == 6 and layout["svgs"] >= 3 and layout["imgs"] == 2
    assert layout["scroll"] <= layout["inner"], f"horizontal overflow at {width_px}px: {layout}"
    video = chromium.evaluate(VIDEO_STATE_JS, timeout_s=30)
    assert video is not None, "no <video> element although annotated.mp4 is beside the report"
    assert video["error"] is None, f"video failed to load: {video}"
    assert video["readyState"] >= 1 and video["duration"] > 0
    shot = chromium.send(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "fromSurface": True}, 60
    )
    path = report_dir / f"report_{width_px}px.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.stat().st_size > 10_000
    assert chromium.errors() == []


def test_report_without_video_still_reads(chromium, report_dir, tmp_path):
    for name in ("report.html",):
        shutil.copy(report_dir / name, tmp_path / name)
    chromium.events.clear()
    chromium.send("Page.navigate", {"url": (tmp_path / "report.html").as_uri()})
    chromium.wait_event("Page.loadEventFired")
    text = chromium.evaluate("document.body.innerText")
    assert "In ten seconds" in text and "does not diagnose" in text
