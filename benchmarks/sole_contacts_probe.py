"""Probe: time side-view foot contacts from the picture of the shoe's sole (issue 15 item 3, "median |error| <= 0.5
frame"; docs/contacts.md "Tried and not kept", the shoe-sole colour edge).

    python benchmarks/sole_contacts_probe.py crops [CLIP ...]        # decode each clip once, keep foot crops
    python benchmarks/sole_contacts_probe.py score [--half first|second] [--per-step] [--sheets DIR] [CLIP ...]
    python benchmarks/sole_contacts_probe.py cost [CLIP ...]         # ms per clip: decoding and the crops' work

``crops`` finds formcheck's contacts on the cached landmarks (benchmarks/.cache, as score_contacts.py does),
decodes the clip once (formcheck.video.reader.VideoReader) and keeps, for every side-view contact, the picture
around the landing foot in frames ``-before..+after`` of formcheck's contact frame (one box per contact, the union
of the foot's heel / toe / ankle landmarks over the window, padded). They go to ``/work/tmp-sole/<clip>.pkl``,
never into the repo.

The colour model, the sole edge, the contact time, ``edge_lead`` and ``clip_follows`` now live in
formcheck/sole_edge.py (the product's opt-in ``[gait] contact_timing = "sole"``, docs/contacts.md "The sole edge
in formcheck"); this probe calls them with its flags, and keeps the variants that were not adopted.

``score`` times each contact from those crops, without the pose model's mask (which costs +24% pose time):

1. A colour model of this shoe against this ground, learnt in the stance frames (``--stance-from..--stance-to``
   after formcheck's contact, the foot planted): shoe = pixels inside the heel-toe-ankle triangle (shrunk toward
   its centre, the landmarks jitter), ground = a band below the stance foot's lowest landmark. A 3-D histogram
   in CIE Lab per class; a pixel is shoe where its shoe likelihood beats the ground's.
2. In every window frame, in the landing foot's columns (heel to toe from the landmarks, ``--band`` either side)
   the shoe's lowest edge: per column the lowest shoe pixel of the blob that holds the foot, sub-pixel where
   the smoothed shoe probability crosses 0.5; the sole's edge is a high percentile of those columns.
3. The stance level is the edge's median over the stance frames; contact = where the edge, searched back from
   the stance, comes within ``--tol`` (leg lengths) of that level, interpolated between frames (what the second
   labeller did by eye and with a colour mask).
4. Confidence tests (off by default: none separated good from bad contacts, see docs/contacts.md) refuse the
   picture where the shoe cannot be told from the ground (the colour model's held-out accuracy on the stance
   frames below ``--min-sep``), where the stance edge is not steady (sd above ``--max-stance-sd`` leg), where the
   window's first frame does not show the foot in the air (``--min-lift``) or where the edge comes down slowly
   (``--min-approach`` leg/s). The gate keeps the picture's time only within ``--gate`` frames of the landmark
   contact (``--gate 99``: the picture alone); ``--combine mean`` averages the two. Otherwise the landmark
   contact stays.
5. Does the edge follow the sole? (``--follow-max 0.01``, docs/contacts.md "Does the edge follow the sole?")
   ``edge_lead``: in the landmark contact frame and the two before it (``--follow-from``), how much higher the
   edge stands above its stance level than the foot's lowest landmark stands above its own, leg lengths. A
   sole comes down with the foot; an upper rolling flat, a blurred outsole or grass giving way comes down after
   it. ``clip_follows``: a clip whose median lead is above ``--follow-max`` keeps the landmark contacts; in the
   others the picture's time is used within ``--follow-gate`` frames (default: always). ``--follow-per
   contact`` judges each contact by its own lead instead; ``--min-leg-px`` also refuses clips with a shorter leg.

The defaults are the settings of the figures in docs/contacts.md (tolerance chosen on ``--half first``); the
edge-lead test is off unless ``--follow-max`` is given.
    python benchmarks/sole_contacts_probe.py score --follow-max 0.01 [--half first|second]
Scored with benchmarks/score_contacts.py's own functions (its ``analyze_trajectories`` replaced by one that swaps in
the picture's contact times), so every figure it prints comes out: per clip, per view and fps, ALL, the halves
and the "labelled twice" lines. Rear and front clips keep formcheck's contacts (side view only).

``--sheets DIR`` writes a PNG per clip: each contact's crops in a row with the shoe mask outlined, the sole edge
(red), the stance level (green) and the labelled / landmark / picture frames marked.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import score_contacts as S  # noqa: E402, N812

from formcheck import sole_edge as sole  # noqa: E402
from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.skeleton import LANDMARK_NAMES  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402
from formcheck.video.foot_crops import cut_crops  # noqa: E402

CLIPS_DIR = ROOT.parent / "shared" / "clips"
CROP_DIR = Path("/work/tmp-sole")
NAMES = list(LANDMARK_NAMES)
BEFORE, AFTER, PAD_LEG = sole.BEFORE, sole.AFTER, sole.PAD_LEG  # the window, frames; crop padding, leg


def foot_xy(a, raw) -> np.ndarray:
    """Swap-repaired, smoothed landmarks in the picture's own coordinates (undoing a levelled roll)."""
    return sole.picture_xy(a.clean.xy_px, a.roll_deg, raw.video.width, raw.video.height)


