"""Rear- and front-view gait events (METRICS.md 3.2).

A camera behind or in front of the runner sees no fore-aft motion, so the events come from vertical motion alone:

- stance foot: the foot lower in the image (the larger y of its lowest point, heel or toe) whose vertical speed is
  below 0.05 leg lengths per frame at 30 fps (``GaitSettings.frontal_stance_speed_leg_per_s``);
- initial contact, by what the ground does in the picture (docs/contacts.md):
  - a runner growing or shrinking in the picture moves overground past a fixed camera, the stance foot is planted,
    and contact is where the foot's late-swing fall stops (``vertical_settle_time``, the side view's settle rule
    turned vertical), timed on the less-smoothed tracks where the fall speed is down to half its peak: the heel's
    impact is a sudden stop, which the smoothing spreads evenly about it (``frontal_settle_velocity_fraction``);
  - otherwise (treadmill, camera that follows) the ground moves in the picture and the swing foot hovers near it
    before landing: the front view takes the leg's longest reach within the stance (``leg_reach_time``), the rear
    view the first still-and-low frame, timed to a fraction of a frame where the speed crosses the threshold;
- a still, low run is a stance only if the hips go lower in it than at its contact (or its first frame): a swing
  foot hovering just above the ground while the other leg pushes the body up is not one (``hips_descend_after``);
  in the rear view's still-and-low rule the contact is also not placed before the middle of the window the hips
  bound it with, their top (mid-flight) and their fastest fall (after the ground takes the weight)
  (``hips_landing_window``; without one, not while the hips still rise: ``hips_stop_rising_time``);
- rear view: a foot lands only after the other has left the ground (``after_other_foot_lifts``): seen from behind,
  the lifting foot is nearer the camera and hides the landing one, whose pose track joins it at the ground early;
- toe-off: the last stance frame, likewise;
- midstance: the lowest pelvis (largest hip-centre y) inside the stance. The pelvis line is read from the picture
  there (from behind at the frame at or before it: the pose model's hips lag the picture), except in the front
  view, where they lag more and the middle of the stance is used (``pelvis_reading_time_s``).

A runner approaching or receding changes size, so the speed threshold follows the runner's size frame by frame
(torso length scaled to leg length), and "near the ground" is judged against a moving ground line, which is not carried across a cut in the video
(``cut_segments``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from formcheck.config import GaitSettings
from formcheck.gait.classify import GaitKind, foot_range_leg, gait_from_steps
from formcheck.gait.common import interpolate_nans, parabolic_peak, stride_period_s, validate_steps
from formcheck.model import GaitEvents, Step, Trajectories
from formcheck.processing.filtering import central_velocity


@dataclass(frozen=True)
class FrontalSignals:
    """Per-frame signals of the frontal event detector."""

    low_y: dict[str, np.ndarray]  # y of each foot's lowest point, pixels (y down)
    speed: dict[str, np.ndarray]  # |vertical velocity| of that point, pixels/s
    scale_px: np.ndarray  # leg length in pixels at each frame (follows the runner's size)
    ground_y: np.ndarray  # moving ground line, pixels
    hip_y: np.ndarray  # hip-centre y, pixels


def size_scale_px(traj: Trajectories, leg_px: float) -> np.ndarray:
    """Leg length in pixels per frame: the torso length (shoulder centre to hip centre, which stays visible and
    barely changes with the stride) times the clip's median leg/torso ratio, smoothed over ~0.5 s."""
    torso = np.linalg.norm(
        traj.mid("left_shoulder", "right_shoulder") - traj.mid("left_hip", "right_hip"), axis=1
    )
    ok = np.isfinite(torso) & (torso > 0)
    if ok.sum() < 3:
        return np.full(traj.n_frames, leg_px)
    ratio = leg_px / float(np.median(torso[ok]))
    torso = interpolate_nans(np.where(ok, torso, np.nan))
    half = max(1, int(round(0.25 * traj.fps)))
    smooth = np.array([np.median(torso[max(0, i - half) : i + half + 1]) for i in range(len(torso))])
    return smooth * ratio


