"""SkeletonAnnotator: the runner's landmarks and limbs, left and right in different colours."""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.render.state import FrameState
from formcheck.render.style import AA, CENTRE, DARK, LEFT, RIGHT, Color, Scale, dashed_line, ipts, mix
from formcheck.skeleton import EDGES_CENTRE, EDGES_LEFT, EDGES_RIGHT, INDEX

_HEAD = ("nose", "left_ear", "right_ear")


class SkeletonAnnotator:
    """Limbs as thick lines with a dark outline; joints as dots. Points with visibility below ``min_visibility``
    are drawn faded and their limbs dashed. Drawing order, colours and point lists are fixed per near side and
    computed once; per frame the points are rounded in one NumPy call and the loops touch only Python lists."""

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
        # The far side first, so the near side is drawn on top (a stable sort keeps the order within a side).
        self._order = {
            near: [
                (a, b, self.colors[side], self._faded(side))
                for a, b, side in sorted(
                    self._edges,
                    key=lambda e, far=far: 0 if e[2] == far else 1 if e[2] == "centre" else 2,
                )
            ]
            for near, far in (("left", "right"), ("right", "left"))
        }
        # Joints drawn as dots: all but the eyes and mouth (clutter at this size).
        self._dots = [
            (i, self.colors[side], self._faded(side))
            for i in range(len(INDEX))
            if i not in (1, 2, 3, 4, 5, 6, 9, 10)
            for side in ["left" if i in _LEFT else "right" if i in _RIGHT else "centre"]
        ]

    def _faded(self, side: str) -> Color:
        return mix(self.colors[side], (160, 160, 160), 0.45)

    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray:
        if state.xy_px is None:
            return frame
        sc = Scale.of(frame, state.leg_px)
        xy = state.xy_px
        vis = state.visibility if state.visibility is not None else np.ones(len(xy))
        good = np.all(np.isfinite(xy), axis=1).tolist()
        seen = (vis >= self.min_visibility).tolist()
        pts = ipts(xy)
        th = sc.px(self.thickness)
        outline, faded_th, dash = th + sc.px(3), max(1, th - 1), sc.px(9)
        order = self._order["left" if state.near_side == "left" else "right"]
        for a, b, color, faded in order:
            if not (good[a] and good[b]):
                continue
            if seen[a] and seen[b]:
                cv2.line(frame, pts[a], pts[b], DARK, outline, AA)
                cv2.line(frame, pts[a], pts[b], color, th, AA)
            else:
                dashed_line(frame, xy[a], xy[b], faded, faded_th, dash)
        neck = 0.5 * (xy[INDEX["left_shoulder"]] + xy[INDEX["right_shoulder"]])
        nose = xy[INDEX["nose"]]
        if good[INDEX["nose"]] and np.all(np.isfinite(neck)):
            dashed_line(frame, neck, nose, self.colors["centre"], max(1, th // 2), sc.px(6))
        r = sc.px(self.radius)
        r_outline, ring = r + sc.px(2), max(1, sc.px(2))
        for i, color, faded in self._dots:
            if i >= len(pts) or not good[i]:
                continue
            if seen[i]:
                cv2.circle(frame, pts[i], r_outline, DARK, -1, AA)
                cv2.circle(frame, pts[i], r, color, -1, AA)
            else:
                cv2.circle(frame, pts[i], r, faded, ring, AA)
        return frame


_LEFT = frozenset(i for n, i in INDEX.items() if n.startswith("left_"))
_RIGHT = frozenset(i for n, i in INDEX.items() if n.startswith("right_"))
