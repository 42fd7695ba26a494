"""Pose estimation behind a small interface. Only this package imports mediapipe."""
