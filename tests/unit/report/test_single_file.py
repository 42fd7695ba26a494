"""report-share.html: the video goes inside the page, nothing outside it is referred to, the file is written
atomically and only over a file formcheck wrote, a large file is warned about, and every folder that lacks what it
needs gets one line and exit 2."""

from __future__ import annotations

import base64
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.errors import FormcheckError
from formcheck.report import single_file
from formcheck.report.player import player_html
from formcheck.report.single_file import (
    SHARE_FILE,
    embed_video,
    external_references,
    share_clip_folder,
)

VIDEO = bytes(range(256)) * 40  # stands in for an MP4: any bytes must come back unchanged


def _report(folder: Path) -> str:
    """A page shaped like report.html: the real player markup, a key frame as a data URI, an in-page link."""
    (folder / "annotated.mp4").write_bytes(VIDEO)
    player = player_html(folder, "annotated.mp4", 720, 1280, "caption")
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="generator" content="formcheck 0.1.0"><style>body{color:red}</style></head><body>'
        f'{player}<a href="#fc-video" class="kf" data-step="1"><img src="data:image/jpeg;base64,AAAA"></a>'
        '<script type="application/json" id="fc-data">{"steps":[]}</script><script>var x = 1;</script>'
        "</body></html>"
    )


@pytest.fixture
def clip_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "report.html").write_text(_report(folder), encoding="utf-8")
    return folder


