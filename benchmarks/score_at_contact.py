"""Score the measures read at foot contact against truth: foot-strike angle (FSA), knee flexion and shank angle on
rendered runners (forefoot, midfoot and rearfoot landings at 30, 60 and 120 fps, two camera distances) posed by
the real pose model, and the strike class against the patterns labelled by eye on real clips.

    python benchmarks/score_at_contact.py               # render + pose what is not cached (minutes), then score
    python benchmarks/score_at_contact.py --real-only   # only the strike agreement on the labelled real clips
    python benchmarks/score_at_contact.py --per-step
    python benchmarks/score_at_contact.py --late-knee-extension false --landing-cushion-s 0   # the old landing
    python benchmarks/score_at_contact.py --fit-strike-bias [...]   # refit the strike-angle correction, score with it

Rendered clips and their landmarks are cached in ``--work`` (default ``benchmarks/.cache/at_contact``), keyed by
their parameters. A rendered step's error is (formcheck's value - the exact value at the true contact), for the
steps formcheck finds within 60 ms of a true contact. The truth's FSA is relative to the flat foot, its knee
flexion is 180 - angle(hip, knee, ankle) of the exact joint centres, its shank angle that of knee->ankle
(docs/synthetic_runner.md). Real clips: ``benchmarks/score_contacts.py``'s matching; agreement is also printed for
the two halves of the labelled clips (alphabetical order, alternate clips) so a setting tuned on one half can be
checked on the other.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from landing_args import add_landing_args, landing_changes  # noqa: E402
from score_contacts import (  # noqa: E402
    CACHE_DIR,
    LABELS_DIR,
    PATTERN_TO_CLASS,
    match_nearest,
    read_labels,
    real_clips,
)

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.model import Analysis  # noqa: E402
from formcheck.report.landmarks import load_landmarks, save_landmarks  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402

WORK_DIR = CACHE_DIR / "at_contact"
STRIKES_DEG = {"forefoot": -8.0, "midfoot": 3.0, "rearfoot": 18.0}  # Altman & Davis 2012 classes, mid-class
# A steep heel strike (an overstrider's), at 60 fps only: checks the bias correction above the fitted range.
STEEP_DEG = {"steep_rearfoot": 28.0}
FPS = (30.0, 60.0, 120.0)
DISTANCES_M = (6.0, 9.0)  # the renderer's default, and a runner farther away (smaller in the frame)
DURATION_S = 3.0
MEASURES = ("foot_strike_angle_deg", "knee_flexion_ic_deg", "shank_angle_ic_deg")
MATCH_S = 0.06


# RunnerParams fields added after the cache was keyed: left out of the key while at the values that render the
# runner as before they existed (the landing before issue 15's switch), so those clips keep their cached keys; at any
# other value (the default landing since the switch) they are in the key, so no clip of one landing is read for the
# other.
KEY_OMITS_AT_OLD_LANDING = {"landing_cushion_s": 0.0, "late_knee_extension": False}


@dataclasses.dataclass(frozen=True)
class Case:
    strike: str
    fps: float
    distance_m: float
    landing: tuple[tuple[str, object], ...] = ()  # RunnerParams changes, e.g. (("landing_cushion_s", 0.04),)

    def params(self):  # noqa: ANN201 - RunnerParams, imported lazily (the renderer is heavy)
        from formcheck.synth import RunnerParams

        return RunnerParams(
            view="side",
            foot_strike_angle_deg={**STRIKES_DEG, **STEEP_DEG}[self.strike],
            fps=self.fps,
            camera_distance_m=self.distance_m,
            duration_s=DURATION_S,
            **dict(self.landing),
        )

    def key(self) -> str:
        fields = {
            k: v
            for k, v in self.params().to_dict().items()
            if not (k in KEY_OMITS_AT_OLD_LANDING and v == KEY_OMITS_AT_OLD_LANDING[k])
        }
        blob = json.dumps(fields, sort_keys=True, default=str)
        return f"{self.strike}_{self.fps:g}fps_{self.distance_m:g}m_{hashlib.sha1(blob.encode()).hexdigest()[:8]}"


def cases(
    fps: tuple[float, ...] = FPS,
    distances: tuple[float, ...] = DISTANCES_M,
    landing: tuple[tuple[str, object], ...] = (),
) -> list[Case]:
    """Every strike at every fps at the default distance; every strike at 60 fps at the other distances; the
    steep heel strike at 60 fps; all with the ``landing`` changes to the runner (none: the default landing)."""
    out = [Case(s, f, distances[0], landing) for s in STRIKES_DEG for f in fps]
    out += [Case(s, 60.0, d, landing) for s in STRIKES_DEG for d in distances[1:]]
    out += [Case(s, 60.0, distances[0], landing) for s in STEEP_DEG]
    return out


def rendered_and_posed(case: Case, work: Path) -> tuple[Path, dict]:
    """(landmarks.npz, truth dict) for a case: rendered and posed once, then read from ``work``."""
    from formcheck.pose.run import estimate_landmarks
    from formcheck.synth import render_clip

    work.mkdir(parents=True, exist_ok=True)
    npz, truth_path = work / f"{case.key()}.npz", work / f"{case.key()}.truth.json"
    if not (npz.is_file() and truth_path.is_file()):
        video = work / f"{case.key()}.mp4"
        render_clip(case.params(), video)
        result = estimate_landmarks(video, AnalysisSettings())
        save_landmarks(result.landmarks, npz)
        video.unlink()
        video.with_suffix(".truth.json").replace(truth_path)
        print(f"  rendered and posed {case.key()}", file=sys.stderr)
    truth = json.loads(truth_path.read_text())
    truth.pop("frames", None)
    return npz, truth


def rendered_errors(analysis: Analysis, truth: dict) -> dict[str, list[float]]:
    """Per measure, the signed errors of the steps formcheck found near a true contact (near and far leg)."""
    steps = analysis.events.steps
    true_steps = truth["steps"]
    pairs = match_nearest([s["contact_s"] for s in true_steps], [st.contact_s for st in steps], MATCH_S)
    out: dict[str, list[float]] = {m: [] for m in MEASURES}
    out["class_ok"] = []
    for m in MEASURES:
        res = analysis.metrics.get(m)
        if res is None or res.per_step is None:
            continue
        for i, j in pairs:
            got, want = res.per_step[j], true_steps[i].get(m)
            if got is not None and want is not None and steps[j].valid:
                out[m].append(float(got) - float(want))
    kinds = analysis.metrics.get("foot_strike_type")
    if kinds is not None and kinds.per_step is not None:
        for i, j in pairs:
            got = kinds.per_step[j]
            if got is not None and steps[j].valid:
                out["class_ok"].append(float(got == true_steps[i]["foot_strike_type"]))
    return out


def _stats(errs: list[float]) -> str:
    if not errs:
        return "      n/a      "
    a = np.asarray(errs)
    return f"{np.mean(a):+6.1f} ±{np.std(a):4.1f}"


def score_rendered(
    settings: AnalysisSettings, work: Path, per_step: bool, landing: tuple[tuple[str, object], ...] = ()
) -> dict[str, dict[str, list[float]]]:
    print("Rendered runner through the pose model: mean ± sd of (measured - truth), valid steps, deg")
    print(
        f"{'case':26s} {'n':>3s}  {'FSA':>13s}  {'knee IC':>13s}  {'shank IC':>13s}  step class ok  "
        "clip's strike type"
    )
    groups: dict[str, dict[str, list[float]]] = {}
    for case in cases(landing=landing):
        npz, truth = rendered_and_posed(case, work)
        try:
            analysis = analyze_trajectories(load_landmarks(npz), settings)
        except FormcheckError as e:
            print(f"{case.key():26s} FAILED: {e}")
            continue
        errs = rendered_errors(analysis, truth)
        headline = analysis.metrics.get("foot_strike_type")
        errs["headline"] = [headline.value if headline is not None else None]  # what the report says
        for key in (case.strike, f"{case.fps:g} fps", f"{case.distance_m:g} m", "ALL"):
            g = groups.setdefault(key, {m: [] for m in (*MEASURES, "class_ok")})
            for m, v in errs.items():
                g.setdefault(m, []).extend(v)
        name = f"{case.strike} {case.fps:g}fps {case.distance_m:g}m"
        _print_row(name, errs)
        if per_step:
            print("     FSA errors:", [round(v, 1) for v in errs["foot_strike_angle_deg"]])
    print()
    order = [
        *STRIKES_DEG,
        *STEEP_DEG,
        *(f"{f:g} fps" for f in FPS),
        *(f"{d:g} m" for d in DISTANCES_M),
        "ALL",
    ]
    for key in order:
        if key in groups:
            _print_row(key, groups[key])
    return groups


def _print_row(name: str, errs: dict[str, list[float]]) -> None:
    ok = errs["class_ok"]
    cls = f"{100 * np.mean(ok):5.0f}% of {len(ok):3d}" if ok else "n/a"
    heads = errs.get("headline", [])
    head = (
        heads[0]
        if len(heads) == 1
        else ", ".join(f"{k} {heads.count(k)}" for k in sorted(set(map(str, heads))))
    )
    print(
        f"{name:26s} {len(errs['foot_strike_angle_deg']):3d}  {_stats(errs['foot_strike_angle_deg'])}  "
        f"{_stats(errs['knee_flexion_ic_deg'])}  {_stats(errs['shank_angle_ic_deg'])}  {cls}  {head}"
    )


def real_strike_pairs(settings: AnalysisSettings, per_step: bool) -> dict[str, list[tuple[str, str]]]:
    """Per labelled clip, the (label class, formcheck class) pairs of matched contacts with a pattern seen."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, raw, path in real_clips(LABELS_DIR, CACHE_DIR):
        labels = [lab for lab in read_labels(path, raw.time_s)]
        if not any(PATTERN_TO_CLASS.get(lab.pattern) for lab in labels):
            continue
        try:
            analysis = analyze_trajectories(raw, settings)
        except FormcheckError:
            continue
        steps = analysis.events.steps
        kinds = analysis.metrics["foot_strike_type"].per_step or ()
        fsa = analysis.metrics["foot_strike_angle_deg"].per_step or ()
        pairs = match_nearest([lab.contact_s for lab in labels], [st.contact_s for st in steps], 0.15)
        rows = []
        for i, j in pairs:
            want, got = PATTERN_TO_CLASS.get(labels[i].pattern), kinds[j] if j < len(kinds) else None
            if want is not None and got is not None:
                rows.append((want, got))
                if per_step:
                    v = fsa[j] if j < len(fsa) else None
                    print(f"     {name} {steps[j].side:5s} label {want:8s} read {got:13s} FSA {v}")
        out[name] = rows
    return out


