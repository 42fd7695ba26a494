"""Plane geometry shared by events, metrics, annotators and plots (formcheck/geometry.py)."""

from __future__ import annotations

import numpy as np

from formcheck.geometry import angle_from_vertical_down_deg, angle_from_vertical_up_deg, joint_angle_deg


def test_joint_angle_deg_straight_right_and_folded() -> None:
    b = np.zeros((3, 2))
    a = np.array([[0.0, -1.0], [0.0, -1.0], [0.0, -1.0]])
    c = np.array([[0.0, 2.0], [3.0, 0.0], [0.0, -5.0]])
    np.testing.assert_allclose(joint_angle_deg(a, b, c), [180.0, 90.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(joint_angle_deg([1.0, 0.0], [0.0, 0.0], [1.0, 1.0]), 45.0)


def test_joint_angle_deg_is_exact_near_straight_and_nan_where_missing() -> None:
    a, b = np.array([-1.0, 0.0]), np.zeros(2)
    c = np.array([1.0, 1e-6])  # 1e-6 rad off straight: arccos of the cosine would round it to 180
    assert abs(180.0 - joint_angle_deg(a, b, c) - np.degrees(1e-6)) < 1e-9
    assert np.isnan(joint_angle_deg(np.array([np.nan, 0.0]), b, c))


def test_angles_from_vertical_in_image_coordinates() -> None:
    # y points down: a vector pointing up and to the right leans forward for a runner moving right.
    v = np.array([1.0, -1.0])
    assert angle_from_vertical_up_deg(v, 1.0) == 45.0 and angle_from_vertical_up_deg(v, -1.0) == -45.0
    assert angle_from_vertical_down_deg(np.array([1.0, 1.0]), 1.0) == 45.0
