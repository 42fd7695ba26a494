"""How far the pose model misreads the heel's reach: rendered side-view runners of known reach, through BlazePose.

    python benchmarks/score_reach.py [--out DIR]   # about 8 min the first time (renders and poses 20 clips)

The overstride verdict is judged on the heel's reach: its furthest point ahead of the hip centre from 0.3 stride
before contact up to contact, % leg length (``metrics/overstride.py``; bands good < 25, watch 25-30, flag beyond).
Renders twenty 5 s side-view runners (``formcheck.synth``; true reach 10-38 %leg, from good form to a clear
overstride, by the shank angle and knee flexion at contact; seeds, both directions, 30/60 fps, landscape/portrait,
small and large runners, treadmill/overground) into ``--out`` (kept there: a second run only re-reads the
landmarks), poses them as ``formcheck analyze`` does, and adds the two rendered sample clips (sample_videos/,
landmarks in benchmarks/.cache). The true reach is computed from the generating skeleton's exact 2D joints every
2 ms, with formcheck's own definition (window, hip centre, leg length as the larger leg's hip-knee + knee-ankle,
median within +-0.5 s), median over the steps.

Prints, per clip, the true reach, formcheck's and its error, and each half of its steps (the runner's reach is
constant, so what the halves differ by is reading error); then the error's rms, its trend with the true reach (a
bias that repeats for one runner), the scatter about that trend, and the rms difference of the halves. Last, the
real mirror pairs side_02/07 and side_06/12 (one run read through flipped pixels; cached landmarks): their reaches'
difference over sqrt(2) is a lower bound of the per-reading scatter. The scatter is
``config.UncertaintySettings.landmark_sd["overstride_distance.reach_pctleg"]`` (docs/verdicts.md, "The reach's
landmark term").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from score_arm_swing import posed_clip, side_runner  # noqa: E402
from score_split_half import halves  # noqa: E402

from formcheck.config import AnalysisSettings, Thresholds  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.skeleton import LANDMARK_NAMES  # noqa: E402
from formcheck.synth import RunnerParams  # noqa: E402
from formcheck.synth.gait_model import contact_times_s  # noqa: E402
from formcheck.synth.truth import landmarks_px  # noqa: E402
from formcheck.trajectory_analysis import measure, prepare  # noqa: E402

CACHE_DIR = ROOT / "benchmarks" / ".cache"
REACH = "overstride_distance"
# name -> RunnerParams fields (5 s side view, seed 1 unless given). True reach in the name (%leg, approximate).
CLIPS: dict[str, dict[str, object]] = {
    "r10_r": {"shank_angle_ic_deg": 0.0, "knee_flexion_ic_deg": 20.0},
    "r14_l": {"shank_angle_ic_deg": 3.0, "cadence_spm": 176.0, "direction": "left", "seed": 2},
    "r19_r60": {"shank_angle_ic_deg": 8.0, "knee_flexion_ic_deg": 14.0, "fps": 60.0},
    "r21_small": {
        "shank_angle_ic_deg": 10.0,
        "knee_flexion_ic_deg": 12.0,
        "speed_mps": 3.5,
        "runner_height_frac": 0.5,
        "direction": "left",
    },
    "r23_l": {"shank_angle_ic_deg": 12.0, "knee_flexion_ic_deg": 10.0, "direction": "left", "seed": 3},
    "r26_p": {
        "shank_angle_ic_deg": 14.0,
        "knee_flexion_ic_deg": 8.0,
        "cadence_spm": 160.0,
        "foot_strike_angle_deg": 18.0,
        "orientation": "portrait",
    },
    "r27_l60": {
        "shank_angle_ic_deg": 16.0,
        "knee_flexion_ic_deg": 7.0,
        "direction": "left",
        "fps": 60.0,
        "seed": 3,
    },
    "r30_big": {"shank_angle_ic_deg": 18.0, "knee_flexion_ic_deg": 6.0, "short_side_px": 720, "seed": 4},
    "r31_p60": {
        "shank_angle_ic_deg": 18.0,
        "knee_flexion_ic_deg": 6.0,
        "cadence_spm": 160.0,
        "foot_strike_angle_deg": 18.0,
        "orientation": "portrait",
        "fps": 60.0,
        "direction": "left",
    },
    "r32_l": {"shank_angle_ic_deg": 20.0, "knee_flexion_ic_deg": 5.0, "direction": "left", "seed": 5},
    "r35_og": {"shank_angle_ic_deg": 22.0, "knee_flexion_ic_deg": 4.0, "surface": "overground", "seed": 6},
    "r37_l": {
        "shank_angle_ic_deg": 24.0,
        "knee_flexion_ic_deg": 3.0,
        "cadence_spm": 160.0,
        "foot_strike_angle_deg": 18.0,
        "direction": "left",
        "seed": 5,
    },
    "r12_l60": {
        "shank_angle_ic_deg": 2.0,
        "knee_flexion_ic_deg": 19.0,
        "fps": 60.0,
        "direction": "left",
        "seed": 7,
    },
    "r17_p": {"shank_angle_ic_deg": 6.0, "knee_flexion_ic_deg": 16.0, "orientation": "portrait", "seed": 8},
    "r22_og_l": {
        "shank_angle_ic_deg": 11.0,
        "knee_flexion_ic_deg": 11.0,
        "surface": "overground",
        "direction": "left",
        "seed": 9,
    },
    "r25_r": {"shank_angle_ic_deg": 14.0, "knee_flexion_ic_deg": 8.0, "trunk_lean_deg": 3.0, "seed": 10},
    "r28_small60": {
        "shank_angle_ic_deg": 16.0,
        "knee_flexion_ic_deg": 7.0,
        "runner_height_frac": 0.5,
        "fps": 60.0,
        "seed": 11,
    },
    "r30_l_lean": {
        "shank_angle_ic_deg": 18.0,
        "knee_flexion_ic_deg": 6.0,
        "direction": "left",
        "trunk_lean_deg": 10.0,
        "seed": 12,
    },
    "r33_crf": {
        "shank_angle_ic_deg": 20.0,
        "knee_flexion_ic_deg": 5.0,
        "cadence_spm": 165.0,
        "crf": 28,
        "seed": 13,
    },
    "r36_p_l": {
        "shank_angle_ic_deg": 22.0,
        "knee_flexion_ic_deg": 4.0,
        "orientation": "portrait",
        "direction": "left",
        "seed": 14,
    },
}
# The rendered samples (sample_videos/make_samples.py; 7 s, 30 fps, crf 28, seed 7), landmarks cached.
SAMPLES = ("side_good_form", "side_overstride_heel")
MIRROR_PAIRS = (("side_02", "side_07"), ("side_06", "side_12"))
DENSE_DT_S = 0.002
_IDX = {name: i for i, name in enumerate(LANDMARK_NAMES)}


def true_reach_pct(params: RunnerParams) -> float:
    """The median over steps of the exact reach, % leg, by ``metrics/overstride.py``'s definition on the generating
    skeleton's 2D joints (no pose model, no frame sampling, exact contact times)."""
    t = np.arange(0.0, params.duration_s, DENSE_DT_S)
    lm = landmarks_px(params, t, roll=False)

    def pt(name: str) -> np.ndarray:
        return lm[:, _IDX[name]]

    leg = np.maximum(
        *[
            np.linalg.norm(pt(f"{s}_hip") - pt(f"{s}_knee"), axis=1)
            + np.linalg.norm(pt(f"{s}_knee") - pt(f"{s}_ankle"), axis=1)
            for s in ("left", "right")
        ]
    )
    hip_x = (pt("left_hip")[:, 0] + pt("right_hip")[:, 0]) / 2
    window_s = Thresholds().overstride_reach_window_stride * params.stride_time_s
    reaches = []
    for side in ("left", "right"):
        for contact_s in contact_times_s(params, side, params.duration_s, window_s):
            in_window = (t >= contact_s - window_s) & (t <= contact_s)
            leg_px = float(np.median(leg[np.abs(t - contact_s) <= 0.5]))
            ahead = params.sign * (pt(f"{side}_heel")[in_window, 0] - hip_x[in_window])
            reaches.append(float(ahead.max()) / leg_px * 100.0)
    return float(np.median(reaches))


