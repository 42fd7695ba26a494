"""Score formcheck's foot contacts against contacts labelled by eye on real clips (and the rendered runner's exact
contacts): timing error, missed and extra contacts, and strike-pattern agreement.

    python benchmarks/cache_landmarks.py                 # once: pose every clip (minutes)
    python benchmarks/score_contacts.py [--per-step] [--json scores.json]
    python benchmarks/score_contacts.py --synthetic      # the rendered clips in sample_videos/ (truth.json)
    python benchmarks/score_contacts.py --set gait.contact_timing='"sole"'  # side-view contacts from the shoe's
                                                         # sole (the opt-in; decodes ../shared/clips); the default
                                                         # times them from the landmarks
    python benchmarks/score_contacts.py --half first     # one half of each clip's labels: a rule tuned on one half
                                                         # should score alike on the other (--half second)
    python benchmarks/score_contacts.py --first-copy     # what-if: a file that repeats its pictures timed on the
                                                         # first copy of each (repeats moved onto the line between
                                                         # first copies; decodes the clips, ../shared/clips)

Labels: ``benchmarks/labels/contacts/<clip>.csv`` (clip, contact_frame, toe_off_frame, foot, pattern,
confidence, note), frame indices 0-based in decode order. A label's time is its frame's timestamp: the first frame
on the ground. A detected contact is matched one-to-one to the nearest label within ``--match-s`` (greedy, closest
pairs first). On real clips a contact's error is counted in whole frames, as a person sees it in the annotated
video: the frame formcheck marks (the first frame at or after its sub-frame contact time) minus the labelled frame.
On rendered clips, whose truth is continuous, it is (detected time - true time) in frames. Detections outside the labelled
span (half a step before the first label, half a step after the last) are not counted as extra.
"""

from __future__ import annotations

import argparse
import ast
import csv
import dataclasses
import hashlib
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.config import CHOICES, AnalysisSettings, PoseSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.model import Analysis, Trajectories  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import PreparedClip, analyze_trajectories, measure, prepare  # noqa: E402
from formcheck.video.repeats import judge_repeats  # noqa: E402

LABELS_DIR = ROOT / "benchmarks" / "labels" / "contacts"
SECOND_LABELS_DIR = ROOT / "benchmarks" / "labels" / "contacts_second"
CACHE_DIR = ROOT / "benchmarks" / ".cache"
SAMPLES_DIR = ROOT / "sample_videos"
CLIPS_DIR = ROOT.parent / "shared" / "clips"

PATTERN_TO_CLASS = {"heel": "rearfoot", "flat": "midfoot", "forefoot": "forefoot"}


@dataclass(frozen=True)
class Label:
    contact_s: float  # the labelled frame's timestamp (real clips) or the true contact time (rendered clips)
    toe_off_s: float | None
    foot: str
    pattern: str
    confidence: str
    second_contact_s: float | None = None  # a second labeller's frame for the same contact, if labelled twice
    second_pattern: str | None = (
        None  # the second labeller's strike pattern for the same contact, if labelled twice
    )


@dataclass
class ClipScore:
    clip: str
    view: str
    fps: float
    n_labels: int
    errors_frames: list[float] = field(default_factory=list)  # matched contacts, detected - label
    # Matched contacts labelled twice: the error against whichever labeller's frame is nearer.
    errors_either_frames: list[float] = field(default_factory=list)
    toe_off_errors_frames: list[float] = field(default_factory=list)
    missed: int = 0
    extra: int = 0
    # Labels matched only by a step formcheck rejects as implausible (found, but no metric uses it).
    matched_rejected: int = 0
    strike_pairs: list[tuple[str, str]] = field(default_factory=list)  # (label class, formcheck class)
    # The same, only where two labellers saw the same pattern (their consensus class, formcheck class).
    consensus_strike_pairs: list[tuple[str, str]] = field(default_factory=list)
    # Where both labellers saw a pattern, whether formcheck's class is either one's.
    either_strike_ok: list[bool] = field(default_factory=list)
    # Every contact both labellers saw a pattern of, matched by formcheck or not: (first class, second class).
    labeller_pairs: list[tuple[str, str]] = field(default_factory=list)
    failure: str = ""
    per_step: list[dict] = field(default_factory=list)
    # Set when the clip was refused as slowed down and scored as re-run with the refusal's --capture-fps advice.
    rerun: str = ""


