"""Probe: does the pose model's person mask time side-view foot contacts more sharply than the landmarks?

Two steps (issue 15 item 3; docs/contacts.md "Tried and not kept"):

    python benchmarks/mask_contacts_probe.py cache [CLIP ...]     # pose each clip twice: masks + ms per frame
    python benchmarks/mask_contacts_probe.py score [--half first|second] [--per-step] [CLIP ...]
    python benchmarks/mask_contacts_probe.py cache --synthetic; ... score --synthetic   # sample_videos/ side clips

``cache`` feeds every frame to two MediaPipe PoseLandmarkers built from formcheck's own bundle
(formcheck/pose/models.py), VIDEO mode, one pose: one plain (what formcheck runs), one with
``output_segmentation_masks=True``. Their calls alternate in order, so both see the same load, and the time of
each call (for the mask, including reading the mask out as uint8) is kept. The masks (uint8, 0-255: the soft
mask times 255) go to ``/work/tmp-mask/<clip>.npz``, never into the repo.

``score`` finds formcheck's contacts on the cached landmarks (benchmarks/.cache, as score_contacts.py does). For
each contact, in a window of +-6 frames around it, the landing foot's columns come from its heel and toe
landmarks (swap-repaired tracks; ``--band`` either side), and in those columns the mask gives the silhouette's
lowest edge (sub-pixel: where the soft mask crosses 0.5 below its last row at or above 0.5). ``--edge whole``
takes the columns from heel to toe, ``heel_toe`` the lower of a band under each. The edge's stance level is its
median over frames +2..+5 after formcheck's contact (``--ground``: other ground models). Timings tried:

- ``reach``: contact = where the edge comes within ``tol`` (fraction of leg length) of the stance level, found
  backwards from the stance, sub-frame by linear interpolation of the crossing (what a person labelling sees);
- ``settle``: contact = where the edge's fall speed has slowed to ``fraction`` of its late-swing peak (the
  side view's settle rule turned on the mask's edge);
- ``kink``: the late-swing fall (the last two frames more than ``--far`` above the ground) continued in a straight
  line to the stance level;
- each alone, and combined with formcheck's contact: the mask's time used when from ``--gate`` frames before to
  ``--gate-late`` frames after it (``gate``), or the mean of the two (``mean``).

Also printed per clip: the edge's height above its stance level at the labelled frame, and how far it still
sinks through the stance. Results and verdict: docs/contacts.md, "Tried and not kept" (the person mask).

Marked frame = the first frame at or after the sub-frame time; error = marked frame - labelled frame
(benchmarks/score_contacts.py's convention and functions).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import score_contacts as S  # noqa: E402, N812

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.processing.scale import rotate_points  # noqa: E402
from formcheck.skeleton import LANDMARK_NAMES  # noqa: E402
from formcheck.sole_edge import reach_time  # noqa: E402  (moved to formcheck for the sole edge)
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402

CLIPS_DIR = ROOT.parent / "shared" / "clips"
MASK_DIR = Path("/work/tmp-mask")
DEFAULT_CLIPS = (  # every labelled side-view clip
    "side_01",
    "side_03",
    "side_05",
    "side_10",
    "side_13",
    "side_16",
    "side_23",
    "treadmill_side_garage_30fps",
    "treadmill_side_portrait_60fps",
    "overground_side_tracking_cam",
    "overground_side_barefoot_tracking",
    "overground_side_street_50fps",
)
SYNTHETIC_CLIPS = ("side_good_form", "side_overstride_heel")  # sample_videos/, side view
NAMES = list(LANDMARK_NAMES)


# ---------------------------------------------------------------------------------------------------- cache step
def cache_masks(clip: str, clips_dir: Path = CLIPS_DIR) -> None:
    """Pose ``clip`` with and without masks (alternating), store masks and per-call times."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    from formcheck.pose.models import resolve_model
    from formcheck.video.reader import VideoReader

    model_path, _ = resolve_model(None)

    def make(seg: bool):
        opts = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=1,
            output_segmentation_masks=seg,
        )
        return vision.PoseLandmarker.create_from_options(opts)

    plain, masked = make(False), make(True)
    masks, ms_plain, ms_mask, heels = [], [], [], []
    last_ms = -1
    with VideoReader(str(clips_dir / f"{clip}.mp4")) as reader:
        for f in reader:
            ms = max(int(round(f.time_s * 1000)), last_ms + 1)
            last_ms = ms
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(f.rgb))
            order = (plain, masked) if f.index % 2 == 0 else (masked, plain)
            for lm in order:
                t0 = time.perf_counter()
                res = lm.detect_for_video(image, ms)
                if lm is masked:
                    m = (
                        (res.segmentation_masks[0].numpy_view() * 255 + 0.5).astype(np.uint8)
                        if res.segmentation_masks
                        else np.zeros(f.rgb.shape[:2], np.uint8)
                    )
                    ms_mask.append(1000 * (time.perf_counter() - t0))
                    masks.append(m)
                    lmk = res.pose_landmarks[0] if res.pose_landmarks else None
                    heels.append(
                        [(lmk[i].x * f.rgb.shape[1], lmk[i].y * f.rgb.shape[0]) for i in range(33)]
                        if lmk
                        else np.full((33, 2), np.nan)
                    )
                else:
                    ms_plain.append(1000 * (time.perf_counter() - t0))
    plain.close()
    masked.close()
    MASK_DIR.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        MASK_DIR / f"{clip}.npz",
        masks=np.stack(masks),
        ms_plain=np.array(ms_plain),
        ms_mask=np.array(ms_mask),
        xy_mask_run=np.array(heels, float),
    )
    print(
        f"{clip}: {len(masks)} frames, plain {np.median(ms_plain):.1f} ms, with mask {np.median(ms_mask):.1f} ms"
        f" (median per frame)",
        flush=True,
    )


