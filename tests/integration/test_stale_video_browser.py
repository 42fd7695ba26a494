"""The note under a video kept from an earlier analysis (``reanalyze`` without the source video): on a phone and a
laptop it sits right under the video, above its tools, wraps its long paths without sideways scrolling, and is not
repeated in "Before you read on"."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.fixtures.browser import BROWSER_TEST, SCREENS, layout, open_at, screenshot
from tests.fixtures.fake_analysis import write_fake_clip_folder

pytestmark = [*BROWSER_TEST, pytest.mark.slow]  # a browser and a rendered clip: the full run only

WHERE_JS = """(() => {
  const box = s => { const e = document.querySelector(s); return e ? e.getBoundingClientRect() : null; };
  const v = box('video'), note = box('.player .stale'), tools = box('.player .tools');
  return {video: v && v.bottom, top: note && note.top, bottom: note && note.bottom, tools: tools && tools.top,
          text: document.querySelector('.player .stale').textContent,
          aside: (document.querySelector('aside.warnings') || {textContent: ''}).textContent};
})()"""


@pytest.fixture(scope="module")
def stale_report(tmp_path_factory) -> Path:
    from formcheck.model import EARLIER_VIDEO_LINE, EarlierVideo
    from formcheck.report.html import write_report

    folder = tmp_path_factory.mktemp("stale")
    analysis = write_fake_clip_folder(folder)
    source = "/Users/coach/Dropbox/Athletes 2026/spring block/week 3/long_run_side_view_iphone.mp4"
    earlier = EarlierVideo(
        "0" * 64, {}, ("Cadence: good -> flag", "the marks of 11 landings"), source, str(folder)
    )
    line = f"{EARLIER_VIDEO_LINE} (Cadence: good -> flag): it was kept, since the source video is not at hand"
    stale = dataclasses.replace(analysis, earlier_video=earlier, warnings=(*analysis.warnings, line))
    write_report(stale, folder)
    return folder / "report.html"


@pytest.mark.parametrize("width_px,height_px,mobile", SCREENS)
def test_the_note_sits_under_the_video_and_fits(chromium, stale_report, width_px, height_px, mobile):
    open_at(chromium, stale_report, width_px, height_px, mobile)
    chromium.evaluate("document.querySelector('.player .stale').scrollIntoView({block: 'center'})")
    screenshot(chromium, stale_report.with_name(f"stale-{width_px}.png"), full=False)
    page = layout(chromium)
    assert page["scroll"] <= page["inner"] == width_px, page
    where = chromium.evaluate(WHERE_JS)
    assert where["video"] <= where["top"] < where["bottom"] <= where["tools"], where
    assert "Cadence: good → flag; the marks of 11 landings" in where["text"]
    assert "long_run_side_view_iphone.mp4" in where["text"] and "formcheck reanalyze" in where["text"]
    assert "earlier analysis" not in where["aside"]
    assert chromium.errors() == []