def sample_params(name: str) -> RunnerParams:
    sys.path.insert(0, str(ROOT / "sample_videos"))
    from make_samples import SAMPLES as SAMPLE_PARAMS

    return SAMPLE_PARAMS[f"{name}.mp4"]


def rendered(name: str, out: Path) -> tuple[Path, float]:
    """The clip's landmarks (rendered and posed once) and its true reach."""
    params = side_runner(CLIPS[name])
    return posed_clip(name, params, out), true_reach_pct(params)


def reach_of(prepared: object, settings: AnalysisSettings) -> float | None:
    value = measure(prepared, settings).metrics[REACH].extra.get("reach_pctleg")  # type: ignore[arg-type]
    return None if value is None else float(value)


def trend_and_scatter(true_pct: np.ndarray, error_pct: np.ndarray) -> tuple[np.ndarray, float, int]:
    """The clip errors' straight-line trend with the true reach (intercept at a reach of 25 %leg, slope), and the
    residual standard deviation about it with its degrees of freedom: the part of the error that does not repeat
    from one clip of a runner to the next, which becomes the landmark term."""
    design = np.vstack([np.ones_like(true_pct), true_pct - 25.0]).T
    coef, *_ = np.linalg.lstsq(design, error_pct, rcond=None)
    residual = error_pct - design @ coef
    dof = len(error_pct) - 2
    return coef, float(np.sqrt((residual**2).sum() / dof)), dof


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "formcheck_reach")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    clips = [(name, *rendered(name, args.out)) for name in CLIPS]
    for name in SAMPLES:
        clips.append((name, CACHE_DIR / f"{name}.npz", true_reach_pct(sample_params(name))))
    settings = AnalysisSettings()
    true_pct, errors, half_diffs = [], [], []
    for name, npz, truth_pct in clips:
        prepared = prepare(load_landmarks(npz), settings)
        value = reach_of(prepared, settings)
        parts = halves(prepared)
        by_half = [reach_of(p, settings) for p in parts] if parts else []
        if value is None:
            print(f"{name:22s} true {truth_pct:5.1f}  read n/a")
            continue
        true_pct.append(truth_pct)
        errors.append(value - truth_pct)
        if len(by_half) == 2 and None not in by_half:
            half_diffs.append(float(by_half[1]) - float(by_half[0]))  # type: ignore[arg-type]
        print(
            f"{name:22s} true {truth_pct:5.1f}  read {value:5.1f}  error {errors[-1]:+5.1f}  halves {by_half}"
        )
    t, e = np.array(true_pct), np.array(errors)
    coef, scatter_sd, dof = trend_and_scatter(t, e)
    print(
        f"\nclip error: rms {np.sqrt(np.mean(e**2)):.2f} %leg, {e.min():+.2f} to {e.max():+.2f} ({len(e)} clips)"
    )
    print(f"mean error {e.mean():+.2f}, sd about the mean {e.std(ddof=1):.2f} %leg ({len(e) - 1} dof)")
    print(f"trend: error = {coef[0]:+.2f} {coef[1]:+.3f} x (true reach - 25) %leg")
    print(f"scatter about the trend: {scatter_sd:.2f} %leg (sd, {dof} dof)")
    if half_diffs:
        print(
            f"halves of one clip (constant reach): rms difference {np.sqrt(np.mean(np.square(half_diffs))):.2f} "
            f"%leg, largest {max(half_diffs, key=abs):+.2f} ({len(half_diffs)} clips)"
        )
    diffs = []
    for a, b in MIRROR_PAIRS:
        if not (CACHE_DIR / f"{a}.npz").is_file() or not (CACHE_DIR / f"{b}.npz").is_file():
            continue
        ra, rb = (
            reach_of(prepare(load_landmarks(CACHE_DIR / f"{c}.npz"), settings), settings) for c in (a, b)
        )
        if ra is None or rb is None:
            continue
        diffs.append(rb - ra)
        print(f"mirror {a}/{b}: reach {ra:.1f} / {rb:.1f} %leg, difference {rb - ra:+.2f}")
    if diffs:
        print(
            f"mirror pairs: rms difference {np.sqrt(np.mean(np.square(diffs))):.2f} %leg, per reading "
            f"{np.sqrt(np.mean(np.square(diffs)) / 2):.2f} (a lower bound: a flip is a small change of the picture)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
