"""report-share.html in headless Chromium, alone in a folder (no annotated.mp4 beside it), at a phone's 390x844 and
a laptop's 1366x768: the embedded video loads (metadata, duration) and plays its frames, no console errors, no
sideways scroll, the key frames show, and the video tools and a tap on a step seek the video as in report.html."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from formcheck.report.single_file import share_clip_folder  # noqa: E402
from tests.fixtures.browser import (
    BROWSER_TEST,  # noqa: E402
    SCREENS,
    layout,
    open_at,
    screenshot,
)
from tests.fixtures.fake_analysis import FPS, HEIGHT, N_FRAMES, N_STEPS, WIDTH, write_fake_clip_folder  # noqa: E402
from tests.integration.test_report_browser import STATE_JS, VIDEO_STATE_JS, _click_at  # noqa: E402

pytestmark = [*BROWSER_TEST, pytest.mark.slow]  # a browser playing an embedded video: the full run only


@pytest.fixture(scope="module")
def shared_page(tmp_path_factory) -> Path:
    """A clip folder's report made into one file, then moved alone into a folder of its own."""
    clip = tmp_path_factory.mktemp("clip")
    write_fake_clip_folder(clip)
    alone = tmp_path_factory.mktemp("alone")
    shared = share_clip_folder(clip, alone / "report.html")
    assert sorted(p.name for p in alone.iterdir()) == ["report.html"]
    return shared.path


# Waits until a frame can be shown, then reports; seeks to a time and reports the frame's time once decoded.
PLAYABLE_JS = """new Promise(resolve => {
  const v = document.getElementById('fc-video');
  const report = () => resolve({readyState: v.readyState, duration: v.duration, src: v.currentSrc.slice(0, 5),
                                error: v.error ? v.error.code : null, w: v.videoWidth, h: v.videoHeight});
  if (v.readyState >= 2) { report(); return; }
  v.addEventListener('loadeddata', report);
  v.addEventListener('error', report);
  setTimeout(report, 15000);
})"""
PICTURES_JS = (
    "(() => ({imgs: [...document.images].filter(i => i.complete && i.naturalWidth > 0).length,"
    " video: (r => ({w: r.width, h: r.height}))(document.getElementById('fc-video').getBoundingClientRect())}))()"
)


@pytest.mark.parametrize("width_px,height_px,mobile", SCREENS)
def test_embedded_video_plays_and_the_page_fits(chromium, shared_page, width_px, height_px, mobile):
    open_at(chromium, shared_page, width_px, height_px, mobile)
    video = chromium.evaluate(PLAYABLE_JS, timeout_s=30)
    assert video["error"] is None and video["src"] == "blob:", video
    assert video["readyState"] >= 2  # HAVE_CURRENT_DATA: a frame decoded, not only the metadata
    assert video["duration"] == pytest.approx(N_FRAMES / FPS, abs=2 / FPS)
    assert (video["w"], video["h"]) == (WIDTH, HEIGHT)
    page = {**layout(chromium), **chromium.evaluate(PICTURES_JS)}
    assert page["scroll"] <= page["inner"] == width_px, f"sideways scroll at {width_px}px: {page}"
    assert page["imgs"] == 2  # the key frames, inline
    assert 0 < page["video"]["h"] <= page["innerH"] and page["video"]["w"] <= page["inner"], page
    screenshot(chromium, shared_page.with_name(f"share_{width_px}px.png"), full=False)
    assert chromium.errors() == []


@pytest.mark.parametrize("width_px,height_px,mobile", SCREENS)
def test_video_tools_seek_the_embedded_video(chromium, shared_page, width_px, height_px, mobile):
    open_at(chromium, shared_page, width_px, height_px, mobile)
    assert chromium.evaluate(VIDEO_STATE_JS, timeout_s=30)["readyState"] >= 1
    data = json.loads(chromium.evaluate("document.getElementById('fc-data').textContent"))
    steps = {s["i"]: s["t"] for s in data["steps"]}
    dt = 1.0 / data["fps"]
    assert len(steps) == N_STEPS

    def state() -> dict:
        return chromium.evaluate(STATE_JS)

    _click_at(chromium, '.speeds button[data-rate="0.5"]')
    assert state()["rate"] == 0.5
    chromium.evaluate("document.querySelector('video').currentTime = 0")
    _click_at(chromium, '[data-act="next-contact"]')
    first = min(steps, key=steps.get)
    s = state()
    assert s["t"] == pytest.approx(steps[first] + 0.25 * dt, abs=1e-3) and s["paused"]
    assert str(first) in s["current"]
    before = s["t"]
    _click_at(chromium, '[data-act="next-frame"]')
    assert state()["t"] == pytest.approx(before + dt, abs=1e-3)
    _click_at(chromium, '#plot-overstride svg .step[data-step="7"]')
    assert state()["t"] == pytest.approx(steps[7] + 0.25 * dt, abs=1e-3)
    chromium.evaluate("document.querySelector('#steps details').open = true")
    _click_at(chromium, '#steps tr[data-step="4"]')
    assert state()["t"] == pytest.approx(steps[4] + 0.25 * dt, abs=1e-3)
    key = int(chromium.evaluate("document.querySelector('.keyframe [data-step]').dataset.step"))
    _click_at(chromium, ".keyframe [data-step]")
    assert state()["t"] == pytest.approx(steps[key] + 0.25 * dt, abs=1e-3)
    # The seek lands on a decoded frame of the embedded file (a Blob seeks like a file). Under load Chromium can
    # fire 'seeked' while still at HAVE_METADATA and decode the frame a moment later, so the frame is awaited.
    seeked = chromium.evaluate(
        """new Promise(r => { const v = document.getElementById('fc-video');
        const decoded = () => v.readyState >= 2 ? r({t: v.currentTime, rs: v.readyState}) : setTimeout(decoded, 50);
        v.addEventListener('seeked', decoded, {once: true});
        v.currentTime = 3.0; setTimeout(() => r(null), 10000); })""",
        timeout_s=15,
    )
    assert seeked is not None and seeked["t"] == pytest.approx(3.0, abs=1e-3) and seeked["rs"] >= 2
    assert chromium.errors() == []