def read_labels(path: Path, time_s: np.ndarray) -> list[Label]:
    out: list[Label] = []
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            frame = row.get("contact_frame", "").strip()
            if not frame:
                continue
            k = int(frame)
            if k >= len(time_s):
                continue
            to = row.get("toe_off_frame", "").strip()
            out.append(
                Label(
                    contact_s=float(time_s[k]),
                    toe_off_s=float(time_s[int(to)]) if to and int(to) < len(time_s) else None,
                    foot=row.get("foot", "").strip(),
                    pattern=row.get("pattern", "").strip(),
                    confidence=row.get("confidence", "").strip(),
                )
            )
    return sorted(out, key=lambda lab: lab.contact_s)


def attach_second_labels(labels: list[Label], second: list[Label], max_s: float) -> list[Label]:
    """Each label with the second labeller's frame and pattern for the same contact: the nearest second label
    within ``max_s``, one-to-one, closest pairs first. Paired by time, not by the foot's name (in a mirrored clip
    one labeller's left can be the other's right); contacts of alternate feet lie many frames apart."""
    out = list(labels)
    for i, j in match_nearest([lab.contact_s for lab in labels], [lab.contact_s for lab in second], max_s):
        out[i] = dataclasses.replace(
            labels[i], second_contact_s=second[j].contact_s, second_pattern=second[j].pattern
        )
    return out


def labeller_pairs(labels: list[Label]) -> list[tuple[str, str]]:
    """(first, second) labeller's strike class of each contact where both saw a pattern."""
    pairs = [
        (PATTERN_TO_CLASS.get(lab.pattern), PATTERN_TO_CLASS.get(lab.second_pattern or "")) for lab in labels
    ]
    return [(a, b) for a, b in pairs if a is not None and b is not None]


def consensus_class(label: Label) -> str | None:
    """The strike class both labellers saw (``PATTERN_TO_CLASS``), or None: labelled once, a pattern not seen
    (``unclear``) by either, or the two disagree."""
    first = PATTERN_TO_CLASS.get(label.pattern)
    second = PATTERN_TO_CLASS.get(label.second_pattern or "")
    return first if first is not None and first == second else None


def half_of(labels: list[Label], half: str | None) -> list[Label]:
    """The first or second half of a clip's labels in time order (the first has the extra one), or all."""
    if half is None:
        return labels
    k = (len(labels) + 1) // 2
    return labels[:k] if half == "first" else labels[k:]


def match_nearest(label_s: list[float], detected_s: list[float], max_s: float) -> list[tuple[int, int]]:
    """One-to-one pairs (label index, detection index), closest first, each within ``max_s``."""
    cand = sorted(
        (abs(d - t), i, j)
        for i, t in enumerate(label_s)
        for j, d in enumerate(detected_s)
        if abs(d - t) <= max_s
    )
    used_l: set[int] = set()
    used_d: set[int] = set()
    pairs = []
    for _, i, j in cand:
        if i in used_l or j in used_d:
            continue
        used_l.add(i)
        used_d.add(j)
        pairs.append((i, j))
    return sorted(pairs)


def strike_classes(analysis: Analysis) -> list[str | None]:
    m = analysis.metrics.get("foot_strike_type")
    if m is None or m.per_step is None:
        return [None] * len(analysis.events.steps)
    return list(m.per_step)


def marked_frame_time(time_s: np.ndarray, t: float) -> float:
    """Timestamp of the first frame at or after ``t``: the frame the annotated video marks a contact on."""
    k = min(int(np.searchsorted(time_s, t - 1e-6)), len(time_s) - 1)
    return float(time_s[k])


def error_against_either(
    error_frames: float, first_s: float, second_s: float, fps: float, whole_frames: bool
) -> float:
    """The error against whichever of two labellers' frames is nearer (ties: the first), given the error against
    the first. Where two people put a landing one frame apart it lies on that frame boundary."""
    err_second = error_frames + (first_s - second_s) * fps
    if whole_frames:
        err_second = float(round(err_second))
    return err_second if abs(err_second) < abs(error_frames) else error_frames


