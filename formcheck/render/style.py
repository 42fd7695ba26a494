"""Colours, sizes scaled to the frame, and small cv2 drawing helpers (anti-aliased; frames are RGB).

The helpers run for every frame of the annotated video, so they avoid per-call Python and NumPy overhead, always
drawing the same pixels as before: text layouts and the colour patches of translucent boxes are cached, all dashes
of a line go to one ``cv2.polylines`` call and a frame's points are rounded in one call (``ipts``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

Color = tuple[int, int, int]

LEFT: Color = (64, 156, 255)  # blue
RIGHT: Color = (255, 146, 28)  # orange
CENTRE: Color = (236, 236, 236)
WHITE: Color = (255, 255, 255)
DARK: Color = (18, 20, 24)
ACCENT: Color = (255, 214, 10)  # reference lines (vertical through the hips)
VERDICT_COLORS: dict[str, Color] = {
    "good": (46, 184, 92),
    "watch": (250, 176, 5),
    "borderline": (247, 128, 40),
    "flag": (240, 62, 62),
    "n/a": (150, 150, 150),
}
SIDE_COLORS: dict[str, Color] = {"left": LEFT, "right": RIGHT}

FONT = cv2.FONT_HERSHEY_DUPLEX
AA = cv2.LINE_AA


# Leg length (hip to ankle, px) at which the runner's marks are drawn at scale 1.0.
REF_LEG_PX = 300.0
# The runner's scale stays within these multiples of the frame's, so marks stay visible on a far runner and do
# not swamp a near one.
RUNNER_SCALE_LIMITS = (0.5, 1.5)


@dataclass(frozen=True)
class Scale:
    """Sizes in pixels per unit. The frame's scale (short side 720 px -> 1.0) sizes what belongs to the frame (the
    metric panel, the step counter); the runner's scale (leg length ``REF_LEG_PX`` -> 1.0, within
    ``RUNNER_SCALE_LIMITS`` of the frame's) sizes the marks drawn on the runner, so a small runner in a wide frame
    gets marks in proportion to it."""

    s: float

    @classmethod
    def of(cls, frame: np.ndarray, leg_px: float | None = None) -> Scale:
        """The frame's scale, or the runner's when ``leg_px`` (the runner's leg length in pixels) is given."""
        leg = round(leg_px) if leg_px is not None and math.isfinite(leg_px) else None
        return _scale_for(min(frame.shape[0], frame.shape[1]), leg)

    def px(self, n: float) -> int:
        return max(1, round(n * self.s))

    def font(self, n: float = 0.8) -> float:
        return n * self.s


@lru_cache(maxsize=64)
def _scale_for(short_side: int, leg_px: int | None = None) -> Scale:
    frame = short_side / 720.0
    if leg_px is None or not leg_px > 0:
        return Scale(frame)
    lo, hi = RUNNER_SCALE_LIMITS
    return Scale(min(max(leg_px / REF_LEG_PX, lo * frame), hi * frame))


def mix(color: Color, other: Color, t: float) -> Color:
    """``color`` moved a fraction ``t`` toward ``other``."""
    return tuple(int(round(a + (b - a) * t)) for a, b in zip(color, other, strict=True))  # type: ignore[return-value]


def ok(*pts: np.ndarray | None) -> bool:
    """Every point given and finite (2-vectors checked without a NumPy call: this runs many times a frame)."""
    for p in pts:
        if p is None:
            return False
        if len(p) == 2:
            if not (math.isfinite(p[0]) and math.isfinite(p[1])):
                return False
        elif not np.all(np.isfinite(p)):
            return False
    return True


def ipt(p: np.ndarray) -> tuple[int, int]:
    """A point as integer pixel coordinates (rounded half to even, as ``round``)."""
    return round(float(p[0])), round(float(p[1]))


def ipts(pts: np.ndarray) -> list[list[int]]:
    """(N, 2) points as integer pixel coordinates in one NumPy call, the same values ``ipt`` gives each point
    (``np.rint`` also rounds half to even). Non-finite points become (0, 0): callers skip them."""
    pts = np.asarray(pts, dtype=float)
    return np.rint(np.where(np.isfinite(pts), pts, 0.0)).astype(np.int64).tolist()


def blend_rect(img: np.ndarray, x0: int, y0: int, x1: int, y1: int, color: Color, alpha: float) -> None:
    """Fill a rectangle with ``color`` at opacity ``alpha`` (in place, clipped to the image)."""
    h, w = img.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    roi = img[y0:y1, x0:x1]
    cv2.addWeighted(_fill(tuple(color), roi.shape), alpha, roi, 1.0 - alpha, 0, dst=roi)


_FILLS: dict[tuple[Color, tuple[int, ...]], np.ndarray] = {}


def _fill(color: Color, shape: tuple[int, ...]) -> np.ndarray:
    """A view of a cached patch of ``color``, at least ``shape``: filling a new patch on every call (a tuple
    broadcast into the array) cost several times the blend itself."""
    key = (color, tuple(shape[2:]))
    buf = _FILLS.get(key)
    if buf is None or buf.shape[0] < shape[0] or buf.shape[1] < shape[1]:
        h, w = shape[0], shape[1]
        if buf is not None:
            h, w = max(h, buf.shape[0]), max(w, buf.shape[1])
        buf = np.empty((h, w, *shape[2:]), np.uint8)
        buf[:] = color
        _FILLS[key] = buf
    return buf[: shape[0], : shape[1]]


@lru_cache(maxsize=4096)
def text_size(text: str, scale: float, thickness: int) -> tuple[int, int, int]:
    """(width, height above baseline, baseline) of ``text``; '°' is drawn as a small ring. Cached: labels repeat
    from frame to frame."""
    parts = text.split("°")
    w = 0
    h = base = 0
    for part in parts:
        (pw, ph), pb = cv2.getTextSize(part or " ", FONT, scale, thickness)
        w += pw if part else 0
        h, base = max(h, ph), max(base, pb)
    ring = int(round(0.28 * h)) + thickness
    return w + (len(parts) - 1) * (ring + thickness), h, base


def put_text(
    img: np.ndarray, text: str, org: tuple[int, int], scale: float, color: Color, thickness: int
) -> None:
    """Draw ``text`` with its baseline starting at ``org``; draws '°' as a ring (Hershey fonts lack it)."""
    x, y = org
    for kind, dx, dy, arg in _text_layout(text, scale, thickness):
        if kind == "text":
            cv2.putText(img, arg, (x + dx, y), FONT, scale, color, thickness, AA)
        else:
            cv2.circle(img, (x + dx, y + dy), arg, color, max(1, thickness - 1), AA)


@lru_cache(maxsize=4096)
def _text_layout(text: str, scale: float, thickness: int) -> tuple[tuple[str, int, int, str | int], ...]:
    """What ``put_text`` draws, relative to its origin: ("text", dx, 0, part) runs and ("ring", dx, dy, radius)
    degree rings. Cached (a pure function of its arguments; labels repeat from frame to frame)."""
    _, h, _ = text_size(text, scale, thickness)
    parts = text.split("°")
    out: list[tuple[str, int, int, str | int]] = []
    x = 0
    for i, part in enumerate(parts):
        if part:
            if part.strip():  # a run of spaces draws nothing; it only advances
                out.append(("text", x, 0, part))
            x += cv2.getTextSize(part, FONT, scale, thickness)[0][0]
        if i < len(parts) - 1:
            r = max(2, int(round(0.16 * h)))
            out.append(("ring", x + r + 1, -h + r, r))
            x += 2 * r + thickness + 2
    return tuple(out)


def label(
    img: np.ndarray,
    text: str,
    anchor: tuple[int, int],
    sc: Scale,
    color: Color = WHITE,
    bg: Color = DARK,
    size: float = 0.75,
    align: str = "left",
    alpha: float = 0.72,
    avoid: list[tuple[int, int, int, int]] | None = None,
) -> tuple[int, int, int, int]:
    """Text on a translucent box; ``anchor`` is the box's left (or right/centre) middle point. Boxes in ``avoid``
    are not overlapped (the label moves up or down); the new box is appended to it. Returns (x0, y0, x1, y1)."""
    scale = sc.font(size)
    th = max(1, sc.px(1.6))
    w, h, base = text_size(text, scale, th)
    pad = sc.px(7)
    bw, bh = w + 2 * pad, h + base + 2 * pad
    x, y = anchor
    if align == "right":
        x -= bw
    elif align == "centre":
        x -= bw // 2
    H, W = img.shape[:2]
    x = int(min(max(x, 0), max(0, W - bw)))
    y0 = int(min(max(y - bh // 2, 0), max(0, H - bh)))
    if avoid:
        y0 = _free_y(x, y0, bw, bh, H, avoid)
    if avoid is not None:
        avoid.append((x, y0, x + bw, y0 + bh))
    blend_rect(img, x, y0, x + bw, y0 + bh, bg, alpha)
    put_text(img, text, (x + pad, y0 + pad + h), scale, color, th)
    return x, y0, x + bw, y0 + bh


def _free_y(x: int, y0: int, bw: int, bh: int, H: int, taken: list[tuple[int, int, int, int]]) -> int:
    """The nearest y (trying up and down by box heights) where the box overlaps none of ``taken``."""

    def clear(y: int) -> bool:
        return all(x + bw <= a or x >= c or y + bh <= b or y >= d for a, b, c, d in taken)

    for k in range(0, 8):
        for cand in (y0 - k * (bh + 2), y0 + k * (bh + 2)):
            if 0 <= cand <= H - bh and clear(cand):
                return cand
    return y0


def dashed_line(
    img: np.ndarray, p0: np.ndarray, p1: np.ndarray, color: Color, thickness: int, dash: int
) -> None:
    """A dashed anti-aliased line from ``p0`` to ``p1``: all dashes in one ``cv2.polylines`` call (each open
    two-point polyline is drawn exactly as ``cv2.line`` draws it, in the same order)."""
    segments = dash_segments(p0, p1, dash)
    if segments is not None:
        cv2.polylines(img, segments, False, color, thickness, AA)


def dash_segments(p0: np.ndarray, p1: np.ndarray, dash: int) -> np.ndarray | None:
    """The dashes of ``dashed_line`` as an (n, 2, 2) int32 array of end points: dash ``i`` runs from ``2 i dash``
    to ``2 i dash + dash`` pixels along the line, clipped to its end. None for a line shorter than a pixel."""
    p0 = np.asarray(p0, dtype=float)
    v = np.asarray(p1, dtype=float) - p0
    length = float(np.hypot(v[0], v[1]))
    if not np.isfinite(length) or length < 1:
        return None
    n = max(1, int(length // (2 * dash)))
    along = np.minimum(1.0, (dash * np.arange(2 * n + 2)) / length)  # dash starts and ends, alternating
    ends = p0 + v * along[:, None]
    if max(abs(p0[0]), abs(p0[1]), abs(p0[0] + v[0]), abs(p0[1] + v[1])) > _MAX_COORD:
        ends = np.clip(ends, -_MAX_COORD, _MAX_COORD)  # far-off points: stay in int32 instead of wrapping
    return np.rint(ends).astype(np.int32).reshape(n + 1, 2, 2)


_MAX_COORD = 2.0**30


def angle_arc(
    img: np.ndarray,
    centre: np.ndarray,
    ref_deg: float,
    to_deg: float,
    radius: int,
    color: Color,
    thickness: int,
) -> None:
    """An arc around ``centre`` between two image angles (degrees, cv2 convention: 0 = +x, clockwise as y down)."""
    if not (np.isfinite(ref_deg) and np.isfinite(to_deg)) or not ok(centre):
        return
    a0, a1 = sorted((ref_deg, to_deg))
    if a1 - a0 > 180:
        a0, a1 = a1, a0 + 360
    cv2.ellipse(img, ipt(centre), (radius, radius), 0, a0, a1, color, thickness, AA)


def image_angle_deg(vec: np.ndarray) -> float:
    """cv2 ellipse angle of a vector (0 = +x, increasing clockwise on screen since y is down)."""
    return float(np.degrees(np.arctan2(vec[1], vec[0])))
