"""Side-view gait events (METRICS.md 3.1): initial contact, midstance and toe-off of each foot.

1. Candidates: Zeni et al. 2008: contact near the maximum of the heel's pelvis-relative forward position.
2. Refinement for running: the foot retracts before touchdown, so contact comes just after the candidate. Two
   markers, averaged: the knee straightest with the foot near the ground (``refine_contact``), and the foot
   settling onto the ground, where its horizontal image velocity meets the velocity it keeps in stance
   (``settle_time``: zero for a fixed camera overground, the belt's for a treadmill, the background's for a camera
   that follows the runner). Both are timed to a fraction of a frame (METRICS.md 3.4). Against contacts labelled
   by eye on real clips (benchmarks/score_contacts.py) the knee marker alone comes about a frame early and the
   velocity marker alone scatters more; their mean is closest.
   A third marker, the foot's toe-up maximum where the foot then pivots toe-down about its heel, is blended in
   half-way less the clip's own lag (gait/toe_marker.py): it narrows the scatter within a clip.
3. Midstance: peak stance knee flexion. Toe-off: peak knee extension after midstance (Fellin et al. 2010).

Pelvis-relative coordinates make the method work on a treadmill, overground, and with a panning camera.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.signal import find_peaks, peak_prominences

from formcheck.config import GaitSettings
from formcheck.gait.common import (
    held_pictures,
    interpolate_nans,
    parabolic_peak,
    picture_minimum,
    stride_period_s,
    validate_steps,
)
from formcheck.gait.foot_signals import FootSignals, foot_signals
from formcheck.gait.toe_marker import with_toe_marker
from formcheck.model import GaitEvents, Step, Trajectories


def _local_ground_y(low_y: np.ndarray, peak: int, half_stride: int) -> float:
    """The ground's image height (pixels, y down) for the contact after a Zeni candidate ``peak``: the 95th
    percentile of the foot's lowest point over the half stride from the peak, which holds the stance. Only what
    follows the peak: the half stride before it is the swing (the foot off the ground), and a cut in the video
    there puts the ground elsewhere in the picture (overground_side_barefoot_tracking frames 62 and 205: the first
    contacts after both cuts were lost when the window reached back across them)."""
    lo, hi = max(0, peak), min(len(low_y), peak + half_stride + 1)
    seg = low_y[lo:hi]
    seg = seg[np.isfinite(seg)]
    return float(np.percentile(seg, 95)) if seg.size else float("nan")


def heel_peaks(h_heel: np.ndarray, min_distance_frames: int, min_prominence_leg: float) -> np.ndarray:
    """Frames of the Zeni candidates: maxima of the heel's forward position (NaN where unseen) with
    ``min_prominence_leg``.

    A maximum near either end of the tracked span has only one whole flank inside it. Its prominence is taken on
    that side (the span is padded with its minimum at both ends), and the cut flank must still rise by half the
    prominence, so that the heel visibly turned there. That keeps the first and last contacts of a clip that the
    clip's ends cut short (side_23 frame 4: the cut flank rises 0.08 leg; side_16 frame 181: 0.10) and leaves
    out a frozen still or a runner coming into the picture, whose heel only drifts (side_13's first frames,
    overground_side_street_50fps: 0.01). The span's first and last frames are never maxima, nor do they keep a
    maximum within ``min_distance_frames`` of them out (scipy applies its distance rule before the prominence):
    track_sprint_side_small's first tracked frame (7) has the heel further forward than its first maximum (26)."""
    seen = np.flatnonzero(np.isfinite(h_heel))
    if seen.size < 3:
        return np.array([], dtype=int)
    first, last = int(seen[0]), int(seen[-1])
    h = interpolate_nans(h_heel[first : last + 1])
    floor = float(h.min())
    padded = np.concatenate(([floor], h, [floor]))
    peaks = find_peaks(_without_end_slopes(padded), distance=min_distance_frames)[0]
    prominence, left_bases, right_bases = peak_prominences(padded, peaks)
    strong = prominence >= min_prominence_leg
    keep = []
    for peak, left, right in zip(peaks[strong], left_bases[strong], right_bases[strong], strict=True):
        # The base on a cut side is the pad; measure that flank inside the span instead.
        lo = padded[left] if left > 0 else float(h[: peak - 1].min())
        hi = padded[right] if right < len(h) + 1 else float(h[peak - 1 :].min())
        if padded[peak] - max(lo, hi) >= 0.5 * min_prominence_leg:
            keep.append(peak - 1 + first)
    return np.array(keep, dtype=int)


