"""What every metric function receives: the cleaned trajectories, the step table and the clip's geometry."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcheck.config import GaitSettings, Thresholds, UncertaintySettings
from formcheck.model import GaitEvents, MetricResult, Step, Trajectories
from formcheck.skeleton import INDEX


@dataclass(frozen=True, eq=False)
class MetricContext:
    traj: Trajectories  # cleaned, filtered, roll-corrected
    events: GaitEvents
    view: str  # side | rear | front
    direction: int  # side view: +1 travelling to image-right, -1 to image-left
    leg_length_px: float
    near_side: str
    thresholds: Thresholds
    gait: GaitSettings
    uncertainty: UncertaintySettings
    height_cm: float | None = None
    timing_valid: bool = True  # False for a slowed-down clip with no capture rate: no time-based metric
    timing_note: str = ""
    done: dict[str, MetricResult] = field(default_factory=dict)  # metrics computed so far, in registry order
    # Rear/front views: midstance time -> image tilt of the pelvis line measured from the picture (deg, + = the
    # image-right end lower; formcheck.pose.pelvis), or None when not measured.
    pelvis_line_deg: dict[float, float] | None = None
    # ``traj`` low-passed less (processing.contact_cutoff_points_hz): angles read at contact; None = ``traj``.
    contact_traj: Trajectories | None = None

    def pelvis_line_at(self, t_s: float, tol_s: float = 0.02) -> float | None:
        """The image tilt of the pelvis line measured at the midstance nearest ``t_s`` (within ``tol_s``)."""
        if not self.pelvis_line_deg:
            return None
        t = min(self.pelvis_line_deg, key=lambda k: abs(k - t_s))
        return self.pelvis_line_deg[t] if abs(t - t_s) <= tol_s else None

    _leg_series: np.ndarray | None = field(default=None, repr=False)  # per-frame leg length, filled lazily
    # Intermediate results that several metrics share (e.g. foot-strike angles), computed once per clip.
    shared: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def fps(self) -> float:
        return self.traj.fps

    @property
    def low_fps(self) -> bool:
        return self.fps < self.gait.low_confidence_fps

    @property
    def leg_length_cm(self) -> float | None:
        from formcheck.config import LEG_LENGTH_FRACTION_OF_HEIGHT

        return None if self.height_cm is None else self.height_cm * LEG_LENGTH_FRACTION_OF_HEIGHT

    def leg_at(self, t_s: float, half_window_s: float = 0.5) -> float:
        """Leg length near time ``t_s`` (median of the per-frame lengths within +-0.5 s), so distances stay in
        %leg when the runner's image size changes: a zooming or tracking camera, a runner approaching or
        receding. Falls back to the clip's leg length."""
        from formcheck.processing.scale import leg_length_series_px

        if self._leg_series is None:
            both = np.vstack([leg_length_series_px(self.traj, s) for s in ("left", "right")])
            with np.errstate(all="ignore"):
                object.__setattr__(
                    self, "_leg_series", np.nanmax(np.where(np.isfinite(both), both, -np.inf), axis=0)
                )
        sl = self.frames_between(t_s - half_window_s, t_s + half_window_s)
        seg = self._leg_series[sl]
        seg = seg[np.isfinite(seg) & (seg > 0)]
        return float(np.median(seg)) if seg.size >= 3 else self.leg_length_px

    def at(self, name: str, t_s: float) -> np.ndarray:
        """Landmark position (x, y) at a sub-frame time, by linear interpolation between frames (METRICS.md 3.4)."""
        return sample_point(self.traj, INDEX[name], t_s)

    def at_contact(self, name: str, t_s: float) -> np.ndarray:
        """Landmark position at a contact time from the less-smoothed tracks (``contact_traj``)."""
        return sample_point(
            self.contact_traj if self.contact_traj is not None else self.traj, INDEX[name], t_s
        )

    def hip_mid_at(self, t_s: float) -> np.ndarray:
        return 0.5 * (self.at("left_hip", t_s) + self.at("right_hip", t_s))

    def shoulder_mid_at(self, t_s: float) -> np.ndarray:
        return 0.5 * (self.at("left_shoulder", t_s) + self.at("right_shoulder", t_s))

    def frames_between(self, t0: float, t1: float) -> slice:
        """Frame indices whose time lies in [t0, t1]."""
        ts = self.traj.time_s
        return slice(int(np.searchsorted(ts, t0, "left")), int(np.searchsorted(ts, t1, "right")))

    def steps(self) -> tuple[Step, ...]:
        return self.events.steps


def sample_point(traj: Trajectories, landmark: int, t_s: float) -> np.ndarray:
    ts = traj.time_s
    if traj.n_frames == 0:
        return np.array([np.nan, np.nan])
    i = int(np.searchsorted(ts, t_s))
    if i <= 0:
        return traj.xy_px[0, landmark].copy()
    if i >= len(ts):
        return traj.xy_px[-1, landmark].copy()
    w = (t_s - ts[i - 1]) / (ts[i] - ts[i - 1])
    return (1.0 - w) * traj.xy_px[i - 1, landmark] + w * traj.xy_px[i, landmark]
