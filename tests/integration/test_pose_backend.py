"""The default pose model, built from the mediapipe wheel, finds the runner in a real treadmill clip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import ModelError
from formcheck.pose import MediaPipePose, open_estimator, resolve_model
from formcheck.pose.models import CACHED_BUNDLE_NAME, DEFAULT_MODEL_NAME, build_default_bundle
from formcheck.skeleton import INDEX
from formcheck.video import VideoReader

REPO = Path(__file__).resolve().parents[2]
CLIPS = REPO.parent / "shared" / "clips"
GARAGE = CLIPS / "treadmill_side_garage_30fps.mp4"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("FORMCHECK_CACHE_DIR", str(cache))
    try:
        path, name = resolve_model(None)
        assert name == DEFAULT_MODEL_NAME
        assert path == cache / "models" / CACHED_BUNDLE_NAME
        assert path.is_file() and path.stat().st_size > 1_000_000
        assert [p.name for p in path.parent.iterdir()] == [CACHED_BUNDLE_NAME]  # no temporary left
        mtime = path.stat().st_mtime_ns
        assert resolve_model(None)[0] == path and path.stat().st_mtime_ns == mtime  # reused, not rebuilt
    finally:
        mp.undo()
    return path


def test_user_bundle_resolves_with_its_name(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pose_landmarker_heavy.task"
    copy.write_bytes(bundle.read_bytes())
    assert resolve_model(str(copy)) == (copy, "blazepose-heavy")


def test_force_rebuild_replaces_atomically(bundle: Path, tmp_path: Path) -> None:
    out = build_default_bundle(tmp_path / "b.task", force=True)
    assert out == tmp_path / "b.task" and out.stat().st_size == pytest.approx(bundle.stat().st_size, rel=0.01)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.task"]


def test_truncated_bundle_is_rejected(bundle: Path, tmp_path: Path) -> None:
    bad = tmp_path / "pose_landmarker_full.task"
    bad.write_bytes(bundle.read_bytes()[:500_000])
    with pytest.raises(ModelError):
        resolve_model(str(bad))


@pytest.mark.realclips
@pytest.mark.skipif(not GARAGE.is_file(), reason="../shared/clips is not available")
def test_detects_the_runner_on_a_real_clip(bundle: Path) -> None:
    hips = [INDEX["left_hip"], INDEX["right_hip"]]
    results = []
    with VideoReader(str(GARAGE), end_s=1.0) as reader, MediaPipePose(bundle, DEFAULT_MODEL_NAME) as est:
        w, h = reader.info.width, reader.info.height
        for frame in reader:
            if frame.index % 3:
                continue
            dets = est.detect(frame.rgb, frame.time_s)
            results.append(dets)
    assert len(results) >= 10
    assert all(len(d) == 1 for d in results)  # one runner, every frame
    for dets in results:
        d = dets[0]
        assert d.xy_px.shape == (33, 2) and d.visibility.shape == (33,)
        assert np.all((d.visibility >= 0) & (d.visibility <= 1))
        xy = d.xy_px[hips + [INDEX["left_shoulder"], INDEX["right_shoulder"], INDEX["nose"]]]
        assert np.all((xy[:, 0] >= 0) & (xy[:, 0] < w) & (xy[:, 1] >= 0) & (xy[:, 1] < h))
        assert np.all(d.visibility[hips] > 0.8)
        # upright runner: head above the hips above the ankles (y down)
        assert d.xy_px[INDEX["nose"], 1] < d.xy_px[hips, 1].mean() < d.xy_px[INDEX["left_ankle"], 1]
        assert d.world_xyz is not None and d.world_xyz.shape == (33, 3)
        assert np.abs(d.world_xyz[hips].mean(axis=0)).max() < 0.1  # world origin is the hip centre


@pytest.mark.realclips
@pytest.mark.skipif(not GARAGE.is_file(), reason="../shared/clips is not available")
def test_open_estimator_tolerates_repeated_timestamps(bundle: Path) -> None:
    with VideoReader(str(GARAGE), end_s=0.2) as reader:
        frame = next(iter(reader))
    with MediaPipePose(bundle, DEFAULT_MODEL_NAME) as est:
        a = est.detect(frame.rgb, 0.5)
        b = est.detect(frame.rgb, 0.5)  # same time twice: bumped by 1 ms, not a MediaPipe error
    assert a and b
    torso = [INDEX[n] for n in ("left_hip", "right_hip", "left_shoulder", "right_shoulder")]
    assert np.abs(a[0].xy_px[torso] - b[0].xy_px[torso]).max() < 5.0  # the second pass refines from tracking
    assert callable(open_estimator)


def test_two_processes_building_at_once(tmp_path: Path) -> None:
    env = {**os.environ, "FORMCHECK_CACHE_DIR": str(tmp_path)}
    code = "from formcheck.pose.models import resolve_model; print(resolve_model(None)[0])"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err.decode()[-500:] for _, err in outs]
    bundle = tmp_path / "models" / CACHED_BUNDLE_NAME
    assert {out.decode().strip() for out, _ in outs} == {str(bundle)}
    assert [p.name for p in bundle.parent.iterdir()] == [bundle.name]  # no temporary file left behind
    assert resolve_model(str(bundle))[1] == "blazepose-full"
