"""The pose pass (pose/run.py) with fake estimators (no MediaPipe): every frame once and in order, the
multi-person probe, estimators closed on every path, frames not accumulated, and the runner's track returned."""

from __future__ import annotations

import functools
import threading
import weakref
from pathlib import Path

import numpy as np
import pytest

from formcheck.config import AnalysisSettings, PoseSettings
from formcheck.errors import ModelError, UsageError
from formcheck.pose.base import PoseDetection
from formcheck.pose.run import PoseResult, estimate_landmarks, pose_frames
from formcheck.pose.tracking import PersonTracker
from formcheck.pose.zoom import tile_levels
from formcheck.video import VideoReader
from formcheck.video.writer import VideoWriter

N_FRAMES = 90
FPS = 30.0
PROBE_FRAMES = 30


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pose_run") / "clip.mp4"
    rng = np.random.default_rng(0)
    with VideoWriter(str(path), 64, 48, FPS) as w:
        for i in range(N_FRAMES):
            w.write(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8), i / FPS)
    return path


class FakePose:
    """Deterministic 'landmarks' from the frame time: one person, plus ``people - 1`` others (from
    ``others_from_s``) when built for several poses; raises ``exc`` from ``fail_at_s``."""

    def __init__(
        self,
        num_poses: int,
        made: list[FakePose],
        people: int = 1,
        others_from_s: float = 0.0,
        fail_at_s: float | None = None,
        exc: BaseException | None = None,
    ) -> None:
        self.num_poses = num_poses
        self.people = people if num_poses > 1 else 1
        self.others_from_s = others_from_s
        self.fail_at_s = fail_at_s
        self.exc = exc
        self.name = "fake"
        self.closed = False
        self.frames = 0
        made.append(self)

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        if self.fail_at_s is not None and time_s >= self.fail_at_s:
            raise self.exc
        _track_frame(rgb)
        self.frames += 1
        out = []
        for p in range(self.people if time_s >= self.others_from_s else 1):
            xy = np.column_stack([np.full(33, 10.0 + 30 * p + time_s), np.arange(33.0) + 5])
            out.append(PoseDetection(xy_px=xy, visibility=np.full(33, 0.9)))
        return out

    def close(self) -> None:
        self.closed = True


_LIVE = {"now": 0, "max": 0}
_LOCK = threading.Lock()


def _track_frame(rgb: np.ndarray) -> None:
    """Count the decoded frames alive at once (a frame is released when the pass moves on)."""
    with _LOCK:
        _LIVE["now"] += 1
        _LIVE["max"] = max(_LIVE["max"], _LIVE["now"])

    def gone() -> None:
        with _LOCK:
            _LIVE["now"] -= 1

    weakref.finalize(rgb, gone)


def _pass(
    clip: Path, probe_frames: int | None, **fake
) -> tuple[list[float], str, list[FakePose], PersonTracker]:
    made: list[FakePose] = []
    tracker = PersonTracker(FPS, PoseSettings())
    with VideoReader(str(clip)) as reader:
        times, name = pose_frames(
            reader, functools.partial(FakePose, made=made, **fake), tracker, probe_frames
        )
    return times, name, made, tracker


def test_every_frame_once_in_order(clip: Path) -> None:
    times, name, made, _ = _pass(clip, PROBE_FRAMES)
    np.testing.assert_allclose(times, np.arange(N_FRAMES) / FPS, atol=1e-4)
    assert name == "fake"
    assert sum(e.frames for e in made) == N_FRAMES


def test_one_person_in_the_probe_goes_on_with_one_pose(clip: Path) -> None:
    _, _, made, tracker = _pass(clip, PROBE_FRAMES, people=2, others_from_s=99.0)
    assert [(e.num_poses, e.frames) for e in made] == [
        (PoseSettings().multi_poses, PROBE_FRAMES),
        (1, N_FRAMES - PROBE_FRAMES),
    ]
    assert all(e.closed for e in made)
    assert tracker.max_people_in_frame == 1


def test_several_people_in_the_probe_keep_several_poses(clip: Path) -> None:
    _, _, made, tracker = _pass(clip, PROBE_FRAMES, people=2)
    assert [(e.num_poses, e.frames) for e in made] == [(PoseSettings().multi_poses, N_FRAMES)]
    assert tracker.multi_frames == N_FRAMES
    assert made[0].closed


def test_no_probe_keeps_several_poses(clip: Path) -> None:
    """``--person N``: the whole clip is posed with several poses even if the first second shows one person."""
    _, _, made, _ = _pass(clip, None, people=2, others_from_s=2.0)
    assert [(e.num_poses, e.frames) for e in made] == [(PoseSettings().multi_poses, N_FRAMES)]


