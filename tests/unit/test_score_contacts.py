"""benchmarks/score_contacts.py helpers: label halves and one-to-one matching (known answers)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import score_contacts  # noqa: E402


def _labels(n: int) -> list[score_contacts.Label]:
    return [score_contacts.Label(0.4 * i, None, "left", "heel", "high") for i in range(n)]


def test_halves_split_each_clip_in_time_order_and_cover_it() -> None:
    labels = _labels(5)
    first = score_contacts.half_of(labels, "first")
    second = score_contacts.half_of(labels, "second")
    assert [lab.contact_s for lab in first] == [0.0, 0.4, 0.8]
    assert first + second == labels
    assert score_contacts.half_of(labels, None) == labels


def test_matching_pairs_closest_first_and_only_within_the_limit() -> None:
    # 1.02 is closer to 1.0 than 0.95 is; 0.95 then pairs with nothing else within 0.1 s; 3.0 has no label.
    pairs = score_contacts.match_nearest([1.0, 2.0], [0.95, 1.02, 2.05, 3.0], 0.1)
    assert pairs == [(0, 1), (1, 2)]


def test_second_labels_attach_to_the_nearest_contact_within_the_limit_whatever_the_foot_is_named() -> None:
    first = [
        score_contacts.Label(1.0, None, "left", "heel", "high"),
        score_contacts.Label(1.4, None, "right", "heel", "high"),
        score_contacts.Label(1.8, None, "left", "heel", "high"),
    ]
    # 1.03 pairs with 1.0 although named right (mirrored clips); 1.43 and 1.77 pair; 2.5 lies beyond the limit.
    second = [
        score_contacts.Label(1.03, None, "right", "heel", "high"),
        score_contacts.Label(1.43, None, "right", "heel", "high"),
        score_contacts.Label(1.77, None, "left", "heel", "high"),
        score_contacts.Label(2.5, None, "left", "heel", "high"),
    ]
    got = score_contacts.attach_second_labels(first, second, 0.05)
    assert [lab.second_contact_s for lab in got] == [1.03, 1.43, 1.77]


def test_a_contact_labelled_twice_scores_against_the_nearer_label() -> None:
    # Labels at frames 10 (first) and 11 (second), formcheck at 11: on the second labeller's frame.
    assert score_contacts.error_against_either(1.0, 10 / 30, 11 / 30, 30.0, whole_frames=True) == 0.0
    # formcheck at 12: one frame from the second, two from the first.
    assert score_contacts.error_against_either(2.0, 10 / 30, 11 / 30, 30.0, whole_frames=True) == 1.0
    # formcheck at 9: the first labeller's frame is nearer; ties go to the first labeller.
    assert score_contacts.error_against_either(-1.0, 10 / 30, 11 / 30, 30.0, whole_frames=True) == -1.0
    # Sub-frame errors (rendered clips): the nearer one, whichever side.
    assert score_contacts.error_against_either(
        0.8, 10 / 30, 11 / 30, 30.0, whole_frames=False
    ) == pytest.approx(-0.2)


def _slowed_raw():
    from tests.fixtures.fake_analysis import make_trajectories

    raw, _ = make_trajectories()
    return raw


def test_a_clip_refused_as_slowed_down_is_scored_as_rerun_with_the_advised_capture_rate(monkeypatch) -> None:
    """A slow-motion file refused with "give the rate it was filmed at (... --capture-fps 120)" is scored as the
    user who follows the advice runs it: every timestamp, the labels' too, divided by 120 / file fps."""
    from types import SimpleNamespace

    from formcheck.config import AnalysisSettings
    from formcheck.errors import TooFewStepsError

    raw = _slowed_raw()
    file_fps = raw.video.fps
    slow = 120.0 / file_fps
    # Labels on frames 12 and 40 of the file; formcheck (on motion time) lands on frames 12 and 41.
    labels = [
        score_contacts.Label(float(raw.time_s[12]), None, "left", "heel", "high"),
        score_contacts.Label(float(raw.time_s[40]), float(raw.time_s[50]), "right", "flat", "high"),
    ]
    seen: list[float | None] = []

    def fake_analyze(r, settings, video):
        seen.append(r.video.capture_fps)
        if r.video.capture_fps is None:
            raise TooFewStepsError(
                "clip seems to play slowed down (...): (analyze or batch --capture-fps 120)"
            )
        steps = [
            SimpleNamespace(contact_s=float(r.time_s[k]), toe_off_s=None, valid=True, side=s)
            for k, s in ((12, "left"), (41, "right"))
        ]
        events = SimpleNamespace(steps=steps, stride_time_s=20 / file_fps / slow)
        return SimpleNamespace(events=events, view="side", metrics={})

    monkeypatch.setattr(score_contacts, "analyze", fake_analyze)
    score = score_contacts.score_clip("clip", raw, labels, AnalysisSettings(), 0.2)
    assert seen == [None, 120.0]
    assert score.failure == "" and "--capture-fps 120" in score.rerun
    assert score.fps == pytest.approx(120.0)
    assert score.errors_frames == [0.0, 1.0] and score.missed == 0

    # Refused for anything else (or already run with --capture-fps): refused, every label missed, no second run.
    def refuse(r, settings, video):
        raise TooFewStepsError("clip holds 3 usable steps in 1.5 s; formcheck needs at least 4")

    monkeypatch.setattr(score_contacts, "analyze", refuse)
    score = score_contacts.score_clip("clip", raw, labels, AnalysisSettings(), 0.2)
    assert score.view == "refused" and score.missed == 2 and score.rerun == ""

    # Refused as slowed down, and again at the advised rate (too few steps): a refused clip of the file's rate.
    def refuse_both(r, settings, video):
        if r.video.capture_fps is None:
            raise TooFewStepsError(
                "clip seems to play slowed down (...): (analyze or batch --capture-fps 120)"
            )
        raise TooFewStepsError("clip holds 3 usable steps in 1.5 s; formcheck needs at least 4")

    monkeypatch.setattr(score_contacts, "analyze", refuse_both)
    score = score_contacts.score_clip("clip", raw, labels, AnalysisSettings(), 0.2)
    assert score.view == "refused" and score.missed == 2 and score.fps == pytest.approx(file_fps)
    assert "refused again with --capture-fps 120" in score.rerun and "3 usable steps" in score.failure

    # Already run with --capture-fps: no second run, whatever the refusal says.
    seen.clear()
    monkeypatch.setattr(score_contacts, "analyze", fake_analyze)
    score = score_contacts.score_clip(
        "clip", raw, labels, dataclasses.replace(AnalysisSettings(), capture_fps=240.0), 0.2
    )
    assert seen == [None] and score.view == "refused" and score.rerun == ""


