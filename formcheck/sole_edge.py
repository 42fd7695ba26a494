"""Side-view foot contacts timed from the picture of the shoe's sole (``gait.contact_timing = "sole"``, opt-in).

Pure functions on foot crops (RGB arrays cut around each landmark contact) and the landmark contacts: no file, no
decoding. The I/O edge (formcheck/video/foot_crops.py, called by formcheck/pipeline.py) decodes the clip once and
cuts the crops this module plans (``plan_windows``).

Per contact (docs/contacts.md "The shoe's sole in the picture"): a colour model of this shoe against this ground,
learnt in the stance frames (CIE Lab histograms of the heel-toe-ankle triangle and of a band below it); the sole's
lowest edge in every window frame; contact = where that edge, searched back from the stance, comes within
``tol_leg`` of its stance level. Per clip (docs/contacts.md "Does the edge follow the sole?"): the picture is used
only where the edge comes down with the foot's landmarks (``edge_lead``, ``clip_follows``); a clip where it lags
keeps its landmark contacts. This module is not in ``gait/`` because it needs OpenCV (Lab conversion,
histograms, connected components), which the pure middle never imports (ARCHITECTURE.md rule 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.processing.scale import rotate_points
from formcheck.skeleton import INDEX

BEFORE, AFTER = 4, 6  # the window around the landmark contact's frame, frames (docs/contacts.md: the probe's)
PAD_LEG = 0.12  # crop padding around the foot landmarks, leg lengths
FOOT_POINTS = ("heel", "foot_index", "ankle")


@dataclass(frozen=True)
class SoleEdgeSettings:
    """The sole edge's settings: the probe's defaults, with which docs/contacts.md's figures were measured (H:
    tolerance, percentile and stance frames chosen on the first half of the labels, benchmarks/
    sole_contacts_probe.py; the rest as first tried). Lengths are in leg lengths."""

    bins: int = 16  # Lab histogram bins per channel
    max_leg_px: float = 0.0  # shrink crops so the leg is at most this, px (0: never)
    shrink: float = 0.85  # the shoe sample: the heel-toe-ankle triangle shrunk to this about its centre
    sole_drop: float = (
        0.02  # the triangle's base lowered by this: the outsole lies below the heel/toe landmarks
    )
    ground_from: float = 0.03  # the ground sample: a band from this below the sole...
    ground_to: float = 0.09  # ... to this
    ring: float = 0.0  # the ground class also takes a ring around the foot this wide (0: no ring)
    ring_gap: float = 0.03  # the ring's gap from the foot
    band: float = 0.02  # the edge is read in the foot's columns and this beyond heel and toe
    near: float = 0.0  # the edge only within this of the foot triangle (0: anywhere in the foot's blob)
    edge_pct: float = 90.0  # the sole edge: this percentile of the per-column shoe bottoms
    tol: float = 0.02  # contact: the edge within this of its stance level
    stance_from: int = 2  # the stance frames (colour model, stance level): contact frame + this ...
    stance_to: int = 5  # ... to contact frame + this
    # The clip's median edge lead above which its picture is refused: between the clips where the picture works
    # (at most +0.001) and those where it comes late (at least +0.015) (docs/contacts.md "Does the edge follow the
    # sole?"; H: on the first half of the labels every value from 0.002 to 0.014 scores the same).
    follow_max: float = 0.01
    follow_from: int = -2  # edge lead: from the landmark contact frame + this to the contact frame
    min_leg_px: float = 0.0  # refuse clips whose leg is shorter, px (0: never; docs/contacts.md, not adopted)


@dataclass(frozen=True)
class WindowPlan:
    """The frames (landmark indices) and the crop box (x0, y0, x1, y1, px, inclusive) of one contact's window."""

    frames: tuple[int, ...]
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class SoleTiming:
    """A clip's contacts from the sole edge: ``contact_s`` (one per step; None keeps the landmark contact), or None
    for the whole clip when it is refused, with ``reason``; ``leads`` the contacts' edge leads (leg)."""

    contact_s: tuple[float | None, ...] | None
    reason: str
    leads: tuple[float, ...]


