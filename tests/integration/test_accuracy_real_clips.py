"""Accuracy on real footage must not slip: contacts against the contacts labelled by eye
(benchmarks/labels/contacts/) and the overstride verdict against clips/LABELS.md, through the scoring scripts.

A few labelled clips are posed once per session (about 700 frames); ``benchmarks/.cache`` is used when
``benchmarks/cache_landmarks.py`` has filled it. The README's figures come from the full scripts; the floors here
sit just under what they measured. Skips when ../shared/clips is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from formcheck.config import AnalysisSettings
from formcheck.pose.run import estimate_landmarks
from formcheck.report.landmarks import load_landmarks
from formcheck.trajectory_analysis import analyze_trajectories
from tests.conftest import SHARED_CLIPS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import score_contacts  # noqa: E402
import score_overstride  # noqa: E402

pytestmark = [pytest.mark.realclips, pytest.mark.slow]

# A treadmill at 30 fps, and one overstrider and one good-form runner of LABELS.md (both with labelled contacts).
CLIPS = ("treadmill_side_garage_30fps", "side_03", "side_01")
# The labelled rear and front clips: runners receding from and approaching a fixed camera.
FRONTAL_CLIPS = ("overground_rear_receding", "overground_front_approaching")


def _landmarks(names: tuple[str, ...]) -> dict:
    if not SHARED_CLIPS.is_dir():
        pytest.skip("../shared/clips is absent")
    out = {}
    for name in names:
        cached = ROOT / "benchmarks" / ".cache" / f"{name}.npz"
        if cached.is_file():
            out[name] = load_landmarks(cached)
        else:
            out[name] = estimate_landmarks(SHARED_CLIPS / f"{name}.mp4", AnalysisSettings()).landmarks
    return out


@pytest.fixture(scope="module")
def landmarks():
    return _landmarks(CLIPS)


@pytest.fixture(scope="module")
def frontal_landmarks():
    return _landmarks(FRONTAL_CLIPS)


def test_side_view_contacts_stay_within_a_frame_of_the_labels(landmarks) -> None:
    settings = AnalysisSettings()
    scores = []
    for name, raw in landmarks.items():
        labels = score_contacts.read_labels(score_contacts.LABELS_DIR / f"{name}.csv", raw.time_s)
        assert len(labels) >= 15, name
        scores.append(score_contacts.score_clip(name, raw, labels, settings, match_s=0.15))
    total = score_contacts.summarize(scores)
    print(f"ACCURACY contacts: {score_contacts._fmt(total)}")
    assert total["labels"] >= 60
    assert total["within_1_frame"] >= 0.93, total  # measured 0.97 on these three clips
    assert abs(total["mean_error_frames"]) <= 0.5, total
    assert total["missed"] <= 2 and total["extra"] <= 2, total
    # Strike class against the patterns seen: 48 of 63 (treadmill 100%, side_03 100%, side_01's borderline "flat"
    # landings 0%; each step read with the runner's other steps, docs/strike.md). Before: 42 of 63.
    assert total["strike_agreement"] >= 0.7, total


@pytest.fixture(scope="module")
def every_labelled_clip_scored() -> list:
    """score_contacts' score of every labelled clip from ``benchmarks/.cache``, computed once for the module (skips
    when the clips or a cached clip are absent)."""
    if not SHARED_CLIPS.is_dir():
        pytest.skip("../shared/clips is absent")
    clips = score_contacts.real_clips(score_contacts.LABELS_DIR, score_contacts.CACHE_DIR)
    if len(clips) < len(list(score_contacts.LABELS_DIR.glob("*.csv"))):
        pytest.skip("benchmarks/.cache lacks some labelled clips: run benchmarks/cache_landmarks.py")
    settings = AnalysisSettings()
    return [
        score_contacts.score_clip(name, raw, score_contacts.read_labels(path, raw.time_s), settings, 0.15)
        for name, raw, path in clips
    ]


def test_side_view_contacts_on_every_labelled_clip(every_labelled_clip_scored: list) -> None:
    """All labelled side-view clips from ``benchmarks/.cache`` (skips when it is not filled): the issue 15 goals
    that the side view meets, with the floors just under what was measured (docs/contacts.md)."""
    scores = [s for s in every_labelled_clip_scored if s.view == "side"]
    total = score_contacts.summarize(scores)
    print(f"ACCURACY side contacts, every labelled clip: {score_contacts._fmt(total)}")
    assert total["labels"] >= 390
    # measured 0.934 of 399 with ten more clips labelled blind (docs/contacts.md "Eleven more side clips labelled
    # blind": 0.957 on their 122 labels); 0.924 of 280 with the five clips labelled blind (side_04, _08, _09, _12, _20; side_08/_09 relabelled
    # against the track's motion: benchmarks/labels/contacts_superseded/README.md; 0.887 with their first labels);
    # 0.937 of the 225 before them (0.924 before that)
    assert total["within_1_frame"] >= 0.92, total
    # measured 5 and 4 with the ten clips labelled blind last (side_14 and side_19 one missed each); 3 and 4 with the blind-labelled clips (side_20 1 missed; 5 and 6 with side_08/_09's first labels);
    # 2 and 4 since the held-picture rule (docs/contacts.md "Held pictures"); 3 and 4 before it, since
    # track_sprint_side_small is analysed (2 of its 7 labels missed, 1 extra; docs/small_runner.md); 1 and 3 without
    # it (3 and 3 before the end-of-clip landing rule; 8 and 3 before that)
    assert total["missed"] <= 5 and total["extra"] <= 4, total
    for fps in sorted({round(s.fps) for s in scores}):  # no frame rate late or early by more than a frame
        group = score_contacts.summarize([s for s in scores if round(s.fps) == fps])
        assert abs(group["mean_error_frames"]) <= 1.0, (fps, group)  # 50 fps: -1.00 (was -3.50)
    # A landing in the clip's last frames, before the knee turns (docs/contacts.md "The last missed contacts").
    for name in ("side_01", "side_16"):
        clip = next(s for s in scores if s.clip == name)
        assert clip.missed == 0 and clip.extra == 0, (name, clip.per_step)


def test_missed_and_extra_contacts_on_every_analysed_clip(every_labelled_clip_scored: list) -> None:
    """Issue 15's goal, at most 3% of the labelled contacts missed and 3% extra, on every clip formcheck analyses
    (a refused clip's labels are all missed; that is a different failure)."""
    total = score_contacts.summarize([s for s in every_labelled_clip_scored if not s.failure])
    print(f"ACCURACY contacts, analysed clips: {score_contacts._fmt(total)}")
    assert total["labels"] >= 470
    # measured 11 missed (2.3%) and 5 extra of 476 with the ten side clips labelled blind last (side_11, refused as
    # too short at its capture rate, is not analysed); 9 missed (2.5%) and 5 extra (1.4%) of 357 with the five clips labelled blind (side_20 1 missed; 11 and
    # 7 with side_08/_09's first labels, benchmarks/labels/contacts_superseded); before them 8 missed (2.65%) and 5 extra (1.7%) of 302 since the rear lift-off rule (docs/contacts.md "The
    # hovering foot and the lifting foot"); 9 and 6 since the held-picture rule ("Held pictures"); 10 (3.3%) before
    # it, since track_sprint_side_small is analysed (its 7 labels were all missed while it was refused: 15 of 302
    # then); 10 missed before the end-of-clip rule.
    assert total["missed"] <= 11 and total["missed"] <= 0.03 * total["labels"], total
    assert total["extra"] <= 0.03 * total["labels"], total
    # Issue 15's median |error| <= 0.5 frame: more than half of the matched contacts on the labelled frame.
    # Measured 0.503 with the toe-up marker (docs/contacts.md "Clips a frame early"), 0.471 before it.
    assert total["exact"] > 0.5 and total["median_abs_error_frames"] <= 0.5, total


def test_rear_and_front_contacts_stay_within_a_frame_of_the_labels(frontal_landmarks) -> None:
    settings = AnalysisSettings()
    scores = []
    for name, raw in frontal_landmarks.items():
        labels = score_contacts.read_labels(score_contacts.LABELS_DIR / f"{name}.csv", raw.time_s)
        scores.append(score_contacts.score_clip(name, raw, labels, settings, match_s=0.15))
    assert {s.view for s in scores} == {"rear", "front"}
    for s in (
        scores
    ):  # no view late or early by more than a frame (+1.80 rear, +1.44 front before docs/contacts.md)
        assert abs(score_contacts.summarize([s])["mean_error_frames"]) <= 1.0, (s.clip, s.errors_frames)
    total = score_contacts.summarize(scores)
    print(f"ACCURACY frontal contacts: {score_contacts._fmt(total)}")
    assert total["labels"] >= 40
    # measured 0.93 (0.88 before the half-speed landing, 0.74 before the cut and re-fall rules, 0.57 before that)
    assert total["within_1_frame"] >= 0.84, total
    assert total["missed"] <= 4 and total["extra"] <= 2, total  # measured 3 and 0 (5 and 0 before)


def test_rear_contacts_wait_for_the_other_foot_to_lift_off(frontal_landmarks) -> None:
    """overground_rear_receding (docs/contacts.md, "The hovering foot and the lifting foot"): the nearer lifting
    foot hides the landing one, and the pose put the landing foot at the ground 0.2-1.5 frames before the other
    foot's lift-off; a contact is now no earlier than that lift-off. Scored against both labellers."""
    name = "overground_rear_receding"
    raw = frontal_landmarks[name]
    first = score_contacts.read_labels(score_contacts.LABELS_DIR / f"{name}.csv", raw.time_s)
    second = score_contacts.read_labels(score_contacts.SECOND_LABELS_DIR / f"{name}.csv", raw.time_s)
    s1 = score_contacts.score_clip(name, raw, first, AnalysisSettings(), match_s=0.15)
    s2 = score_contacts.score_clip(name, raw, second, AnalysisSettings(), match_s=0.15)
    one, two = score_contacts.summarize([s1]), score_contacts.summarize([s2])
    # first labeller (12): measured 83.3% within a frame, 66.7% exact, -0.25 frame (75%, 8.3%, -0.92 before)
    assert one["within_1_frame"] >= 0.8 and one["exact"] >= 0.5, s1.per_step
    assert abs(one["mean_error_frames"]) <= 0.5, s1.per_step
    # second labeller (all 32): measured 93.8% within a frame, +0.16 frame (84.4%, -0.62 before)
    assert two["within_1_frame"] >= 0.9 and abs(two["mean_error_frames"]) <= 0.4, s2.per_step
    assert s1.missed == 0 and s2.missed == 0 and s1.extra == 0 and s2.extra == 0


def test_approaching_front_contacts_land_on_the_heels_impact(frontal_landmarks) -> None:
    """overground_front_approaching (docs/contacts.md, "The foot's fall ends in an impact"): the landing is where
    the fall speed is down to half its peak, not a fifth: the 0.2 level came after the toe had rolled down onto
    the sole, most contacts one frame late."""
    name = "overground_front_approaching"
    raw = frontal_landmarks[name]
    labels = score_contacts.read_labels(score_contacts.LABELS_DIR / f"{name}.csv", raw.time_s)
    s = score_contacts.score_clip(name, raw, labels, AnalysisSettings(), match_s=0.15)
    total = score_contacts.summarize([s])
    # measured 96.6% within a frame, 75.9% exact, +0.10 frame (93.1%, 34.5%, +0.83 before)
    assert total["within_1_frame"] >= 0.93 and total["exact"] >= 0.65, s.per_step
    assert abs(total["mean_error_frames"]) <= 0.4, s.per_step
    assert s.missed <= 3 and s.extra == 0, s.per_step  # the first shot's 3 (docs/contacts.md, "Still open")


def test_front_view_with_the_camera_moving_back_stays_within_a_frame() -> None:
    """overground_front_two_joggers: the camera moves back with the runner, so the ground moves in the picture and
    the front view's "leg's longest reach" rule applies (docs/contacts.md). The only real clip of that case."""
    name = "overground_front_two_joggers"
    raw = _landmarks((name,))[name]
    labels = score_contacts.read_labels(score_contacts.LABELS_DIR / f"{name}.csv", raw.time_s)
    s = score_contacts.score_clip(name, raw, labels, AnalysisSettings(), match_s=0.15)
    total = score_contacts.summarize([s])
    assert s.view == "front" and total["labels"] >= 24
    assert total["within_1_frame"] >= 0.85, s.per_step  # measured 0.875 (21 of 24; 0.833 before)
    assert abs(total["mean_error_frames"]) <= 1.0, s.per_step  # measured +0.58 (+0.67 before)
    # measured 0 missed and 0 extra. Before the hover rule (docs/contacts.md) 5 extra: a left "landing" 6-8 frames
    # before each of five real ones, the foot hovering still and low while the hips rose.
    assert s.missed <= 1 and s.extra <= 1, s.per_step
    # Those hovers made both themselves and the real landing after them invalid (the same foot twice): 14 of 24
    # valid before, 23 now (the first, at frame 31, comes right after the pose model settles on this runner).
    assert sum(row.get("valid", False) for row in s.per_step) >= 22, s.per_step


def test_leg_swaps_lose_no_contact_on_the_60_fps_treadmill() -> None:
    """treadmill_side_portrait_60fps: three frames where the pose model pulled both legs together made the swap
    repair relabel the legs between them, and 3 of its 18 labelled contacts were missed, 2 extra
    (docs/contacts.md, "Leg swaps"). Those frames are no evidence now."""
    name = "treadmill_side_portrait_60fps"
    raw = _landmarks((name,))[name]
    labels = score_contacts.read_labels(score_contacts.LABELS_DIR / f"{name}.csv", raw.time_s)
    s = score_contacts.score_clip(name, raw, labels, AnalysisSettings(), match_s=0.15)
    total = score_contacts.summarize([s])
    assert s.missed == 0 and s.extra == 0, s.per_step  # measured 0 and 0 (were 3 and 2)
    # Measured 0.89 (the toe-up marker is off above 40 fps: on this clip it gave 0.83); 0.87 of 15 matched before
    # "Leg swaps".
    assert total["within_1_frame"] >= 0.85, total


def test_overstride_verdicts_of_labelled_clips(landmarks) -> None:
    labels = score_overstride.read_labels(SHARED_CLIPS / "LABELS.md")
    for name in ("side_03", "side_01"):
        verdict = (
            analyze_trajectories(landmarks[name], AnalysisSettings()).metrics["overstride_distance"].verdict
        )
        expected = {"flag", "borderline"} if labels[name] == "overstride" else {"good", "watch"}
        assert verdict in expected, (name, labels[name], verdict)


def test_a_replays_landing_after_a_held_picture_is_found() -> None:
    """track_sprint_side_small, a replay that shows each picture 3 times and every tenth 6 times: its first
    labelled landing (frame 33) follows a 6-copy picture (24-29) in which the filtered knee dips by jitter; that dip
    was taken for the landing 7 frames early, or hidden with the heel maximum by the clip's first tracked frame
    (docs/contacts.md "Held pictures"). Found now, within a frame; the clip's other contacts as before."""
    from formcheck.video.repeats import judge_repeats

    name = "track_sprint_side_small"
    raw = _landmarks((name,))[name]
    if raw.repeated is None:  # a cache written before the repeats were kept
        raw = raw.replace(
            repeated=judge_repeats(
                str(SHARED_CLIPS / f"{name}.mp4"), raw.xy_px, raw.fps, AnalysisSettings().pose
            )
        )
    labels = score_contacts.read_labels(score_contacts.LABELS_DIR / f"{name}.csv", raw.time_s)
    s = score_contacts.score_clip(name, raw, labels, AnalysisSettings(), match_s=0.15)
    first = next(row for row in s.per_step if abs(row["label_s"] - 33 / 30) < 1e-3)
    assert not first.get("missed") and abs(first["error_frames"]) <= 1, s.per_step
    assert first["valid"], s.per_step  # a usable step, not rejected against a spurious one before it
    assert all(row["valid"] for row in s.per_step if not row.get("missed")), s.per_step
    assert s.missed <= 1 and s.extra <= 1, (
        s.per_step
    )  # measured 1 and 1 (2 and 1 before): frame 141, see "Still open"