def agreement(pairs: list[tuple[str, str]]) -> float | None:
    """Share of (label, read) pairs that agree; an ``indeterminate`` reading counts as disagreeing."""
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def split_halves(by_clip: dict[str, list[tuple[str, str]]]) -> tuple[list[str], list[str]]:
    """Two halves of the labelled clips, for checking a setting on clips it was not tuned on: clips sorted by
    their most common labelled class, then by name, dealt alternately, so each half holds every class seen."""

    def majority(name: str) -> str:
        labels = [a for a, _ in by_clip[name]]
        return max(sorted(set(labels)), key=labels.count) if labels else ""

    names = sorted(by_clip, key=lambda n: (majority(n), n))
    return names[0::2], names[1::2]


def _agreement(pairs: list[tuple[str, str]]) -> str:
    share = agreement(pairs)
    if share is None:
        return "n/a"
    decided = [p for p in pairs if p[1] != "indeterminate"]
    dec = agreement(decided)
    dec_txt = f"  (of the {len(decided)} decided: {100 * dec:5.1f}%)" if dec is not None else ""
    return f"{100 * share:5.1f}% of {len(pairs)}{dec_txt}"


def print_real(by_clip: dict[str, list[tuple[str, str]]]) -> None:
    print("Strike class vs the patterns labelled by eye (benchmarks/labels/contacts)")
    for name, pairs in by_clip.items():
        print(f"  {name:36s} {_agreement(pairs)}")
    half_a, half_b = split_halves(by_clip)
    halves = {"half A": half_a, "half B": half_b}
    for half, members in halves.items():
        print(f"  {half:36s} {_agreement([p for n in members for p in by_clip[n]])}  ({', '.join(members)})")
    every = [p for pairs in by_clip.values() for p in pairs]
    print(f"  {'ALL':36s} {_agreement(every)}")
    confusion: dict[tuple[str, str], int] = {}
    for p in every:
        confusion[p] = confusion.get(p, 0) + 1
    print("  label -> read: " + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(confusion.items())))


