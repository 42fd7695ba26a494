"""The annotated video: decode the input again, draw every frame, encode at the same timestamps; and the key frames
at contact that the report shows (taken in the same pass)."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from formcheck.memory import release_free_memory
from formcheck.metrics.display import whole_degrees
from formcheck.model import Analysis
from formcheck.render.angles import ElbowAnnotator, TrunkAnnotator
from formcheck.render.contact import ContactAnnotator
from formcheck.render.crop import CROP_MODES, CropWindows, runner_windows
from formcheck.render.face_blur import blur_box
from formcheck.render.frame_cache import SourceFrame
from formcheck.render.frontal import PelvisMidlineAnnotator, PersonLabelAnnotator
from formcheck.render.guidance_lines import GuidanceLinesAnnotator
from formcheck.render.overlay import MetricPanelAnnotator, StepCounterAnnotator
from formcheck.render.skeleton import SkeletonAnnotator
from formcheck.render.state import FrameState, RenderPlan, motion_per_file_s
from formcheck.streaming import BackgroundSink, prefetch

logger = logging.getLogger(__name__)

# A key frame is the first frame at or after contact: the frame the video marks the landing on, and the one a person
# labels as the first with the foot on the ground (benchmarks/score_contacts.py scores that frame).
KEYFRAME_DELAY_S = 0.0
FRAME_TIME_TOLERANCE_S = 1e-6  # the contact marks are drawn from a frame whose time is the contact's or later

# glibc keeps freed heap in the process: what the pose pass and the analysis freed, and the frame buffers the decode,
# draw and encode threads free into their own malloc arenas. Without a trim before the pass and now and then during
# it, peak RSS grew with the clip's length (issue 7).
TRIM_EVERY_FRAMES = 120


class Annotator(Protocol):
    def annotate(self, frame: np.ndarray, state: FrameState) -> np.ndarray: ...


@dataclass(frozen=True)
class KeyFrame:
    """An annotated frame at one step's contact, cropped around the runner."""

    side: str
    step_index: int
    time_s: float
    rgb: np.ndarray
    caption: str = ""


@dataclass
class RenderResult:
    path: Path | None
    n_frames: int = 0
    key_frames: list[KeyFrame] = field(default_factory=list)
    # The decoded frames the key frames were drawn on, for the clip folder's key-frame cache.
    key_frame_sources: list[SourceFrame] = field(default_factory=list)


def default_annotators(plan: RenderPlan, cropped: bool = False) -> list[Annotator]:
    """The standard stack, bottom to top. Sagittal drawings (trunk lean, elbow, overstride and shin at contact)
    belong to side views; the pelvis line and midline to rear and front views. ``cropped``: the frames are cut
    to a window around the runner (the panel goes top-left; the runner is in the middle)."""
    side = plan.analysis.view == "side"
    panel = (
        MetricPanelAnnotator(corner="top-left", text_size=0.55)
        if cropped
        else MetricPanelAnnotator(runner_points=plan.runner_points())
    )
    stack: list[Annotator] = [StepCounterAnnotator(), panel]
    stack += [TrunkAnnotator()] if side else [PelvisMidlineAnnotator()]
    stack += [SkeletonAnnotator(), GuidanceLinesAnnotator(), PersonLabelAnnotator(plan.analysis.person_track)]
    if side:
        stack += [ElbowAnnotator(), ContactAnnotator(hold_s=plan.hold_s)]
    return stack


def annotate_frame(rgb: np.ndarray, state: FrameState, annotators: Sequence[Annotator]) -> np.ndarray:
    """Draw every annotator on a writable copy of ``rgb`` when it is read-only, else in place."""
    frame = rgb if rgb.flags.writeable and rgb.flags.c_contiguous else np.ascontiguousarray(rgb).copy()
    for a in annotators:
        frame = a.annotate(frame, state)
    return frame


def _frontal(plan: RenderPlan) -> bool:
    return plan.analysis.view in ("rear", "front")


def _step_value(plan: RenderPlan, metric_id: str, i: int) -> float | None:
    m = plan.analysis.metrics.get(metric_id)
    if m is None or m.per_step is None or i >= len(m.per_step):
        return None
    v = m.per_step[i]
    return float(v) if isinstance(v, (int, float)) and np.isfinite(v) else None


