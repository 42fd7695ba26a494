"""Same runner, same day, on every clip: the headline verdicts of a side clip's first half of steps against its second
half.

    python benchmarks/score_split_half.py [--per-clip] [--set gait.contact_timing='"landmarks"']

Two takes of one runner on one day (side_24/side_25) are one pair; every side clip splits into two such "takes": its
valid steps before and after the median contact time, each judged as a clip of its own (the same cleaned landmarks,
the same view, direction and leg length; only the step table is halved). A verdict that changes between the halves
of one clip is one a runner would see change between two takes. Nothing is fitted and no label is read, so the clips
whose overstride labels are held back (clips/LABELS.md) count too.

Prints, per headline metric, how many clips' halves got different verdicts (a half with no verdict, ``n/a``, is not
compared), and how many of those are reversals: good in one half, flag in the other; then what the athlete history
(``history.compare``: a change beyond the smallest detectable difference and both intervals) would say between the
halves, where a runner who did not change should see "no real change". For the metrics judged on a median over steps
(the overstride reach, trunk lean, arm swing) it also checks the bootstrap behind their intervals: the two halves'
difference over the spread their intervals claim (z = difference / sqrt(se1^2 + se2^2), se = bootstrap half-width /
1.96; the landmark and timing terms are the same for both halves of one clip and are left out). If that spread is
right, |z| > 1.96 on about 5% of clips and the median |z| is 0.67. It does so for halves in time (as the verdicts)
and for halves made of alternate strides, which both span the whole clip: a difference that shows only in time is
the running changing along the clip (a real change between two takes), one that shows in both is the bootstrap's
spread.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from score_contacts import CLIPS_DIR, add_settings_options, settings_with, sole_retimed  # noqa: E402

from formcheck.config import AnalysisSettings, UncertaintySettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.history import compare, metrics_from_analysis  # noqa: E402
from formcheck.metrics.registry import HEADLINE_IDS, HISTORY_IDS  # noqa: E402
from formcheck.metrics.uncertainty import Z_95, bootstrap_interval  # noqa: E402
from formcheck.model import Analysis, Step  # noqa: E402
from formcheck.report.json_out import analysis_to_dict  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import PreparedClip, measure, prepare  # noqa: E402

CACHE_DIR = ROOT / "benchmarks" / ".cache"
# A reversal: one half good, the other flag (a borderline or watch between them is a neighbour of both: the
# borderline of a value in the good band whose interval reaches the flag band sits next to good).
REVERSAL = {"good", "flag"}
MIN_VALID_STEPS_PER_HALF = 4  # a clip is judged on at least 4 valid steps (GaitSettings.min_steps_total)


def halves(prepared: PreparedClip) -> tuple[PreparedClip, PreparedClip] | None:
    """The clip with only its first half of steps, and with only its second (split at the median valid contact
    time, rejected steps kept on their side of it); None when a half would hold fewer than 4 valid steps."""
    steps = prepared.events.steps
    valid_times = sorted(s.contact_s for s in steps if s.valid)
    if len(valid_times) < 2 * MIN_VALID_STEPS_PER_HALF:
        return None
    split_s = valid_times[len(valid_times) // 2]
    first: tuple[Step, ...] = tuple(s for s in steps if s.contact_s < split_s)
    second: tuple[Step, ...] = tuple(s for s in steps if s.contact_s >= split_s)
    return tuple(  # type: ignore[return-value]
        dataclasses.replace(prepared, events=dataclasses.replace(prepared.events, steps=part))
        for part in (first, second)
    )


def headline(analysis: Analysis) -> dict[str, tuple[object, object, str]]:
    """metric id -> (the value judged, its interval, verdict), as benchmarks/score_stability.py."""
    return {
        mid: (m.extra.get("verdict_value", m.value), m.extra.get("verdict_interval") or m.interval, m.verdict)
        for mid, m in analysis.metrics.items()
        if mid in HEADLINE_IDS
    }


def _median_and_se(values: list[float], u: UncertaintySettings) -> tuple[float, float] | None:
    """The median of ``values`` and the standard error its bootstrap interval claims (half-width / 1.96)."""
    spread = bootstrap_interval(values, n_boot=u.n_bootstrap, level=u.level)
    if spread is None:
        return None
    return float(np.median(values)), (spread[1] - spread[0]) / 2.0 / Z_95


def halves_z(
    steps: Sequence[Step], per_step: Sequence[float | None], u: UncertaintySettings
) -> dict[str, float]:
    """A median-judged metric's halves' difference over the spread their bootstrap intervals claim, z = (b - a) /
    sqrt(se_a^2 + se_b^2), for two ways of halving a clip's valid steps: ``time`` (before and after the median
    contact, as the verdicts above) and ``strides`` (alternate strides, two steps each, to each half: both halves
    span the whole clip, so a change of the running along the clip does not count). Missing: a half with fewer
    than 3 measured steps."""
    pool = [(st, float(v)) for st, v in zip(steps, per_step, strict=True) if st.valid and v is not None]
    n = len(pool)
    splits = {
        "time": [k < n // 2 for k in range(n)],
        "strides": [(k // 2) % 2 == 0 for k in range(n)],
    }
    out = {}
    for name, in_first in splits.items():
        halves_ = [
            [v for (_, v), first in zip(pool, in_first, strict=True) if first == want] for want in (1, 0)
        ]
        parts = [_median_and_se(h, u) for h in halves_]
        if None in parts:
            continue
        (x, sx), (y, sy) = parts  # type: ignore[misc]
        se = math.hypot(sx, sy)
        if se > 0:
            out[name] = (y - x) / se
    return out


# The metrics whose headline is a median over one value per step, and where their per-step values are: the
# reach (the overstride verdict's quantity, both legs), trunk lean (both legs) and arm swing (the near arm's swing
# over the stride from each step's contact).
Z_METRICS = {
    "overstride reach": ("overstride_distance", "reach_per_step"),
    "trunk lean": ("trunk_lean_deg", None),
    "arm swing": ("arm_swing_deg", None),
}


def z_of_metrics(prepared: PreparedClip, analysis: Analysis) -> dict[str, dict[str, float]]:
    """``halves_z`` of each metric of ``Z_METRICS`` in a whole clip's analysis."""
    out = {}
    for label, (mid, key) in Z_METRICS.items():
        m = analysis.metrics[mid]
        per_step = m.extra.get(key) if key else m.per_step
        if per_step:
            out[label] = halves_z(prepared.events.steps, per_step, analysis.settings.uncertainty)
    return out


