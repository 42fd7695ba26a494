"""Left/right swap repair. BlazePose often swaps the occluded far leg in side view (Young et al. 2023), which
flips angles mid-run. Each frame's left and right chains are assigned to the previous frames' tracks by minimum
displacement (2x2 assignment, METRICS.md 2.2), predicting each track forward at constant velocity."""

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


def _accel_costs(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Per frame, the sum over points of |c - 2b + a| (pixels per frame squared), ignoring missing points.
    Arrays are (T, points, 2)."""
    d = np.linalg.norm(c - 2.0 * b + a, axis=-1)
    return np.nansum(d, axis=-1)


def swap_flags(xy: np.ndarray, left: tuple[int, ...], right: tuple[int, ...], gain_min: float) -> np.ndarray:
    """Per frame, True where the left and right chains should be exchanged.

    A global second-order Viterbi over the two labellings of each frame (keep, swap): the chosen sequence
    minimises the summed acceleration of both chains, so a brief mislabelling at a leg crossing is undone and an
    error never propagates the way a greedy frame-to-frame assignment lets it. Each relabelled frame pays
    ``gain_min`` (METRICS.md 2.2: 30%) of the clip's median acceleration cost, so a relabelling must pay for
    itself in smoothness and a long wrong run cannot persist cheaply."""
    n = xy.shape[0]
    flags = np.zeros(n, dtype=bool)
    if n < 3:
        return flags
    k = len(left)
    keep = xy[:, list(left) + list(right), :]
    swap = np.concatenate([keep[:, k:], keep[:, :k]], axis=1)
    obs = (keep, swap)
    # step[s0, s1, s2][t - 2]: acceleration cost at frame t with labellings s0, s1, s2 at t-2, t-1, t.
    step = np.empty((2, 2, 2, n - 2))
    for s0 in (0, 1):
        for s1 in (0, 1):
            for s2 in (0, 1):
                step[s0, s1, s2] = _accel_costs(obs[s0][:-2], obs[s1][1:-1], obs[s2][2:])
    swap_price = gain_min * float(np.median(step[0, 0, 0]))
    step[:, :, 1, :] += swap_price
    states = _viterbi_states(step.reshape(8, n - 2).tolist(), swap_price, n)
    flags[:] = np.asarray(states) == 1
    return flags


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


def repair_swaps(traj: Trajectories, gain_min: float) -> tuple[Trajectories, int]:
    """Exchange left and right leg chains (and, separately, arm chains) in frames where the model swapped them.
    Returns the repaired trajectories and the number of frames changed."""
    xy = traj.xy_px.copy()
    vis = traj.visibility.copy()
    world = None if traj.world_xyz is None else traj.world_xyz.copy()
    changed = np.zeros(traj.n_frames, dtype=bool)
    for (lroot, left), (rroot, right) in (LEG_CHAINS, ARM_CHAINS):
        flags = swap_flags(xy, left, right, gain_min)
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
