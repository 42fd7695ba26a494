"""Why some side clips' contacts come a frame early (docs/contacts.md "Clips a frame early"): per labelled side
contact, formcheck's continuous contact time, its knee marker and settle time against the labelled frame, with
label-free traits of the contact and the clip beside them.

    python benchmarks/early_contacts_probe.py [--cache DIR] [--csv out.csv] [--set gait.NAME=VALUE]

Errors are continuous: (time - labelled frame's time) x fps. A perfect detector lies in (-1, 0]: the label is the
first frame on the ground, the touchdown somewhere in the frame interval before it.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.score_contacts import (  # noqa: E402
    ADVISED_CAPTURE_FPS,
    CACHE_DIR,
    LABELS_DIR,
    at_capture_rate,
    match_nearest,
    read_labels,
    real_clips,
    settings_with,
)
from formcheck import trajectory_analysis  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.gait import sagittal, toe_marker  # noqa: E402
from formcheck.gait.common import parabolic_peak  # noqa: E402
from formcheck.gait.foot_signals import foot_signals  # noqa: E402
from formcheck.processing.filtering import central_velocity  # noqa: E402


def run_clip(raw, settings):  # noqa: ANN001, ANN201
    """prepare() with the side-view markers recorded: (prepared, records, (clean, direction, leg_px))."""
    records: list[dict] = []
    seen: dict = {}
    orig_combine = sagittal.combine_contact_markers
    orig_detect = trajectory_analysis.detect_sagittal_events

    def combine(knee_s, settle_s, fps, cfg, settle_may_decide=True):  # noqa: ANN001, ANN202
        out = orig_combine(knee_s, settle_s, fps, cfg, settle_may_decide)
        records.append({"knee_s": knee_s, "settle_s": settle_s, "contact_s": out})
        return out

    orig_blend = toe_marker.blend_toe_marker
    moved: dict[float, float] = {}  # the contact before the toe-up marker's blend -> after it

    def detect(clean, direction, leg_px, cfg):  # noqa: ANN001, ANN202
        records.clear()
        moved.clear()
        seen["args"] = (clean, direction, leg_px)
        return orig_detect(clean, direction, leg_px, cfg)

    def blend(contact_s, toe_peak_s, weight, min_contacts=1):  # noqa: ANN001, ANN202
        out = orig_blend(contact_s, toe_peak_s, weight, min_contacts)
        moved.update({round(c, 6): b for c, b in zip(contact_s, out, strict=True)})
        return out

    sagittal.combine_contact_markers = combine
    toe_marker.blend_toe_marker = blend
    trajectory_analysis.detect_sagittal_events = detect
    try:
        prepared = trajectory_analysis.prepare(raw, settings)
    finally:
        sagittal.combine_contact_markers = orig_combine
        toe_marker.blend_toe_marker = orig_blend
        trajectory_analysis.detect_sagittal_events = orig_detect
    # Each record also under its blended time, the one the step carries (a move past toe-off keeps the first).
    records += [
        {**r, "contact_s": moved[round(r["contact_s"], 6)]}
        for r in list(records)
        if round(r["contact_s"], 6) in moved
    ]
    return prepared, records, seen.get("args")


def arrival_frames(
    height_leg: np.ndarray, t: np.ndarray, contact_s: float, stride_s: float, tol: float
) -> float:
    """Frames from ``contact_s`` to the first time (from a quarter stride before it) the foot comes within ``tol``
    leg of its stance level after being above it: linear crossing. NaN when not found."""
    fps = 1.0 / float(np.median(np.diff(t)))
    k0 = max(1, int(np.searchsorted(t, contact_s - 0.25 * stride_s)))
    k1 = min(len(t) - 1, int(np.searchsorted(t, contact_s + 0.25 * stride_s)))
    was_up = False
    for j in range(k0, k1 + 1):
        h = height_leg[j]
        if not np.isfinite(h):
            continue
        if h > tol:
            was_up = True
        elif was_up:
            tj = sagittal._crossing_time(height_leg, t, j, tol)
            return (tj - contact_s) * fps
    return math.nan


def contact_traits(
    sharp,
    clean,
    direction: int,
    leg_px: float,
    side: str,
    contact_s: float,
    step,
    stride_s: float,
    ref_s: float | None = None,
) -> dict:  # noqa: ANN001
    """Label-free traits of one contact from the cleaned tracks."""
    t = clean.time_s
    fps = clean.fps
    sig = foot_signals(clean, side, direction, leg_px)
    level = sagittal.stance_level_y(sig, t, step, stride_s)
    k = int(np.searchsorted(t, contact_s - 1e-6))  # the marked frame
    k = min(k, len(t) - 1)
    heel = clean.point(f"{side}_heel")
    toe = clean.point(f"{side}_foot_index")

    def at(arr: np.ndarray, j: int) -> float:
        return float(arr[j]) if 0 <= j < len(arr) and np.isfinite(arr[j]) else math.nan

    angle = [
        math.degrees(
            math.atan2(
                at(heel[:, 1], j) - at(toe[:, 1], j), direction * (at(toe[:, 0], j) - at(heel[:, 0], j))
            )
        )
        for j in (k - 1, k, k + 3)
    ]
    # Height above the stance level (leg), + = above.
    h = (level - sig.low_y) / leg_px
    heel_h = (level - heel[:, 1]) / leg_px
    flex = sig.knee_flexion_deg
    out = {}
    for tag, tr in (("c", clean), ("s", sharp)):
        sg = foot_signals(tr, side, direction, leg_px)
        lv = sagittal.stance_level_y(sg, t, step, stride_s)
        hh = (lv - sg.low_y) / leg_px
        for tol in (0.01, 0.02, 0.03, 0.05):
            out[f"arr_{tag}{int(tol * 100):02d}"] = arrival_frames(hh, t, contact_s, stride_s, tol)
    out["level_y"] = level
    if step.midstance_s is not None:
        for tag, tr in (("c", clean), ("s", sharp)):
            sg = foot_signals(tr, side, direction, leg_px)
            for frac in (0.5, 0.35, 0.2, 0.1, 0.05, 0.0):
                st_s = sagittal.settle_time(
                    sg, t, step.midstance_s, step.toe_off_s, stride_s, max(frac, 1e-6)
                )
                out[f"set_{tag}{int(frac * 100):02d}"] = (
                    math.nan if st_s is None else (st_s - contact_s) * fps
                )
    if ref_s is not None and math.isfinite(ref_s):
        heel_y = heel[:, 1]
        ang_all = np.degrees(np.arctan2(heel[:, 1] - toe[:, 1], direction * (toe[:, 0] - heel[:, 0])))
        for name, arr in (
            ("r_h", h),
            ("r_heel_h", (level - heel_y) / leg_px),
            ("r_vy", sig.low_vy / leg_px),
            ("r_ang", ang_all),
            ("r_knee", sig.knee_flexion_deg),
            ("r_hfwd", sig.h_heel),
            ("r_vx", sig.foot_vx / leg_px),
        ):
            ok = np.isfinite(arr)
            out[name] = float(np.interp(ref_s, t[ok], arr[ok])) if ok.sum() > 2 else math.nan
        if step.midstance_s is not None:
            out["svx"] = sagittal.stance_velocity(sig, t, step.midstance_s, step.toe_off_s) / leg_px
    for tag, tr in (("c", clean), ("s", sharp)):
        sg = foot_signals(tr, side, direction, leg_px)
        for pname, yy in (
            ("low", sg.low_y),
            ("heel", tr.point(f"{side}_heel")[:, 1]),
            ("ank", tr.point(f"{side}_ankle")[:, 1]),
        ):
            vy = central_velocity(yy, t)
            k0 = max(1, int(np.searchsorted(t, contact_s - 0.15 * stride_s)))
            k1 = min(len(t) - 2, int(np.searchsorted(t, contact_s + 0.1 * stride_s)))
            seg = vy[k0 : k1 + 1]
            if not np.isfinite(seg).any():
                continue
            kp = k0 + int(np.nanargmax(seg))
            for frac in (0.5, 0.25, 0.1):
                lvl = frac * vy[kp]
                val = math.nan
                for j in range(kp + 1, min(len(t) - 1, k1 + 6)):
                    if vy[j] <= lvl:
                        val = (sagittal._crossing_time(vy, t, j, lvl) - contact_s) * fps
                        break
                out[f"vstop_{pname}_{tag}{int(frac * 100):02d}"] = val
    for tag, tr in (("c", clean), ("s", sharp)):
        hx, hy = tr.point(f"{side}_heel").T
        tx, ty = tr.point(f"{side}_foot_index").T
        ang = np.degrees(np.arctan2(hy - ty, direction * (tx - hx)))  # + = toe up
        for win in (0.06, 0.09, 0.15, 0.2):
            k0 = max(1, int(np.searchsorted(t, contact_s - win * stride_s)))
            k1 = min(len(t) - 2, int(np.searchsorted(t, contact_s + win * stride_s)))
            seg = ang[k0 : k1 + 1]
            if np.isfinite(seg).any():
                ka = k0 + int(np.nanargmax(seg))
                out[f"tp{int(win * 100):02d}_{tag}"] = (parabolic_peak(ang, t, ka) - contact_s) * fps
                out[f"tp{int(win * 100):02d}_edge_{tag}"] = float(ka in (k0, k1))
        k0 = max(1, int(np.searchsorted(t, contact_s - 0.12 * stride_s)))
        k1 = min(len(t) - 2, int(np.searchsorted(t, contact_s + 0.12 * stride_s)))
        seg = ang[k0 : k1 + 1]
        if np.isfinite(seg).any():
            ka = k0 + int(np.nanargmax(seg))
            out[f"tp_edge_{tag}"] = float(ka in (k0, k1))
            k15 = min(len(t) - 2, int(np.searchsorted(t, contact_s + 0.15 * stride_s)))
            kb = max(1, int(np.searchsorted(t, contact_s - 0.15 * stride_s)))
            if 0 < ka < len(ang) - 1:
                out[f"tp_curv_{tag}"] = float((ang[ka - 1] - 2 * ang[ka] + ang[ka + 1]) * fps * fps)
            out[f"tp_drop_{tag}"] = float(ang[ka] - np.nanmin(ang[ka : k15 + 1]))
            out[f"tp_rise_{tag}"] = float(ang[ka] - np.nanmin(ang[kb : ka + 1]))
            out[f"toepeak_{tag}"] = (parabolic_peak(ang, t, ka) - contact_s) * fps
            out[f"toepeak_deg_{tag}"] = float(ang[ka])
            # fastest toe-down rotation after the peak
            va = central_velocity(ang, t)
            seg2 = va[ka : k1 + 4]
            if np.isfinite(seg2).any():
                kv = ka + int(np.nanargmin(seg2))
                out[f"toedrop_{tag}"] = (parabolic_peak(-va, t, kv) - contact_s) * fps
    for tag, tr in (("c", clean), ("s", sharp)):
        sg = foot_signals(tr, side, direction, leg_px)
        if step.midstance_s is None:
            break
        svx = sagittal.stance_velocity(sg, t, step.midstance_s, step.toe_off_s)
        rel = (sg.foot_vx - svx) / leg_px
        k0 = max(1, int(np.searchsorted(t, contact_s - 0.25 * stride_s)))
        k1 = min(len(t) - 2, int(np.searchsorted(t, contact_s + 0.15 * stride_s)))
        kp = k0 + int(np.nanargmax(rel[k0 : k1 + 1]))
        seg = rel[kp : k1 + 1]
        if seg.size and np.isfinite(seg).any():
            km = kp + int(np.nanargmin(seg))
            out[f"under_{tag}"] = float(rel[km] / rel[kp])
            out[f"under_t_{tag}"] = (t[km] - contact_s) * fps
            out[f"peakrel_{tag}"] = float(rel[kp])
    for tag, tr in (("c", clean), ("s", sharp)):
        hip_y = tr.mid("left_hip", "right_hip")[:, 1]
        vy = central_velocity(hip_y, t)  # + = down
        k0 = max(1, int(np.searchsorted(t, contact_s - 0.25 * stride_s)))
        k1 = min(len(t) - 2, int(np.searchsorted(t, contact_s + 0.25 * stride_s)))
        seg = vy[k0 : k1 + 1]
        if np.isfinite(seg).any():
            kf = k0 + int(np.nanargmax(seg))
            out[f"hipfall_{tag}"] = (parabolic_peak(vy, t, kf) - contact_s) * fps
            ktop = k0 + int(np.nanargmin(hip_y[k0 : kf + 1])) if kf > k0 else k0
            out[f"hiptop_{tag}"] = (parabolic_peak(-hip_y, t, ktop) - contact_s) * fps
        else:
            out[f"hipfall_{tag}"] = out[f"hiptop_{tag}"] = math.nan
    return out | {
        "h_above_m1": at(h, k - 1),
        "h_above_0": at(h, k),
        "h_above_p1": at(h, k + 1),
        "heel_above_0": at(heel_h, k),
        "vy_0": at(sig.low_vy, k) / leg_px,
        "heel_fwd_0": at(sig.h_heel, k),
        "knee_0": at(flex, k),
        "knee_p3_minus_0": at(flex, k + 3) - at(flex, k),
        "foot_angle_m1": angle[0],  # + = toe up (heel lower)
        "foot_angle_0": angle[1],
        "foot_angle_p3": angle[2],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=Path, default=LABELS_DIR)
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--csv", type=Path, default=None)
    ap.add_argument("--set", action="append", default=[])
    args = ap.parse_args(argv)
    settings = settings_with(args.set)
    rows: list[dict] = []
    for name, raw, path in real_clips(args.labels, args.cache):
        labels = read_labels(path, raw.time_s)
        try:
            prepared, records, got = run_clip(raw, settings)
        except FormcheckError:
            try:
                raw, labels = at_capture_rate(raw, labels, ADVISED_CAPTURE_FPS)
                prepared, records, got = run_clip(raw, settings)
            except FormcheckError:
                continue
        if prepared.view != "side" or got is None:
            continue
        clean, direction, leg_px = got
        fps = raw.fps
        steps = prepared.events.steps
        stride_s = prepared.events.stride_time_s or 0.7
        by_contact = {round(r["contact_s"], 6): r for r in records}
        pairs = match_nearest([lab.contact_s for lab in labels], [s.contact_s for s in steps], 0.15)
        rep = raw.repeated
        rep_share = float(np.nanmean(rep == 1.0)) if rep is not None else math.nan
        for i, j in pairs:
            lab, st = labels[i], steps[j]
            rec = by_contact.get(round(st.contact_s, 6), {})
            knee_s, settle_s = rec.get("knee_s", math.nan), rec.get("settle_s")
            row = {
                "clip": name,
                "fps": fps,
                "leg_px": round(leg_px, 1),
                "repeats": round(rep_share, 3),
                "stride_s": round(stride_s, 3),
                "side": st.side,
                "label_foot": lab.foot,
                "pattern": lab.pattern,
                "valid": st.valid,
                "err": (st.contact_s - lab.contact_s) * fps,
                "knee_err": (knee_s - lab.contact_s) * fps,
                "settle_err": math.nan if settle_s is None else (settle_s - lab.contact_s) * fps,
                "second_err": math.nan
                if lab.second_contact_s is None
                else (st.contact_s - lab.second_contact_s) * fps,
            }
            row.update(
                contact_traits(
                    prepared.sharp, clean, direction, leg_px, st.side, st.contact_s, st, stride_s, knee_s
                )
            )
            rows.append(row)
    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(dict.fromkeys(k for r in rows for k in r)))
            w.writeheader()
            w.writerows(rows)
    clips = sorted({r["clip"] for r in rows})
    print(
        f"{'clip':34s} {'n':>3s} {'err':>6s} {'knee':>6s} {'settle':>6s} {'sd':>5s} {'leg':>5s} {'rep':>5s}"
    )
    for c in clips:
        rs = [r for r in rows if r["clip"] == c]
        e = np.array([r["err"] for r in rs])
        kn = np.array([r["knee_err"] for r in rs])
        se = np.array([r["settle_err"] for r in rs])
        print(
            f"{c:34s} {len(rs):3d} {np.median(e):+6.2f} {np.nanmedian(kn):+6.2f} {np.nanmedian(se):+6.2f} "
            f"{np.std(e):5.2f} {rs[0]['leg_px']:5.0f} {rs[0]['repeats']:5.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
