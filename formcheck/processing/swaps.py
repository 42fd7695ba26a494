"""Left/right swap repair. BlazePose often swaps the occluded far leg in side view (Young et al. 2023), which
flips angles mid-run. Each frame's left and right chains are assigned to the tracks by a global second-order
Viterbi (METRICS.md 2.2): the labelling whose tracks move most smoothly wins.

A frame where the model pulled both legs together (docs/contacts.md, "Leg swaps") is no evidence either way: a
constant-velocity prediction through such a frame points each leg at the other leg, so it would make a swap look
smooth. Such frames are left out of the smoothness cost, which bridges over them, and their legs' image points are
then erased (missing: the short-gap fill interpolates them)."""

from __future__ import annotations

import math

import numpy as np

from formcheck.model import Trajectories
from formcheck.skeleton import ARM_PARTS, LEG_PARTS, side_idx

# (root, matched parts) per side. The roots (hips, shoulders) barely separate in side view, so the distal parts
# decide the assignment and the root follows its limb.
LEG_CHAINS = tuple(
    (side_idx(s, LEG_PARTS[0]), tuple(side_idx(s, p) for p in LEG_PARTS[1:])) for s in ("left", "right")
)
ARM_CHAINS = tuple(
    (side_idx(s, ARM_PARTS[0]), tuple(side_idx(s, p) for p in ARM_PARTS[1:])) for s in ("left", "right")
)


def chain_separation_px(xy: np.ndarray, left: tuple[int, ...], right: tuple[int, ...]) -> np.ndarray:
    """Per frame, the mean distance between each left part and its right twin (pixels; NaN when no pair is seen).
    The same whichever chain is called left, so a swap by the pose model never changes it."""
    d = np.linalg.norm(xy[:, list(left)] - xy[:, list(right)], axis=-1)
    seen = np.isfinite(d)
    n = seen.sum(axis=1)
    total = np.where(seen, d, 0.0).sum(axis=1)
    return np.where(n > 0, total / np.maximum(n, 1), np.nan)


def collapsed_frames(separation_px: np.ndarray, ratio: float, max_run: int) -> np.ndarray:
    """Per frame, True inside a run of at most ``max_run`` frames whose chain separation is below ``ratio`` times
    the separation of both frames bracketing the run: the two chains came together and went apart again faster
    than two legs can. Unseen frames (NaN) are never marked and never bracket a run."""
    sep = np.asarray(separation_px, dtype=float)
    n = sep.size
    out = np.zeros(n, dtype=bool)
    for k in range(1, max_run + 1):
        if n < k + 2:
            break
        # runs [a, a + k) for a = 1 .. n - k - 1; the run's largest separation against the lower bracket
        windows = np.lib.stride_tricks.sliding_window_view(sep[1 : n - 1], k)[: n - k - 1]
        with np.errstate(invalid="ignore"):
            bracket = np.minimum(sep[: n - k - 1], sep[k + 1 :])
            hit = np.isfinite(bracket) & np.isfinite(windows).all(axis=1)
            hit &= np.max(windows, axis=1) < ratio * bracket
        for a in np.flatnonzero(hit) + 1:
            out[a : a + k] = True
    return out


def _accel_costs(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, gap_ab: np.ndarray, gap_bc: np.ndarray
) -> np.ndarray:
    """Per triple of frames, the sum over points of the second difference |2/(g1+g2) * ((c-b)/g2 - (b-a)/g1)|
    (pixels per frame squared; equal to |c - 2b + a| on consecutive frames), ignoring missing points. Arrays are
    (T, points, 2); the gaps (T,) are in frames."""
    g1, g2 = gap_ab[:, None, None], gap_bc[:, None, None]
    second = (2.0 / (g1 + g2)) * ((c - b) / g2 - (b - a) / g1)
    return np.nansum(np.linalg.norm(second, axis=-1), axis=-1)