def _without_end_slopes(padded: np.ndarray) -> np.ndarray:
    """``padded`` (a span between two pad samples) with the slope from each end of the span to its first turn set
    to the pad's level, so that neither end nor the samples falling away from it is a maximum."""
    out = padded.copy()
    n = len(out)
    i = 1
    while i + 1 < n - 1 and out[i + 1] <= out[i]:
        i += 1
    out[1:i] = out[0]
    j = n - 2
    while j - 1 > 0 and out[j - 1] <= out[j]:
        j -= 1
    out[j + 1 : n - 1] = out[-1]
    return out


def refine_contact(
    sig: FootSignals,
    time_s: np.ndarray,
    peak: int,
    stride_frames: float,
    leg_px: float,
    cfg: GaitSettings,
    held: np.ndarray | None = None,
) -> float | None:
    """Sub-frame contact time after a Zeni candidate frame, or None when the foot never comes down.

    METRICS.md 3.1 step 2 takes the first frame where the foot is on the ground and has stopped falling. On
    pose data the foot often skims the ground in late swing without a clear fall, and a hand-held camera bobs,
    so the primary marker here is the knee's terminal-swing extension: the knee is straightest at touchdown and
    flexes from then on (loading response), which both the synthetic runner and real clips show within a frame
    of contact. It is taken at sub-frame resolution while the foot is near the ground; when the window holds no
    extension minimum, the foot's descent-stop decides.

    In a file that holds pictures longer than the low-pass filter's period (``held``: ``common.held_pictures``),
    a minimum inside a held picture counts only if the frames just before and after the picture are less straight
    (``common.picture_minimum``): there the filtered tracks sit on a plateau and a dip is the pose model's jitter
    (track_sprint_side_small, the 6-copy picture 24-29: a 39.6 deg dip at 26 while the next picture shows 31.4,
    7 frames before the landing; docs/contacts.md "Held pictures")."""
    n = len(time_s)
    ground = _local_ground_y(sig.low_y, peak, int(round(stride_frames / 2)))
    if not math.isfinite(ground):
        return None
    near_ground = sig.low_y >= ground - cfg.side_ground_tolerance_leg * leg_px
    first = max(1, peak - 1)
    window_end = peak + int(math.ceil(cfg.refine_window_stride * stride_frames)) + 1
    last = min(n - 2, window_end)
    flex = sig.knee_flexion_deg
    for j in range(first, last + 1):
        if (
            near_ground[j]
            and np.isfinite(flex[j - 1 : j + 2]).all()
            and flex[j] <= flex[j - 1]
            and flex[j] < flex[j + 1]
            and picture_minimum(flex, held, j)
        ):
            return parabolic_peak(-flex, time_s, j)
    if window_end > n - 2:
        return None  # the clip ends inside the window: no knee minimum yet, the foot may land after the clip
    stopped = cfg.side_stopped_speed_leg_per_s * leg_px
    vy = sig.low_vy[peak : last + 1]
    if not np.isfinite(vy).any() or np.nanmax(vy) <= stopped:
        idx = np.flatnonzero(near_ground[peak : last + 1])
        return float(time_s[peak + idx[0]]) if idx.size else None
    k_fall = peak + int(np.nanargmax(vy))
    for j in range(k_fall + 1, last + 1):
        if sig.low_vy[j] <= stopped and near_ground[j]:
            return _crossing_time(sig.low_vy, time_s, j, stopped)
    return None


