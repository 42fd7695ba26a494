"""``formcheck analyze SIDE REAR --session`` on fake clips (``analyze_clip`` replaced by one that writes a fake
analysis for the clip's name): the session folder, and one line on stderr with the right exit code for each way it
can go wrong (wrong count, one view forced on both, the same view twice, a failed clip)."""

from __future__ import annotations

import json

import pytest

import formcheck.pipeline
from formcheck.cli import main
from formcheck.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_PARTIAL
from formcheck.errors import VideoError
from tests.fixtures.fake_session import frontal_analysis, side_analysis, write_clip


@pytest.fixture
def fake_analyze(monkeypatch):
    """``analyze_clip`` as a clip named *side*, *rear*, *front* or *bad* would come out (or fail); records the
    view each clip was asked for."""
    asked: dict[str, str] = {}

    def analyze_clip(video, outdir, settings, progress=None, clip_dir=None):
        name = str(video)
        asked[name] = settings.view
        if "bad" in name:
            raise VideoError(f"{name} is not a video: check the file")
        view = (
            settings.view
            if settings.view != "auto"
            else next(v for v in ("side", "rear", "front") if v in name)
        )
        analysis = side_analysis(name) if view == "side" else frontal_analysis(view, path=name)
        write_clip(clip_dir, analysis, video=b"\x00")
        return analysis

    monkeypatch.setattr(formcheck.pipeline, "analyze_clip", analyze_clip)
    return asked


def _run(capsys, *argv: str) -> tuple[int, list[str]]:
    try:
        code = main(["analyze", *argv, "--quiet"])
    except SystemExit as e:  # argparse's own usage errors
        code = e.code
    return code, capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize("order", [("side.mp4", "rear.mp4"), ("front.mp4", "side.mp4")])
def test_session_of_a_side_and_a_frontal_clip(fake_analyze, tmp_path, capsys, order):
    code, err = _run(capsys, *order, "-o", str(tmp_path), "--session")
    assert code == EXIT_OK and err == []
    other = "rear" if "rear.mp4" in order else "front"
    session = tmp_path / f"side+{other}"
    doc = json.loads((session / "session.json").read_text(encoding="utf-8"))
    assert doc["views"] == ["side", other]
    assert [c["folder"] for c in doc["clips"]] == ["../side", f"../{other}"]
    assert all(m["value"] is not None for m in doc["measures"].values())
    assert (tmp_path / "side" / "analysis.json").is_file() and (tmp_path / other / "report.html").is_file()
    assert (session / "report.html").is_file()


def test_without_session_no_session_folder(fake_analyze, tmp_path, capsys):
    code, _ = _run(capsys, "side.mp4", "rear.mp4", "-o", str(tmp_path))
    assert code == EXIT_OK
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rear", "side"]


@pytest.mark.parametrize(
    "argv,expected",
    [
        (["side.mp4", "--session"], "--session takes exactly 2 clips"),
        (["side.mp4", "rear.mp4", "front.mp4", "--session"], "got 3"),
        (
            ["side.mp4", "rear.mp4", "--session", "--view", "side"],
            "--view side would make both clips side views",
        ),
        (["side.mp4", "rear.mp4", "--session", "--views", "rear,rear"], "needs one side clip"),
        (["side.mp4", "rear.mp4", "--session", "--views", "rear,front"], "needs one side clip"),
        (["side.mp4", "rear.mp4", "--views", "side,rear"], "--views is for --session"),
        (["side.mp4", "rear.mp4", "--session", "--views", "side"], "expected two views"),
    ],
)
def test_usage_errors_before_any_analysis(fake_analyze, tmp_path, capsys, argv, expected):
    code, err = _run(capsys, *argv, "-o", str(tmp_path))
    assert code == EXIT_BAD_INPUT
    assert len(err) == 1 and err[0].startswith("formcheck: ") and expected in err[0], err
    assert fake_analyze == {} and not any(tmp_path.iterdir())


def test_the_same_view_twice_is_refused_after_analysis(fake_analyze, tmp_path, capsys):
    code, err = _run(capsys, "side_a.mp4", "side_b.mp4", "-o", str(tmp_path), "--session")
    assert code == EXIT_BAD_INPUT
    assert len(err) == 1 and "both clips are side views" in err[0] and "--views side,rear" in err[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["side_a", "side_b"]  # each clip is still analysed


def test_views_force_each_clips_view(fake_analyze, tmp_path, capsys):
    # Both names say "side"; --views makes the second a rear clip.
    code, err = _run(
        capsys, "side_a.mp4", "side_b.mp4", "-o", str(tmp_path), "--session", "--views", "side,rear"
    )
    assert code == EXIT_OK, err
    assert fake_analyze == {"side_a.mp4": "side", "side_b.mp4": "rear"}
    assert (tmp_path / "side_a+side_b" / "session.json").is_file()


def test_a_failed_clip_gives_exit_3_and_no_session(fake_analyze, tmp_path, capsys):
    code, err = _run(capsys, "side.mp4", "bad_rear.mp4", "-o", str(tmp_path), "--session")
    assert code == EXIT_PARTIAL
    assert err == [
        "formcheck: bad_rear.mp4 is not a video: check the file",
        "formcheck: no session report: a clip failed (see above); fix it and run again",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["side"]
