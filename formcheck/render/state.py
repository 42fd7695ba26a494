"""What the annotators draw, computed once per clip (``RenderPlan``) and looked up cheaply per frame
(``FrameState``). Pure: no pixels, no files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from formcheck.config import Thresholds
from formcheck.geometry import (
    angle_from_vertical_down_deg,
    angle_from_vertical_up_deg,
    interp_point,
    joint_angle_deg,
    travel_sign,
)
from formcheck.metrics.display import fmt_number, is_missing, step_strike_words
from formcheck.metrics.registry import REGISTRY, bands_for, label, panel_ids
from formcheck.model import Analysis, MetricResult, VideoInfo
from formcheck.skeleton import INDEX, SIDES

if TYPE_CHECKING:
    from formcheck.render.face_blur import HeadTrack

CONTACT_HOLD_S = 0.30  # how long a contact's annotation stays on screen at most
# ... and at most this fraction of the time to the next landing: the marks are frozen at contact, and on a
# treadmill the other foot lands where this one was; contacts are timed to about a frame.
HOLD_FRACTION = 0.5


@dataclass(frozen=True)
class ContactMark:
    """One step's initial contact: the landmarks at the (sub-frame) contact time and its per-step values."""

    index: int
    side: str
    contact_s: float
    valid: bool
    hip_mid: np.ndarray
    heel: np.ndarray
    toe: np.ndarray
    knee: np.ndarray
    ankle: np.ndarray
    overstride_pct: float | None = None
    shank_deg: float | None = None
    foot_deg: float | None = None
    strike_words: str = (
        ""  # the step's strike class as its label reads it (metrics.display.step_strike_words)
    )
    overstride_verdict: str = "n/a"
    shank_verdict: str = "n/a"


@dataclass(frozen=True)
class PanelRow:
    """One line of the metric panel: label, formatted value, verdict."""

    label: str
    value: str
    verdict: str


@dataclass(frozen=True)
class FrameState:
    """Everything drawn on one frame. ``xy_px``/``visibility`` are the cleaned landmarks of the frame (None when
    the runner was not tracked at this time)."""

    time_s: float
    xy_px: np.ndarray | None
    visibility: np.ndarray | None
    sign: float
    near_side: str
    contacts: tuple[tuple[ContactMark, float], ...] = ()  # (mark, seconds since contact)
    labels: list[tuple[int, int, int, int]] = field(default_factory=list)  # boxes already drawn on this frame
    steps_left: int = 0
    steps_right: int = 0
    trunk_lean_deg: float | None = None
    elbow_deg: float | None = None
    panel: tuple[PanelRow, ...] = field(default=())
    view: str = "side"
    leg_px: float | None = (
        None  # the runner's leg length in pixels: the size of the marks drawn on the runner
    )
    fixed: list[tuple[int, int, int, int]] = field(default_factory=list)  # boxes of the frame's own overlays

    def point(self, name: str) -> np.ndarray | None:
        if self.xy_px is None:
            return None
        p = self.xy_px[INDEX[name]]
        return p if np.all(np.isfinite(p)) else None


def _per_step(m: MetricResult | None, i: int) -> float | str | None:
    if m is None or m.per_step is None or i >= len(m.per_step):
        return None
    v = m.per_step[i]
    if isinstance(v, str):
        return v
    return None if v is None or not np.isfinite(v) else float(v)


def judged_step_value(m: MetricResult | None, i: int) -> float | None:
    """Step ``i``'s value that the metric's bands judge (registry ``judged_per_step``), or None."""
    spec = None if m is None else REGISTRY.get(m.id)
    values = None if spec is None or m is None else spec.judged_per_step(m)
    if values is None or i >= len(values):
        return None
    v = values[i]
    return float(v) if isinstance(v, (int, float)) and np.isfinite(v) else None


def step_verdict(m: MetricResult | None, value: float | None, thresholds: Thresholds) -> str:
    """A step's verdict colour: the metric's own verdict if the step is not clearly in another band."""
    if m is None or value is None:
        return "n/a"
    bands = bands_for(m.id, thresholds)
    return m.verdict if bands is None else bands.verdict(value)


def panel_rows(analysis: Analysis) -> tuple[PanelRow, ...]:
    """The view's headline metrics as panel rows (value with unit, verdict)."""
    return panel_rows_of(analysis.view, analysis.metrics)


def panel_rows_of(view: str, metrics: Mapping[str, MetricResult]) -> tuple[PanelRow, ...]:
    """:func:`panel_rows` from a view and its metrics (also those read back from an analysis.json)."""
    rows = []
    for mid in panel_ids(view):
        m = metrics.get(mid)
        if m is None:
            continue
        value = "--" if is_missing(m.value) else fmt_number(m.value, m.unit)
        rows.append(PanelRow(label(mid), value, m.verdict))
    return tuple(rows)