def swap_flags(
    xy: np.ndarray,
    left: tuple[int, ...],
    right: tuple[int, ...],
    gain_min: float,
    ignore: np.ndarray | None = None,
) -> np.ndarray:
    """Per frame, True where the left and right chains should be exchanged.

    A global second-order Viterbi over the two labellings of each frame (keep, swap): the chosen sequence
    minimises the summed acceleration of both chains, so a brief mislabelling at a leg crossing is undone and an
    error never propagates the way a greedy frame-to-frame assignment lets it. Each relabelled frame pays
    ``gain_min`` (METRICS.md 2.2: 30%) of the clip's median acceleration cost, so a relabelling must pay for
    itself in smoothness and a long wrong run cannot persist cheaply.

    Frames in ``ignore`` and frames where neither chain is seen carry no evidence: the cost runs over the other
    frames, its second differences spanning the gaps, and each left-out frame then takes the labelling nearer to
    the straight line between its labelled neighbours."""
    n = xy.shape[0]
    flags = np.zeros(n, dtype=bool)
    k = len(left)
    keep = xy[:, list(left) + list(right), :]
    swap = np.concatenate([keep[:, k:], keep[:, :k]], axis=1)
    evidence = np.isfinite(keep).any(axis=(1, 2))
    if ignore is not None:
        evidence &= ~np.asarray(ignore, dtype=bool)
    used = np.flatnonzero(evidence)
    m = used.size
    if m >= 3:
        obs = (keep[used], swap[used])
        gaps = np.diff(used).astype(float)
        # step[s0, s1, s2][j - 2]: acceleration cost at used frame j with labellings s0, s1, s2 at j-2, j-1, j.
        step = np.empty((2, 2, 2, m - 2))
        for s0 in (0, 1):
            for s1 in (0, 1):
                for s2 in (0, 1):
                    step[s0, s1, s2] = _accel_costs(
                        obs[s0][:-2], obs[s1][1:-1], obs[s2][2:], gaps[:-1], gaps[1:]
                    )
        swap_price = gain_min * float(np.median(step[0, 0, 0]))
        step[:, :, 1, :] += swap_price
        states = _viterbi_states(step.reshape(8, m - 2).tolist(), swap_price, m)
        flags[used] = np.asarray(states) == 1
    _label_left_out(flags, keep, swap, used)
    return flags


def _label_left_out(flags: np.ndarray, keep: np.ndarray, swap: np.ndarray, used: np.ndarray) -> None:
    """Give each frame outside ``used`` (in place) the labelling nearer, summed over the points seen, to the
    straight line between the labelled frames before and after it (or to the one on its side)."""
    n = flags.size
    if used.size == 0 or used.size == n:
        return
    labelled = np.where(flags[used, None, None], swap[used], keep[used])
    for t in np.setdiff1d(np.arange(n), used):
        j = int(np.searchsorted(used, t))
        if j == 0:
            expected = labelled[0]
        elif j == used.size:
            expected = labelled[-1]
        else:
            p, q = used[j - 1], used[j]
            w = (t - p) / (q - p)
            expected = (1.0 - w) * labelled[j - 1] + w * labelled[j]
        d_keep = np.nansum(np.linalg.norm(keep[t] - expected, axis=-1))
        d_swap = np.nansum(np.linalg.norm(swap[t] - expected, axis=-1))
        flags[t] = bool(d_swap < d_keep)


def _viterbi_states(step: list[list[float]], swap_price: float, n: int) -> list[int]:
    """The labelling (0 keep, 1 swap) per frame that minimises the summed ``step`` costs. ``step[4*s0 + 2*s1 +
    s2][t - 2]`` is frame t's cost with labellings s0, s1, s2 at t-2, t-1, t. Plain Python floats: on 2x2 states
    NumPy's per-call overhead made this loop ~4x slower (it runs once per frame per chain). Ties keep the lower
    state, as ``np.argmin`` does."""
    inf = math.inf
    c00, c01, c10, c11 = 0.0, swap_price, inf, inf  # cost[s0][s1] at frames (0, 1): frame 0 keeps the labels
    back: list[tuple[int, int, int, int]] = [(0, 0, 0, 0), (0, 0, 0, 0)]
    s000, s001, s010, s011, s100, s101, s110, s111 = step
    for j in range(n - 2):
        # new cost[s1][s2] = min over s0 of cost[s0][s1] + step[s0, s1, s2]
        a, b = c00 + s000[j], c10 + s100[j]
        n00, b00 = (a, 0) if a <= b else (b, 1)
        a, b = c00 + s001[j], c10 + s101[j]
        n01, b01 = (a, 0) if a <= b else (b, 1)
        a, b = c01 + s010[j], c11 + s110[j]
        n10, b10 = (a, 0) if a <= b else (b, 1)
        a, b = c01 + s011[j], c11 + s111[j]
        n11, b11 = (a, 0) if a <= b else (b, 1)
        back.append((b00, b01, b10, b11))
        c00, c01, c10, c11 = n00, n01, n10, n11
    final = [c00, c01, c10, c11]
    best = final.index(min(final))
    states = [0] * n
    states[n - 2], states[n - 1] = divmod(best, 2)
    for t in range(n - 1, 1, -1):
        states[t - 2] = back[t][2 * states[t - 1] + states[t]]
    return states