class _Urls(HTMLParser):
    """An independent reading of the page: every src and href, and the base64 block's text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.payload = ""
        self._in_data = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("src", "href", "poster", "srcset") and v is not None]
        self._in_data = tag == "script" and a.get("id") == "fc-video-data"

    def handle_endtag(self, tag):
        self._in_data = False

    def handle_data(self, data):
        if self._in_data:
            self.payload += data


def test_embedded_page_refers_to_nothing_outside(clip_dir):
    page = single_file.single_file_html(clip_dir)
    parser = _Urls()
    parser.feed(page)
    assert parser.urls, "the page's links were not read"
    assert all(u.startswith(("data:", "#", "blob:")) for u in parser.urls), parser.urls
    assert "annotated.mp4" not in page
    assert base64.b64decode(parser.payload) == VIDEO
    assert external_references(page) == []
    # The video element kept its id and attributes (the player's script finds it) and lost only its src.
    tag = re.search(r"<video [^>]*>", page).group(0)
    assert 'id="fc-video"' in tag and "controls" in tag and "playsinline" in tag and "src=" not in tag
    assert page.index('id="fc-video-data"') > page.index('id="fc-data"')  # after the page, before </body>
    assert page.rstrip().endswith("</body></html>")


def test_external_references_finds_every_kind():
    page = (
        '<html><head><link rel="stylesheet" href="style.css"><style>@import "x.css"; '
        "div{background:url(bg.png)}</style></head><body>"
        '<img src="https://example.com/a.png"><video poster="p.jpg"></video><a href="#ok">in page</a>'
        '<img src="data:image/png;base64,AA"><div style="background-image: url(\'c.png\')"></div>'
        '<img srcset="d.png 2x"></body></html>'
    )
    assert sorted(external_references(page)) == sorted(
        ["style.css", "x.css", "bg.png", "https://example.com/a.png", "p.jpg", "c.png", "d.png 2x"]
    )


def test_embed_video_refuses_a_page_without_a_player():
    with pytest.raises(ValueError, match="no video player"):
        embed_video("<html><body><p>no video</p></body></html>", VIDEO)


def test_share_writes_the_default_file_and_replaces_its_own(clip_dir):
    shared = share_clip_folder(clip_dir)
    assert shared.path == clip_dir / SHARE_FILE and shared.size_bytes == shared.path.stat().st_size
    assert shared.faces_blurred is False  # no analysis.json says so
    first = shared.path.read_bytes()
    again = share_clip_folder(clip_dir)  # its own file: replaced
    assert again.path.read_bytes() == first
    assert sorted(p.name for p in clip_dir.iterdir()) == ["annotated.mp4", "report-share.html", "report.html"]


def test_share_never_overwrites_a_file_formcheck_did_not_write(clip_dir, tmp_path):
    theirs = tmp_path / "notes.html"
    theirs.write_text("<html><body>the coach's own notes</body></html>", encoding="utf-8")
    with pytest.raises(FormcheckError, match="not a file formcheck share wrote"):
        share_clip_folder(clip_dir, theirs)
    assert theirs.read_text(encoding="utf-8").startswith("<html><body>the coach's")
    into_folder = share_clip_folder(clip_dir, tmp_path)  # -o a folder: the default name inside it
    assert into_folder.path == tmp_path / SHARE_FILE


def test_a_large_file_gets_one_warning_saying_how_to_shrink_it(clip_dir, monkeypatch, caplog):
    monkeypatch.setattr(single_file, "LARGE_FILE_BYTES", 1000)
    with caplog.at_level(logging.WARNING, logger="formcheck.report.single_file"):
        share_clip_folder(clip_dir)
    [record] = caplog.records
    text = record.getMessage()
    assert "\n" not in text and "MB" in text and "mail" in text and "shorter" in text
    caplog.clear()
    monkeypatch.setattr(single_file, "LARGE_FILE_BYTES", 10**9)
    with caplog.at_level(logging.WARNING, logger="formcheck.report.single_file"):
        share_clip_folder(clip_dir)
    assert caplog.records == []


def _run_share(capsys, *argv: str) -> tuple[int, str]:
    code = main(["share", *argv])
    return code, capsys.readouterr().err


def test_share_command_writes_and_says_where(clip_dir, capsys):
    code, err = _run_share(capsys, str(clip_dir))
    assert code == 0 and (clip_dir / SHARE_FILE).is_file()
    assert err.count("\n") == 1 and "report-share.html" in err and "faces not blurred" in err


@pytest.mark.parametrize(
    "case,expected",
    [
        ("missing", "is not a folder"),
        ("empty", "has no report.html"),
        ("no_video", "has no annotated.mp4"),
        ("old_report", "not a report this formcheck can embed"),
        ("outside_ref", "refers to 1 other file"),
    ],
)
def test_share_command_error_paths_one_line_exit_2(tmp_path, capsys, case, expected):
    folder = tmp_path / "clip"
    if case != "missing":
        folder.mkdir()
    if case in ("no_video", "old_report", "outside_ref"):
        (folder / "report.html").write_text(_report(folder), encoding="utf-8")
    if case == "no_video":
        (folder / "annotated.mp4").unlink()
    if case == "old_report":
        (folder / "report.html").write_text("<html><body>an old report</body></html>", encoding="utf-8")
    if case == "outside_ref":
        page = _report(folder).replace("</body>", '<img src="plot.png"></body>')
        (folder / "report.html").write_text(page, encoding="utf-8")
    code, err = _run_share(capsys, str(folder))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("formcheck: ") and expected in err, err
    assert "Traceback" not in err
    assert not (folder / SHARE_FILE).exists()
    assert [p.name for p in tmp_path.rglob("*.tmp")] == []  # nothing half-written left behind


def test_analyze_refuses_single_file_without_video(tmp_path, capsys):
    code = main(["analyze", "nothing.mp4", "--single-file", "--no-video", "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "--single-file" in err and "--no-video" in err and err.count("\n") == 1


def test_a_link_to_a_two_view_session_is_left_out(clip_dir, tmp_path):
    """formcheck/session.py links a clip's report to the session page beside it: not there for the athlete."""
    from formcheck.session import link_clip_to_session

    page = clip_dir / "report.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<body>", "<body><main>", 1), encoding="utf-8")
    (clip_dir / ".formcheck").write_text("", encoding="utf-8")
    session = tmp_path / "run+rear" / "report.html"
    session.parent.mkdir()
    session.write_text("<html></html>", encoding="utf-8")
    assert link_clip_to_session(clip_dir, session)
    assert "see both views together" in page.read_text(encoding="utf-8")
    shared = single_file.single_file_html(clip_dir)
    assert external_references(shared) == [] and "see both views" not in shared and "<main>" in shared


def _with_context(clip_dir: Path, ctx) -> None:
    """The who-and-when line a batch writes into a clip's report (formcheck/report/context.py)."""
    from formcheck.report.context import context_block

    page = clip_dir / "report.html"
    text = page.read_text(encoding="utf-8").replace("<body>", "<body>" + context_block(ctx), 1)
    page.write_text(text, encoding="utf-8")