def analyze(raw: Trajectories, settings: AnalysisSettings, video: Path | None) -> Analysis:
    """formcheck's analysis of the cached landmarks; with ``gait.contact_timing = "sole"`` the side view's contacts
    retimed from ``video`` as ``formcheck analyze`` does (formcheck.sole_timing.sole_contact_timing: a second decode
    for the foot crops)."""
    if settings.gait.contact_timing != "sole":
        return analyze_trajectories(raw, settings)  # (sole_contacts_probe.py swaps this name)
    return measure(sole_retimed(prepare(raw, settings), settings, video), settings)


def sole_retimed(prepared: PreparedClip, settings: AnalysisSettings, video: Path | None) -> PreparedClip:
    """``prepared`` with the side view's contacts timed from the sole in ``video`` when the settings ask for it
    (formcheck.sole_timing.sole_contact_timing), as ``formcheck analyze`` does; exits when the clip is missing."""
    from formcheck.sole_timing import sole_asked, sole_contact_timing

    if not sole_asked(prepared, settings):
        return prepared
    if video is not None and not video.is_file() and (SAMPLES_DIR / video.name).is_file():
        video = SAMPLES_DIR / video.name  # a rendered sample clip cached beside the real ones
    if video is None or not video.is_file():
        raise SystemExit(
            f"contact_timing 'sole' needs the clip: {video} is missing (--clips DIR, or "
            "--set gait.contact_timing='\"landmarks\"')"
        )
    return sole_contact_timing(video, prepared, settings)


def settings_with(items: list[str]) -> AnalysisSettings:
    """The default settings with ``--set SECTION.NAME=VALUE`` items (VALUE a Python literal) applied; ValueError on
    a contact timing that is not one of its words (else every clip would be counted as refused)."""
    settings = AnalysisSettings()
    for item in items:
        name, value = item.split("=", 1)
        section, key = name.split(".", 1)
        part = dataclasses.replace(getattr(settings, section), **{key: ast.literal_eval(value)})
        settings = dataclasses.replace(settings, **{section: part})
    choices = CHOICES["gait.contact_timing"]
    if settings.gait.contact_timing not in choices:
        raise ValueError(
            f"gait.contact_timing must be one of {choices}, got {settings.gait.contact_timing!r}"
        )
    return settings


def add_settings_options(ap: argparse.ArgumentParser) -> None:
    """``--set`` (any setting) and ``--clips`` (the videos the sole contact timing decodes), as score_contacts."""
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.NAME=VALUE",
        help="try another setting, e.g. gait.contact_timing='\"landmarks\"' (the fast path, no second decode)",
    )
    ap.add_argument("--clips", type=Path, default=CLIPS_DIR, help="the clips, for the sole contact timing")


# A clip refused as slowed down is told "for a slow-motion clip give the rate it was filmed at (analyze or batch
# --capture-fps 120)" (formcheck/gait/classify.py): scored as a user who follows that advice runs it. A clip whose
# feet repeat no stride is told "--capture-fps with that rate, e.g. 240" (no rate to follow): not re-run.
ADVISED_CAPTURE_FPS = 120.0
CAPTURE_FPS_ADVICE = "--capture-fps 120"


def at_capture_rate(
    raw: Trajectories, labels: list[Label], capture_fps: float
) -> tuple[Trajectories, list[Label]]:
    """The landmarks and labels of a slow-motion file on the time of the motion, as ``formcheck analyze
    --capture-fps`` reads it (formcheck/pose/run.py): every timestamp divided by capture_fps / file fps."""
    video = dataclasses.replace(raw.video, capture_fps=capture_fps)
    slow = video.slow_motion_factor

    def real(t: float | None) -> float | None:
        return None if t is None else t / slow

    moved = [
        dataclasses.replace(
            lab,
            contact_s=lab.contact_s / slow,
            toe_off_s=real(lab.toe_off_s),
            second_contact_s=real(lab.second_contact_s),
        )
        for lab in labels
    ]
    return raw.replace(video=video, time_s=raw.time_s / slow), moved