def key_frame_steps(plan: RenderPlan) -> list[int]:
    """One step per side: the valid step whose overstride (else shank angle; from behind or in front, pelvic drop)
    is nearest that side's median."""
    chosen = []
    for side in ("left", "right"):
        marks = [m for m in plan.contacts if m.side == side and m.valid]
        if not marks:
            continue
        if _frontal(plan):
            vals = [_step_value(plan, "pelvic_tilt_deg", m.index) for m in marks]
        else:
            vals = [m.overstride_pct if m.overstride_pct is not None else m.shank_deg for m in marks]
        known = [v for v in vals if v is not None]
        if known:
            med = float(np.median(known))
            best = min(range(len(marks)), key=lambda i: abs(vals[i] - med) if vals[i] is not None else np.inf)
        else:
            best = len(marks) // 2
        chosen.append(marks[best].index)
    return sorted(chosen)


def key_time_s(plan: RenderPlan, i: int) -> float:
    """When step ``i``'s key frame is taken (motion time): at contact from the side; at midstance, where the
    frontal-plane metrics are measured, from behind or in front."""
    step = plan.analysis.events.steps[i]
    if _frontal(plan) and step.midstance_s is not None:
        return step.midstance_s
    return step.contact_s


def _frontal_caption(plan: RenderPlan, i: int) -> str:
    m = plan.contacts[i]
    t = key_time_s(plan, i)
    parts = [f"{m.side.capitalize()} foot in stance at {t:.2f} s (midstance)"]
    drop = _step_value(plan, "pelvic_tilt_deg", i)
    if drop is not None:
        pelvis = plan.analysis.metrics["pelvic_tilt_deg"]
        where = " (from the waistband in the picture)" if pelvis.extra.get("source") == "image" else ""
        # + = the swing-side hip lower (METRICS.md 5.1): a negative "drop" is that hip higher, said so in words.
        if round(drop, 1) < 0:
            parts.append(f"no pelvic drop{where}: the swing-side hip sits {-drop:.1f}° higher")
        else:
            parts.append(f"pelvic drop {drop:+.1f}°{where}: the swing-side hip sits lower")
    width = _step_value(plan, "step_width", i)
    if width is not None:
        if width <= 0:  # 0 or below = on or across the midline (METRICS.md): a distance across it, not "-22%"
            parts.append(f"heel {-width:.0f}% of hip width across the midline (crossover)")
        else:
            parts.append(f"heel {width:.0f}% of hip width from the midline")
    lean = _step_value(plan, "lateral_trunk_lean_deg", i)
    if lean is not None:
        # + = toward the stance foot (METRICS.md 5.2)
        toward = "away from" if round(lean, 1) < 0 else "toward"
        parts.append(f"trunk {abs(lean):.1f}° {toward} the stance foot")
    pink = "Pink: the hip landmarks' line and its tilt"
    if drop is not None and plan.analysis.metrics["pelvic_tilt_deg"].extra.get("source") == "image":
        pink += " (not the drop above, which is measured on the waistband)"
    return (
        "; ".join(parts)
        + f". {pink}; dashed white: the body's midline; dashed yellow: the standing leg's hip-to-ankle line, "
        "knee ringed."
    )


def _caption(plan: RenderPlan, i: int) -> str:
    if _frontal(plan):
        return _frontal_caption(plan, i)
    m = plan.contacts[i]
    parts = [f"{m.side.capitalize()} foot lands at {m.contact_s:.2f} s"]
    if m.overstride_pct is not None:
        parts.append(f"heel {m.overstride_pct:.0f}% of leg length ahead of the hips")
    if m.shank_deg is not None:
        # + = ankle ahead of the knee (METRICS.md); a bare "-6° from vertical" leaves the reader guessing which way.
        back = round(m.shank_deg) < 0
        parts.append(
            f"shin {whole_degrees(abs(m.shank_deg))} back from vertical (ankle behind the knee)"
            if back
            else f"shin {whole_degrees(m.shank_deg)} from vertical"
        )
    if m.foot_deg is not None:
        parts.append(
            f"foot {whole_degrees(m.foot_deg, signed=True)}"
            + (f" ({m.strike_words})" if m.strike_words else "")
        )
    return "; ".join(parts)


