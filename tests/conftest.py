"""Shared test set-up: the repo root on sys.path (for tests.fixtures), markers, and the real-clips folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

SHARED_CLIPS = REPO_ROOT.parent / "shared" / "clips"


@pytest.fixture(scope="session")
def shared_clips() -> Path:
    """../shared/clips relative to the project root; tests that need it skip when it is absent."""
    if not SHARED_CLIPS.is_dir() or not any(SHARED_CLIPS.glob("*.mp4")):
        pytest.skip("../shared/clips is not present")
    return SHARED_CLIPS


@pytest.fixture(autouse=True)
def _own_data_home(tmp_path_factory, monkeypatch) -> None:
    """``formcheck analyze`` records clips in the user's history database: tests keep theirs in a tmp folder,
    never in the real home."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