def score_clip(
    clip: str,
    raw: Trajectories,
    labels: list[Label],
    settings: AnalysisSettings,
    match_s: float,
    whole_frames: bool = True,
    video: Path | None = None,
) -> ClipScore:
    rerun = ""
    # The labellers' own agreement is the labels', whatever formcheck does with the clip (refused ones too).
    own_agreement = labeller_pairs(labels)
    try:
        analysis = analyze(raw, settings, video)
    except FormcheckError as e:
        if CAPTURE_FPS_ADVICE not in str(e) or settings.capture_fps is not None:
            refused = ClipScore(clip, "refused", raw.fps, len(labels), missed=len(labels), failure=str(e))
            refused.labeller_pairs = own_agreement
            return refused
        file_fps = raw.fps
        raw, labels = at_capture_rate(raw, labels, ADVISED_CAPTURE_FPS)
        try:  # run again as the refusal tells the user to: with --capture-fps 120
            analysis = analyze(raw, settings, video)
        except FormcheckError as e2:
            refused = ClipScore(clip, "refused", file_fps, len(labels), missed=len(labels), failure=str(e2))
            refused.labeller_pairs = own_agreement
            refused.rerun = (
                f"refused again with --capture-fps {ADVISED_CAPTURE_FPS:g} as its first refusal advised"
            )
            return refused
        rerun = f"re-run with --capture-fps {ADVISED_CAPTURE_FPS:g} as its refusal advises"
    fps = raw.fps
    steps = analysis.events.steps
    classes = strike_classes(analysis)
    det_s = [st.contact_s for st in steps]
    lab_s = [lab.contact_s for lab in labels]
    step_s = analysis.events.stride_time_s / 2 if analysis.events.stride_time_s else 0.35
    pairs = match_nearest(lab_s, det_s, min(match_s, 0.6 * step_s))
    score = ClipScore(clip, analysis.view, fps, len(labels), rerun=rerun)
    score.labeller_pairs = own_agreement
    matched_l = {i for i, _ in pairs}
    matched_d = {j for _, j in pairs}
    score.missed = len(labels) - len(pairs)
    lo, hi = lab_s[0] - step_s / 2, lab_s[-1] + step_s / 2
    score.extra = sum(1 for j, d in enumerate(det_s) if j not in matched_d and lo <= d <= hi)
    score.matched_rejected = sum(1 for _, j in pairs if not steps[j].valid)
    for i, j in pairs:
        lab, st = labels[i], steps[j]
        contact_s, toe_off_s = st.contact_s, st.toe_off_s
        if whole_frames:
            contact_s = marked_frame_time(raw.time_s, contact_s)
            # The label is the last frame on the ground; formcheck's toe-off lies between that and the next.
            toe_off_s = None if toe_off_s is None else marked_frame_time(raw.time_s, toe_off_s) - 1.0 / fps
        err = (contact_s - lab.contact_s) * fps
        to_err = None if lab.toe_off_s is None or toe_off_s is None else (toe_off_s - lab.toe_off_s) * fps
        if whole_frames:  # frame timestamps differ by whole frames, up to rounding
            err = float(round(err))
            to_err = None if to_err is None else float(round(to_err))
        score.errors_frames.append(err)
        if lab.second_contact_s is not None:
            score.errors_either_frames.append(
                error_against_either(err, lab.contact_s, lab.second_contact_s, fps, whole_frames)
            )
        if to_err is not None:
            score.toe_off_errors_frames.append(to_err)
        want = PATTERN_TO_CLASS.get(lab.pattern)
        got = classes[j] if j < len(classes) else None
        if want is not None and got is not None:
            score.strike_pairs.append((want, got))
        agreed = consensus_class(lab)
        if agreed is not None and got is not None:
            score.consensus_strike_pairs.append((agreed, got))
        second = PATTERN_TO_CLASS.get(lab.second_pattern or "")
        if want is not None and second is not None and got is not None:
            score.either_strike_ok.append(got in (want, second))
        score.per_step.append(
            {
                "label_s": round(lab.contact_s, 4),
                "detected_s": round(st.contact_s, 4),
                "error_frames": round(err, 2),
                "side": st.side,
                "label_foot": lab.foot,
                "valid": st.valid,
                "pattern": lab.pattern,
                "strike": got,
            }
        )
    for i in sorted(set(range(len(labels))) - matched_l):
        score.per_step.append({"label_s": round(labels[i].contact_s, 4), "missed": True})
    return score


