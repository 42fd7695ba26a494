"""report.html in headless Chromium at a phone's 390x844 and a laptop's 1366x768: no console errors, no horizontal
overflow, the video within the viewport, plot text at least 11 px as rendered; the video tools (speed, frame step,
landings) and a tap on a step (plot point, table row, key frame) move the video where they say.

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
from tests.fixtures.fake_analysis import (  # noqa: E402
    FPS,
    HEIGHT,
    N_FRAMES,
    N_STEPS,
    WIDTH,
    make_fake_analysis,
)

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


SCREENS = [(390, 844, True), (1366, 768, False)]

LAYOUT_JS = """(() => {
  const v = document.querySelector('video'), r = v.getBoundingClientRect();
  const sizes = [...document.querySelectorAll('svg.plot text')].map(t => {
    const svg = t.closest('svg');
    return parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  });
  return {scroll: document.documentElement.scrollWidth, inner: innerWidth, innerH: innerHeight,
          cards: document.querySelectorAll('.card').length, svgs: document.querySelectorAll('svg.plot').length,
          imgs: [...document.images].filter(i => i.complete && i.naturalWidth > 0).length,
          height: document.documentElement.scrollHeight, video: {w: r.width, h: r.height},
          minFont: Math.min(...sizes), nText: sizes.length};
})()"""


def _open(chromium, path: Path, width: int, height: int, mobile: bool) -> None:
    chromium.events.clear()
    chromium.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )
    chromium.send("Page.navigate", {"url": path.as_uri()})
    chromium.wait_event("Page.loadEventFired")


def _screenshot(chromium, path: Path, full: bool) -> None:
    shot = chromium.send(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": full, "fromSurface": True}, 60
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize("width_px,height_px,mobile", SCREENS)
def test_report_fits_the_screen(chromium, report_dir, width_px, height_px, mobile):
    _open(chromium, report_dir / "report.html", width_px, height_px, mobile)
    layout = chromium.evaluate(LAYOUT_JS)
    assert layout["cards"] == 6 and layout["svgs"] >= 3 and layout["imgs"] == 2
    # A phone widens its layout viewport to fit content that overflows: compare with the screen's width.
    assert layout["scroll"] <= layout["inner"] == width_px, f"horizontal overflow at {width_px}px: {layout}"
    assert 0 < layout["video"]["h"] <= layout["innerH"] and layout["video"]["w"] <= layout["inner"], layout
    assert layout["nText"] > 20 and layout["minFont"] >= 11.0, f"plot text too small: {layout}"
    video = chromium.evaluate(VIDEO_STATE_JS, timeout_s=30)
    assert video is not None, "no <video> element although annotated.mp4 is beside the report"
    assert video["error"] is None, f"video failed to load: {video}"
    assert video["readyState"] >= 1 and video["duration"] > 0
    _screenshot(chromium, report_dir / f"report_{width_px}px.png", full=True)
    _screenshot(chromium, report_dir / f"report_{width_px}px_first_screen.png", full=False)
    folded = chromium.evaluate("document.documentElement.scrollHeight")
    chromium.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    opened = chromium.evaluate(LAYOUT_JS)
    assert opened["height"] > folded  # the details were folded
    assert opened["scroll"] <= opened["inner"] == width_px, (
        f"horizontal overflow with every fold open: {opened}"
    )
    _screenshot(chromium, report_dir / f"report_{width_px}px_open.png", full=True)
    assert chromium.errors() == []


def _click_at(chromium, selector: str) -> None:
    """A real mouse click at the centre of the first element matching ``selector`` (scrolled into view)."""
    box = chromium.evaluate(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
        " const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"
    )
    for kind in ("mousePressed", "mouseReleased"):
        chromium.send(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
        )


STATE_JS = """(() => { const v = document.querySelector('video');
  return {t: v.currentTime, rate: v.playbackRate, paused: v.paused,
          current: [...document.querySelectorAll('[data-step].current')].map(e => e.dataset.step)}; })()"""


@pytest.mark.parametrize("width_px,height_px,mobile", SCREENS)
def test_video_tools_and_steps_seek(chromium, report_dir, width_px, height_px, mobile):
    _open(chromium, report_dir / "report.html", width_px, height_px, mobile)
    assert chromium.evaluate(VIDEO_STATE_JS, timeout_s=30)["readyState"] >= 1
    data = json.loads(chromium.evaluate("document.getElementById('fc-data').textContent"))
    steps = {s["i"]: s["t"] for s in data["steps"]}
    dt = 1.0 / data["fps"]
    assert len(steps) == N_STEPS and data["fps"] == pytest.approx(FPS, abs=1e-3)

    def state() -> dict:
        return chromium.evaluate(STATE_JS)

    for rate in ("0.25", "0.5", "1"):
        _click_at(chromium, f'.speeds button[data-rate="{rate}"]')
        assert state()["rate"] == float(rate)
    _click_at(chromium, '.speeds button[data-rate="0.25"]')
    assert (
        chromium.evaluate("document.querySelector('[data-rate=\"0.25\"]').getAttribute('aria-pressed')")
        == "true"
    )

    chromium.evaluate("document.querySelector('video').currentTime = 0")
    _click_at(chromium, '[data-act="next-contact"]')
    first = min(steps, key=steps.get)
    s = state()
    assert s["t"] == pytest.approx(steps[first] + 0.25 * dt, abs=1e-3) and s["paused"]
    assert str(first) in s["current"]
    _click_at(chromium, '[data-act="next-contact"]')
    second = sorted(steps, key=steps.get)[1]
    assert state()["t"] == pytest.approx(steps[second] + 0.25 * dt, abs=1e-3)
    _click_at(chromium, '[data-act="prev-contact"]')
    assert state()["t"] == pytest.approx(steps[first] + 0.25 * dt, abs=1e-3)
    before = state()["t"]
    _click_at(chromium, '[data-act="next-frame"]')
    assert state()["t"] == pytest.approx(before + dt, abs=1e-3)
    _click_at(chromium, '[data-act="prev-frame"]')
    assert state()["t"] == pytest.approx(before, abs=1e-3)
    chromium.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": ".", "text": "."})
    chromium.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "."})
    assert state()["t"] == pytest.approx(before + dt, abs=1e-3)
    chromium.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "]", "text": "]"})
    chromium.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "]"})
    assert state()["t"] == pytest.approx(steps[second] + 0.25 * dt, abs=1e-3)

    # A tap on a step seeks to its landing and highlights it everywhere it is shown.
    _click_at(chromium, '#plot-overstride svg .step[data-step="7"]')
    s = state()
    assert s["t"] == pytest.approx(steps[7] + 0.25 * dt, abs=1e-3)
    assert s["current"].count("7") >= 3  # the plot points (two panels), the table row, ...
    chromium.evaluate("document.querySelector('#steps details').open = true")
    _click_at(chromium, '#steps tr[data-step="4"]')
    assert state()["t"] == pytest.approx(steps[4] + 0.25 * dt, abs=1e-3)
    key = int(chromium.evaluate("document.querySelector('.keyframe [data-step]').dataset.step"))
    _click_at(chromium, ".keyframe [data-step]")
    assert state()["t"] == pytest.approx(steps[key] + 0.25 * dt, abs=1e-3)
    _click_at(chromium, "#card-overstride_distance button.show")
    s = state()
    assert s["rate"] == 0.25 and s["t"] in [pytest.approx(t + 0.25 * dt, abs=1e-3) for t in steps.values()]
    _screenshot(chromium, report_dir / f"report_{width_px}px_after_seek.png", full=False)
    assert chromium.errors() == []


def test_report_without_video_still_reads(chromium, report_dir, tmp_path):
    for name in ("report.html",):
        shutil.copy(report_dir / name, tmp_path / name)
    chromium.events.clear()
    chromium.send("Page.navigate", {"url": (tmp_path / "report.html").as_uri()})
    chromium.wait_event("Page.loadEventFired")
    text = chromium.evaluate("document.body.innerText")
    assert "In ten seconds" in text and "does not diagnose" in text