def swap_frame_step(traj: Trajectories, judge_rate_hz: float) -> int:
    """Frames between the legs' judged frames in ``repair_swaps``: pictures about 1 / ``judge_rate_hz`` apart,
    counted in different pictures (``VideoInfo.picture_fps``, scaled to the motion's frame rate). A 50 fps file that
    shows each of 25 pictures twice (overground_side_street_50fps) is judged frame by frame, as a 25 fps clip is;
    a 60 fps clip every other frame, a 120 fps one every 4th."""
    video = traj.video
    pictures_per_frame = min(1.0, video.picture_fps / video.fps) if video.picture_fps and video.fps else 1.0
    return max(1, round(traj.fps * pictures_per_frame / judge_rate_hz))


def coarse_swap_flags(
    xy: np.ndarray,
    left: tuple[int, ...],
    right: tuple[int, ...],
    gain_min: float,
    ignore: np.ndarray | None,
    frame_step: int,
) -> np.ndarray:
    """``swap_flags`` judged on every ``frame_step``-th frame; each frame between takes the labelling nearer the
    straight line between its judged neighbours, which also undoes a mix-up of a single skipped frame (known answers
    on exact 120 fps tracks: swaps of 1, 2, 3, 12 and 16 frames, exactly those frames relabelled). No second pass
    frame by frame: on the pose model's tracks of 24 rendered runners at 60 and 120 fps it relabelled correct
    frames after a landing's mix-up (191 frames wrongly labelled judged this way, 309 with a second pass; docs/
    contacts.md "The leg-swap repair at 60 and 120 fps judges every 1/30 s only")."""
    skip = np.arange(xy.shape[0]) % frame_step != 0
    if ignore is not None:
        skip |= ignore
    return swap_flags(xy, left, right, gain_min, skip)


def repair_swaps(
    traj: Trajectories,
    gain_min: float,
    collapse_ratio: float | None = None,
    collapse_run_max: int = 3,
    frame_step: int = 1,
) -> tuple[Trajectories, int]:
    """Exchange left and right leg chains (and, separately, arm chains) in frames where the model swapped them.
    With ``collapse_ratio``, frames where the legs collapsed together (``collapsed_frames``, runs of at most
    ``collapse_run_max`` frames) are no evidence for the legs' labelling, and their knee, ankle, heel and toe image
    points become missing (hips, arms and world landmarks are kept). Returns the repaired trajectories and the
    number of frames changed. ``frame_step`` > 1 judges the legs on frames that far apart (``coarse_swap_flags``,
    ``swap_frame_step``: a leg mix-up at 60-120 fps spans many frames); the arms, whose labels the pose model holds
    with confidence, are judged frame by frame (the coarse pass relabelled the near arm of a real 60 fps clip on 270
    of 388 frames)."""
    xy = traj.xy_px.copy()
    vis = traj.visibility.copy()
    world = None if traj.world_xyz is None else traj.world_xyz.copy()
    changed = np.zeros(traj.n_frames, dtype=bool)
    for chains in (LEG_CHAINS, ARM_CHAINS):
        (lroot, left), (rroot, right) = chains
        ignore = None
        if collapse_ratio is not None and chains is LEG_CHAINS:
            ignore = collapsed_frames(chain_separation_px(xy, left, right), collapse_ratio, collapse_run_max)
        if frame_step > 1 and chains is LEG_CHAINS:  # the legs' swaps around a landing; arms frame by frame
            flags = coarse_swap_flags(xy, left, right, gain_min, ignore, frame_step)
        else:
            flags = swap_flags(xy, left, right, gain_min, ignore)
        if ignore is not None:  # at least one leg is wrong there and nothing tells which: both are missing
            xy[np.ix_(ignore, list(left) + list(right))] = np.nan
        if not flags.any():
            continue
        lidx, ridx = [lroot, *left], [rroot, *right]
        for arr in (xy, vis, world):
            if arr is None:
                continue
            tmp = arr[flags][:, lidx].copy()
            arr[np.ix_(flags, lidx)] = arr[flags][:, ridx]
            arr[np.ix_(flags, ridx)] = tmp
        changed |= flags
    return traj.replace(xy_px=xy, visibility=vis, world_xyz=world), int(changed.sum())
