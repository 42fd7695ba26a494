"""benchmarks/score_at_contact.py: the pure parts (matching rendered steps to truth, agreement, the two halves of
the labelled clips) on hand-made inputs with known answers."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from formcheck.config import UncertaintySettings
from formcheck.model import MetricResult, Step

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import score_at_contact  # noqa: E402


def _analysis(steps: list[Step], **per_step: tuple) -> SimpleNamespace:
    metrics = {
        mid: MetricResult(id=mid, value=None, unit="deg", verdict="n/a", evidence="E", per_step=vals)
        for mid, vals in per_step.items()
    }
    return SimpleNamespace(events=SimpleNamespace(steps=tuple(steps)), metrics=metrics)


def test_rendered_errors_pair_steps_with_truth_and_skip_invalid_or_far_ones() -> None:
    steps = [
        Step("left", 0.130),  # 6.6 ms after the true 0.1234 s contact: paired
        Step("right", 0.50, valid=False),  # paired but rejected: not scored
        Step("left", 1.00),  # 55 ms early: paired (within 60 ms)
        Step("right", 2.00),  # no true contact near: not scored
    ]
    truth = {
        "steps": [
            {"contact_s": 0.1234, "foot_strike_angle_deg": -8.0, "knee_flexion_ic_deg": 18.0,
             "shank_angle_ic_deg": 4.0, "foot_strike_type": "forefoot"},
            {"contact_s": 0.49, "foot_strike_angle_deg": -8.0, "knee_flexion_ic_deg": 18.0,
             "shank_angle_ic_deg": 4.0, "foot_strike_type": "forefoot"},
            {"contact_s": 1.055, "foot_strike_angle_deg": 3.0, "knee_flexion_ic_deg": 20.0,
             "shank_angle_ic_deg": 5.0, "foot_strike_type": "midfoot"},
        ]
    }  # fmt: skip
    analysis = _analysis(
        steps,
        foot_strike_angle_deg=(-3.0, 0.0, 12.0, 30.0),
        knee_flexion_ic_deg=(20.0, 0.0, None, 0.0),
        shank_angle_ic_deg=(1.0, 0.0, 2.5, 0.0),
        foot_strike_type=("midfoot", "forefoot", "rearfoot", "rearfoot"),
    )
    errs = score_at_contact.rendered_errors(analysis, truth)
    assert errs["foot_strike_angle_deg"] == pytest.approx([5.0, 9.0])
    assert errs["knee_flexion_ic_deg"] == pytest.approx([2.0])  # the None step is skipped
    assert errs["shank_angle_ic_deg"] == pytest.approx([-3.0, -2.5])
    assert errs["class_ok"] == [0.0, 0.0]


def test_agreement_counts_indeterminate_as_disagreeing() -> None:
    pairs = [
        ("rearfoot", "rearfoot"),
        ("midfoot", "indeterminate"),
        ("midfoot", "midfoot"),
        ("rearfoot", "midfoot"),
    ]
    assert score_at_contact.agreement(pairs) == pytest.approx(0.5)
    assert score_at_contact.agreement([]) is None


def test_halves_each_hold_every_labelled_class() -> None:
    by_clip = {
        "a_heel": [("rearfoot", "rearfoot")] * 3,
        "b_flat": [("midfoot", "rearfoot")] * 2,
        "c_heel": [("rearfoot", "midfoot")],
        "d_flat": [("midfoot", "midfoot"), ("rearfoot", "rearfoot")],
        "e_heel": [("rearfoot", "rearfoot")],
    }
    half_a, half_b = score_at_contact.split_halves(by_clip)
    assert half_a == ["b_flat", "a_heel", "e_heel"]
    assert half_b == ["d_flat", "c_heel"]
    assert sorted(half_a + half_b) == sorted(by_clip)


def test_cases_cover_every_strike_and_frame_rate() -> None:
    cases = score_at_contact.cases()
    assert {(c.strike, c.fps) for c in cases if c.distance_m == 6.0 and c.strike != "steep_rearfoot"} == {
        (s, f) for s in ("forefoot", "midfoot", "rearfoot") for f in (30.0, 60.0, 120.0)
    }
    assert {(c.strike, c.fps, c.distance_m) for c in cases if c.strike == "steep_rearfoot"} == {
        ("steep_rearfoot", 60.0, 6.0)
    }
    assert cases[-1].params().foot_strike_angle_deg == 28.0
    assert len({c.key() for c in cases}) == len(cases)  # cache keys do not collide
    assert cases[0].params().foot_strike_angle_deg == -8.0


def test_landmark_terms_cover_the_measured_error_at_contact() -> None:
    """docs/strike.md: rms of the rendered clips' mean error through the pose model, FSA 7.2, shank 3.0, knee 2.2
    deg; the landmark term of each must not fall below what was measured (rounded)."""
    sd = UncertaintySettings().landmark_sd
    assert sd["foot_strike_angle_deg"] >= 7.0
    assert sd["shank_angle_ic_deg"] >= 3.0
    assert sd["knee_flexion_ic_deg"] >= 2.2


def test_cache_keys_keep_the_old_landing_and_part_the_two_landings() -> None:
    """The landing fields are left out of the cache key at the old landing's values, so the clips rendered and posed
    before they existed are still found for the old landing; the default landing (the realistic one since issue
    15's switch) has keys of its own, never the old clips'."""
    old = score_at_contact.cases(landing=(("landing_cushion_s", 0.0), ("late_knee_extension", False)))
    assert old[0].key() == "forefoot_30fps_6m_96d80bb1"  # the key before the landing fields existed
    default = score_at_contact.cases()
    assert default[0].params().late_knee_extension and default[0].params().landing_cushion_s == 0.04
    assert default[0].key() == "forefoot_30fps_6m_1bed886b"  # as keyed when rendered as an option
    assert not {c.key() for c in default} & {c.key() for c in old}


def test_strike_bias_fit_recovers_a_known_line(monkeypatch) -> None:
    """--fit-strike-bias: rendered steps that read 2 + 0.5 x the true angle give back that line, over the 12 fitted
    cases (the steep heel strike left out, as FSA_BIAS_* were fitted)."""
    monkeypatch.setattr(
        score_at_contact,
        "rendered_and_posed",
        lambda case, work: (
            None,
            {"true": {**score_at_contact.STRIKES_DEG, **score_at_contact.STEEP_DEG}[case.strike]},
        ),
    )
    monkeypatch.setattr(score_at_contact, "load_landmarks", lambda npz: None)
    monkeypatch.setattr(score_at_contact, "analyze_trajectories", lambda raw, settings: None)
    monkeypatch.setattr(
        score_at_contact,
        "rendered_errors",
        lambda analysis, truth: {"foot_strike_angle_deg": [2.0 - 0.5 * truth["true"]] * 3},
    )
    offset, gain, n = score_at_contact.strike_bias_fit(Path("unused"))
    assert (offset, gain, n) == (pytest.approx(2.0), pytest.approx(0.5), 36)