def summarize(scores: list[ClipScore]) -> dict:
    errs = np.array([e for s in scores for e in s.errors_frames])
    fps_of = np.array([s.fps for s in scores for _ in s.errors_frames])
    n_labels = sum(s.n_labels for s in scores)
    pairs = [p for s in scores for p in s.strike_pairs]
    out = {
        "clips": len(scores),
        "labels": n_labels,
        "matched": int(errs.size),
        "within_1_frame": float(np.mean(np.abs(errs) <= 1.0)) if errs.size else math.nan,
        "exact": float(np.mean(np.abs(errs) < 0.5)) if errs.size else math.nan,
        "median_abs_error_frames": float(np.median(np.abs(errs))) if errs.size else math.nan,
        "median_error_frames": float(np.median(errs)) if errs.size else math.nan,
        "mean_error_frames": float(np.mean(errs)) if errs.size else math.nan,
        "mean_error_ms": float(np.mean(errs / fps_of * 1000)) if errs.size else math.nan,
        "missed": sum(s.missed for s in scores),
        "extra": sum(s.extra for s in scores),
        "matched_rejected": sum(s.matched_rejected for s in scores),
        "strike_agreement": (sum(a == b for a, b in pairs) / len(pairs)) if pairs else math.nan,
        "strike_n": len(pairs),
    }
    agreed = [p for s in scores for p in s.consensus_strike_pairs]
    out["strike_consensus_agreement"] = (sum(a == b for a, b in agreed) / len(agreed)) if agreed else math.nan
    out["strike_consensus_n"] = len(agreed)
    both = [p for s in scores for p in s.labeller_pairs]
    out["strike_labellers_agreement"] = (sum(a == b for a, b in both) / len(both)) if both else math.nan
    out["strike_labellers_n"] = len(both)
    either = [ok for s in scores for ok in s.either_strike_ok]
    out["strike_either_agreement"] = float(np.mean(either)) if either else math.nan
    out["strike_either_n"] = len(either)
    either = np.array([e for s in scores for e in s.errors_either_frames])
    out["twice_labelled"] = int(either.size)
    out["within_1_frame_either"] = float(np.mean(np.abs(either) <= 1.0)) if either.size else math.nan
    out["exact_either"] = float(np.mean(np.abs(either) < 0.5)) if either.size else math.nan
    out["median_abs_error_either_frames"] = float(np.median(np.abs(either))) if either.size else math.nan
    to = np.array([e for s in scores for e in s.toe_off_errors_frames])
    out["toe_off_within_1_frame"] = float(np.mean(np.abs(to) <= 1.0)) if to.size else math.nan
    out["toe_off_mean_error_frames"] = float(np.mean(to)) if to.size else math.nan
    return out


def _fmt(summary: dict) -> str:
    return (
        f"{summary['labels']:4d} labels  within 1 frame {100 * summary['within_1_frame']:5.1f}%  "
        f"exact {100 * summary['exact']:5.1f}%  "
        f"median |err| {summary['median_abs_error_frames']:.2f} fr  mean {summary['mean_error_frames']:+.2f} fr "
        f"({summary['mean_error_ms']:+.0f} ms)  missed {summary['missed']}  extra {summary['extra']}  "
        f"strike {100 * summary['strike_agreement']:.0f}% of {summary['strike_n']}"
    )


def _fmt_consensus(summary: dict) -> str:
    """Strike agreement where two labellers saw the same pattern: the labels' own ceiling is their agreement
    (``score_labellers.py``), so this is the figure to set beside a strike goal."""
    return (
        f"strike {100 * summary['strike_consensus_agreement']:.0f}% of {summary['strike_consensus_n']} "
        "where both labellers saw the same pattern (the labellers agree on "
        f"{100 * summary['strike_labellers_agreement']:.0f}% of {summary['strike_labellers_n']}); "
        f"either labeller's {100 * summary['strike_either_agreement']:.0f}% of {summary['strike_either_n']}"
    )


def _fmt_either(summary: dict) -> str:
    return (
        f"{summary['twice_labelled']:4d} labelled twice  within 1 frame of either "
        f"{100 * summary['within_1_frame_either']:5.1f}%  on either labeller's frame {100 * summary['exact_either']:5.1f}%  "
        f"median |err| {summary['median_abs_error_either_frames']:.2f} fr"
    )