def settle_time(
    sig: FootSignals,
    time_s: np.ndarray,
    midstance_s: float,
    toe_off_s: float | None,
    stride_s: float,
    fraction: float,
    stance_vx: float | None = None,
) -> float | None:
    """When the foot settles onto the ground before ``midstance_s``: the time its forward image velocity, having
    peaked in late swing, falls to within ``fraction`` of that peak of its stance velocity (``stance_vx``, else
    ``stance_velocity``). Sub-frame by linear interpolation; None when the swing is not in the clip."""
    n = len(time_s)
    k_mid = min(n - 1, int(np.searchsorted(time_s, midstance_s)))
    if stance_vx is None:
        stance_vx = stance_velocity(sig, time_s, midstance_s, toe_off_s)
    k_start = max(1, int(np.searchsorted(time_s, midstance_s - 0.5 * stride_s)))
    if k_start >= k_mid or not math.isfinite(stance_vx):
        return None
    rel = sig.foot_vx - stance_vx
    swing = rel[k_start : k_mid + 1]
    if not np.isfinite(swing).any():
        return None
    k_peak = k_start + int(np.nanargmax(swing))
    level = fraction * rel[k_peak]
    if not level > 0:
        return None
    for j in range(k_peak + 1, k_mid + 1):
        if rel[j] <= level:
            return _crossing_time(rel, time_s, j, level)
    return None


def stance_velocity(
    sig: FootSignals, time_s: np.ndarray, midstance_s: float, toe_off_s: float | None
) -> float:
    """The forward image velocity a foot keeps in stance (pixels/s): the median from just before ``midstance_s``
    to ``toe_off_s`` (three frames about the midstance without a toe-off). NaN when unseen."""
    n = len(time_s)
    k_mid = min(n - 1, int(np.searchsorted(time_s, midstance_s)))
    k_end = k_mid + 2 if toe_off_s is None else int(np.searchsorted(time_s, toe_off_s))
    stance = sig.foot_vx[max(0, k_mid - 1) : min(n, max(k_mid + 2, k_end))]
    return float(np.nanmedian(stance)) if np.isfinite(stance).any() else float("nan")


def stance_level_y(sig: FootSignals, time_s: np.ndarray, step: Step, stride_s: float) -> float:
    """The image height (pixels, y down) of the ground under a foot's stance: the median of its lowest point from
    the step's contact to its toe-off (a quarter stride when the toe-off is not known). NaN when unseen."""
    i0 = int(np.searchsorted(time_s, step.contact_s))
    end_s = step.toe_off_s if step.toe_off_s is not None else step.contact_s + 0.25 * stride_s
    i1 = max(i0 + 1, int(np.searchsorted(time_s, end_s)))
    seg = sig.low_y[i0:i1]
    seg = seg[np.isfinite(seg)]
    return float(np.median(seg)) if seg.size else float("nan")


def end_of_clip_contact(
    sig: FootSignals, time_s: np.ndarray, from_frame: int, level_y: float, tolerance_px: float
) -> float | None:
    """A landing in the clip's last frames, before the knee turns (so ``refine_contact`` finds no marker): the
    first frame from ``from_frame`` on where the foot, having been higher, comes down to within ``tolerance_px``
    of ``level_y`` (its previous stance's ground) with the heel ahead of the hips and past its forward maximum (the
    Zeni candidate, which contact follows). Sub-frame by linear interpolation of the height above that level.
    None when it does not come down.

    side_01 and side_16 end one and two frames after a landing the labels mark (frames 178 and 181), with the
    foot still falling onto the ground and the knee still straightening. A foot that stops above its ground is
    not landing: side_02's right foot hovers 0.11 leg above its stance level in the last frames (it lands after
    the clip), where a fallback from the end of the foot's fall placed a spurious contact. Nor is a heel still
    reaching forward: side_03's foot comes within the tolerance 2 frames before the clip ends, its heel still
    moving forward, and the labels place no landing there (the next is due after the clip)."""
    if not math.isfinite(level_y):
        return None
    height = level_y - sig.low_y  # pixels above the stance's ground
    was_up = False
    reach = -math.inf  # the heel's furthest forward position so far
    for j in range(max(0, from_frame), len(time_s)):
        if not math.isfinite(height[j]):
            continue
        turned = sig.h_heel[j] < reach
        reach = max(reach, float(sig.h_heel[j]))
        if height[j] > tolerance_px:
            was_up = True
        elif was_up and sig.h_heel[j] > 0 and turned:
            return _crossing_time(height, time_s, j, tolerance_px)
    return None


