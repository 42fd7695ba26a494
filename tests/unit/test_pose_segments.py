"""The pose pass in parallel time segments (pose/segments.py): every frame once and in order, the multi-person
probe obeyed across segments, errors and Ctrl-C propagated with every worker process stopped, frames not
accumulated. Fake estimators (no MediaPipe; picklable, as the workers build their own) keep these fast; one slow
test compares the real model against a single pass."""

from __future__ import annotations

import functools
import multiprocessing
import threading
import time
import weakref
from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import ModelError
from formcheck.pose.base import PoseDetection
from formcheck.pose.segments import default_pose_workers, pose_segments
from formcheck.video import VideoReader
from formcheck.video.writer import VideoWriter

N_FRAMES = 240
FPS = 30.0
PROBE = (30, 0.2, FPS)


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("segments") / "clip.mp4"
    rng = np.random.default_rng(0)
    with VideoWriter(str(path), 64, 48, FPS) as w:
        for i in range(N_FRAMES):
            w.write(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8), i / FPS)
    return path


class FakePose:
    """Deterministic 'landmarks' from the frame time; ``people`` persons (from ``multi_from_s``) when built for
    several poses."""

    made: list[FakePose] = []

    def __init__(
        self,
        num_poses: int,
        people: int = 1,
        fail_at_s: float | None = None,
        exc=None,
        delay_s: float = 0.0,
        multi_from_s: float = 0.0,
    ):
        self.num_poses = num_poses
        self.people = people if num_poses > 1 else 1
        self.multi_from_s = multi_from_s
        self.fail_at_s = fail_at_s
        self.exc = exc
        self.delay_s = delay_s
        self.name = "fake"
        self.closed = False
        FakePose.made.append(self)

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        if self.fail_at_s is not None and time_s >= self.fail_at_s:
            raise self.exc
        if self.delay_s:
            time.sleep(self.delay_s)
        _track_frame(rgb)
        out = []
        for p in range(self.people if time_s >= self.multi_from_s else 1):
            xy = np.column_stack([np.full(33, 100.0 + 300 * p + time_s), np.arange(33.0) * 5 + 50])
            out.append(PoseDetection(xy_px=xy, visibility=np.full(33, 0.9)))
        return out

    def close(self) -> None:
        self.closed = True


_LIVE = {"now": 0, "max": 0}
_LOCK = threading.Lock()


def _track_frame(rgb: np.ndarray) -> None:
    """Count the decoded frames alive at once (a frame is released when the reader moves on)."""
    with _LOCK:
        _LIVE["now"] += 1
        _LIVE["max"] = max(_LIVE["max"], _LIVE["now"])

    def gone() -> None:
        with _LOCK:
            _LIVE["now"] -= 1

    weakref.finalize(rgb, gone)


def fake(**kw) -> functools.partial:
    return functools.partial(FakePose, **kw)


def _run(clip: Path, workers: int, make, probe=PROBE, multi=None):
    with VideoReader(str(clip)) as reader:
        return pose_segments(reader, make, workers=workers, multi_poses=3, probe=probe, multi=multi)


def _workers_alive() -> list[str]:
    return [p.name for p in multiprocessing.active_children() if p.name.startswith("formcheck-pose")]


def test_segments_give_every_frame_once_in_order(clip: Path) -> None:
    one = _run(clip, 1, fake())
    two = _run(clip, 2, fake())
    assert len(one.times) == len(two.times) == N_FRAMES
    assert np.array_equal(one.times, two.times)
    assert np.all(np.diff(two.times) > 0)
    for a, b in zip(one.detections, two.detections, strict=True):
        assert len(a) == len(b) == 1
        assert np.array_equal(a[0].xy_px, b[0].xy_px)
    assert two.name == "fake"


def test_single_person_probe_lets_later_segments_keep_one_pose(clip: Path) -> None:
    FakePose.made.clear()
    run = _run(clip, 2, fake(people=2, multi_from_s=99.0))
    assert [len(d) for d in run.detections] == [1] * N_FRAMES
    assert sum(e.num_poses > 1 for e in FakePose.made) == 1  # in this process: only the probe
    assert all(e.closed for e in FakePose.made)


