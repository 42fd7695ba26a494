"""Fixed overlays: StepCounterAnnotator (steps so far per side) and MetricPanelAnnotator (the headline metrics,
coloured by verdict, on a translucent panel placed in the corner the runner uses least)."""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.metrics.display import VERDICT_WORDS
from formcheck.render.state import FrameState, PanelRow
from formcheck.render.style import (
    AA,
    DARK,
    LEFT,
    RIGHT,
    VERDICT_COLORS,
    WHITE,
    Scale,
    blend_rect,
    mix,
    put_text,
    text_size,
)


class StepCounterAnnotator:
    """'L 5  R 6' steps so far, with a flash on the side that just landed."""

    frame_overlay = True  # belongs to the frame, not to the runner (left out of key frames)

    def __init__(self, corner: str = "top-right", text_size: float = 0.8, flash_s: float = 0.2) -> None:
        self.corner = corner
        self.text_size = text_size
        self.flash_s = flash_s

    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray:
        sc = Scale.of(frame)
        scale, th = sc.font(self.text_size), max(1, sc.px(1.6))
        parts = [("STEPS  ", WHITE, None), (f"L {state.steps_left}", LEFT, "left"), ("   ", WHITE, None)]
        parts.append((f"R {state.steps_right}", RIGHT, "right"))
        widths = [text_size(t, scale, th)[0] for t, _, _ in parts]
        _, h, base = text_size("LR0", scale, th)
        pad = sc.px(10)
        bw, bh = sum(widths) + 2 * pad, h + base + 2 * pad
        H, W = frame.shape[:2]
        margin = sc.px(14)
        x0 = W - bw - margin if self.corner.endswith("right") else margin
        y0 = margin if self.corner.startswith("top") else H - bh - margin
        blend_rect(frame, x0, y0, x0 + bw, y0 + bh, DARK, 0.7)
        state.labels.append((x0, y0, x0 + bw, y0 + bh))
        state.fixed.append((x0, y0, x0 + bw, y0 + bh))
        landed = {m.side for m, age in state.contacts if 0 <= age <= self.flash_s}
        x = x0 + pad
        for (t, color, side), w in zip(parts, widths, strict=True):
            if side in landed:
                blend_rect(
                    frame, x - sc.px(4), y0 + sc.px(4), x + w + sc.px(4), y0 + bh - sc.px(4), color, 0.45
                )
                color = WHITE
            put_text(frame, t, (x, y0 + pad + h), scale, color, th)
            x += w
        return frame


# The share of the video's height the report's player controls cover at its bottom (see ``_corner``).
PLAYER_CONTROLS_FRAC = 0.15


