"""Probe: does the foot region's optical flow place side-view contacts better than the landmarks?

For each labelled side-view clip, formcheck's contacts are found from the cached landmarks as usual. Around each
one (+-4 frames) the picture decides instead: Lucas-Kanade flow (OpenCV) of corner features in a box around the
contacting foot's heel and toe landmarks gives the foot's image motion frame to frame; the motion it keeps in
stance (median over 2-5 frames after formcheck's contact: still overground, the belt's on a treadmill, the
background's with a following camera) is the ground's. Contact = the first frame from which the foot moves with
the ground, i.e. its motion relative to the ground falls below ``--fraction`` of its largest value in the window.
Prints both errors against the labels (whole frames, as benchmarks/score_contacts.py counts them).

    python benchmarks/flow_contacts_probe.py [--fraction 0.25] [CLIP ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import score_contacts as S  # noqa: E402, N812

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402
from formcheck.video.reader import VideoReader  # noqa: E402

CLIPS_DIR = ROOT.parent / "shared" / "clips"
HALF_WINDOW = 4


def foot_box(
    xy: np.ndarray, side: str, names: list[str], leg_px: float, shape: tuple[int, int]
) -> tuple[int, ...]:
    pts = np.array([xy[names.index(f"{side}_{p}")] for p in ("heel", "foot_index", "ankle")])
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) == 0:
        return ()
    pad = 0.12 * leg_px
    x0, y0 = np.maximum(pts.min(axis=0) - pad, 0)
    x1, y1 = pts.max(axis=0) + pad
    return int(x0), int(y0), int(min(x1, shape[1] - 1)), int(min(y1, shape[0] - 1))


def foot_motion(gray: list[np.ndarray], boxes: list[tuple[int, ...]]) -> np.ndarray:
    """Median LK displacement (dx, dy) of features in frame i's foot box from frame i to i+1, px; nan if none."""
    out = np.full((len(gray) - 1, 2), np.nan)
    for i in range(len(gray) - 1):
        if not boxes[i]:
            continue
        x0, y0, x1, y1 = boxes[i]
        mask = np.zeros_like(gray[i])
        mask[y0:y1, x0:x1] = 255
        p0 = cv2.goodFeaturesToTrack(gray[i], maxCorners=40, qualityLevel=0.01, minDistance=3, mask=mask)
        if p0 is None:
            continue
        p1, st, _ = cv2.calcOpticalFlowPyrLK(gray[i], gray[i + 1], p0, None, winSize=(15, 15), maxLevel=3)
        ok = st.ravel() == 1
        if ok.sum() >= 3:
            out[i] = np.median((p1 - p0).reshape(-1, 2)[ok], axis=0)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clips", nargs="*")
    ap.add_argument("--fraction", type=float, default=0.25)
    args = ap.parse_args(argv)
    from formcheck.skeleton import LANDMARK_NAMES

    names = list(LANDMARK_NAMES)
    rows = []
    for name, raw, path in S.real_clips(S.LABELS_DIR, S.CACHE_DIR):
        if args.clips and name not in args.clips:
            continue
        video = CLIPS_DIR / f"{name}.mp4"
        if not video.is_file():
            continue
        a = analyze_trajectories(raw, AnalysisSettings())
        if a.view != "side":
            continue
        labels = S.read_labels(path, raw.time_s)
        steps = list(a.events.steps)
        pairs = S.match_nearest([lab.contact_s for lab in labels], [s.contact_s for s in steps], 0.15)
        want = {}
        for i, j in pairs:
            k_det = int(np.searchsorted(raw.time_s, steps[j].contact_s - 1e-6))
            k_lab = int(np.searchsorted(raw.time_s, labels[i].contact_s - 1e-6))
            want[k_det] = (k_lab, steps[j].side)
        frames = {}
        needed = {k + d for k in want for d in range(-HALF_WINDOW, HALF_WINDOW + 6)}
        with VideoReader(str(video)) as reader:
            for f in reader:
                if f.index in needed:
                    frames[f.index] = cv2.cvtColor(f.rgb, cv2.COLOR_RGB2GRAY)
        xy = raw.xy_px  # image coordinates (clean may be roll-corrected)
        for k_det, (k_lab, side) in sorted(want.items()):
            idx = [k for k in range(k_det - HALF_WINDOW, k_det + HALF_WINDOW + 6) if k in frames]
            if len(idx) < 2 * HALF_WINDOW + 6:
                continue
            gray = [frames[k] for k in idx]
            boxes = [foot_box(xy[k], side, names, a.leg_length_px, gray[0].shape) for k in idx]
            motion = foot_motion(gray, boxes)  # motion[i]: idx[i] -> idx[i]+1
            ground = np.nanmedian(motion[2 * HALF_WINDOW - 2 : 2 * HALF_WINDOW + 2], axis=0)
            rel = np.linalg.norm(motion - ground, axis=1)
            win = rel[: 2 * HALF_WINDOW + 1]
            if not np.isfinite(win).any():
                continue
            peak = np.nanmax(win[: HALF_WINDOW + 1])
            k_flow = None
            for i in range(int(np.nanargmax(win[: HALF_WINDOW + 1])), len(win)):
                if np.isfinite(win[i]) and win[i] <= args.fraction * peak:
                    k_flow = idx[i]  # from this frame on the foot moves with the ground
                    break
            rows.append((name, raw.fps, k_det - k_lab, None if k_flow is None else k_flow - k_lab))
        print(name, len(want), "contacts", flush=True)
    det = np.array([r[2] for r in rows], float)
    flow = np.array([np.nan if r[3] is None else r[3] for r in rows], float)
    both = np.isfinite(flow)
    print(f"\n{len(rows)} contacts; flow found {both.sum()}")
    for label, e in (
        ("landmarks", det[both]),
        ("flow", flow[both]),
        ("mean of both", np.round(0.5 * (det[both] + flow[both]) + 1e-9)),
    ):
        print(
            f"{label:14s} within 1 frame {np.mean(np.abs(e) <= 1):.3f}  median |err| {np.median(np.abs(e)):.2f}  mean {np.mean(e):+.2f}"
        )
    for clip in sorted({r[0] for r in rows}):
        sel = np.array([r[0] == clip for r in rows]) & both
        print(
            f"  {clip:36s} landmarks {np.mean(np.abs(det[sel]) <= 1):.2f} ({np.mean(det[sel]):+.2f})  flow {np.mean(np.abs(flow[sel]) <= 1):.2f} ({np.mean(flow[sel]):+.2f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
