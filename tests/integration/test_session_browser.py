"""A session's report.html in headless Chromium at a phone's 390x844 and a laptop's 1366x768: no console errors, no
sideways scroll (folds closed or open), both annotated videos load from the clip folders by relative path, and the
links to both clip reports open them. Screenshots are saved into the test's tmp folder."""

from __future__ import annotations

import json

import numpy as np
import pytest

from formcheck.report.html import write_report
from formcheck.session import session_name, write_session
from tests.fixtures.browser import BROWSER_TEST, SCREENS, layout, open_at, screenshot
from tests.fixtures.fake_analysis import FPS, HEIGHT, WIDTH
from tests.fixtures.fake_session import frontal_analysis, side_analysis, write_clip

pytestmark = BROWSER_TEST


@pytest.fixture(scope="module")
def session_dir(tmp_path_factory):
    from formcheck.video.writer import VideoWriter

    out = tmp_path_factory.mktemp("session")
    folders = []
    for name, analysis in (("run side", side_analysis()), ("run rear", frontal_analysis("rear", 181.0))):
        clip = write_clip(out / name, analysis)
        with VideoWriter(str(clip / "annotated.mp4"), WIDTH, HEIGHT, FPS) as w:
            for i in range(20):
                w.write(np.full((HEIGHT, WIDTH, 3), 60 + 5 * i, np.uint8), i / FPS)
        write_report(analysis, clip)
        folders.append(clip)
    session = out / session_name(*folders)
    write_session(folders[0], folders[1], session)
    return session


VIDEOS_JS = """Promise.all([...document.querySelectorAll('video')].map(v => new Promise(resolve => {
  const report = () => resolve({src: v.getAttribute('src'), readyState: v.readyState, error: v.error ? v.error.code : null,
                                w: v.getBoundingClientRect().width, h: v.getBoundingClientRect().height});
  if (v.readyState >= 1) { report(); return; }
  v.addEventListener('loadedmetadata', report); v.addEventListener('error', report); v.load();
  setTimeout(report, 15000);
})))"""

CARDS_JS = """({cards: [...document.querySelectorAll('#summary .card')].map(c => c.id),
  values: [...document.querySelectorAll('#summary .card .value')].map(v => v.textContent),
  links: [...document.querySelectorAll('a[href$="report.html"]')].map(a => a.getAttribute('href'))})"""


@pytest.mark.slow  # a few seconds: the full tier runs it
@pytest.mark.parametrize("width_px,height_px,mobile", SCREENS)
def test_session_page_fits_plays_and_links(chromium, session_dir, width_px, height_px, mobile):
    page = session_dir / "report.html"
    open_at(chromium, page, width_px, height_px, mobile)
    page_layout = {**layout(chromium), **chromium.evaluate(CARDS_JS)}
    assert page_layout["cards"] == [
        "card-overstride_distance",
        "card-foot_strike_type",
        "card-trunk_lean_deg",
        "card-pelvic_tilt_deg",
        "card-arm_swing_deg",
        "card-cadence_spm",
    ]
    values = page_layout["values"]
    assert all(v and not v.startswith("–") for v in values), values  # all six filled
    assert page_layout["scroll"] <= page_layout["inner"] == width_px, (
        f"sideways scroll at {width_px}px: {page_layout}"
    )
    videos = chromium.evaluate(VIDEOS_JS, timeout_s=40)
    assert [v["src"] for v in videos] == ["../run%20side/annotated.mp4", "../run%20rear/annotated.mp4"]
    for v in videos:
        assert v["error"] is None and v["readyState"] >= 1, v
        assert 0 < v["w"] <= width_px and v["h"] <= height_px, v
    screenshot(chromium, session_dir.parent / f"session_{width_px}px.png", full=True)
    screenshot(chromium, session_dir.parent / f"session_{width_px}px_first_screen.png", full=False)
    chromium.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    opened = layout(chromium)
    assert opened["scroll"] <= opened["inner"] == width_px, f"sideways scroll with folds open: {opened}"
    screenshot(chromium, session_dir.parent / f"session_{width_px}px_open.png", full=True)
    assert chromium.errors() == []

    assert page_layout["links"] == ["../run%20side/report.html", "../run%20rear/report.html"]
    for i, name in enumerate(("run side", "run rear")):
        open_at(chromium, page, width_px, height_px, mobile)
        chromium.evaluate(f"document.querySelectorAll('a[href$=\"report.html\"]')[{i}].click()")
        chromium.wait_event("Page.loadEventFired")
        where = chromium.evaluate("({url: location.href, title: document.title})")
        assert where["url"] == (session_dir.parent / name / "report.html").as_uri(), where
        assert where["title"].startswith("Running form:"), where
        chromium.evaluate("document.querySelector('.session-link a').click()")  # and back to the session
        chromium.wait_event("Page.loadEventFired")
        assert chromium.evaluate("location.href") == page.as_uri()
        assert chromium.errors() == []


def test_session_json_beside_the_page(session_dir):
    doc = json.loads((session_dir / "session.json").read_text(encoding="utf-8"))
    assert doc["cadence_check"]["agree"] is False
    for clip in doc["clips"]:
        assert (session_dir / clip["report"]).resolve().is_file()
        assert (session_dir / clip["annotated_video"]).resolve().is_file()