def _crossing_time(y: np.ndarray, time_s: np.ndarray, j: int, level: float) -> float:
    """Time at which ``y`` fell through ``level`` between frames j-1 and j (linear), else frame j's time."""
    if j > 0 and np.isfinite(y[j - 1]) and y[j - 1] > level >= y[j]:
        frac = (level - y[j - 1]) / (y[j] - y[j - 1])
        return float(time_s[j - 1] + frac * (time_s[j] - time_s[j - 1]))
    return float(time_s[j])


def combine_contact_markers(
    knee_s: float, settle_s: float | None, fps: float, cfg: GaitSettings, settle_may_decide: bool = True
) -> float:
    """The contact from the knee's marker and the foot's settle time (seconds).

    Within ``knee_settle_agree_s`` (60 ms) of each other their mean is closest to contacts labelled by eye. A
    settle that comes later than that, by up to ``settle_after_knee_max_s``, decides alone: the knee is
    straightest well before touchdown in runners who reach the leg out and let it fold a little before landing
    (overground_side_street_50fps: 62 ms on average), and there the labels side with the settle. A settle before
    the knee is averaged with it within ``settle_max_shift_frames``, else the knee's marker stands: the rendered
    runner filmed at 60-120 fps shows settles 60-250 ms early in late swing, which are misdetections. Without
    ``settle_may_decide`` (a stance cut by the clip's end) a later settle beyond the 60 ms is not trusted either."""
    if settle_s is None:
        return knee_s
    lag_s = settle_s - knee_s
    if lag_s > cfg.settle_after_knee_max_s or -lag_s > cfg.settle_max_shift_frames / fps:
        return knee_s
    if lag_s > cfg.knee_settle_agree_s:
        return settle_s if settle_may_decide else knee_s
    return 0.5 * (knee_s + settle_s)


def _stance_events(
    sig: FootSignals, time_s: np.ndarray, contact_s: float, stride_s: float
) -> tuple[float | None, float | None]:
    """Midstance and toe-off at sub-frame resolution (METRICS.md 3.1 steps 3-4).

    Midstance: peak knee flexion while the foot passes under the hips (ankle behind the hips ends the search).
    Toe-off: peak knee extension between midstance and the swing's flexion peak (Fellin et al. 2010)."""
    n = len(time_s)
    i0 = int(np.searchsorted(time_s, contact_s))
    i_cap = min(n - 1, int(np.searchsorted(time_s, contact_s + 0.35 * stride_s)))
    if i0 >= n - 2:
        return None, None
    flex = sig.knee_flexion_deg
    behind = np.flatnonzero(sig.h_ankle[i0 : i_cap + 1] < -0.05)
    i_mid_end = i0 + int(behind[0]) if behind.size else i_cap
    seg = flex[i0 : i_mid_end + 1]
    if seg.size == 0 or not np.isfinite(seg).any():
        return None, None
    k_mid = i0 + int(np.nanargmax(seg))
    mid_s = parabolic_peak(flex, time_s, k_mid)
    i_swing_end = min(n - 1, int(np.searchsorted(time_s, contact_s + 0.85 * stride_s)))
    swing = flex[k_mid + 1 : i_swing_end + 1]
    if swing.size < 3 or not np.isfinite(swing).any():
        return mid_s, None
    k_swing = k_mid + 1 + int(np.nanargmax(swing))
    if k_swing >= i_swing_end:
        return mid_s, None  # the swing peak is not inside the clip
    ext = flex[k_mid : k_swing + 1]
    if not np.isfinite(ext).any():
        return mid_s, None
    k_to = k_mid + int(np.nanargmin(ext))
    return mid_s, parabolic_peak(-flex, time_s, k_to)


