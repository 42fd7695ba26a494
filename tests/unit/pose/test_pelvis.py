"""The pelvis line from the picture (formcheck.pose.pelvis) and its use by pelvic_tilt_deg, without the pose model."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from formcheck.config import AnalysisSettings, PelvisSettings
from formcheck.gait.frontal import pelvis_reading_time_s
from formcheck.pose.pelvis import load_pelvis, save_pelvis, waist_line_tilt_deg
from formcheck.skeleton import INDEX, N_LANDMARKS
from formcheck.synth.params import RunnerParams
from formcheck.trajectory_analysis import analyze_trajectories
from tests.fixtures.synthetic import synthetic_trajectories


def _figure(tilt_deg: float, hip_w: float = 60.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A torso (blue) over shorts (black), the boundary tilted by ``tilt_deg`` (+ = image-right lower); the hip
    landmarks level, the arms far out to the sides."""
    h, w = 480, 640
    cx, hip_y = 320.0, 300.0
    rgb = np.full((h, w, 3), (120, 160, 120), np.uint8)
    body = np.zeros((h, w), np.uint8)
    x0, x1 = int(cx - 1.3 * hip_w), int(cx + 1.3 * hip_w)
    cv2.rectangle(body, (x0, 100), (x1, 420), 1, -1)
    yy, xx = np.mgrid[0:h, 0:w]
    waist_y = hip_y - 0.8 * hip_w + (xx - cx) * math.tan(math.radians(tilt_deg))
    rgb[(body > 0) & (yy < waist_y)] = (40, 90, 180)
    rgb[(body > 0) & (yy >= waist_y)] = (30, 30, 40)
    xy = np.full((N_LANDMARKS, 2), np.nan)
    xy[INDEX["left_hip"]] = (cx - hip_w / 2, hip_y)
    xy[INDEX["right_hip"]] = (cx + hip_w / 2, hip_y)
    for side, sx in (("left", -1), ("right", 1)):
        for name, y in (("shoulder", 140), ("elbow", 220), ("wrist", 280), ("index", 300)):
            xy[INDEX[f"{side}_{name}"]] = (cx + sx * 3.0 * hip_w, y)
    return rgb, body.astype(np.float32), xy


@pytest.mark.parametrize("tilt", [-12.0, -5.0, 0.0, 3.0, 9.0, 15.0])
def test_waist_line_angle_from_a_drawn_figure(tilt):
    rgb, mask, xy = _figure(tilt)
    assert waist_line_tilt_deg(rgb, mask, xy, PelvisSettings()) == pytest.approx(tilt, abs=0.7)


def test_arm_across_the_waist_is_erased():
    rgb, mask, xy = _figure(6.0)
    # a forearm drawn steeply across the waist band, with its landmarks where it is drawn
    a, b = (290, 200), (340, 310)
    cv2.line(rgb, a, b, (220, 170, 135), 14)
    xy[INDEX["left_elbow"]], xy[INDEX["left_wrist"]], xy[INDEX["left_index"]] = a, b, b
    assert waist_line_tilt_deg(rgb, mask, xy, PelvisSettings()) == pytest.approx(6.0, abs=1.5)


def test_no_line_without_hips_or_edges():
    rgb, mask, xy = _figure(0.0)
    xy[INDEX["left_hip"]] = np.nan
    assert math.isnan(waist_line_tilt_deg(rgb, mask, xy, PelvisSettings()))
    rgb, mask, xy = _figure(0.0)
    rgb[:] = 128  # a uniform picture has no edge
    assert math.isnan(waist_line_tilt_deg(rgb, mask, xy, PelvisSettings()))


def test_pelvis_file_roundtrip(tmp_path):
    lines = {0.2282: 8.1, 0.5817: -7.4}
    save_pelvis(tmp_path / "pelvis.json", lines)
    assert load_pelvis(tmp_path / "pelvis.json") == lines
    assert load_pelvis(tmp_path / "missing.json") is None
    (tmp_path / "bad.json").write_text('{"format": "other"}')
    assert load_pelvis(tmp_path / "bad.json") is None


