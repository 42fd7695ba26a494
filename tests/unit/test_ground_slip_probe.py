"""benchmarks/ground_slip_probe.py: the ground's shift between two frames, the measurement docs/contacts.md
("The blind labels' misses") rests on, against a known shift."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.ground_slip_probe import ground_shift  # noqa: E402


def _textured(width: int, height: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.random((height, width)) * 255).astype(np.float32)


def test_ground_shift_finds_a_known_shift_beside_the_feet() -> None:
    ground = _textured(700, 200, 1)
    prev = ground[:, 50:650].copy()
    cur = ground[:, 33:633].copy()  # the camera follows the runner: the ground moves 17 px to the right
    # The feet (x 0-300) are painted over in both frames differently: only the strip clear of them may count.
    prev[:, :300] = 0.0
    cur[:, :300] = 255.0
    shift, score, x0 = ground_shift(prev, cur, (20, 180), busy=(0.0, 300.0))
    assert shift == 17
    assert score > 0.99
    assert x0 > 300


def test_ground_shift_uses_the_strip_given_and_refuses_when_none_is_clear() -> None:
    ground = _textured(700, 200, 2)
    prev, cur = ground[:, 100:700].copy(), ground[:, 60:660].copy()  # 40 px to the right
    assert ground_shift(prev, cur, (0, 200), busy=(0.0, 0.0), strip=400)[0] == 40
    assert ground_shift(prev, cur, (0, 200), busy=(-10.0, 610.0)) is None
