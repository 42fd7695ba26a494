"""Contact sheets for labelling foot contacts by eye.

For a clip, writes PNG sheets of consecutive frames (frame index and time stamped on each tile), zoomed on the
feet, so a person can pick the first frame a foot touches the ground or belt and the last frame it is on it.
The zoom follows the feet from a ``landmarks.npz`` written by ``formcheck analyze`` (any run, ``--no-video`` is
enough); without one the lower half of the frame is shown.

    python benchmarks/contact_sheets.py ../shared/clips/side_01.mp4 --landmarks out/side_01/landmarks.npz \
        --out sheets/side_01 [--first 0] [--last 200] [--per-sheet 12] [--columns 4]

Frame indices are 0-based decode order over the whole file: the same index the labels in
``benchmarks/labels/contacts.csv`` use.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.skeleton import INDEX  # noqa: E402
from formcheck.video import VideoReader  # noqa: E402

# Knees and feet of both legs: the zoom box follows them.
_FOOT_POINTS = [
    INDEX[f"{side}_{part}"] for part in ("knee", "ankle", "heel", "foot_index") for side in ("left", "right")
]


def feet_boxes(landmarks_path: Path | None, n_frames: int, width: int, height: int) -> np.ndarray:
    """Per-frame crop box (x0, y0, x1, y1) around knees and feet, smoothed over time; lower half as fallback."""
    boxes = np.tile(np.array([0, height // 2, width, height], dtype=float), (n_frames, 1))
    if landmarks_path is None:
        return boxes.astype(int)
    raw = load_landmarks(landmarks_path)
    xy = raw.xy_px[:, _FOOT_POINTS, :]
    m = min(n_frames, xy.shape[0])
    with np.errstate(all="ignore"):
        x0 = np.nanmin(xy[:m, :, 0], axis=1)
        x1 = np.nanmax(xy[:m, :, 0], axis=1)
        y0 = np.nanmin(xy[:m, :, 1], axis=1)
        y1 = np.nanmax(xy[:m, :, 1], axis=1)
    size = np.nanmedian(np.maximum(x1 - x0, y1 - y0))
    if not np.isfinite(size):
        return boxes.astype(int)
    cx = _smooth_fill(0.5 * (x0 + x1))
    cy = _smooth_fill(0.5 * (y0 + y1) + 0.15 * size)
    half = 0.75 * size
    boxes[:m] = np.stack([cx - half, cy - half, cx + half, cy + half], axis=1)
    boxes[:, [0, 2]] = np.clip(boxes[:, [0, 2]], 0, width)
    boxes[:, [1, 3]] = np.clip(boxes[:, [1, 3]], 0, height)
    return boxes.astype(int)


def _smooth_fill(v: np.ndarray) -> np.ndarray:
    ok = np.isfinite(v)
    if not ok.any():
        return np.zeros_like(v)
    idx = np.arange(len(v))
    v = np.interp(idx, idx[ok], v[ok])
    kernel = np.ones(15) / 15
    return np.convolve(np.pad(v, 7, mode="edge"), kernel, mode="valid")


def tile(rgb: np.ndarray, box: np.ndarray, index: int, time_s: float, size_px: int) -> np.ndarray:
    x0, y0, x1, y1 = box
    crop = rgb[y0:y1, x0:x1] if (x1 > x0 + 4 and y1 > y0 + 4) else rgb
    scale = size_px / max(crop.shape[:2])
    out = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    canvas = np.full((size_px, size_px, 3), 30, np.uint8)
    canvas[: out.shape[0], : out.shape[1]] = out[:size_px, :size_px]
    bgr = cv2.cvtColor(canvas, cv2.COLOR_RGB2BGR)
    label = f"#{index}  {time_s:.3f}s"
    cv2.rectangle(bgr, (0, 0), (size_px, 34), (0, 0, 0), -1)
    cv2.putText(bgr, label, (6, 25), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 255, 255), 2, cv2.LINE_AA)
    # A faint grid helps judge whether the foot moved between tiles.
    for k in range(1, 4):
        p = k * size_px // 4
        cv2.line(bgr, (0, p), (size_px, p), (90, 90, 90), 1)
        cv2.line(bgr, (p, 34), (p, size_px), (90, 90, 90), 1)
    return bgr


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("video", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument(
        "--landmarks", type=Path, default=None, help="landmarks.npz of the clip, to zoom on the feet"
    )
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--last", type=int, default=10**9)
    ap.add_argument("--per-sheet", type=int, default=12)
    ap.add_argument("--columns", type=int, default=4)
    ap.add_argument("--tile-px", type=int, default=320)
    ap.add_argument("--full", action="store_true", help="whole frames instead of the feet zoom")
    args = ap.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    with VideoReader(str(args.video)) as reader:
        info = reader.info
        boxes = feet_boxes(None if args.full else args.landmarks, info.n_frames + 8, info.width, info.height)
        tiles: list[np.ndarray] = []
        first_index = None
        for frame in reader:
            if frame.index < args.first:
                continue
            if frame.index > args.last:
                break
            if first_index is None:
                first_index = frame.index
            box = boxes[min(frame.index, len(boxes) - 1)]
            tiles.append(tile(frame.rgb, box, frame.index, frame.time_s, args.tile_px))
            if len(tiles) == args.per_sheet:
                _write_sheet(args.out, tiles, first_index, args.columns)
                tiles, first_index = [], None
        if tiles:
            _write_sheet(args.out, tiles, first_index, args.columns)
    print(f"sheets in {args.out}")
    return 0


def _write_sheet(out: Path, tiles: list[np.ndarray], first_index: int, columns: int) -> None:
    size = tiles[0].shape[0]
    rows = (len(tiles) + columns - 1) // columns
    sheet = np.full((rows * size, columns * size, 3), 0, np.uint8)
    for k, t in enumerate(tiles):
        r, c = divmod(k, columns)
        sheet[r * size : (r + 1) * size, c * size : (c + 1) * size] = t
        cv2.rectangle(
            sheet, (c * size, r * size), ((c + 1) * size - 1, (r + 1) * size - 1), (255, 255, 255), 1
        )
    cv2.imwrite(str(out / f"frames_{first_index:05d}.png"), sheet)


if __name__ == "__main__":
    raise SystemExit(main())