@pytest.mark.parametrize("keys", ["frames", "midstance"])
@pytest.mark.parametrize("view", ["rear", "front"])
def test_metric_uses_image_evidence_with_the_stance_side_sign(view, keys):
    """Evidence = the true image tilt of the drawn hips: the metric must return the true drop from it, signed per
    stance side, and keep the landmark value in extra. Keyed by the frames the pipeline reads now (from behind the
    frame at or before the lowest hip) or, as in a folder analysed before, by the midstance itself."""
    traj, _ = synthetic_trajectories(RunnerParams(view=view, pelvic_drop_deg=9.0, duration_s=4.0))
    base = analyze_trajectories(traj, AnalysisSettings())
    evidence = {}
    for st in base.events.valid_steps:
        # the times the pipeline measures (the stance middle in front)
        t = pelvis_reading_time_s(st, view, traj.time_s if keys == "frames" else None)
        k = traj.frame_index_at(t)
        lh, rh = traj.xy_px[k, INDEX["left_hip"]], traj.xy_px[k, INDEX["right_hip"]]
        a, b = (lh, rh) if lh[0] < rh[0] else (rh, lh)
        evidence[t] = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
    a = analyze_trajectories(traj, AnalysisSettings(), pelvis_evidence=evidence)
    m = a.metrics["pelvic_tilt_deg"]
    assert m.extra["source"] == "image" and base.metrics["pelvic_tilt_deg"].extra["source"] == "hip_landmarks"
    assert m.value == pytest.approx(9.0, abs=1.5)
    assert m.per_side["left"] == pytest.approx(9.0, abs=1.5) and m.per_side["right"] == pytest.approx(
        9.0, abs=1.5
    )
    assert m.extra["hip_landmarks_value"] == base.metrics["pelvic_tilt_deg"].value
    assert "from the picture" in m.note
    # the same numbers with the opposite sign read as the opposite drop
    b = analyze_trajectories(traj, AnalysisSettings(), pelvis_evidence={t: -v for t, v in evidence.items()})
    assert b.metrics["pelvic_tilt_deg"].value == pytest.approx(-9.0, abs=1.5)


def test_nearest_frames_streams_the_nearest_frame_per_time():
    """Each wanted time gets its nearest frame within the gap, and is yielded before the rest of the clip is read
    (frames are not all held: a long rear clip has thousands of midstances)."""
    from formcheck.pose.pelvis import nearest_frames

    read: list[float] = []

    def frames():
        for k in range(300):  # 10 s at 30 fps
            t = k / 30.0
            read.append(t)
            yield t, np.full((2, 2, 3), k, np.int32)

    wanted = [0.51, 1.0, 5.0, 9.99, 20.0]  # 20 s is beyond the clip: no frame
    got = []
    for t, rgb in nearest_frames(frames(), wanted, max_gap_s=0.05):
        got.append((t, int(rgb[0, 0, 0]), len(read)))
    assert [(t, k) for t, k, _ in got] == [(0.51, 15), (1.0, 30), (5.0, 150), (9.99, 300 - 1)]
    assert got[0][2] <= 18  # 0.51 s came out about 0.05 s later, not at the end of the clip
    assert got[2][2] <= 153


def test_nearest_frames_skips_times_without_a_near_frame():
    from formcheck.pose.pelvis import nearest_frames

    frames = [(0.0, np.zeros((1, 1, 3), np.uint8)), (1.0, np.ones((1, 1, 3), np.uint8))]
    assert [t for t, _ in nearest_frames(iter(frames), [0.5, 1.02], max_gap_s=0.05)] == [1.02]


def test_a_folder_analysed_before_keeps_its_rear_pelvis_lines():
    """pelvis.json written before the rear view read the frame at or before the lowest hip holds the line at the
    midstance itself, 0.9 frame after the frame read now (beyond the 20 ms lookup): the metric still finds it
    there, and a line stored at the frame read now wins."""
    import types

    from formcheck.metrics.context import MetricContext
    from formcheck.metrics.frontal import image_pelvis_line
    from formcheck.model import Step

    frames = np.arange(90) / 30.0
    step = Step(side="left", contact_s=1.0, toe_off_s=1.2, midstance_s=1.13 + 0.9 / 30.0)
    t_read = pelvis_reading_time_s(step, "rear", frames)
    assert step.midstance_s - t_read > 0.02

    def context(lines: dict[float, float]) -> types.SimpleNamespace:
        ns = types.SimpleNamespace(pelvis_line_deg=lines)
        ns.pelvis_line_at = lambda t, tol_s=0.02: MetricContext.pelvis_line_at(ns, t, tol_s)
        return ns

    assert image_pelvis_line(context({step.midstance_s: 6.5}), step, t_read) == 6.5
    assert image_pelvis_line(context({t_read: 8.0, step.midstance_s: 6.5}), step, t_read) == 8.0
    assert image_pelvis_line(context({}), step, t_read) is None
