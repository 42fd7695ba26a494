"""Is this running? Running, walking, standing still, or running filmed in slow motion.

The test that separates running from walking is where the body is lowest: a runner's hips are lowest in the middle
of the stance (the leg acts as a spring), a walker's at the contact between the two steps (the leg vaults over
like an inverted pendulum). So the phase of the lowest hip height within a step tells them apart without relying
on toe-off, which walking's long stance hides. The thresholds, with their sources, are in ``config.GaitSettings``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.config import GaitSettings
from formcheck.model import GaitEvents, Trajectories


@dataclass(frozen=True)
class GaitKind:
    kind: str  # running | walking | standing | unknown
    reason: str
    apparent_cadence_spm: float | None
    lowest_hip_phase: float | None  # 0..1 from one contact to the next
    slowed_down: bool = False  # running at an implausibly low cadence: the clip plays slowed down
    sped_up: bool = False  # running at an implausibly high cadence: the clip plays sped up


def foot_range_leg(traj: Trajectories, part: str, axis: int, leg_px: float) -> float:
    """Largest 5-95 percentile range of either foot landmark's position relative to the hip centre along image
    axis ``axis`` (0 = x, 1 = y), in leg lengths: how much the feet move relative to the body."""
    hip = traj.mid("left_hip", "right_hip")[:, axis]
    ranges = []
    for side in ("left", "right"):
        rel = (traj.point(f"{side}_{part}")[:, axis] - hip) / leg_px
        rel = rel[np.isfinite(rel)]
        if rel.size:
            lo, hi = np.percentile(rel, [5, 95])
            ranges.append(hi - lo)
    return float(max(ranges)) if ranges else 0.0


def lowest_hip_phase(traj: Trajectories, events: GaitEvents, n_bins: int = 20) -> float | None:
    """Mean phase (0..1 between successive contacts) at which the hip centre is lowest in the image."""
    hip_y = traj.mid("left_hip", "right_hip")[:, 1]
    contacts = [s.contact_s for s in events.steps]
    profiles = []
    for t0, t1 in zip(contacts, contacts[1:], strict=False):
        if t1 - t0 <= 0:
            continue
        sl = slice(int(np.searchsorted(traj.time_s, t0)), int(np.searchsorted(traj.time_s, t1)))
        seg_t, seg_y = traj.time_s[sl], hip_y[sl]
        ok = np.isfinite(seg_y)
        if ok.sum() < 4:
            continue
        phase = (seg_t[ok] - t0) / (t1 - t0)
        grid = (np.arange(n_bins) + 0.5) / n_bins
        y = np.interp(grid, phase, seg_y[ok])
        profiles.append(y - y.mean())
    if len(profiles) < 2:
        return None
    mean_profile = np.mean(profiles, axis=0)
    k = int(np.argmax(mean_profile))  # y down: max y = lowest hip
    return float((k + 0.5) / n_bins)


def gait_from_steps(traj: Trajectories, events: GaitEvents, cfg: GaitSettings) -> GaitKind:
    """Running or walking from where the hips are lowest between contacts (any view), with the apparent cadence."""
    contacts = [s.contact_s for s in events.steps]
    cadence = 60.0 / float(np.median(np.diff(contacts))) if len(contacts) >= 3 else None
    phase = lowest_hip_phase(traj, events)
    if phase is None or len(contacts) < cfg.min_contacts_to_judge:
        return GaitKind("unknown", "too few steps to tell the gait", cadence, phase)
    # The pace from the stride period (autocorrelation over the whole clip) when the feet show one: spurious and
    # missed contacts do not move it (walking_multi_person_control: 151 steps/min from its contacts, 5 of 10
    # rejected; 128 from its stride). Else from the contacts.
    pace = 120.0 / events.stride_time_s if events.stride_time_s else cadence
    walking_pace = pace is None or pace < cfg.walking_below_spm
    replay = slowed_replay_of_running(pace, traj, cfg)
    if min(phase, 1.0 - phase) < cfg.walking_phase_margin and walking_pace and replay is None:
        return GaitKind(
            "walking",
            f"the hips are lowest at foot contact ({phase:.0%} of the step), as in walking",
            cadence,
            phase,
        )
    slowed = cadence is not None and cadence < cfg.slow_motion_below_spm
    sped = cadence is not None and cadence > cfg.sped_up_above_spm
    reason = f"the hips are lowest mid-stance ({phase:.0%} of the step)" if replay is None else replay
    return GaitKind("running", reason, cadence, phase, slowed or replay is not None, sped)


def slowed_replay_of_running(pace_spm: float | None, traj: Trajectories, cfg: GaitSettings) -> str | None:
    """Why the clip is a slowed-down replay of running, or None. A file that shows each picture at least
    ``replay_min_repeats`` times (``VideoInfo.picture_fps``) with steps too slow for running
    (``slow_motion_below_spm``) whose pace counted in pictures (each picture one frame of the original) is a
    running cadence (``walking_below_spm`` to ``sped_up_above_spm``) was slowed down by repeating its pictures,
    as a sprint's slow replay is; its short stance puts the hips' low point near the contact, which alone would
    read as walking (track_sprint_side_small: 9 pictures/s in 30 fps, 82 steps/min, 273 counted in pictures)."""
    video = traj.video
    if pace_spm is None or not video.picture_fps or pace_spm >= cfg.slow_motion_below_spm:
        return None
    repeats = video.fps / video.picture_fps
    if repeats < cfg.replay_min_repeats:
        return None
    pictures_pace = pace_spm * repeats
    if not cfg.walking_below_spm <= pictures_pace <= cfg.sped_up_above_spm:
        return None
    return (
        f"a slowed-down replay of running: each picture is shown {repeats:.1f} times and the steps come every "
        f"{60.0 / pictures_pace * video.picture_fps:.1f} pictures ({pictures_pace:.0f} steps/min if each was one frame)"
    )


def classify_gait(
    traj: Trajectories, events: GaitEvents, direction: int, leg_px: float, cfg: GaitSettings
) -> GaitKind:
    """Running, walking or standing (side view), from the steps found and the hip's vertical motion."""
    if foot_range_leg(traj, "heel", 0, leg_px) < cfg.standing_heel_range_leg:
        return GaitKind("standing", "the feet barely move relative to the hips", None, None)
    return gait_from_steps(traj, events, cfg)


