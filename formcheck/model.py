"""The core types, one per pipeline stage: VideoInfo, Trajectories, GaitEvents, MetricResult, Finding, Analysis.

Each is validated once, when made, and frozen afterwards. None of them knows a file format: ``report/`` turns
them into JSON and CSV, ``video/`` and ``pose/`` make them.

Coordinates are image pixels of the *upright* frame (rotation metadata already applied), x to the right, y **down**.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from formcheck.config import AnalysisSettings
from formcheck.errors import InvalidDataError
from formcheck.skeleton import INDEX, N_LANDMARKS, SIDES

VERDICTS: tuple[str, ...] = ("good", "watch", "borderline", "flag", "n/a")
EVIDENCE_TAGS: tuple[str, ...] = ("E", "N", "H", "X")
VIEWS: tuple[str, ...] = ("side", "rear", "front")


SLOW_MOTION_MIN_RATIO = 1.05  # capture rate must exceed playback rate by this factor to count as slow motion


@dataclass(frozen=True)
class VideoInfo:
    """What the video container says about a clip, after rotation (width/height are of the upright frame)."""

    path: str
    width: int
    height: int
    fps: float  # average frame rate: (frames - 1) / (last - first timestamp); 29.97 stays 29.97
    n_frames: int
    duration_s: float
    rotation_deg: int = 0  # clockwise rotation applied to make the frame upright
    codec: str = ""
    variable_frame_rate: bool = False
    capture_fps: float | None = None  # slow-motion capture rate when the file's metadata gives one
    start_s: float = 0.0  # time of the first analysed frame (after --start)
    # Different pictures a second: below fps when the file repeats its pictures; None when not measured.
    picture_fps: float | None = None

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise InvalidDataError(f"video size must be positive, got {self.width}x{self.height}")
        if not np.isfinite(self.fps) or self.fps <= 0:
            raise InvalidDataError(f"frame rate must be a positive number, got {self.fps}")
        if self.n_frames < 0:
            raise InvalidDataError(f"frame count must be >= 0, got {self.n_frames}")

    @property
    def effective_fps(self) -> float:
        """The rate at which motion was captured: the capture rate of a slow-motion file, else the file's rate."""
        return self.capture_fps or self.fps

    @property
    def slow_motion_factor(self) -> float:
        """Seconds of file per second of motion: capture rate / playback rate for a slow-motion file, else 1."""
        if self.capture_fps and self.capture_fps > self.fps * SLOW_MOTION_MIN_RATIO:
            return self.capture_fps / self.fps
        return 1.0