def test_both_slowed_down_refusals_carry_the_advice_the_benchmark_reruns_on() -> None:
    """score_contacts re-runs a clip whose refusal holds CAPTURE_FPS_ADVICE: both wordings of formcheck's
    slowed-down refusal (gait/classify.py) must keep holding it."""
    from types import SimpleNamespace

    from formcheck.config import GaitSettings
    from formcheck.gait.classify import GaitKind, too_few_steps_message

    cfg = GaitSettings()
    slowed = too_few_steps_message(
        "clip.mp4", 1, 6.0, GaitKind("running", "", 40.0, None, slowed_down=True), SimpleNamespace(), cfg
    )
    long_stride = too_few_steps_message(
        "clip.mp4", 0, 6.0, GaitKind("unknown", "", None, None), SimpleNamespace(stride_time_s=3.0), cfg
    )
    assert score_contacts.CAPTURE_FPS_ADVICE in slowed and "slowed down" in slowed
    assert score_contacts.CAPTURE_FPS_ADVICE in long_stride and "slowed down" in long_stride


def test_the_capture_rate_divides_every_time_of_landmarks_and_labels() -> None:
    raw = _slowed_raw()
    labels = [score_contacts.Label(1.2, 1.5, "left", "heel", "high", second_contact_s=1.23)]
    moved_raw, (lab,) = score_contacts.at_capture_rate(raw, labels, 120.0)
    slow = 120.0 / raw.video.fps
    assert moved_raw.video.capture_fps == 120.0
    assert moved_raw.time_s == pytest.approx(raw.time_s / slow)
    assert (lab.contact_s, lab.toe_off_s, lab.second_contact_s) == pytest.approx(
        (1.2 / slow, 1.5 / slow, 1.23 / slow)
    )