@pytest.mark.parametrize("fail_at_s", [0.5, 2.0], ids=["during-the-probe", "after-the-probe"])
def test_an_error_propagates_unchanged_and_every_estimator_is_closed(clip: Path, fail_at_s: float) -> None:
    made: list[FakePose] = []
    err = ModelError("the model broke: pass a PoseLandmarker .task bundle")
    make = functools.partial(FakePose, made=made, fail_at_s=fail_at_s, exc=err)
    with VideoReader(str(clip)) as reader, pytest.raises(ModelError) as e:
        pose_frames(reader, make, PersonTracker(FPS, PoseSettings()), PROBE_FRAMES)
    assert e.value is err
    assert made and all(m.closed for m in made)


def test_frames_do_not_accumulate(clip: Path) -> None:
    _LIVE.update(now=0, max=0)
    _pass(clip, PROBE_FRAMES)
    assert _LIVE["max"] <= 2  # one frame posed, one on its way: never the clip


def test_estimate_landmarks_returns_the_runner_and_the_tracks(clip: Path) -> None:
    made: list[FakePose] = []
    make = functools.partial(FakePose, made=made, people=2)
    result = estimate_landmarks(clip, AnalysisSettings(), make_estimator=make)
    assert isinstance(result, PoseResult)
    assert result.model == "fake"
    assert result.landmarks.n_frames == N_FRAMES
    assert len(result.tracks) == 2 and result.track in {t.id for t in result.tracks}
    assert result.track_reason.startswith("chose #")
    assert any("2 people in frame" in w for w in result.warnings)
    chosen_x = 10.0 + 30 * (result.track - 1)  # the fake's person p stands at x = 10 + 30 p + t
    np.testing.assert_allclose(result.landmarks.xy_px[:, 0, 0] - result.landmarks.time_s, chosen_x, atol=1e-3)


def test_estimate_landmarks_alone_and_an_unknown_person(clip: Path) -> None:
    alone = estimate_landmarks(clip, AnalysisSettings(), make_estimator=functools.partial(FakePose, made=[]))
    assert len(alone.tracks) == 1 and alone.track == 1 and alone.warnings == ()
    with pytest.raises(UsageError, match="no person #5"):
        estimate_landmarks(
            clip, AnalysisSettings(person=5), make_estimator=functools.partial(FakePose, made=[], people=2)
        )


class Nobody(FakePose):
    """Finds nobody (a runner too small for the whole frame)."""

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        self.frames += 1
        return []


def test_a_runner_found_by_the_whole_frame_pass_costs_no_zoomed_search(clip: Path) -> None:
    def still() -> FakePose:
        raise AssertionError("the zoomed search must not run when the runner was found")

    result = estimate_landmarks(
        clip,
        AnalysisSettings(),
        make_estimator=functools.partial(FakePose, made=[]),
        make_still_estimator=still,
    )
    assert np.isfinite(result.landmarks.xy_px).all()
    assert not any("zoomed" in w for w in result.warnings)


def test_nobody_in_the_whole_frame_the_zoomed_search_is_kept_and_told(clip: Path) -> None:
    made: list[FakePose] = []
    calls: list[tuple[int, int]] = []
    result = estimate_landmarks(
        clip,
        AnalysisSettings(),
        make_estimator=functools.partial(Nobody, made=[]),
        make_still_estimator=lambda: FakePose(1, made),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert [d for d, _ in calls] == list(
        range(1, N_FRAMES + 1)
    ) * 2  # the bar runs again over the second pass
    (search,) = made
    assert search.closed and search.frames >= N_FRAMES  # the crops of every frame were posed
    # FakePose's person stands at x = 10 + t in crop pixels; the 48 px tiles of a 64x48 frame start at x = 0.
    assert np.isfinite(result.landmarks.xy_px[:, 0, 0]).all()
    assert result.track == 1
    (told,) = [w for w in result.warnings if w.startswith("runner small in the frame: searched zoomed tiles")]
    assert "legs seen in 100% of the frames" in told


def test_nobody_anywhere_leaves_the_clip_empty_and_the_search_gives_up(clip: Path) -> None:
    made: list[FakePose] = []
    result = estimate_landmarks(
        clip,
        AnalysisSettings(),
        make_estimator=functools.partial(Nobody, made=[]),
        make_still_estimator=lambda: Nobody(1, made),
    )
    assert np.isnan(result.landmarks.xy_px).all()  # -> "no runner found in 100% of the frames" (pipeline)
    assert result.warnings == ()
    (search,) = made
    assert search.closed
    searches = len(range(0, int(PoseSettings().zoom_give_up_s * FPS), 3))  # every 3rd frame for 2 s
    assert search.frames == searches * sum(len(level) for level in tile_levels(64, 48))  # then it gave up
