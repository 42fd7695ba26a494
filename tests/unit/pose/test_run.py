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
# The tests of the search for a lost runner: the second look at a small runner seen (every fake runner here is
# a few pixels tall) turned off.
SEARCH_ONLY = AnalysisSettings(pose=PoseSettings(zoom_refine_below_leg_px=0.0))
# The second look at a small runner seen, turned on (it is off by default: docs/small_runner.md).
SECOND_LOOK = AnalysisSettings(pose=PoseSettings(zoom_refine_below_leg_px=90.0))
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
        SEARCH_ONLY,
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
    assert np.isfinite(result.landmarks.xy_px[:, 0, 0]).all()
    # No whole-frame track: nothing for --person to name, and the note does not suggest it.
    assert result.track is None and result.tracks == ()
    (told,) = result.warnings
    assert told.startswith("runner not found in the whole frame: searched zoomed tiles (")
    assert "legs seen in 0% -> 100% of the frames" in told and "--person" not in told


def test_nobody_anywhere_leaves_the_clip_empty_and_the_search_backs_off(clip: Path) -> None:
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
    searches = len([*range(0, 30, 3), 30, 60])  # every 3rd frame for 1 s, then every 30th
    assert search.frames == searches * sum(len(level) for level in tile_levels(64, 48))


class Late(FakePose):
    """FakePose's person, but only from 1.9 s on (a sprinter entering a wide shot late)."""

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        return super().detect(rgb, time_s) if time_s >= 1.9 else []


def test_a_runner_entering_late_is_still_found(clip: Path) -> None:
    result = estimate_landmarks(
        clip,
        AnalysisSettings(),
        make_estimator=functools.partial(Nobody, made=[]),
        make_still_estimator=lambda: Late(1, []),
    )
    hips_x = result.landmarks.xy_px[:, 0, 0]
    assert np.isnan(hips_x[:60]).all()  # 1.9 s = frame 57; searches back off to once a second after 1 s
    assert np.isfinite(hips_x[60:]).all()  # found by the search at 2 s, then followed


def test_a_large_runner_in_frame_for_a_short_pass_costs_no_zoomed_search(clip: Path) -> None:
    class PassBy(FakePose):  # 33 px tall in a 48 px frame, there for the first third of the clip
        def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
            return super().detect(rgb, time_s) if time_s < 1.0 else []

    def still() -> FakePose:
        raise AssertionError("a runner large enough for the whole frame must not be searched for")

    result = estimate_landmarks(
        clip,
        SEARCH_ONLY,
        make_estimator=functools.partial(PassBy, made=[]),
        make_still_estimator=still,
    )
    assert (
        np.isfinite(result.landmarks.xy_px[:30, 0, 0]).all() and np.isnan(result.landmarks.xy_px[30:]).all()
    )


SCENE_W, SCENE_H = 480, 180


@pytest.fixture(scope="module")
def scene(tmp_path_factory) -> Path:
    """A small runner (red, 40 px: 22% of the frame's height) crossing right to left in the first 30 frames,
    then gone; a bystander (green) standing still at the left edge all along."""
    path = tmp_path_factory.mktemp("pose_run") / "scene.mp4"
    with VideoWriter(str(path), SCENE_W, SCENE_H, FPS) as w:
        for i in range(N_FRAMES):
            f = np.zeros((SCENE_H, SCENE_W, 3), np.uint8)
            if i < 30:
                x = 450 - 4 * i
                f[70:110, x : x + 12, 0] = 255
            f[70:110, 14:26, 1] = 255
            w.write(f, i / FPS)
    return path


class Colours:
    """Poses the red person (visibility 0.8); in IMAGE mode (the zoomed search's crops) the green one too, surer
    (0.95): a bystander only the zoomed crops see."""

    name = "colours"

    def __init__(self, crops: list[int] | None = None) -> None:
        self.crops = crops

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        if self.crops is not None:
            self.crops.append(1)
        out = _pose_at(rgb[..., 0] > 128, 0.8)
        return out + _pose_at(rgb[..., 1] > 128, 0.95) if self.crops is not None else out

    def close(self) -> None:
        pass