def strike_bias_fit(work: Path, landing: tuple[tuple[str, object], ...] = ()) -> tuple[float, float, int]:
    """(offset, gain, steps) of the least-squares line raw FSA = offset + gain x true FSA over the rendered steps of
    the fitted strikes (not the steep one), read without the correction: how ``metrics/foot_strike.py``'s
    ``FSA_BIAS_OFFSET_DEG`` and ``FSA_BIAS_GAIN`` were fitted, for any landing."""
    base = AnalysisSettings()
    raw = dataclasses.replace(
        base, uncertainty=dataclasses.replace(base.uncertainty, correct_pose_strike_bias=False)
    )
    true_deg: list[float] = []
    read_deg: list[float] = []
    for case in cases(landing=landing):
        if case.strike not in STRIKES_DEG:
            continue
        npz, truth = rendered_and_posed(case, work)
        errors = rendered_errors(analyze_trajectories(load_landmarks(npz), raw), truth)[
            "foot_strike_angle_deg"
        ]
        true_deg += [STRIKES_DEG[case.strike]] * len(errors)
        read_deg += [STRIKES_DEG[case.strike] + e for e in errors]
    gain, offset = np.polyfit(true_deg, read_deg, 1)
    return float(offset), float(gain), len(true_deg)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--work", type=Path, default=WORK_DIR, help="cache of rendered clips' landmarks and truth"
    )
    ap.add_argument("--real-only", action="store_true", help="skip the rendered runner")
    ap.add_argument("--per-step", action="store_true")
    add_landing_args(ap)
    ap.add_argument(
        "--fit-strike-bias",
        action="store_true",
        help="print the strike-angle bias line fitted on the rendered steps (as FSA_BIAS_* were), then score with it",
    )
    args = ap.parse_args(argv)
    settings = AnalysisSettings()
    landing = tuple(sorted(landing_changes(args).items()))
    if args.fit_strike_bias:
        import formcheck.metrics.foot_strike as foot_strike

        offset, gain, n = strike_bias_fit(args.work, landing)
        print(
            f"strike-angle bias fitted on {n} rendered steps: raw = {offset:.2f} + {gain:.3f} x "
            f"(in use: {foot_strike.FSA_BIAS_OFFSET_DEG} + {foot_strike.FSA_BIAS_GAIN} x); scoring with the fit\n"
        )
        foot_strike.FSA_BIAS_OFFSET_DEG, foot_strike.FSA_BIAS_GAIN = offset, gain
    if not args.real_only:
        score_rendered(settings, args.work, args.per_step, landing)
        print()
    print_real(real_strike_pairs(settings, args.per_step))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
