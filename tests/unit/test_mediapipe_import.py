"""formcheck imports MediaPipe without its drawing modules (and so without matplotlib), which still work on use."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("mediapipe")


def _run(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_import_defers_the_drawing_modules_and_they_still_work():
    out = _run(
        """
        import sys
        from formcheck.pose.mediapipe_import import import_mediapipe
        mp = import_mediapipe()
        print("before", "matplotlib" in sys.modules)
        from mediapipe.tasks.python import vision
        print("tasks", vision.PoseLandmarker.__name__, mp.Image.__name__)
        print("spec", mp.solutions.drawing_utils.DrawingSpec(color=(1, 2, 3)).color)
        print("style", len(mp.solutions.drawing_styles.get_default_pose_landmarks_style()))
        from mediapipe.python.solutions.drawing_utils import draw_landmarks
        print("after", "matplotlib" in sys.modules, draw_landmarks.__name__)
        """
    )
    assert "before False" in out
    assert "tasks PoseLandmarker Image" in out
    assert "spec (1, 2, 3)" in out
    assert "style 33" in out
    assert "after True draw_landmarks" in out


def test_a_second_call_and_an_earlier_plain_import_are_fine():
    out = _run(
        """
        import mediapipe
        from formcheck.pose.mediapipe_import import import_mediapipe
        assert import_mediapipe() is mediapipe is import_mediapipe()
        print(mediapipe.solutions.drawing_utils.DrawingSpec.__name__)
        """
    )
    assert out.strip() == "DrawingSpec"
