"""Synchronising two takes at their landings: match the contacts of the same foot, then warp B's timeline onto
A's piecewise-linearly between the matched contacts, so that at every matched landing of A the B half shows B's
matching landing. Pure: times and frame times in, frame indices out.

A **contact frame** is the first frame at or after a contact: the frame the annotated video marks the landing on
(``formcheck.render.video.KEYFRAME_DELAY_S``, scored by benchmarks/score_contacts.py). The warp's knots are the
contact frames' times, so a knot maps one frame exactly onto the other and the landings line up to the frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

FRAME_TIME_TOLERANCE_S = 1e-6  # as formcheck.render.video: a frame stamped a hair before a contact is at it


@dataclass(frozen=True)
class Contact:
    """One landing: when (seconds of motion time) and which foot."""

    time_s: float
    side: str


@dataclass(frozen=True)
class ContactPair:
    """A landing of A matched with B's landing of the same foot."""

    side: str
    a_s: float
    b_s: float


def typical_step_s(contacts: Sequence[Contact]) -> float | None:
    """The median time from one landing to the next of the other foot; half the median same-foot interval when
    no two consecutive landings alternate; None for fewer than two landings."""
    alternating = [b.time_s - a.time_s for a, b in pairwise(contacts) if a.side != b.side]
    if alternating:
        return float(np.median(alternating))
    same = [b.time_s - a.time_s for a, b in pairwise(contacts)]
    return 0.5 * float(np.median(same)) if same else None


def step_ordinals(contacts: Sequence[Contact], step_s: float) -> list[int]:
    """Each landing's step number counted from the first: consecutive landings of the other foot are an odd
    number of steps apart, of the same foot an even number (a landing in between was missed), the count nearest
    to their time apart in typical steps."""
    out = [0] if contacts else []
    for prev, cur in pairwise(contacts):
        steps = (cur.time_s - prev.time_s) / step_s
        if cur.side == prev.side:
            gap = max(2, 2 * round(steps / 2))
        else:
            gap = max(1, 2 * round((steps - 1) / 2) + 1)
        out.append(out[-1] + gap)
    return out


def match_contacts(a: Sequence[Contact], b: Sequence[Contact]) -> list[ContactPair]:
    """Pair A's landings with B's, same foot, in order: both takes' landings are numbered by step
    (``step_ordinals``), and B's numbering is shifted against A's by the offset that pairs the most landings of
    the same foot (ties: the offset nearest to pairing the first landings). A landing missing on one side leaves
    its partner unpaired; the pairs around it stay right. Contacts must be sorted by time."""
    step_a, step_b = typical_step_s(a), typical_step_s(b)
    if step_a is None or step_b is None:
        if a and b:  # one landing each at most: pair the first same-foot ones
            for ca in a:
                for cb in b:
                    if ca.side == cb.side:
                        return [ContactPair(ca.side, ca.time_s, cb.time_s)]
        return []
    na, nb = step_ordinals(a, step_a), step_ordinals(b, step_b)
    index_b = {n: c for n, c in zip(nb, b, strict=True)}
    offsets = {
        j - i for i, ca in zip(na, a, strict=True) for j, cb in zip(nb, b, strict=True) if ca.side == cb.side
    }
    if not offsets:
        return []

    def pairs_at(k: int) -> list[ContactPair]:
        out = []
        for i, ca in zip(na, a, strict=True):
            cb = index_b.get(i + k)
            if cb is not None and cb.side == ca.side:
                out.append(ContactPair(ca.side, ca.time_s, cb.time_s))
        return out

    best = max(sorted(offsets, key=abs), key=lambda k: len(pairs_at(k)))
    return pairs_at(best)


def contact_frame(frame_times_s: np.ndarray, t_s: float) -> int | None:
    """Index of the first frame at or after ``t_s`` (None past the last frame)."""
    k = int(np.searchsorted(frame_times_s + FRAME_TIME_TOLERANCE_S, t_s))
    return k if k < len(frame_times_s) else None