def test_multi_person_probe_makes_later_segments_pose_again(clip: Path) -> None:
    FakePose.made.clear()
    run = _run(clip, 2, fake(people=2, delay_s=0.002))
    # The probe saw two people: the whole clip is posed with several poses, as a single pass does (the worker
    # guessed one pose and started again).
    assert [len(d) for d in run.detections] == [2] * N_FRAMES
    assert np.allclose(run.times, np.arange(N_FRAMES) / FPS, atol=1e-4)
    assert all(e.closed for e in FakePose.made)


def test_person_requested_poses_every_segment_with_several(clip: Path) -> None:
    run = _run(clip, 2, fake(people=2), probe=None, multi=True)
    assert [len(d) for d in run.detections] == [2] * N_FRAMES


@pytest.mark.parametrize("fail_at_s", [2.0, 6.0], ids=["this-process", "worker-process"])
def test_an_error_in_any_segment_propagates_unchanged(clip: Path, fail_at_s: float) -> None:
    FakePose.made.clear()
    err = ModelError("the model broke: pass a PoseLandmarker .task bundle")
    with pytest.raises(ModelError, match="the model broke: pass a PoseLandmarker .task bundle"):
        _run(clip, 2, fake(fail_at_s=fail_at_s, exc=err))
    assert not _workers_alive()
    assert all(e.closed for e in FakePose.made)


def test_keyboard_interrupt_stops_every_thread(clip: Path) -> None:
    FakePose.made.clear()
    t0 = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        _run(clip, 2, fake(fail_at_s=1.5, exc=KeyboardInterrupt(), delay_s=0.05))
    assert time.perf_counter() - t0 < 8.0  # the worker (~5 s of frames left) was stopped, not waited for
    assert not _workers_alive()
    assert all(e.closed for e in FakePose.made)


def test_frames_do_not_accumulate(clip: Path) -> None:
    _LIVE.update(now=0, max=0)
    _run(clip, 2, fake())
    assert (
        _LIVE["max"] <= 2
    )  # one frame in flight in this process (workers send landmarks only), never the clip


def test_default_pose_workers_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMCHECK_POSE_WORKERS", "1")
    assert default_pose_workers() == 1
    monkeypatch.setenv("FORMCHECK_POSE_WORKERS", "many")
    assert default_pose_workers() >= 1
    monkeypatch.setenv("FORMCHECK_POSE_WORKERS", "2")
    assert default_pose_workers() == 2
    monkeypatch.delenv("FORMCHECK_POSE_WORKERS")
    assert default_pose_workers() == 1  # opt-in: results must not depend on the number of cores


@pytest.mark.slow
def test_segmented_pose_matches_a_single_pass_on_a_rendered_runner(tmp_path: Path) -> None:
    from formcheck.config import AnalysisSettings
    from formcheck.pipeline import estimate_landmarks
    from formcheck.skeleton import INDEX
    from formcheck.synth.clip import render_clip
    from formcheck.synth.params import RunnerParams

    clip = tmp_path / "runner.mp4"
    render_clip(RunnerParams(short_side_px=360, duration_s=8.0), clip)
    one, _, _ = estimate_landmarks(clip, AnalysisSettings(), pose_workers=1)
    two, _, _ = estimate_landmarks(clip, AnalysisSettings(), pose_workers=2)
    assert one.n_frames == two.n_frames
    assert np.array_equal(one.time_s, two.time_s)
    hip, ankle = one.xy_px[:, INDEX["left_hip"]], one.xy_px[:, INDEX["left_ankle"]]
    leg = float(np.nanmedian(np.linalg.norm(hip - ankle, axis=1)))
    diff = np.linalg.norm(one.xy_px - two.xy_px, axis=2) / leg
    # MediaPipe's tracking restarts at the join: frames after it move slightly (on a real clip: median 0.8% of
    # leg length, 95th percentile 5%), frames before it are identical.
    assert np.nanmedian(diff) < 0.02
    assert np.nanpercentile(diff, 95) < 0.08
    assert np.array_equal(np.isnan(one.xy_px), np.isnan(two.xy_px))
