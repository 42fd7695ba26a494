"""``steps.csv`` (one row per detected step) and ``keypoints.csv`` (one row per frame, raw and filtered)."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import numpy as np

from formcheck.files import atomic_path, write_text_atomic
from formcheck.metrics.display import is_missing
from formcheck.model import Analysis, Trajectories
from formcheck.report.labels import ordered_ids
from formcheck.safe_text import csv_cell
from formcheck.skeleton import LANDMARK_NAMES

_UNIT_SUFFIX = {"%leg": "pctleg", "%hip width": "pcthip", "% of stride": "pct", "steps/min": "spm"}
_KNOWN_SUFFIXES = ("_deg", "_spm", "_ms", "_s", "_pct", "_px", "_cm", "_pctleg", "_pcthip")


def column_name(metric_id: str, unit: str) -> str:
    """A per-step metric's column: its id with the unit appended unless the id already names it
    (``overstride_distance`` + ``%leg`` -> ``overstride_distance_pctleg``; ``shank_angle_ic_deg`` stays)."""
    if unit in ("", "category") or metric_id.endswith(_KNOWN_SUFFIXES):
        return metric_id
    suffix = _UNIT_SUFFIX.get(unit) or re.sub(r"[^a-z0-9]+", "", unit.lower().replace("%", "pct"))
    return f"{metric_id}_{suffix}" if suffix else metric_id


def step_rows(analysis: Analysis) -> tuple[list[str], list[list[object]]]:
    """Header and rows of ``steps.csv``."""
    per_step = [
        mid
        for mid in ordered_ids(list(analysis.metrics))
        if analysis.metrics[mid].per_step is not None
        and len(analysis.metrics[mid].per_step or ()) == len(analysis.events.steps)
    ]
    header = [
        "index",
        "side",
        "contact_s",
        "toe_off_s",
        "midstance_s",
        "contact_time_ms",
        "valid",
        "reject_reason",
    ]
    header += [column_name(mid, analysis.metrics[mid].unit) for mid in per_step]
    rows: list[list[object]] = []
    for i, s in enumerate(analysis.events.steps):
        gct = s.contact_time_s
        row: list[object] = [
            i,
            s.side,
            _num(s.contact_s, 4),
            _num(s.toe_off_s, 4),
            _num(s.midstance_s, 4),
            _num(None if gct is None else gct * 1000.0, 1),
            int(s.valid),
            s.reject_reason,
        ]
        for mid in per_step:
            v = analysis.metrics[mid].per_step[i]  # type: ignore[index]
            row.append(v if isinstance(v, str) else _num(v, 3))
        rows.append(row)
    return header, rows


def write_steps_csv(analysis: Analysis, path: str | os.PathLike[str]) -> Path:
    """Write ``steps.csv``: index, side, event times, validity, then every per-step metric (unit in header)."""
    header, rows = step_rows(analysis)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([csv_cell(c) for c in row] for row in rows)
    return write_text_atomic(path, buf.getvalue())


def keypoint_header() -> list[str]:
    cols = ["time_s"]
    for name in LANDMARK_NAMES:
        cols += [f"{name}_x_px", f"{name}_y_px", f"{name}_vis"]
    for name in LANDMARK_NAMES:
        cols += [f"{name}_x_px_filt", f"{name}_y_px_filt"]
    return cols


def keypoint_table(raw: Trajectories, clean: Trajectories) -> np.ndarray:
    """(T, 1 + 33*5) float table in ``keypoint_header`` order; ``clean`` is matched to ``raw``'s frames by time."""
    n = raw.n_frames
    raw_part = np.concatenate([raw.xy_px, raw.visibility[:, :, None]], axis=2).reshape(n, -1)
    if clean.n_frames == n and np.allclose(clean.time_s, raw.time_s):
        filt = clean.xy_px
    else:
        filt = np.full_like(raw.xy_px, np.nan)
        if clean.n_frames:
            j = np.clip(np.searchsorted(clean.time_s, raw.time_s), 0, clean.n_frames - 1)
            j_prev = np.clip(j - 1, 0, clean.n_frames - 1)
            closer = np.abs(clean.time_s[j_prev] - raw.time_s) < np.abs(clean.time_s[j] - raw.time_s)
            j = np.where(closer, j_prev, j)
            tol = 0.5 / max(clean.fps, 1e-6)
            ok = np.abs(clean.time_s[j] - raw.time_s) <= tol
            filt[ok] = clean.xy_px[j[ok]]
    return np.concatenate([raw.time_s[:, None], raw_part, filt.reshape(n, -1)], axis=1)


def write_keypoints_csv(analysis: Analysis, path: str | os.PathLike[str]) -> Path:
    """Write ``keypoints.csv``: per frame, time and every landmark's raw x, y (pixels, y down), visibility and
    filtered x, y. Missing values are empty cells."""
    table = keypoint_table(analysis.raw, analysis.clean)
    header = keypoint_header()
    n_lm = len(LANDMARK_NAMES)
    fmts = ["%.4f"] + ["%.2f", "%.2f", "%.3f"] * n_lm + ["%.2f", "%.2f"] * n_lm
    row_fmt = ",".join(fmts)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(header) + "\n")
        chunk = 2000
        for start in range(0, table.shape[0], chunk):
            block = table[start : start + chunk]
            text = "\n".join(row_fmt % tuple(r) for r in block.tolist())
            fh.write(
                text.replace("nan", "") + "\n"
            )  # every cell is a number or nan: str.replace, not a regex
    return Path(path)


def _num(v: float | None, digits: int) -> object:
    return "" if is_missing(v) else round(float(v), digits)  # type: ignore[arg-type]