def crop_to_runner(
    rgb: np.ndarray,
    xy_px: np.ndarray | None,
    pad: float = 0.18,
    boxes: Sequence[tuple[int, int, int, int]] = (),
) -> np.ndarray:
    """Crop around the landmarks (padded, at least 3:4 tall) and every label box in ``boxes`` (x0, y0, x1, y1),
    so no label drawn on the runner is cut; the whole frame when the landmarks are missing."""
    if xy_px is None:
        return rgb.copy()
    pts = xy_px[np.all(np.isfinite(xy_px), axis=1)]
    if len(pts) < 4:
        return rgb.copy()
    H, W = rgb.shape[:2]
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    w, h = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    h = h * (1 + 2 * pad)
    w = max(w * (1 + 2 * pad), 0.75 * h)
    xa, xb = cx - w / 2, cx + w / 2
    ya, yb = cy - h / 2, cy + h / 2
    margin = 4
    for bx0, by0, bx1, by1 in boxes:
        xa, ya = min(xa, bx0 - margin), min(ya, by0 - margin)
        xb, yb = max(xb, bx1 + margin), max(yb, by1 + margin)
    xa, xb = int(max(0, xa)), int(min(W, np.ceil(xb)))
    ya, yb = int(max(0, ya)), int(min(H, np.ceil(yb)))
    if xb - xa < 16 or yb - ya < 16:
        return rgb.copy()
    return rgb[ya:yb, xa:xb].copy()


class _KeyFrameCollector:
    """Keeps, for each wanted step, the first frame at or after its contact (within a frame and a half), and the
    decoded frame it was drawn on (for the key-frame cache)."""

    def __init__(self, plan: RenderPlan, steps: Sequence[int]) -> None:
        self.plan = plan
        self.pending = {i: key_time_s(plan, i) + KEYFRAME_DELAY_S for i in steps}
        self.found: dict[int, KeyFrame] = {}
        self.sources: dict[int, SourceFrame] = {}

    def _takes(self, motion_t: float, t_want: float) -> bool:
        return motion_t + FRAME_TIME_TOLERANCE_S >= t_want

    def wants(self, motion_t: float) -> bool:
        """Whether the frame at ``motion_t`` will be kept (so its undrawn pixels are worth copying)."""
        dt = self.plan.frame_dt_s
        return any(self._takes(motion_t, t) and motion_t - t <= 1.5 * dt for t in self.pending.values())

    def offer(
        self, motion_t: float, annotated: np.ndarray, state: FrameState, source: SourceFrame | None = None
    ) -> None:
        for i, t_want in list(self.pending.items()):
            if self._takes(motion_t, t_want):
                del self.pending[i]
                if motion_t - t_want <= 1.5 * self.plan.frame_dt_s:
                    m = self.plan.contacts[i]
                    boxes = [b for b in state.labels if b not in state.fixed]
                    crop = crop_to_runner(annotated, state.xy_px, boxes=boxes)
                    self.found[i] = KeyFrame(
                        m.side, i, key_time_s(self.plan, i), crop, _caption(self.plan, i)
                    )
                    if source is not None:
                        self.sources[i] = source

    def result(self) -> list[KeyFrame]:
        return [self.found[i] for i in sorted(self.found)]

    def source_frames(self) -> list[SourceFrame]:
        return [self.sources[i] for i in sorted(self.sources)]


def analysed_span_file_s(analysis: Analysis) -> tuple[float | None, float | None]:
    """File seconds of the first and last analysed frame (the span ``--start``/``--end`` chose; the whole clip
    without them): the span ``annotated.mp4`` covers. (None, None) for an analysis without frames."""
    t = analysis.raw.time_s
    if len(t) == 0:
        return None, None
    per_file = motion_per_file_s(analysis.video)  # trajectories are in motion time, the reader in file time
    return float(t[0]) / per_file, float(t[-1]) / per_file


