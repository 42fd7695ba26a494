"""Why the rendered front view's contacts (the leg's longest reach, ``gait.frontal.leg_reach_time``) miss at 60 fps:
the pose model's tracks against the rendered runner's exact ones, per clip (docs/contacts.md, "Rear and front at
60 fps: looked at, not changed").

    python benchmarks/front_reach_probe.py DIR/front60_drop9 [DIR/chk_front60_165 ...] [--per-contact]

Each NAME needs NAME.npz (landmarks, as render_contact_set.py writes) and NAME.truth.json. Per clip:
- lag (frames; + = the pose later) and amplitude (pose / exact) of the vertical tracks the reach reads: the hip
  centre, the shoulder centre, each ankle (cross-correlation over the clip, sub-frame by a parabola);
- each ankle's height at the true contacts, pose minus exact (% of the leg; - = the pose ankle higher);
- the size scale (``frontal.size_scale_px``): its change across each contact (50 ms after / 50 ms before - 1, %);
  on a treadmill the runner's true size does not change;
- the reach's top through the pose model: its width (ms within 0.01 leg of the top) and where its highest frame
  lies from the true contact (frames), against the exact reach's;
- formcheck's contact error per foot (frames, mean and range).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.gait import frontal  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import prepare  # noqa: E402

TOP_LEG = (
    0.01  # "the top": within 0.01 leg of the reach's highest frame (about the ankle's frame-to-frame jitter)
)


def lag_frames(exact: np.ndarray, pose: np.ndarray, max_lag: int = 8) -> tuple[float, float]:
    """(lag in frames, + = pose later; amplitude pose / exact) of two vertical tracks, by cross-correlation."""
    n = min(len(exact), len(pose))
    e = exact[:n] - np.nanmean(exact[:n])
    q = np.nan_to_num(pose[:n] - np.nanmean(pose[:n]))
    lags = np.arange(-max_lag, max_lag + 1)
    cc = np.array([np.sum(e[max(0, -k) : n - max(0, k)] * q[max(0, k) : n - max(0, -k)]) for k in lags])
    i = int(np.argmax(cc))
    shift = 0.0
    if 0 < i < len(cc) - 1 and cc[i - 1] - 2 * cc[i] + cc[i + 1] < 0:
        shift = 0.5 * (cc[i - 1] - cc[i + 1]) / (cc[i - 1] - 2 * cc[i] + cc[i + 1])
    return float(lags[i] + shift), float(np.std(q) / np.std(e))


def top_of(reach: np.ndarray, k: int, half: int) -> tuple[int, int]:
    """(highest frame, frames within TOP_LEG of it) of ``reach`` within ``half`` frames of frame ``k``."""
    lo, hi = max(0, k - half), min(len(reach), k + half + 1)
    seg = reach[lo:hi]
    if not np.isfinite(seg).any():
        return k, 0
    j = lo + int(np.nanargmax(seg))
    return j, int(np.sum(seg >= reach[j] - TOP_LEG))


def probe(clip: str, per_contact: bool) -> None:
    raw = load_landmarks(Path(f"{clip}.npz"))
    truth = json.loads(Path(f"{clip}.truth.json").read_text())
    exact = np.array(truth["frames"]["landmarks_px"])
    names = truth["landmark_names"]
    settings = AnalysisSettings()
    p = prepare(raw, settings)
    fps, leg = p.clean.fps, float(truth["leg_length_px"])

    def exact_y(a: str, b: str) -> np.ndarray:
        return 0.5 * (exact[:, names.index(a), 1] + exact[:, names.index(b), 1])

    print(f"{Path(clip).name}: view {p.view}, {fps:.0f} fps, leg {leg:.0f} px")
    tracks = [
        ("hips", "left_hip", "right_hip"),
        ("shoulders", "left_shoulder", "right_shoulder"),
        ("left ankle", "left_ankle", "left_ankle"),
        ("right ankle", "right_ankle", "right_ankle"),
    ]
    cells = []
    for label, a, b in tracks:
        lag, amp = lag_frames(exact_y(a, b), p.sharp.mid(a, b)[:, 1])
        cells.append(f"{label} {lag:+.2f} fr ({1000 * lag / fps:+.0f} ms) x{amp:.2f}")
    print("  lag, amplitude: " + " | ".join(cells))
    segment = frontal.cut_segments(p.sharp, settings.gait.frontal_cut_torso_per_frame)
    stride = p.events.stride_time_s or settings.gait.typical_stride_s
    scale = frontal.frontal_signals(p.clean, p.leg_length_px, stride, segment).scale_px
    hip_pose = p.sharp.mid("left_hip", "right_hip")[:, 1]
    hip_exact = exact_y("left_hip", "right_hip")
    d50 = max(1, int(round(0.05 * fps)))
    half = max(2, int(round(0.1 * fps)))
    for side in ("left", "right"):
        ankle_pose = p.sharp.point(f"{side}_ankle")[:, 1]
        ankle_exact = exact[:, names.index(f"{side}_ankle"), 1]
        reach_pose = (ankle_pose - hip_pose) / scale
        reach_exact = (ankle_exact - hip_exact) / leg
        rows, height, ripple, width, top_pose, top_exact = [], [], [], [], [], []
        for t_c in truth["events"][side]["contact_s"]:
            k = int(round(t_c * fps))
            if k - d50 < 0 or k + max(d50, half) >= min(len(scale), len(ankle_exact)):
                continue
            height.append(100 * (ankle_pose[k] - ankle_exact[k]) / leg)
            ripple.append(100 * (scale[k + d50] / scale[k - d50] - 1))
            j_pose, n_top = top_of(reach_pose, k, half)
            j_exact, _ = top_of(reach_exact, k, half)
            width.append(1000 * n_top / fps)
            top_pose.append(j_pose - t_c * fps)
            top_exact.append(j_exact - t_c * fps)
            rows.append(
                f"    {side} at frame {t_c * fps:7.2f}: ankle {height[-1]:+.1f}% leg, scale {ripple[-1]:+.1f}%, "
                f"top {width[-1]:.0f} ms wide, highest frame {top_pose[-1]:+.2f} (exact {top_exact[-1]:+.2f})"
            )
        errors = [
            (s.contact_s - min(truth["events"][side]["contact_s"], key=lambda c: abs(c - s.contact_s))) * fps
            for s in p.events.steps
            if s.side == side
        ]
        errors = [e for e in errors if abs(e) < 0.15 * fps]
        print(
            f"  {side}: ankle at contact {np.nanmean(height):+.1f}% leg; scale across contact "
            f"{np.mean(ripple):+.1f}% ({min(ripple):+.1f} to {max(ripple):+.1f}); top {np.mean(width):.0f} ms wide, "
            f"highest frame {np.mean(top_pose):+.2f} fr (exact {np.mean(top_exact):+.2f}); formcheck "
            f"{np.mean(errors):+.2f} fr ({min(errors):+.2f} to {max(errors):+.2f}, {len(errors)} contacts)"
        )
        if per_contact:
            print("\n".join(rows))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clips", nargs="+", help="DIR/NAME of a rendered front clip (NAME.npz, NAME.truth.json)")
    ap.add_argument("--per-contact", action="store_true")
    args = ap.parse_args(argv)
    for clip in args.clips:
        if not (Path(f"{clip}.npz").is_file() and Path(f"{clip}.truth.json").is_file()):
            print(
                f"{clip}.npz or .truth.json missing: render it with benchmarks/render_contact_set.py",
                file=sys.stderr,
            )
            return 2
    for clip in args.clips:
        probe(clip, args.per_contact)
    return 0


if __name__ == "__main__":
    sys.exit(main())
