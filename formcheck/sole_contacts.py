"""``sole_contacts.npz``: what the shoe-sole contact timing (``[gait] contact_timing = "sole"``, formcheck/
sole_edge.py) measured in a clip, kept in its folder so that ``formcheck reanalyze``, compare's rebuild and batch
re-judging reuse it without decoding the video again, as ``pelvis.json`` keeps the pelvis line: measured by
``analyze_clip``; reused, never recomputed while the file is there. Without the video, a re-analysis would
otherwise fall back to the landmark contacts and give the same clip other numbers."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.model import GaitEvents

log = logging.getLogger(__name__)

SOLE_CONTACTS_FILE = "sole_contacts.npz"
SOLE_CONTACTS_FORMAT = "formcheck-sole-contacts/1"
# A current landmark contact is the stored one when they are within half a frame: the landmark contacts of the same
# cached landmarks and settings are the very same times, and two contacts of one clip are many frames apart.
MATCH_TOLERANCE_FRAMES = 0.5


@dataclass(frozen=True)
class SoleContacts:
    """Per landmark contact the sole was asked about (``landmark_s``), the sole's contact time or None (the
    landmark contact kept: ``sole_s``), and the clip's verdict: ``"sole"`` or ``"sole refused: <reason>"``."""

    landmark_s: tuple[float, ...]
    sole_s: tuple[float | None, ...]
    contact_timing: str

    @property
    def refusal(self) -> str | None:
        """The reason the sole's timing was refused for the whole clip, or None when it was used."""
        if self.contact_timing == "sole":
            return None
        return self.contact_timing.removeprefix("sole refused:").strip() or "refused"


def sole_contacts_of(events: GaitEvents) -> SoleContacts | None:
    """What the sole measured, from the step table ``sole_contact_timing`` left (a retimed step keeps its landmark
    contact as ``strike_read_s``); None when the sole was not asked."""
    if not events.contact_timing.startswith("sole"):
        return None
    pairs = [
        (s.contact_s, None) if s.strike_read_s is None else (s.strike_read_s, s.contact_s)
        for s in events.steps
    ]
    return SoleContacts(
        landmark_s=tuple(float(a) for a, _ in pairs),
        sole_s=tuple(None if b is None else float(b) for _, b in pairs),
        contact_timing=events.contact_timing,
    )


def matched_sole_times(record: SoleContacts, landmark_s: Sequence[float], fps: float) -> list[float | None]:
    """For each current landmark contact, the stored sole time of the stored landmark contact within
    ``MATCH_TOLERANCE_FRAMES`` of it, or None (no match, or the sole gave none: the landmark time stays)."""
    stored = np.asarray(record.landmark_s, dtype=float)
    tolerance_s = MATCH_TOLERANCE_FRAMES / fps
    out: list[float | None] = []
    for t in landmark_s:
        if stored.size == 0:
            out.append(None)
            continue
        i = int(np.argmin(np.abs(stored - t)))
        out.append(record.sole_s[i] if abs(stored[i] - t) <= tolerance_s else None)
    return out


def save_sole_contacts(path: str | os.PathLike[str], record: SoleContacts) -> None:
    """Write ``record`` (float64 times, NaN for none: exact, so a re-analysis gives the very same contacts)."""
    with open(path, "wb") as f:
        np.savez(
            f,
            format=np.array(SOLE_CONTACTS_FORMAT),
            landmark_s=np.array(record.landmark_s, dtype=np.float64),
            sole_s=np.array([np.nan if t is None else t for t in record.sole_s], dtype=np.float64),
            contact_timing=np.array(record.contact_timing),
        )


def load_sole_contacts(path: str | os.PathLike[str]) -> SoleContacts | None:
    """Read ``sole_contacts.npz``; None when it is absent (a folder written before it) or unreadable (one warning:
    the caller measures again from the video)."""
    p = Path(path)
    if not p.is_file():
        return None
    try:
        with np.load(p, allow_pickle=False) as z:
            if str(z["format"]) != SOLE_CONTACTS_FORMAT:
                raise ValueError(f"format {str(z['format'])!r}, not {SOLE_CONTACTS_FORMAT}")
            landmark_s, sole_s = z["landmark_s"].astype(float), z["sole_s"].astype(float)
            timing = str(z["contact_timing"])
        if landmark_s.shape != sole_s.shape or landmark_s.ndim != 1 or not timing.startswith("sole"):
            raise ValueError("its arrays or verdict are malformed")
    except (OSError, ValueError, KeyError, EOFError) as e:
        log.warning("ignoring %s: %s", p, e)
        return None
    return SoleContacts(
        landmark_s=tuple(float(t) for t in landmark_s),
        sole_s=tuple(None if np.isnan(t) else float(t) for t in sole_s),
        contact_timing=timing,
    )


__all__ = [
    "SOLE_CONTACTS_FILE",
    "SoleContacts",
    "load_sole_contacts",
    "matched_sole_times",
    "save_sole_contacts",
    "sole_contacts_of",
]