def render_annotated_video(
    analysis: Analysis,
    out_path: str | os.PathLike[str] | None,
    start_s: float | None = None,
    end_s: float | None = None,
    annotators: Sequence[Annotator] | None = None,
    key_frames: bool = True,
    crop: str = "none",
) -> RenderResult:
    """Decode ``analysis.video.path`` again, draw the annotators on every frame and write ``out_path`` (H.264,
    same timestamps and frame count; atomic). Decoding and encoding run in helper threads (formcheck/streaming.py).
    Only the analysed frames are drawn (``analysed_span_file_s``: what ``--start``/``--end`` chose, also when the
    analysis is rebuilt from cached landmarks), so the video starts at the first analysed frame (its time 0);
    ``start_s``/``end_s`` (file seconds) choose another span. With ``out_path=None`` nothing is written (key frames
    only). ``crop="runner"`` cuts every frame to a square window that follows the runner (formcheck/render/crop.py).
    Returns the frame count and the key frames (one per side)."""
    from formcheck.video.reader import VideoReader
    from formcheck.video.writer import VideoWriter

    if crop not in CROP_MODES:
        raise ValueError(f"crop must be one of {CROP_MODES}, got {crop!r}")
    plan = RenderPlan(analysis)
    tr = analysis.clean
    windows = (
        runner_windows(tr.xy_px, tr.time_s, analysis.video.width, analysis.video.height)
        if crop == "runner"
        else None
    )
    if windows is not None and annotators is None:
        stack = default_annotators(plan, cropped=True)
    else:
        stack = list(annotators) if annotators is not None else default_annotators(plan)
    collector = _KeyFrameCollector(plan, key_frame_steps(plan) if key_frames else [])
    if start_s is None and end_s is None:
        start_s, end_s = analysed_span_file_s(analysis)
    n = 0
    with VideoReader(analysis.video.path, start_s=start_s, end_s=end_s) as reader:
        info = reader.info
        size = (windows.out_px, windows.out_px) if windows is not None else (info.width, info.height)
        writer = VideoWriter(str(out_path), *size, info.fps) if out_path is not None else None
        if writer is None:
            for frame in reader:
                if not collector.pending:
                    break
                _draw_and_offer(plan, stack, collector, frame.time_s, frame.rgb, windows)
                n += 1
        else:
            # Decode ahead and encode behind in helper threads (bounded queues) while this thread draws.
            release_free_memory()
            with writer, BackgroundSink(writer.write) as sink:
                for frame in prefetch(reader):
                    out = _draw_and_offer(plan, stack, collector, frame.time_s, frame.rgb, windows)
                    sink.put(out, frame.time_s)
                    n += 1
                    if n % TRIM_EVERY_FRAMES == 0:
                        release_free_memory()
        for w in getattr(reader, "warnings", []):
            logger.warning("%s", w)
    logger.debug("rendered %d frames to %s", n, out_path)
    return RenderResult(
        Path(out_path) if out_path is not None else None, n, collector.result(), collector.source_frames()
    )


def _draw_and_offer(
    plan: RenderPlan,
    stack: Sequence[Annotator],
    collector: _KeyFrameCollector,
    file_t: float,
    rgb: np.ndarray,
    windows: CropWindows | None = None,
) -> np.ndarray:
    state = plan.state_at(file_t)
    if (
        plan.head_track is not None
    ):  # --blur-faces: before anything is kept or drawn (the key-frame cache too)
        rgb = blur_box(rgb, plan.head_track.box_at(state.time_s))
    wanted = collector.wants(state.time_s)
    source = SourceFrame(file_t, rgb.copy()) if wanted else None
    if windows is not None:
        k = int(np.clip(np.searchsorted(plan.time_s, state.time_s), 0, len(plan.time_s) - 1))
        rgb, state = windows.cut(rgb, k), windows.move(state, k)
    key_rgb = rgb.copy() if wanted else None
    out = annotate_frame(rgb, state, stack)
    if key_rgb is not None:
        # A key frame is drawn again without the frame's own overlays (panel, step counter): its crop around the
        # runner would cut them.
        key_state = dataclasses.replace(state, labels=[], fixed=[])
        runner_only = [a for a in stack if not getattr(a, "frame_overlay", False)]
        collector.offer(state.time_s, annotate_frame(key_rgb, key_state, runner_only), key_state, source)
    elif collector.pending:
        collector.offer(state.time_s, out, state, source)  # drops the key frames whose moment has passed
    return out


def collect_key_frames(analysis: Analysis, annotators: Sequence[Annotator] | None = None) -> list[KeyFrame]:
    """Key frames without writing a video (see :func:`key_frames_and_sources`)."""
    return key_frames_and_sources(analysis, annotators)[0]