# ---------------------------------------------------------------------------------------------------- the mask edge
def lowest_edge_y(mask_u8: np.ndarray, x0: float, x1: float) -> float:
    """The silhouette's lowest edge (px, sub-pixel) over columns x0..x1: the largest y where a column's soft mask
    crosses 0.5 going down from its last row at or above 0.5. NaN if no column holds the person."""
    h, w = mask_u8.shape
    c0, c1 = max(int(np.floor(x0)), 0), min(int(np.ceil(x1)), w - 1)
    if c1 < c0:
        return np.nan
    band = mask_u8[:, c0 : c1 + 1].astype(float) / 255.0
    on = band >= 0.5
    any_on = on.any(axis=0)
    if not any_on.any():
        return np.nan
    last = h - 1 - np.argmax(on[::-1], axis=0)  # last row >= 0.5 per column
    cols = np.nonzero(any_on)[0]
    r = last[cols]
    below = np.minimum(r + 1, h - 1)
    m_r, m_b = band[r, cols], band[below, cols]
    frac = np.where(m_r > m_b, (m_r - 0.5) / np.maximum(m_r - m_b, 1e-6), 0.0)
    return float(np.max(r + np.clip(frac, 0.0, 1.0)))


def foot_edge_track(
    masks: np.ndarray, xy: np.ndarray, side: str, frames: list[int], band_px: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lowest silhouette edge under the heel band, under the toe band, and under the whole foot (heel..toe), px."""
    hi, ti, ai = (NAMES.index(f"{side}_{p}") for p in ("heel", "foot_index", "ankle"))
    heel, toe, whole = [], [], []
    for k in frames:
        if k < 0 or k >= len(masks) or not np.isfinite(xy[k, [hi, ti]]).all():
            heel.append(np.nan)
            toe.append(np.nan)
            whole.append(np.nan)
            continue
        hx, tx = xy[k, hi, 0], xy[k, ti, 0]
        heel.append(lowest_edge_y(masks[k], hx - band_px, hx + band_px))
        toe.append(lowest_edge_y(masks[k], tx - band_px, tx + band_px))
        lo, hi_x = min(hx, tx), max(hx, tx)
        whole.append(lowest_edge_y(masks[k], lo - band_px, hi_x + band_px))
    return np.array(heel), np.array(toe), np.array(whole)


def foot_window(
    st,
    t_all: np.ndarray,
    masks: np.ndarray,
    xy: np.ndarray,
    band_px: float,
    before: int,
    after: int,
    edge: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The frames around step ``st``'s contact: their times, the landing foot's lowest mask edge (px) and the
    foot's x (mean of heel and toe, px). None if the window leaves the clip."""
    k_det = int(np.searchsorted(t_all, st.contact_s - 1e-6))
    frames = list(range(k_det - before, k_det + after + 1))
    if frames[0] < 0 or frames[-1] >= len(t_all):
        return None
    heel, toe, whole = foot_edge_track(masks, xy, st.side, frames, band_px)
    low = np.fmax(heel, toe) if edge == "heel_toe" else whole
    hi, ti = NAMES.index(f"{st.side}_heel"), NAMES.index(f"{st.side}_foot_index")
    x_foot = 0.5 * (xy[frames, hi, 0] + xy[frames, ti, 0])
    return t_all[frames], low, x_foot


def kink_time(y: np.ndarray, t: np.ndarray, ground: np.ndarray, far_px: float, stance: int) -> float | None:
    """Sub-frame time the edge's late-swing fall, continued in a straight line, meets the stance level: the fall
    is the line through the last two frames still more than ``far_px`` above the ground (searched back from
    index ``stance``). A kink fit: it does not wait for the slow last millimetres a sinking sole adds."""
    gap = ground - y  # > 0: above the ground
    for j in range(stance, 0, -1):
        if np.isfinite(gap[j]) and gap[j] > far_px:
            if not np.isfinite(gap[j - 1]) or gap[j - 1] <= gap[j]:
                return None
            rate = gap[j - 1] - gap[j]  # px per frame closing
            return float(t[j] + gap[j] / rate * (t[j] - t[j - 1]))
    return None


def settle_time(y: np.ndarray, t: np.ndarray, fraction: float, peak_lo: int, peak_hi: int) -> float | None:
    """Sub-frame time the edge's fall speed (central difference, px/frame, down positive), after its peak in
    ``peak_lo..peak_hi``, has slowed to ``fraction`` of that peak above the stance speed (median after)."""
    v = np.gradient(y)
    if not np.isfinite(v[peak_lo:peak_hi]).any():
        return None
    p = peak_lo + int(np.nanargmax(v[peak_lo:peak_hi]))
    stance = np.nanmedian(v[peak_hi : peak_hi + 4]) if np.isfinite(v[peak_hi : peak_hi + 4]).any() else 0.0
    level = stance + fraction * (v[p] - stance)
    for i in range(p + 1, len(v)):
        if np.isfinite(v[i]) and v[i] <= level:
            a = (v[i - 1] - level) / max(v[i - 1] - v[i], 1e-9)
            return float(t[i - 1] + a * (t[i] - t[i - 1]))
    return None


# ---------------------------------------------------------------------------------------------------- score step
def frame_error(time_s: np.ndarray, t: float | None, label_s: float, fps: float, whole: bool = True) -> float:
    """Marked frame minus labelled frame (real clips), or (time - true time) * fps (rendered clips)."""
    if t is None or not np.isfinite(t):
        return np.nan
    if not whole:
        return float((t - label_s) * fps)
    return float(round((S.marked_frame_time(time_s, t) - label_s) * fps))


def score(args: argparse.Namespace) -> int:
    rows = []
    settings = AnalysisSettings()
    if args.synthetic:
        clips = [(n, r, labs) for n, r, labs in S.synthetic_clips(S.SAMPLES_DIR, S.CACHE_DIR)]
    else:
        clips = [(n, r, S.read_labels(p, r.time_s)) for n, r, p in S.real_clips(S.LABELS_DIR, S.CACHE_DIR)]
    whole = not args.synthetic
    for name, raw, all_labels in clips:
        if name not in args.clips:
            continue
        store = MASK_DIR / f"{name}.npz"
        if not store.is_file():
            print(f"{name}: no masks ({store}); run: mask_contacts_probe.py cache {name}", file=sys.stderr)
            continue
        masks = np.load(store)["masks"]
        a = analyze_trajectories(raw, settings)
        labels = S.half_of(all_labels, args.half)
        steps = list(a.events.steps)
        step_s = a.events.stride_time_s / 2 if a.events.stride_time_s else 0.35
        pairs = S.match_nearest(
            [lab.contact_s for lab in labels], [s.contact_s for s in steps], min(0.15, 0.6 * step_s)
        )
        fps, t_all = raw.fps, raw.time_s
        xy = a.clean.xy_px  # swap-repaired, smoothed; turned back into the picture if the roll was levelled
        if a.roll_deg:
            xy = rotate_points(xy, a.roll_deg, (raw.video.width / 2, raw.video.height / 2))
        leg = a.leg_length_px
        band = args.band * leg
        c = args.before  # index of formcheck's contact frame in each window

        def window(st, t_all=t_all, masks=masks, xy=xy, band=band):
            return foot_window(st, t_all, masks, xy, band, args.before, args.after, args.edge)

        # The ground's slope in the picture along the direction of travel, one per foot (near and far feet stand
        # at other depths): pooled over every stance of the clip, each stance's own mean removed. On a treadmill
        # seen from above at an angle the planted foot sinks or rises as the belt carries it back.
        slope = {}
        for side in ("left", "right"):
            dx, dy = [], []
            for st in steps:
                if st.side != side or (w := window(st)) is None:
                    continue
                _, low_s, x_s = w
                sl = slice(c + args.stance_from, c + args.stance_to + 1)
                f = np.isfinite(low_s[sl]) & np.isfinite(x_s[sl])
                if f.sum() >= 3:
                    dx.extend(x_s[sl][f] - x_s[sl][f].mean())
                    dy.extend(low_s[sl][f] - low_s[sl][f].mean())
            dx_a, dy_a = np.array(dx), np.array(dy)
            slope[side] = float(dx_a @ dy_a / (dx_a @ dx_a)) if len(dx) >= 6 and dx_a @ dx_a > 0 else 0.0
        if args.per_step:
            print(f"  {name}: ground slope in the picture, px/px: {slope}")
        for i, j in pairs:
            st, lab = steps[j], labels[i]
            w = window(st)
            if w is None:
                continue
            t, low, x_foot = w
            stance = low[c + args.stance_from : c + args.stance_to + 1]
            if not np.isfinite(stance).any():
                continue
            if args.ground == "trend":  # the stance foot's own path (belt, tilted ground), extrapolated back
                idx = np.arange(c + args.stance_from, c + args.stance_to + 1)
                f = np.isfinite(stance)
                sl_, icpt = np.polyfit(idx[f], stance[f], 1) if f.sum() >= 2 else (0.0, np.nanmedian(stance))
                ground_line = icpt + sl_ * np.arange(len(low))
            elif args.ground == "xslope":  # the clip's ground slope at the foot's x
                xs = x_foot[c + args.stance_from : c + args.stance_to + 1]
                f = np.isfinite(stance) & np.isfinite(xs)
                level = np.mean(stance[f] - slope[st.side] * xs[f])
                ground_line = level + slope[st.side] * x_foot
            else:
                ground_line = np.full(len(low), np.nanmedian(stance))
            ground = float(ground_line[c])
            t_reach = reach_time(low, t, ground_line, args.tol * leg, c + args.stance_from)
            t_kink = kink_time(low, t, ground_line, args.far * leg, c + args.stance_from)
            t_settle = settle_time(low, t, args.fraction, 0, c + 1)
            t_lm = st.contact_s
            row = {"clip": name, "fps": fps, "lm": frame_error(t_all, t_lm, lab.contact_s, fps, whole)}
            # How high the edge still is above its stance level at the labelled frame, leg lengths.
            k_lab = int(np.searchsorted(t_all, lab.contact_s - 1e-6))
            i_lab = c + k_lab - int(np.searchsorted(t_all, st.contact_s - 1e-6))
            # A trait known without labels: how far the edge still sinks through the stance frames, leg per frame.
            row["drift"] = (
                (low[c + args.stance_to] - low[c + args.stance_from])
                / leg
                / (args.stance_to - args.stance_from)
            )
            row["gap_at_label"] = (ground_line[i_lab] - low[i_lab]) / leg if 0 <= i_lab < len(low) else np.nan
            for key, tm in (("reach", t_reach), ("settle", t_settle), ("kink", t_kink)):
                row[key] = frame_error(t_all, tm, lab.contact_s, fps, whole)
                late = args.gate if args.gate_late is None else args.gate_late
                gated = tm if tm is not None and -args.gate <= (tm - t_lm) * fps <= late else t_lm
                row[key + "+gate"] = frame_error(t_all, gated, lab.contact_s, fps, whole)
                mean = t_lm if tm is None else 0.5 * (tm + t_lm)
                row[key + "+mean"] = frame_error(t_all, mean, lab.contact_s, fps, whole)
            if args.per_step:
                print(
                    f"  {name} f{int(round(lab.contact_s * fps))} {st.side:5s} lm {row['lm']:+.0f} "
                    f"reach {row['reach']:+.0f} settle {row['settle']:+.0f}  ground {ground:.1f} "
                    f"low {np.array2string(low - ground_line, precision=1, max_line_width=200)}"
                )
            rows.append(row)
    if not rows:
        print("nothing to score", file=sys.stderr)
        return 2
    keys = args.show.split(",")

    def line(sel: list[dict]) -> str:
        parts = []
        for k in keys:
            e = np.array([r[k] for r in sel], float)
            f = np.isfinite(e)
            parts.append(
                f"{k} {100 * np.mean(np.abs(e[f]) <= 1):3.0f}/{100 * np.mean(np.abs(e[f]) < 0.5):3.0f}"
                f"/{np.mean(e[f]):+.1f}" + (f"({(~f).sum()} none)" if (~f).any() else "")
            )
        return "  ".join(parts)

    print("within 1 / exact, % / mean error, frames   (lm = formcheck's landmark contact)")
    for clip in sorted({r["clip"] for r in rows}):
        sel = [r for r in rows if r["clip"] == clip]
        gap = np.array([r["gap_at_label"] for r in sel], float)
        print(
            f"{clip:30s} n={len(sel):3d}  {line(sel)}  edge above stance at the label:"
            f" {100 * np.nanmean(gap):.1f} +- {100 * np.nanstd(gap):.1f}% leg; stance drift"
            f" {100 * np.nanmedian([r['drift'] for r in sel]):+.2f}% leg/frame"
        )
    print(f"{'ALL':30s} n={len(rows):3d}  {line(rows)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("cache", "score"))
    ap.add_argument("clips", nargs="*")
    ap.add_argument(
        "--synthetic", action="store_true", help="the rendered side clips of sample_videos/ (exact truth)"
    )
    ap.add_argument("--half", choices=("first", "second"), default=None)
    ap.add_argument("--per-step", action="store_true")
    ap.add_argument(
        "--band", type=float, default=0.05, help="half-width of the heel/toe column bands, leg lengths"
    )
    ap.add_argument(
        "--edge",
        choices=("heel_toe", "whole"),
        default="whole",
        help="columns heel..toe, or the lower of a band under each",
    )
    ap.add_argument(
        "--tol", type=float, default=0.02, help="reach: within this of the stance level, leg lengths"
    )
    ap.add_argument(
        "--ground",
        choices=("level", "trend", "xslope"),
        default="level",
        help="stance level: median, the stance's own linear trend, or the clip's ground slope along x",
    )
    ap.add_argument("--far", type=float, default=0.04, help="kink: fall frames above this, leg lengths")
    ap.add_argument("--fraction", type=float, default=0.2, help="settle: fraction of the peak fall speed")
    ap.add_argument(
        "--gate", type=float, default=1.5, help="combined: mask time used within this many frames"
    )
    ap.add_argument(
        "--gate-late",
        type=float,
        default=None,
        help="combined: largest lateness of the mask used (default --gate)",
    )
    ap.add_argument(
        "--show",
        default="lm,reach,reach+gate,reach+mean,settle,kink",
        help="timings to print (comma-separated)",
    )
    ap.add_argument("--before", type=int, default=6)
    ap.add_argument("--after", type=int, default=6)
    ap.add_argument("--stance-from", type=int, default=2)
    ap.add_argument("--stance-to", type=int, default=5)
    args = ap.parse_args(argv)
    args.clips = args.clips or (list(SYNTHETIC_CLIPS) if args.synthetic else list(DEFAULT_CLIPS))
    if args.step == "cache":
        for clip in args.clips:
            if (MASK_DIR / f"{clip}.npz").is_file():
                print(f"{clip}: cached")
                continue
            cache_masks(clip, S.SAMPLES_DIR if args.synthetic else CLIPS_DIR)
        return 0
    return score(args)


if __name__ == "__main__":
    raise SystemExit(main())
