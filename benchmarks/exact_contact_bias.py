"""Contact timing on the rendered runner's EXACT landmarks (no rendering, no pose model): the side-view runners of
``render_contact_set.py``, formcheck's contacts against the generator's, mean signed error and share within one
frame, per frame rate (docs/contacts.md "How the rendered runner lands").

    python benchmarks/exact_contact_bias.py [--landing-cushion-s S] [--late-knee-extension true|false]
                                            [--touchdown-forward-frac F] [--knee-only]

Without the landing flags the runners land as ``RunnerParams``' default (late knee, 0.04 s cushion); the landing
before issue 15's switch: ``--late-knee-extension false --landing-cushion-s 0``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.landing_args import add_landing_args, landing_changes  # noqa: E402
from benchmarks.render_contact_set import CONTACT_SET  # noqa: E402
from benchmarks.score_contacts import match_nearest  # noqa: E402
from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.synth import RunnerParams  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402
from tests.fixtures.synthetic import synthetic_trajectories  # noqa: E402


def contact_errors_frames(params: RunnerParams, settings: AnalysisSettings | None = None) -> np.ndarray:
    """(detected - true contact time) x fps of every matched contact of one rendered runner's exact landmarks."""
    traj, truth = synthetic_trajectories(params)
    analysis = analyze_trajectories(traj, settings or AnalysisSettings())
    true_s = sorted(t for ev in truth.events.values() for t in ev["contact_s"])
    det_s = [st.contact_s for st in analysis.events.steps]
    pairs = match_nearest(true_s, det_s, 0.15)
    return np.array([(det_s[j] - true_s[i]) * params.fps for i, j in pairs])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_landing_args(ap, touchdown=True)
    ap.add_argument(
        "--knee-only", action="store_true", help="the knee's marker alone (gait.settle_velocity_fraction=0)"
    )
    args = ap.parse_args(argv)
    settings = AnalysisSettings()
    if args.knee_only:
        settings = dataclasses.replace(
            settings, gait=dataclasses.replace(settings.gait, settle_velocity_fraction=0.0)
        )
    by_fps: dict[int, list[float]] = {}
    for name, params in CONTACT_SET.items():
        if params.view != "side":
            continue
        params = params.replace(**landing_changes(args))
        err = contact_errors_frames(params, settings)
        by_fps.setdefault(int(params.fps), []).extend(err.tolist())
        print(
            f"{name:10s} {len(err):3d} contacts  mean {err.mean():+.2f} fr  within 1 frame {np.mean(np.abs(err) <= 1):.0%}"
        )
    for fps, errs in sorted(by_fps.items()):
        e = np.array(errs)
        print(
            f"{fps:3d} fps: {e.size} contacts, mean {e.mean():+.2f} fr ({e.mean() / fps * 1000:+.1f} ms), "
            f"within 1 frame {np.mean(np.abs(e) <= 1):.0%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
