"""How far the pose model misreads arm swing: rendered side-view runners of known arm swing, through BlazePose.

    python benchmarks/score_arm_swing.py [--out DIR]   # about 4 min the first time (renders and poses 8 clips)

Renders eight 5 s side-view runners (``formcheck.synth``; true arm swing 40-80 deg, 30/60 fps, landscape/portrait,
treadmill/overground, both directions) into ``--out`` (kept there: a second run only re-reads the landmarks), poses
them as ``formcheck analyze`` does, and adds the two rendered sample clips (sample_videos/, landmarks in
benchmarks/.cache). Prints, per clip, the true swing, formcheck's value and its error, and the value of each half of
its steps (the runner's swing is constant, so what the halves differ by is reading error); then the error's rms, its
trend with the true swing (a compression of small swings that repeats for one runner's arms), the scatter about that
trend, and the rms difference of the halves. The scatter is ``config.UncertaintySettings.landmark_sd["arm_swing_deg"]``
(docs/verdicts.md, "Arm swing's landmark term").
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from landing_args import mismatch_message, params_mismatch  # noqa: E402
from score_split_half import halves  # noqa: E402

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import UsageError  # noqa: E402
from formcheck.pose.run import estimate_landmarks  # noqa: E402
from formcheck.report.landmarks import load_landmarks, save_landmarks  # noqa: E402
from formcheck.synth import RunnerParams, render_clip  # noqa: E402
from formcheck.trajectory_analysis import measure, prepare  # noqa: E402

CACHE_DIR = ROOT / "benchmarks" / ".cache"
# name -> RunnerParams fields (5 s side view, seed 1 unless given).
CLIPS: dict[str, dict[str, object]] = {
    "a40_r": {"arm_swing_deg": 40.0, "direction": "right"},
    "a60_l": {"arm_swing_deg": 60.0, "direction": "left", "cadence_spm": 176.0},
    "a80_r": {"arm_swing_deg": 80.0, "direction": "right", "cadence_spm": 165.0},
    "a50_p": {"arm_swing_deg": 50.0, "orientation": "portrait", "direction": "left"},
    "a70_r60": {"arm_swing_deg": 70.0, "fps": 60.0, "cadence_spm": 172.0},
    "a60_og": {"arm_swing_deg": 60.0, "surface": "overground", "direction": "left", "cadence_spm": 168.0},
    "a45_lean": {"arm_swing_deg": 45.0, "trunk_lean_deg": 3.0, "elbow_angle_deg": 100.0},
    "a75_l": {"arm_swing_deg": 75.0, "direction": "left", "elbow_angle_deg": 75.0, "seed": 3},
}
SAMPLES = ("side_good_form", "side_overstride_heel")


def side_runner(fields: dict[str, object]) -> RunnerParams:
    """A 5 s side-view runner with these RunnerParams fields (``seed`` defaults to 1)."""
    fields = dict(fields)
    return RunnerParams(view="side", duration_s=5.0, seed=int(fields.pop("seed", 1)), **fields)  # type: ignore[arg-type]


def posed_clip(name: str, params: RunnerParams, out: Path) -> Path:
    """``out/<name>.npz``: the clip rendered and posed once (both kept in ``out`` for the next run). A clip in ``out``
    rendered with other parameters (another landing, before issue 15's switch) is refused, not re-used."""
    video, npz = out / f"{name}.mp4", out / f"{name}.npz"
    truth = out / f"{name}.truth.json"
    if video.is_file() and truth.is_file() and params_mismatch(truth, params):
        raise UsageError(mismatch_message(video, params_mismatch(truth, params)))
    if not video.is_file():
        render_clip(params, video)
    if not npz.is_file():
        save_landmarks(estimate_landmarks(video, AnalysisSettings()).landmarks, npz)
    return npz


def rendered(name: str, out: Path) -> tuple[Path, float]:
    """The clip's landmarks (rendered and posed once) and its true arm swing."""
    npz = posed_clip(name, side_runner(CLIPS[name]), out)
    truth = json.loads((out / f"{name}.truth.json").read_text())
    return npz, float(truth["summary"]["arm_swing_deg"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "formcheck_arm_swing")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    clips = [(name, *rendered(name, args.out)) for name in CLIPS]
    for name in SAMPLES:
        truth = json.loads((ROOT / "sample_videos" / f"{name}.truth.json").read_text())
        clips.append((name, CACHE_DIR / f"{name}.npz", float(truth["summary"]["arm_swing_deg"])))
    settings = AnalysisSettings()
    true_deg, errors, half_diffs = [], [], []
    for name, npz, truth_deg in clips:
        prepared = prepare(load_landmarks(npz), settings)
        value = measure(prepared, settings).metrics["arm_swing_deg"].value
        parts = halves(prepared)
        by_half = [measure(p, settings).metrics["arm_swing_deg"].value for p in parts] if parts else []
        true_deg.append(truth_deg)
        errors.append(float(value) - truth_deg)
        if len(by_half) == 2 and None not in by_half:
            half_diffs.append(float(by_half[1]) - float(by_half[0]))
        print(
            f"{name:22s} true {truth_deg:5.1f}  read {value:5.1f}  error {errors[-1]:+5.1f}  halves {by_half}"
        )
    t, e = np.array(true_deg), np.array(errors)
    design = np.vstack([np.ones_like(t), t - 60.0]).T
    coef, *_ = np.linalg.lstsq(design, e, rcond=None)
    residual = e - design @ coef
    dof = len(e) - 2
    print(f"\nclip error: rms {np.sqrt(np.mean(e**2)):.1f} deg, {e.min():+.1f} to {e.max():+.1f}")
    print(f"trend: error = {coef[0]:+.1f} {coef[1]:+.2f} x (true swing - 60) deg")
    print(f"scatter about the trend: {np.sqrt((residual**2).sum() / dof):.1f} deg (sd, {dof} dof)")
    print(
        f"halves of one clip (constant swing): rms difference {np.sqrt(np.mean(np.square(half_diffs))):.1f} deg, "
        f"largest {max(half_diffs, key=abs):+.1f} ({len(half_diffs)} clips)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