@dataclasses.dataclass(frozen=True)
class HalvedClip:
    """One side clip's halves: each half's headline verdicts, the steps in each and, per metric of
    ``Z_METRICS``, its halves' z per split (``halves_z``); or why it was not halved (``skipped``)."""

    name: str
    first: dict[str, tuple[object, object, str]] = dataclasses.field(default_factory=dict)
    second: dict[str, tuple[object, object, str]] = dataclasses.field(default_factory=dict)
    steps: tuple[int, int] = (0, 0)
    z: dict[str, dict[str, float]] = dataclasses.field(default_factory=dict)
    skipped: str = ""
    # What the athlete history would say between the halves, per followed metric (history.compare).
    history: dict[str, str] = dataclasses.field(default_factory=dict)

    def differences(self) -> list[tuple[str, str, str]]:
        """(metric, first half's verdict, second's) for the headline metrics judged in both halves that differ."""
        return [
            (mid, self.first[mid][2], self.second[mid][2])
            for mid in HEADLINE_IDS
            if mid in self.first
            and "n/a" not in (self.first[mid][2], self.second[mid][2])
            and self.first[mid][2] != self.second[mid][2]
        ]


def history_calls(a: Analysis, b: Analysis) -> dict[str, str]:
    """What the athlete history (formcheck/history.py ``compare``, on the analysis.json documents) says between two
    analyses for each followed metric."""
    ma, mb = (metrics_from_analysis(analysis_to_dict(x)) for x in (a, b))
    return {mid: compare(mid, ma.get(mid), mb.get(mid)) for mid in HISTORY_IDS}


