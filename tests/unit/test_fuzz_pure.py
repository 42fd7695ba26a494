"""Fuzz the pure middle (processing, gait events, classification, metrics) with hypothesis.

Whatever the landmarks hold (NaN runs, gaps, constant signals, one or two frames, swapped legs, huge or tiny
coordinates, frames with nothing visible), each function returns a result or raises a FormcheckError; any other
exception is a bug.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formcheck.config import AnalysisSettings, GaitSettings, ProcessingSettings
from formcheck.errors import FormcheckError
from formcheck.gait.classify import classify_gait
from formcheck.gait.sagittal import detect_sagittal_events
from formcheck.model import VERDICTS, Analysis, Trajectories, VideoInfo
from formcheck.processing.filtering import cutoff_for_fps, lowpass
from formcheck.processing.gaps import fill_short_gaps
from formcheck.processing.gating import gate_by_visibility
from formcheck.processing.orientation import estimate_direction, estimate_view
from formcheck.processing.scale import fit_ground_roll_deg, leg_length_px, near_side
from formcheck.processing.swaps import repair_swaps
from formcheck.skeleton import INDEX, N_LANDMARKS
from formcheck.synth.params import RunnerParams
from formcheck.trajectory_analysis import analyze_trajectories, clean_trajectories, detected_fraction
from tests.fixtures.synthetic import synthetic_trajectories

# Deterministic in CI; FORMCHECK_FUZZ_EXAMPLES=500 explores with random seeds.
_EXPLORE = int(os.environ.get("FORMCHECK_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=_EXPLORE or 50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not _EXPLORE,
    database=None,
)

LEFT = [i for name, i in INDEX.items() if name.startswith("left_")]
RIGHT = [INDEX["right_" + name[len("left_") :]] for name, i in INDEX.items() if name.startswith("left_")]


def expect_result_or_formcheck_error(fn: Callable[..., Any], *args: Any) -> Any:
    """Call ``fn``; a FormcheckError is an accepted answer, any other exception fails the test."""
    try:
        return fn(*args)
    except FormcheckError as e:
        assert str(e), "a FormcheckError needs a message"
        return None


def _info(n: int, fps: float, w: int = 640, h: int = 480) -> VideoInfo:
    return VideoInfo(path="fuzz.mp4", width=w, height=h, fps=fps, n_frames=n, duration_s=max(n, 1) / fps)


# --- strategies --------------------------------------------------------------------------------------------------

coordinate = st.one_of(
    st.floats(min_value=-1e4, max_value=1e4, allow_nan=False),
    st.just(float("nan")),
    st.sampled_from([0.0, 1e-9, -1e-9, 1e9, -1e9, 320.0]),
)


@st.composite
def raw_trajectories(draw: st.DrawFn) -> Trajectories:
    """Arbitrary small trajectories: 0-40 frames, any coordinates, visibility, and (maybe irregular) time."""
    n = draw(st.integers(min_value=0, max_value=40))
    fps = draw(st.sampled_from([1.0, 24.0, 30.0, 59.94, 240.0]))
    kind = draw(st.sampled_from(["random", "constant", "nan", "mixed"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([1e-6, 1.0, 300.0, 1e6]))
    if kind == "random":
        xy = rng.normal(300.0, 100.0, (n, N_LANDMARKS, 2)) * scale / 300.0
    elif kind == "constant":
        xy = np.full((n, N_LANDMARKS, 2), draw(coordinate))
    elif kind == "nan":
        xy = np.full((n, N_LANDMARKS, 2), np.nan)
    else:
        xy = rng.normal(300.0, 100.0, (n, N_LANDMARKS, 2))
        xy[rng.random((n, N_LANDMARKS)) < draw(st.floats(0, 1))] = np.nan
        if n:
            xy[rng.integers(0, n)] = draw(coordinate)
    vis_kind = draw(st.sampled_from(["ones", "zeros", "random", "nan"]))
    vis = {
        "ones": np.ones((n, N_LANDMARKS)),
        "zeros": np.zeros((n, N_LANDMARKS)),
        "random": rng.random((n, N_LANDMARKS)),
        "nan": np.full((n, N_LANDMARKS), np.nan),
    }[vis_kind]
    if draw(st.booleans()):
        dt = np.full(n, 1.0 / fps)
    else:
        dt = rng.uniform(0.2, 3.0, n) / fps  # variable frame rate
    time_s = np.cumsum(dt) - (dt[0] if n else 0.0)
    return Trajectories(xy_px=xy, visibility=vis, time_s=time_s, video=_info(n, fps))


@lru_cache(maxsize=4)
def _base(fps: float) -> Trajectories:
    traj, _ = synthetic_trajectories(RunnerParams(duration_s=3.0, fps=fps))
    return traj


@st.composite
def perturbed_synthetic(draw: st.DrawFn) -> Trajectories:
    """The realistic case: a clean synthetic run with NaN runs, leg swaps, jitter, frozen segments, invisible
    frames, rescaling and cropping injected."""
    fps = draw(st.sampled_from([30.0, 60.0]))
    base = _base(fps)
    xy = base.xy_px.copy()
    vis = base.visibility.copy()
    t = base.time_s.copy()
    n = len(t)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    for op in draw(
        st.lists(
            st.sampled_from(
                ["nan_run", "swap", "jitter", "freeze", "invisible", "scale", "mirror", "outlier"]
            ),
            max_size=5,
        )
    ):
        a = int(rng.integers(0, n))
        b = min(n, a + int(rng.integers(1, max(2, n // 2))))
        if op == "nan_run":
            cols = rng.choice(N_LANDMARKS, size=int(rng.integers(1, N_LANDMARKS + 1)), replace=False)
            xy[a:b, cols] = np.nan
        elif op == "swap":
            xy[a:b, LEFT + RIGHT] = xy[a:b, RIGHT + LEFT]
            vis[a:b, LEFT + RIGHT] = vis[a:b, RIGHT + LEFT]
        elif op == "jitter":
            xy = xy + rng.normal(0.0, draw(st.sampled_from([1.0, 10.0, 100.0])), xy.shape)
        elif op == "freeze":
            xy[a:b] = xy[a]
        elif op == "invisible":
            vis[a:b] = 0.0
        elif op == "scale":
            xy = xy * draw(st.sampled_from([1e-4, 0.05, 20.0, 1e5]))
        elif op == "mirror":
            xy[..., 0] = base.video.width - xy[..., 0]
        elif op == "outlier":
            xy[a, rng.integers(0, N_LANDMARKS)] = draw(coordinate)
    keep = draw(st.sampled_from([n, n, n, 1, 2, 3, 10, 25]))
    sl = slice(0, keep)
    return Trajectories(xy_px=xy[sl], visibility=vis[sl], time_s=t[sl], video=base.video)


any_trajectories = st.one_of(raw_trajectories(), perturbed_synthetic())


# --- construction ------------------------------------------------------------------------------------------------


@FUZZ
@given(
    n=st.integers(0, 6),
    shape_ok=st.booleans(),
    times=st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True)), min_size=0, max_size=6),
)
def test_trajectories_construction_rejects_bad_input_with_formcheck_error(
    n: int, shape_ok: bool, times: list[float]
) -> None:
    xy = np.zeros((n, N_LANDMARKS if shape_ok else 5, 2))
    vis = np.ones((n, N_LANDMARKS))
    expect_result_or_formcheck_error(Trajectories, xy, vis, np.asarray(times, dtype=float), _info(n, 30.0))


# --- processing --------------------------------------------------------------------------------------------------


@FUZZ
@given(traj=any_trajectories, vis_min=st.sampled_from([0.0, 0.5, 1.0]))
def test_processing_functions_never_crash(traj: Trajectories, vis_min: float) -> None:
    p = ProcessingSettings()
    gated = expect_result_or_formcheck_error(gate_by_visibility, traj, vis_min)
    gated = gated if gated is not None else traj
    repaired = expect_result_or_formcheck_error(repair_swaps, gated, p.swap_gain_min)
    repaired = repaired[0] if repaired is not None else gated
    filled = expect_result_or_formcheck_error(fill_short_gaps, repaired, p.max_gap_frames)
    filled = filled if filled is not None else repaired
    fc = cutoff_for_fps(filled.fps, p.cutoff_points_hz)
    expect_result_or_formcheck_error(lowpass, filled, fc, p.butterworth_order)
    expect_result_or_formcheck_error(estimate_view, filled)
    leg = expect_result_or_formcheck_error(leg_length_px, filled)
    expect_result_or_formcheck_error(near_side, filled)
    for leg_guess in {leg if leg is not None else 100.0, 0.0, float("nan"), 100.0}:
        expect_result_or_formcheck_error(estimate_direction, filled, leg_guess)
    expect_result_or_formcheck_error(detected_fraction, traj, vis_min)


@FUZZ
@given(
    pts=st.lists(st.tuples(coordinate, coordinate), max_size=12),
    span=st.sampled_from([0.0, 1.0, 100.0, float("nan")]),
)
def test_fit_ground_roll_never_crashes(pts: list[tuple[float, float]], span: float) -> None:
    arr = np.asarray(pts, dtype=float).reshape(-1, 2)
    roll = expect_result_or_formcheck_error(fit_ground_roll_deg, arr, span)
    assert roll is None or isinstance(roll, float)


# --- gait events and classification ------------------------------------------------------------------------------


@FUZZ
@given(
    traj=any_trajectories,
    direction=st.sampled_from([1, -1]),
    leg=st.sampled_from([None, 1e-6, 1.0, 150.0, 1e7, float("nan"), 0.0]),
)
def test_sagittal_events_and_classification_never_crash(
    traj: Trajectories, direction: int, leg: float | None
) -> None:
    clean = expect_result_or_formcheck_error(clean_trajectories, traj, AnalysisSettings())
    clean = clean[0] if clean is not None else traj
    if leg is None:
        leg = expect_result_or_formcheck_error(leg_length_px, clean) or 150.0
    events = expect_result_or_formcheck_error(detect_sagittal_events, clean, direction, leg, GaitSettings())
    if events is not None:
        expect_result_or_formcheck_error(classify_gait, clean, events, direction, leg, GaitSettings())


# --- the whole pure path (cleaning, view, events, gait kind, metrics, findings) --------------------------------


@FUZZ
@given(traj=any_trajectories, view=st.sampled_from(["auto", "side", "rear", "front"]))
def test_analyze_trajectories_never_crashes(traj: Trajectories, view: str) -> None:
    result = expect_result_or_formcheck_error(analyze_trajectories, traj, AnalysisSettings(view=view))
    if result is not None:
        assert isinstance(result, Analysis)
        assert result.view in ("side", "rear", "front")
        for mid, m in result.metrics.items():
            assert m.verdict in VERDICTS, (mid, m.verdict)
            if isinstance(m.value, float):
                assert np.isfinite(m.value), (mid, m.value)


@pytest.mark.slow
def test_long_synthetic_trajectory_stays_fast() -> None:
    """A 10-minute clip's landmarks (18,000 frames at 30 fps) through the pure path in well under a minute, and
    its landmark arrays are a few tens of megabytes, not per-frame images. The runner is drawn for 10 s and
    repeated: at 180 steps/min a stride is exactly 20 frames, so the repeats join seamlessly (drawing 10 minutes
    takes longer than analysing them)."""
    import time

    chunk, _ = synthetic_trajectories(RunnerParams(duration_s=10.0, fps=30.0, cadence_spm=180.0))
    reps = 60
    n = chunk.n_frames * reps
    video = VideoInfo(**{**chunk.video.__dict__, "n_frames": n, "duration_s": n / 30.0})
    traj = Trajectories(
        xy_px=np.tile(chunk.xy_px, (reps, 1, 1)),
        visibility=np.tile(chunk.visibility, (reps, 1)),
        time_s=np.arange(n) / 30.0,
        video=video,
    )
    assert n == 18_000
    assert traj.xy_px.nbytes + traj.visibility.nbytes < 20e6
    t0 = time.perf_counter()
    analysis = analyze_trajectories(traj, AnalysisSettings(view="side"))
    elapsed = time.perf_counter() - t0
    assert analysis.metrics["cadence_spm"].value == pytest.approx(180.0, abs=3.0)
    assert len(analysis.events.valid_steps) > 0.95 * 3 * 600  # about three steps per second, all found
    assert elapsed < 60.0, f"{elapsed:.1f} s for 10 minutes of landmarks"