def size_change_rate_per_s(scale_px: np.ndarray, fps: float) -> float:
    """How fast the runner grows or shrinks in the picture: the median over the clip of |d ln(size)/dt| across
    one-second spans, per second. A runner approaching or receding overground changes size (3 m/s at 20 m: 15%/s);
    one on a treadmill, or followed by the camera, keeps it (the rendered treadmill runner: under 1.5%/s)."""
    log_size = np.log(np.where(scale_px > 0, scale_px, np.nan))
    span = max(1, int(round(fps)))
    if len(log_size) <= span:
        return float("nan")
    rates = np.abs(log_size[span:] - log_size[:-span]) * fps / span
    return float(np.nanmedian(rates)) if np.isfinite(rates).any() else float("nan")


def leg_reach_time(ankle_below_hip: np.ndarray, time_s: np.ndarray, first: int, last: int) -> float | None:
    """Front view, ground moving under the runner: the contact as the leg's longest vertical reach (ankle lowest
    below the hips, knee straightest) between frames ``first`` and ``last`` (the stance's end: after contact the
    foot moves away from the camera and rises in the picture while the hips drop, so the reach only shrinks; the
    midstance was the bound before, but the pose model's hips lag 1.7-3 frames in this view and their lowest point
    sometimes fell on the stance's first frame, 4 frames after the contact). The swing knee extends
    into the landing and the stance knee flexes after it, as in the side view's knee marker
    (``gait.sagittal.refine_contact``); sub-frame by a parabola. None without a maximum strictly inside."""
    n = len(time_s)
    lo, hi = max(1, first), min(n - 1, last + 1)
    seg = ankle_below_hip[lo:hi]
    if seg.size < 3 or not np.isfinite(seg).any():
        return None
    k = lo + int(np.nanargmax(seg))
    if k == hi - 1 or not ankle_below_hip[k - 1] < ankle_below_hip[k]:
        return None  # still lengthening at the last frame, or at the first frame and not a maximum there
    return parabolic_peak(ankle_below_hip, time_s, k)


def hips_descend_after(hip_y: np.ndarray, first: int, last: int) -> bool:
    """Whether the hips go lower in the picture (larger y) somewhere after frame ``first`` up to ``last`` than at
    ``first``: a foot that has landed carries the body, which keeps falling after initial contact until
    midstance (the centre of mass peaks in flight and is lowest at midstance: Cavanagh & Lafortune 1980; Farley &
    Ferris 1998). A swing foot hovering still and low just above the ground while the other leg pushes the body
    up (the hips rising at every frame: overground_front_two_joggers, docs/contacts.md) is not a stance. True when
    fewer than two finite frames leave nothing to judge."""
    seg = hip_y[max(0, first) : last + 1]
    if np.isfinite(seg).sum() < 2 or not math.isfinite(float(seg[0])):
        return True
    return bool(np.nanmax(seg[1:]) > seg[0])


def hips_stop_rising_time(hip_y: np.ndarray, time_s: np.ndarray, contact_s: float, last: int) -> float | None:
    """If the hips still rise in the picture (y falling) at ``contact_s``, the sub-frame time they stop rising (their
    highest point, by a parabola), searched up to frame ``last``; None when they do not rise there.

    The body rises after the other foot's push-off and peaks in flight; a landing foot catches a falling body,
    which keeps falling until midstance (Cavanagh & Lafortune 1980; Farley & Ferris 1998). So while the hips still
    rise the foot has not landed: a swing foot hovering still and low just above a moving ground (a treadmill, or a
    camera that follows, where no fall marks the landing) passes the still-and-low test 1-4 frames early
    (docs/contacts.md, "The hovering foot and the lifting foot")."""
    k = max(0, int(np.searchsorted(time_s, contact_s + 1e-9, side="right")) - 1)
    if k + 1 > min(last, len(hip_y) - 1) or not hip_y[k + 1] < hip_y[k]:
        return None
    j = k + 1
    while j < last and hip_y[j + 1] < hip_y[j]:
        j += 1
    return min(parabolic_peak(-hip_y, time_s, j), float(time_s[last]))


