"""The ``-o`` folder: made and checked writable before the pose pass, and taken back when the work that was to fill
it fails (a refused clip leaves no empty folder it did not find)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from formcheck.errors import OutputError


def check_outdir_writable(outdir: str | os.PathLike[str]) -> list[Path]:
    """Create ``outdir`` and write a scratch file in it, so that an unusable ``-o`` fails before the pose pass.
    Returns the folders this call created, deepest first, for ``remove_created_folders`` to take back when the
    work that was to fill them fails: a refused clip leaves no empty folder it did not find."""
    import tempfile

    folder = Path(outdir)
    missing = _missing_folders(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        remove_created_folders(missing)
        raise OutputError(
            f"cannot write to the output folder {folder} ({e.strerror or e}): choose a writable folder with -o"
        ) from e
    return missing


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its parents that are not there yet, deepest first: what ``mkdir(parents=True)`` makes. A
    ``..`` step is no folder of its own (``a/../b`` makes ``a`` and ``b``); ``os.path.lexists`` never raises, so a
    name too long for the file system reaches ``mkdir`` and its one-line error."""
    return [p for p in (folder, *folder.parents) if p.name not in ("", ".", "..") and not os.path.lexists(p)]


def remove_created_folders(created: Sequence[Path]) -> None:
    """Remove the folders ``check_outdir_writable`` created (deepest first) that are still empty; stops at the
    first that is not (it holds something, now someone else's)."""
    for folder in created:
        try:
            folder.rmdir()
        except OSError:
            return


@contextmanager
def taken_back_on_failure(created: Sequence[Path]) -> Iterator[None]:
    """Run the work that fills the folders ``check_outdir_writable`` created; if it fails (a refused clip, Ctrl-C),
    remove those still empty (``remove_created_folders``) and let the failure through."""
    try:
        yield
    except BaseException:
        remove_created_folders(created)
        raise
