"""What a person looks like: the colour of their top, to tell two people apart when the pose model hops between
them (docs/tracking.md, "Appearance").

``torso_colour`` is a colour histogram (OpenCV ``calcHist``) of the torso: the quadrilateral of the shoulders and
hips, shrunk towards its centre so that background at its edges and the arms swinging across it weigh little. Hue
and saturation of the coloured pixels, not their brightness (a person running from shade into light keeps their
colours), and the brightness of the grey ones (a black top and a white one differ only there). It is computed in
the pose pass, where the frame is at hand (frames are never stored), on a crop around the torso only, sampled down
when large: 0.24-0.48 ms a person (median, measured on 768x432 to 1080x1920 clips). ``colour_distance`` is the
Bhattacharyya distance between two of them (OpenCV ``compareHist``): 0 the same colours, 1 nothing in common.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import cv2
import numpy as np

from formcheck.pose.base import PoseDetection
from formcheck.skeleton import INDEX

# Coloured pixels (saturation and value both at least ``CHROMATIC_MIN`` of 255) go to a hue x saturation histogram
# (hue in 8 bins of 45 degrees: OpenCV's hue runs 0-180); the others (grey, black, white, whose hue is noise) to a
# histogram of brightness. Measured on the three clips with two or more people (docs/tracking.md): a grey top and
# a pale pink one are 0.76 apart or more (1st percentile); without the grey bins a dark top's own colour wandered
# to 0.47 from itself (median, walking_multi_person_control), 0.38 with them (H).
HUE_BINS, SATURATION_BINS, VALUE_BINS = 8, 4, 8
CHROMATIC_MIN = 40
# The torso quadrilateral is shrunk to this share of its size around its centre: the shoulder and hip landmarks
# sit on the body's edge (H).
TORSO_SHRINK = 0.7
MAX_SAMPLED_PIXELS = 10_000  # a larger crop is sampled down to about this many pixels (cost, H)
MIN_PIXELS = 30  # fewer torso pixels than this (a person seen edge-on, far away) describe nobody (H)

_CORNERS = [INDEX[n] for n in ("left_shoulder", "right_shoulder", "right_hip", "left_hip")]


def torso_colour(
    rgb: np.ndarray, xy_px: np.ndarray, visibility: np.ndarray, visibility_min: float
) -> np.ndarray | None:
    """The normalised colour histogram (float32, ``HUE_BINS * SATURATION_BINS`` coloured then ``VALUE_BINS`` grey
    bins, summing to 1) of the torso of the person whose landmarks are ``xy_px`` in the (H, W, 3) uint8 RGB frame
    ``rgb``; None when a shoulder or hip is missing or less than ``visibility_min`` visible, or the torso covers
    fewer than ``MIN_PIXELS`` pixels (of the sampled crop)."""
    corners = xy_px[_CORNERS]
    if not np.isfinite(corners).all() or (visibility[_CORNERS] < visibility_min).any():
        return None
    centre = corners.mean(axis=0)
    quad = centre + (corners - centre) * TORSO_SHRINK
    height, width = rgb.shape[:2]
    x0, y0 = np.clip(np.floor(quad.min(axis=0)).astype(int), 0, [width, height])
    x1, y1 = np.clip(np.ceil(quad.max(axis=0)).astype(int) + 1, 0, [width, height])
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    # A large torso (a close portrait clip) is sampled every ``step`` pixels: a histogram needs no more.
    step = max(1, int(np.sqrt((x1 - x0) * (y1 - y0) / MAX_SAMPLED_PIXELS)))
    hsv = cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1:step, x0:x1:step]), cv2.COLOR_RGB2HSV)
    mask = np.zeros(hsv.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.round((quad - (x0, y0)) / step).astype(np.int32), 255)
    if cv2.countNonZero(mask) < MIN_PIXELS:
        return None
    coloured = cv2.inRange(hsv, (0, CHROMATIC_MIN, CHROMATIC_MIN), (180, 255, 255))
    hue_saturation = cv2.calcHist(
        [hsv],
        [0, 1],
        cv2.bitwise_and(mask, coloured),
        [HUE_BINS, SATURATION_BINS],
        [0, 180, CHROMATIC_MIN, 256],
    )
    grey = cv2.calcHist([hsv], [2], cv2.bitwise_and(mask, cv2.bitwise_not(coloured)), [VALUE_BINS], [0, 256])
    hist = np.concatenate([hue_saturation.ravel(), grey.ravel()])
    return hist / hist.sum()


def colour_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Bhattacharyya distance between two ``torso_colour`` histograms: 0 the same colours, 1 none shared."""
    return float(cv2.compareHist(a.astype(np.float32), b.astype(np.float32), cv2.HISTCMP_BHATTACHARYYA))


def with_torso_colours(
    detections: Sequence[PoseDetection], rgb: np.ndarray, visibility_min: float
) -> list[PoseDetection]:
    """``detections`` of the frame ``rgb``, each with its ``torso_colour`` as its ``appearance``."""
    return [
        dataclasses.replace(d, appearance=torso_colour(rgb, d.xy_px, d.visibility, visibility_min))
        for d in detections
    ]


# The hue bins' colour names (8 bins of 45 degrees from red) and the grey bins' (dark to light thirds). A pale red
# or orange (most of it in the lowest saturation bin) is pink: the pink top of overground_front_two_joggers.
_HUE_NAMES = ("red-orange", "yellow", "green", "green", "cyan", "blue", "purple", "pink-red")
_GREY_NAMES = ("black", "grey", "white")


def colour_name(hist: np.ndarray) -> str:
    """A word for a ``torso_colour`` histogram, for people to tell who is who ('grey', 'pink', 'blue'): the grey
    name (by mean brightness) when most pixels are grey, else the hue with the most pixels, 'pale' when most of
    them are barely coloured."""
    coloured = hist[: HUE_BINS * SATURATION_BINS].reshape(HUE_BINS, SATURATION_BINS)
    grey = hist[HUE_BINS * SATURATION_BINS :]
    if grey.sum() >= coloured.sum():
        brightness = float(np.dot(grey, np.arange(VALUE_BINS) + 0.5) / (grey.sum() * VALUE_BINS))
        return _GREY_NAMES[min(int(brightness * 3), 2)]
    hue = int(np.argmax(coloured.sum(axis=1)))
    if coloured[hue, 0] * 2 < coloured[hue].sum():
        return _HUE_NAMES[hue]
    return "pink" if hue in (0, HUE_BINS - 1) else f"pale {_HUE_NAMES[hue]}"