def test_the_consensus_class_needs_both_labellers_to_see_the_same_pattern() -> None:
    first = [
        score_contacts.Label(1.0, None, "left", "flat", "high"),
        score_contacts.Label(1.4, None, "right", "flat", "high"),
        score_contacts.Label(1.8, None, "left", "unclear", "high"),
        score_contacts.Label(2.2, None, "right", "heel", "high"),
    ]
    second = [
        score_contacts.Label(1.0, None, "left", "flat", "high"),
        score_contacts.Label(1.4, None, "right", "heel", "high"),
        score_contacts.Label(1.8, None, "left", "heel", "high"),
    ]
    got = score_contacts.attach_second_labels(first, second, 0.05)
    # Agreed "flat" is midfoot; flat/heel disagree; a pattern not seen and a contact labelled once give none.
    assert [score_contacts.consensus_class(lab) for lab in got] == ["midfoot", None, None, None]
    assert score_contacts.labeller_pairs(got) == [("midfoot", "midfoot"), ("midfoot", "rearfoot")]


def test_strike_agreement_where_the_labellers_agree_and_with_either() -> None:
    """Three contacts labelled twice: agreed flat read midfoot (right), flat/heel read rearfoot (either's), agreed
    heel read midfoot (wrong)."""
    score = score_contacts.ClipScore("c", "side", 30.0, 3)
    score.consensus_strike_pairs = [("midfoot", "midfoot"), ("rearfoot", "midfoot")]
    score.either_strike_ok = [True, True, False]
    score.labeller_pairs = [("midfoot", "midfoot"), ("midfoot", "rearfoot"), ("rearfoot", "rearfoot")]
    got = score_contacts.summarize([score])
    assert (got["strike_consensus_agreement"], got["strike_consensus_n"]) == (0.5, 2)
    assert got["strike_either_agreement"] == pytest.approx(2 / 3)
    assert got["strike_labellers_agreement"] == pytest.approx(2 / 3)


def test_score_clip_reads_strike_agreement_against_both_labellers_and_keeps_a_refused_clips_own(
    monkeypatch,
) -> None:
    """Two contacts labelled twice: agreed heel (read rearfoot: right) and flat/heel (read midfoot: the first
    labeller's). The labellers' own agreement is the labels', also when formcheck refuses the clip."""
    from types import SimpleNamespace

    from formcheck.config import AnalysisSettings
    from formcheck.errors import TooFewStepsError

    raw = _slowed_raw()
    labels = [
        dataclasses.replace(
            score_contacts.Label(float(raw.time_s[12]), None, "left", "heel", "high"), second_pattern="heel"
        ),
        dataclasses.replace(
            score_contacts.Label(float(raw.time_s[40]), None, "right", "flat", "high"), second_pattern="heel"
        ),
    ]

    def fake_analyze(r, settings, video):
        steps = [
            SimpleNamespace(contact_s=float(r.time_s[k]), toe_off_s=None, valid=True, side=s)
            for k, s in ((12, "left"), (40, "right"))
        ]
        strike = SimpleNamespace(per_step=("rearfoot", "midfoot"))
        events = SimpleNamespace(steps=steps, stride_time_s=28 / raw.video.fps * 2)
        return SimpleNamespace(events=events, view="side", metrics={"foot_strike_type": strike})

    monkeypatch.setattr(score_contacts, "analyze", fake_analyze)
    score = score_contacts.score_clip("clip", raw, labels, AnalysisSettings(), 0.2)
    assert score.consensus_strike_pairs == [("rearfoot", "rearfoot")]
    assert score.either_strike_ok == [True, True]
    assert score.labeller_pairs == [("rearfoot", "rearfoot"), ("midfoot", "rearfoot")]

    def refuse(r, settings, video):
        raise TooFewStepsError("clip holds 3 usable steps in 1.5 s; formcheck needs at least 4")

    monkeypatch.setattr(score_contacts, "analyze", refuse)
    refused = score_contacts.score_clip("clip", raw, labels, AnalysisSettings(), 0.2)
    assert refused.view == "refused" and refused.labeller_pairs == score.labeller_pairs