def _stride_from_leading_foot(sigs: dict[str, FootSignals], fps: float, cfg: GaitSettings) -> float | None:
    """The stride from the foot further ahead, whichever it is: twice the period of the forward envelope of both
    heels. Left/right swaps of the pose model break each foot's own signal (side_07, a mirror image of side_02,
    showed no stride in either foot) but not the envelope."""
    lead = np.fmax(interpolate_nans(sigs["left"].h_heel), interpolate_nans(sigs["right"].h_heel))
    lo, hi = cfg.stride_search_s
    step = stride_period_s(lead, fps, (lo / 2.0, hi / 2.0)) if np.isfinite(lead).all() else None
    return None if step is None else 2.0 * step


def detect_sagittal_events(
    traj: Trajectories, direction: int, leg_px: float, cfg: GaitSettings
) -> GaitEvents:
    """All steps of both feet in a side-view clip, each checked for plausibility (METRICS.md 3.3)."""
    time_s = traj.time_s
    fps = traj.fps
    sigs = {side: foot_signals(traj, side, direction, leg_px) for side in ("left", "right")}
    periods = [stride_period_s(interpolate_nans(sigs[s].h_heel), fps, cfg.stride_search_s) for s in sigs]
    periods = [p for p in periods if p is not None]
    stride_s = float(np.median(periods)) if periods else _stride_from_leading_foot(sigs, fps, cfg)
    if stride_s is None:
        return GaitEvents(steps=(), method="sagittal", stride_time_s=None)
    stride_frames = stride_s * fps
    held = held_pictures(traj.repeated, math.ceil(cfg.held_picture_min_s * fps - 1e-9))
    found: list[tuple[str, float, float | None, float | None]] = []  # side, knee marker, midstance, toe-off
    for side, sig in sigs.items():
        peaks = heel_peaks(
            sig.h_heel, max(1, int(cfg.min_separation_stride * stride_frames)), cfg.min_prominence_leg
        )
        for peak in peaks:
            if not np.isfinite(sig.h_heel[peak]):
                continue  # the candidate sits in a long tracking gap
            contact_s = refine_contact(sig, time_s, int(peak), stride_frames, leg_px, cfg, held)
            if contact_s is not None:
                found.append((side, contact_s, *_stance_events(sig, time_s, contact_s, stride_s)))
    ground_vx = _ground_velocity(sigs, time_s, found)
    last_contact_s = {
        side: max((c for sd, c, _, _ in found if sd == side), default=math.inf) for side in sigs
    }
    steps: list[Step] = []
    for side, contact_s, mid_s, toe_off_s in found:
        if mid_s is not None:
            # A stance the clip's end cuts before its toe-off has its velocity read on the clip's last frames,
            # where the pose model's noise and the filter's ends pull it; every whole stance of the clip shows the
            # ground's velocity in the picture, which is what the foot takes on (docs/contacts.md "The side view
            # at 60 and 120 fps").
            # Only there, the foot's last stance: a toe-off lost mid-clip (a tracking gap) with a camera that pans
            # leaves the stance's own velocity the better reference (overground_side_barefoot_tracking: three
            # contacts moved 0.3-0.5 frame off the labels by the clip's median).
            cut_by_end = toe_off_s is None and contact_s >= last_contact_s[side]
            stance_vx = ground_vx if cut_by_end and math.isfinite(ground_vx) else None
            settle_s = settle_time(
                sigs[side], time_s, mid_s, toe_off_s, stride_s, cfg.settle_velocity_fraction, stance_vx
            )
            # Within half a stride of the clip's end the stance is cut short (side_02's last left contact read
            # an 83 ms stance), so there the settle only refines a knee marker it agrees with and never decides
            # alone. Dropping it there altogether left the last contacts of rendered 60 fps runners 1.4 frames
            # early (the knee's marker alone; 0.8 with the mean, as everywhere else in the clip).
            near_end = contact_s + 0.5 * stride_s > time_s[-1]
            contact_s = combine_contact_markers(contact_s, settle_s, fps, cfg, settle_may_decide=not near_end)
        if toe_off_s is not None and toe_off_s <= contact_s:
            # The foot leaves no later than it lands: no stance, so no contact. Kept as a rejected step, it
            # would also reject the real step after it for its step time (track_sprint_side_small: a 0 ms
            # "stance" at frame 18.7 in a picture held 6 frames rejected the landing labelled at frame 33).
            continue
        steps.append(Step(side=side, contact_s=contact_s, toe_off_s=toe_off_s, midstance_s=mid_s))
    steps = with_toe_marker(sigs, time_s, fps, steps, stride_s, cfg, held)
    steps.extend(_end_of_clip_steps(sigs, time_s, steps, stride_s, fps, leg_px, cfg))
    steps.sort(key=lambda st: st.contact_s)
    return GaitEvents(steps=validate_steps(steps, cfg), method="sagittal", stride_time_s=stride_s)


