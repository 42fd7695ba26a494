"""A coach's settings file (``--config FILE``, TOML): any band or rule of ``config.py`` overridden by name.

    [thresholds.cadence_spm]          # a band: intervals [low, high), inf for no limit
    good = [[175, inf]]
    watch = [[170, 175]]

    [thresholds]
    rearfoot_above_deg = 10.0         # a rule

    [gait]
    min_steps_per_side = 5

Sections are the groups of ``AnalysisSettings`` (``thresholds``, ``processing``, ``gait``, ``uncertainty``,
``pose``, ``pelvis``).
Every name is checked against them, and every value against the type of the default it replaces: an unknown name
or a wrong type is one line saying which and what is expected. What a file does not name keeps its default.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from formcheck.config import (
    CHOICES,
    CUTOFF_TABLES,
    FRACTIONS,
    NON_NEGATIVE,
    POSITIVE,
    AnalysisSettings,
    Bands,
)
from formcheck.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# The groups of settings of AnalysisSettings, in their order there.
SECTIONS: tuple[str, ...] = tuple(
    f.name
    for f in dataclasses.fields(AnalysisSettings)
    if dataclasses.is_dataclass(getattr(AnalysisSettings(), f.name))
)


def load_settings_file(path: str | Path, base: AnalysisSettings | None = None) -> AnalysisSettings:
    """``base`` (default settings when None) with the overrides of the TOML file at ``path``."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no settings file at {path}: check the path given to --config") from None
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(
            f"cannot read the settings file {path} ({e}): check the path given to --config"
        ) from e
    except tomllib.TOMLDecodeError as e:
        raise UsageError(
            f"{path} is not valid TOML ({e}): see 'formcheck analyze --help' for an example"
        ) from e
    return apply_overrides(base or AnalysisSettings(), data, where=path.name)


def apply_overrides(
    settings: AnalysisSettings, data: Mapping[str, Any], where: str = "--config"
) -> AnalysisSettings:
    """``settings`` with the sections of ``data`` applied, each name and value checked."""
    changes = {}
    for section, values in data.items():
        if section not in SECTIONS:
            raise UsageError(
                f"{where}: unknown section [{section}]: the sections are {', '.join(f'[{s}]' for s in SECTIONS)}"
            )
        if not isinstance(values, Mapping):
            raise UsageError(f"{where}: [{section}] must be a table of name = value lines")
        changes[section] = _merge(getattr(settings, section), values, section, where)
    return dataclasses.replace(settings, **changes)


def _merge(template: Any, values: Mapping[str, Any], path: str, where: str) -> Any:
    names = {f.name: f for f in dataclasses.fields(template)}
    changes = {}
    for name, value in values.items():
        if name not in names:
            near = ", ".join(sorted(names))
            raise UsageError(f"{where}: unknown setting {path}.{name}; the names in [{path}] are: {near}")
        current = getattr(template, name)
        changes[name] = _value(current, value, f"{path}.{name}", where)
    return dataclasses.replace(template, **changes)


def _leaf(name: str) -> str:
    return name.split(".")[-1]


