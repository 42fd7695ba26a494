"""ContactAnnotator: at each measured initial contact (until shortly before the next landing) the landing foot, the overstride line (a
vertical through the hip centre vs the landing heel, distance in % leg), the shank angle and the foot angle."""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.metrics.display import whole_degrees
from formcheck.render.state import ContactMark, FrameState
from formcheck.render.style import (
    AA,
    ACCENT,
    DARK,
    SIDE_COLORS,
    VERDICT_COLORS,
    WHITE,
    Scale,
    angle_arc,
    dashed_line,
    image_angle_deg,
    ipt,
    label,
    ok,
)


class ContactAnnotator:
    """Draws the geometry measured at contact, frozen at the contact instant, for ``hold_s`` seconds."""

    def __init__(self, hold_s: float = 0.30, thickness: float = 4.0, text_size: float = 0.8) -> None:
        self.hold_s = hold_s
        self.thickness = thickness
        self.text_size = text_size

    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray:
        sc = Scale.of(frame, state.leg_px)
        for mark, age_s in state.contacts:
            if 0.0 <= age_s <= self.hold_s:
                self._draw(frame, mark, state.sign, sc, state.labels)
        return frame

    def _draw(self, img: np.ndarray, m: ContactMark, sign: float, sc: Scale, taken: list) -> None:
        th = sc.px(self.thickness)
        side_color = SIDE_COLORS[m.side]
        if not m.valid or not ok(
            m.heel
        ):  # a rejected step: nothing measured, nothing drawn (the counter counts it)
            return
        foot_low = m.heel if not ok(m.toe) else (m.heel if m.heel[1] >= m.toe[1] else m.toe)
        ground_y = float(foot_low[1]) + sc.px(26)
        heel = ipt(m.heel)
        # Landing foot marker.
        cv2.circle(img, heel, sc.px(20), DARK, th + sc.px(2), AA)
        cv2.circle(img, heel, sc.px(20), side_color, th, AA)
        # Overstride: vertical through the hip centre, horizontal bracket to the heel.
        if ok(m.hip_mid):
            top = np.array([m.hip_mid[0], m.hip_mid[1] - sc.px(20)])
            bottom = np.array([m.hip_mid[0], ground_y + sc.px(10)])
            dashed_line(img, top, bottom, DARK, th + sc.px(2), sc.px(12))
            dashed_line(img, top, bottom, ACCENT, th, sc.px(12))
            cv2.circle(img, ipt(m.hip_mid), sc.px(7), ACCENT, -1, AA)
            color = VERDICT_COLORS[m.overstride_verdict]
            a = np.array([m.hip_mid[0], ground_y])
            b = np.array([m.heel[0], ground_y])
            ia, ib = ipt(a), ipt(b)
            cv2.line(img, heel, ib, color, max(1, th // 2), AA)
            cv2.arrowedLine(img, ia, ib, DARK, th + sc.px(2), AA, tipLength=0.18)
            cv2.arrowedLine(img, ia, ib, color, th, AA, tipLength=0.18)
            if m.overstride_pct is not None:
                text = f"overstride {m.overstride_pct:.0f}% leg"
                mid = ipt(0.5 * (a + b))
                label(
                    img,
                    text,
                    (mid[0], mid[1] + sc.px(30)),
                    sc,
                    color,
                    size=self.text_size,
                    align="centre",
                    avoid=taken,
                )
        # Shank angle: knee->ankle against a vertical from the knee.
        if ok(m.knee, m.ankle):
            color = VERDICT_COLORS[m.shank_verdict]
            knee, ankle = ipt(m.knee), ipt(m.ankle)
            cv2.line(img, knee, ankle, DARK, th + sc.px(4), AA)
            cv2.line(img, knee, ankle, color, th + sc.px(1), AA)
            length = float(np.hypot(*(m.ankle - m.knee)))
            dashed_line(
                img, m.knee, m.knee + np.array([0.0, 0.75 * length]), WHITE, max(1, th // 2), sc.px(8)
            )
            angle_arc(
                img, m.knee, 90.0, image_angle_deg(m.ankle - m.knee), sc.px(46), color, max(1, th // 2 + 1)
            )
            if m.shank_deg is not None:
                x = knee[0] + int(sign * sc.px(60))
                label(
                    img,
                    f"shin {whole_degrees(m.shank_deg)}",
                    (x, knee[1] + sc.px(40)),
                    sc,
                    color,
                    size=self.text_size,
                    align="left" if sign > 0 else "right",
                    avoid=taken,
                )
        # Foot angle at contact.
        if ok(m.toe) and (m.foot_deg is not None or m.strike_words):
            toe = ipt(m.toe)
            cv2.line(img, heel, toe, WHITE, max(1, th // 2), AA)
            parts = []
            if m.foot_deg is not None:
                parts.append(f"foot {whole_degrees(m.foot_deg, signed=True)}")
            if m.strike_words:
                parts.append(m.strike_words)
            x = toe[0] + int(sign * sc.px(24))
            label(
                img,
                " ".join(parts),
                (x, toe[1] - sc.px(26)),
                sc,
                WHITE,
                size=self.text_size * 0.9,
                align="left" if sign > 0 else "right",
                avoid=taken,
            )
