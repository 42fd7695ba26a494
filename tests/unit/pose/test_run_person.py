"""``--person N`` through the pose pass (pose/run.py) when the pose model shows one person at a time: a made-up clip
of two people side by side (a grey top, a pink top) and a fake estimator that, on the whole frame, poses the man
in one frame of five and the woman otherwise, as MediaPipe did on overground_front_two_joggers; on a crop, whoever
is in it. No MediaPipe."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.config import AnalysisSettings
from formcheck.pose.base import PoseDetection
from formcheck.pose.run import estimate_landmarks
from formcheck.video.writer import VideoWriter
from tests.unit.pose.test_tracking import figure

W, H, FPS, N_FRAMES = 320, 240, 30.0, 60
MAN_X, WOMAN_X = (60, 120), (180, 240)  # the two people's columns, pixels


@pytest.fixture(scope="module")
def two_people(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pose_person") / "two.mp4"
    with VideoWriter(str(path), W, H, FPS) as w:
        for i in range(N_FRAMES):
            f = np.full((H, W, 3), (40, 120, 40), np.uint8)
            f[40:220, MAN_X[0] : MAN_X[1]] = (128, 128, 128)
            f[40:220, WOMAN_X[0] : WOMAN_X[1]] = (230, 170, 190)
            w.write(f, i / FPS)
    return path


def _person_in(rgb: np.ndarray, grey: bool) -> PoseDetection | None:
    """A figure standing on the grey (or pink) block of ``rgb``, in its pixels; None when the block is not there."""
    r, g, b = (rgb[..., c].astype(int) for c in range(3))
    if grey:
        mask = (abs(r - g) < 20) & (abs(g - b) < 20) & (r > 100) & (r < 160)
    else:
        mask = (r > 200) & (g > 140) & (g < 200) & (b > 160)
    ys, xs = np.nonzero(mask)
    if xs.size < 500:
        return None
    return figure(float(xs.mean()), float(ys.min()) - 20.0, 200.0, 40.0)


class OneAtATime:
    """On the whole frame, the man in frames 0-2, 5, 10, 15, ... and the woman in the others; on a crop, whoever
    is in it."""

    name = "one-at-a-time"

    def __init__(self, num_poses: int) -> None:
        self.calls = 0

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        self.calls += 1
        if rgb.shape[1] == W:
            i = round(time_s * FPS)
            found = _person_in(rgb, grey=i < 3 or i % 5 == 0)
        else:
            man, woman = _person_in(rgb, grey=True), _person_in(rgb, grey=False)
            found = man or woman
        return [found] if found is not None else []

    def close(self) -> None:
        pass


def _trunk_x(result) -> np.ndarray:
    return np.mean([result.landmarks.point(p)[:, 0] for p in ("left_hip", "right_hip")], axis=0)


@pytest.mark.parametrize(("person", "columns", "posed_again"), [(1, MAN_X, (42, 42)), (2, WOMAN_X, (11, 11))])
def test_person_n_is_posed_again_where_the_model_held_the_other(two_people, person, columns, posed_again):
    result = estimate_landmarks(two_people, AnalysisSettings(person=person), make_estimator=OneAtATime)
    x = _trunk_x(result)
    seen = np.isfinite(x)
    assert result.track == person
    assert ((x[seen] > columns[0]) & (x[seen] < columns[1])).all()  # never on the other one
    # Between the first and the last frame the model showed them, every frame is theirs.
    first, last = (0, 55) if person == 1 else (3, 59)
    assert seen[first : last + 1].all() and not seen[:first].any() and not seen[last + 1 :].any()
    hops, again = result.warnings
    assert hops.startswith("two or more people: the pose model saw one at a time and jumped between them ")
    other = 2 if person == 1 else 1
    top = {1: "grey", 2: "pink"}
    assert f"analysed #{person} only, the one in the {top[person]} top (" in hops
    assert hops.endswith(f"pass --person N to analyse another (#{other}, {top[other]} top)")
    found, todo = posed_again
    assert again.startswith(
        f"person #{person} posed again alone where the pose model saw someone else or no one: "
        f"found in {found} of {todo} "
    )


def test_the_default_run_is_not_posed_again(two_people):
    """No --person: the woman (present longest) is chosen as before and only her own frames are analysed."""
    result = estimate_landmarks(two_people, AnalysisSettings(), make_estimator=OneAtATime)
    x = _trunk_x(result)
    assert result.track == 2
    hers = np.array([i >= 3 and i % 5 != 0 for i in range(N_FRAMES)])
    assert np.isnan(x[~hers]).all() and np.isfinite(x[hers]).all()
    (hops,) = result.warnings
    assert "posed again" not in hops and "the one in the pink top" in hops