def too_few_steps_message(
    name: str, n_valid: int, duration_s: float, gait: GaitKind, events: GaitEvents, cfg: GaitSettings
) -> str:
    """Why a clip holds fewer than ``cfg.min_steps_total`` usable steps, told from the gait: a slowed-down file (from the contacts,
    or from a stride of several seconds) or feet that repeat no stride within the clip are not fixed by "film 6 s"."""
    need = cfg.min_steps_total
    if gait.slowed_down:
        return (
            f"{name} plays slowed down (apparent cadence {gait.apparent_cadence_spm:.0f} steps/min), so its "
            f"{duration_s:.1f} s hold only {n_valid} usable steps; formcheck needs at least {need}: if it was "
            "filmed in slow motion, pass the rate it was filmed at (formcheck analyze or batch --capture-fps 120); "
            "else film a longer clip, or record in real time"
        )
    stride_s = events.stride_time_s
    apparent = gait.apparent_cadence_spm  # from 3 contacts or more, whatever the gait was judged
    if apparent is not None and apparent > cfg.sped_up_above_spm:
        return (
            f"{name} seems to play sped up (an apparent cadence of {apparent:.0f} steps/min, faster than anyone "
            f"runs), so its {duration_s:.1f} s hold only {n_valid} usable steps: pass the original recording, "
            "played in real time"
        )
    if stride_s and 120.0 / stride_s < cfg.slow_motion_below_spm:
        return (
            f"{name} seems to play slowed down (a stride takes {stride_s:.1f} s: {120.0 / stride_s:.0f} steps/min), "
            f"so it holds {n_valid} usable steps of the {need} needed: for a slow-motion clip give the rate it was "
            "filmed at (analyze or batch --capture-fps 120), else film in real time"
        )
    if stride_s is None and duration_s >= cfg.min_s_for_two_strides:
        return (
            f"the feet in {name} repeat no stride within its {duration_s:.1f} s (slowed down, or the runner hidden), "
            f"so it holds {n_valid} of the {need} steps needed: for a slow-motion clip pass --capture-fps with the "
            "rate it was filmed at (e.g. 240), else film 6 s of steady running in real time"
        )
    return (
        f"{name} holds {n_valid} usable steps in {duration_s:.1f} s; formcheck needs at least {need}: film at "
        "least 6 s of steady running (about 16 steps)"
    )
