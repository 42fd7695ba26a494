"""Does a foot the labels call planted move over the ground? (docs/contacts.md "The blind labels' misses").

    python benchmarks/ground_slip_probe.py CLIP SIDE FIRST LAST [--band Y0:Y1] [--stabilised out.png]

For each frame pair in FIRST..LAST: the ground's horizontal shift in the picture (template matching of a strip
of ground beside the feet, the strip with the most texture among those clear of every leg landmark in both
frames, with its normalised correlation), the foot's shift (the mean of the pose's heel and toe, cached raw
landmarks), and the foot's slip over the ground (the difference, pixels). A planted foot moves with the ground
(slip near 0); a foot sliding forward over it by tens of pixels a frame is still in the air. ``--stabilised``
writes the frames shifted so that the ground stays still, with a 50 px grid, to look at.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.score_contacts import CACHE_DIR, CLIPS_DIR  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.skeleton import INDEX  # noqa: E402

FEET_POINTS = [INDEX[f"{s}_{p}"] for s in ("left", "right") for p in ("ankle", "heel", "foot_index")]
STRIP_W_PX = 140  # width of the ground strip matched
SEARCH_PX = 80  # largest shift looked for, pixels a frame


def ground_shift(
    prev: np.ndarray,
    cur: np.ndarray,
    band: tuple[int, int],
    busy: tuple[float, float],
    strip: int | None = None,
):
    """(shift px, correlation, strip x0) of the ground strip in ``band`` rows best textured outside ``busy``
    (the feet's x range), or of the strip from x = ``strip`` when given; None when no strip is clear of the feet."""
    y0, y1 = band
    w = prev.shape[1]
    best = None if strip is None else (0.0, strip)
    for x0 in range(0, w - STRIP_W_PX + 1, 20) if strip is None else ():
        x1 = x0 + STRIP_W_PX
        if not (x1 < busy[0] or x0 > busy[1]):
            continue
        texture = float(np.mean(np.abs(np.diff(prev[y0:y1, x0:x1], axis=1))))
        if best is None or texture > best[0]:
            best = (texture, x0)
    if best is None:
        return None
    x0 = best[1]
    lo, hi = max(0, x0 - SEARCH_PX), min(w, x0 + STRIP_W_PX + SEARCH_PX)
    r = cv2.matchTemplate(cur[y0:y1, lo:hi], prev[y0:y1, x0 : x0 + STRIP_W_PX], cv2.TM_CCOEFF_NORMED)
    _, score, _, loc = cv2.minMaxLoc(r)
    return loc[0] - (x0 - lo), score, x0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clip")
    ap.add_argument("side", choices=("left", "right"))
    ap.add_argument("first", type=int)
    ap.add_argument("last", type=int)
    ap.add_argument("--band", default=None, help="Y0:Y1, the ground rows (default: 100 px about the feet)")
    ap.add_argument(
        "--strip", type=int, default=None, help="x of the ground strip (default: chosen per frame)"
    )
    ap.add_argument("--stabilised", type=Path, default=None)
    args = ap.parse_args(argv)
    raw = load_landmarks(CACHE_DIR / f"{args.clip}.npz")
    cap = cv2.VideoCapture(str(CLIPS_DIR / f"{args.clip}.mp4"))
    frames = {}
    k = 0
    while k <= args.last:
        ok, img = cap.read()
        if not ok:
            break
        if k >= args.first:
            frames[k] = img
        k += 1
    heel, toe = raw.point(f"{args.side}_heel"), raw.point(f"{args.side}_foot_index")
    foot_x = 0.5 * (heel[:, 0] + toe[:, 0])
    if args.band:
        band = tuple(int(v) for v in args.band.split(":"))
    else:
        y = float(
            np.nanmedian(np.fmax(heel[args.first : args.last + 1, 1], toe[args.first : args.last + 1, 1]))
        )
        band = (int(y - 50), int(y + 50))
    gray = {k: cv2.cvtColor(v, cv2.COLOR_BGR2GRAY).astype(np.float32) for k, v in frames.items()}
    offset = {args.first: 0}
    print(f"{args.clip} {args.side} foot, ground rows {band[0]}-{band[1]}")
    for k in range(args.first, args.last):
        xs = raw.xy_px[[k, k + 1]][:, FEET_POINTS, 0].ravel()
        xs = xs[np.isfinite(xs)]
        busy = (float(xs.min()) - 20, float(xs.max()) + 20)
        got = ground_shift(gray[k], gray[k + 1], band, busy, args.strip)
        if got is None:
            offset[k + 1] = offset[k]
            print(f"{k:4d}->{k + 1:<4d} no ground strip clear of the legs")
            continue
        dx, score, x0 = got
        offset[k + 1] = offset[k] + dx
        foot = foot_x[k + 1] - foot_x[k]
        print(
            f"{k:4d}->{k + 1:<4d} ground {dx:+4d} px (strip x {x0}, r {score:.2f})  foot {foot:+6.1f} px  "
            f"slip over the ground {foot - dx:+6.1f} px{'' if score >= 0.9 else '  (weak match)'}"
        )
    if args.stabilised:
        pad = max(0, max(offset.values())) + 10
        left = min(0, min(offset.values()))
        y0, y1 = max(0, band[0] - 120), band[1] + 40
        tiles = []
        for k, img in sorted(frames.items()):
            w = img.shape[1]
            canvas = np.zeros((y1 - y0, w + pad - left, 3), np.uint8)
            x = pad - offset[k]
            canvas[:, x : x + w] = img[y0:y1]
            for gx in range(0, w + pad, 50):
                cv2.line(canvas, (gx, 0), (gx, y1 - y0), (0, 255, 0) if gx % 100 == 0 else (0, 110, 0), 1)
            cv2.putText(canvas, str(k), (5, 25), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 255), 2)
            tiles.append(canvas)
        cv2.imwrite(str(args.stabilised), np.vstack(tiles))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
