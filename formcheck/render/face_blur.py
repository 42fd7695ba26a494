"""``--blur-faces``: hide the runner's head in every picture formcheck writes (annotated video, key frames, the
single-file report), so a clip can be shared without showing who it is.

Two pure functions do the work: ``head_box`` (one frame's landmarks -> a square box around the head, from
BlazePose's face landmarks 0-10 and the body's proportions) and ``blur_box`` (frame + box -> the frame with the box
made unrecognisable). ``HeadTrack`` follows the head over the clip: short gaps in the landmarks are interpolated;
a frame where the head is not known gets the nearest known box, widened the longer the head has been unseen, so a
lost head is over-covered rather than shown. A clip where no face landmark is ever found (a pose model that gives
none, a runner seen from behind) has its head placed from the trunk instead (``body_head_box``); a clip where not
even the trunk is found is not blurred, and says so (``NO_FACE_WARNING``): formcheck never claims a blur it did
not draw.

Sizes come from body proportions (Winter, Biomechanics and Motor Control of Human Movement, 4th ed. 2009, Fig. 4.1,
fractions of standing height H): head, chin to crown, 0.130 H; shoulder width 0.259 H; trunk, shoulder to greater
trochanter, 0.818 - 0.530 = 0.288 H. Head breadth is about two thirds of head height (adult anthropometry, e.g.
ANSUR II: breadth ~15.5 cm, height ~23 cm), and BlazePose's ear landmarks sit at the sides of the head.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.skeleton import INDEX

FACE_LANDMARKS = tuple(range(11))  # BlazePose 0-10: nose, eyes (inner, centre, outer), ears, mouth corners

# Head height per unit of each body measure (Winter 2009 proportions, see the module docstring).
HEAD_PER_EAR_TO_EAR = 1.5  # 0.130 H / head breadth (~2/3 of the height)
HEAD_PER_SHOULDER_WIDTH = 0.130 / 0.259
HEAD_PER_TRUNK = 0.130 / 0.288
HEAD_PER_FACE_SPREAD = 1.6
# Without the face: the head's centre (mid chin-to-crown, (0.870 + 1.000) / 2 H) lies (0.935 - 0.818) / 0.288 =
# 0.41 trunk lengths beyond the shoulders along the hip-to-shoulder line (Winter 2009 proportions).
HEAD_CENTRE_ABOVE_SHOULDERS_PER_TRUNK = (
    0.935 - 0.818
) / 0.288  # the face landmarks (ear to nose, eye to mouth) span about 60% of the head
# The box is this many head heights on a side: the face landmarks' centre sits near eye level, about half a head
# below the crown and half above the chin, and the mean of the points leans toward the nose (formcheck margin, H).
BOX_PER_HEAD = 1.7
CENTRE_UP_PER_HEAD = 0.1  # the box centre is raised by this much of a head height: the crown, not the neck
# A head unseen for a moment: gaps up to this long are interpolated between the boxes on either side (H: a
# couple of frames of a missed detection at 30 fps, up to a quarter of a stride).
MAX_INTERPOLATED_GAP_S = 0.25
# A head unseen for longer (or before the first / after the last frame it was found in) keeps its last known box,
# widened by this factor, and by this many box sizes per second unseen: a running head moves a few head heights
# per second in a fixed camera's picture (H), so after a second or two unseen the whole frame is covered.
MISSING_WIDEN = 1.5
MISSING_GROW_PER_S = 4.0
NO_FACE_WARNING = (
    "no face found to blur: the runner's head was not found in any frame, so --blur-faces blurred nothing; "
    "do not share this clip's video or report as anonymous"
)
# The box is shrunk to this many pixels across and scaled back up: what is left is the average colour of patches
# a sixth of the box wide, so the face itself spans two or three of them. Mosaics of about 14 cells across a face
# are still recognised by machine (16-pixel windows on 224-pixel faces: McPherson, Shokri and Shmatikov 2016,
# "Defeating image obfuscation with deep learning", arXiv:1609.00408); this is five times coarser.
BLUR_CELLS = 6


def head_box(xy_px: np.ndarray) -> np.ndarray | None:
    """One frame's head box, ``[x0, y0, x1, y1]`` in pixels (image coordinates, y down; not clipped to the frame),
    from the (33, 2) landmarks; None when no face landmark is known. The size is the largest of the head height
    estimated from the ear-to-ear distance, the shoulder width, the trunk length and the face landmarks' spread,
    so that whichever view the camera has (side, rear, front), the one measure that is not foreshortened wins."""
    xy = np.asarray(xy_px, dtype=float)
    face = xy[list(FACE_LANDMARKS)]
    face = face[np.all(np.isfinite(face), axis=1)]
    if len(face) == 0:
        return None
    estimates = [0.0]

    def dist(a: str, b: str) -> float:
        d = xy[INDEX[a]] - xy[INDEX[b]]
        return float(np.hypot(*d)) if np.all(np.isfinite(d)) else 0.0

    estimates.append(HEAD_PER_EAR_TO_EAR * dist("left_ear", "right_ear"))
    estimates.append(HEAD_PER_SHOULDER_WIDTH * dist("left_shoulder", "right_shoulder"))
    shoulders = 0.5 * (xy[INDEX["left_shoulder"]] + xy[INDEX["right_shoulder"]])
    hips = 0.5 * (xy[INDEX["left_hip"]] + xy[INDEX["right_hip"]])
    if np.all(np.isfinite(shoulders)) and np.all(np.isfinite(hips)):
        estimates.append(HEAD_PER_TRUNK * float(np.hypot(*(shoulders - hips))))
    if len(face) > 1:
        estimates.append(HEAD_PER_FACE_SPREAD * float(np.max(np.ptp(face, axis=0))))
    head = max(estimates)
    if not head > 0:
        return None
    cx, cy = face.mean(axis=0)
    cy -= CENTRE_UP_PER_HEAD * head
    half = 0.5 * BOX_PER_HEAD * head
    return np.array([cx - half, cy - half, cx + half, cy + half])


def body_head_box(xy_px: np.ndarray) -> np.ndarray | None:
    """One frame's head box placed from the trunk alone, for a clip whose face landmarks are never found: beyond
    the shoulders' midpoint along the hip-to-shoulder line, sized from the trunk and shoulder width as
    ``head_box`` sizes it, and widened by ``MISSING_WIDEN`` (the head is inferred, not seen). None without both
    shoulders and both hips."""
    xy = np.asarray(xy_px, dtype=float)
    shoulders = xy[[INDEX["left_shoulder"], INDEX["right_shoulder"]]]
    hips = xy[[INDEX["left_hip"], INDEX["right_hip"]]]
    if not (np.all(np.isfinite(shoulders)) and np.all(np.isfinite(hips))):
        return None
    s_mid, h_mid = shoulders.mean(axis=0), hips.mean(axis=0)
    trunk = float(np.hypot(*(s_mid - h_mid)))
    if not trunk > 0:
        return None
    head = max(
        HEAD_PER_TRUNK * trunk, HEAD_PER_SHOULDER_WIDTH * float(np.hypot(*(shoulders[0] - shoulders[1])))
    )
    cx, cy = s_mid + (s_mid - h_mid) / trunk * HEAD_CENTRE_ABOVE_SHOULDERS_PER_TRUNK * trunk
    half = 0.5 * BOX_PER_HEAD * head * MISSING_WIDEN
    return np.array([cx - half, cy - half, cx + half, cy + half])


def head_found(xy_px: np.ndarray) -> bool:
    """True when ``HeadTrack.from_landmarks`` places the head in at least one frame of the (T, 33, 2) landmarks:
    a face, or else a trunk, is found somewhere; False means nothing would be blurred."""
    frames = np.asarray(xy_px, dtype=float)
    return any(head_box(f) is not None for f in frames) or any(body_head_box(f) is not None for f in frames)


def blur_box(frame: np.ndarray, box: np.ndarray | None) -> np.ndarray:
    """``frame`` (H, W, 3 uint8) with the part inside ``box`` (x0, y0, x1, y1 px, clipped to the frame) replaced by
    a smooth blob of its own average colours (shrunk to ``BLUR_CELLS`` across, scaled back up); pixels outside the
    box are not touched. Writes in place when ``frame`` is writable, else into a copy; returns the frame."""
    if box is None:
        return frame
    h, w = frame.shape[:2]
    x0, y0 = max(0, int(np.floor(box[0]))), max(0, int(np.floor(box[1])))
    x1, y1 = min(w, int(np.ceil(box[2]))), min(h, int(np.ceil(box[3])))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return frame
    out = frame if frame.flags.writeable else frame.copy()
    roi = out[y0:y1, x0:x1]
    side = max(x1 - x0, y1 - y0)
    cells_x = max(1, round(BLUR_CELLS * (x1 - x0) / side))
    cells_y = max(1, round(BLUR_CELLS * (y1 - y0) / side))
    small = cv2.resize(roi, (cells_x, cells_y), interpolation=cv2.INTER_AREA)
    out[y0:y1, x0:x1] = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
    return out


@dataclass(frozen=True)
class HeadTrack:
    """The head's box over a clip: ``time_s`` (N,) the frames where it is known (found, or interpolated across a
    short gap) and ``boxes`` (N, 4) there. ``box_at`` gives the box for any time."""

    time_s: np.ndarray
    boxes: np.ndarray
    frame_dt_s: float

    @classmethod
    def from_landmarks(
        cls, xy_px: np.ndarray, time_s: np.ndarray, max_gap_s: float = MAX_INTERPOLATED_GAP_S
    ) -> HeadTrack:
        """Follow the head through (T, 33, 2) landmarks at ``time_s`` (T,) seconds: a box per frame where the face
        is found (where it never is, where the trunk is: ``body_head_box``), gaps up to ``max_gap_s`` filled by
        linear interpolation of the boxes on either side."""
        t = np.asarray(time_s, dtype=float)
        dt = float(np.median(np.diff(t))) if len(t) > 1 else 1.0 / 30
        frames = np.asarray(xy_px, dtype=float)
        found = [head_box(frame) for frame in frames]
        if all(b is None for b in found):
            found = [body_head_box(frame) for frame in frames]
        known = np.array([b is not None for b in found], dtype=bool)
        boxes = np.array([b if b is not None else np.full(4, np.nan) for b in found]).reshape(-1, 4)
        if known.sum() >= 2:
            idx = np.flatnonzero(known)
            for a, b in zip(idx[:-1], idx[1:], strict=True):
                if b - a > 1 and t[b] - t[a] <= max_gap_s + 1e-9:
                    f = ((t[a + 1 : b] - t[a]) / (t[b] - t[a]))[:, None]
                    boxes[a + 1 : b] = (1 - f) * boxes[a] + f * boxes[b]
                    known[a + 1 : b] = True
        return cls(t[known], boxes[known], dt)

    def box_at(self, t: float) -> np.ndarray | None:
        """The head box at motion time ``t``: the known box of that frame; otherwise the nearest known box widened
        by ``MISSING_WIDEN`` and ``MISSING_GROW_PER_S`` per second unseen; None when the head was never found."""
        n = len(self.time_s)
        if n == 0:
            return None
        j = int(np.searchsorted(self.time_s, t))
        k = min((c for c in (j - 1, j) if 0 <= c < n), key=lambda c: abs(self.time_s[c] - t))
        unseen_s = abs(float(self.time_s[k]) - t)
        box = self.boxes[k]
        if unseen_s <= 0.5 * self.frame_dt_s + 1e-6:
            return box.copy()
        return widened(box, MISSING_WIDEN + MISSING_GROW_PER_S * unseen_s)


def widened(box: np.ndarray, factor: float) -> np.ndarray:
    """``box`` scaled by ``factor`` about its centre."""
    c = 0.5 * (box[:2] + box[2:])
    half = 0.5 * (box[2:] - box[:2]) * factor
    return np.concatenate([c - half, c + half])
