"""Is a rendered rear/front runner's 60 fps miss a 60 fps fault, or the one-frame bar halving? formcheck's contacts
on each clip's landmarks at its own rate and, for clips at 45 fps and up, on every other frame of the same landmarks
(even frames and odd frames, each read as a clip at half the rate; nothing is posed again), with every error in ms
(docs/contacts.md, "Rear and front at 60 fps: the one-frame bar halves, the error does not").

    python benchmarks/frontal_rate_probe.py DIR [DIR ...] [--view rear|front] [--per-clip]
    python benchmarks/frontal_rate_probe.py DIR --image-mode OUT     # pose DIR's rear/front clips at 45 fps and up
    python benchmarks/frontal_rate_probe.py OUT                      # again, frame by frame in IMAGE mode (no
                                                                     # tracking, no smoothing), and score them
    python benchmarks/frontal_rate_probe.py DIR --flip OUT           # pose DIR's rear/front clips mirrored
    python benchmarks/frontal_rate_probe.py OUT                      # left-right (VIDEO mode), put back and
                                                                     # averaged with their own landmarks; score

``--exact`` also reads each clip's exact landmarks (as drawn, truth.json) through the same analysis: the rules
without the pose model.

Each DIR holds NAME.npz (landmarks) and NAME.truth.json, as render_contact_set.py writes them (and NAME.mp4 for
``--image-mode`` and ``--flip``). Per view and frame rate, pooled over the clips: contacts, within 16.7 ms (one frame
at 60 fps), within 33.3 ms (one frame at 30 fps), the errors' SD and mean (ms), missed. A true contact is matched to
the nearest detected one of its foot within 100 ms. ``--flip`` poses one person (the rendered clips hold one).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.knee_landing_probe import exact_trajectories  # noqa: E402
from benchmarks.score_contacts import match_nearest  # noqa: E402
from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.model import Trajectories  # noqa: E402
from formcheck.report.landmarks import load_landmarks, save_landmarks  # noqa: E402
from formcheck.skeleton import MIRROR  # noqa: E402
from formcheck.synth.truth import load_truth  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402

# A true contact pairs with a detection of its foot within 100 ms (under a third of a step at 180 steps/min).
MATCH_S = 0.1
# Clips at 50 fps and up are also read at half their rate (25-30 fps, the real rear/front clips' rates).
HALF_RATE_MIN_FPS = 45.0
BARS_MS = (1000.0 / 60.0, 1000.0 / 30.0)  # one frame at 60 fps and at 30 fps


def every_other_frame(traj: Trajectories, phase: int) -> Trajectories:
    """The frames ``phase``, ``phase + 2``, ... of ``traj`` as a clip at half its frame rate (the same landmarks,
    as if the camera had filmed at half the rate)."""
    keep = slice(phase, None, 2)
    time_s = traj.time_s[keep]
    info = dataclasses.replace(traj.video, fps=traj.video.fps / 2.0, n_frames=len(time_s))
    world = None if traj.world_xyz is None else traj.world_xyz[keep]
    repeated = None if traj.repeated is None else traj.repeated[keep]
    return traj.replace(
        xy_px=traj.xy_px[keep],
        visibility=traj.visibility[keep],
        time_s=time_s,
        video=info,
        world_xyz=world,
        repeated=repeated,
    )


def contact_errors_ms(
    detected: dict[str, list[float]], truth: dict[str, list[float]]
) -> tuple[list[float], int]:
    """(detected - true contact time in ms for each matched true contact, number of true contacts missed), per
    foot: ``detected`` and ``truth`` map a side to its contact times in seconds."""
    errors: list[float] = []
    missed = 0
    for side, true_s in truth.items():
        got = detected.get(side, [])
        pairs = match_nearest(list(true_s), got, MATCH_S)
        errors += [1000.0 * (got[j] - true_s[i]) for i, j in pairs]
        missed += len(true_s) - len(pairs)
    return errors, missed


def summary(errors_ms: list[float], missed: int) -> dict[str, float]:
    """Share of all true contacts within each of ``BARS_MS`` (a missed one counts as outside), SD and mean (ms)."""
    err = np.asarray(errors_ms, dtype=float)
    n = len(err) + missed
    out = {"contacts": float(n), "missed": float(missed)}
    for bar in BARS_MS:
        out[f"within_{bar:.1f}_ms"] = float(np.sum(np.abs(err) <= bar + 1e-9) / n) if n else float("nan")
    out["sd_ms"] = float(np.std(err)) if err.size else float("nan")
    out["mean_ms"] = float(np.mean(err)) if err.size else float("nan")
    return out


def detected_contacts(traj: Trajectories, settings: AnalysisSettings) -> tuple[str, dict[str, list[float]]]:
    """(view, each foot's contact times in seconds) of formcheck's analysis of ``traj``; no steps when refused."""
    try:
        analysis = analyze_trajectories(traj, settings)
    except FormcheckError:
        return "refused", {}
    out: dict[str, list[float]] = {"left": [], "right": []}
    for step in analysis.events.steps:
        out[step.side].append(step.contact_s)
    return analysis.view, out


def _fmt(name: str, s: dict[str, float]) -> str:
    a, b = BARS_MS
    return (
        f"{name:44s} {int(s['contacts']):4d} contacts  within {a:.1f} ms {100 * s[f'within_{a:.1f}_ms']:5.1f}%  "
        f"within {b:.1f} ms {100 * s[f'within_{b:.1f}_ms']:5.1f}%  sd {s['sd_ms']:5.1f} ms  mean "
        f"{s['mean_ms']:+5.1f} ms  missed {int(s['missed'])}"
    )


def unmirrored(mirrored: Trajectories, width: float) -> Trajectories:
    """Landmarks posed on the left-right mirrored picture, put back into the picture: x -> ``width`` - x (the
    picture's columns reversed), and each left landmark swapped with its right one (``skeleton.MIRROR``: the pose
    model names the mirrored runner's left leg "right")."""
    xy = mirrored.xy_px[:, list(MIRROR)].copy()
    xy[..., 0] = width - xy[..., 0]
    return mirrored.replace(xy_px=xy, visibility=mirrored.visibility[:, list(MIRROR)], world_xyz=None)


def averaged(a: Trajectories, b: Trajectories) -> Trajectories:
    """The mean of two readings of the same frames, landmark by landmark; where one is missing, the other; the
    visibility of the two the lower where both are read."""
    both = np.isfinite(a.xy_px) & np.isfinite(b.xy_px)
    xy = np.where(both, 0.5 * (a.xy_px + b.xy_px), np.where(np.isfinite(a.xy_px), a.xy_px, b.xy_px))
    seen = both.all(axis=2)
    vis = np.where(seen, np.minimum(a.visibility, b.visibility), np.maximum(a.visibility, b.visibility))
    return a.replace(xy_px=xy, visibility=vis, world_xyz=None)


def _pose_each_frame(video: Path, like: Trajectories, still_images: bool, mirror: bool) -> Trajectories:
    """``video`` posed with one pose a frame (IMAGE mode when ``still_images``, else VIDEO mode), each frame
    mirrored left-right first when ``mirror``, on the frame times of ``like``."""
    from formcheck.pose.mediapipe_backend import MediaPipePose
    from formcheck.pose.models import resolve_model
    from formcheck.video import VideoReader

    model_path, model_name = resolve_model(None)
    xy = np.full_like(like.xy_px, np.nan)
    vis = np.zeros_like(like.visibility)
    with (
        MediaPipePose(str(model_path), model_name, still_images=still_images) as pose,
        VideoReader(str(video)) as reader,
    ):
        for i, frame in enumerate(reader):
            rgb = np.ascontiguousarray(frame.rgb[:, ::-1]) if mirror else frame.rgb
            found = pose.detect(rgb, frame.time_s)
            if found and i < len(xy):
                xy[i], vis[i] = found[0].xy_px, found[0].visibility
    return like.replace(xy_px=xy, visibility=vis, world_xyz=None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--view", choices=("rear", "front"), help="only this view (default: both)")
    ap.add_argument("--per-clip", action="store_true")
    ap.add_argument("--exact", action="store_true", help="also read the clips' exact (drawn) landmarks")
    ap.add_argument(
        "--image-mode", type=Path, metavar="OUT", help="pose the clips again in IMAGE mode into OUT"
    )
    ap.add_argument(
        "--flip", type=Path, metavar="OUT", help="pose the clips mirrored, average, write into OUT"
    )
    args = ap.parse_args(argv)
    settings = AnalysisSettings()
    if args.image_mode is not None or args.flip is not None:
        out = args.image_mode if args.image_mode is not None else args.flip
        out.mkdir(parents=True, exist_ok=True)
        for folder in args.dirs:
            for video in sorted(folder.glob("*.mp4")):
                truth, cache = video.with_suffix(".truth.json"), video.with_suffix(".npz")
                if not (truth.is_file() and cache.is_file()):
                    continue
                view = json.loads(truth.read_text())["params"]["view"]
                like = load_landmarks(cache)
                if view == "side" or (args.view and view != args.view):
                    continue
                if args.flip is not None:
                    mirrored = _pose_each_frame(video, like, still_images=False, mirror=True)
                    posed = averaged(like, unmirrored(mirrored, like.video.width))
                elif like.fps >= HALF_RATE_MIN_FPS:
                    posed = _pose_each_frame(video, like, still_images=True, mirror=False)
                else:
                    continue
                save_landmarks(posed, out / cache.name)
                shutil.copy(truth, out / truth.name)
                print(f"{video.stem}: posed again", flush=True)
        return 0
    pooled: dict[str, tuple[list[float], int]] = {}

    def add(key: str, errors: list[float], missed: int) -> None:
        e, m = pooled.get(key, ([], 0))
        pooled[key] = (e + errors, m + missed)

    for folder in args.dirs:
        for truth_path in sorted(folder.glob("*.truth.json")):
            name = truth_path.name.removesuffix(".truth.json")
            truth = load_truth(truth_path)
            view = truth["params"]["view"]
            cache = folder / f"{name}.npz"
            if view == "side" or (args.view and view != args.view) or not cache.is_file():
                continue
            true_s = {side: list(ev["contact_s"]) for side, ev in truth["events"].items()}
            traj = load_landmarks(cache)
            fps = round(traj.fps)
            reads = [(f"{fps} fps", traj)]
            if traj.fps >= HALF_RATE_MIN_FPS:
                reads += [(f"{fps} fps, every other frame", every_other_frame(traj, p)) for p in (0, 1)]
            if args.exact:
                reads.append((f"{fps} fps, exact landmarks", exact_trajectories(truth)))
            for label, tr in reads:
                _, detected = detected_contacts(tr, settings)
                errors, missed = contact_errors_ms(detected, true_s)
                add(f"{view} {label}", errors, missed)
                if args.per_clip:
                    print(_fmt(f"{name} ({label})", summary(errors, missed)))
    for key in sorted(pooled):
        print(_fmt(key, summary(*pooled[key])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
