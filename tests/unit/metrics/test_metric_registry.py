"""The MetricSpec registry: one entry per metric, each bound to its compute function, its bands in config."""

from __future__ import annotations

import dataclasses

import pytest

import formcheck.metrics  # noqa: F401  # binds every compute function
from formcheck.config import Bands, Thresholds
from formcheck.metrics.registry import (
    HEADLINE_IDS,
    HISTORY_IDS,
    METRIC_ORDER,
    REGISTRY,
    metric,
    not_measured_from,
    panel_ids,
    title,
)
from formcheck.model import VIEWS


def test_every_entry_has_its_compute_function_and_valid_metadata() -> None:
    th = Thresholds()
    for mid, spec in REGISTRY.items():
        assert spec.id == mid and spec.fn is not None, mid
        assert spec.title and set(spec.views) <= set(VIEWS), mid
        if spec.bands is not None:
            bands = getattr(th, spec.bands)
            assert isinstance(bands, Bands), mid
            # Bands with no interval describe a metric, with no verdict (the knee's bend at midstance).
            assert spec.bands_in(th) is (bands if bands.judges else None), mid
        if spec.headline_card is not None:
            assert REGISTRY[spec.headline_card].headline_rank is not None, mid
    assert METRIC_ORDER[:3] == ("cadence_spm", "shank_angle_ic_deg", "overstride_distance")


def test_ranks_give_the_cards_panels_and_history_columns() -> None:
    assert HEADLINE_IDS == (
        "overstride_distance",
        "foot_strike_type",
        "trunk_lean_deg",
        "pelvic_tilt_deg",
        "arm_swing_deg",
        "cadence_spm",
    )
    # The side view cannot see pelvic drop: it is neither a card nor a panel row there.
    assert panel_ids("side") == tuple(m for m in HEADLINE_IDS if m != "pelvic_tilt_deg")
    assert not_measured_from("side") == (
        "pelvic_tilt_deg",
        "lateral_trunk_lean_deg",
        "step_width",
        "arm_crossover_pct",
    )
    assert not_measured_from("rear") == (
        "overstride_distance",
        "foot_strike_type",
        "trunk_lean_deg",
        "arm_swing_deg",
    )
    assert (
        panel_ids("rear")
        == panel_ids("front")
        == (
            "pelvic_tilt_deg",
            "lateral_trunk_lean_deg",
            "step_width",
            "arm_crossover_pct",
            "cadence_spm",
        )
    )
    assert set(HISTORY_IDS) == set(HEADLINE_IDS)
    assert (
        REGISTRY["pelvic_tilt_deg"].label == "Pelvic drop"
        and title("pelvic_tilt_deg") == "Pelvic tilt (drop)"
    )
    assert title("new_metric_deg") == "New metric deg"  # an id from a newer analysis.json still reads


def test_formatting_follows_the_unit_and_the_spec() -> None:
    assert REGISTRY["cadence_spm"].format(171.26) == "171 spm"
    assert REGISTRY["trunk_lean_deg"].format(7.14) == "7.1°"
    assert REGISTRY["overstride_distance"].format(22.4) == "22% leg"
    assert REGISTRY["foot_strike_type"].format("rearfoot") == "rearfoot"
    assert REGISTRY["ground_contact_ms"].format(None) == "–"
    assert dataclasses.replace(REGISTRY["trunk_lean_deg"], digits=2).format(7.14) == "7.14°"


def test_binding_an_unknown_or_bound_metric_fails() -> None:
    with pytest.raises(KeyError, match="needs an entry"):
        metric("not_a_metric")(lambda ctx: None)
    with pytest.raises(ValueError, match="registered twice"):
        metric("cadence_spm")(lambda ctx: None)