def hips_landing_window(
    hip_y: np.ndarray, time_s: np.ndarray, contact_s: float, last: int
) -> tuple[float, float] | None:
    """The two moments the hips bound a landing with, nearest ``contact_s`` and up to frame ``last``: their highest
    point (sub-frame, by a parabola; ahead of ``contact_s`` while the hips still rise there, else the last one
    before it) and their fastest fall after it (the peak of the downward image speed, sub-frame). None without both
    inside the clip.

    The body peaks mid-flight, so the landing comes half a flight after the highest point, never before it; after
    the landing the fall keeps speeding up until the ground pushes with more than body weight, so the fastest fall
    comes after the landing (Cavanagh & Lafortune 1980: the vertical force passes body weight within the first
    ~20 ms of a heel strike; Farley & Ferris 1998: the centre of mass falls from mid-flight to midstance). Seen from
    behind on a moving ground no foot signal marks the landing (docs/contacts.md, "The rear view's landing lies
    between the hips' top and their fastest fall")."""
    n = len(hip_y)
    k = min(n - 2, max(1, int(np.searchsorted(time_s, contact_s))))
    if not (math.isfinite(float(hip_y[k])) and math.isfinite(float(hip_y[k + 1]))):
        return None
    stop = min(last, n - 2)
    if hip_y[k + 1] < hip_y[k]:  # still rising (y falling): the top is ahead
        while k < stop and hip_y[k + 1] < hip_y[k]:
            k += 1
    else:
        while k > 1 and hip_y[k - 1] < hip_y[k]:
            k -= 1
    if not (0 < k < n - 1 and hip_y[k - 1] > hip_y[k] < hip_y[k + 1]):
        return None  # no top inside the clip (or the stance): the hips rise or fall throughout
    fall = central_velocity(hip_y, time_s)
    j = k
    while j < stop and fall[j + 1] > fall[j]:
        j += 1
    if j == k or not fall[j + 1] < fall[j]:
        return None  # still speeding up at the stance's end (or the clip's): no fastest fall seen
    return parabolic_peak(-hip_y, time_s, k), parabolic_peak(fall, time_s, j)


def contact_in_hips_window(run_start_s: float, window: tuple[float, float], stance_end_s: float) -> float:
    """A rear contact on a moving ground from the still-and-low run's start and the hips' window (``window``: their
    top, their fastest fall; ``hips_landing_window``): not before the window's middle (the run starts early on a
    foot hovering inside the ground band), not after its end (the landing comes before the fall slows; the run
    starts late on a planted foot read above the band), and not after the stance's last frame. The middle is the
    estimate with the smallest worst-case error inside the window; why it is not the exact landing's place:
    docs/contacts.md, "The rear view's landing lies between the hips' top and their fastest fall"."""
    top_s, fastest_s = window
    return min(max(run_start_s, 0.5 * (top_s + fastest_s)), fastest_s, stance_end_s)


def after_other_foot_lifts(steps: list[Step], cfg: GaitSettings) -> list[Step]:
    """Rear view: each contact moved to no earlier than the other foot's lift-off before it. Running has no double
    support: one foot leaves the ground before the other lands (Novacheck 1998; Cavanagh & Lafortune 1980). Seen
    from behind, the lifting foot is nearer the camera and hides the landing one, and the pose model puts the
    landing foot at the ground with the lifting one, so the fall appears to stop while the other foot is still on
    the ground (overground_rear_receding: 0.2-1.5 frames before its lift-off at 28 of 32 steps, docs/contacts.md). A
    lift-off is trusted only when its stance lasted a plausible time (``GaitSettings.stance_time_s``: a run of two
    feet merged by the pose is not a stance), and a contact is not moved past its own lift-off. ``steps`` in time
    order."""
    out = list(steps)
    lo, hi = cfg.stance_time_s
    for i in range(1, len(out)):
        prev, step = out[i - 1], out[i]
        lift = prev.toe_off_s
        if prev.side == step.side or lift is None or not lo <= lift - prev.contact_s <= hi:
            continue
        if lift > step.contact_s and (step.toe_off_s is None or lift < step.toe_off_s):
            out[i] = dataclasses.replace(step, contact_s=lift)
    return out


