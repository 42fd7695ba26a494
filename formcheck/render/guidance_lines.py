"""GuidanceLinesAnnotator: thin reference lines for the issue-19 measures, kept minimal (the overlays' owner may
restyle them). Side view: the near ear-to-shoulder line (head carriage and shoulder height, METRICS.md 4.11).
Rear/front view: the stance leg's hip-to-ankle line with the knee marked, so the appearance of knee collapse
(METRICS.md 5.4) can be seen against it."""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.render.state import FrameState
from formcheck.render.style import ACCENT, DARK, WHITE, Color, Scale, dashed_line, ipt, ok


class GuidanceLinesAnnotator:
    def __init__(self, color: Color = ACCENT, thickness: float = 2.0) -> None:
        self.color = color
        self.thickness = thickness

    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray:
        if state.xy_px is None:
            return frame
        sc = Scale.of(frame, state.leg_px)
        th = max(1, sc.px(self.thickness))
        if state.view == "side":
            ear, sh = state.point(f"{state.near_side}_ear"), state.point(f"{state.near_side}_shoulder")
            if ok(ear, sh):
                dashed_line(frame, sh, ear, self.color, th, sc.px(6))
            return frame
        ankles = {s: state.point(f"{s}_ankle") for s in ("left", "right")}
        if not all(ok(a) for a in ankles.values()):
            return frame
        side = max(ankles, key=lambda s: float(ankles[s][1]))  # the lower foot: the stance leg
        hip, knee, ankle = (state.point(f"{side}_{p}") for p in ("hip", "knee", "ankle"))
        if not ok(hip, knee, ankle):
            return frame
        dashed_line(frame, hip, ankle, self.color, th, sc.px(6))
        cv2.circle(frame, ipt(knee), sc.px(5) + 1, DARK, -1, cv2.LINE_AA)
        cv2.circle(frame, ipt(knee), sc.px(5), WHITE, th, cv2.LINE_AA)
        return frame