def _pose_at(mask: np.ndarray, visibility: float) -> list[PoseDetection]:
    ys, xs = np.nonzero(mask)
    if len(xs) < 20:
        return []
    xy = np.column_stack([np.full(33, xs.mean()), np.linspace(ys.min(), ys.max(), 33)])
    return [PoseDetection(xy_px=xy, visibility=np.full(33, visibility))]


def test_a_bystander_off_the_runner_s_path_never_replaces_the_small_runner(scene: Path) -> None:
    crops: list[int] = []
    result = estimate_landmarks(
        scene,
        SEARCH_ONLY,
        make_estimator=lambda n: Colours(),
        make_still_estimator=lambda: Colours(crops),
    )
    hips_x = result.landmarks.xy_px[:, 0, 0]
    np.testing.assert_allclose(hips_x[:30], 455.5 - 4 * np.arange(30), atol=1.0)  # the runner where seen
    assert np.isnan(hips_x[30:]).all()  # and never the bystander (x = 20) after they left
    assert result.track == 1
    assert not any("zoomed" in w for w in result.warnings)  # nobody found: nothing to tell
    # Only the 60 lost frames were posed: the crop following the runner, then tiles every 3rd frame for 1 s (10
    # searches), then once a second, until the budget of 4 crops a frame (360) is spent: the 11th search's
    # 180 px tiles fit in it, its 90 px tiles do not.
    coarse, fine = (len(level) for level in tile_levels(SCENE_W, SCENE_H))
    assert (coarse, fine) == (5, 30)
    assert len(crops) == 1 + 10 * (coarse + fine) + coarse <= 4 * N_FRAMES


class Hopping(FakePose):
    """One person a frame, however many poses are asked: the man (x ~120 px, frames of ``HOPS`` marked M) or the
    woman (x ~240 px), as the pose model did on overground_front_two_joggers."""

    hops = "MMMMMMwwwMMMwwMwwwwwwMMwMwwwwwwwwwww"

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        from tests.unit.pose.test_tracking import figure

        self.frames += 1
        i = round(time_s * FPS)  # the frame's number, also after the probe's estimator is replaced
        man = i < len(self.hops) and self.hops[i] == "M"
        return [figure(120, 100, 300, 64) if man else figure(240, 120, 280, 48)]


def test_a_pose_hopping_between_two_people_analyses_one_and_says_so(clip: Path) -> None:
    """The man's frames are left out of the woman's landmarks (they were mixed in: one track), and one line says
    the pose model jumped between two people; the man, seen too briefly, is not offered."""
    result = estimate_landmarks(clip, AnalysisSettings(), make_estimator=functools.partial(Hopping, made=[]))
    hip_x = result.landmarks.point("left_hip")[:, 0]
    woman = np.array(
        [i >= len(Hopping.hops) or c == "w" for i, c in enumerate(Hopping.hops.ljust(N_FRAMES, "w"))]
    )
    assert np.isnan(hip_x[~woman]).all() and np.isfinite(hip_x[woman]).all()
    assert hip_x[woman] == pytest.approx(240 + 0.6 * 24)
    (told,) = result.warnings
    assert told.startswith(
        "two or more people: the pose model saw one at a time and jumped between them 9 times between 0.2 and 0.8 s; "
    )
    assert f"analysed #{result.track} only" in told and "--person" not in told


def test_two_people_taking_turns_for_long_are_offered_with_person(clip: Path) -> None:
    class Halves(Hopping):
        hops = "MMMMMMMMMMwwwwwwwwwwMMMMMMMMMMwwwwwwwwwwMMMMMMMMMMwwwwwwwwwwMMMMMMMMMMwwwwwwwwwwwwwwwwwwww"

    result = estimate_landmarks(clip, AnalysisSettings(), make_estimator=functools.partial(Halves, made=[]))
    assert len(result.tracks) == 2
    (told,) = result.warnings
    assert "jumped between them 7 times" in told and "pass --person N to analyse another (#" in told
    chosen_x = result.landmarks.point("left_hip")[:, 0]
    assert set(np.unique(chosen_x[np.isfinite(chosen_x)]).round(1)) == {240 + 0.6 * 24}


