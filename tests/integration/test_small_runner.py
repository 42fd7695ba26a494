"""A sprinter small in a wide frame (track_sprint_side_small, 1680x720, about 150 px tall) is found by the zoomed
search and followed across the frame; the real picture rate of clips whose files repeat their pictures.
Skips when ../shared/clips is absent (docs/small_runner.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.config import AnalysisSettings, PoseSettings
from formcheck.video import VideoReader
from formcheck.video.repeats import RepeatDetector, picture_rate_fps

pytestmark = pytest.mark.realclips


def _clip(shared_clips: Path, name: str) -> Path:
    path = shared_clips / f"{name}.mp4"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in ../shared/clips")
    return path


@pytest.mark.slow
def test_the_small_sprinter_is_found_followed_and_analysed(shared_clips: Path) -> None:
    from formcheck.pipeline import analyze_clip

    clip = _clip(shared_clips, "track_sprint_side_small")
    analysis = analyze_clip(clip, settings=AnalysisSettings(write_video=False))
    assert analysis.view == "side"
    assert (
        analysis.detected_fraction > 0.9
    )  # 0 before the zoomed search: "no runner found in 100% of the frames"
    assert 8.5 <= analysis.video.picture_fps <= 10.5  # about 10 pictures a second, each shown 3 (or 6) times
    told = " | ".join(analysis.warnings)
    # The whole-frame pass finds no legs at all; the zoomed search fills the frames (and says why it ran).
    assert "runner not found in the whole frame: searched zoomed tiles" in told and "-> 9" in told
    assert "repeats its pictures" in told and "slowed down" in told  # a slowed replay: times are not real
    # Followed across the frame: the hips go from the left panel to the right one (x = 100 -> 1650).
    hip_x = np.where(analysis.raw.visibility[:, 23] >= 0.5, analysis.raw.xy_px[:, 23, 0], np.nan)
    assert np.nanmax(hip_x) - np.nanmin(hip_x) > 1200
    # 7 labelled contacts (frames 33-168): at least 5 steps found between them.
    contacts = [s.contact_s * 30.0 for s in analysis.events.steps]
    assert sum(30 <= c <= 170 for c in contacts) >= 5, contacts


CACHE = Path(__file__).resolve().parents[2] / "benchmarks" / ".cache"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("track_sprint_side_small", 8.5, 9.5),  # each picture 3 times (6 once a second)
        ("side_13", 23.5, 24.5),  # a 24 fps source at 30 fps: every fifth frame repeated
        ("side_23", 23.5, 24.5),
        ("overground_side_street_50fps", 24.5, 25.5),  # every frame doubled (copies re-encoded with noise)
        ("treadmill_side_garage_30fps", 30.0, 30.0),  # no repeats
        (
            "overground_side_short_pass",
            29.9,
            30.0,
        ),  # no repeats; an empty tail once the runner has left (27.47)
        ("treadmill_side_lab_slowmotion", 29.9, 30.0),  # slowed runner changing 1.8-3 levels a frame
    ],
)
def test_real_picture_rates(shared_clips: Path, name: str, low: float, high: float) -> None:
    """Judged inside the cached landmarks' box (benchmarks/.cache, filled by benchmarks/cache_landmarks.py)."""
    from formcheck.report.landmarks import load_landmarks

    cached = CACHE / f"{name}.npz"
    if not cached.is_file():
        pytest.skip(f"{cached.name} is not in benchmarks/.cache")
    cfg = PoseSettings()
    detector = RepeatDetector.from_settings(cfg)
    with VideoReader(str(_clip(shared_clips, name))) as reader:
        fps = reader.info.fps
        for frame in reader:
            detector.update(frame.rgb)
    repeated = detector.repeated_where(load_landmarks(cached).xy_px, fps)
    assert low <= picture_rate_fps(repeated, fps, cfg.repeat_max_still_s) <= high


@pytest.mark.slow
def test_a_small_approaching_runner_s_planted_foot_is_seen_on_the_shoe(shared_clips: Path) -> None:
    """overground_front_approaching's first second (legs 80-90 px, the runner 30-40 m away): the whole-frame pose
    puts the left foot on the shin, 30-40 px above the shoe planted at frames 16-20 (labelled contact 16); the
    zoomed second look (docs/small_runner.md "A small runner seen: a second look closer") puts it on the shoe."""
    from formcheck.pose.run import estimate_landmarks

    clip = _clip(shared_clips, "overground_front_approaching")
    off = AnalysisSettings(end_s=1.0, pose=PoseSettings(zoom_refine_below_leg_px=0.0))
    whole = estimate_landmarks(clip, off)
    closer = estimate_landmarks(
        clip, AnalysisSettings(end_s=1.0, pose=PoseSettings(zoom_refine_below_leg_px=90.0))
    )
    left_foot = [27, 29, 31]  # ankle, heel, toe: their lowest point in the picture

    def lowest(result) -> np.ndarray:
        return np.nanmax(result.landmarks.xy_px[17:21, left_foot, 1], axis=1)

    # Measured: 603, 596, 605, 602 px whole-frame; 634, 635, 637, 640 px closer (the shoe's sole at ~635).
    assert (lowest(whole) < 612).all(), lowest(whole)
    assert (lowest(closer) > 628).all(), lowest(closer)
    assert not any("closer crop" in w for w in whole.warnings)
    (told,) = [w for w in closer.warnings if "closer crop" in w]
    assert told.startswith(
        "runner small in the frame (legs under 90 px): 31 of 31 frames posed again on a closer"
    )
    # The trunk and arms are the whole-frame pass's in every frame.
    np.testing.assert_array_equal(closer.landmarks.xy_px[:, :23], whole.landmarks.xy_px[:, :23])
