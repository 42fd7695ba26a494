"""check_outdir_writable reports the folders it made, and remove_created_folders takes back only empty ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.errors import OutputError
from formcheck.outdir import check_outdir_writable, remove_created_folders


def test_reports_the_folders_it_made_deepest_first(tmp_path: Path) -> None:
    created = check_outdir_writable(tmp_path / "a" / "b" / "c")
    assert created == [tmp_path / "a" / "b" / "c", tmp_path / "a" / "b", tmp_path / "a"]
    assert check_outdir_writable(tmp_path / "a" / "b" / "c") == []  # all there now: nothing made


def test_takes_back_empty_folders_and_stops_at_one_in_use(tmp_path: Path) -> None:
    created = check_outdir_writable(tmp_path / "a" / "b" / "c")
    (tmp_path / "a" / "kept.txt").write_text("someone else's", encoding="utf-8")
    remove_created_folders(created)
    assert not (tmp_path / "a" / "b").exists()
    assert (tmp_path / "a" / "kept.txt").is_file()


def test_a_folder_that_cannot_be_made_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="choose a writable folder"):
        check_outdir_writable(tmp_path / "file" / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_name_too_long_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    """A folder name the file system refuses (ENAMETOOLONG) is the usual one-line error, not a traceback."""
    with pytest.raises(OutputError, match="choose a writable folder"):
        check_outdir_writable(tmp_path / ("a" * 300) / "out")
    assert not any(tmp_path.iterdir())


def test_a_dotdot_step_is_no_folder_of_its_own(tmp_path: Path) -> None:
    """``a/../b`` makes ``a`` and ``b``; both are taken back."""
    created = check_outdir_writable(tmp_path / "a" / ".." / "b")
    assert created == [tmp_path / "a" / ".." / "b", tmp_path / "a"]
    remove_created_folders(created)
    assert not any(tmp_path.iterdir())