# ---------------------------------------------------------------------------------------------------- the windows
def picture_xy(xy_px: np.ndarray, roll_deg: float, width: int, height: int) -> np.ndarray:
    """Landmarks (T, 33, 2) in the picture's own coordinates: a levelled camera roll undone."""
    return rotate_points(xy_px, roll_deg, (width / 2, height / 2)) if roll_deg else xy_px


def foot_points(xy: np.ndarray, k: int, side: str) -> np.ndarray:
    """(3, 2) heel, toe (foot_index), ankle of ``side`` in frame ``k``, px."""
    return np.array([xy[k, INDEX[f"{side}_{p}"]] for p in FOOT_POINTS])


def plan_windows(
    xy: np.ndarray,
    time_s: np.ndarray,
    contacts: Sequence[tuple[str, float]],
    leg_px: float,
    frame_size_px: tuple[int, int] | None = None,
) -> dict[int, WindowPlan]:
    """Step index -> the window to cut for each (side, contact time) whose frames ``-BEFORE..+AFTER`` around the
    contact's frame lie in the clip and whose foot landmarks are all found: one box, the union of the foot's heel,
    toe and ankle over the window, padded by ``PAD_LEG``, clipped to the picture (``frame_size_px``: width, height);
    a box wholly outside the picture is no window (an empty crop; a negative end would cut the wrong place)."""
    plans = {}
    for j, (side, contact_s) in enumerate(contacts):
        k = int(np.searchsorted(time_s, contact_s - 1e-6))
        frames = tuple(range(k - BEFORE, k + AFTER + 1))
        if frames[0] < 0 or frames[-1] >= len(time_s):
            continue
        pts = np.concatenate([foot_points(xy, f, side) for f in frames])
        if not np.isfinite(pts).all():
            continue
        pad = PAD_LEG * leg_px
        x0, y0 = np.floor(pts.min(axis=0) - pad).astype(int)
        x1, y1 = np.ceil(pts.max(axis=0) + pad).astype(int)
        x0, y0 = max(int(x0), 0), max(int(y0), 0)
        if frame_size_px is not None:
            x1, y1 = min(int(x1), frame_size_px[0] - 1), min(int(y1), frame_size_px[1] - 1)
        if x1 < x0 or y1 < y0:  # the whole box outside the picture: nothing to cut
            continue
        plans[j] = WindowPlan(frames, (x0, y0, int(x1), int(y1)))
    return plans


def local_points(xy: np.ndarray, plan: WindowPlan, side: str) -> np.ndarray:
    """(n, 3, 2) heel, toe, ankle in the window's crop coordinates."""
    return np.array([foot_points(xy, f, side) - [plan.box[0], plan.box[1]] for f in plan.frames])


# ---------------------------------------------------------------------------------------------------- the sole edge
def to_lab(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2LAB)


def lab_hist(pixels: np.ndarray, bins: int) -> np.ndarray:
    """Normalised, lightly smoothed 3-D Lab histogram of (N, 3) uint8 pixels."""
    h = cv2.calcHist(
        [np.ascontiguousarray(pixels.reshape(-1, 1, 3))], [0, 1, 2], None, [bins] * 3, [0, 256] * 3
    )
    h = cv2.GaussianBlur(h.reshape(bins, bins * bins), (3, 3), 0).reshape(bins, bins, bins)
    return h / max(h.sum(), 1e-9) + 1e-6


def shoe_probability(lab: np.ndarray, h_shoe: np.ndarray, h_ground: np.ndarray, bins: int) -> np.ndarray:
    """Per pixel, the shoe's share of the two classes' likelihoods."""
    table = (h_shoe / (h_shoe + h_ground)).astype(np.float32).ravel()
    q = (lab.astype(np.uint16) * bins) >> 8
    return table[(q[..., 0] * bins + q[..., 1]) * bins + q[..., 2]]


