"""The batch's pages in headless Chromium at a phone's 390x844 and a laptop's 1366x768: the roster, an athlete with
several sessions, an athlete with one, and a clip report. No console errors, no sideways scroll, and every link
between them resolves to a file that exists. Screenshots go to the test's tmp folder (and to $FORMCHECK_SHOTS when
set, to look at them)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from formcheck.config import AnalysisSettings  # noqa: E402
from tests.fixtures.browser import BROWSER_TEST, NO_SIDEWAYS_SCROLL_JS, SCREENS  # noqa: E402
from tests.fixtures.browser import open_at as _open
from tests.fixtures.browser import screenshot as _screenshot

pytestmark = BROWSER_TEST

PAGES = ["index.html", "athletes/ben.html", "athletes/cat.html", "ben__2026-02-01_run1/report.html"]


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    """A team batch, then one athlete's folder, with the fast stand-in analysis (tests/fixtures/fake_batch.py)."""
    import formcheck.batch as batch
    from tests.fixtures.fake_batch import FakeRuns, fake_job

    root = tmp_path_factory.mktemp("team")
    clips = {
        "ann/2026-03-01_tempo.mp4": "150",
        "ann/2026-04-01_easy.mp4": "158",
        "ben/2026-02-01_run1.mp4": "165",
        "ben/2026-03-01_run2.mp4": "175",
        "ben/2026-04-01_run3.mp4": "171",
        "ben/bad.mp4": "broken",
        "cat/only.mp4": "180",
        "a very long athlete name that goes on and on/2026-01-05_x.mp4": "168",
    }
    for rel, text in clips.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    out = tmp_path_factory.mktemp("out")
    runs = FakeRuns()
    settings = AnalysisSettings(write_video=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(
            batch,
            "run_local",
            lambda jobs, s, w, sink, worker=None: [sink(fake_job(j, s, runs)) for j in jobs],
        )
        batch.analyze_folder(root, out, settings, athlete_from_folder=True)
        batch.analyze_folder(root / "ben", out, settings, athlete_from_folder=True)
    return out


LINKS_JS = "[...document.querySelectorAll('a[href]')].map(a => a.href)"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("width_px,height_px,mobile", SCREENS)
def test_pages_fit_and_link(chromium, outdir, page, width_px, height_px, mobile, tmp_path) -> None:
    path = outdir / page
    assert path.is_file(), sorted(p.name for p in outdir.iterdir())
    _open(chromium, path, width_px, height_px, mobile)
    assert chromium.errors() == []
    assert chromium.evaluate(NO_SIDEWAYS_SCROLL_JS), f"{page} scrolls sideways at {width_px}px"
    assert chromium.evaluate("innerWidth") == width_px
    links = [u for u in chromium.evaluate(LINKS_JS) if u.startswith("file:")]
    assert links, f"{page} links nowhere"
    for url in links:
        target = Path(unquote(urlparse(url).path))
        assert target.is_file(), f"{page} links to a missing {target}"
    shot = tmp_path / f"{page.replace('/', '_')}-{width_px}.png"
    _screenshot(chromium, shot, full=True)
    if os.environ.get("FORMCHECK_SHOTS"):
        shutil.copy(shot, Path(os.environ["FORMCHECK_SHOTS"]) / shot.name)


def test_links_between_pages(outdir) -> None:
    index = (outdir / "index.html").read_text(encoding="utf-8")
    for page in (
        "athletes/ann.html",
        "athletes/ben.html",
        "athletes/cat.html",
        "ben__2026-02-01_run1/report.html",
    ):
        assert f'href="{page}"' in index
    ben = (outdir / "athletes" / "ben.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in ben and 'href="../ben__2026-02-01_run1/report.html"' in ben
    assert (
        index.index("athletes/ann.html") < index.index("athletes/ben.html") < index.index("athletes/cat.html")
    )
