"""The athlete history calls no noise a finding (issue 16, docs/verdicts.md "Split-half"): a change of foot-strike
type only when the shares of heel landings that decide it lie apart, and arm swing with its landmark error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from formcheck.config import AnalysisSettings, UncertaintySettings
from formcheck.history import MetricValue, compare, metrics_from_analysis
from formcheck.report.json_out import analysis_to_dict
from formcheck.report.landmarks import load_landmarks
from formcheck.synth.params import RunnerParams
from formcheck.trajectory_analysis import analyze_trajectories, measure, prepare
from tests.fixtures.sample_landmarks import load_sample
from tests.fixtures.synthetic import synthetic_trajectories


def _strike_doc(kind: str, verdict: str, share_interval: list[float] | None, **extra: object) -> dict:
    entry = {"value": kind, "unit": "category", "verdict": verdict, **extra}
    if share_interval is not None:
        entry["heel_landing_share_interval"] = share_interval
    return {"metrics": {"foot_strike_type": entry}}


def _strike(doc: dict) -> MetricValue:
    return metrics_from_analysis(doc)["foot_strike_type"]


def test_side_21s_halves_rearfoot_then_midfoot_is_no_real_change() -> None:
    """side_21's first half: rearfoot on a heel-landing share of 40% whose interval is 0-100%; its second half:
    midfoot (share 0%, interval 0-50%). The history called it "improved"; the intervals overlap: the clip cannot tell them apart."""
    first = _strike_doc("rearfoot", "watch", [0.0, 100.0], verdict_value=40.0, verdict_interval=[0.0, 100.0])
    # A midfoot type's verdict_interval is the foot angle's (docs/verdicts.md), not a share: it must not be read.
    second = _strike_doc("midfoot", "good", [0.0, 50.0], verdict_interval=[-13.8, 16.8])
    assert _strike(first).interval == (0.0, 100.0)
    assert _strike(second).interval == (0.0, 50.0)
    assert compare("foot_strike_type", _strike(first), _strike(second)) == "no real change"


def test_a_change_of_strike_type_counts_when_the_shares_lie_apart() -> None:
    heel = _strike(_strike_doc("rearfoot", "flag", [81.2, 100.0]))
    mid = _strike(_strike_doc("midfoot", "good", [0.0, 12.5]))
    assert compare("foot_strike_type", heel, mid) == "improved"
    assert compare("foot_strike_type", mid, heel) == "worse"
    # Touching intervals overlap: no real change.
    assert compare("foot_strike_type", heel, _strike(_strike_doc("midfoot", "good", [0.0, 81.2]))) == (
        "no real change"
    )
    # A session without the share's interval (analysed before it was kept) is not compared: no evidence.
    old = _strike(_strike_doc("rearfoot", "flag", None))
    assert compare("foot_strike_type", old, mid) == "n/a"
    assert (
        compare("foot_strike_type", old, _strike(_strike_doc("rearfoot", "flag", None))) == "no real change"
    )


def test_every_strike_type_writes_its_heel_landing_share_with_the_interval() -> None:
    """A midfoot runner's analysis.json carries the share that would make it a heel striker, so that its next
    session can be compared (the rendered good-form sample lands midfoot)."""
    traj, _ = load_sample("side_good_form")
    entry = analysis_to_dict(analyze_trajectories(traj, AnalysisSettings()))["metrics"]["foot_strike_type"]
    assert entry["value"] != "rearfoot"
    lo, hi = entry["heel_landing_share_interval"]
    assert 0.0 <= lo <= entry["heel_landing_share_pct"] <= hi <= 50.0


# --- arm swing ----------------------------------------------------------------------------------------------------


def test_arm_swing_interval_carries_a_landmark_term() -> None:
    """The term and where it comes from: config.UncertaintySettings.landmark_sd (docs/verdicts.md)."""
    assert UncertaintySettings().landmark_sd["arm_swing_deg"] > 0.0


def _arm_swing(swing_deg: float, seed: int) -> MetricValue:
    """A rendered runner's arm swing as the history reads it from analysis.json (exact landmarks with 1.5 px of
    keypoint jitter, the pose model's bias on the foot angle off)."""
    params = RunnerParams(duration_s=5.0, arm_swing_deg=swing_deg, keypoint_noise_px=1.5, seed=seed)
    traj, _ = synthetic_trajectories(params)
    settings = AnalysisSettings(uncertainty=UncertaintySettings(correct_pose_strike_bias=False))
    return metrics_from_analysis(analysis_to_dict(analyze_trajectories(traj, settings)))["arm_swing_deg"]


@pytest.fixture(scope="module")
def swings() -> dict[tuple[float, int], MetricValue]:
    return {(deg, seed): _arm_swing(deg, seed) for deg, seed in ((40.0, 1), (40.0, 2), (70.0, 3))}


