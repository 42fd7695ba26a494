"""Model resolution (cache folder, names, error paths) and the MediaPipe backend's conversions, without inference."""

from __future__ import annotations

import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from formcheck.errors import ModelError
from formcheck.pose.mediapipe_backend import MediaPipePose
from formcheck.pose.models import (
    CACHED_BUNDLE_NAME,
    cache_dir,
    default_bundle_path,
    model_name_for,
    resolve_model,
)


def test_cache_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FORMCHECK_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert cache_dir() == tmp_path / "home" / ".cache" / "formcheck"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "formcheck"
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "fc"))
    assert cache_dir() == tmp_path / "fc"
    assert default_bundle_path() == tmp_path / "fc" / "models" / CACHED_BUNDLE_NAME


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pose_landmarker_lite.task", "blazepose-lite"),
        ("pose_landmarker_full.task", "blazepose-full"),
        ("Pose_Landmarker_HEAVY.task", "blazepose-heavy"),
        ("my_model.task", "my_model"),
        ("fullbody_v2.task", "fullbody_v2"),  # 'full' inside a word does not count
    ],
)
def test_model_name_from_file_name(name: str, expected: str) -> None:
    assert model_name_for(Path(name)) == expected


def _one_line(e: pytest.ExceptionInfo) -> str:
    msg = str(e.value)
    assert "\n" not in msg and len(msg) < 300
    return msg


def test_missing_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as e:
        resolve_model(str(tmp_path / "nope.task"))
    assert "does not exist" in _one_line(e)


def test_folder_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as e:
        resolve_model(str(tmp_path))
    assert "not a file" in _one_line(e)


def test_non_zip_model(tmp_path: Path) -> None:
    p = tmp_path / "pose.task"
    p.write_text("not a model")
    with pytest.raises(ModelError) as e:
        resolve_model(str(p))
    assert "not a .task bundle" in _one_line(e)


def test_bare_tflite_is_explained(tmp_path: Path) -> None:
    p = tmp_path / "pose_landmark_full.tflite"
    p.write_bytes(b"\x1c\x00\x00\x00TFL3" + b"\x00" * 100)
    with pytest.raises(ModelError) as e:
        resolve_model(str(p))
    assert "bare .tflite" in _one_line(e)


def test_zip_without_pose_networks(tmp_path: Path) -> None:
    p = tmp_path / "other.task"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hand_detector.tflite", b"x")
    with pytest.raises(ModelError) as e:
        resolve_model(str(p))
    assert "pose_detector.tflite" in _one_line(e)


def test_bundle_that_fails_to_load(tmp_path: Path) -> None:
    p = tmp_path / "broken_full.task"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("pose_detector.tflite", b"garbage" * 10)
        z.writestr("pose_landmarks_detector.tflite", b"junk" * 10)
    with pytest.raises(ModelError) as e:
        resolve_model(str(p))
    assert "cannot load" in _one_line(e) or "can load" in str(e.value)


# ---------------------------------------------------------------- backend conversions (fake landmarker)


def _bare_backend(result: SimpleNamespace) -> MediaPipePose:
    """A MediaPipePose whose landmarker is a stub returning ``result``; records the timestamps it was given."""
    import mediapipe as mp

    est = MediaPipePose.__new__(MediaPipePose)
    est.name = "test"
    est._mp = mp
    est._last_ms = -1
    est._closed = False
    est._quiet_until_found = False
    calls: list[int] = []

    def detect_for_video(image, ms):
        calls.append(ms)
        return result

    est._landmarker = SimpleNamespace(detect_for_video=detect_for_video, close=lambda: None)
    est.calls = calls  # type: ignore[attr-defined]
    return est


def _pose(
    cx: float, cy: float, half: float, vis: float = 0.9, presence: float = 0.95
) -> list[SimpleNamespace]:
    rng = np.random.default_rng(0)
    pts = rng.uniform(-1, 1, (33, 2))
    pts[0] = (-1, -1)
    pts[1] = (1, 1)  # the box spans exactly 2*half
    return [
        SimpleNamespace(x=cx + half * px, y=cy + half * py, z=0.0, visibility=vis, presence=presence)
        for px, py in pts
    ]


def test_detect_converts_to_pixels_and_sorts_largest_first() -> None:
    small, big = _pose(0.3, 0.5, 0.05), _pose(0.6, 0.5, 0.2, vis=0.99, presence=0.4)
    world = [[SimpleNamespace(x=i, y=-i, z=0.5) for i in range(33)] for _ in range(2)]
    est = _bare_backend(SimpleNamespace(pose_landmarks=[small, big], pose_world_landmarks=world))
    rgb = np.zeros((200, 100, 3), np.uint8)  # W=100, H=200: x and y scale differently
    dets = est.detect(rgb, 0.0)
    assert len(dets) == 2
    first, second = dets
    assert first.xy_px[0] == pytest.approx([(0.6 - 0.2) * 100, (0.5 - 0.2) * 200])
    assert second.xy_px[1] == pytest.approx([(0.3 + 0.05) * 100, (0.5 + 0.05) * 200])
    assert first.visibility == pytest.approx(np.full(33, 0.4))  # min(visibility, presence)
    assert second.visibility == pytest.approx(np.full(33, 0.9))
    assert first.world_xyz.shape == (33, 3) and first.world_xyz[5] == pytest.approx([5, -5, 0.5])


def test_detect_with_nobody() -> None:
    est = _bare_backend(SimpleNamespace(pose_landmarks=[], pose_world_landmarks=[]))
    assert est.detect(np.zeros((10, 10, 3), np.uint8), 0.0) == []


def test_timestamps_strictly_increasing_in_ms() -> None:
    est = _bare_backend(SimpleNamespace(pose_landmarks=[], pose_world_landmarks=[]))
    rgb = np.zeros((10, 10, 3), np.uint8)
    for t in [0.0, 0.0002, 0.0333, 0.0334, 0.0667, 1.0]:
        est.detect(rgb, t)
    assert est.calls == [0, 1, 33, 34, 67, 1000]  # type: ignore[attr-defined]
    assert all(b > a for a, b in zip(est.calls, est.calls[1:], strict=False))  # type: ignore[attr-defined]


def test_detect_rejects_non_rgb() -> None:
    est = _bare_backend(SimpleNamespace(pose_landmarks=[], pose_world_landmarks=[]))
    with pytest.raises(ValueError, match="uint8"):
        est.detect(np.zeros((10, 10), np.uint8), 0.0)
    with pytest.raises(ValueError, match="uint8"):
        est.detect(np.zeros((10, 10, 3), np.float32), 0.1)
