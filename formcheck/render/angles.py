"""Per-frame angle annotators: TrunkAnnotator (hips->shoulders against a vertical) and ElbowAnnotator (near arm)."""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.metrics.display import whole_degrees
from formcheck.render.state import FrameState
from formcheck.render.style import (
    AA,
    DARK,
    SIDE_COLORS,
    WHITE,
    Color,
    Scale,
    angle_arc,
    dashed_line,
    image_angle_deg,
    ipt,
    label,
    ok,
)


class TrunkAnnotator:
    """The trunk line (hip centre to shoulder centre), a vertical reference and the forward-lean angle."""

    def __init__(
        self, color: Color = (120, 230, 255), thickness: float = 4.0, text_size: float = 0.78
    ) -> None:
        self.color = color
        self.thickness = thickness
        self.text_size = text_size

    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray:
        if state.xy_px is None or state.view != "side":
            return frame
        ls, rs = state.point("left_shoulder"), state.point("right_shoulder")
        lh, rh = state.point("left_hip"), state.point("right_hip")
        if not ok(ls, rs, lh, rh):
            return frame
        sc = Scale.of(frame, state.leg_px)
        th = sc.px(self.thickness)
        hip = 0.5 * (lh + rh)  # type: ignore[operator]
        sh = 0.5 * (ls + rs)  # type: ignore[operator]
        length = float(np.hypot(*(sh - hip)))
        top = hip + np.array([0.0, -length])
        dashed_line(frame, hip, top, WHITE, max(1, th // 2), sc.px(9))
        ihip, ish = ipt(hip), ipt(sh)
        cv2.line(frame, ihip, ish, DARK, th + sc.px(3), AA)
        cv2.line(frame, ihip, ish, self.color, th, AA)
        angle_arc(
            frame, hip, -90.0, image_angle_deg(sh - hip), int(0.45 * length), self.color, max(1, th // 2 + 1)
        )
        if state.trunk_lean_deg is not None:
            x = ish[0] + int(state.sign * sc.px(34))
            label(
                frame,
                f"trunk {whole_degrees(state.trunk_lean_deg)}",
                (x, ish[1] + int(0.25 * length)),
                sc,
                self.color,
                size=self.text_size,
                align="left" if state.sign > 0 else "right",
                avoid=state.labels,
            )
        return frame


class ElbowAnnotator:
    """An arc at the near elbow with its angle (180 = straight arm)."""

    def __init__(self, thickness: float = 3.0, text_size: float = 0.7) -> None:
        self.thickness = thickness
        self.text_size = text_size

    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray:
        if state.xy_px is None or state.elbow_deg is None or state.view != "side":
            return frame
        side = state.near_side
        s, e, w = (state.point(f"{side}_{p}") for p in ("shoulder", "elbow", "wrist"))
        if not ok(s, e, w):
            return frame
        sc = Scale.of(frame, state.leg_px)
        color = SIDE_COLORS[side]
        angle_arc(
            frame,
            e,
            image_angle_deg(s - e),
            image_angle_deg(w - e),
            sc.px(26),
            WHITE,
            sc.px(self.thickness),  # type: ignore[operator]
        )
        ie = ipt(e)
        x = ie[0] - int(state.sign * sc.px(36))
        label(
            frame,
            f"elbow {whole_degrees(state.elbow_deg)}",
            (x, ie[1] + sc.px(8)),
            sc,
            color,
            size=self.text_size,
            align="right" if state.sign > 0 else "left",
            avoid=state.labels,
        )
        return frame
