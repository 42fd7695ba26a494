"""The landing leg's knee around contact: real runners (labelled contacts) against the rendered runner.

    python benchmarks/knee_landing_probe.py real                   # 302 labels, side-view clips, cached landmarks
    python benchmarks/knee_landing_probe.py synth DIR [DIR ...]    # rendered clips: <name>.truth.json + <name>.npz
    python benchmarks/knee_landing_probe.py exact                  # the generator itself, every 1 ms
    python benchmarks/knee_landing_probe.py exact-set [--param landing_cushion_s=0.04 ...]
                                                    # render_contact_set's side runners, exact landmarks, no video

For each contact: the knee flexion (deg) of the leg that lands (the side of formcheck's matched step), at -6..+6
frames around the contact frame (the labelled frame; on rendered clips the first frame at or after the true contact),
from the filtered tracks the detector reads (``Analysis.clean``). Medians over contacts per clip and pooled by frame
rate, in ms and deg, with the median flexion rate (deg/s, central differences in time) at each offset. The rendered
clips are read twice: through the pose model (the ``.npz``) and on their exact landmarks (truth.json's frames, the
same filter). ``exact`` prints the generator's knee flexion rate around contact at 1 ms (no frames, no filter).
docs/contacts.md "How the rendered runner lands".
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.score_contacts import (  # noqa: E402
    CACHE_DIR,
    LABELS_DIR,
    match_nearest,
    read_labels,
    real_clips,
)
from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.geometry import joint_angle_deg  # noqa: E402
from formcheck.model import Trajectories  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.synth import RunnerParams  # noqa: E402
from formcheck.synth.gait_model import build_gait, leg_sagittal  # noqa: E402
from formcheck.synth.truth import load_truth  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402

OFFSETS = np.arange(-6, 7)


def knee_flexion_deg(traj: Trajectories, side: str) -> np.ndarray:
    """180 - the hip-knee-ankle angle, per frame."""
    return 180.0 - joint_angle_deg(
        traj.point(f"{side}_hip"), traj.point(f"{side}_knee"), traj.point(f"{side}_ankle")
    )


def landing_geometry(analysis, side: str) -> np.ndarray:  # noqa: ANN001 - an Analysis
    """Per frame, in leg lengths: the ankle ahead of the hips' midpoint, the hip's and the ankle's upward velocity
    (per s) and the rate of the hip-ankle distance (per s), from the filtered tracks. Near a straight leg that
    distance's rate sets the knee's (docs/contacts.md "Why the rendered stance knee jumps")."""
    clean, leg = analysis.clean, analysis.leg_length_px
    hip, ankle = clean.point(f"{side}_hip"), clean.point(f"{side}_ankle")
    forward = 1 if analysis.direction == "right" else -1
    ahead = forward * (ankle[:, 0] - clean.mid("left_hip", "right_hip")[:, 0]) / leg
    hip_up = -np.gradient(hip[:, 1], clean.time_s) / leg
    ankle_up = -np.gradient(ankle[:, 1], clean.time_s) / leg
    reach_rate = np.gradient(np.linalg.norm(ankle - hip, axis=1), clean.time_s) / leg
    return np.column_stack([ahead, hip_up, ankle_up, reach_rate])


def windows_around(
    raw: Trajectories, contact_s: list[float], settings: AnalysisSettings
) -> tuple[list[np.ndarray], float] | None:
    """(per matched contact, the knee flexion and ``landing_geometry`` at OFFSETS around its frame, (13, 5); fps), or
    None when formcheck refuses the clip or it is not a side view."""
    try:
        analysis = analyze_trajectories(raw, settings)
    except FormcheckError:
        return None
    if analysis.view != "side":
        return None
    steps = analysis.events.steps
    time_s = analysis.clean.time_s
    step_s = analysis.events.stride_time_s / 2 if analysis.events.stride_time_s else 0.35
    flex = {side: knee_flexion_deg(analysis.clean, side) for side in ("left", "right")}
    geo = {side: landing_geometry(analysis, side) for side in ("left", "right")}
    out = []
    for i, j in match_nearest(contact_s, [st.contact_s for st in steps], min(0.15, 0.6 * step_s)):
        k = int(np.searchsorted(time_s, contact_s[i] - 1e-6))
        idx = k + OFFSETS
        if idx[0] < 0 or idx[-1] >= len(time_s):
            continue
        out.append(np.column_stack([flex[steps[j].side][idx], geo[steps[j].side][idx]]))
    return out, raw.fps


def summarize(name: str, windows: list[np.ndarray], fps: float) -> str:
    g = np.array(windows)
    w = g[..., 0]
    t_ms = OFFSETS / fps * 1000.0
    rate = np.gradient(w, OFFSETS / fps, axis=1)
    rel = w - w[:, OFFSETS == 0]
    lines = [f"{name}: {len(w)} contacts at {fps:.0f} fps"]
    lines.append("  ms    " + " ".join(f"{t:6.0f}" for t in t_ms))
    lines.append("  deg   " + " ".join(f"{v:6.1f}" for v in np.nanmedian(w, axis=0)))
    lines.append("  d deg " + " ".join(f"{v:+6.1f}" for v in np.nanmedian(rel, axis=0)))
    lines.append("  deg/s " + " ".join(f"{v:6.0f}" for v in np.nanmedian(rate, axis=0)))
    for k, label in (
        (1, "ankle ahead of hips, leg"),
        (2, "hip up, leg/s"),
        (3, "ankle up, leg/s"),
        (4, "hip-ankle d', leg/s"),
    ):
        lines.append(f"  {label:26s}" + " ".join(f"{v:+6.2f}" for v in np.nanmedian(g[..., k], axis=0)))
    # The knee's straightest frame relative to the contact frame (the detector's knee marker, in frames).
    k_min = OFFSETS[np.nanargmin(w[:, 2:-2], axis=1) + 2]
    lines.append(
        f"  straightest frame (of -4..+4): median {np.median(k_min):+.1f}, mean {np.mean(k_min):+.2f} frames"
    )
    return "\n".join(lines)


def report(groups: dict[str, list[tuple[str, list[np.ndarray], float]]]) -> None:
    for group, clips in groups.items():
        for name, windows, fps in clips:
            if windows:
                print(summarize(name, windows, fps))
        by_fps: dict[int, list[np.ndarray]] = {}
        for _, windows, fps in clips:
            by_fps.setdefault(int(round(fps)), []).extend(windows)
        for fps, windows in sorted(by_fps.items()):
            print(summarize(f"POOLED {group} {fps} fps", windows, fps))
        print()


def real(settings: AnalysisSettings) -> None:
    clips = []
    for name, raw, path in real_clips(LABELS_DIR, CACHE_DIR):
        labels = read_labels(path, raw.time_s)
        got = windows_around(raw, [lab.contact_s for lab in labels], settings)
        if got is not None:
            clips.append((name, got[0], got[1]))
    report({"real": clips})


def exact_trajectories(truth: dict) -> Trajectories:
    """The rendered clip's exact landmarks (as drawn) as tracks, with the clip's video metadata."""
    from formcheck.model import VideoInfo

    t = truth["frames"]["time_s"]
    xy = truth["frames"]["landmarks_px"]
    v = truth["video"]
    info = VideoInfo("exact.mp4", v["width"], v["height"], v["fps"], len(t), len(t) / v["fps"])
    return Trajectories(xy_px=xy, visibility=np.ones(xy.shape[:2]), time_s=t, video=info)


def synth(dirs: list[Path], settings: AnalysisSettings) -> None:
    posed, exact = [], []
    for d in dirs:
        for truth_path in sorted(d.glob("*.truth.json")):
            name = truth_path.name.removesuffix(".truth.json")
            truth = load_truth(truth_path)
            if truth["params"]["view"] != "side":
                continue
            contacts = sorted(t for ev in truth["events"].values() for t in ev["contact_s"])
            got = windows_around(exact_trajectories(truth), contacts, settings)
            if got is not None:
                exact.append((name, got[0], got[1]))
            cache = d / f"{name}.npz"
            if cache.is_file():
                got = windows_around(load_landmarks(cache), contacts, settings)
                if got is not None:
                    posed.append((name, got[0], got[1]))
    report({"rendered, exact landmarks": exact, "rendered, pose model": posed})


def exact_set(settings: AnalysisSettings, changes: dict) -> None:
    """The contact set's side-view runners on their exact landmarks (no rendering), with ``changes`` to their
    params (e.g. landing_cushion_s=0.04), read like the real clips."""
    from benchmarks.render_contact_set import CONTACT_SET
    from tests.fixtures.synthetic import synthetic_trajectories

    clips = []
    for name, params in CONTACT_SET.items():
        if params.view != "side":
            continue
        traj, truth = synthetic_trajectories(params.replace(**changes))
        contacts = sorted(t for ev in truth.events.values() for t in ev["contact_s"])
        got = windows_around(traj, contacts, settings)
        if got is not None:
            clips.append((name, got[0], got[1]))
    report({f"rendered, exact landmarks {changes}": clips})


def exact_generator() -> None:
    """The generator's knee flexion rate around contact, every 1 ms, for the contact set's runners."""
    from benchmarks.render_contact_set import FOREFOOT, MIDFOOT, OVERSTRIDE

    runners = {"good": {}, "forefoot": FOREFOOT, "midfoot": MIDFOOT, "overstride": OVERSTRIDE}
    t_ms = np.arange(-60, 101, 1)
    for name, kw in runners.items():
        p = RunnerParams(**kw)
        g = build_gait(p)
        leg = leg_sagittal(g, "left", p.first_contact_s + t_ms / 1000.0)
        flex = 180.0 - joint_angle_deg(leg["hip"], leg["knee"], leg["ankle"])
        rate = np.gradient(flex, t_ms / 1000.0)
        show = [-60, -40, -20, -10, -5, 0, 5, 10, 20, 30, 40, 60, 80, 100]
        sel = np.searchsorted(t_ms, show)
        print(
            f"{name}: knee at contact {flex[t_ms == 0][0]:.1f} deg, peak in stance {flex[t_ms >= 0].max():.1f}"
        )
        print("  ms    " + " ".join(f"{t:6d}" for t in show))
        print("  deg   " + " ".join(f"{v:6.1f}" for v in flex[sel]))
        print("  deg/s " + " ".join(f"{v:6.0f}" for v in rate[sel]))
        early = (t_ms > 0) & (t_ms <= 50)
        print(f"  peak flexion rate in the first 50 ms of stance {rate[early].max():.0f} deg/s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("real", "synth", "exact", "exact-set"))
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="exact-set: change the runners' RunnerParams, e.g. landing_cushion_s=0.04 late_knee_extension=True",
    )
    args = ap.parse_args(argv)
    settings = AnalysisSettings()
    if args.what == "real":
        real(settings)
    elif args.what == "synth":
        if not args.dirs:
            print(
                "synth needs one or more folders of rendered clips (<name>.truth.json, <name>.npz)",
                file=sys.stderr,
            )
            return 2
        synth(args.dirs, settings)
    elif args.what == "exact-set":
        changes = {}
        for item in args.param:
            field_name, value = item.split("=", 1)
            changes[field_name] = ast.literal_eval(value)
        exact_set(settings, changes)
    else:
        exact_generator()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