def _ground_velocity(
    sigs: dict[str, FootSignals],
    time_s: np.ndarray,
    found: list[tuple[str, float, float | None, float | None]],
) -> float:
    """The median stance velocity (``stance_velocity``) over the clip's stances seen from midstance to toe-off,
    both feet: the ground's forward velocity in the picture (zero for a fixed camera overground, the belt's on a
    treadmill). NaN when no stance is whole."""
    whole = [
        stance_velocity(sigs[side], time_s, mid_s, toe_off_s)
        for side, _, mid_s, toe_off_s in found
        if mid_s is not None and toe_off_s is not None
    ]
    whole = [v for v in whole if math.isfinite(v)]
    return float(np.median(whole)) if whole else float("nan")


def _end_of_clip_steps(
    sigs: dict[str, FootSignals],
    time_s: np.ndarray,
    steps: list[Step],
    stride_s: float,
    fps: float,
    leg_px: float,
    cfg: GaitSettings,
) -> list[Step]:
    """Contacts in the clip's last frames that the knee marker cannot place (``end_of_clip_contact``): searched
    only where ``refine_contact``'s window runs past the clip's end, and at least ``min_separation_stride`` after
    the foot's previous contact, whose stance gives the ground level.

    The tolerance is one frame's descent at the stopped speed (``side_stopped_speed_leg_per_s``, METRICS.md 3.1
    step 2): 0.05 leg at 30 fps. On the labelled side clips (30 fps) the median foot is 0.04 leg above its stance
    level on the labelled contact frame and 0.06 a frame earlier. A fixed 0.05 leg fired 45 ms early at 60-120 fps
    on the rendered runner, whose foot hovers just above the ground before landing. A clip that plays slowed down
    (a step slower than ``slow_motion_below_spm``, no capture rate given) shows the foot coming down as many times
    slower as its step is longer than a typical step (``GaitSettings.pace_factor``), so the tolerance shrinks by
    that factor, the one the clip's time limits are stretched by (``trajectory_analysis.prepare``): one frame of
    the file is a fraction of a real frame. Without it a 4x clip ending 5 file frames before a landing placed that landing inside the clip."""
    n = len(time_s)
    step_s = stride_s / 2
    slowed_by = cfg.pace_factor(step_s) if 60.0 / step_s < cfg.slow_motion_below_spm else 1.0
    tolerance_px = cfg.side_stopped_speed_leg_per_s * leg_px / fps / slowed_by
    tail_start = n - 2 - int(math.ceil(cfg.refine_window_stride * stride_s * fps))
    found = []
    for side, sig in sigs.items():
        own = [st for st in steps if st.side == side]
        if not own:
            continue
        last = max(own, key=lambda st: st.contact_s)
        after_s = last.contact_s + cfg.min_separation_stride * stride_s
        from_frame = max(tail_start, int(np.searchsorted(time_s, after_s)))
        level_y = stance_level_y(sig, time_s, last, stride_s)
        contact_s = end_of_clip_contact(sig, time_s, from_frame, level_y, tolerance_px)
        if contact_s is not None:
            found.append(Step(side=side, contact_s=contact_s, toe_off_s=None, midstance_s=None))
    return found