def foot_points(xy: np.ndarray, k: int, side: str) -> np.ndarray:
    """(3, 2) heel, toe (foot_index), ankle of ``side`` in frame ``k``, px."""
    return sole.foot_points(xy, k, side)


# ---------------------------------------------------------------------------------------------------- crops step
def make_crops(clip: str) -> None:
    raw = {n: r for n, r, _ in S.real_clips(S.LABELS_DIR, S.CACHE_DIR)}[clip]
    try:
        a = analyze_trajectories(raw, AnalysisSettings())
    except Exception as e:  # a refused clip: nothing to time
        print(f"{clip}: refused ({e})")
        return
    if a.view != "side":
        print(f"{clip}: view {a.view}, skipped")
        return
    xy = foot_xy(a, raw)
    plans = sole.plan_windows(
        xy, raw.time_s, [(st.side, st.contact_s) for st in a.events.steps], a.leg_length_px
    )
    t0 = time.perf_counter()
    crops = cut_crops(CLIPS_DIR / f"{clip}.mp4", {j: (p.frames, p.box) for j, p in plans.items()})
    wins = {j: {"frames": list(p.frames), "box": p.box, "crops": crops[j]} for j, p in plans.items()}
    CROP_DIR.mkdir(parents=True, exist_ok=True)
    with open(CROP_DIR / f"{clip}.pkl", "wb") as fh:
        pickle.dump(wins, fh)
    print(f"{clip}: {len(wins)} contacts, decoded in {time.perf_counter() - t0:.1f} s", flush=True)


# ---------------------------------------------------------------------------------------------------- the sole edge
# The colour model, the sole edge, the contact time, edge_lead and clip_follows live in formcheck/sole_edge.py (the
# product's opt-in, gait.contact_timing = "sole"); the probe calls them with its own settings.
FOLLOW_MAX_LEG = sole.SoleEdgeSettings.follow_max
edge_lead, clip_follows = sole.edge_lead, sole.clip_follows


def edge_settings(args) -> sole.SoleEdgeSettings:
    """The module's settings from the probe's flags (same names)."""
    names = [
        f.name
        for f in dataclasses.fields(sole.SoleEdgeSettings)
        if f.name not in ("follow_max", "min_leg_px")
    ]
    return sole.SoleEdgeSettings(**{n: getattr(args, n) for n in names})


def window_points(w: dict, st, xy) -> np.ndarray:
    """(n, 3, 2) heel, toe, ankle of the window's frames in its crop coordinates."""
    return np.array([foot_points(xy, f, st.side) - [w["box"][0], w["box"][1]] for f in w["frames"]])


def time_contact(w: dict, st, xy, t_all, leg: float, args) -> dict:
    """The picture's contact time for one window, with the confidence figures (sole_edge.time_contact)."""
    return sole.time_contact(
        w["crops"], window_points(w, st, xy), t_all[w["frames"]], leg, edge_settings(args)
    )


def contact_lead(r: dict, w: dict, st, xy, leg: float, args) -> float:
    """``edge_lead`` of one timed contact window (``time_contact``'s result ``r``)."""
    return sole.contact_lead(r, window_points(w, st, xy), leg, edge_settings(args))