LEG_SMOOTH_S = 0.5  # the runner's size is smoothed over this window (a stride or so)
LEG_STEP = 1.05  # ... and rounded to steps of 5%, so marks do not flicker in size from frame to frame


def runner_leg_px(
    xy_px: np.ndarray, time_s: np.ndarray, fallback: float | None = None, smooth_s: float = LEG_SMOOTH_S
) -> np.ndarray:
    """The runner's leg length (px) in each frame: thigh plus shank of the longer-looking leg, smoothed over
    ``smooth_s``, rounded to steps of ``LEG_STEP``; frames without the legs take their neighbours' value (or
    ``fallback``). A runner who approaches or recedes gets marks that grow or shrink with them."""
    n = len(time_s)
    legs = []
    for side in SIDES:
        hip, knee, ankle = (xy_px[:, INDEX[f"{side}_{p}"]] for p in ("hip", "knee", "ankle"))
        legs.append(np.hypot(*(knee - hip).T) + np.hypot(*(ankle - knee).T))
    with np.errstate(invalid="ignore"):
        leg = np.fmax(legs[0], legs[1]) if legs else np.full(n, np.nan)
    ok = np.isfinite(leg) & (leg > 0)
    if not ok.any():
        return np.full(n, np.nan if fallback is None else fallback)
    idx = np.arange(n)
    leg = np.interp(idx, idx[ok], leg[ok])
    if n > 1:
        dt = float(np.median(np.diff(time_s)))
        w = max(1, int(round(smooth_s / dt)) | 1)
        if w > 1 and n >= w:
            pad = np.pad(leg, w // 2, mode="edge")
            leg = np.convolve(pad, np.ones(w) / w, mode="valid")
    return LEG_STEP ** np.round(np.log(leg) / np.log(LEG_STEP))


def motion_per_file_s(video: VideoInfo) -> float:
    """Seconds of motion per second of the file: below 1 for a slow-motion file (the reader gives file time;
    trajectories are in motion time)."""
    return 1.0 / video.slow_motion_factor


class RenderPlan:
    """Per-clip precomputation; ``state_at(time_s)`` is O(log n) per frame."""

    def __init__(self, analysis: Analysis, hold_s: float = CONTACT_HOLD_S) -> None:
        tr = analysis.clean
        self.analysis = analysis
        self.hold_s = hold_s
        self.sign = travel_sign(analysis.direction)
        self.time_s = tr.time_s
        self.xy_px = tr.xy_px
        self.visibility = tr.visibility
        self.frame_dt_s = 1.0 / tr.fps if tr.n_frames > 1 else 1.0
        self.motion_per_file_s = motion_per_file_s(analysis.video)
        vis = tr.visibility
        left_vis = (
            np.nanmean(vis[:, [INDEX[f"left_{p}"] for p in ("shoulder", "elbow", "wrist")]])
            if len(vis)
            else 0
        )
        right_vis = (
            np.nanmean(vis[:, [INDEX[f"right_{p}"] for p in ("shoulder", "elbow", "wrist")]])
            if len(vis)
            else 0
        )
        self.near_side = "left" if left_vis >= right_vis else "right"
        hip = tr.mid("left_hip", "right_hip")
        shoulder = tr.mid("left_shoulder", "right_shoulder")
        self.trunk_lean = angle_from_vertical_up_deg(shoulder - hip, self.sign)
        n = self.near_side
        self.elbow = joint_angle_deg(
            tr.point(f"{n}_shoulder"), tr.point(f"{n}_elbow"), tr.point(f"{n}_wrist")
        )
        self.contacts = self._contacts(analysis, hip)
        self.contact_times = np.array([c.contact_s for c in self.contacts])
        gaps = np.diff(self.contact_times, append=np.inf)
        self.hold_until = self.contact_times + np.minimum(hold_s, HOLD_FRACTION * gaps)
        leg = float(analysis.leg_length_px)
        self.leg_px = leg if np.isfinite(leg) and leg > 0 else None
        self.leg_px_per_frame = runner_leg_px(tr.xy_px, tr.time_s, fallback=self.leg_px)
        self.side_times = {s: np.array([c.contact_s for c in self.contacts if c.side == s]) for s in SIDES}
        self.panel = panel_rows(analysis)

    def _contacts(self, analysis: Analysis, hip: np.ndarray) -> tuple[ContactMark, ...]:
        tr = analysis.clean
        t = tr.time_s
        m = analysis.metrics
        th = analysis.settings.thresholds
        marks = []
        for i, s in enumerate(analysis.events.steps):

            def at(track: np.ndarray, cs: float = s.contact_s) -> np.ndarray:
                return interp_point(track, t, cs)

            over = _per_step(m.get("overstride_distance"), i)
            shank = _per_step(m.get("shank_angle_ic_deg"), i)
            foot = _per_step(m.get("foot_strike_angle_deg"), i)
            strike = _per_step(m.get("foot_strike_type"), i)
            knee, ankle = at(tr.point(f"{s.side}_knee")), at(tr.point(f"{s.side}_ankle"))
            if shank is None and s.valid and np.all(np.isfinite(knee)) and np.all(np.isfinite(ankle)):
                shank = float(angle_from_vertical_down_deg(ankle - knee, self.sign))
            over_f = over if isinstance(over, float) else None
            shank_f = shank if isinstance(shank, float) else None
            marks.append(
                ContactMark(
                    index=i,
                    side=s.side,
                    contact_s=s.contact_s,
                    valid=s.valid,
                    hip_mid=at(hip),
                    heel=at(tr.point(f"{s.side}_heel")),
                    toe=at(tr.point(f"{s.side}_foot_index")),
                    knee=knee,
                    ankle=ankle,
                    overstride_pct=over_f,
                    shank_deg=shank_f,
                    foot_deg=foot if isinstance(foot, float) else None,
                    strike_words=step_strike_words(
                        strike if isinstance(strike, str) else None,
                        foot if isinstance(foot, float) else None,
                        th.rearfoot_above_deg,
                        th.forefoot_below_deg,
                    ),
                    overstride_verdict=step_verdict(
                        m.get("overstride_distance"), judged_step_value(m.get("overstride_distance"), i), th
                    ),
                    shank_verdict=step_verdict(m.get("shank_angle_ic_deg"), shank_f, th),
                )
            )
        return tuple(marks)

    @cached_property
    def head_track(self) -> HeadTrack | None:
        """Where the runner's head is, for ``--blur-faces`` (None when the analysis does not blur faces): from the
        pose's own landmarks (``analysis.raw``: the picture's pixels, before any roll correction)."""
        if not self.analysis.settings.blur_faces:
            return None
        from formcheck.render.face_blur import HeadTrack

        raw = self.analysis.raw
        return HeadTrack.from_landmarks(raw.xy_px, raw.time_s)

    def motion_time(self, file_time_s: float) -> float:
        """Trajectory time of a frame the reader stamped ``file_time_s``."""
        return file_time_s * self.motion_per_file_s

    def frame_index(self, t: float) -> int | None:
        """Index of the trajectory frame within half a frame of motion time ``t``, else None."""
        n = len(self.time_s)
        if n == 0:
            return None
        j = int(np.searchsorted(self.time_s, t))
        cands = [k for k in (j - 1, j) if 0 <= k < n]
        k = min(cands, key=lambda c: abs(self.time_s[c] - t))
        return k if abs(self.time_s[k] - t) <= 0.5 * self.frame_dt_s + 1e-6 else None

    def state_at(self, file_time_s: float) -> FrameState:
        """The FrameState of the frame the reader stamped ``file_time_s``."""
        t = self.motion_time(file_time_s)
        k = self.frame_index(t)
        # Only the latest landing, and only until shortly before the next: one landing's marks at a time.
        hi = int(np.searchsorted(self.contact_times, t + 1e-9, side="right"))
        active = ()
        if hi > 0 and t <= self.hold_until[hi - 1] + 1e-9:
            active = ((self.contacts[hi - 1], t - self.contacts[hi - 1].contact_s),)
        lean = None if k is None or not np.isfinite(self.trunk_lean[k]) else float(self.trunk_lean[k])
        elbow = None if k is None or not np.isfinite(self.elbow[k]) else float(self.elbow[k])
        return FrameState(
            time_s=t,
            xy_px=None if k is None else self.xy_px[k],
            visibility=None if k is None else self.visibility[k],
            sign=self.sign,
            near_side=self.near_side,
            contacts=active,
            steps_left=int(np.searchsorted(self.side_times["left"], t + 1e-9, side="right")),
            steps_right=int(np.searchsorted(self.side_times["right"], t + 1e-9, side="right")),
            trunk_lean_deg=lean,
            elbow_deg=elbow,
            panel=self.panel,
            view=self.analysis.view,
            leg_px=self.leg_px if k is None else self.leg_px_per_frame[k],
        )

    def runner_points(self, max_points: int = 4000) -> np.ndarray:
        """(N, 2) sample of every landmark position over the clip: where the runner is on screen."""
        pts = self.xy_px.reshape(-1, 2)
        pts = pts[np.all(np.isfinite(pts), axis=1)]
        step = max(1, len(pts) // max_points)
        return pts[::step]
