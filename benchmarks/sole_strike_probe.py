"""The strike angle from the shoe's sole in the picture (docs/strike.md "The sole's tilt in the picture"): per
contact of the labelled side clips, the tilt of the sole's lower edge (the colour model of formcheck/sole_edge.py)
at the contact frame and the frames around it, relative to its median tilt over the stance frames, beside
formcheck's landmark reading and the labels.

    python benchmarks/sole_strike_probe.py [--clips ../shared/clips] [--out /tmp/sole_strike.json]

Reads the cached landmarks (benchmarks/.cache) and decodes each clip's foot crops once. The labels are only
printed beside each step, never used to time or read it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import score_contacts as S  # noqa: E402, N812

from formcheck import sole_edge  # noqa: E402
from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.metrics.foot_strike import runner_strike_angle_deg  # noqa: E402
from formcheck.processing.scale import near_side  # noqa: E402
from formcheck.trajectory_analysis import measure, prepare  # noqa: E402
from formcheck.video.foot_crops import cut_crops  # noqa: E402

CLIPS_DIR = ROOT.parent / "shared" / "clips"


def sole_bottoms(prob: np.ndarray, pts: np.ndarray, leg: float, trim: float) -> tuple[np.ndarray, np.ndarray]:
    """(columns, rows) of the shoe blob's lowest pixel in each column between heel and toe (the outer ``trim``
    share of that span left out: the rounded heel and the toe spring), crop coordinates; as sole_edge.sole_edge
    finds the blob."""
    p = cv2.blur(prob, (3, 3))
    on = (p > 0.5).astype(np.uint8)
    n, lab = cv2.connectedComponents(on, connectivity=8)
    empty = (np.array([]), np.array([]))
    if n <= 1:
        return empty
    tri = sole_edge.triangle_mask(prob.shape, pts, 1.0)
    ids = np.unique(lab[tri & (on > 0)])
    ids = ids[ids > 0]
    if ids.size == 0:
        return empty
    in_blob = np.zeros(n, bool)
    in_blob[ids] = True
    blob = in_blob[lab]
    h, w = prob.shape
    x_lo, x_hi = sorted(pts[:2, 0])
    span = x_hi - x_lo
    c0 = max(int(np.ceil(x_lo + trim * span)), 0)
    c1 = min(int(np.floor(x_hi - trim * span)), w - 1)
    if c1 - c0 < 3:
        return empty
    sub = blob[:, c0 : c1 + 1]
    has = sub.any(axis=0)
    last = h - 1 - np.argmax(sub[::-1], axis=0)
    cols = np.nonzero(has)[0]
    return cols + c0, last[cols].astype(float)


def sole_tilt_deg(cols: np.ndarray, rows: np.ndarray, heel_to_toe_sign: float) -> float:
    """The sole line's angle, + = toe end higher in the picture (rows grow downward); NaN under 4 columns."""
    if cols.size < 4:
        return math.nan
    slope = np.polyfit(cols, rows, 1)[0]  # rows per column
    return math.degrees(math.atan(-slope * heel_to_toe_sign))


def window_tilts(r: dict, foot_px: np.ndarray, leg: float, trim: float) -> np.ndarray:
    """The sole's tilt in each window frame (deg), from ``time_contact``'s shoe probability images."""
    if r.get("probs") is None:
        return np.full(len(foot_px), np.nan)
    scale = r["scale"]
    out = []
    for prob, q in zip(r["probs"], foot_px, strict=True):
        pts = (np.asarray(q, float) + 0.5) * scale - 0.5
        sign = 1.0 if pts[1, 0] >= pts[0, 0] else -1.0
        cols, rows = sole_bottoms(prob, pts, leg * scale, trim)
        out.append(sole_tilt_deg(cols, rows, sign))
    return np.array(out)