def cut_segments(traj: Trajectories, max_torso_per_frame: float) -> np.ndarray:
    """Segment number of each frame: a new segment starts where the trunk (mean of the shoulder-centre and
    hip-centre displacement) jumps more than ``max_torso_per_frame`` torso lengths from the frame before: a cut in
    the video, which a runner seen from behind or in front cannot do in 1/30 s (GaitSettings). A cut is one jump
    (two frames on the low-passed tracks) between calm frames; jumps repeated within 0.2 s are the pose model
    losing or switching the runner (overground_front_two_joggers' first second), not cuts.

    The move is taken over 1/30 s (``lag`` frames: 1 up to 44 fps, 2 at 60, 4 at 120), the frame interval the
    threshold was measured at: the low-pass spreads a cut over a fixed time, so per frame a cut of 0.54 torso
    lengths reads 0.44 at 30 fps, 0.29 at 60 and 0.19 at 120, where it was not found."""
    lag = max(1, int(round(traj.fps / 30.0)))
    hip = traj.mid("left_hip", "right_hip")
    shoulder = traj.mid("left_shoulder", "right_shoulder")
    torso = np.linalg.norm(shoulder - hip, axis=1)
    step = 0.5 * (
        np.linalg.norm(hip[lag:] - hip[:-lag], axis=1)
        + np.linalg.norm(shoulder[lag:] - shoulder[:-lag], axis=1)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        jump = step / np.fmax(torso[lag:], torso[:-lag])
    jumps = _runs(np.isfinite(jump) & (jump > max_torso_per_frame))
    calm = max(2, int(round(0.2 * traj.fps)))
    starts = np.zeros(traj.n_frames, dtype=int)
    for i, (a, b) in enumerate(jumps):
        near_before = i > 0 and a - jumps[i - 1][1] <= calm
        near_after = i + 1 < len(jumps) and jumps[i + 1][0] - b <= calm
        if b - a < 2 * lag and not near_before and not near_after:
            # jump[k] is the move from frame k to frame k + lag: the cut lies in the middle of the run
            starts[(a + b + lag + 1) // 2] = 1
    return np.cumsum(starts)


def _rolling_percentile(x: np.ndarray, half: int, q: float, segment: np.ndarray | None = None) -> np.ndarray:
    """Moving ``q``-th percentile over ``half`` frames either side, not across segments (cuts)."""
    out = np.full(len(x), np.nan)
    for i in range(len(x)):
        lo, hi = max(0, i - half), i + half + 1
        if segment is not None:
            same = np.flatnonzero(segment[lo:hi] == segment[i]) + lo
            lo, hi = int(same[0]), int(same[-1]) + 1
        seg = x[lo:hi]
        seg = seg[np.isfinite(seg)]
        if seg.size:
            out[i] = np.percentile(seg, q)
    return out


def foot_low_y(traj: Trajectories) -> dict[str, np.ndarray]:
    """Each foot's lowest point in the image (the larger y of heel and toe; the ankle when both are missing)."""
    out = {}
    for side in ("left", "right"):
        low = np.fmax(traj.point(f"{side}_heel")[:, 1], traj.point(f"{side}_foot_index")[:, 1])
        out[side] = np.where(np.isfinite(low), low, traj.point(f"{side}_ankle")[:, 1])
    return out


def frontal_signals(
    traj: Trajectories, leg_px: float, stride_s: float, segment: np.ndarray | None = None
) -> FrontalSignals:
    """Per-frame signals; the moving ground line is taken over windows of half a stride (``stride_s``), within
    each ``segment`` (``cut_segments``)."""
    low_y = foot_low_y(traj)
    speed = {side: np.abs(central_velocity(low, traj.time_s)) for side, low in low_y.items()}
    both = np.fmax(low_y["left"], low_y["right"])
    half = max(2, int(round(0.5 * stride_s * traj.fps)))
    ground = _rolling_percentile(both, half, 90, segment)
    hip_y = traj.mid("left_hip", "right_hip")[:, 1]
    return FrontalSignals(low_y, speed, size_scale_px(traj, leg_px), ground, hip_y)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) inclusive index pairs of the True runs of ``mask``."""
    m = np.concatenate([[False], mask, [False]]).astype(int)
    d = np.diff(m)
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _crossing_time(
    speed: np.ndarray, thr: np.ndarray, time_s: np.ndarray, inside: int, outside: int
) -> float:
    """Sub-frame time where ``speed`` crosses ``thr`` between a stance frame and its neighbour (METRICS.md 3.4)."""
    if not (0 <= outside < len(time_s)):
        return float(time_s[inside])
    a, b = speed[outside] - thr[outside], speed[inside] - thr[inside]
    if not (math.isfinite(a) and math.isfinite(b)) or a <= 0 or b >= 0:
        return float(0.5 * (time_s[inside] + time_s[outside]))
    w = a / (a - b)  # fraction of the way from outside to inside
    return float(time_s[outside] + w * (time_s[inside] - time_s[outside]))


def vertical_settle_time(
    fall_px_s: np.ndarray,
    time_s: np.ndarray,
    first: int,
    last: int,
    window: int,
    fraction: float,
    edge: int,
    min_peak_px_s: np.ndarray,
    refall_fraction: float = 1.0,
) -> float | None:
    """When the foot lands (``edge`` +1) or lifts off (``edge`` -1), from its downward image velocity
    ``fall_px_s`` (pixels/s, + = down) and a stance spanning frames ``first``..``last``.

    Landing: the foot falls fastest in late swing and stops on the ground, so contact is where the fall speed,
    after its peak in the ``window`` frames before the stance, has come down to within ``fraction`` of that peak
    above the stance's own velocity (its median); if the fall speeds up again to ``refall_fraction`` of its peak
    before the stance (a pause mid-fall in the tracks), the settle after that last fast fall counts (1.0: off).
    Lift-off mirrors it: the last time before the rise peaks after the stance that the rise speed is within
    ``fraction`` of the stance level. It is the side view's settle rule (``settle_time``) turned vertical; the
    frontal views use half the peak (``GaitSettings.frontal_settle_velocity_fraction``: the heel's impact is a
    sudden stop, docs/contacts.md). Sub-frame by linear interpolation. None when the peak is not in the clip or its speed above the stance's is below ``min_peak_px_s`` (per frame): the rendered
    runner seen from behind on a treadmill, whose swing foot rises and comes toward the camera at once, barely
    moves in image height, and its fall speed does not mark the landing."""
    n = len(time_s)
    stance = fall_px_s[first : last + 1]
    if not np.isfinite(stance).any():
        return None
    v = edge * (fall_px_s - float(np.nanmedian(stance)))
    if edge > 0:
        lo, hi = max(0, first - window), min(n, first + 2)
    else:
        lo, hi = max(0, last - 1), min(n, last + window + 1)
    seg = v[lo:hi]
    if seg.size < 3 or not np.isfinite(seg).any():
        return None
    k_peak = lo + int(np.nanargmax(seg))
    if (
        k_peak in (0, n - 1)
        or (edge > 0 and k_peak == lo and lo > 0)
        or (edge < 0 and k_peak == hi - 1 and hi < n)
    ):
        return None  # the peak sits on the window's edge: no clear swing
    if not v[k_peak] > min_peak_px_s[k_peak]:
        return None  # no clear fall or rise: the swing foot barely moves up and down in the image
    level = fraction * v[k_peak]
    # A fall that slows and speeds up again before the stance has not landed: start after the last fast fall.
    fast = np.flatnonzero(np.isfinite(seg) & (seg > refall_fraction * v[k_peak])) + lo
    k_from = (
        k_peak
        if fast.size == 0
        else (max(k_peak, int(fast.max())) if edge > 0 else min(k_peak, int(fast.min())))
    )
    steps = range(k_from + 1, min(n, last + 1)) if edge > 0 else range(k_from - 1, max(-1, first - 1), -1)
    for j in steps:
        if np.isfinite(v[j]) and v[j] <= level:
            prev = j - 1 if edge > 0 else j + 1
            a, b = v[prev], v[j]
            w = (a - level) / (a - b) if a != b else 1.0
            return float(time_s[prev] + w * (time_s[j] - time_s[prev]))
    return None


def stance_mask(sig: FrontalSignals, side: str, fps: float, cfg: GaitSettings) -> np.ndarray:
    """Frames where ``side`` is the stance foot (METRICS.md 3.2): near the ground, nearly still, and the lower of the
    two feet when both are."""
    other = "right" if side == "left" else "left"
    thr = cfg.frontal_stance_speed_leg_per_s * sig.scale_px
    low, other_low = sig.low_y[side], sig.low_y[other]
    tol = cfg.frontal_ground_tolerance_leg * sig.scale_px
    near = low >= sig.ground_y - tol
    still = sig.speed[side] < thr
    other_still = (sig.speed[other] < thr) & (other_low >= sig.ground_y - tol)
    # The lower foot wins only when both are still on the ground: from the front, the swing foot reaching toward
    # the camera is lower in the image than the stance foot, but it is moving.
    lower = ~(other_low > low) | ~other_still
    mask = lower & near & still & np.isfinite(low)
    # Close one-frame gaps, then drop runs too short to be a stance.
    gap = max(1, int(round(cfg.frontal_merge_gap_s * fps)))
    runs = _runs(mask)
    for (_, e0), (s1, _) in zip(runs, runs[1:], strict=False):
        if s1 - e0 - 1 <= gap:
            mask[e0 + 1 : s1] = True
    return mask


def detect_frontal_events(
    traj: Trajectories,
    leg_px: float,
    cfg: GaitSettings,
    contact_traj: Trajectories | None = None,
    view: str = "rear",
    hover_rule: bool = True,
) -> GaitEvents:
    """Steps from a rear or front view (METRICS.md 3.2), validated with the checks of METRICS.md 3.3.

    ``contact_traj``: the same tracks less smoothed (the pipeline's contact cut-off), for timing the landing and
    lift-off; the heavier low-pass of ``traj`` spreads the foot's sudden stop over several frames."""
    n = traj.n_frames
    if n < 4:
        return GaitEvents(steps=(), method="frontal")
    segment = cut_segments(traj if contact_traj is None else contact_traj, cfg.frontal_cut_torso_per_frame)
    first = frontal_signals(traj, leg_px, cfg.typical_stride_s, segment)
    diff = interpolate_nans(first.low_y["left"] - first.low_y["right"])
    stride = stride_period_s(diff, traj.fps, cfg.stride_search_s) if np.isfinite(diff).all() else None
    sig = frontal_signals(traj, leg_px, stride or cfg.typical_stride_s, segment)
    min_frames = max(2, int(math.ceil(cfg.frontal_min_stance_s * traj.fps)))
    thr = cfg.frontal_stance_speed_leg_per_s * sig.scale_px
    t = traj.time_s
    timing = traj if contact_traj is None else contact_traj
    timing_low_y = foot_low_y(timing)
    # Which contact rule (docs/contacts.md): a runner changing size moves overground past a fixed camera, so the
    # stance foot is planted in the picture and its fall stops at the landing. On a treadmill (or with a camera
    # that follows) the ground moves in the picture and the swing foot hovers near it for several frames before
    # landing, so the fall marks nothing; the front view then uses the leg's longest reach, the rear view the
    # still-and-low run.
    fixed_ground = size_change_rate_per_s(sig.scale_px, traj.fps) >= cfg.frontal_overground_size_rate_per_s
    hip_y = timing.mid("left_hip", "right_hip")[:, 1]
    reach = {s: (timing.point(f"{s}_ankle")[:, 1] - hip_y) / sig.scale_px for s in ("left", "right")}
    reach_window = max(1, int(round(cfg.settle_max_shift_frames * traj.fps / 30.0)))
    window = max(
        2, int(round(cfg.frontal_settle_window_stride * (stride or cfg.typical_stride_s) * traj.fps))
    )
    steps: list[Step] = []
    for side in ("left", "right"):
        for s0, s1 in _runs(stance_mask(sig, side, traj.fps, cfg)):
            if s1 - s0 + 1 < min_frames:
                continue
            sp = sig.speed[side]
            ic = _crossing_time(sp, thr, t, s0, s0 - 1)
            to = _crossing_time(sp, thr, t, s1, s1 + 1)
            if fixed_ground:
                fall = central_velocity(timing_low_y[side], t)
                ic = (
                    vertical_settle_time(
                        fall,
                        t,
                        s0,
                        s1,
                        window,
                        cfg.frontal_settle_velocity_fraction,
                        +1,
                        thr,
                        cfg.frontal_refall_fraction,
                    )
                    or ic
                )
            if (
                hover_rule
                and not fixed_ground
                and view == "rear"
                and (s0 == 0 or segment[s0 - 1] == segment[s0])
            ):
                # No fall marks a landing on a moving ground: not before the middle of the window the hips bound
                # it with (their top, their fastest fall), nor after its end (a planted foot read above the ground
                # band starts its run late); without that window, not while the hips still rise,
                # except in a stance under way at the clip's start (its contact is before the clip: the hips rise
                # towards the next flight, and the rule would put the contact at its lift-off).
                window = hips_landing_window(sig.hip_y, t, ic, s1)
                if window is not None:
                    ic = contact_in_hips_window(ic, window, float(t[s1]))
                elif s0 > 0:
                    ic = max(ic, hips_stop_rising_time(hip_y, t, ic, s1) or ic)
            seg = sig.hip_y[s0 : s1 + 1]
            mid = None
            if np.isfinite(seg).any():
                k = s0 + int(np.nanargmax(seg))
                mid = parabolic_peak(sig.hip_y, t, k)
                if not fixed_ground and view == "front":
                    # Searched up to the stance's end, not the midstance: through the pose model the front
                    # view's lowest hip can sit on the stance's first frame, which cut the search short.
                    ic = leg_reach_time(reach[side], t, s0 - reach_window, s1) or ic
            # A hover is not a stance: the hips must go on falling after the contact, or after the first still
            # and low frame when the contact is misplaced late (a mirrored rear clip read as front, whose reach
            # peaks near toe-off) (hips_descend_after). Not judged on a stance cut short by the clip's end or a
            # cut in the video, which may end before the hips fall.
            cut_short = s1 >= n - 1 or segment[s1 + 1] != segment[s1]
            k_ic = min(int(np.searchsorted(t, ic - 1e-9)), s1)
            bears_weight = hips_descend_after(sig.hip_y, k_ic, s1) or hips_descend_after(sig.hip_y, s0, s1)
            if not cut_short and not bears_weight:
                continue
            steps.append(Step(side=side, contact_s=ic, toe_off_s=to, midstance_s=mid))
    steps.sort(key=lambda s: s.contact_s)
    if view == "rear":
        steps = after_other_foot_lifts(steps, cfg)
    return GaitEvents(steps=validate_steps(steps, cfg), method="frontal", stride_time_s=stride)


def pelvis_reading_time_s(step: Step, view: str, frame_times_s: np.ndarray | None = None) -> float | None:
    """When to read a rear/front step's pelvis line from the picture: at its midstance (the lowest hip), except in
    the front view, where the pose model's hips reach their lowest 1.7-3.2 frames after the true lowest hip
    (rendered front runner, 30 and 60 fps) and the middle of the stance is within 0.3 frame of it; a 9 deg drop
    read 5.3 deg at the lowest hip and 8.3 deg at the middle (docs/contacts.md).

    From behind, with the clip's ``frame_times_s``, the last frame at or before the lowest hip rather than the
    nearest: the pose model's hip track lags the picture (its VIDEO-mode smoothing; against IMAGE-mode hips of the
    same frames +0.55 and +0.70 frame on the real front and rear clips, +0.7-0.8 against the rendered runner's
    true hips at 30 fps, +1.3 at 60; IMAGE mode itself -0.05), so the picture's lowest hip is at or before the
    tracked one, never after, and the drop, which peaks there, falls by ~1 deg of 9 a frame either side
    (docs/pelvic_drop.md "Read a frame late"). Without frame times: the lowest hip itself."""
    if view == "front" and step.toe_off_s is not None and step.toe_off_s > step.contact_s:
        return 0.5 * (step.contact_s + step.toe_off_s)
    mid = step.midstance_s
    if view != "rear" or mid is None or frame_times_s is None or len(frame_times_s) == 0:
        return mid
    k = int(np.searchsorted(frame_times_s, mid + 1e-6, side="right")) - 1
    return float(frame_times_s[max(k, 0)])


def classify_frontal_gait(
    traj: Trajectories, events: GaitEvents, leg_px: float, cfg: GaitSettings
) -> GaitKind:
    """Running, walking or standing from a rear/front view. The side-view test of foot travel relative to the hips
    sees nothing from behind, so standing is judged from the feet's vertical travel; running vs walking uses the
    same lowest-hip phase as the side view (gait.classify)."""
    if foot_range_leg(traj, "ankle", 1, leg_px) < cfg.standing_foot_range_leg:
        return GaitKind("standing", "the feet barely lift", None, None)
    return gait_from_steps(traj, events, cfg)