def _value(current: Any, value: Any, name: str, where: str) -> Any:
    if isinstance(current, Bands):
        if not isinstance(value, Mapping):
            raise UsageError(
                f"{where}: {name} is a band: write it as a table, e.g. [{name}] good = [[170, inf]]"
            )
        return _bands(current, value, name, where)
    if dataclasses.is_dataclass(current):
        if not isinstance(value, Mapping):
            raise UsageError(f"{where}: {name} is a group of settings: write it as a table [{name}]")
        return _merge(current, value, name, where)
    if isinstance(current, dict):
        if not isinstance(value, Mapping) or not all(_is_number(v) for v in value.values()):
            raise UsageError(f"{where}: {name} must be a table of name = number lines")
        return {**current, **{k: float(v) for k, v in value.items()}}
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise UsageError(f"{where}: {name} must be true or false, got {value!r}")
        return value
    if isinstance(current, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(f"{where}: {name} must be a whole number, got {value!r}")
        if name in NON_NEGATIVE and value < 0:
            raise UsageError(
                f"{where}: {name} must be 0 or more, got {value!r}: e.g. {_leaf(name)} = {NON_NEGATIVE[name]}"
            )
        return value
    if isinstance(current, float):
        if not _is_number(value):
            raise UsageError(f"{where}: {name} must be a number, got {value!r}")
        if name in POSITIVE and not (0 < float(value) < math.inf):
            raise UsageError(
                f"{where}: {name} must be above 0, got {value!r}: e.g. {_leaf(name)} = {POSITIVE[name]}"
            )
        if name in NON_NEGATIVE and not (0 <= float(value) < math.inf):
            raise UsageError(
                f"{where}: {name} must be 0 or more, got {value!r}: e.g. {_leaf(name)} = {NON_NEGATIVE[name]}"
            )
        if name in FRACTIONS and not (0 <= float(value) <= 1):
            raise UsageError(
                f"{where}: {name} must be 0 to 1, got {value!r}: e.g. {_leaf(name)} = {FRACTIONS[name]}"
            )
        return float(value)
    if isinstance(current, str):
        if not isinstance(value, str):
            raise UsageError(f"{where}: {name} must be text in quotes, got {value!r}")
        choices = CHOICES.get(name)
        if choices and value not in choices:
            words = " or ".join(f'"{c}"' for c in choices)
            raise UsageError(
                f'{where}: {name} must be {words}, got {value!r}: e.g. {_leaf(name)} = "{choices[-1]}"'
            )
        return value
    if name in CUTOFF_TABLES:
        return _cutoff_table(value, name, where)
    if isinstance(current, tuple):
        return (
            _pairs(value, name, where)
            if current and isinstance(current[0], tuple)
            else _numbers(value, name, where)
        )
    raise UsageError(f"{where}: {name} cannot be set from a file")


def _bands(current: Bands, value: Mapping[str, Any], name: str, where: str) -> Bands:
    allowed = {"good", "watch", "flag", "evidence", "source"}
    unknown = set(value) - allowed
    if unknown:
        raise UsageError(
            f"{where}: unknown key {sorted(unknown)[0]!r} in [{name}]: a band has {sorted(allowed)}"
        )
    changes: dict[str, Any] = {}
    for key in ("good", "watch", "flag"):
        if key in value:
            changes[key] = _pairs(value[key], f"{name}.{key}", where, ordered=True)
    if "evidence" in value:
        if value["evidence"] not in ("E", "N", "H", "X"):
            raise UsageError(f"{where}: {name}.evidence must be one of E, N, H, X, got {value['evidence']!r}")
        changes["evidence"] = value["evidence"]
    if "source" in value:
        changes["source"] = str(value["source"])
    elif changes:
        changes["source"] = f"set in {where}"
    bands = dataclasses.replace(current, **changes)
    if bands.judges and not bands.good and bands.flag is None:
        # With no good interval and no flag band, every value outside watch is a flag (Bands.verdict): a file that
        # gives a described-only metric (knee bend at midstance) just a watch band would flag the rest.
        raise UsageError(
            f"{where}: [{name}] has watch intervals but no good ones, so every value outside watch would be "
            f"flagged: it needs good intervals too, e.g. good = {_complement_example(bands.watch)} "
            "(or an explicit flag = [[low, high]])"
        )
    return bands


def _complement_example(watch: tuple[tuple[float, float], ...]) -> str:
    """A good interval beside the watch ones, for the error message: above the highest, else below the lowest."""
    high = max((hi for _, hi in watch), default=math.inf)
    if math.isfinite(high):
        return f"[[{high:g}, inf]]"
    low = min((lo for lo, _ in watch), default=-math.inf)
    return f"[[-inf, {low:g}]]" if math.isfinite(low) else "[[low, high]]"


def _pairs(value: Any, name: str, where: str, ordered: bool = False) -> tuple[tuple[float, float], ...]:
    example = f"{name} = [[170, inf]]"
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(_is_number(x) for x in p) for p in value
    ):
        raise UsageError(f"{where}: {name} must be a list of [low, high] pairs, e.g. {example}")
    pairs = tuple((float(lo), float(hi)) for lo, hi in value)
    if ordered and any(not lo < hi for lo, hi in pairs):
        raise UsageError(f"{where}: {name}: each pair must be [low, high] with low < high, e.g. {example}")
    return pairs


def _cutoff_table(value: Any, name: str, where: str) -> tuple[tuple[float, float], ...]:
    """A low-pass cut-off table (``CUTOFF_TABLES``): [frame rate, cut-off Hz] pairs, all above 0, rates rising."""
    hint = (
        f"{where}: {name} must be [frame rate, cut-off Hz] pairs, each above 0, the frame rates rising: "
        f"e.g. {_leaf(name)} = {CUTOFF_TABLES[name]}"
    )
    if not isinstance(value, list) or not value:
        raise UsageError(hint)
    try:
        pairs = _pairs(value, name, where)
    except UsageError:
        raise UsageError(hint) from None
    rates = [rate for rate, _ in pairs]
    if not all(0 < x < math.inf for pair in pairs for x in pair) or any(
        b <= a for a, b in itertools.pairwise(rates)
    ):
        raise UsageError(hint)
    return pairs


def _numbers(value: Any, name: str, where: str) -> tuple[float, ...]:
    if not isinstance(value, list) or not all(_is_number(x) for x in value):
        raise UsageError(f"{where}: {name} must be a list of numbers")
    return tuple(float(x) for x in value)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and not math.isnan(x)