class MetricPanelAnnotator:
    """A compact translucent panel of the headline metrics, each with a verdict dot and word. The panel is drawn
    once into a patch and blended onto each frame's corner (cheap per frame)."""

    frame_overlay = True  # belongs to the frame, not to the runner (left out of key frames)

    def __init__(
        self,
        corner: str | None = None,
        runner_points: np.ndarray | None = None,
        text_size: float = 0.66,
        alpha: float = 0.78,
        title: str = "formcheck",
    ) -> None:
        self.corner = corner
        self.runner_points = runner_points
        self.text_size = text_size
        self.alpha = alpha
        self.title = title
        self._cache: tuple[tuple[int, int, tuple[PanelRow, ...]], np.ndarray, int, int] | None = None
        self._corner_cache: tuple[tuple, tuple[int, int]] | None = None

    def _patch(self, frame: np.ndarray, rows: tuple[PanelRow, ...]) -> tuple[np.ndarray, int, int]:
        key = (frame.shape[0], frame.shape[1], rows)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1], self._cache[2], self._cache[3]
        sc = Scale.of(frame)
        scale, th = sc.font(self.text_size), max(1, sc.px(1.4))
        pad, gap = sc.px(12), sc.px(10)
        _, h, base = text_size("Ag", scale, th)
        row_h = h + base + sc.px(10)
        label_w = max(text_size(r.label, scale, th)[0] for r in rows)
        value_w = max(text_size(r.value, scale, th)[0] for r in rows)
        word_w = max(text_size(VERDICT_WORDS.get(r.verdict, r.verdict), scale * 0.85, th)[0] for r in rows)
        dot = sc.px(7)
        width = pad + 2 * dot + gap + label_w + gap + value_w + gap + word_w + pad
        title_h = row_h
        height = pad + title_h + len(rows) * row_h + pad - sc.px(6)
        patch = np.zeros((height, width, 3), np.uint8)
        patch[:] = DARK
        put_text(patch, self.title.upper(), (pad, pad + h), scale * 0.8, (170, 176, 186), th)
        cv2.line(
            patch,
            (pad, pad + title_h - sc.px(8)),
            (width - pad, pad + title_h - sc.px(8)),
            (70, 74, 82),
            1,
            AA,
        )
        y = pad + title_h
        for r in rows:
            color = VERDICT_COLORS.get(r.verdict, VERDICT_COLORS["n/a"])
            cy = y + row_h // 2 - sc.px(2)
            cv2.circle(patch, (pad + dot, cy), dot, color, -1, AA)
            x = pad + 2 * dot + gap
            put_text(patch, r.label, (x, y + h + sc.px(3)), scale, WHITE, th)
            x += label_w + gap
            put_text(patch, r.value, (x, y + h + sc.px(3)), scale, mix(WHITE, color, 0.25), th)
            x += value_w + gap
            put_text(
                patch, VERDICT_WORDS.get(r.verdict, r.verdict), (x, y + h + sc.px(3)), scale * 0.85, color, th
            )
            y += row_h
        self._cache = (key, patch, width, height)
        return patch, width, height

    def _corner(self, W: int, H: int, w: int, h: int, margin: int) -> tuple[int, int]:
        # A bottom corner stands clear of the player's controls, which cover the bottom of a paused or hovered video
        # in the report (Chromium: about 70 CSS px of a 16:9 video 935 px wide, 13% of its height), when it fits.
        bottom = H - h - margin
        if bottom - int(PLAYER_CONTROLS_FRAC * H) >= margin + h // 2:
            bottom -= int(PLAYER_CONTROLS_FRAC * H)
        corners = {
            "top-left": (margin, margin),
            "top-right": (W - w - margin, margin),
            "bottom-left": (margin, bottom),
            "bottom-right": (W - w - margin, bottom),
        }
        if self.corner in corners:
            return corners[self.corner]
        pts = self.runner_points
        if pts is None or len(pts) == 0:
            return corners["top-left"]

        def overlap(xy: tuple[int, int]) -> float:
            inside = (
                (pts[:, 0] >= xy[0])
                & (pts[:, 0] <= xy[0] + w)
                & (pts[:, 1] >= xy[1])
                & (pts[:, 1] <= xy[1] + h)
            )
            return float(np.count_nonzero(inside))

        # Prefer the left corners (the step counter sits top-right), then the least overlap.
        order = ["top-left", "bottom-left", "bottom-right"]
        return corners[min(order, key=lambda c: (overlap(corners[c]), order.index(c)))]

    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray:
        if not state.panel:
            return frame
        patch, w, h = self._patch(frame, state.panel)
        H, W = frame.shape[:2]
        margin = Scale.of(frame).px(14)
        if w + 2 * margin > W or h + 2 * margin > H:
            return frame
        # The corner counts runner points in each candidate (~0.2 ms): once per frame size, not per frame.
        key = (W, H, w, h, margin, self.corner, id(self.runner_points))
        if self._corner_cache is None or self._corner_cache[0] != key:
            self._corner_cache = (key, self._corner(W, H, w, h, margin))
        x, y = self._corner_cache[1]
        state.labels.append((x, y, x + w, y + h))
        state.fixed.append((x, y, x + w, y + h))
        roi = frame[y : y + h, x : x + w]
        # The panel's opacity is uniform: one saturating blend in place (a float32 blend cost ~1 ms per frame).
        cv2.addWeighted(patch, self.alpha, roi, 1.0 - self.alpha, 0.0, dst=roi)
        return frame