@pytest.mark.slow  # three rendered runners analysed: about 7 s
def test_a_real_change_of_arm_swing_is_still_called(swings) -> None:
    """40 then 70 deg, both in the good band (30-120): a real change with no direction."""
    a, b = swings[(40.0, 1)], swings[(70.0, 3)]
    assert a.value == pytest.approx(40.0, abs=4.0) and b.value == pytest.approx(70.0, abs=4.0)
    assert compare("arm_swing_deg", a, b) == "changed"
    assert compare("arm_swing_deg", b, a) == "changed"


@pytest.mark.slow
def test_the_same_arm_swing_twice_is_no_real_change(swings) -> None:
    assert compare("arm_swing_deg", swings[(40.0, 1)], swings[(40.0, 2)]) == "no real change"


CACHE = Path(__file__).resolve().parents[2] / "benchmarks" / ".cache"


@pytest.mark.slow
@pytest.mark.realclips
def test_real_clips_halves_arm_swing_is_no_real_change_but_a_runner_speeding_up_is() -> None:
    """The halves of one clip (benchmarks/score_split_half.py): side_10 (64 then 50 deg), side_16 (41 then 55) and
    side_18 (63 then 55) were called "changed"; the barefoot tracking runner, speeding up from 165 to 193
    steps/min, swings the arms 66 then 89 deg: a real change, still called."""
    sys.path.insert(0, str(CACHE.parents[0]))
    import score_split_half

    names = ("side_10", "side_16", "side_18", "overground_side_barefoot_tracking")
    if not all((CACHE / f"{n}.npz").is_file() for n in names):
        pytest.skip("no cached landmarks in benchmarks/.cache (benchmarks/cache_landmarks.py)")
    settings = AnalysisSettings()
    calls = {}
    for name in names:
        prepared = prepare(load_landmarks(CACHE / f"{name}.npz"), settings)
        a, b = (measure(p, settings) for p in score_split_half.halves(prepared))
        calls[name] = score_split_half.history_calls(a, b)
    assert {n: calls[n]["arm_swing_deg"] for n in names[:3]} == dict.fromkeys(names[:3], "no real change")
    assert calls["overground_side_barefoot_tracking"]["arm_swing_deg"] == "changed"
    assert calls["overground_side_barefoot_tracking"]["cadence_spm"] == "improved"


def test_a_categorys_share_interval_is_kept_in_the_history_database(tmp_path) -> None:
    from datetime import datetime

    from formcheck.history import Session
    from formcheck.store import Store

    strike = MetricValue("rearfoot", "category", "watch", None, (0.0, 100.0))
    with Store(tmp_path / "h.db") as st:
        st.upsert_session(Session("ann", datetime(2026, 5, 1), "/a.mp4", "a", {"foot_strike_type": strike}))
        (back,) = st.sessions("ann")
    assert back.metrics["foot_strike_type"] == strike


def test_a_change_the_heel_landing_share_does_not_decide_is_not_compared() -> None:
    """Midfoot against forefoot: both land on the heel on none of their steps, so the heel-landing shares' intervals
    always overlap, and calling that "no real change" would claim evidence the share cannot give (the foot angle
    decides between them). Not compared, with words that say why."""
    from formcheck.compare.changes import ChangeRow

    mid = _strike(_strike_doc("midfoot", "good", [0.0, 12.5]))
    fore = _strike(_strike_doc("forefoot", "good", [0.0, 10.0]))
    assert compare("foot_strike_type", mid, fore) == "n/a"
    assert compare("foot_strike_type", fore, mid) == "n/a"
    assert compare("foot_strike_type", mid, mid) == "no real change"
    row = ChangeRow("foot_strike_type", "Foot strike", "category", mid, fore, "n/a", None)
    assert row.words == (
        "not compared (the share of heel landings tells rearfoot from the others, not midfoot from forefoot: "
        "see the foot strike angle)"
    )
    # With a heel strike on one side the share decides, as before.
    heel = _strike(_strike_doc("rearfoot", "flag", [81.2, 100.0]))
    assert compare("foot_strike_type", heel, fore) == "improved"


def test_an_analysis_from_before_the_share_key_gives_its_share_from_verdict_value() -> None:
    """analysis.json written earlier today had no heel_landing_share_interval, but a foot strike whose verdict was
    judged on the share gave it as verdict_value / verdict_interval: an earlier heel striker who now lands midfoot
    is compared, not n/a. A type judged on the foot angle (no verdict_value) gives no share: still not compared."""
    old_heel = _strike(
        _strike_doc("rearfoot", "flag", None, verdict_value=93.8, verdict_interval=[81.2, 100.0])
    )
    assert old_heel.interval == (81.2, 100.0)
    mid = _strike(_strike_doc("midfoot", "good", [0.0, 12.5]))
    assert compare("foot_strike_type", old_heel, mid) == "improved"
    old_mid = _strike(_strike_doc("midfoot", "good", None, verdict_interval=[-13.8, 16.8]))
    assert old_mid.interval is None
    assert (
        compare("foot_strike_type", old_mid, _strike(_strike_doc("rearfoot", "flag", [81.2, 100.0]))) == "n/a"
    )