@dataclass(frozen=True, eq=False)
class Trajectories:
    """Landmark tracks of one person: ``xy_px`` (T, 33, 2) pixels (NaN = missing), ``visibility`` (T, 33) in
    [0, 1], ``time_s`` (T,) strictly increasing frame timestamps in seconds of the *motion* (slow-motion files are
    already rescaled to capture time), and the clip's ``video`` metadata. ``world_xyz`` (T, 33, 3), metres with the
    origin at the hip centre, is rough and only breaks ties (METRICS.md 2.1). ``repeated`` (T,), per frame: 1.0
    where the frame repeats the previous picture where the runner is, 0.0 a new picture, NaN unknown
    (video/repeats.py); None when not judged (a landmark cache written before it was kept)."""

    xy_px: np.ndarray
    visibility: np.ndarray
    time_s: np.ndarray
    video: VideoInfo
    world_xyz: np.ndarray | None = None
    repeated: np.ndarray | None = None

    def __post_init__(self) -> None:
        xy = np.asarray(self.xy_px, dtype=float)
        vis = np.asarray(self.visibility, dtype=float)
        t = np.asarray(self.time_s, dtype=float)
        if xy.ndim != 3 or xy.shape[1:] != (N_LANDMARKS, 2):
            raise InvalidDataError(f"xy_px must have shape (T, {N_LANDMARKS}, 2), got {xy.shape}")
        n = xy.shape[0]
        if vis.shape != (n, N_LANDMARKS):
            raise InvalidDataError(f"visibility must have shape ({n}, {N_LANDMARKS}), got {vis.shape}")
        if t.shape != (n,):
            raise InvalidDataError(f"time_s must have shape ({n},), got {t.shape}")
        if n and not np.all(np.isfinite(t)):
            raise InvalidDataError("time_s must be finite in every frame")
        if n > 1 and not np.all(np.diff(t) > 0):
            raise InvalidDataError("time_s must be strictly increasing")
        if self.world_xyz is not None and np.shape(self.world_xyz) != (n, N_LANDMARKS, 3):
            raise InvalidDataError(
                f"world_xyz must have shape ({n}, {N_LANDMARKS}, 3), got {np.shape(self.world_xyz)}"
            )
        if self.repeated is not None:
            if np.shape(self.repeated) != (n,):
                raise InvalidDataError(f"repeated must have shape ({n},), got {np.shape(self.repeated)}")
            object.__setattr__(self, "repeated", np.asarray(self.repeated, dtype=float))
        object.__setattr__(self, "xy_px", xy)
        object.__setattr__(self, "visibility", np.nan_to_num(vis, nan=0.0))
        object.__setattr__(self, "time_s", t)

    @property
    def n_frames(self) -> int:
        return int(self.xy_px.shape[0])

    @property
    def fps(self) -> float:
        """Motion frame rate from the timestamps (frames per second of clip), not from the container: with
        variable frame rate or dropped frames this is the rate the samples actually come at, on average."""
        if self.n_frames < 2:
            return self.video.effective_fps
        return float((self.n_frames - 1) / (self.time_s[-1] - self.time_s[0]))

    @property
    def irregular(self) -> bool:
        """True when frame intervals vary by more than 5% (variable frame rate, dropped frames)."""
        if self.n_frames < 3:
            return False
        dt = np.diff(self.time_s)
        return bool(np.std(dt) > 0.05 * np.mean(dt))

    def point(self, name: str) -> np.ndarray:
        """(T, 2) pixel track of one landmark."""
        return self.xy_px[:, INDEX[name], :]

    def mid(self, a: str, b: str) -> np.ndarray:
        """(T, 2) midpoint track of two landmarks (e.g. the hip centre)."""
        return 0.5 * (self.point(a) + self.point(b))

    def replace(self, **changes: Any) -> Trajectories:
        return dataclasses.replace(self, **changes)

    def frame_index_at(self, t_s: float) -> int:
        """Index of the frame nearest to time ``t_s``."""
        return int(np.clip(np.searchsorted(self.time_s, t_s), 0, max(self.n_frames - 1, 0)))


@dataclass(frozen=True)
class Step:
    """One step: the foot that lands (``side``), its contact time (sub-frame), toe-off and midstance times."""

    side: str
    contact_s: float
    toe_off_s: float | None = None
    midstance_s: float | None = None
    valid: bool = True
    reject_reason: str = ""
    # Where the foot strike angle is read when the contact was retimed from the picture (gait.contact_timing =
    # "sole"): the landmark contact, at which its bias correction was fitted; None: at ``contact_s``.
    strike_read_s: float | None = None

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise InvalidDataError(f"step side must be 'left' or 'right', got {self.side!r}")
        if not np.isfinite(self.contact_s):
            raise InvalidDataError("step contact time must be finite")

    @property
    def contact_time_s(self) -> float | None:
        """Ground-contact duration, toe-off minus contact."""
        if self.toe_off_s is None:
            return None
        return self.toe_off_s - self.contact_s


@dataclass(frozen=True)
class GaitEvents:
    """The step table of a clip, in time order. ``method`` is ``sagittal`` or ``frontal``; ``contact_timing`` says
    where the contact times come from: ``landmarks``, ``sole`` (the shoe's sole in the picture, formcheck/
    sole_edge.py) or ``sole refused: <reason>`` (asked for, landmark contacts kept)."""

    steps: tuple[Step, ...]
    method: str = "sagittal"
    stride_time_s: float | None = None  # typical stride period found by autocorrelation
    contact_timing: str = "landmarks"

    def __post_init__(self) -> None:
        times = [s.contact_s for s in self.steps]
        if any(b < a for a, b in zip(times, times[1:], strict=False)):
            raise InvalidDataError("steps must be in time order")

    @property
    def valid_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.valid)

    def count(self, side: str, valid_only: bool = True) -> int:
        return sum(1 for s in self.steps if s.side == side and (s.valid or not valid_only))

    @property
    def n_rejected(self) -> int:
        return sum(1 for s in self.steps if not s.valid)

    @property
    def rejection_rate(self) -> float:
        return self.n_rejected / len(self.steps) if self.steps else 0.0


