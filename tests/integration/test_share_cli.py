"""End to end on the sample clip: ``formcheck analyze --blur-faces --single-file`` blurs the runner's head in the
annotated video (the legs are the same picture as without it), writes report-share.html with the video inside, and
records the choice so ``formcheck share`` and ``formcheck reanalyze`` keep it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.cli import main
from formcheck.render.face_blur import head_box
from formcheck.report.json_out import load_analysis, settings_of
from formcheck.report.landmarks import load_landmarks
from formcheck.report.single_file import SHARE_FILE, external_references
from formcheck.skeleton import INDEX

SAMPLE = Path(__file__).resolve().parents[2] / "sample_videos" / "side_good_form.mp4"
RANGE = ("--start", "1", "--end", "3")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("blur-e2e")
    assert main(["analyze", str(SAMPLE), "-o", str(out / "plain"), "--quiet", *RANGE]) == 0
    argv = [
        "analyze",
        str(SAMPLE),
        "-o",
        str(out / "blur"),
        "--quiet",
        "--blur-faces",
        "--single-file",
        *RANGE,
    ]
    assert main(argv) == 0
    return out / "plain" / SAMPLE.stem, out / "blur" / SAMPLE.stem


def _frames(path: Path, wanted: set[int]) -> dict[int, np.ndarray]:
    from formcheck.video.reader import VideoReader

    out = {}
    with VideoReader(str(path)) as r:
        for k, f in enumerate(r):
            if k in wanted:
                out[k] = f.rgb.copy()
    return out


def test_blur_faces_hides_the_head_and_leaves_the_legs(runs):
    plain_dir, blur_dir = runs
    raw = load_landmarks(blur_dir / "landmarks.npz")
    # annotated.mp4 holds the analysed frames only (--start/--end): its frame i is the landmarks' frame i.
    picks = {i: i for i in (5, 25, 45)}
    plain, blur = (
        _frames(plain_dir / "annotated.mp4", set(picks)),
        _frames(blur_dir / "annotated.mp4", set(picks)),
    )
    for k, i in picks.items():
        x0, y0, x1, y1 = np.clip(head_box(raw.xy_px[i]), 0, None).astype(int)
        head_p, head_b = plain[k][y0:y1, x0:x1].astype(int), blur[k][y0:y1, x0:x1].astype(int)
        # The skeleton and labels are drawn over the blur (same in both): measure what changed under them.
        changed = np.abs(head_p - head_b).max(axis=2) > 12
        assert changed.mean() > 0.3, (k, changed.mean())
        knee, heel = raw.xy_px[i, INDEX["left_knee"]], raw.xy_px[i, INDEX["left_heel"]]
        lx0, ly0 = (np.minimum(knee, heel) - 15).astype(int)
        lx1, ly1 = (np.maximum(knee, heel) + 15).astype(int)
        legs_p = plain[k][ly0:ly1, lx0:lx1].astype(int)
        legs_b = blur[k][ly0:ly1, lx0:lx1].astype(int)
        # The same picture, up to the encoder: x264 spends its bits elsewhere around a blurred head, which moves
        # up to ~16% of the leg pixels by more than 12 levels on some frames, ~4 levels on average (the head: ~20).
        legs_diff, head_diff = np.abs(legs_p - legs_b).mean(), np.abs(head_p - head_b).mean()
        assert legs_diff < 6.0, (k, legs_diff)
        assert head_diff > 4 * legs_diff, (k, head_diff, legs_diff)


def test_single_file_and_the_choice_recorded(runs, capsys):
    plain_dir, blur_dir = runs
    assert not (plain_dir / SHARE_FILE).exists()
    page = (blur_dir / SHARE_FILE).read_text(encoding="utf-8")
    assert external_references(page) == [] and 'id="fc-video-data"' in page
    settings = settings_of(load_analysis(blur_dir / "analysis.json"))
    assert settings.blur_faces and settings.single_file
    assert main(["share", str(blur_dir), "-o", str(blur_dir.parent / "athlete.html")]) == 0
    err = capsys.readouterr().err
    assert "athlete.html" in err and "not blurred" not in err
    assert main(["share", str(plain_dir)]) == 0
    assert "faces not blurred" in capsys.readouterr().err
    # Re-analysed (new bands, no --blur-faces given), the clip keeps its blurred key frames and its shared file.
    assert main(["reanalyze", str(blur_dir), "--quiet"]) == 0
    again = settings_of(load_analysis(blur_dir / "analysis.json"))
    assert again.blur_faces and again.single_file and (blur_dir / SHARE_FILE).is_file()
    # A share made afterwards (formcheck share) is written again by reanalyze, not removed.
    before = (plain_dir / SHARE_FILE).stat().st_mtime_ns
    assert main(["reanalyze", str(plain_dir), "--quiet"]) == 0
    assert (plain_dir / SHARE_FILE).stat().st_mtime_ns > before
    assert not settings_of(load_analysis(plain_dir / "analysis.json")).blur_faces


def test_the_shared_report_carries_only_the_analysed_part(runs, tmp_path):
    """--start 1 --end 3: annotated.mp4, and the video inside report-share.html, hold the 2 s analysed, not the
    7 s clip; the player's landings fall inside that video."""
    import base64
    import json
    import re

    from formcheck.video import probe_video

    _, blur_dir = runs
    doc = load_analysis(blur_dir / "analysis.json")
    frames = len(load_landmarks(blur_dir / "landmarks.npz").time_s)
    assert doc["input"]["frames"] == frames == 61  # 1.00 s to 3.00 s at 30 fps
    assert probe_video(str(blur_dir / "annotated.mp4")).n_frames == frames
    page = (blur_dir / SHARE_FILE).read_text(encoding="utf-8")
    embedded = re.search(r'id="fc-video-data"[^>]*>([^<]*)<', page).group(1)
    (tmp_path / "shared.mp4").write_bytes(base64.b64decode(embedded))
    shared = probe_video(str(tmp_path / "shared.mp4"))
    assert shared.n_frames == frames and shared.duration_s == pytest.approx(
        doc["input"]["duration_s"], abs=0.01
    )
    data = json.loads(re.search(r'id="fc-data">(.*?)</script>', page).group(1))
    assert data["steps"] and all(0 <= s["t"] < shared.duration_s for s in data["steps"])
    assert all(1.0 <= s["c"] <= 3.0 for s in data["steps"])  # shown in the clip's time
