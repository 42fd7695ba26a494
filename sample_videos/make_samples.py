"""Regenerate the sample clips and their truth files: ``python sample_videos/make_samples.py``."""

from __future__ import annotations

from pathlib import Path

from formcheck.synth import RunnerParams, render_clip

COMMON = dict(duration_s=7.0, fps=30.0, short_side_px=480, crf=28, seed=7)
SAMPLES = {
    "side_good_form.mp4": RunnerParams(
        view="side",
        cadence_spm=176,
        foot_strike_angle_deg=3,
        shank_angle_ic_deg=3,
        trunk_lean_deg=7,
        **COMMON,
    ),
    "side_overstride_heel.mp4": RunnerParams(
        view="side",
        cadence_spm=160,
        foot_strike_angle_deg=18,
        shank_angle_ic_deg=14,
        knee_flexion_ic_deg=8,
        trunk_lean_deg=4,
        **COMMON,
    ),
    "rear_pelvic_drop.mp4": RunnerParams(
        view="rear", cadence_spm=170, pelvic_drop_deg=9, lateral_trunk_lean_deg=2, **COMMON
    ),
}

if __name__ == "__main__":
    here = Path(__file__).parent
    for name, params in SAMPLES.items():
        truth = render_clip(params, here / name)
        print(name, {k: truth.summary[k] for k in list(truth.summary)[:8]})
