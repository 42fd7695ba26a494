"""Left/right swap repair. BlazePose often swaps the occluded far leg in side view (Young et al. 2023), which
flips angles mid-run. Each frame's left and right chains are assigned to the previous frames' tracks by minimum
displacement (2x2 assignment, METRICS.md 2.2), predicting each track forward at constant velocity."""

from __future__ import annotations

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


def _chain_cost(points: np.ndarray, predicted: np.ndarray) -> float:
    d = np.linalg.norm(points - predicted, axis=-1)
    d = d[np.isfinite(d)]
    return float(d.sum()) if d.size else np.nan


def swap_flags(xy: np.ndarray, left: tuple[int, ...], right: tuple[int, ...], gain_min: float) -> np.ndarray:
    """Per frame, True where the left and right chains should be exchanged: swapping must lower the total
    displacement from the predicted positions by more than ``gain_min`` (0.30 in METRICS.md 2.2)."""
    n = xy.shape[0]
    flags = np.zeros(n, dtype=bool)
    tracks = xy[:, list(left) + list(right), :].copy()  # repaired tracks, built frame by frame
    k = len(left)
    for t in range(1, n):
        prev = tracks[t - 1]
        if t >= 2 and np.all(np.isfinite(tracks[t - 2])):
            pred = prev + 0.5 * (prev - tracks[t - 2])  # damped constant-velocity prediction
        else:
            pred = prev
        cur = tracks[t]
        keep = _chain_cost(cur[:k], pred[:k]) + _chain_cost(cur[k:], pred[k:])
        swap = _chain_cost(cur[k:], pred[:k]) + _chain_cost(cur[:k], pred[k:])
        if np.isfinite(keep) and np.isfinite(swap) and swap < (1.0 - gain_min) * keep:
            flags[t] = True
            tracks[t] = np.concatenate([cur[k:], cur[:k]])
    return flags


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