def probe_clip(name: str, raw, path: Path, clips: Path, trim: float) -> list[dict]:
    settings, cfg = AnalysisSettings(), sole_edge.SoleEdgeSettings()
    labels = S.read_labels(path, raw.time_s)
    second = S.SECOND_LABELS_DIR / path.name
    if second.is_file():
        labels = S.attach_second_labels(labels, S.read_labels(second, raw.time_s), 2.5 / raw.fps)
    if not any(S.PATTERN_TO_CLASS.get(lab.pattern) or lab.second_pattern for lab in labels):
        return []
    try:
        prepared = prepare(raw, settings)
        analysis = measure(prepared, settings)
    except FormcheckError:
        return []
    if prepared.view != "side":
        return []
    steps = prepared.events.steps
    leg = prepared.leg_length_px
    near = near_side(prepared.clean)
    kinds = analysis.metrics["foot_strike_type"].per_step or ()
    fsa = analysis.metrics["foot_strike_angle_deg"].per_step or ()
    xy = sole_edge.picture_xy(prepared.clean.xy_px, prepared.roll_deg, raw.video.width, raw.video.height)
    plans = sole_edge.plan_windows(
        xy, raw.time_s, [(s.side, s.contact_s) for s in steps], leg, (raw.video.width, raw.video.height)
    )
    crops = cut_crops(clips / f"{name}.mp4", {j: (p.frames, p.box) for j, p in plans.items()})
    pairs = dict(
        (j, i)
        for i, j in S.match_nearest([lab.contact_s for lab in labels], [s.contact_s for s in steps], 0.15)
    )
    rows = []
    c = sole_edge.BEFORE
    stance = list(range(c + cfg.stance_from, c + cfg.stance_to + 1))
    for j, plan in plans.items():
        if len(crops[j]) != len(plan.frames):
            continue
        foot_px = sole_edge.local_points(xy, plan, steps[j].side)
        r = sole_edge.time_contact(crops[j], foot_px, raw.time_s[list(plan.frames)], leg, cfg)
        tilts = window_tilts(r, foot_px, leg, trim)
        ref = float(np.nanmedian(tilts[stance])) if np.isfinite(tilts[stance]).any() else math.nan
        lab = labels[pairs[j]] if j in pairs else None
        rows.append(
            {
                "clip": name,
                "step": j,
                "side": steps[j].side,
                "near": steps[j].side == near,
                "valid": steps[j].valid,
                "contact_frame": round(steps[j].contact_s * raw.fps, 2),
                "first_frame": plan.frames[0],
                "label_frame": None if lab is None else int(round(lab.contact_s * raw.fps)),
                "pattern": None if lab is None else lab.pattern,
                "second_pattern": None if lab is None else lab.second_pattern,
                "formcheck": kinds[j] if j < len(kinds) else None,
                "fsa": None if j >= len(fsa) or fsa[j] is None else round(float(fsa[j]), 1),
                "sep": None if not np.isfinite(r["sep"]) else round(r["sep"], 3),
                "lead": None
                if not np.isfinite(lead := sole_edge.contact_lead(r, foot_px, leg, cfg))
                else round(lead, 4),
                "usable": sole_edge.usable(r),
                "tilt_rel": [None if not np.isfinite(v - ref) else round(float(v - ref), 1) for v in tilts],
                "contact_index": c,
                "fps": raw.fps,
                "leg_px": round(leg, 1),
            }
        )
    return rows


_THRESHOLDS = AnalysisSettings().thresholds
# formcheck's own class lines (Altman & Davis 2012, METRICS.md 4.4) and indeterminate band (Murray 2019).
STRIKE_LINES_DEG = (_THRESHOLDS.forefoot_below_deg, _THRESHOLDS.rearfoot_above_deg)
MARGIN_DEG = _THRESHOLDS.strike_indeterminate_margin_deg


def strike_class(v: float | None) -> str | None:
    """formcheck's class of an angle, ``indeterminate`` within the band of a line."""
    if v is None or not np.isfinite(v):
        return None
    if min(abs(v - line) for line in STRIKE_LINES_DEG) < MARGIN_DEG:
        return "indeterminate"
    return "rearfoot" if v > STRIKE_LINES_DEG[1] else ("forefoot" if v < STRIKE_LINES_DEG[0] else "midfoot")


def tilt_at(row: dict, when: str) -> float | None:
    """A step's sole tilt relative to stance: at the first frame at or after its contact (``frame``), the frame
    before (``before``), or linearly between the two at the contact time (``contact``)."""
    c, tilts = row["contact_index"], row["tilt_rel"]
    if when == "frame":
        return tilts[c]
    if when == "before":
        return tilts[c - 1]
    a, b = tilts[c - 1], tilts[c]
    if a is None or b is None:
        return None
    frac = min(max(row["contact_frame"] - (row["first_frame"] + c - 1), 0.0), 1.0)
    return a + frac * (b - a)


def runner_angle(rows: list[dict], value) -> float | None:  # noqa: ANN001 - row -> float | None
    """The runner's angle over valid steps by formcheck's own ``runner_strike_angle_deg``."""
    picked = [(value(r), r["near"]) for r in rows if r["valid"]]
    picked = [(v, near) for v, near in picked if v is not None]
    if not picked:
        return None
    values, near = (np.array(x) for x in zip(*picked, strict=True))
    return runner_strike_angle_deg(values.astype(float), near.astype(bool))