def first_copy_landmarks(raw: Trajectories, clip: Path, settings: AnalysisSettings) -> Trajectories:
    """The what-if of ``--first-copy``: every frame that repeats the previous picture (video/repeats.py, on the
    clip's decoded frames) gets the landmarks linearly interpolated in time between the first copies around it,
    as if each picture were seen only when it first appears."""
    if raw.repeated is not None:
        repeated = raw.repeated == 1.0  # unknown: kept as posed
    else:
        repeated = judge_repeats(str(clip), raw.xy_px, raw.video.fps, settings.pose) == 1.0
    if repeated.size != raw.n_frames or not repeated.any():
        return raw
    xy = raw.xy_px.copy()
    first = ~repeated
    for j in range(xy.shape[1]):
        for axis in range(2):
            seen = np.isfinite(xy[:, j, axis])
            known, moved = first & seen, repeated & seen
            if known.sum() >= 2:
                xy[moved, j, axis] = np.interp(raw.time_s[moved], raw.time_s[known], xy[known, j, axis])
    return raw.replace(xy_px=xy)


def real_clips(
    labels_dir: Path, cache_dir: Path, clips_dir: Path = CLIPS_DIR
) -> list[tuple[str, Trajectories, Path]]:
    """(clip, cached raw landmarks, labels file) of every labelled clip with a cache. A cache written before the
    pose pass kept its per-frame repeats (``Trajectories.repeated``) gets them by decoding the clip from
    ``clips_dir`` (a few seconds a clip; ``cache_landmarks.py --add-repeats`` stores them once)."""
    out = []
    stale = []
    for path in sorted(labels_dir.glob("*.csv")):
        cache = cache_dir / f"{path.stem}.npz"
        if not cache.is_file():
            print(
                f"{path.stem}: no cached landmarks ({cache}); run benchmarks/cache_landmarks.py",
                file=sys.stderr,
            )
            continue
        raw = load_landmarks(cache)
        video = clips_dir / f"{path.stem}.mp4"
        if raw.repeated is None and video.is_file():
            raw = raw.replace(repeated=judge_repeats(str(video), raw.xy_px, raw.video.fps, PoseSettings()))
            stale.append(path.stem)
        out.append((path.stem, raw, path))
    if stale:
        print(
            f"{len(stale)} caches lack the per-frame repeats, judged from the clips now: run "
            "benchmarks/cache_landmarks.py --add-repeats once",
            file=sys.stderr,
        )
    return out


def _cache_matches(cache: Path, video: Path) -> bool:
    """The cached landmarks were posed from this very video (its SHA-256 kept beside them as ``.sha256``)."""
    stamp = cache.with_suffix(".sha256")
    return cache.is_file() and stamp.is_file() and stamp.read_text().strip() == _sha256(video)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pose_into(video: Path, cache: Path) -> None:
    """Pose ``video`` and keep its landmarks at ``cache`` with the video's SHA-256 beside them."""
    from formcheck.pose.run import estimate_landmarks
    from formcheck.report.landmarks import save_landmarks

    print(f"{video.stem}: posing (no cached landmarks of this video)", file=sys.stderr)
    cache.parent.mkdir(parents=True, exist_ok=True)
    save_landmarks(estimate_landmarks(video, AnalysisSettings()).landmarks, cache)
    cache.with_suffix(".sha256").write_text(_sha256(video) + "\n")