@dataclass(frozen=True)
class TimeWarp:
    """B's time for each A time: linear between the knots (A's contact frame times -> B's), and beyond the first
    and last knot the slope of the whole matched span (B's pace against A's)."""

    knots_a_s: np.ndarray
    knots_b_s: np.ndarray
    slope: float

    def __call__(self, t_a_s: np.ndarray | float) -> np.ndarray:
        t = np.asarray(t_a_s, dtype=float)
        ka, kb = self.knots_a_s, self.knots_b_s
        inside = np.interp(t, ka, kb)
        before = kb[0] + (t - ka[0]) * self.slope
        after = kb[-1] + (t - ka[-1]) * self.slope
        return np.where(t < ka[0], before, np.where(t > ka[-1], after, inside))


def contact_warp(
    pairs: Sequence[ContactPair], a_frame_s: np.ndarray, b_frame_s: np.ndarray
) -> TimeWarp | None:
    """The warp whose knots are the matched landings' contact frames (A's frame time -> B's), strictly increasing
    on both sides (a pair that would fold time back is dropped). None without a pair inside both clips."""
    ka: list[float] = []
    kb: list[float] = []
    for p in sorted(pairs, key=lambda p: p.a_s):
        i, j = contact_frame(a_frame_s, p.a_s), contact_frame(b_frame_s, p.b_s)
        if i is None or j is None:
            continue
        ta, tb = float(a_frame_s[i]), float(b_frame_s[j])
        if ka and (ta <= ka[-1] or tb <= kb[-1]):
            continue
        ka.append(ta)
        kb.append(tb)
    if not ka:
        return None
    slope = (kb[-1] - kb[0]) / (ka[-1] - ka[0]) if len(ka) > 1 else 1.0
    return TimeWarp(np.array(ka), np.array(kb), float(slope))


def nearest_frames(frame_times_s: np.ndarray, t_s: np.ndarray) -> np.ndarray:
    """Index of the frame nearest each time in ``t_s`` (ties go to the later frame)."""
    n = len(frame_times_s)
    j = np.clip(np.searchsorted(frame_times_s, t_s), 1, max(n - 1, 1))
    earlier = np.abs(t_s - frame_times_s[j - 1]) < np.abs(frame_times_s[j] - t_s)
    return np.where(earlier, j - 1, j) if n > 1 else np.zeros(len(t_s), dtype=int)


@dataclass(frozen=True)
class FrameMap:
    """The compare video's frames: A's frame index and the B frame index shown beside it, one per output frame
    (A's frames whose warped time falls inside B's clip, within half a frame)."""

    a_index: np.ndarray
    b_index: np.ndarray


def frame_map(warp: TimeWarp, a_frame_s: np.ndarray, b_frame_s: np.ndarray) -> FrameMap:
    """For every A frame, the B frame nearest its warped time; A frames that warp outside B's clip are left out
    (the two runners are shown side by side only while both are filmed)."""
    t_b = warp(a_frame_s)
    half_b = 0.5 * (float(np.median(np.diff(b_frame_s))) if len(b_frame_s) > 1 else 0.0)
    inside = (t_b >= b_frame_s[0] - half_b) & (t_b <= b_frame_s[-1] + half_b)
    a_idx = np.flatnonzero(inside)
    return FrameMap(a_idx, nearest_frames(b_frame_s, t_b[a_idx]))


@dataclass(frozen=True)
class Alignment:
    """One matched landing in the compare video: A's contact frame, the B frame shown beside it, and B's contact
    frame; ``error_frames`` = shown - contact (0: the landings line up to the frame)."""

    side: str
    a_s: float
    b_s: float
    a_frame: int
    b_contact_frame: int
    b_shown_frame: int | None  # None: A's contact frame is not in the video

    @property
    def error_frames(self) -> int | None:
        return None if self.b_shown_frame is None else self.b_shown_frame - self.b_contact_frame


def alignment(
    pairs: Sequence[ContactPair], fmap: FrameMap, a_frame_s: np.ndarray, b_frame_s: np.ndarray
) -> list[Alignment]:
    """For each matched landing, the B frame the compare video shows at A's contact frame against B's contact
    frame."""
    shown = dict(zip(fmap.a_index.tolist(), fmap.b_index.tolist(), strict=True))
    out = []
    for p in pairs:
        i, j = contact_frame(a_frame_s, p.a_s), contact_frame(b_frame_s, p.b_s)
        if i is None or j is None:
            continue
        out.append(Alignment(p.side, p.a_s, p.b_s, i, j, shown.get(i)))
    return out
