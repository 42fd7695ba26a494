"""report.html in headless Chromium at a phone's 390x844 and a laptop's 1366x768: no console errors, no horizontal
overflow, the video within the viewport, plot text at least 11 px as rendered; the video tools (speed, frame step,
landings) and a tap on a step (plot point, table row, key frame) move the video where they say.

Chromium is driven over the DevTools protocol through ``--remote-debugging-pipe`` (file descriptors 3 and 4,
NUL-terminated JSON), so no Python package beyond the standard library is needed. Needs ``/usr/bin/chromium``
(Debian: ``apt-get install chromium``). Screenshots are saved into the test's tmp folder.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fixtures.browser import BROWSER_TEST, SCREENS  # noqa: E402
from tests.fixtures.browser import open_at as _open
from tests.fixtures.browser import screenshot as _screenshot
from tests.fixtures.fake_analysis import (  # noqa: E402
    FPS,
    N_STEPS,
    write_fake_clip_folder,
)

pytestmark = BROWSER_TEST


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
    out = tmp_path_factory.mktemp("browser")
    write_fake_clip_folder(out)
    return out


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


@pytest.mark.parametrize("width_px,height_px,mobile", SCREENS)
def test_report_fits_the_screen(chromium, report_dir, width_px, height_px, mobile):
    _open(chromium, report_dir / "report.html", width_px, height_px, mobile)
    layout = chromium.evaluate(LAYOUT_JS)
    # five headline cards: a side clip cannot measure pelvic drop, named in one line instead
    assert layout["cards"] == 5 and layout["svgs"] >= 3 and layout["imgs"] == 2
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
    # No table needs its own sideways scroll either (the metric table's left/right column used to push its notes
    # past a laptop's width).
    wide = chromium.evaluate(
        "[...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1)"
        ".map(w => [w.querySelector('table').className, w.scrollWidth, w.clientWidth])"
    )
    assert wide == [], f"a table scrolls sideways at {width_px}px: {wide}"
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


def test_a_trimmed_clips_report_seeks_in_its_short_video(chromium, tmp_path):
    """--start 1 --end 3 on the 7 s sample: the video lasts the 2 s analysed, a landing button lands on the
    frame the video marks, the line under the video shows the clip's time, and the page logs no error."""
    from tests.fixtures.sample_landmarks import write_trimmed_clip_folder

    folder = write_trimmed_clip_folder(tmp_path)
    _open(chromium, folder / "report.html", 390, 844, True)
    video = chromium.evaluate(VIDEO_STATE_JS, timeout_s=30)
    assert video["error"] is None and video["duration"] == pytest.approx(61 / 30, abs=0.05)
    data = json.loads(chromium.evaluate("document.getElementById('fc-data').textContent"))
    first = data["steps"][0]
    chromium.evaluate("document.querySelector('video').currentTime = 0")
    _click_at(chromium, '[data-act="next-contact"]')
    s = chromium.evaluate(STATE_JS)
    assert s["t"] == pytest.approx(first["t"] + 0.25 / data["fps"], abs=1e-3) and s["t"] < 1.0
    now = chromium.evaluate("document.getElementById('fc-now').textContent")
    assert now.endswith(f"{first['c']:.2f} s") and first["c"] > 1.0, now  # the clip's time, not the video's
    assert "1.00 s to 3.00 s" in chromium.evaluate("document.querySelector('.player').innerText")
    _screenshot(chromium, tmp_path / "trimmed_390px.png", full=False)
    assert chromium.errors() == []