def test_share_on_a_clip_folder_a_batch_wrote_drops_its_links_keeps_who_and_when(clip_dir):
    """A batch links each report to the roster and the athlete's page: pages the athlete does not get."""
    from formcheck.report.context import ReportContext, set_report_context

    links = (("All clips", "../index.html"), ("ben's page", "../athletes/ben.html"))
    _with_context(clip_dir, None)
    assert set_report_context(clip_dir / "report.html", ReportContext("ben", "2026-05-01 (roster)", links))
    before = external_references((clip_dir / "report.html").read_text(encoding="utf-8"))
    assert before[:2] == ["../index.html", "../athletes/ben.html"]
    shared = share_clip_folder(clip_dir)
    page = shared.path.read_text(encoding="utf-8")
    assert external_references(page) == []
    assert "Athlete: <strong>ben</strong> · Recorded 2026-05-01 (roster)</p>" in page
    assert "All clips" not in page and "ben's page" not in page and "· ·" not in page


def test_a_context_line_of_links_only_goes_altogether(clip_dir):
    from formcheck.report.context import END, START, ReportContext

    _with_context(
        clip_dir, ReportContext(links=(("All clips", "../index.html"), ("x", "../athletes/x.html")))
    )
    page = single_file.single_file_html(clip_dir)
    assert START + END in page and "context-line" not in page and external_references(page) == []


def test_without_local_links_leaves_a_page_without_them_as_it_is(clip_dir):
    text = (clip_dir / "report.html").read_text(encoding="utf-8")
    assert single_file.without_local_links(text) == text


@pytest.mark.parametrize("target", ["report.html", "other_page"])
def test_share_o_never_replaces_a_formcheck_page_it_did_not_write(clip_dir, tmp_path, capsys, target):
    """A clip's own report.html (or a session or compare page: formcheck's generator tag, no video inside) is not
    a share file: ``share -o`` refuses it in one line, exit 2, and leaves it as it was."""
    if target == "report.html":
        out = clip_dir / "report.html"
    else:
        out = tmp_path / "session.html"
        out.write_text(
            '<!DOCTYPE html><html><head><meta name="generator" content="formcheck 0.1.0"></head>'
            "<body>one run, two views</body></html>",
            encoding="utf-8",
        )
    before = out.read_bytes()
    code, err = _run_share(capsys, str(clip_dir), "-o", str(out))
    assert code == 2 and err.count("\n") == 1 and "not a file formcheck share wrote" in err, err
    assert out.read_bytes() == before
    assert single_file.is_share_file(out) is False


def test_share_o_replaces_a_share_file_anywhere(clip_dir, tmp_path):
    out = tmp_path / "for-ben.html"
    first = share_clip_folder(clip_dir, out)
    assert single_file.is_share_file(out)
    (clip_dir / "annotated.mp4").write_bytes(VIDEO[::-1])  # the clip analysed again
    again = share_clip_folder(clip_dir, out)
    assert again.path == first.path == out
    assert base64.b64encode(VIDEO[::-1]).decode() in out.read_text(encoding="utf-8")


def test_is_share_file_on_odd_paths(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    folder = tmp_path / "dir"
    folder.mkdir()
    assert not single_file.is_share_file(empty)
    assert not single_file.is_share_file(folder)
    assert not single_file.is_share_file(tmp_path / "missing.html")


def _analysis_json(clip_dir: Path, blur: bool, faces_blurred: bool | None) -> None:
    import json

    from formcheck.config import AnalysisSettings, settings_to_dict

    doc = {"input": {}, "metrics": {}, "settings": settings_to_dict(AnalysisSettings(blur_faces=blur))}
    if faces_blurred is not None:
        doc["faces_blurred"] = faces_blurred
    (clip_dir / "analysis.json").write_text(json.dumps(doc, default=str), encoding="utf-8")


@pytest.mark.parametrize(
    "blur,faces_blurred,said",
    [
        (True, False, "found no face to blur"),  # asked, no head anywhere: never claimed
        (False, False, "analyse the clip with --blur-faces"),
        (True, True, ""),
        (True, None, ""),  # an analysis.json from before faces_blurred: its setting is trusted
    ],
)
def test_share_says_the_faces_are_blurred_only_when_they_are(clip_dir, capsys, blur, faces_blurred, said):
    _analysis_json(clip_dir, blur, faces_blurred)
    shared = share_clip_folder(clip_dir)
    assert shared.faces_blurred is (said == "")
    code, err = _run_share(capsys, str(clip_dir))
    assert code == 0 and err.count("\n") == 1
    if said:
        assert "faces not blurred" in err and said in err, err
    else:
        assert "not blurred" not in err, err
