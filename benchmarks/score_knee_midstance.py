"""How far the pose model misreads the knee's bend at midstance: rendered side-view runners through BlazePose.

    python benchmarks/score_knee_midstance.py   # minutes the first time (renders and poses what is not cached)

``knee_flexion_midstance_deg`` is the peak knee flexion between contact and toe-off (metrics/stance.py; bands in
config.Thresholds, Souza 2016: good >= 45, watch 40-45). Its truth is exact on the rendered runner
(``formcheck.synth``: 180 - angle(hip, knee, ankle) of the generating skeleton's joints every 2 ms over each
stance, ``truth.json`` steps). Three sets, all side view:

1. exact landmarks (no pose model, no pixels) of five runners at 30/60/120 fps through the analysis: what the
   tracks' filtering and frame sampling alone do to the peak;
2. rendered clips posed by BlazePose: the 13 clips of ``score_at_contact.py`` (three strikes x 30/60/120 fps, 6
   and 9 m; cached in benchmarks/.cache/at_contact), the 8 of ``score_arm_swing.py`` (30/60 fps, both directions,
   landscape/portrait, treadmill/overground; cached in a temp folder) and the two sample clips;
   per clip formcheck's per-leg medians against the truth, then by frame rate the near leg's (the headline) and
   the far leg's mean error, and over all clips the near leg's mean, sd and rms: the rms is the landmark term
   ``config.UncertaintySettings.landmark_sd["knee_flexion_midstance_deg"]``;
3. the real side clips (cached landmarks): near and far leg, and the labelled clips (clips/LABELS.md).
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

from score_arm_swing import CLIPS as ARM_CLIPS  # noqa: E402
from score_arm_swing import posed_clip, side_runner  # noqa: E402
from score_at_contact import WORK_DIR, cases, rendered_and_posed  # noqa: E402

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.processing.scale import near_side as near_leg  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.synth import RunnerParams  # noqa: E402
from formcheck.synth.truth import load_truth  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories, measure, prepare  # noqa: E402

METRIC = "knee_flexion_midstance_deg"
CACHE_DIR = ROOT / "benchmarks" / ".cache"
ARM_DIR = Path(tempfile.gettempdir()) / "formcheck_arm_swing"
SAMPLES = ("side_good_form", "side_overstride_heel")
MATCH_S = (
    0.1  # a formcheck step is matched to the true step of the same leg whose contact is nearest, within this
)
EXACT_RUNNERS: tuple[dict[str, object], ...] = (
    {},
    {"speed_mps": 3.5, "cadence_spm": 180.0, "contact_time_s": 0.19},
    {"knee_flexion_ic_deg": 10.0, "shank_angle_ic_deg": 12.0},
    {"vertical_oscillation_frac": 0.11},
    {"direction": "left", "speed_mps": 2.5, "cadence_spm": 160.0},
)
LABELS = {
    **dict.fromkeys(
        ("side_01", "side_02", "side_06", "side_07", "side_10", "side_12", "side_16", "side_21"), "good"
    ),
    **dict.fromkeys(("side_03", "side_13", "side_17", "side_22"), "overstride"),
}


def near_side(direction: str) -> str:
    """The rendered runner's leg nearer the camera (formcheck/synth/render.py draws the right side moving right)."""
    return "right" if direction == "right" else "left"


def per_leg_errors(analysis, truth_steps: list[dict]) -> dict[str, list[float]]:  # noqa: ANN001
    """formcheck's per-step value minus the matched true step's, by leg."""
    errors: dict[str, list[float]] = {"left": [], "right": []}
    for step, value in zip(analysis.events.steps, analysis.metrics[METRIC].per_step or (), strict=False):
        same_leg = [t for t in truth_steps if t["side"] == step.side and t.get(METRIC) is not None]
        if value is None or not same_leg:
            continue
        best = min(same_leg, key=lambda t: abs(t["contact_s"] - step.contact_s))
        if abs(best["contact_s"] - step.contact_s) <= MATCH_S:
            errors[step.side].append(float(value) - float(best[METRIC]))
    return errors


def exact_errors(settings: AnalysisSettings) -> None:
    from tests.fixtures.synthetic import synthetic_trajectories, truth_median

    print("1. exact landmarks (no pose model): near leg read - true, deg")
    for fields in EXACT_RUNNERS:
        row = []
        for fps in (30.0, 60.0, 120.0):
            params = RunnerParams(view="side", duration_s=5.0, fps=fps, **fields)  # type: ignore[arg-type]
            traj, truth = synthetic_trajectories(params)
            near = near_side(params.direction)
            value = analyze_trajectories(traj, settings).metrics[METRIC].per_side[near]  # type: ignore[index]
            row.append(f"{fps:g} fps {value - truth_median(truth, METRIC, near):+.1f}")
        print(f"  {str(fields) or 'default':60s} " + "  ".join(row))


