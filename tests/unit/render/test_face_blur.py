"""--blur-faces: the head box from landmarks (known geometry, missing landmarks), the blur (known answers on a
synthetic frame), the head followed over a clip (gaps interpolated, a lost head over-covered), and the annotated
video and key frames drawn with it (the head region changes, the legs do not)."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from formcheck.render.face_blur import (
    BOX_PER_HEAD,
    CENTRE_UP_PER_HEAD,
    HEAD_PER_EAR_TO_EAR,
    HEAD_PER_FACE_SPREAD,
    HEAD_PER_TRUNK,
    MISSING_GROW_PER_S,
    MISSING_WIDEN,
    NO_FACE_WARNING,
    HeadTrack,
    blur_box,
    body_head_box,
    head_box,
    head_found,
)
from formcheck.skeleton import INDEX, N_LANDMARKS


def _frontal_pose(cx: float = 300.0, eye_y: float = 200.0, ear_to_ear: float = 60.0) -> np.ndarray:
    """A runner facing the camera: face landmarks symmetric about ``cx``, shoulders 120 px apart 80 px below the
    eyes, hips 200 px below the shoulders (trunk 200 px)."""
    xy = np.full((N_LANDMARKS, 2), np.nan)
    half = ear_to_ear / 2
    face = {
        "nose": (0, 12),
        "left_eye_inner": (8, 0),
        "left_eye": (14, 0),
        "left_eye_outer": (20, 0),
        "right_eye_inner": (-8, 0),
        "right_eye": (-14, 0),
        "right_eye_outer": (-20, 0),
        "left_ear": (half, 4),
        "right_ear": (-half, 4),
        "mouth_left": (10, 26),
        "mouth_right": (-10, 26),
    }
    for name, (dx, dy) in face.items():
        xy[INDEX[name]] = (cx + dx, eye_y + dy)
    xy[INDEX["left_shoulder"]] = (cx + 60, eye_y + 80)
    xy[INDEX["right_shoulder"]] = (cx - 60, eye_y + 80)
    xy[INDEX["left_hip"]] = (cx + 40, eye_y + 280)
    xy[INDEX["right_hip"]] = (cx - 40, eye_y + 280)
    return xy


def test_head_box_known_geometry_frontal():
    xy = _frontal_pose(ear_to_ear=100.0)
    box = head_box(xy)
    # The ears (100 px apart) give a head of 150 px and, as the face landmarks' widest spread, 160 px: the largest
    # (the trunk, 200 px, gives 90; the shoulders, 120 px, 60).
    head = max(HEAD_PER_EAR_TO_EAR, HEAD_PER_FACE_SPREAD) * 100.0
    assert head > HEAD_PER_TRUNK * 200.0
    face = xy[:11]
    cx, cy = face.mean(axis=0)
    half = 0.5 * BOX_PER_HEAD * head
    expected = [
        cx - half,
        cy - CENTRE_UP_PER_HEAD * head - half,
        cx + half,
        cy - CENTRE_UP_PER_HEAD * head + half,
    ]
    np.testing.assert_allclose(box, expected)
    # The whole face lies inside, with room for the crown above the eyes and the chin below the mouth.
    assert box[0] < face[:, 0].min() and box[2] > face[:, 0].max()
    assert box[1] < 200.0 - 0.5 * head and box[3] > 226.0 + 0.2 * head


def test_head_box_side_view_is_sized_from_the_trunk():
    """From the side the ears overlap and the shoulders are one point: the trunk sets the size."""
    xy = _frontal_pose(ear_to_ear=60.0)
    xy[INDEX["left_ear"]] = xy[INDEX["right_ear"]] = (290.0, 204.0)
    xy[INDEX["left_shoulder"]] = xy[INDEX["right_shoulder"]] = (300.0, 280.0)
    xy[INDEX["left_hip"]] = xy[INDEX["right_hip"]] = (300.0, 480.0)
    box = head_box(xy)
    size = box[2] - box[0]
    assert size == pytest.approx(BOX_PER_HEAD * HEAD_PER_TRUNK * 200.0)
    assert box[3] - box[1] == pytest.approx(size)


def test_head_box_missing_landmarks():
    xy = _frontal_pose()
    no_face = xy.copy()
    no_face[:11] = np.nan
    assert head_box(no_face) is None  # no face landmark: no box (the track decides what to do)
    assert head_box(np.full((N_LANDMARKS, 2), np.nan)) is None
    nose_only = np.full((N_LANDMARKS, 2), np.nan)
    nose_only[INDEX["nose"]] = (100.0, 50.0)
    assert head_box(nose_only) is None  # one point and nothing to size it by
    nose_and_body = nose_only.copy()
    for name in ("left_shoulder", "right_shoulder", "left_hip", "right_hip"):
        nose_and_body[INDEX[name]] = xy[INDEX[name]]
    box = head_box(nose_and_body)
    assert box is not None and box[0] < 100.0 < box[2] and box[1] < 50.0 < box[3]
    # The shoulders (120 px) and the trunk give the size: the larger one
    trunk = float(np.hypot(0.0, 200.0))
    assert box[2] - box[0] == pytest.approx(BOX_PER_HEAD * max(HEAD_PER_TRUNK * trunk, 0.130 / 0.259 * 120.0))


def _texture(h: int = 240, w: int = 320) -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.integers(0, 256, (h, w, 3), dtype=np.uint8)


def _high_frequency_energy(img: np.ndarray) -> float:
    return float(np.var(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.CV_64F)))


def test_blur_box_destroys_detail_inside_and_leaves_the_rest():
    frame = _texture()
    before = frame.copy()
    box = np.array([100.3, 40.0, 180.0, 130.6])
    out = blur_box(frame, box)
    x0, y0, x1, y1 = 100, 40, 180, 131
    inside_before, inside_after = before[y0:y1, x0:x1], out[y0:y1, x0:x1]
    assert _high_frequency_energy(inside_after) < 0.01 * _high_frequency_energy(inside_before)
    mask = np.ones(frame.shape[:2], bool)
    mask[y0:y1, x0:x1] = False
    np.testing.assert_array_equal(out[mask], before[mask])  # not one pixel outside the box changes
    # The blob keeps the region's average colour (what is left is colour, not features).
    assert np.abs(inside_after.mean(axis=(0, 1)) - inside_before.mean(axis=(0, 1))).max() < 6


def test_blur_box_edges_and_read_only_frames():
    frame = _texture()
    frame.flags.writeable = False
    out = blur_box(frame, np.array([-50.0, -50.0, 60.0, 60.0]))  # partly outside the frame: clipped
    assert out is not frame and out.flags.writeable
    np.testing.assert_array_equal(out[60:], frame[60:])
    assert _high_frequency_energy(out[:60, :60]) < 0.02 * _high_frequency_energy(frame[:60, :60])
    assert blur_box(frame, None) is frame
    assert blur_box(frame, np.array([400.0, 400.0, 500.0, 500.0])) is frame  # wholly outside: nothing to do


def _track_poses(n: int, fps: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """A frontal head moving right by 3 px per frame."""
    t = np.arange(n) / fps
    xy = np.stack([_frontal_pose(cx=200.0 + 3.0 * k) for k in range(n)])
    return xy, t


def test_head_track_interpolates_short_gaps_and_widens_for_a_lost_head():
    xy, t = _track_poses(60)
    xy[10:14, :11] = np.nan  # 4 frames, 0.13 s: interpolated
    xy[30:50, :11] = np.nan  # 20 frames, 0.67 s: too long
    track = HeadTrack.from_landmarks(xy, t)
    full = _track_poses(60)[0]
    for k in (11, 12):
        np.testing.assert_allclose(track.box_at(t[k]), head_box(full[k]), atol=1e-6)  # linear motion: exact
    # Frame 38 is 9 frames from frame 29, the nearest where the head was found (50 is 12 away): that box, widened.
    box29, box40 = head_box(full[29]), track.box_at(t[38])
    factor = MISSING_WIDEN + MISSING_GROW_PER_S * (t[38] - t[29])
    np.testing.assert_allclose(box40[2] - box40[0], factor * (box29[2] - box29[0]))
    np.testing.assert_allclose(0.5 * (box40[:2] + box40[2:]), 0.5 * (box29[:2] + box29[2:]))
    # The true head at frame 38 is inside the widened box.
    true40 = head_box(full[38])
    assert box40[0] <= true40[0] and box40[2] >= true40[2] and box40[1] <= true40[1] and box40[3] >= true40[3]
    # Before the first and after the last frame (outside the analysed range), the box keeps growing.
    before, later = track.box_at(-0.5), track.box_at(-1.0)
    assert later[2] - later[0] > before[2] - before[0] > head_box(full[0])[2] - head_box(full[0])[0]
    assert track.box_at(t[-1] + 2.0)[2] - track.box_at(t[-1] + 2.0)[0] > 9 * (true40[2] - true40[0])


def test_head_track_never_found():
    """Neither a face nor a trunk in any frame: no box, nothing blurred, and ``head_found`` says so."""
    xy, t = _track_poses(10)
    xy[:] = np.nan
    assert HeadTrack.from_landmarks(xy, t).box_at(0.1) is None
    assert head_found(xy) is False


def test_body_head_box_known_geometry():
    """Shoulders 120 px apart at y=280, hips at y=480 (trunk 200 px, upright): the head's centre 0.41 trunk
    lengths above the shoulders, sized from the trunk (larger than from the shoulders) and widened."""
    xy = _frontal_pose(cx=300.0, eye_y=200.0)
    xy[:11] = np.nan
    assert head_box(xy) is None
    box = body_head_box(xy)
    head = HEAD_PER_TRUNK * 200.0
    half = 0.5 * BOX_PER_HEAD * head * MISSING_WIDEN
    centre_y = 280.0 - (0.935 - 0.818) / 0.288 * 200.0  # 198.75: about eye level, as it should be
    np.testing.assert_allclose(box, [300.0 - half, centre_y - half, 300.0 + half, centre_y + half])
    # The real face of this pose (eyes at y=200, mouth at 226) is inside it.
    face = _frontal_pose(cx=300.0, eye_y=200.0)[:11]
    assert box[0] < face[:, 0].min() and box[2] > face[:, 0].max()
    assert box[1] < face[:, 1].min() - 0.5 * head and box[3] > face[:, 1].max()
    # A runner leaning forward (to +x): the head goes forward with the trunk.
    lean = xy.copy()
    lean[INDEX["left_shoulder"], 0] += 50.0
    lean[INDEX["right_shoulder"], 0] += 50.0
    assert 0.5 * (body_head_box(lean)[0] + body_head_box(lean)[2]) > 350.0
    one_hip = xy.copy()
    one_hip[INDEX["left_hip"]] = np.nan
    assert body_head_box(one_hip) is None


def test_head_track_without_a_face_in_any_frame_follows_the_trunk():
    """A pose model that gives no face landmarks (or a runner seen from behind): the head is still covered, placed
    from the trunk in every frame, and ``head_found`` is true; one face in the clip and the face wins."""
    xy, t = _track_poses(10)
    no_face = xy.copy()
    no_face[:, :11] = np.nan
    track = HeadTrack.from_landmarks(no_face, t)
    assert head_found(no_face) is True and len(track.time_s) == 10
    for k in (0, 5, 9):
        np.testing.assert_allclose(track.box_at(t[k]), body_head_box(no_face[k]))
        true = head_box(xy[k])  # the head the face landmarks would have given
        got = track.box_at(t[k])
        assert got[0] <= true[0] and got[2] >= true[2] and got[1] <= true[1] and got[3] >= true[3], k
    one_face = no_face.copy()
    one_face[4, :11] = xy[4, :11]
    assert len(HeadTrack.from_landmarks(one_face, t).time_s) == 1


def test_the_pipeline_records_whether_it_blurred():
    """--blur-faces with no head anywhere: faces_blurred false and the warning, never a claimed blur."""
    from formcheck.config import AnalysisSettings
    from formcheck.trajectory_analysis import _face_blur_check
    from tests.fixtures.fake_analysis import make_trajectories

    raw, _ = make_trajectories()
    blur = AnalysisSettings(blur_faces=True)
    assert _face_blur_check(raw, AnalysisSettings()) == (False, ())
    assert _face_blur_check(raw, blur) == (True, ())
    nothing = dataclasses.replace(raw, xy_px=np.full_like(raw.xy_px, np.nan))
    blurred, warning = _face_blur_check(nothing, blur)
    assert blurred is False and warning == (NO_FACE_WARNING,)
    assert warning[0].startswith("no face found to blur") and "\n" not in warning[0]


# --- drawn: the annotated video and key frames ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def textured_clip(tmp_path_factory):
    """The fake runner's analysis over a clip of random coloured squares (every region has detail to lose)."""
    from formcheck.video.writer import VideoWriter
    from tests.fixtures.fake_analysis import FPS, HEIGHT, WIDTH, make_fake_analysis

    out = tmp_path_factory.mktemp("blur")
    src = out / "input.mp4"
    rng = np.random.default_rng(3)
    n = 45
    tile = rng.integers(0, 256, (HEIGHT // 16, WIDTH // 16, 3), dtype=np.uint8)
    frame = np.kron(tile, np.ones((16, 16, 1), np.uint8))  # 16-px squares: detail the encoder keeps
    with VideoWriter(str(src), WIDTH, HEIGHT, FPS) as w:
        for i in range(n):
            w.write(frame, i / FPS)
    return make_fake_analysis(path=str(src), n_frames=n), out


def _frames(path) -> list[np.ndarray]:
    from formcheck.video.reader import VideoReader

    with VideoReader(str(path)) as r:
        return [f.rgb.copy() for f in r]


def test_blur_faces_changes_the_head_in_the_video_and_not_the_legs(textured_clip):
    from formcheck.render.video import render_annotated_video

    analysis, out = textured_clip
    blurred = dataclasses.replace(analysis, settings=dataclasses.replace(analysis.settings, blur_faces=True))
    plain_run = render_annotated_video(analysis, out / "plain.mp4", annotators=[])
    blur_run = render_annotated_video(blurred, out / "blurred.mp4", annotators=[])
    plain, blur = _frames(out / "plain.mp4"), _frames(out / "blurred.mp4")
    assert len(plain) == len(blur) == 45
    raw = analysis.raw
    for k in (0, 22, 44):
        box = head_box(raw.xy_px[k]).astype(int)
        x0, y0, x1, y1 = np.clip(box, 0, None)
        head_p, head_b = plain[k][y0:y1, x0:x1], blur[k][y0:y1, x0:x1]
        assert _high_frequency_energy(head_b) < 0.05 * _high_frequency_energy(head_p), k
        knee, ankle = raw.xy_px[k, INDEX["left_knee"]], raw.xy_px[k, INDEX["left_ankle"]]
        lx0, ly0 = np.minimum(knee, ankle).astype(int) - 20
        lx1, ly1 = np.maximum(knee, ankle).astype(int) + 20
        legs_p, legs_b = plain[k][ly0:ly1, lx0:lx1].astype(int), blur[k][ly0:ly1, lx0:lx1].astype(int)
        assert np.abs(legs_p - legs_b).mean() < 2.0, k  # the same picture, up to the encoder
        assert np.abs(head_p.astype(int) - head_b.astype(int)).mean() > 20.0, k
    # The key frames (and the frames cached for re-drawing them) are blurred too.
    assert len(blur_run.key_frames) == len(plain_run.key_frames) > 0
    for src_plain, src_blur in zip(plain_run.key_frame_sources, blur_run.key_frame_sources, strict=True):
        k = int(np.argmin(np.abs(raw.time_s - src_blur.file_time_s)))
        x0, y0, x1, y1 = np.clip(head_box(raw.xy_px[k]).astype(int), 0, None)
        assert _high_frequency_energy(src_blur.rgb[y0:y1, x0:x1]) < 0.05 * _high_frequency_energy(
            src_plain.rgb[y0:y1, x0:x1]
        )
    for kp, kb in zip(plain_run.key_frames, blur_run.key_frames, strict=True):
        assert kp.rgb.shape == kb.rgb.shape and not np.array_equal(kp.rgb, kb.rgb)