# ---------------------------------------------------------------------------------------------------- score step
def picture_analyses(args) -> tuple[dict, list[dict]]:
    """Each labelled clip's analysis with side-view contacts retimed from the picture where it passes the tests,
    and one row per contact with the figures behind it."""
    settings = AnalysisSettings()
    out, rows = {}, []
    for name, raw, path in CLIPS:
        try:
            a = analyze_trajectories(raw, settings)
        except Exception:  # refused clips stay refused (score_contacts counts them)
            continue
        out[id(raw)] = a
        store = CROP_DIR / f"{name}.pkl"
        if a.view != "side" or (args.clips and name not in args.clips) or not store.is_file():
            continue
        wins = pickle.load(open(store, "rb"))  # noqa: SIM115
        xy, t_all, leg, fps = foot_xy(a, raw), raw.time_s, a.leg_length_px, raw.fps
        labels = S.read_labels(path, t_all)
        steps = list(a.events.steps)
        timed = {}
        for j, st in enumerate(steps):
            w = wins.get(j)
            if w is None or len(w["crops"]) != len(w["frames"]):
                continue
            t0 = time.perf_counter()
            timed[j] = time_contact(w, st, xy, t_all, leg, args)
            COST_MS[name] = COST_MS.get(name, 0.0) + 1000 * (time.perf_counter() - t0)
            timed[j]["lead"] = contact_lead(timed[j], w, st, xy, leg, args)
        leads = [r["lead"] for r in timed.values()]
        off = args.follow_max >= 1.0  # the test is off: every clip passes
        follows = off or clip_follows(leads, args.follow_max)
        big_enough = leg >= args.min_leg_px  # the tolerance must span pixels to be resolved
        follows = follows and big_enough
        CLIP_LEAD[name] = float(np.nanmedian(leads)) if np.isfinite(leads).any() else np.nan
        gate = args.gate if args.follow_max >= 1.0 else args.follow_gate
        for j, st in enumerate(steps):
            w = wins.get(j)
            if j not in timed:
                continue
            r = timed[j]
            ok = (
                (
                    follows
                    if args.follow_per == "clip"
                    else big_enough and (off or bool(r["lead"] <= args.follow_max))
                )
                and r["t"] is not None
                and r["sep"] >= args.min_sep
                and r["stance_sd"] <= args.max_stance_sd
                and r["lift"] >= args.min_lift
                and not r.get("approach", np.inf) < args.min_approach
            )
            d = (r["t"] - st.contact_s) * fps if r["t"] is not None else np.nan
            used = ok and -gate <= d <= (gate if args.gate_late is None else args.gate_late)
            if used:
                t_new = float(r["t"]) if args.combine == "picture" else 0.5 * (float(r["t"]) + st.contact_s)
                steps[j] = dataclasses.replace(st, contact_s=t_new)
            lab = min(labels, key=lambda lb: abs(lb.contact_s - st.contact_s), default=None)
            near = lab is not None and abs(lab.contact_s - st.contact_s) < 0.15
            row = {
                "clip": name,
                "j": j,
                "side": st.side,
                "lm_frame": st.contact_s * fps,
                "pic_frame": r["t"] * fps if r["t"] is not None else np.nan,
                "label_frame": lab.contact_s * fps if near else np.nan,
                "sep": r["sep"],
                "stance_sd": r["stance_sd"],
                "lift": r["lift"],
                "approach": r.get("approach", np.nan),
                "lead": r["lead"],
                "ok": ok,
                "used": used,
            }
            if near and r["edge"] is not None and np.isfinite(r["level"]):
                k_lab = int(round(lab.contact_s * fps)) - w["frames"][0]
                if 0 <= k_lab < len(r["edge"]):
                    row["gap_at_label"] = (r["level"] - r["edge"][k_lab]) / (leg * r["scale"])
            rows.append(row)
            if args.sheets:
                sheet_row(args.sheets, name, w, r, st, xy, leg, row, fps)
        a2 = dataclasses.replace(a, events=dataclasses.replace(a.events, steps=tuple(steps)))
        out[id(raw)] = a2
    return out, rows


_SHEETS: dict[str, list[np.ndarray]] = {}
COST_MS: dict[str, float] = {}  # per clip: the colour models and sole edges of every contact, ms
CLIP_LEAD: dict[str, float] = {}  # per clip: the median edge lead (edge_lead), leg


