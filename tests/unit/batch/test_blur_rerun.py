"""``batch --blur-faces`` over clips analysed before without it analyses them again (their pictures show the face);
clips already blurred, or a batch without the option, are skipped as up to date."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import formcheck.batch as batch
from formcheck.config import AnalysisSettings, settings_to_dict
from formcheck.pipeline import sha256_file


@pytest.fixture
def clip_folder(tmp_path: Path) -> Path:
    from formcheck.video.writer import VideoWriter

    folder = tmp_path / "clips"
    folder.mkdir()
    with VideoWriter(str(folder / "run.mp4"), 64, 64, 30.0) as w:
        for i in range(5):
            w.write(np.full((64, 64, 3), 40 * i, np.uint8), i / 30.0)
    return folder


def _todo(monkeypatch, folder: Path, out: Path, blur: bool) -> list[str]:
    """The clips a batch would hand to its workers (the workers themselves are not run; no video asked, so a
    clip folder without annotated.mp4 can be up to date)."""
    handed: list[str] = []
    monkeypatch.setattr(batch, "run_local", lambda todo, *a, **k: handed.extend(j.rel for j in todo))
    batch.analyze_folder(folder, out, AnalysisSettings(blur_faces=blur, write_video=False), workers=1)
    return handed


def _analysed(folder: Path, out: Path, blur: bool) -> None:
    clip_dir = out / "run"
    clip_dir.mkdir(parents=True, exist_ok=True)
    doc = {
        "input": {"sha256": sha256_file(folder / "run.mp4")},
        "metrics": {},
        "settings": settings_to_dict(AnalysisSettings(blur_faces=blur)),
    }
    (clip_dir / "analysis.json").write_text(json.dumps(doc), encoding="utf-8")
    (clip_dir / ".formcheck").write_text("", encoding="utf-8")


def test_blur_faces_reanalyses_clips_analysed_without_it(clip_folder, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert _todo(monkeypatch, clip_folder, out, blur=False) == ["run.mp4"]  # never analysed
    _analysed(clip_folder, out, blur=False)
    assert _todo(monkeypatch, clip_folder, out, blur=False) == []  # up to date
    assert _todo(monkeypatch, clip_folder, out, blur=True) == ["run.mp4"]  # shows the face: again
    _analysed(clip_folder, out, blur=True)
    assert _todo(monkeypatch, clip_folder, out, blur=True) == []
    assert _todo(monkeypatch, clip_folder, out, blur=False) == []  # blurred already: nothing to hide