def synthetic_clips(samples_dir: Path, cache_dir: Path) -> list[tuple[str, Trajectories, list[Label]]]:
    out = []
    for truth_path in sorted(samples_dir.glob("*.truth.json")):
        name = truth_path.name.removesuffix(".truth.json")
        cache = cache_dir / f"{name}.npz"
        video = samples_dir / f"{name}.mp4"
        # A re-rendered sample must not be scored on the old clip's landmarks (a folder that keeps its clips'
        # landmarks beside them, render_contact_set.py's, wrote them from those very clips).
        if (
            video.is_file()
            and cache_dir.resolve() != samples_dir.resolve()
            and not _cache_matches(cache, video)
        ):
            _pose_into(video, cache)
        if not cache.is_file():
            print(
                f"{name}: no cached landmarks; run cache_landmarks.py --clips {samples_dir}", file=sys.stderr
            )
            continue
        truth = json.loads(truth_path.read_text())
        labels = []
        for side, ev in truth["events"].items():
            tos = ev.get("toe_off_s", [])
            for k, t in enumerate(ev["contact_s"]):
                labels.append(Label(t, tos[k] if k < len(tos) else None, side, "", "high"))
        out.append((name, load_landmarks(cache), sorted(labels, key=lambda lab: lab.contact_s)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", type=Path, default=LABELS_DIR)
    ap.add_argument(
        "--second",
        type=Path,
        default=SECOND_LABELS_DIR,
        help="a second labeller's labels of some of the clips (benchmarks/score_labellers.py compares the two)",
    )
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--synthetic", action="store_true", help="score the rendered clips of sample_videos/")
    ap.add_argument("--samples", type=Path, default=SAMPLES_DIR)
    ap.add_argument("--match-s", type=float, default=0.15, help="largest |error| that still pairs, seconds")
    ap.add_argument("--per-step", action="store_true")
    ap.add_argument(
        "--half",
        choices=("first", "second"),
        default=None,
        help="score only the first or second half of each clip's labels (tune on one half, check on the other)",
    )
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument(
        "--first-copy",
        action="store_true",
        help="what-if: time clips that repeat their pictures on each picture's first copy (decodes the clips)",
    )
    add_settings_options(ap)
    args = ap.parse_args(argv)
    try:
        settings = settings_with(args.set)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    scores: list[ClipScore] = []
    if args.synthetic:
        for name, raw, labels in synthetic_clips(args.samples, args.cache):
            video = args.samples / f"{name}.mp4"
            scores.append(
                score_clip(name, raw, labels, settings, args.match_s, whole_frames=False, video=video)
            )
    else:
        for name, raw, path in real_clips(args.labels, args.cache, args.clips):
            labels = read_labels(path, raw.time_s)
            second_path = args.second / path.name
            if second_path.is_file() and second_path.resolve() != path.resolve():
                labels = attach_second_labels(labels, read_labels(second_path, raw.time_s), 2.5 / raw.fps)
            labels = half_of(labels, args.half)
            if args.first_copy:
                raw = first_copy_landmarks(raw, args.clips / f"{name}.mp4", settings)
            if labels:
                video = args.clips / f"{name}.mp4"
                scores.append(score_clip(name, raw, labels, settings, args.match_s, video=video))
    if not scores:
        print("nothing to score", file=sys.stderr)
        return 2
    for s in scores:
        line = _fmt(summarize([s]))
        print(
            f"{s.clip:36s} {s.view:5s} {s.fps:5.1f} fps  {line}"
            + (f"  FAILED: {s.failure}" if s.failure else "")
            + (f"  ({s.rerun})" if s.rerun else "")
        )
        if args.per_step:
            for row in s.per_step:
                print("    ", row)
    print()
    groups: dict[str, list[ClipScore]] = {}
    for s in scores:
        groups.setdefault(f"view {s.view}", []).append(s)
        groups.setdefault(f"{round(s.fps)} fps", []).append(s)
    for key in sorted(groups):
        print(f"{key:42s} {_fmt(summarize(groups[key]))}")
    analysed = [s for s in scores if not s.failure]
    # A refused clip's contacts count as missed in ALL, not in "analysed clips only".
    if len(analysed) < len(scores):
        print(f"{'ALL, analysed clips only':42s} {_fmt(summarize(analysed))}")
    total = summarize(scores)
    print(f"{'ALL':42s} {_fmt(total)}")
    print(f"{'':42s} of the matched, {total['matched_rejected']} by steps formcheck rejects as implausible")
    print(f"{'':42s} {_fmt_consensus(total)}")
    twice = [s for s in scores if s.errors_either_frames]
    if twice:
        # Where two people labelled a contact one frame apart, the landing lies on that frame boundary and either
        # frame is a right answer; the first labeller's figures on the same clips are above.
        print()
        for s in twice:
            print(f"{s.clip:36s} {_fmt_either(summarize([s]))}")
        print(f"{'ALL labelled twice':36s} {_fmt_either(summarize(twice))}")
        print(f"{'  same clips, first labeller only':36s} {_fmt(summarize(twice))}")
    if args.json:
        args.json.write_text(
            json.dumps({"total": total, "groups": {k: summarize(v) for k, v in groups.items()}}, indent=1)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
