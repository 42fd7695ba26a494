"""SkeletonAnnotator: the runner's landmarks and limbs, left and right in different colours."""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.render.state import FrameState
from formcheck.render.style import AA, CENTRE, DARK, LEFT, RIGHT, Color, Scale, dashed_line, ipt, mix
from formcheck.skeleton import EDGES_CENTRE, EDGES_LEFT, EDGES_RIGHT, INDEX

_HEAD = ("nose", "left_ear", "right_ear")


class SkeletonAnnotator:
    """Limbs as thick lines with a dark outline; joints as dots. Points with visibility below ``min_visibility``
    are drawn faded and their limbs dashed."""

    def __init__(
        self,
        left: Color = LEFT,
        right: Color = RIGHT,
        centre: Color = CENTRE,
        thickness: float = 5.0,
        radius: float = 6.0,
        min_visibility: float = 0.5,
    ) -> None:
        self.colors = {"left": left, "right": right, "centre": centre}
        self.thickness = thickness
        self.radius = radius
        self.min_visibility = min_visibility
        self._edges = [
            (INDEX[a], INDEX[b], side)
            for side, edges in (("centre", EDGES_CENTRE), ("right", EDGES_RIGHT), ("left", EDGES_LEFT))
            for a, b in edges
        ]

    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray:
        if state.xy_px is None:
            return frame
        sc = Scale.of(frame)
        xy = state.xy_px
        vis = state.visibility if state.visibility is not None else np.ones(len(xy))
        good = np.all(np.isfinite(xy), axis=1)
        seen = vis >= self.min_visibility
        th = sc.px(self.thickness)
        # The far side first, so the near side is drawn on top.
        far = "right" if state.near_side == "left" else "left"
        order = sorted(self._edges, key=lambda e: 0 if e[2] == far else 1 if e[2] == "centre" else 2)
        for a, b, side in order:
            if not (good[a] and good[b]):
                continue
            color = self.colors[side]
            if seen[a] and seen[b]:
                cv2.line(frame, ipt(xy[a]), ipt(xy[b]), DARK, th + sc.px(3), AA)
                cv2.line(frame, ipt(xy[a]), ipt(xy[b]), color, th, AA)
            else:
                dashed_line(frame, xy[a], xy[b], mix(color, (160, 160, 160), 0.45), max(1, th - 1), sc.px(9))
        neck = 0.5 * (xy[INDEX["left_shoulder"]] + xy[INDEX["right_shoulder"]])
        nose = xy[INDEX["nose"]]
        if good[INDEX["nose"]] and np.all(np.isfinite(neck)):
            dashed_line(frame, neck, nose, self.colors["centre"], max(1, th // 2), sc.px(6))
        r = sc.px(self.radius)
        for i in range(len(xy)):
            if not good[i] or i in (1, 2, 3, 4, 5, 6, 9, 10):  # skip eyes and mouth: clutter at this size
                continue
            name_side = "left" if i in _LEFT else "right" if i in _RIGHT else "centre"
            color = self.colors[name_side]
            if seen[i]:
                cv2.circle(frame, ipt(xy[i]), r + sc.px(2), DARK, -1, AA)
                cv2.circle(frame, ipt(xy[i]), r, color, -1, AA)
            else:
                cv2.circle(frame, ipt(xy[i]), r, mix(color, (160, 160, 160), 0.45), max(1, sc.px(2)), AA)
        return frame


_LEFT = frozenset(i for n, i in INDEX.items() if n.startswith("left_"))
_RIGHT = frozenset(i for n, i in INDEX.items() if n.startswith("right_"))