def triangle_mask(shape: tuple[int, int], pts: np.ndarray, shrink: float) -> np.ndarray:
    c = pts.mean(axis=0)
    p = c + shrink * (pts - c)
    m = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(m, np.round(p).astype(np.int32), 1)
    return m.astype(bool)


def training_masks(
    shape: tuple[int, int], pts_local: np.ndarray, leg: float, cfg: SoleEdgeSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Shoe pixels (the heel-toe-ankle triangle, shrunk) and ground pixels (a band below the lower of heel and
    toe, over the foot's columns widened), in crop coordinates."""
    sole = pts_local.copy()
    sole[:2, 1] += cfg.sole_drop * leg  # the outsole lies below the heel and toe landmarks
    shoe = triangle_mask(shape, sole, cfg.shrink)
    ground = np.zeros(shape, bool)
    xs = pts_local[:2, 0]
    y_low = sole[:2, 1].max()
    r0, r1 = int(round(y_low + cfg.ground_from * leg)), int(round(y_low + cfg.ground_to * leg))
    c0, c1 = int(round(xs.min() - 0.1 * leg)), int(round(xs.max() + 0.1 * leg))
    ground[max(r0, 0) : max(r1, 0), max(c0, 0) : max(c1, 0)] = True
    if cfg.ring > 0:  # also what surrounds the shoe (wall, belt's far edge, sock): a ring around the foot
        tri = triangle_mask(shape, sole, 1.0).astype(np.uint8)
        inner = cv2.dilate(tri, np.ones((3, 3), np.uint8), iterations=max(int(cfg.ring_gap * leg), 1))
        outer = cv2.dilate(tri, np.ones((3, 3), np.uint8), iterations=max(int(cfg.ring * leg), 2))
        ground |= (outer > 0) & (inner == 0)
    return shoe, ground


def sole_edge(prob: np.ndarray, pts_local: np.ndarray, leg: float, cfg: SoleEdgeSettings) -> float:
    """The shoe's lowest edge (px, crop rows, sub-pixel) in the foot's columns: per column the lowest pixel of
    the shoe blob that holds the foot's landmarks; the ``edge_pct`` percentile over columns. NaN if none."""
    p = cv2.blur(prob, (3, 3))
    on = (p > 0.5).astype(np.uint8)
    n, lab = cv2.connectedComponents(on, connectivity=8)
    if n <= 1:
        return np.nan
    tri = triangle_mask(prob.shape, pts_local, 1.0)
    ids = np.unique(lab[tri & (on > 0)])
    ids = ids[ids > 0]
    if ids.size == 0:
        return np.nan
    in_blob = np.zeros(n, bool)
    in_blob[ids] = True
    blob = in_blob[lab]  # np.isin(lab, ids), by a lookup (a tenth of the time)
    if cfg.near > 0:  # only shoe pixels near the landmarks' foot (not a wall or belt edge the blob joins)
        near = cv2.dilate(
            tri.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=max(int(cfg.near * leg), 1)
        )
        blob &= near > 0
    h, w = prob.shape
    xs = pts_local[:2, 0]
    c0 = max(int(np.floor(xs.min() - cfg.band * leg)), 0)
    c1 = min(int(np.ceil(xs.max() + cfg.band * leg)), w - 1)
    if c1 < c0:
        return np.nan
    sub = blob[:, c0 : c1 + 1]
    has = sub.any(axis=0)
    if has.sum() < 2:
        return np.nan
    last = h - 1 - np.argmax(sub[::-1], axis=0)
    cols = np.nonzero(has)[0]
    r = last[cols]
    below = np.minimum(r + 1, h - 1)
    pr, pb = p[r, cols + c0], p[below, cols + c0]
    frac = np.where(pr > pb, (pr - 0.5) / np.maximum(pr - pb, 1e-6), 0.0)
    bottoms = r + np.clip(frac, 0.0, 1.0)
    return float(np.percentile(bottoms, cfg.edge_pct))


def reach_time(y: np.ndarray, t: np.ndarray, ground: np.ndarray, tol_px: float, stance: int) -> float | None:
    """Sub-frame time the edge comes within ``tol_px`` of ``ground`` (image y grows downward) for the stance that
    holds index ``stance``: searching back from there for the last frame still above, linear between it and the
    next. (Searching forward from the window's start would find the other foot, planted under the swing foot
    in mid-swing.)"""
    gap = y - (ground - tol_px)  # >= 0: within tol of the ground, or below it
    for i in range(stance, 0, -1):
        if np.isfinite(y[i - 1]) and gap[i - 1] < 0:
            if not np.isfinite(y[i]):
                return float(t[i])
            a = -gap[i - 1] / (gap[i] - gap[i - 1]) if gap[i] > gap[i - 1] else 1.0
            return float(t[i - 1] + min(max(a, 0.0), 1.0) * (t[i] - t[i - 1]))
    return None


def time_contact(
    crops: Sequence[np.ndarray],
    foot_px: np.ndarray,
    time_s: np.ndarray,
    leg_px: float,
    cfg: SoleEdgeSettings,
    contact: int = BEFORE,
) -> dict:
    """The picture's contact time for one window, with the figures behind it.

    ``crops``: the window's RGB crops; ``foot_px``: (n, 3, 2) heel, toe, ankle in crop coordinates; ``time_s``:
    the window frames' times; ``contact``: the landmark contact's index in the window. Returns a dict: ``t``
    (seconds, or None), ``sep`` (the colour model's held-out accuracy on the stance frames), ``stance_sd`` and
    ``lift`` (leg), ``approach`` (leg/s), ``edge`` (per frame, crop rows at ``scale``), ``level`` (the stance
    level, same rows), ``probs`` (the shoe probability images) and ``scale``."""
    c = contact
    scale = min(1.0, cfg.max_leg_px / leg_px) if cfg.max_leg_px > 0 else 1.0  # big runners: smaller crops
    if scale < 1.0:
        crops = [cv2.resize(cr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) for cr in crops]
    labs = [to_lab(cr) for cr in crops]
    pts = [(np.asarray(q, float) + 0.5) * scale - 0.5 for q in foot_px]
    leg = leg_px * scale
    stance_idx = list(range(c + cfg.stance_from, c + cfg.stance_to + 1))
    sh, gr = [], []
    per = {}
    for i in stance_idx:
        ms, mg = training_masks(labs[i].shape[:2], pts[i], leg, cfg)
        per[i] = (labs[i][ms], labs[i][mg])
        sh.append(per[i][0])
        gr.append(per[i][1])
    out = {"t": None, "sep": np.nan, "stance_sd": np.nan, "lift": np.nan, "edge": None, "level": np.nan}
    out["scale"] = scale
    if sum(len(s) for s in sh) < 20 or sum(len(g) for g in gr) < 20:
        return out
    # Held-out separability: train on every other stance frame, test on the others.
    ev, od = stance_idx[0::2], stance_idx[1::2]
    accs = []
    for tr, te in ((ev, od), (od, ev)):
        hs = lab_hist(np.concatenate([per[i][0] for i in tr]), cfg.bins)
        hg = lab_hist(np.concatenate([per[i][1] for i in tr]), cfg.bins)
        s_te = np.concatenate([per[i][0] for i in te])
        g_te = np.concatenate([per[i][1] for i in te])
        if len(s_te) == 0 or len(g_te) == 0:
            continue
        ps = shoe_probability(s_te[None], hs, hg, cfg.bins)[0]
        pg = shoe_probability(g_te[None], hs, hg, cfg.bins)[0]
        accs.append(0.5 * (np.mean(ps > 0.5) + np.mean(pg <= 0.5)))
    out["sep"] = float(np.mean(accs)) if accs else np.nan
    hs = lab_hist(np.concatenate(sh), cfg.bins)
    hg = lab_hist(np.concatenate(gr), cfg.bins)
    probs = [shoe_probability(lb, hs, hg, cfg.bins) for lb in labs]
    edge = np.array([sole_edge(p, q, leg, cfg) for p, q in zip(probs, pts, strict=True)])
    out["edge"], out["probs"] = edge, probs
    st_edge = edge[stance_idx]
    if not np.isfinite(st_edge).sum() >= 2:
        return out
    level = float(np.nanmedian(st_edge))
    out["level"] = level
    out["stance_sd"] = float(np.nanstd(st_edge)) / leg
    out["lift"] = (level - edge[0]) / leg if np.isfinite(edge[0]) else np.nan
    t = np.asarray(time_s, float)
    out["t"] = reach_time(edge, t, level, cfg.tol * leg, c + cfg.stance_from)
    lowest = np.array([q[:2, 1].max() for q in pts])  # the lower of heel and toe, crop rows at ``scale``
    out["rose_again"] = out["t"] is not None and down_before(
        edge, lowest, level, stance_idx, cfg.tol * leg, c - 1, int(np.searchsorted(t, out["t"] - 1e-9))
    )
    out["approach"] = np.nan
    if out["t"] is not None:
        i = int(np.searchsorted(t, out["t"] - 1e-9))  # the first frame at or after the crossing
        if 1 <= i < len(t) and np.isfinite(edge[i]) and np.isfinite(edge[i - 1]):
            # How fast the edge comes down onto the level (leg/s): a sole landing stops suddenly; a slow approach
            # (a blurred or hidden sole, a foot rolling down) makes the crossing depend on the tolerance.
            out["approach"] = float((edge[i] - edge[i - 1]) / leg / (t[i] - t[i - 1]))
    return out


def down_before(
    edge_y: np.ndarray,
    foot_low_y: np.ndarray,
    level: float,
    stance: list[int],
    tol_px: float,
    first: int,
    crossing: int,
) -> bool:
    """Whether the edge was already down before the frame it is timed on, and rose again: in a frame from ``first``
    to two before ``crossing`` (the first frame at or after the timed crossing) both the edge and the foot's lowest
    landmark (``foot_low_y``) stood within ``tol_px`` of their stance levels (``level``; the landmarks' median over
    ``stance``). Rows grow downward.

    Why: a foot that has come down onto the ground stays there until it pushes off, so an edge that leaves the
    ground level again while the landmarks stay down followed something else in between: the colour model
    flickering between the outsole and the upper, e.g. a white midsole on a light ground (``side_12``'s frames
    42-44, docs/contacts.md "A sole that rises again"); the crossing found searching back from the stance is then
    that flicker's, late."""
    foot_level = float(np.nanmedian(foot_low_y[stance]))
    for k in range(max(first, 0), crossing - 1):
        edge_down = np.isfinite(edge_y[k]) and edge_y[k] >= level - tol_px
        foot_down = np.isfinite(foot_low_y[k]) and foot_low_y[k] >= foot_level - tol_px
        if edge_down and foot_down:
            return True
    return False


# ---------------------------------------------------------------------------------------------------- does it follow?
def edge_lead(
    edge_y: np.ndarray,
    foot_low_y: np.ndarray,
    stance: list[int],
    contact: int,
    leg_px: float,
    first: int = -2,
) -> float:
    """How much higher the sole edge stands above its stance level than the foot's landmarks stand above theirs,
    mean over frames ``contact + first .. contact`` (the landmark contact and the frames just before it), leg
    lengths; NaN when the edge was not found there.

    ``edge_y``: the sole edge per window frame, image rows (down positive); ``foot_low_y``: the lower of the heel
    and toe landmarks in the same frames and rows; ``stance``: the window indices whose medians are the two
    stance levels; ``contact``: the landmark contact's index.

    Why: the sole is the lowest part of the foot and comes down with it, so on the way down an edge that follows
    the sole stands no higher above the ground than the foot's landmarks do. An edge that follows something else
    comes down after the foot: the upper's lower edge as the foot rolls flat (garage treadmill), a blurred outsole
    that joins the shoe class only once it stops (portrait treadmill), grass giving way under a bare foot.
    Measured, per clip median (docs/contacts.md, "Does the edge follow the sole?"): -0.020 to +0.001 leg on the
    clips where the picture times contacts well, +0.015 to +0.016 on those three."""
    edge_height = (np.nanmedian(edge_y[stance]) - edge_y) / leg_px
    foot_height = (np.nanmedian(foot_low_y[stance]) - foot_low_y) / leg_px
    lead = (edge_height - foot_height)[contact + first : contact + 1]
    return float(np.nanmean(lead)) if np.isfinite(lead).any() else float("nan")


def clip_follows(leads: Sequence[float], max_lead: float = SoleEdgeSettings.follow_max) -> bool:
    """Whether a clip's sole edge follows the sole: the median of its contacts' ``edge_lead`` is at most
    ``max_lead`` (leg). A clip with no lead measured follows nothing (False)."""
    finite = [v for v in leads if np.isfinite(v)]
    return bool(finite) and float(np.median(finite)) <= max_lead


def contact_lead(
    r: dict, foot_px: np.ndarray, leg_px: float, cfg: SoleEdgeSettings, contact: int = BEFORE
) -> float:
    """``edge_lead`` of one timed window (``time_contact``'s result ``r``; ``foot_px`` in crop coordinates)."""
    if r.get("edge") is None or not np.isfinite(r["level"]):
        return np.nan
    scale = r["scale"]
    lowest = np.asarray(foot_px, float)[:, :2, 1].max(axis=1)  # heel or toe, crop rows
    stance = list(range(contact + cfg.stance_from, contact + cfg.stance_to + 1))
    edge_y = (np.asarray(r["edge"], float) + 0.5) / scale - 0.5  # back to full-scale rows
    return edge_lead(edge_y, lowest, stance, contact, leg_px, cfg.follow_from)


def usable(r: dict) -> bool:
    """A contact's picture time is used when it was found, every figure behind it was measured (the colour
    model's held-out accuracy, the stance edge's steadiness, the first frame's edge: the probe's tests at their
    off settings, which still refuse a NaN), and the edge did not rise again after coming down with the foot
    (``down_before``)."""
    return (
        r["t"] is not None
        and not r.get("rose_again", False)
        and all(np.isfinite(r[k]) for k in ("sep", "stance_sd", "lift"))
    )


# ---------------------------------------------------------------------------------------------------- a clip
def retime_contacts(
    windows: Sequence[tuple[Sequence[np.ndarray], np.ndarray, np.ndarray] | None],
    leg_px: float,
    cfg: SoleEdgeSettings | None = None,
) -> SoleTiming:
    """A clip's contacts from the sole edge. ``windows``: per step, (crops, foot_px in crop coordinates, the
    window frames' times) or None where no window could be cut. The clip is refused (``contact_s`` None) when its
    median edge lead is above ``cfg.follow_max`` or none was measured; otherwise each step with a usable picture
    time gets it (the others keep their landmark contact: None)."""
    cfg = cfg or SoleEdgeSettings()
    timed: dict[int, tuple[dict, float]] = {}
    for j, w in enumerate(windows):
        if w is None:
            continue
        crops, foot_px, time_s = w
        r = time_contact(crops, foot_px, time_s, leg_px, cfg)
        timed[j] = (r, contact_lead(r, foot_px, leg_px, cfg))
    leads = tuple(lead for _, lead in timed.values())
    finite = [v for v in leads if np.isfinite(v)]
    if not finite:
        return SoleTiming(None, "the sole's edge was not found", leads)
    if leg_px < cfg.min_leg_px:
        return SoleTiming(None, f"the leg is {leg_px:.0f} px, under {cfg.min_leg_px:g} px", leads)
    if not clip_follows(leads, cfg.follow_max):
        median = 100 * float(np.median(finite))
        return SoleTiming(
            None,
            f"the edge does not come down with the foot (median lead {median:+.1f}% of leg, limit "
            f"{100 * cfg.follow_max:g}%)",
            leads,
        )
    contact_s = tuple(
        float(timed[j][0]["t"]) if j in timed and usable(timed[j][0]) else None for j in range(len(windows))
    )
    return SoleTiming(contact_s, "", leads)