class Truer:
    """Poses the red person like ``Colours`` but with the feet (ankles, heels, toes) 3 px lower, the close crop's
    truer feet, and the arms (shoulders to hands) 5 px to the right. Counts its calls in ``crops``."""

    name = "truer"

    def __init__(self, crops: list[int]) -> None:
        self.crops = crops

    def detect(self, rgb: np.ndarray, time_s: float) -> list[PoseDetection]:
        self.crops.append(1)
        out = _pose_at(rgb[..., 0] > 128, 0.8)
        for det in out:
            det.xy_px[27:, 1] += 3.0
            det.xy_px[11:23, 0] += 5.0
        return out

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def standing(tmp_path_factory) -> Path:
    """A small runner (red, 40 px) in every frame at x = 200-212 of a 480x180 frame."""
    path = tmp_path_factory.mktemp("pose_run") / "standing.mp4"
    with VideoWriter(str(path), SCENE_W, SCENE_H, FPS) as w:
        for i in range(N_FRAMES):
            f = np.zeros((SCENE_H, SCENE_W, 3), np.uint8)
            f[70:110, 200:212, 0] = 255
            w.write(f, i / FPS)
    return path


def test_a_small_runner_seen_in_every_frame_is_posed_again_closer_and_told(standing: Path) -> None:
    whole = estimate_landmarks(
        standing, SEARCH_ONLY, make_estimator=lambda n: Colours(), make_still_estimator=lambda: Truer([])
    )
    assert whole.warnings == ()  # legs seen in every frame and 40 px is 22% of 180: no search
    assert (
        estimate_landmarks(
            standing,
            AnalysisSettings(),
            make_estimator=lambda n: Colours(),
            make_still_estimator=lambda: Truer([]),
        ).warnings
        == ()
    )  # off by default
    crops: list[int] = []
    closer = estimate_landmarks(
        standing,
        SECOND_LOOK,
        make_estimator=lambda n: Colours(),
        make_still_estimator=lambda: Truer(crops),
    )
    assert len(crops) == N_FRAMES  # one close crop a frame, no tiles
    np.testing.assert_allclose(
        closer.landmarks.xy_px[:, 27:, 1], whole.landmarks.xy_px[:, 27:, 1] + 3.0, atol=0.01
    )
    # The legs (hips to toes) are the close crop's; the trunk and arms stay the whole-frame pass's.
    np.testing.assert_allclose(closer.landmarks.xy_px[:, :27], whole.landmarks.xy_px[:, :27], atol=0.01)
    np.testing.assert_allclose(
        closer.landmarks.xy_px[:, 11:23, 0], whole.landmarks.xy_px[:, 11:23, 0], atol=0.01
    )
    (told,) = closer.warnings
    assert told.startswith(
        "runner small in the frame (legs under 90 px): 90 of 90 frames posed again on a closer crop (90 crops "
    ), told
    assert "tiles" not in told  # nobody was lost: no tile was searched
    assert told.endswith("s); filming closer gives surer feet")


@pytest.fixture(scope="module")
def leaving(tmp_path_factory) -> Path:
    """The small runner of ``standing`` for the first 60 frames, then an empty frame."""
    path = tmp_path_factory.mktemp("pose_run") / "leaving.mp4"
    with VideoWriter(str(path), SCENE_W, SCENE_H, FPS) as w:
        for i in range(N_FRAMES):
            f = np.zeros((SCENE_H, SCENE_W, 3), np.uint8)
            if i < 60:
                f[70:110, 200:212, 0] = 255
            w.write(f, i / FPS)
    return path


def test_the_second_look_decodes_no_further_than_its_last_frame(leaving: Path) -> None:
    # Seen in 67% of the frames and 22% of the frame's height: no search for the lost runner; the second look's
    # last frame is 59, so the second decode stops there and the bar jumps to the end.
    crops: list[int] = []
    calls: list[tuple[int, int]] = []
    result = estimate_landmarks(
        leaving,
        SECOND_LOOK,
        make_estimator=lambda n: Colours(),
        make_still_estimator=lambda: Truer(crops),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert len(crops) == 60
    second = [d for d, _ in calls[N_FRAMES:]]
    assert second == [*range(1, 61), N_FRAMES]
    assert np.isfinite(result.landmarks.xy_px[:60]).all() and np.isnan(result.landmarks.xy_px[60:]).all()
    (told,) = result.warnings
    assert told.startswith(
        "runner small in the frame (legs under 90 px): 60 of 90 frames posed again on a closer"
    )
