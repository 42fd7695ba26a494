"""The verdicts a coach signs, on the real clips' cached landmarks (benchmarks/.cache, filled by
benchmarks/cache_landmarks.py): the overstride verdict against the labels of clips/LABELS.md, and identical
headline verdicts for mirror images and same-day takes (benchmarks/score_overstride.py, score_stability.py).
Skips when the labels or the cache are absent. About 2 s."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from formcheck.config import AnalysisSettings
from formcheck.errors import FormcheckError
from formcheck.report.landmarks import load_landmarks
from formcheck.trajectory_analysis import analyze_trajectories
from tests.conftest import SHARED_CLIPS

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "benchmarks" / ".cache"
sys.path.insert(0, str(ROOT / "benchmarks"))

import score_overstride  # noqa: E402
import score_stability  # noqa: E402

pytestmark = pytest.mark.realclips


@pytest.fixture(scope="module")
def labels() -> dict[str, str]:
    path = SHARED_CLIPS / "LABELS.md"
    if not path.is_file() or not CACHE.is_dir():
        pytest.skip("no clips/LABELS.md or no benchmarks/.cache")
    out = score_overstride.read_labels(path)
    if not all((CACHE / f"{name}.npz").is_file() for name in out):
        pytest.skip("benchmarks/.cache lacks some labelled clips: run benchmarks/cache_landmarks.py")
    return out


def _verdict(name: str) -> str:
    try:
        a = analyze_trajectories(load_landmarks(CACHE / f"{name}.npz"), AnalysisSettings())
    except FormcheckError:
        return "n/a"
    return a.metrics["overstride_distance"].verdict


@pytest.mark.slow  # a few seconds: the full tier runs it
def test_overstride_flag_agrees_with_people_on_the_labelled_clips(labels) -> None:
    rows = [(label, _verdict(name)) for name, label in sorted(labels.items())]
    flag_only = score_overstride.balanced_accuracy(rows, {"flag"})
    print(f"ACCURACY overstride flag vs the rest: {flag_only:.2f}")
    assert flag_only >= 0.90  # the goal; measured 1.00 (docs/verdicts.md)
    # no good-form runner is flagged or borderline: the verdict a coach sees never calls them overstriders
    assert all(v in ("good", "watch", "n/a") for label, v in rows if label != "overstride"), rows


@pytest.mark.parametrize(
    "pair",
    [
        ("side_06", "side_12"),
        # Same runner, same day: the legs read 22 and 3 deg (side_24) and 21 and 13 deg (side_25) at landing; the
        # strike type reads each step with the runner's other steps, both legs weighing the same (docs/strike.md),
        # and agrees. The overstride agrees since the reach's landmark term was measured (0.9 %leg,
        # benchmarks/score_reach.py): side_24's lower end, 30.10 %leg, lies 0.10 above the cut-off (a term
        # below 0.97 makes it a flag), a knife edge (docs/verdicts.md, "The reach's landmark term").
        ("side_24", "side_25"),
    ],
)
def test_mirror_images_and_same_day_takes_get_the_same_headline_verdicts(labels, pair) -> None:
    a, b = (score_stability.verdicts(name) for name in pair)
    assert isinstance(a, dict) and isinstance(b, dict), (a, b)
    assert {mid: v[2] for mid, v in a.items()} == {mid: v[2] for mid, v in b.items()}


def test_mirror_pair_side_02_side_07(labels) -> None:
    """side_07's pose output pulls both legs together in frames 25 and 33; the swap repair used to relabel the
    legs between them and left 1 usable step. Those frames are no evidence now (docs/contacts.md, "Leg swaps"):
    5 valid steps each, the same six headline verdicts."""
    steps = [
        len(
            analyze_trajectories(load_landmarks(CACHE / f"{name}.npz"), AnalysisSettings()).events.valid_steps
        )
        for name in ("side_02", "side_07")
    ]
    assert steps == [5, 5]
    a, b = (score_stability.verdicts(name) for name in ("side_02", "side_07"))
    assert isinstance(a, dict) and isinstance(b, dict), (a, b)
    assert {mid: v[2] for mid, v in a.items()} == {mid: v[2] for mid, v in b.items()}


@pytest.mark.slow
def test_the_reach_bootstrap_is_not_too_narrow_on_split_halves(labels) -> None:
    """Every cached side clip halved into alternate strides (benchmarks/score_split_half.py; both halves span the
    whole clip, so a change of the running along it does not count): the reach's halves differ as much as their
    bootstrap intervals claim. If the spread is right, the median |z| is 0.67 and 5% of |z| lie beyond 1.96;
    measured 0.52 and none of 23 clips (docs/verdicts.md). About 10 s."""
    import statistics

    import score_split_half

    clips = [
        c for c in score_split_half.halved_clips(CACHE, AnalysisSettings(), verdicts=False) if not c.skipped
    ]
    z = [c.z["overstride reach"]["strides"] for c in clips if "strides" in c.z.get("overstride reach", {})]
    assert len(z) >= 20, [c.name for c in clips]
    assert statistics.median(abs(v) for v in z) < 1.0
    assert sum(abs(v) > 1.96 for v in z) <= 0.1 * len(z)