@dataclass(frozen=True)
class MetricResult:
    """One metric of one clip. ``per_step`` is aligned with ``GaitEvents.steps`` (None where a step was not
    measured); ``spread`` is the interquartile range over steps in the metric's unit."""

    id: str
    value: float | str | None
    unit: str
    verdict: str
    evidence: str
    n_steps: int = 0
    spread: float | None = None
    per_side: dict[str, float | None] | None = None
    per_step: tuple[float | None, ...] | None = None
    note: str = ""
    value_cm: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # 95% interval of ``value`` (formcheck/metrics/uncertainty.py): spread over steps, event timing, landmark error.
    interval: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise InvalidDataError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")
        if self.evidence not in EVIDENCE_TAGS:
            raise InvalidDataError(f"evidence must be one of {EVIDENCE_TAGS}, got {self.evidence!r}")


@dataclass(frozen=True)
class Finding:
    """A non-good verdict told to a person: what was seen, the guidance it is checked against, why it matters
    for the back, what helps, and a short cue to think of while running."""

    metric: str
    verdict: str
    guidance: str
    message: str
    cue: str
    why: str = ""
    helps: str = ""
    evidence: str = ""


EARLIER_VIDEO_LINE = "annotated.mp4 shows an earlier analysis"  # how the warning about an EarlierVideo begins


@dataclass(frozen=True)
class EarlierVideo:
    """The clip folder's annotated.mp4 was kept from an earlier analysis whose drawing (panel, landing marks)
    differs from this one's, because the source video was not at hand to draw it again (``pipeline.reanalyze``)."""

    drawing_sha256: str  # what the kept video draws (formcheck/video_drawing.py: drawing_sha256)
    drawn: dict[str, Any]  # ... in full (video_drawing.drawn_summary), so later differences are told exactly
    differences: tuple[str, ...]  # what differs, in words
    source_path: str  # where the source video must be for a redraw
    clip_dir: str  # the folder to re-analyse then


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything formcheck concluded about one clip, and the settings and thresholds it was computed with: every
    output prints those, never defaults looked up again."""

    video: VideoInfo
    input_sha256: str
    view: str
    direction: str  # side view: 'left' | 'right' (image direction of travel); frontal: 'toward' | 'away'
    pose_model: str
    detected_fraction: float
    raw: Trajectories
    clean: Trajectories
    events: GaitEvents
    metrics: dict[str, MetricResult]
    findings: tuple[Finding, ...]
    leg_length_px: float
    filter_cutoff_hz: float
    settings: AnalysisSettings
    warnings: tuple[str, ...] = ()
    height_cm: float | None = None
    formcheck_version: str = ""
    view_reason: str = ""
    person_track: int | None = None
    roll_deg: float = 0.0  # camera roll corrected before angles (METRICS.md 2.1)
    faces_blurred: bool = False  # --blur-faces asked, and the head found to blur (render/face_blur.py)
    # The lines of ``warnings`` the pose pass gave (reading the video, choosing the runner, the zoomed search, slow
    # motion): kept in analysis.json (``pose.warnings``) so a re-analysis from the landmarks says them again.
    pose_warnings: tuple[str, ...] = ()
    # Why no verdict is given on this clip (too few usable steps: trajectory_analysis.verdicts_withheld_reason), or
    # '' when the verdicts stand. The values are still measured, with their intervals.
    verdicts_withheld: str = ""
    # Set when annotated.mp4 shows an earlier analysis (kept by a re-analysis without the source video).
    earlier_video: EarlierVideo | None = None
