"""The command line's options on a short rendered clip: --json, --height-cm, --start/--end, --no-video, several
clips, --version, and reanalyze."""

from __future__ import annotations

import json

import pytest

from formcheck.cli import main
from formcheck.synth.clip import render_clip
from formcheck.synth.params import RunnerParams

pytestmark = pytest.mark.slow

PARAMS = RunnerParams(duration_s=5.0, short_side_px=360, cadence_spm=170, seed=5)


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("clips") / "runner one.mp4"  # a space in the name, on purpose
    render_clip(PARAMS, path)
    return path


def test_json_height_and_no_video(clip, tmp_path, capsys):
    code = main(
        ["analyze", str(clip), "-o", str(tmp_path), "--json", "--height-cm", "175", "--no-video", "--quiet"]
    )
    assert code == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    doc = json.loads(out[0])
    over = doc["metrics"]["overstride_distance"]
    # cm = %leg * leg length; leg length = 0.491 * height (config.LEG_LENGTH_FRACTION_OF_HEIGHT)
    assert over["value_cm"] == pytest.approx(over["value"] / 100 * 0.491 * 175, abs=0.2)
    assert doc["metrics"]["vertical_oscillation"]["value_cm"] is not None
    clip_dir = tmp_path / clip.stem
    assert (clip_dir / "analysis.json").is_file()
    assert not (clip_dir / "annotated.mp4").exists()
    assert json.loads((clip_dir / "analysis.json").read_text())["metrics"] == doc["metrics"]


def test_start_end_analyses_only_that_range(clip, tmp_path, capsys):
    code = main(
        ["analyze", str(clip), "-o", str(tmp_path), "--start", "0.5", "--end", "4.5", "--json", "--no-video"]
    )
    assert code == 0
    doc = json.loads(capsys.readouterr().out.strip())
    assert doc["input"]["start_s"] == pytest.approx(0.5, abs=0.05)
    assert doc["input"]["duration_s"] == pytest.approx(4.0, abs=0.1)
    steps = (tmp_path / clip.stem / "steps.csv").read_text().splitlines()[1:]
    contacts = [float(row.split(",")[2]) for row in steps]
    assert min(contacts) >= 0.5 and max(contacts) <= 4.5


def test_several_clips_one_json_line_each_and_video_written(clip, tmp_path, capsys):
    second = tmp_path / "second.mp4"
    second.write_bytes(clip.read_bytes())
    code = main(["analyze", str(clip), str(second), "-o", str(tmp_path / "out"), "--json", "--quiet"])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["view"] == "side" for line in lines)
    assert (tmp_path / "out" / "second" / "annotated.mp4").is_file()
    assert (tmp_path / "out" / clip.stem / "report.html").is_file()


def test_one_bad_clip_of_two_exits_3(clip, tmp_path, capsys):
    bad = tmp_path / "notes.mp4"
    bad.write_text("not a video")
    code = main(["analyze", str(clip), str(bad), "-o", str(tmp_path), "--no-video", "--quiet"])
    assert code == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "notes.mp4" in err[0]
    assert (tmp_path / clip.stem / "analysis.json").is_file()
    assert not (tmp_path / "notes").exists()


def test_reanalyze_command(clip, tmp_path, capsys):
    assert main(["analyze", str(clip), "-o", str(tmp_path), "--no-video", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["reanalyze", str(tmp_path / clip.stem), "--height-cm", "180", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out.strip())
    assert doc["metrics"]["overstride_distance"]["value_cm"] is not None


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert "formcheck" in capsys.readouterr().out
