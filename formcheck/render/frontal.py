"""Rear/front-view annotators: the pelvis line with its tilt (METRICS.md 5.1) and the body midline for crossover
(METRICS.md 5.5, 5.6); and a small label naming the person analysed when several were tracked."""

from __future__ import annotations

import math

import cv2
import numpy as np

from formcheck.render.state import FrameState
from formcheck.render.style import AA, ACCENT, DARK, WHITE, Color, Scale, dashed_line, ipt, label, ok


class PelvisMidlineAnnotator:
    """The hip-landmark line (hip to hip, extended a little) labelled "hip line" with its tilt from horizontal, + =
    the image-right hip lower (not the pelvic-drop metric, which comes from the waistband line at midstance); a dashed body midline from the shoulder centre down through the hip centre to the ground. Side views:
    nothing."""

    def __init__(self, color: Color = (255, 90, 200), thickness: float = 4.0, text_size: float = 0.7) -> None:
        self.color = color
        self.thickness = thickness
        self.text_size = text_size

    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray:
        if state.xy_px is None or state.view == "side":
            return frame
        lh, rh = state.point("left_hip"), state.point("right_hip")
        ls, rs = state.point("left_shoulder"), state.point("right_shoulder")
        if not ok(lh, rh):
            return frame
        sc = Scale.of(frame, state.leg_px)
        a, b = (lh, rh) if lh[0] <= rh[0] else (rh, lh)  # a: image-left hip
        d = b - a
        ext = 0.35 * d
        th = sc.px(self.thickness)
        ia, ib = ipt(a - ext), ipt(b + ext)
        cv2.line(frame, ia, ib, DARK, th + sc.px(3), AA)
        cv2.line(frame, ia, ib, self.color, th, AA)
        # Horizontal reference through the image-left hip.
        dashed_line(frame, a - ext, np.array([b[0] + ext[0], a[1]]), ACCENT, max(1, th // 2), sc.px(8))
        tilt = math.degrees(math.atan2(float(d[1]), float(abs(d[0])) or 1e-9))
        label(
            frame,
            f"hip line {tilt:+.1f}\N{DEGREE SIGN}",
            ipt(b + ext + np.array([sc.px(8), 0])),
            sc,
            color=self.color,
            size=self.text_size,
            avoid=state.labels,
        )
        hip_mid = 0.5 * (lh + rh)
        top = 0.5 * (ls + rs) if ok(ls, rs) else hip_mid - np.array([0.0, 2.0 * abs(d[0])])
        feet = [state.point(f"{s}_{p}") for s in ("left", "right") for p in ("heel", "foot_index", "ankle")]
        ys = [p[1] for p in feet if p is not None]
        bottom_y = max(ys) if ys else hip_mid[1] + 3.0 * abs(d[0])
        axis = hip_mid - top
        if axis[1] > 1:
            bottom = hip_mid + axis * (bottom_y - hip_mid[1]) / axis[1]
        else:
            bottom = np.array([hip_mid[0], bottom_y])
        dashed_line(frame, top, bottom, WHITE, max(1, sc.px(2)), sc.px(10))
        return frame


class PersonLabelAnnotator:
    """'runner #N' above the analysed person's head when several people were tracked (``Analysis.person_track``)."""

    def __init__(self, person_track: int | None, text_size: float = 0.65) -> None:
        self.person_track = person_track
        self.text_size = text_size

    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray:
        if self.person_track is None or state.xy_px is None:
            return frame
        pts = state.xy_px[np.all(np.isfinite(state.xy_px), axis=1)]
        if len(pts) < 4:
            return frame
        sc = Scale.of(frame, state.leg_px)
        x = int((pts[:, 0].min() + pts[:, 0].max()) / 2)
        y = int(pts[:, 1].min()) - sc.px(22)
        label(frame, f"analysed: #{self.person_track}", (x, y), sc, size=self.text_size, align="centre")
        return frame