def key_frames_and_sources(
    analysis: Analysis,
    annotators: Sequence[Annotator] | None = None,
    cached: Sequence[SourceFrame] = (),
    source_ok: Callable[[], bool] | None = None,
) -> tuple[list[KeyFrame], list[SourceFrame]]:
    """Key frames without writing a video (``--no-video``, re-analysis), and the decoded frames they were drawn
    on. A wanted frame found in ``cached`` (the clip folder's key-frame cache) is drawn from there; otherwise a
    short window around its contact is decoded, one thread per window (PyAV decodes with the GIL released; a
    window starts at the keyframe before it, which can be seconds of video)."""
    from concurrent.futures import ThreadPoolExecutor

    plan = RenderPlan(analysis)
    steps = key_frame_steps(plan)
    if not steps:
        return [], []
    found: dict[int, tuple[list[KeyFrame], list[SourceFrame]]] = {}
    for i in steps:
        hit = _cached_key_frame(plan, i, annotators, cached)
        if hit is not None:
            found[i] = hit
    missing = [i for i in steps if i not in found]
    if missing and source_ok is not None and not source_ok():
        steps, missing = [i for i in steps if i in found], []
    if len(missing) == 1:
        found[missing[0]] = _key_frame_window(plan, missing[0], annotators)
    elif missing:
        with ThreadPoolExecutor(max_workers=len(missing), thread_name_prefix="formcheck-keyframe") as pool:
            found.update(
                zip(missing, pool.map(lambda i: _key_frame_window(plan, i, annotators), missing), strict=True)
            )
    frames = [kf for i in steps for kf in found[i][0]]
    sources = [src for i in steps for src in found[i][1]]
    return frames, sources


def try_key_frames_and_sources(
    analysis: Analysis, cached: Sequence[SourceFrame] = (), source_ok: Callable[[], bool] | None = None
) -> tuple[list[KeyFrame], list[SourceFrame]]:
    """:func:`key_frames_and_sources`, or none (with a warning) when the video cannot be read: the report is
    still written. ``source_ok`` is asked before the video is decoded for frames that ``cached`` lacks."""
    from formcheck.errors import FormcheckError

    try:
        return key_frames_and_sources(analysis, cached=cached, source_ok=source_ok)
    except FormcheckError as exc:
        logger.warning("no key frames for the report: %s", exc)
        return [], []


def _cached_key_frame(
    plan: RenderPlan, i: int, annotators: Sequence[Annotator] | None, cached: Sequence[SourceFrame]
) -> tuple[list[KeyFrame], list[SourceFrame]] | None:
    """Step ``i``'s key frame drawn on a cached frame, if the cache holds the very frame that decoding would
    give: the first frame at or after the contact (``_KeyFrameCollector``'s rule, applied to the clip's frame
    times)."""
    if not cached or len(plan.time_s) == 0:
        return None
    t_want = key_time_s(plan, i) + KEYFRAME_DELAY_S
    k = int(np.searchsorted(plan.time_s + FRAME_TIME_TOLERANCE_S, t_want))
    if k >= len(plan.time_s):
        return None
    for src in cached:
        if abs(plan.motion_time(src.file_time_s) - plan.time_s[k]) <= 0.25 * plan.frame_dt_s:
            collector = _KeyFrameCollector(plan, [i])
            stack = _stack(plan, annotators)
            _draw_and_offer(plan, stack, collector, src.file_time_s, src.rgb.copy())
            if collector.found:
                return collector.result(), collector.source_frames()
    return None


def _stack(plan: RenderPlan, annotators: Sequence[Annotator] | None) -> list[Annotator]:
    """Annotators for one thread (a fresh default stack each: annotators may cache drawings)."""
    return list(annotators) if annotators is not None else default_annotators(plan)


def _key_frame_window(
    plan: RenderPlan, i: int, annotators: Sequence[Annotator] | None
) -> tuple[list[KeyFrame], list[SourceFrame]]:
    from formcheck.video.reader import VideoReader

    stack = _stack(plan, annotators)
    t_file = key_time_s(plan, i) / plan.motion_per_file_s
    window = 3.0 * plan.frame_dt_s / plan.motion_per_file_s
    collector = _KeyFrameCollector(plan, [i])
    with VideoReader(
        plan.analysis.video.path, start_s=max(0.0, t_file - window), end_s=t_file + window
    ) as reader:
        for frame in reader:
            _draw_and_offer(plan, stack, collector, frame.time_s, frame.rgb)
            if not collector.pending:
                break
    return collector.result(), collector.source_frames()