def sheet_row(
    sheet_dir: Path, name: str, w: dict, r: dict, st, xy, leg: float, row: dict, fps: float
) -> None:
    """One contact's crops side by side at a common height: shoe mask outline (yellow), sole edge (red), stance
    level (green); the title bar: L = labelled frame, F = formcheck's landmark frame, P = the picture's frame."""
    tiles = []
    height = 120
    x0, y0 = w["box"][0], w["box"][1]
    for i, (cr, f) in enumerate(zip(w["crops"], w["frames"], strict=True)):
        img = cv2.cvtColor(cr, cv2.COLOR_RGB2BGR).copy()
        if r.get("probs") is not None:
            m = (cv2.blur(r["probs"][i], (3, 3)) > 0.5).astype(np.uint8)
            m = cv2.resize(m, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_NEAREST)
            cnts, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
            cv2.drawContours(img, cnts, -1, (0, 255, 255), 1)
            e = (r["edge"][i] + 0.5) / r["scale"] - 0.5
            if np.isfinite(e):
                cv2.line(img, (0, int(round(e))), (img.shape[1] - 1, int(round(e))), (0, 0, 255), 1)
            if np.isfinite(r["level"]):
                yy = int(round((r["level"] + 0.5) / r["scale"] - 0.5))
                cv2.line(img, (0, yy), (img.shape[1] // 4, yy), (0, 255, 0), 1)
        for p in foot_points(xy, f, st.side) - [x0, y0]:
            cv2.circle(img, (int(p[0]), int(p[1])), 2, (255, 0, 255), -1)
        s = height / img.shape[0]
        img = cv2.resize(img, (max(int(img.shape[1] * s), 1), height), interpolation=cv2.INTER_NEAREST)
        tags = []
        for tag, key in (("L", "label_frame"), ("F", "lm_frame"), ("P", "pic_frame")):
            v = row[key]
            if np.isfinite(v) and f == int(np.ceil(v - 1e-3)):
                tags.append(tag)
        bar = np.zeros((16, img.shape[1], 3), np.uint8)
        cv2.putText(bar, f"{f} {''.join(tags)}", (2, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 255, 255), 1)
        tiles.append(np.vstack([bar, img]))
    strip = np.hstack(tiles)
    info = np.zeros((16, strip.shape[1], 3), np.uint8)
    txt = (
        f"{name} #{row['j']} {st.side} sep {row['sep']:.2f} sd {100 * row['stance_sd']:.1f}% "
        f"lift {100 * row['lift']:.1f}% {'USED' if row['used'] else ('ok' if row['ok'] else 'refused')}"
    )
    cv2.putText(info, txt, (2, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (200, 255, 200), 1)
    _SHEETS.setdefault(name, []).append(np.vstack([info, strip]))


def write_sheets(sheet_dir: Path) -> None:
    sheet_dir.mkdir(parents=True, exist_ok=True)
    for name, strips in _SHEETS.items():
        width = max(s.shape[1] for s in strips)
        padded = [np.pad(s, ((0, 2), (0, width - s.shape[1]), (0, 0))) for s in strips]
        for k in range(0, len(padded), 8):
            cv2.imwrite(str(sheet_dir / f"{name}_{k // 8}.png"), np.vstack(padded[k : k + 8]))


CLIPS: list = []  # the labelled clips' (name, landmarks, labels path), loaded once: analyses are keyed by id()


def score(args) -> int:
    CLIPS[:] = S.real_clips(S.LABELS_DIR, S.CACHE_DIR)
    analyses, rows = picture_analyses(args)
    original = S.analyze_trajectories
    S.real_clips = lambda labels_dir, cache_dir, clips_dir=None: list(CLIPS)

    def patched(raw, settings):
        return analyses[id(raw)] if id(raw) in analyses else original(raw, settings)

    S.analyze_trajectories = patched
    try:
        argv = ["--half", args.half] if args.half else []
        S.main(argv + (["--per-step"] if args.per_step else []))
    finally:
        S.analyze_trajectories = original
    print()
    print(
        "per clip: contacts, picture used / passed the tests, sep, stance sd % leg, lift % leg, gap at label,"
        " median edge lead % leg"
    )
    for clip in sorted({r["clip"] for r in rows}):
        sel = [r for r in rows if r["clip"] == clip]
        gap = [r.get("gap_at_label", np.nan) for r in sel]
        print(
            f"  {clip:34s} n={len(sel):3d} used {sum(r['used'] for r in sel):3d} ok {sum(r['ok'] for r in sel):3d}"
            f"  sep {np.nanmedian([r['sep'] for r in sel]):.2f}"
            f"  sd {100 * np.nanmedian([r['stance_sd'] for r in sel]):.2f}"
            f"  lift {100 * np.nanmedian([r['lift'] for r in sel]):5.1f}"
            f"  gap@label {100 * np.nanmean(gap):+.1f} +- {100 * np.nanstd(gap):.1f}"
            f"  edges {COST_MS.get(clip, 0.0) / max(len(sel), 1):.1f} ms/contact"
            f"  lead {100 * CLIP_LEAD.get(clip, np.nan):+.2f}"
        )
    if args.sheets:
        write_sheets(args.sheets)
    if args.rows:
        import json

        args.rows.write_text(json.dumps(rows, default=float))
    return 0


def cost(clips: list[str]) -> int:
    """ms per clip: a plain PyAV decode of every frame (no RGB) against decoding + RGB + crops of the windows."""
    import av

    for clip in clips:
        path = CLIPS_DIR / f"{clip}.mp4"
        t0 = time.perf_counter()
        n = 0
        with av.open(str(path)) as ct:
            for _ in ct.decode(video=0):
                n += 1
        t_dec = time.perf_counter() - t0
        print(f"{clip}: {n} frames, decode only {1000 * t_dec:.0f} ms ({1000 * t_dec / n:.2f} ms/frame)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The probe's command line (its defaults are the settings of docs/contacts.md's figures)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("crops", "score", "cost"))
    ap.add_argument("clips", nargs="*")
    ap.add_argument("--half", choices=("first", "second"), default=None)
    ap.add_argument("--per-step", action="store_true")
    ap.add_argument("--sheets", type=Path, default=None)
    ap.add_argument(
        "--rows", type=Path, default=None, help="write one JSON row per contact (figures behind it)"
    )
    ap.add_argument("--bins", type=int, default=16, help="Lab histogram bins per channel")
    ap.add_argument(
        "--max-leg-px", type=float, default=0.0, help="shrink crops so the leg is at most this, px"
    )
    ap.add_argument("--shrink", type=float, default=0.85, help="shoe sample: triangle shrunk to this")
    ap.add_argument("--sole-drop", type=float, default=0.02, help="triangle's base lowered by this, leg")
    ap.add_argument("--ground-from", type=float, default=0.03, help="ground band top below the sole, leg")
    ap.add_argument("--ring", type=float, default=0.0, help="ground class also takes a ring around the foot")
    ap.add_argument("--ring-gap", type=float, default=0.03)
    ap.add_argument("--ground-to", type=float, default=0.09, help="ground band bottom, leg")
    ap.add_argument("--band", type=float, default=0.02, help="columns beyond heel and toe, leg")
    ap.add_argument("--near", type=float, default=0.0, help="edge only within this of the foot triangle, leg")
    ap.add_argument("--edge-pct", type=float, default=90.0, help="percentile of the column bottoms")
    ap.add_argument("--tol", type=float, default=0.02, help="contact: within this of the stance level, leg")
    ap.add_argument("--stance-from", type=int, default=2)
    ap.add_argument("--stance-to", type=int, default=5)
    ap.add_argument("--min-sep", type=float, default=0.0)
    ap.add_argument("--max-stance-sd", type=float, default=1.0)
    ap.add_argument("--min-lift", type=float, default=-1.0)
    ap.add_argument("--min-approach", type=float, default=-np.inf, help="leg/s")
    ap.add_argument("--gate", type=float, default=1.5, help="picture used within this many frames")
    ap.add_argument(
        "--follow-max",
        type=float,
        default=99.0,
        help="refuse a clip's picture where its median edge lead (edge_lead) is above this, leg (99: off)",
    )
    ap.add_argument("--follow-from", type=int, default=-2, help="edge lead: from this frame to the contact")
    ap.add_argument(
        "--min-leg-px", type=float, default=0.0, help="refuse the picture on clips whose leg is shorter, px"
    )
    ap.add_argument(
        "--follow-per",
        choices=("clip", "contact"),
        default="clip",
        help="edge lead: the clip's median or each own",
    )
    ap.add_argument(
        "--follow-gate", type=float, default=99.0, help="with --follow-max: the gate, frames (99: none)"
    )
    ap.add_argument("--gate-late", type=float, default=None)
    ap.add_argument(
        "--combine",
        choices=("picture", "mean"),
        default="picture",
        help="the picture's time, or its mean with the landmarks'",
    )
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.step == "crops":
        names = args.clips or [n for n, _, _ in S.real_clips(S.LABELS_DIR, S.CACHE_DIR)]
        for n in names:
            if (CROP_DIR / f"{n}.pkl").is_file():
                print(f"{n}: cached")
                continue
            make_crops(n)
        return 0
    if args.step == "cost":
        return cost(args.clips)
    return score(args)


if __name__ == "__main__":
    raise SystemExit(main())
