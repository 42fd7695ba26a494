"""The side view's third contact marker: the foot's toe-up maximum where the foot then pivots toe-down about its
heel (docs/contacts.md "Clips a frame early, and a third marker from the foot's rotation"), blended into the
contacts of the knee's marker and the settle (gait/sagittal.py) half-way, less the clip's own lag."""

from __future__ import annotations

import dataclasses

import numpy as np

from formcheck.config import GaitSettings
from formcheck.gait.common import parabolic_peak
from formcheck.gait.foot_signals import FootSignals
from formcheck.model import Step


def toe_up_peak_time(
    sig: FootSignals,
    time_s: np.ndarray,
    contact_s: float,
    half_window_s: float,
    min_drop_deg: float = 0.0,
    held: np.ndarray | None = None,
) -> float | None:
    """When the foot's toe is highest above its heel (``FootSignals.toe_up_deg`` at its maximum) within
    ``half_window_s`` of ``contact_s``: sub-frame (parabola). The ankle dorsiflexes through late swing and a foot
    that lands on its heel pivots toe-down about it, so the toe-up maximum marks that landing from the foot's own
    rotation, apart from the knee and the foot's forward speed. Only where the foot does pivot: the angle must fall
    by ``min_drop_deg`` from the maximum before the window ends. A forefoot or flat landing has no pivot (its angle
    rises to the flat foot's and stays there), and its maximum is the flat foot's plateau, some frames after the
    landing. None then, when the maximum lies on the window's edge (no turn inside it, or the clip's end), or when
    the foot is unseen, or inside a picture held 1/6 s or longer (``held``, ``common.held_pictures``), which leaves
    the maximum's time anywhere within the picture: track_sprint_side_small's toe-up maximum in its 6-copy picture
    24-29 moved the landing labelled at 33 from 31.6 to 30.0."""
    angle = sig.toe_up_deg
    if angle is None:
        return None
    lo = max(0, int(np.searchsorted(time_s, contact_s - half_window_s)))
    hi = min(len(time_s) - 1, int(np.searchsorted(time_s, contact_s + half_window_s)))
    seg = angle[lo : hi + 1]
    if hi - lo < 2 or not np.isfinite(seg).any():
        return None
    k = lo + int(np.nanargmax(seg))
    if k in (lo, hi) or angle[k] - np.nanmin(angle[k : hi + 1]) < min_drop_deg:
        return None
    if not (np.isfinite(angle[k - 1]) and np.isfinite(angle[k + 1])):
        return None  # beside a gap in the tracks: not a turn seen on both sides
    if held is not None and held[k] >= 0:
        return None
    return parabolic_peak(angle, time_s, k)


def blend_toe_marker(
    contact_s: list[float], toe_peak_s: list[float | None], weight: float, min_contacts: int = 1
) -> list[float]:
    """Contacts moved ``weight`` of the way toward their toe-up maxima, each maximum first shifted by the clip's
    median lag of the toe-up maximum behind the contact (over the contacts that have one). The lag differs from
    runner to runner, so it is taken from the clip itself: the moves have a median of zero, so the blend narrows the
    contacts' scatter and leaves their place on the whole (a clip's median error moved -0.12 to +0.28 frame on the
    labelled clips). A contact without a maximum stays; so do all when fewer than ``min_contacts`` have one (too
    few to tell the clip's lag)."""
    lags = [p - c for c, p in zip(contact_s, toe_peak_s, strict=True) if p is not None]
    if not lags or len(lags) < min_contacts or weight <= 0:
        return list(contact_s)
    lag = float(np.median(lags))
    return [
        c if p is None else c + weight * (p - lag - c) for c, p in zip(contact_s, toe_peak_s, strict=True)
    ]


def with_toe_marker(
    sigs: dict[str, FootSignals],
    time_s: np.ndarray,
    fps: float,
    steps: list[Step],
    stride_s: float,
    cfg: GaitSettings,
    held: np.ndarray | None,
) -> list[Step]:
    """``steps`` with their contacts blended with the foot's toe-up maximum (``blend_toe_marker``), up to
    ``cfg.toe_marker_max_fps``. A contact the blend would move to or past its own toe-off keeps its time: the blend
    refines a landing, it removes none."""
    if fps > cfg.toe_marker_max_fps:
        return steps
    half_window_s = cfg.toe_peak_window_stride * stride_s
    peaks = [
        toe_up_peak_time(sigs[st.side], time_s, st.contact_s, half_window_s, cfg.toe_peak_min_drop_deg, held)
        for st in steps
    ]
    blended = blend_toe_marker(
        [st.contact_s for st in steps], peaks, cfg.toe_marker_weight, cfg.toe_marker_min_contacts
    )
    return [
        st if _past_stance_start(st, c) else dataclasses.replace(st, contact_s=c)
        for st, c in zip(steps, blended, strict=True)
    ]


def _past_stance_start(step: Step, contact_s: float) -> bool:
    """A blended contact at or past the step's own toe-off: it would no longer begin that stance. (Not midstance:
    ``midstance_s`` can lie within a frame of a contact, and guarding it cost 1.6% exact on the labels.)"""
    limits = [t for t in (step.toe_off_s,) if t is not None]
    return any(t <= contact_s for t in limits)
