"""BlazePose's 33 landmarks: names, indices, left/right pairs and drawing edges.

The order is MediaPipe's (``mediapipe.solutions.pose.PoseLandmark``); arrays of shape (T, 33, ...) use it.
"""

from __future__ import annotations

LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
N_LANDMARKS = len(LANDMARK_NAMES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}

SIDES: tuple[str, str] = ("left", "right")


def idx(name: str) -> int:
    """Index of a landmark by name, e.g. ``idx("left_heel") == 29``."""
    try:
        return INDEX[name]
    except KeyError:
        raise KeyError(f"unknown landmark {name!r}; expected one of {', '.join(LANDMARK_NAMES)}") from None


def side_idx(side: str, part: str) -> int:
    """Index of a sided landmark, e.g. ``side_idx("left", "knee")``."""
    return idx(f"{side}_{part}")


def other_side(side: str) -> str:
    return "right" if side == "left" else "left"


# Each leg's chain, hip to toe: the unit the left/right swap repair reassigns as a whole.
LEG_PARTS: tuple[str, ...] = ("hip", "knee", "ankle", "heel", "foot_index")
ARM_PARTS: tuple[str, ...] = ("shoulder", "elbow", "wrist", "pinky", "index", "thumb")
LEFT_LEG: tuple[int, ...] = tuple(side_idx("left", p) for p in LEG_PARTS)
RIGHT_LEG: tuple[int, ...] = tuple(side_idx("right", p) for p in LEG_PARTS)

# Mirror map: the index each landmark takes when the image is flipped left-right.
MIRROR: tuple[int, ...] = tuple(
    INDEX[n.replace("left_", "TMP_").replace("right_", "left_").replace("TMP_", "right_")]
    for n in LANDMARK_NAMES
)

# Drawing edges (pairs of landmark names), grouped so a renderer can colour left and right apart.
EDGES_CENTRE: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
)
EDGES_LEFT: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "left_elbow"),
    ("left_elbow", "left_wrist"),
    ("left_shoulder", "left_hip"),
    ("left_hip", "left_knee"),
    ("left_knee", "left_ankle"),
    ("left_ankle", "left_heel"),
    ("left_heel", "left_foot_index"),
    ("left_ankle", "left_foot_index"),
)
EDGES_RIGHT: tuple[tuple[str, str], ...] = tuple(
    (a.replace("left_", "right_"), b.replace("left_", "right_")) for a, b in EDGES_LEFT
)
