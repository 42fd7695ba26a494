"""Each command writes only into its own kind of folder: a clip folder (``.formcheck``), a two-view session
(``.formcheck-session``) or a compare folder (``.formcheck-compare``); each refuses the others' in one line, and
batch's discovery never takes a session or compare folder's files for clips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from formcheck.compare.run import COMPARE_MARKER_TEXT, check_compare_dir
from formcheck.errors import OutputError
from formcheck.outputs import (
    CLIP,
    COMPARE,
    COMPARE_MARKER,
    MARKER,
    SESSION,
    SESSION_MARKER,
    check_clip_dir,
    clean_stale_partials,
    folder_kind,
    is_output_folder,
    write_folder,
)
from formcheck.session import check_session_dir


def _folder(root: Path, kind: str) -> Path:
    """A folder as each command leaves it (the files that say what it is)."""
    f = root / kind
    f.mkdir()
    files = {
        "clip": (MARKER, "analysis.json", "landmarks.npz", "report.html"),
        "legacy_clip": ("analysis.json", "landmarks.npz"),
        "session": (SESSION_MARKER, "session.json", "report.html"),
        "compare": (COMPARE_MARKER, "compare.json", "compare.mp4", "report.html"),
        "legacy_compare": (MARKER, "compare.json", "compare.mp4", "report.html"),  # before its own marker
        "theirs": ("notes.txt",),
    }[kind]
    for name in files:
        (f / name).write_text("x", encoding="utf-8")
    return f


@pytest.mark.parametrize(
    "kind,expected",
    [
        ("clip", CLIP),
        ("legacy_clip", CLIP),
        ("session", SESSION),
        ("compare", COMPARE),
        ("legacy_compare", COMPARE),
        ("theirs", None),
    ],
)
def test_folder_kind(tmp_path, kind, expected):
    f = _folder(tmp_path, kind)
    assert folder_kind(f) == expected
    assert is_output_folder(f) is (expected is not None)


def _refused(check, folder: Path) -> str:
    with pytest.raises(OutputError) as e:
        check(folder)
    line = str(e.value)
    assert "\n" not in line and "choose another folder with -o" in line
    return line


@pytest.mark.parametrize("kind", ["session", "compare", "legacy_compare"])
def test_analyze_refuses_a_session_or_compare_folder(tmp_path, kind):
    line = _refused(check_clip_dir, _folder(tmp_path, kind))
    assert f"is a {'two-view session' if kind == 'session' else 'compare'} folder" in line
    assert "not a clip folder" in line


@pytest.mark.parametrize("kind", ["clip", "legacy_clip", "session", "theirs"])
def test_compare_refuses_any_folder_but_its_own(tmp_path, kind):
    line = _refused(check_compare_dir, _folder(tmp_path, kind))
    words = {
        "clip": "is a clip folder",
        "legacy_clip": "is a clip folder",
        "session": "is a two-view session",
    }
    assert words.get(kind, "not written by formcheck compare") in line


@pytest.mark.parametrize("kind", ["compare", "legacy_compare"])
def test_compare_writes_its_own_folder_an_empty_or_a_new_one(tmp_path, kind):
    check_compare_dir(_folder(tmp_path, kind))
    check_compare_dir(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_compare_dir(tmp_path / "empty")


@pytest.mark.parametrize("kind", ["clip", "compare"])
def test_a_session_refuses_a_clip_or_compare_folder(tmp_path, kind):
    line = _refused(check_session_dir, _folder(tmp_path, kind))
    assert "not a two-view session folder" in line


def test_reanalyze_refuses_a_compare_folder_before_reading_it(tmp_path):
    from formcheck.pipeline import reanalyze

    with pytest.raises(OutputError, match="is a compare folder .*not a clip folder: give a clip folder"):
        reanalyze(_folder(tmp_path, "compare"))


def test_write_folder_over_an_old_compare_folder_takes_its_own_marker(tmp_path):
    """An old compare folder (clip marker) written again: compare's marker in, the clip marker out (so analyze
    no longer takes it for a clip folder), a file formcheck did not write left alone, the last file last."""
    f = _folder(tmp_path, "legacy_compare")
    (f / "notes.txt").write_text("mine", encoding="utf-8")
    order: list[str] = []

    def write(tmp: Path) -> str:
        for name in ("report.html", "compare.json"):
            (tmp / name).write_text("new " + name, encoding="utf-8")
        return "done"

    real_replace = os.replace

    def spy(src, dst):
        order.append(Path(dst).name)
        real_replace(src, dst)

    mp = pytest.MonkeyPatch()
    mp.setattr(os, "replace", spy)
    try:
        own = (COMPARE_MARKER, "compare.mp4", "report.html", "compare.json", MARKER)
        result = write_folder(f, write, COMPARE_MARKER, COMPARE_MARKER_TEXT, own, last="compare.json")
    finally:
        mp.undo()
    assert result == "done" and order[-1] == "compare.json"
    assert sorted(p.name for p in f.iterdir()) == [COMPARE_MARKER, "compare.json", "notes.txt", "report.html"]
    assert folder_kind(f) == COMPARE and (f / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir() if ".partial-" in p.name] == []


def test_write_folder_turns_an_os_error_into_one_line_and_leaves_nothing(tmp_path):
    final = tmp_path / "compare-a-vs-b"

    def write(tmp: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="the disk is full"):
        write_folder(final, write, COMPARE_MARKER, COMPARE_MARKER_TEXT, (), last="compare.json")
    assert list(tmp_path.iterdir()) == []


def test_a_killed_compare_run_is_cleaned_up(tmp_path):
    """A temporary compare folder whose process is gone holds compare's marker: it is recognised and removed."""
    from formcheck.files import HOST_TAG

    dead = tmp_path / f".compare-a-vs-b.partial-999999999-{HOST_TAG}"
    dead.mkdir()
    (dead / COMPARE_MARKER).write_text("x", encoding="utf-8")
    assert clean_stale_partials(tmp_path) == [dead] and not dead.exists()


def test_batch_discovery_skips_session_and_compare_folders(tmp_path):
    """compare.mp4 is an output, never a clip; nor is anything in a session folder."""
    from formcheck.batch.discovery import discover_videos

    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "ben_side.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    for kind in ("compare", "session", "legacy_compare"):
        (_folder(clips, kind) / "extra.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    assert [p.name for p in discover_videos(clips)] == ["ben_side.mp4"]