def rendered_clips(arm_dir: Path = ARM_DIR) -> list[tuple[str, Path, dict]]:
    """(name, landmarks.npz, truth dict) of every rendered clip, rendering and posing what is not cached (the arm
    swing runners in ``arm_dir``: score_arm_swing.py's ``--out``)."""
    clips = []
    for case in cases():
        npz, truth = rendered_and_posed(case, WORK_DIR)
        clips.append((case.key(), npz, truth))
    for name, fields in ARM_CLIPS.items():
        npz = posed_clip(name, side_runner(fields), arm_dir)
        clips.append((name, npz, load_truth(arm_dir / f"{name}.truth.json")))
    for name in SAMPLES:
        clips.append(
            (name, CACHE_DIR / f"{name}.npz", load_truth(ROOT / "sample_videos" / f"{name}.truth.json"))
        )
    return clips


def posed_errors(settings: AnalysisSettings, arm_dir: Path = ARM_DIR) -> None:
    print("\n2. through the pose model: clip median of (read - true), deg, by leg")
    by_fps: dict[float, list[tuple[float, float]]] = {}
    for name, npz, truth in rendered_clips(arm_dir):
        params = truth["params"]
        analysis = analyze_trajectories(load_landmarks(npz), settings)
        errors = per_leg_errors(analysis, truth["steps"])
        near = near_side(params["direction"])
        far = "left" if near == "right" else "right"
        if not errors[near]:
            print(f"  {name:34s} no near-leg step matched")
            continue
        e_near, e_far = float(np.median(errors[near])), float(np.median(errors[far] or [np.nan]))
        by_fps.setdefault(float(params["fps"]), []).append((e_near, e_far))
        print(
            f"  {name:34s} {params['fps']:4.0f} fps  read {analysis.metrics[METRIC].value}  "
            f"near {e_near:+5.1f} (n={len(errors[near])})  far {e_far:+5.1f} (n={len(errors[far])})"
        )
    every_near = []
    for fps, rows in sorted(by_fps.items()):
        near_e = np.array([r[0] for r in rows])
        far_e = np.array([r[1] for r in rows])
        every_near += list(near_e)
        print(
            f"  {fps:4.0f} fps: near mean {near_e.mean():+.2f} (range {near_e.min():+.1f} to {near_e.max():+.1f}, "
            f"{len(near_e)} clips), far mean {np.nanmean(far_e):+.2f}"
        )
    e = np.array(every_near)
    print(
        f"  all {len(e)} clips, near leg: mean {e.mean():+.2f}, sd {e.std(ddof=1):.2f}, "
        f"rms {np.sqrt(np.mean(e**2)):.2f} deg"
    )


def real_clips(settings: AnalysisSettings) -> None:
    print("\n3. real side clips (cached landmarks): headline (near leg), verdict, interval, per leg")
    gaps = []
    for npz in sorted(CACHE_DIR.glob("*.npz")):
        if npz.stem in SAMPLES:
            continue
        try:
            prepared = prepare(load_landmarks(npz), settings)
        except FormcheckError:
            continue
        if prepared.view != "side":
            continue
        m = measure(prepared, settings).metrics[METRIC]
        if m.value is None or not m.per_side:
            continue
        leg = near_leg(prepared.clean)
        near, far = m.per_side.get(leg), m.per_side.get("left" if leg == "right" else "right")
        if near is not None and far is not None:
            gaps.append(near - far)
        lo, hi = m.interval or (float("nan"), float("nan"))
        print(
            f"  {npz.stem:34s} {LABELS.get(npz.stem, '-'):10s} {m.value:5.1f} {m.verdict:10s} "
            f"[{lo:.1f}, {hi:.1f}]  near {near}  far {far}"
        )
    if gaps:
        print(f"  near - far leg: median {np.median(gaps):+.1f} deg over {len(gaps)} clips")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--arm-out",
        type=Path,
        default=ARM_DIR,
        help="score_arm_swing.py's --out (its runners, rendered once)",
    )
    args = ap.parse_args(argv)
    settings = AnalysisSettings()
    exact_errors(settings)
    posed_errors(settings, args.arm_out)
    real_clips(settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
