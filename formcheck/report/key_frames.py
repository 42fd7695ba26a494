"""The report's key frames: the annotated pictures of landings the video side made, as inline JPEG figures a reader
taps to see that landing in the video."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Protocol

import cv2
import numpy as np

from formcheck.report.escaping import html_escape as _e


class KeyFrame(Protocol):
    """What the report needs of a key frame: an annotated RGB picture of one step's contact. The video side makes
    them (formcheck.render.video.KeyFrame) and hands them over as data; the report never decodes video."""

    side: str
    step_index: int
    time_s: float
    rgb: np.ndarray
    caption: str


def jpeg_data_uri(rgb: np.ndarray, max_side_px: int = 720, quality: int = 82) -> str:
    """``rgb`` as an inline JPEG (``data:`` URI), its longer side at most ``max_side_px``; "" if it cannot be
    encoded."""
    h, w = rgb.shape[:2]
    k = min(1.0, max_side_px / max(h, w))
    img = (
        cv2.resize(rgb, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
        if k < 1
        else rgb
    )
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(buf.tobytes()).decode("ascii")


def key_frames_html(frames: Sequence[KeyFrame]) -> str:
    """The key frames as figures with captions, each a link that seeks the video to its landing."""
    if not frames:
        return (
            '<p class="muted">No key frames: the input video could not be decoded again for this report.</p>'
        )
    figs = []
    for k in frames:
        uri = jpeg_data_uri(k.rgb)
        if not uri:
            continue
        alt = f"{k.side} foot, step {k.step_index + 1}, {k.time_s:.2f} s"
        h, w = k.rgb.shape[:2]
        figs.append(
            f'<figure class="keyframe"><a href="#fc-video" class="kf" data-step="{k.step_index}" '
            f'title="see this landing in the video"><img src="{uri}" width="{w}" height="{h}" alt="{_e(alt)}"></a>'
            f"<figcaption>{_e(k.caption or alt)}</figcaption></figure>"
        )
    return f'<div class="keyframes">{"".join(figs)}</div>'
