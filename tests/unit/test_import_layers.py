"""The house is one-way: every import inside formcheck/ goes down the layers below, never up or sideways, and no
modules import each other in a cycle. Read from the source (an AST walk), so imports inside functions and under
``TYPE_CHECKING`` count as much as those at the top of a file."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "formcheck"

# Each part of formcheck and its layer: a part may import parts of a lower layer, and itself; never a part of
# its own layer or above. A part is a top-level module or subpackage of formcheck ("formcheck" itself is the
# package's public face, formcheck/__init__.py).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("version", "errors", "skeleton", "config", "geometry", "memory", "streaming", "safe_text"),  # foundation
    # the core types; atomic file writing; a coach's settings file; the -o folder made and taken back
    ("model", "files", "config_file", "outdir"),
    ("processing",),  # cleaning and filtering
    ("gait",),  # gait events
    ("metrics",),  # one function per metric, the MetricSpec registry
    ("guidance",),  # verdicts told to people
    # contacts from the shoe's sole in foot crops (pure, but OpenCV: not in the pure middle); what it measured, kept
    ("sole_edge", "sole_contacts"),
    ("video", "history"),  # decoding and encoding; athlete sessions and trend rules
    (
        "pose",
        "render",
        "report",
        "store",
        "synth",
        "history_dates",
    ),  # the edges: model, drawing, documents, database, test clips
    # a clip's folder: hands the video side's key frames to the report; the pure analysis after pose (above
    # render only for face_blur.head_found, a check on the landmarks); what annotated.mp4 draws (video_drawing)
    ("outputs", "trajectory_analysis", "video_drawing"),
    (
        "sole_timing",
    ),  # contacts retimed from the shoe's sole: prepare's steps, the clip's foot crops, sole_edge
    ("pipeline", "session"),  # analyze_clip, reanalyze; one run's side and rear/front clips together
    ("batch", "history_cli", "compare"),  # many clips; the history command; two takes side by side
    ("cli",),  # the command line
    ("formcheck",),  # the public API
)
LAYER_OF: dict[str, int] = {part: i for i, parts in enumerate(LAYERS) for part in parts}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _part(module: str) -> str:
    """The layered part a module belongs to: ``formcheck.report.html`` -> ``report``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "formcheck"


# The pure middle and the types below it never touch pixels, video or the pose model (ARCHITECTURE.md rule 2).
PURE_PARTS = ("version", "errors", "skeleton", "config", "geometry", "model", "processing", "gait", "metrics")
PURE_PARTS += ("guidance", "history")
PIXEL_LIBRARIES = ("cv2", "av", "mediapipe", "matplotlib")


def _all_imports(module: str, keep: Callable[[str], bool]) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import statement of ``module`` whose top-level package ``keep``s."""
    path = MODULES[module]
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if keep(alias.name.split(".")[0]):
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not keep(target.split(".")[0]):
                continue
            for alias in node.names:  # ``from formcheck.metrics import arms`` imports a module
                sub = f"{target}.{alias.name}"
                yield (sub if sub in MODULES else target), node.lineno


def _imports(module: str) -> Iterator[tuple[str, int]]:
    """(imported formcheck module, line) for every import of ``module``, wherever it stands."""
    return _all_imports(module, lambda top: top == "formcheck")


GRAPH: dict[str, set[str]] = {m: {t for t, _ in _imports(m) if t in MODULES and t != m} for m in MODULES}


def test_every_part_of_formcheck_has_a_layer() -> None:
    unplaced = sorted({_part(m) for m in MODULES} - set(LAYER_OF))
    assert not unplaced, f"give these parts of formcheck a layer in LAYERS: {unplaced}"


def test_no_import_goes_up_or_sideways() -> None:
    wrong: set[str] = set()
    for module in MODULES:
        src = _part(module)
        for target, line in _imports(module):
            dst = _part(target)
            if dst != src and LAYER_OF.get(dst, -1) >= LAYER_OF.get(src, -1):
                wrong.add(f"{MODULES[module].relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_the_pure_middle_imports_no_pixel_library() -> None:
    wrong = {
        f"{MODULES[m].relative_to(PACKAGE.parent)}:{line} imports {target}"
        for m in MODULES
        if _part(m) in PURE_PARTS
        for target, line in _all_imports(m, lambda top: top in PIXEL_LIBRARIES)
    }
    assert not wrong, "\n".join(sorted(wrong))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": {"a"}, "c": {"c"}}, [["a", "b"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, expected) -> None:
    assert _cycles(graph) == expected


def test_the_walk_sees_imports_inside_functions() -> None:
    # formcheck/__init__.py imports the pipeline only inside __getattr__ (lazily).
    assert "formcheck.pipeline" in GRAPH["formcheck"]
