"""The metric-by-metric verdicts of ``formcheck compare`` on known answers: the history rule (smallest detectable
difference and both 95% intervals), in the words a runner reads."""

from __future__ import annotations

from formcheck.compare.changes import change_rows, headline, with_interval


def doc(**metrics) -> dict:
    return {"input": {"path": "x.mp4"}, "metrics": metrics}


def m(value, interval=None, verdict="watch", unit="steps/min") -> dict:
    return {"value": value, "unit": unit, "verdict": verdict, "interval": interval}


def test_cadence_up_beyond_noise_is_improved_and_within_noise_is_no_real_change():
    rows = change_rows(
        doc(cadence_spm=m(158, [156, 160], "flag")), doc(cadence_spm=m(172, [170, 174], "good"))
    )
    assert [(r.metric, r.change, r.words) for r in rows] == [("cadence_spm", "improved", "improved")]
    assert rows[0].sdd == 158 * 0.03
    # 4 spm up is below the smallest detectable difference (3% of 158 = 4.7 spm)
    rows = change_rows(doc(cadence_spm=m(158, [157, 159])), doc(cadence_spm=m(162, [161, 163])))
    assert rows[0].words == "no real change (within measurement noise)"
    # 10 spm down, intervals apart: worse
    rows = change_rows(doc(cadence_spm=m(170, [168, 172])), doc(cadence_spm=m(160, [158, 162])))
    assert rows[0].change == "worse"
    # 10 spm up, but the intervals overlap: the clips cannot tell the two apart
    rows = change_rows(doc(cadence_spm=m(160, [150, 170])), doc(cadence_spm=m(170, [165, 175])))
    assert rows[0].change == "no real change"


def test_metrics_missing_in_both_are_left_out_and_descriptive_ones_say_why():
    rows = change_rows(
        doc(cadence_spm=m(None), shoulder_bounce=m(1.0, verdict="n/a", unit="%leg")),
        doc(cadence_spm=m(None), shoulder_bounce=m(1.2, verdict="n/a", unit="%leg")),
    )
    assert [r.metric for r in rows] == ["shoulder_bounce"]
    assert rows[0].change == "n/a" and "no verdict" in rows[0].words


def test_values_read_with_their_intervals_and_the_headline_counts():
    # Rounded outward at the value's decimals: the written interval holds the computed one.
    assert with_interval("cadence_spm", _mv(158.2, (157.6, 158.9))) == "158 spm (likely 157 to 159)"
    rows = change_rows(
        doc(cadence_spm=m(158, [156, 160], "flag"), trunk_lean_deg=m(7.0, [5, 9], "good", "deg")),
        doc(cadence_spm=m(172, [170, 174], "good"), trunk_lean_deg=m(7.5, [5.5, 9.5], "good", "deg")),
    )
    assert headline(rows) == "1 improved, 0 worse, 1 with no real change (within measurement noise)."


def _mv(value, interval):
    from formcheck.history import MetricValue

    return MetricValue(value, "steps/min", "good", None, interval)


def test_a_measure_without_a_smallest_detectable_difference_is_not_called_changed() -> None:
    """Head pitch read 6 and 22 deg on two takes of one runner on one day (side_24/side_25), with intervals that do
    not overlap: without a known smallest detectable difference that is not a change formcheck can call."""
    from formcheck.history import MetricValue, compare
    from formcheck.metrics.registry import REGISTRY

    assert REGISTRY["head_pitch_deg"].sdd is None
    a = MetricValue(6.4, "deg", "good", interval=(4.0, 8.0))
    b = MetricValue(22.0, "deg", "watch", interval=(19.0, 25.0))
    assert compare("head_pitch_deg", a, b) == "n/a"
    # a measure with one still is: cadence 160 -> 175 steps/min is beyond 3% and the intervals
    c = MetricValue(160.0, "spm", "flag", interval=(158.0, 162.0))
    d = MetricValue(175.0, "spm", "good", interval=(173.0, 177.0))
    assert compare("cadence_spm", c, d) == "improved"
