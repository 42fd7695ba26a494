"""Import MediaPipe without paying for its legacy ``solutions`` package up front.

``import mediapipe`` (0.10.21) also imports ``mediapipe.python.solutions``, whose drawing utilities import
``matplotlib.pyplot``: ~0.55 of the ~0.8 s that the import costs, on every ``formcheck analyze`` and in every
batch worker (issue 7). formcheck uses only the Tasks API (``mediapipe.tasks``, ``mediapipe.Image``), so the
two drawing modules are registered as stand-ins that load on first use: ``mediapipe.solutions.drawing_utils``
still works. (``importlib.util.LazyLoader`` does not help: the import system reads a module's ``__spec__``, which
loads it.) Anything unexpected (another layout) falls back to the plain import.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path
from types import ModuleType

logger = logging.getLogger(__name__)

SOLUTIONS = "mediapipe.python.solutions"
DEFERRED = (
    "drawing_utils",
    "drawing_styles",
)  # drawing_styles builds DrawingSpecs from drawing_utils at import


def import_mediapipe() -> ModuleType:
    """``import mediapipe``, with its solutions' drawing modules loaded on first use when this is the first
    import of MediaPipe in the process."""
    first = "mediapipe" not in sys.modules
    stand_ins = _register_stand_ins() if first else {}
    import mediapipe

    package = sys.modules.get(SOLUTIONS)
    for short, module in stand_ins.items():  # what the package's own imports would have bound
        if package is not None and not hasattr(package, short):
            setattr(package, short, module)
    return mediapipe


def _register_stand_ins() -> dict[str, ModuleType]:
    try:
        top = importlib.util.find_spec("mediapipe")  # a top-level spec: nothing is imported
        if top is None or not top.submodule_search_locations:
            return {}
        folder = Path(next(iter(top.submodule_search_locations))) / "python" / "solutions"
        paths = {short: folder / f"{short}.py" for short in DEFERRED}
        if not all(p.is_file() for p in paths.values()):
            return {}
        stand_ins = {short: _stand_in(f"{SOLUTIONS}.{short}", path) for short, path in paths.items()}
    except Exception as exc:  # noqa: BLE001 - any surprise: the plain import, only slower
        logger.debug("mediapipe drawing modules not deferred (%s)", exc)
        return {}
    for short, module in stand_ins.items():
        sys.modules[f"{SOLUTIONS}.{short}"] = module
    return stand_ins


def _stand_in(name: str, path: Path) -> ModuleType:
    """A module that runs ``path`` the first time one of its attributes is read and then answers from it."""
    stand_in = ModuleType(name, f"{name}, loaded on first use (formcheck.pose.mediapipe_import)")
    stand_in.__file__ = str(path)
    stand_in.__spec__ = importlib.util.spec_from_file_location(name, path)
    real: list[ModuleType] = []

    def load_on_use(attr: str) -> object:
        if attr.startswith("__"):
            raise AttributeError(attr)
        if not real:
            spec = importlib.util.spec_from_file_location(name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module  # imports from here on get the real module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                sys.modules[name] = stand_in
                raise
            real.append(module)
        return getattr(real[0], attr)

    stand_in.__getattr__ = load_on_use  # type: ignore[attr-defined]  # PEP 562: a missing attribute loads it
    return stand_in
