"""``compare.mp4``: the two takes side by side, each drawn as the single-clip annotated video draws it
(``formcheck.render``), scaled to one height, with a strip naming each take above it; B's frames are chosen by
the contact warp (``formcheck.compare.warp``), so the landings line up."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.compare.warp import FrameMap
from formcheck.model import Analysis
from formcheck.render.state import RenderPlan
from formcheck.render.style import DARK, WHITE, put_text, text_size
from formcheck.render.video import annotate_frame, default_annotators
from formcheck.streaming import BackgroundSink, prefetch
from formcheck.video.reader import Frame, VideoReader
from formcheck.video.writer import VideoWriter

MAX_HEIGHT_PX = 1080  # the taller take is scaled down to this ...
MAX_WIDTH_PX = 1920  # ... and both together to this width: a 1080p screen, and what phones decode smoothly
STRIP_FRACTION = 0.055  # height of the name strip above each half, of the video's height
MIN_STRIP_PX = 24


@dataclass(frozen=True)
class Layout:
    """Where each half goes: both scaled to ``height_px``; the name strip ``strip_px`` tall above them."""

    height_px: int
    a_width_px: int
    b_width_px: int
    strip_px: int

    @property
    def size(self) -> tuple[int, int]:
        return self.a_width_px + self.b_width_px, self.height_px + self.strip_px


def layout_for(a_size: tuple[int, int], b_size: tuple[int, int]) -> Layout:
    """Both halves at the same height: the smaller take's height, at most MAX_HEIGHT_PX, and lower still when
    the two side by side would be wider than MAX_WIDTH_PX. Sizes are (width, height); widths come out even."""
    (wa, ha), (wb, hb) = a_size, b_size
    h = min(ha, hb, MAX_HEIGHT_PX, MAX_WIDTH_PX / (wa / ha + wb / hb))
    h = int(h) // 2 * 2
    strip = max(MIN_STRIP_PX, int(round(STRIP_FRACTION * h)) // 2 * 2)
    return Layout(h, max(2, int(round(wa * h / ha / 2)) * 2), max(2, int(round(wb * h / hb / 2)) * 2), strip)


def name_strip(text: str, width_px: int, height_px: int) -> np.ndarray:
    """A dark strip with ``text`` in white, shrunk to fit the width."""
    strip = np.empty((height_px, width_px, 3), dtype=np.uint8)
    strip[:] = DARK
    scale = height_px / 40.0
    thickness = max(1, int(round(height_px / 24)))
    pad = max(4, height_px // 4)
    w, h, _ = text_size(text, scale, thickness)
    if w > width_px - 2 * pad:
        scale *= (width_px - 2 * pad) / w
        w, h, _ = text_size(text, scale, thickness)
    put_text(strip, text, (pad, (height_px + h) // 2), scale, WHITE, thickness)
    return strip


def _frames_by_index(reader: VideoReader, plan: RenderPlan) -> Iterator[tuple[int, Frame]]:
    """The reader's frames with their trajectory frame index (frames outside the analysed span are skipped)."""
    for frame in reader:
        k = plan.frame_index(plan.motion_time(frame.time_s))
        if k is not None:
            yield k, frame


def render_compare_video(
    a: Analysis, b: Analysis, fmap: FrameMap, out_path: str | os.PathLike[str], labels: tuple[str, str]
) -> list[tuple[int, int]]:
    """Write ``out_path`` (H.264, atomic): for each A frame in ``fmap``, A's annotated frame beside the B frame
    ``fmap`` names, at A's timestamps. Returns, per written frame, (A frame index, B frame index) as shown:
    the record the alignment is measured on (a B frame the decoder skipped is replaced by the one before)."""
    plans = RenderPlan(a), RenderPlan(b)
    stacks = default_annotators(plans[0]), default_annotators(plans[1])
    lay = layout_for((a.video.width, a.video.height), (b.video.width, b.video.height))
    strips = (
        name_strip(labels[0], lay.a_width_px, lay.strip_px),
        name_strip(labels[1], lay.b_width_px, lay.strip_px),
    )
    wanted = dict(zip(fmap.a_index.tolist(), fmap.b_index.tolist(), strict=True))
    last_a = int(fmap.a_index[-1]) if len(fmap.a_index) else -1
    shown: list[tuple[int, int]] = []
    canvas = np.empty((lay.size[1], lay.size[0], 3), dtype=np.uint8)
    canvas[: lay.strip_px, : lay.a_width_px] = strips[0]
    canvas[: lay.strip_px, lay.a_width_px :] = strips[1]
    with (
        VideoReader(a.video.path) as reader_a,
        VideoReader(b.video.path) as reader_b,
        VideoWriter(str(out_path), *lay.size, a.video.fps) as writer,
        BackgroundSink(writer.write) as sink,
        # Both clips decode ahead and the output encodes behind in helper threads while this thread draws; the
        # decoders are stopped (closing) before their readers close, also when the loop ends early.
        closing(prefetch(_frames_by_index(reader_a, plans[0]), name="formcheck-decode-a")) as a_frames,
        closing(prefetch(_frames_by_index(reader_b, plans[1]), name="formcheck-decode-b")) as b_frames,
    ):
        current, ahead = next(b_frames, None), next(b_frames, None)
        b_drawn: tuple[int, np.ndarray] | None = None
        for ka, frame_a in a_frames:
            if ka > last_a or current is None:
                break
            want = wanted.get(ka)
            if want is None:
                continue
            # The latest B frame at or before the one wanted (one that failed to decode: the one before it).
            while ahead is not None and ahead[0] <= want:
                current, ahead = ahead, next(b_frames, None)
            kb, frame_b = current
            if b_drawn is None or b_drawn[0] != kb:
                rgb = annotate_frame(frame_b.rgb, plans[1].state_at(frame_b.time_s), stacks[1])
                b_drawn = (kb, cv2.resize(rgb, (lay.b_width_px, lay.height_px), interpolation=cv2.INTER_AREA))
            rgb_a = annotate_frame(frame_a.rgb, plans[0].state_at(frame_a.time_s), stacks[0])
            canvas[lay.strip_px :, : lay.a_width_px] = cv2.resize(
                rgb_a, (lay.a_width_px, lay.height_px), interpolation=cv2.INTER_AREA
            )
            canvas[lay.strip_px :, lay.a_width_px :] = b_drawn[1]
            sink.put(canvas.copy(), frame_a.time_s)
            shown.append((ka, kb))
    return shown