def summary(rows: list[dict], when: str) -> None:
    """Per clip and over all labelled contacts: the runner's sole class (every step gets it) against the first
    labeller's pattern, beside formcheck's per-step class; halves as score_at_contact.py deals them."""
    from score_at_contact import split_halves

    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(r["clip"], []).append(r)
    sole_pairs: dict[str, list[tuple[str, str]]] = {}
    formcheck_pairs: dict[str, list[tuple[str, str]]] = {}
    counts = {"n": 0, "sole": 0, "formcheck": 0, "follows_n": 0, "follows_sole": 0, "follows_formcheck": 0}
    consensus = {"n": 0, "sole": 0, "formcheck": 0, "mean": 0}
    counts["mean"] = 0  # the mean of the sole's and the landmarks' runner angles where the edge follows
    print(f"\nsole tilt read at: {when}")
    for clip, rs in by.items():
        leads = [r["lead"] for r in rs if r["lead"] is not None]
        follows = sole_edge.clip_follows(leads)
        angle = runner_angle(rs, lambda r: tilt_at(r, when))  # noqa: B023
        landmarks = runner_angle(rs, lambda r: r["fsa"])
        kind = strike_class(angle)
        both = (
            (angle + landmarks) / 2 if follows and angle is not None and landmarks is not None else landmarks
        )
        mean_kind = strike_class(both)
        labelled = [r for r in rs if r["valid"] and S.PATTERN_TO_CLASS.get(r["pattern"] or "")]
        pairs = [(S.PATTERN_TO_CLASS[r["pattern"]], kind) for r in labelled]
        sole_pairs[clip] = [(a, str(b)) for a, b in pairs]
        formcheck_pairs[clip] = [(S.PATTERN_TO_CLASS[r["pattern"]], str(r["formcheck"])) for r in labelled]
        ok = sum(a == b for a, b in pairs)
        fc_ok = sum(S.PATTERN_TO_CLASS[r["pattern"]] == r["formcheck"] for r in labelled)
        counts["n"] += len(pairs)
        counts["sole"] += ok
        counts["formcheck"] += fc_ok
        counts["mean"] += sum(a == mean_kind for a, _ in pairs)
        if follows:
            counts["follows_n"] += len(pairs)
            counts["follows_sole"] += ok
            counts["follows_formcheck"] += fc_ok
        for r in labelled:
            agreed = S.PATTERN_TO_CLASS.get(r["second_pattern"] or "")
            if agreed == S.PATTERN_TO_CLASS[r["pattern"]]:
                consensus["n"] += 1
                consensus["sole"] += agreed == kind
                consensus["formcheck"] += agreed == r["formcheck"]
                consensus["mean"] += agreed == mean_kind
        a_txt = "  n/a" if angle is None else f"{angle:5.1f}"
        l_txt = "  n/a" if landmarks is None else f"{landmarks:5.1f}"
        print(
            f"  {clip:30s} edge follows {follows!s:5s} sole {a_txt} deg {kind!s:13s} landmarks {l_txt} deg  "
            f"agree: sole {ok}/{len(pairs)}, formcheck {fc_ok}/{len(pairs)}"
        )

    def pct(a: int, n: int) -> str:
        return f"{100 * a / n:5.1f}% of {n}" if n else "n/a"

    half_a, half_b = split_halves({k: v for k, v in sole_pairs.items() if v})
    for name, members in (("half A", half_a), ("half B", half_b)):
        ps = [p for m in members for p in sole_pairs[m]]
        fc = [p for m in members for p in formcheck_pairs[m]]
        print(
            f"  {name:30s} sole {pct(sum(a == b for a, b in ps), len(ps))}, "
            f"formcheck {pct(sum(a == b for a, b in fc), len(fc))}  ({', '.join(members)})"
        )
    print(
        f"  {'ALL':30s} sole {pct(counts['sole'], counts['n'])}, formcheck {pct(counts['formcheck'], counts['n'])}"
    )
    print(
        f"  {'clips whose edge follows':30s} sole {pct(counts['follows_sole'], counts['follows_n'])}, "
        f"formcheck {pct(counts['follows_formcheck'], counts['follows_n'])}"
    )
    print(
        f"  {'both labellers agree':30s} sole {pct(consensus['sole'], consensus['n'])}, "
        f"formcheck {pct(consensus['formcheck'], consensus['n'])}"
    )
    print(
        f"  {'mean of sole and landmarks':30s} {pct(counts['mean'], counts['n'])}, where both labellers agree "
        f"{pct(consensus['mean'], consensus['n'])} (the sole only on clips whose edge follows)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=S.CACHE_DIR)
    ap.add_argument("--clips", type=Path, default=CLIPS_DIR)
    ap.add_argument(
        "--trim", type=float, default=0.15, help="share of the heel-toe span left out at each end"
    )
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--out", type=Path, default=None, help="write the per-step rows as JSON")
    ap.add_argument(
        "--rows", type=Path, default=None, help="summarise rows written before instead of probing"
    )
    args = ap.parse_args(argv)
    if args.rows is not None:
        rows = json.loads(args.rows.read_text())
        for when in ("contact", "frame", "before"):
            summary(rows, when)
        return 0
    rows = []
    for name, raw, path in S.real_clips(S.LABELS_DIR, args.cache, args.clips):
        if args.only and name not in args.only:
            continue
        got = probe_clip(name, raw, path, args.clips, args.trim)
        for row in got:
            print(
                f"{row['clip']:30s} #{row['step']:2d} {row['side']:5s} {'near' if row['near'] else 'far ':4s} "
                f"label {row['pattern']!s:7s}/{row['second_pattern']!s:7s} read {row['formcheck']!s:13s} "
                f"FSA {row['fsa']!s:6s} sep {row['sep']}  tilt rel (c-4..c+6) {row['tilt_rel']}",
                flush=True,
            )
        rows += got
    if args.out:
        args.out.write_text(json.dumps(rows))
    for when in ("contact", "frame", "before"):
        summary(rows, when)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