def halved_clips(
    cache: Path, settings: AnalysisSettings, *, verdicts: bool = True, clips: Path = CLIPS_DIR
) -> Iterator[HalvedClip]:
    """Every cached side-view clip, halved (``halves``) and judged half by half; with ``verdicts=False`` only the
    halves' z (one analysis per clip instead of three). The contacts are timed as the settings say (the sole:
    from the clip in ``clips``)."""
    for path in sorted(cache.glob("*side*.npz")):
        try:
            prepared = prepare(load_landmarks(path), settings)
        except FormcheckError as e:
            yield HalvedClip(path.stem, skipped=f"not analysed: {str(e)[:70]}")
            continue
        if prepared.view != "side":
            continue
        prepared = sole_retimed(prepared, settings, clips / f"{path.stem}.mp4")
        parts = halves(prepared)
        if parts is None:
            yield HalvedClip(
                path.stem, skipped=f"too few valid steps to halve ({len(prepared.events.valid_steps)})"
            )
            continue
        z = z_of_metrics(prepared, measure(prepared, settings))
        n1, n2 = (len(p.events.valid_steps) for p in parts)
        if not verdicts:
            yield HalvedClip(path.stem, steps=(n1, n2), z=z)
            continue
        a, b = (measure(p, settings) for p in parts)
        yield HalvedClip(path.stem, headline(a), headline(b), (n1, n2), z, history=history_calls(a, b))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--per-clip", action="store_true", help="print every clip's halves")
    add_settings_options(ap)
    args = ap.parse_args(argv)
    settings = settings_with(args.set)
    compared = {mid: 0 for mid in HEADLINE_IDS}
    differ = {mid: 0 for mid in HEADLINE_IDS}
    reversals = {mid: 0 for mid in HEADLINE_IDS}
    zs: dict[tuple[str, str], list[tuple[str, float]]] = {}
    calls: dict[str, list[str]] = {}  # metric -> clips whose halves the history calls a change
    history_compared = 0
    used = 0
    for clip in halved_clips(args.cache, settings, clips=args.clips):
        if clip.skipped:
            print(f"{clip.name:36s} {clip.skipped}")
            continue
        used += 1
        for mid in HEADLINE_IDS:
            if mid in clip.first and "n/a" not in (clip.first[mid][2], clip.second[mid][2]):
                compared[mid] += 1
        marks = []
        for mid, v1, v2 in clip.differences():
            differ[mid] += 1
            reversals[mid] += {v1, v2} == REVERSAL
            marks.append(f"{mid} {v1}->{v2}{' (reversal)' if {v1, v2} == REVERSAL else ''}")
        for label, by_split in clip.z.items():
            for split, z in by_split.items():
                zs.setdefault((label, split), []).append((clip.name, z))
        for mid, call in clip.history.items():
            history_compared += call != "n/a"
            if call not in ("n/a", "no real change"):
                calls.setdefault(mid, []).append(f"{clip.name} {call}")
        n1, n2 = clip.steps
        print(f"{clip.name:36s} {n1:2d}+{n2:2d} steps  {'; '.join(marks) or 'same verdicts'}")
        if args.per_clip:
            for mid in HEADLINE_IDS:
                if mid in clip.first:
                    (x, ix, v1), (y, iy, v2) = clip.first[mid], clip.second[mid]
                    print(f"    {mid:22s} {x!s:>9} {ix!s:>16} {v1:10s} | {y!s:>9} {iy!s:>16} {v2:10s}")
    print(f"\n{used} side clips halved")
    for mid in HEADLINE_IDS:
        if compared[mid]:
            print(
                f"  {mid:24s} {differ[mid]:2d} of {compared[mid]:2d} halves differ "
                f"({reversals[mid]} good against flag)"
            )
    print(
        f"split-half: {sum(differ.values())} of {sum(compared.values())} headline verdicts differ "
        f"({sum(reversals.values())} good against flag)"
    )
    n_calls = sum(len(v) for v in calls.values())
    print(
        f"athlete history between the halves of one clip: {n_calls} of {history_compared} followed metrics called a "
        "change (improved, worse, changed)"
    )
    for mid, names in calls.items():
        print(f"    {mid}: {', '.join(names)}")
    print(
        "halves' difference over the spread their bootstrap intervals claim (right: median |z| 0.67, 5% beyond 1.96)"
    )
    for (label, split), rows in zs.items():
        outside = [(n, z) for n, z in rows if abs(z) > Z_95]
        print(
            f"  {label:17s} by {split:7s}: median |z| {statistics.median(abs(z) for _, z in rows):.2f}, "
            f"beyond 1.96 on {len(outside):2d} of {len(rows)} clips"
            + (": " + ", ".join(f"{n} {z:+.1f}" for n, z in outside) if outside else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
