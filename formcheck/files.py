"""Atomic file writing: outputs go to a temporary name beside the target and are renamed into place. The temporary
name, ``.<name>.tmp-<pid>-<host>.<random>.tmp``, says which process wrote it, so that one left by a killed run can
be recognised and removed (``formcheck.outputs.clean_stale_partials``)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

from formcheck.errors import OutputError
from formcheck.safe_text import clean_text

HOST_TAG = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[
    :8
]  # this machine, in names


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` when the block succeeds, else remove it."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{target.name[:100]}.tmp-{os.getpid()}-{HOST_TAG}."
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
        os.close(fd)
        os.chmod(tmp_name, 0o644)  # mkstemp makes 0600; outputs are ordinary readable files
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}; check the folder is writable"
        ) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}; check free disk space") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8; names that are not UTF-8 show U+FFFD) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(clean_text(text), encoding="utf-8")
    return Path(path)
