"""Regenerate the sample clips and their truth files: ``python sample_videos/make_samples.py [CLIP ...]``.

With clip names (e.g. ``side_overstride_heel.mp4``) only those are rendered: the others keep their bytes.
"""

from __future__ import annotations

import sys
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
    # A clear overstride, what the README's first command shows. A shank 22 deg past vertical at contact with a
    # near-straight knee (4 deg) puts the heel 35.3 % of leg length ahead of the hips (benchmarks/score_reach.py's
    # true reach), past the flag cut-off (config.overstride_reach_pct: flag from 30) by more than the reading's error
    # (rms 1.1 %leg, score_reach.py); shank 14 and knee 8 reached only 25.5, on the good/watch line. Contact 0.27 s
    # (duty factor 0.36): the labelled overstriders (clips/LABELS.md: side_13, 17, 22) read 279-293 ms on the ground;
    # at 0.21 s this runner's foot left the ground before its thigh passed vertical.
    "side_overstride_heel.mp4": RunnerParams(
        view="side",
        cadence_spm=160,
        contact_time_s=0.27,
        foot_strike_angle_deg=18,
        shank_angle_ic_deg=22,
        knee_flexion_ic_deg=4,
        trunk_lean_deg=4,
        **COMMON,
    ),
    "rear_pelvic_drop.mp4": RunnerParams(
        view="rear", cadence_spm=170, pelvic_drop_deg=9, lateral_trunk_lean_deg=2, **COMMON
    ),
}

if __name__ == "__main__":
    here = Path(__file__).parent
    names = sys.argv[1:] or list(SAMPLES)
    unknown = [n for n in names if n not in SAMPLES]
    if unknown:
        sys.exit(f"unknown sample {', '.join(unknown)}: choose from {', '.join(SAMPLES)}")
    for name in names:
        truth = render_clip(SAMPLES[name], here / name)
        print(name, {k: truth.summary[k] for k in list(truth.summary)[:8]})
