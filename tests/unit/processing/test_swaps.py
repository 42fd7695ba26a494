"""Leg-swap repair: frames where the pose model pulled both legs together are no evidence (docs/contacts.md,
"Leg swaps"). Known answers on the synthetic runner's exact tracks with a junk frame and a model swap inserted."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.processing.swaps import (
    LEG_CHAINS,
    chain_separation_px,
    collapsed_frames,
    repair_swaps,
    swap_flags,
)
from formcheck.synth.params import RunnerParams
from tests.fixtures.synthetic import synthetic_trajectories

(L_ROOT, LEFT), (R_ROOT, RIGHT) = LEG_CHAINS
LEFT_LEG, RIGHT_LEG = [L_ROOT, *LEFT], [R_ROOT, *RIGHT]


@pytest.fixture(scope="module")
def runner():
    # The landing before issue 15's switch: side_07's failure was rebuilt on its legs (frames 24-31 below).
    traj, _ = synthetic_trajectories(
        RunnerParams(duration_s=4.0, late_knee_extension=False, landing_cushion_s=0.0)
    )
    return traj


def _junk_and_swap(xy: np.ndarray, junk: int | None, swapped: list[int]) -> np.ndarray:
    """``xy`` with both legs' distal parts put mid-way between the two legs in frame ``junk`` (what BlazePose
    did in side_07's frame 25) and the legs' labels exchanged in the ``swapped`` frames."""
    out = xy.copy()
    if junk is not None:
        mid = 0.5 * (xy[junk, list(LEFT)] + xy[junk, list(RIGHT)])
        out[junk, list(LEFT)] = mid
        out[junk, list(RIGHT)] = mid
    for f in swapped:
        out[f, LEFT_LEG], out[f, RIGHT_LEG] = xy[f, RIGHT_LEG], xy[f, LEFT_LEG]
    return out


def test_separation_does_not_change_when_the_model_swaps_the_legs(runner):
    swapped = _junk_and_swap(runner.xy_px, junk=0, swapped=list(range(1, runner.n_frames)))
    sep = chain_separation_px(runner.xy_px, LEFT, RIGHT)
    assert np.allclose(chain_separation_px(swapped, LEFT, RIGHT)[1:], sep[1:])
    assert chain_separation_px(swapped, LEFT, RIGHT)[0] == pytest.approx(0.0)  # the junk frame: legs coincide
    hidden = runner.xy_px.copy()
    hidden[5, LEFT[0]] = np.nan  # one pair unseen: the mean of the other pairs
    d = np.linalg.norm(runner.xy_px[5, list(LEFT[1:])] - runner.xy_px[5, list(RIGHT[1:])], axis=-1)
    assert chain_separation_px(hidden, LEFT, RIGHT)[5] == pytest.approx(d.mean())
    hidden[6, list(LEFT)] = np.nan
    assert np.isnan(chain_separation_px(hidden, LEFT, RIGHT)[6])


@pytest.mark.parametrize(
    ("sep", "expected"),
    [
        ([100, 100, 40, 100, 100], [2]),  # one frame pulled together and apart again
        ([100, 90, 30, 38, 80, 100], [2, 3]),  # two frames: both below half of both brackets (90 and 80)
        ([100, 90, 30, 45, 80, 100], []),  # 45 is above half of 80
        ([100, 80, 60, 45, 40, 45, 60, 80], []),  # legs crossing: the separation falls and rises smoothly
        ([100, 40, 100], [1]),
        ([100, 51, 100], []),  # just above half
        ([100, 40, 200, 40, 100], [1, 3]),
        ([100, 30, 30, 30, 30, 100], []),  # a run longer than max_run (3) is not a blip
        ([100, 40, np.nan, 100], []),  # an unseen frame never brackets a run
        ([np.nan, 40, 100], []),
        ([40, 100], []),
    ],
)
def test_collapsed_frames_known_answers(sep, expected):
    out = collapsed_frames(np.array(sep, dtype=float), ratio=0.5, max_run=3)
    assert np.flatnonzero(out).tolist() == expected


def test_a_junk_frame_made_the_old_repair_relabel_the_wrong_frames(runner):
    """side_07's failure, rebuilt: a mid-way frame at 24 and a model swap at 31. Through frame 24 a constant-
    velocity prediction points each leg at the other, so the repair without the rule relabels frames 25-30 (the
    correct ones) along with frame 31."""
    bad = runner.replace(xy_px=_junk_and_swap(runner.xy_px, junk=24, swapped=[31]))
    flags = np.flatnonzero(swap_flags(bad.xy_px, LEFT, RIGHT, 0.3)).tolist()
    assert {25, 26, 27, 28, 29} <= set(flags)  # measured: 25-29 and 31
    assert swap_flags(bad.xy_px, LEFT, RIGHT, 0.3, ignore=np.arange(runner.n_frames) == 24)[31]


@pytest.mark.parametrize(
    ("junk", "swapped"), [(24, [31]), (35, [42, 43]), (50, [56]), (70, list(range(78, 90)))]
)
def test_repair_ignores_a_junk_frame_and_undoes_the_swap(runner, junk, swapped):
    bad = runner.replace(xy_px=_junk_and_swap(runner.xy_px, junk, swapped))
    repaired, n = repair_swaps(bad, 0.3, collapse_ratio=0.5, collapse_run_max=3)
    assert n == len(swapped)
    others = np.arange(runner.n_frames) != junk
    assert np.allclose(repaired.xy_px[others], runner.xy_px[others], equal_nan=True)
    # The junk frame's legs are missing (the short-gap fill interpolates them); its hips and arms are kept.
    assert np.isnan(repaired.xy_px[junk, list(LEFT) + list(RIGHT)]).all()
    assert np.array_equal(repaired.xy_px[junk, [L_ROOT, R_ROOT]], runner.xy_px[junk, [L_ROOT, R_ROOT]])


def test_repair_with_the_rule_leaves_clean_tracks_alone(runner):
    repaired, n = repair_swaps(runner, 0.3, collapse_ratio=0.5, collapse_run_max=3)
    assert n == 0
    assert np.array_equal(repaired.xy_px, runner.xy_px)


def test_a_left_out_frame_takes_the_labels_nearer_its_neighbours(runner):
    """A frame left out of the cost is labelled by nearness to the line between its labelled neighbours: a
    model swap on an ignored frame is still undone."""
    xy = _junk_and_swap(runner.xy_px, junk=None, swapped=[39])
    ignore = np.zeros(len(xy), dtype=bool)
    ignore[39] = True
    assert np.flatnonzero(swap_flags(xy, LEFT, RIGHT, 0.3, ignore)).tolist() == [39]
    ignore[:] = True  # nothing to go by: nothing is relabelled
    assert not swap_flags(xy, LEFT, RIGHT, 0.3, ignore).any()


def test_frames_with_no_leg_seen_are_bridged(runner):
    """Two frames without either leg, then a model swap of four frames: the cost spans the gap (second
    differences over uneven steps) and the swap is undone, the unseen frames untouched."""
    xy = _junk_and_swap(runner.xy_px, junk=None, swapped=[61, 62, 63, 64])
    xy[59:61, LEFT_LEG + RIGHT_LEG] = np.nan
    assert np.flatnonzero(swap_flags(xy, LEFT, RIGHT, 0.3)).tolist() == [61, 62, 63, 64]
