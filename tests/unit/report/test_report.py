"""analysis.json, steps.csv, keypoints.csv, landmarks.npz and report.html on the fake side-view Analysis."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from formcheck.errors import FormcheckError, InvalidDataError  # noqa: E402
from formcheck.model import Finding, GaitEvents, Step  # noqa: E402
from formcheck.report.csv_out import keypoint_header, write_keypoints_csv, write_steps_csv  # noqa: E402
from formcheck.report.html import DISCLAIMER, write_report  # noqa: E402
from formcheck.report.json_out import analysis_to_dict, load_analysis, to_json, write_json  # noqa: E402
from formcheck.report.labels import HEADLINE_METRICS  # noqa: E402
from formcheck.report.landmarks import load_landmarks, save_landmarks  # noqa: E402
from formcheck.report.plots import SIDE_HEX, all_plots  # noqa: E402
from formcheck.report.svgplot import MINUS, SPINE  # noqa: E402
from formcheck.skeleton import INDEX  # noqa: E402
from tests.fixtures.fake_analysis import N_FRAMES, N_STEPS, make_fake_analysis  # noqa: E402

SIDE_METRICS = (
    "cadence_spm",
    "overstride_distance",
    "shank_angle_ic_deg",
    "foot_strike_angle_deg",
    "foot_strike_type",
    "trunk_lean_deg",
    "knee_flexion_ic_deg",
    "knee_flexion_midstance_deg",
    "vertical_oscillation",
    "arm_swing_deg",
    "elbow_angle_deg",
    "ground_contact_ms",
    "pelvic_tilt_deg",
)


@pytest.fixture(scope="module")
def analysis():
    return make_fake_analysis()


def test_json_schema_keys_and_types(analysis):
    doc = analysis_to_dict(analysis)
    assert isinstance(doc["formcheck_version"], str)
    inp = doc["input"]
    for key, typ in {
        "path": str, "sha256": str, "width": int, "height": int, "fps": float, "frames": int,
        "duration_s": float, "rotation_deg": int,
    }.items():  # fmt: skip
        assert isinstance(inp[key], typ), key
    assert doc["view"] == "side" and doc["direction"] in ("left", "right")
    assert set(doc["pose"]) >= {"model", "detected_fraction"}
    assert {k: doc["steps"][k] for k in ("left", "right", "valid")} == {"left": 6, "right": 5, "valid": 11}
    assert doc["steps"]["rejected"] == 1
    for mid in SIDE_METRICS:
        m = doc["metrics"][mid]
        assert set(m) >= {"value", "unit", "verdict", "evidence", "n_steps", "spread", "note"}, mid
        assert m["verdict"] in ("good", "watch", "flag", "n/a")
        assert m["evidence"] in ("E", "N", "H", "X")
        assert m["value"] is None or isinstance(m["value"], (int, float, str))
    assert "per_side" in doc["metrics"]["overstride_distance"]
    assert "per_side" not in doc["metrics"]["trunk_lean_deg"]
    assert len(doc["metrics"]["overstride_distance"]["per_step"]) == N_STEPS
    assert doc["metrics"]["vertical_oscillation"]["value_cm"] == pytest.approx(4.1)
    assert "bands" in doc["metrics"]["trunk_lean_deg"] and "source" in doc["metrics"]["trunk_lean_deg"]
    f = doc["findings"][0]
    assert set(f) >= {"metric", "verdict", "guidance", "message", "cue", "why", "helps"}
    assert doc["processing"]["filter_cutoff_hz"] == 6.0


def test_json_nan_becomes_null_and_round_trips(analysis, tmp_path):
    text = to_json(analysis)
    assert "NaN" not in text
    doc = json.loads(text)
    assert doc["metrics"]["elbow_angle_deg"]["per_side"]["right"] is None
    path = write_json(analysis, tmp_path / "analysis.json")
    assert load_analysis(path) == doc
    assert load_analysis(tmp_path) == doc


def test_load_analysis_errors(tmp_path):
    with pytest.raises(FormcheckError, match="no analysis"):
        load_analysis(tmp_path / "missing.json")
    bad = tmp_path / "analysis.json"
    bad.write_text("{not json")
    with pytest.raises(FormcheckError, match="not valid JSON"):
        load_analysis(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(FormcheckError, match="not a formcheck analysis"):
        load_analysis(bad)


def test_landmarks_round_trip(analysis, tmp_path):
    path = save_landmarks(analysis.raw, tmp_path / "landmarks.npz")
    back = load_landmarks(path)
    assert back.video == analysis.raw.video
    np.testing.assert_allclose(back.xy_px, analysis.raw.xy_px, atol=1e-3)
    np.testing.assert_allclose(back.time_s, analysis.raw.time_s)
    assert back.world_xyz is not None and back.world_xyz.shape == (N_FRAMES, 33, 3)
    (tmp_path / "junk.npz").write_bytes(b"junk")
    with pytest.raises(FormcheckError):
        load_landmarks(tmp_path / "junk.npz")


def test_landmarks_keep_the_per_frame_repeats(analysis, tmp_path):
    """``Trajectories.repeated`` (which frames repeat the previous picture) survives landmarks.npz, so that
    ``formcheck reanalyze`` times contacts in a held-picture file as the first analysis did; a file without it
    (written before it was kept) loads with None, and a wrong length is refused."""
    assert load_landmarks(save_landmarks(analysis.raw, tmp_path / "none.npz")).repeated is None
    flags = np.where(np.arange(N_FRAMES) % 3 == 0, 0.0, 1.0)
    flags[0] = np.nan  # the first frame: unknown
    back = load_landmarks(save_landmarks(analysis.raw.replace(repeated=flags), tmp_path / "held.npz"))
    np.testing.assert_array_equal(back.repeated, flags)
    with pytest.raises(InvalidDataError, match="repeated must have shape"):
        analysis.raw.replace(repeated=flags[:-1])


def test_landmarks_written_by_a_newer_version_with_more_video_fields_still_load(analysis, tmp_path):
    import json

    path = save_landmarks(analysis.raw, tmp_path / "landmarks.npz")
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    video = json.loads(str(arrays["video"]))
    video["a_field_from_the_future"] = 1
    arrays["video"] = np.array(json.dumps(video))
    newer = tmp_path / "newer.npz"
    np.savez_compressed(newer, **arrays)
    assert load_landmarks(newer).video == analysis.raw.video


def test_steps_csv(analysis, tmp_path):
    path = write_steps_csv(analysis, tmp_path / "steps.csv")
    rows = list(csv.reader(path.open()))
    header = rows[0]
    assert header[:8] == [
        "index", "side", "contact_s", "toe_off_s", "midstance_s", "contact_time_ms", "valid", "reject_reason"
    ]  # fmt: skip
    for col in (
        "overstride_distance_pctleg",
        "shank_angle_ic_deg",
        "foot_strike_angle_deg",
        "foot_strike_type",
    ):
        assert col in header
    assert len(rows) == 1 + N_STEPS
    rejected = rows[1 + 5]
    assert (
        rejected[header.index("valid")] == "0" and rejected[header.index("overstride_distance_pctleg")] == ""
    )
    assert rows[1][header.index("foot_strike_type")] == "rearfoot"


def test_keypoints_csv(analysis, tmp_path):
    path = write_keypoints_csv(analysis, tmp_path / "keypoints.csv")
    rows = list(csv.reader(path.open()))
    assert rows[0] == keypoint_header()
    assert len(rows[0]) == 1 + 33 * 5
    assert "left_heel_x_px_filt" in rows[0] and "nose_vis" in rows[0]
    assert len(rows) == 1 + N_FRAMES
    col = rows[0].index("right_heel_x_px")
    assert rows[1 + 40][col] == ""  # the raw gap stays empty; the filtered column is filled
    assert rows[1 + 40][rows[0].index("right_heel_x_px_filt")] != ""


@pytest.fixture(scope="module")
def report_html(analysis, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return write_report(analysis, out, key_frames=[]).read_text()


def test_report_has_cards_disclaimer_and_inline_svg(report_html):
    for mid in HEADLINE_METRICS:
        # A side clip cannot measure pelvic drop: no card, one line out of the way.
        assert (f'id="card-{mid}"' in report_html) == (mid != "pelvic_tilt_deg")
    summary = report_html[report_html.index('id="summary"') : report_html.index('id="keyframes"')]
    assert (
        "Not measured from this view: pelvic drop, side lean, step width, arm crossover (film from behind to "
        in (summary)
    )
    assert "5.7" not in summary and "METRICS.md" not in summary
    assert report_html.count(DISCLAIMER.split(";")[0]) == 1
    assert "physical therapist or doctor" in report_html
    assert "<svg" in report_html and '<img src="http' not in report_html
    assert "Flag" in report_html and "Watch" in report_html  # verdicts as words, not only colour
    assert "What video can" in report_html and "10%" in report_html


def test_report_is_offline(report_html):
    assert re.findall(r"https?://", report_html) == []
    assert "<script src" not in report_html and "<link" not in report_html


def test_report_video_only_when_present(analysis, tmp_path):
    html = write_report(analysis, tmp_path, key_frames=[]).read_text()
    assert "<video" not in html and "--no-video" in html
    (tmp_path / "annotated.mp4").write_bytes(b"\x00")
    html = write_report(analysis, tmp_path, key_frames=[]).read_text()
    assert re.search(r"<video [^>]*controls playsinline", html) and 'src="annotated.mp4"' in html


def test_report_escapes_text(analysis, tmp_path):
    evil = Finding("overstride_distance", "flag", "<script>alert(1)</script>", "a & b", "<b>cue</b>")
    a = dataclasses.replace(analysis, findings=(evil,))
    html = write_report(a, tmp_path, key_frames=[]).read_text()
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "&lt;b&gt;cue" in html


def _with_verdicts(analysis, verdicts: dict[str, str]):
    metrics = {
        k: dataclasses.replace(m, verdict=verdicts.get(k, m.verdict)) for k, m in analysis.metrics.items()
    }
    return dataclasses.replace(analysis, metrics=metrics)


def test_summary_sentence_says_what_the_verdicts_say(analysis):
    from formcheck.guidance import build_findings
    from formcheck.metrics import withhold_verdicts
    from formcheck.report.labels import HEADLINE_METRICS
    from formcheck.report.summary_html import clip_summary_sentence

    all_good = _with_verdicts(analysis, dict.fromkeys(analysis.metrics, "good"))
    all_good = dataclasses.replace(
        all_good, findings=build_findings(all_good.metrics, all_good.settings.thresholds)
    )
    assert clip_summary_sentence(all_good).startswith("Nothing in this clip stands out.")
    # A finding outside the headline measures (the garage clip's knee flag was once left out) is named too.
    folded = {"shank_angle_ic_deg", "foot_strike_angle_deg"}  # read as part of overstride and strike type
    other = next(
        k for k in analysis.metrics if k not in HEADLINE_METRICS and k in _guided() and k not in folded
    )
    knee = _with_verdicts(all_good, {other: "watch"})
    knee = dataclasses.replace(knee, findings=build_findings(knee.metrics, knee.settings.thresholds))
    from formcheck.metrics.registry import title

    assert knee.findings
    assert clip_summary_sentence(knee).startswith(f"Worth a look: <strong>{title(other).lower()}</strong>.")
    flagged = _with_verdicts(knee, {other: "flag", "cadence_spm": "flag"})
    flagged = dataclasses.replace(
        flagged, findings=build_findings(flagged.metrics, flagged.settings.thresholds)
    )
    # both flags are named, in the findings' order: most severe first, then the surest
    names = ", ".join(title(f.metric).lower() for f in flagged.findings if f.verdict == "flag")
    assert {f.metric for f in flagged.findings if f.verdict == "flag"} == {"cadence_spm", other}
    assert clip_summary_sentence(flagged).startswith(f"Worth working on: <strong>{names}</strong>.")
    withheld = dataclasses.replace(analysis, metrics=withhold_verdicts(analysis.metrics, "no verdict: why"))
    withheld = dataclasses.replace(
        withheld, findings=build_findings(withheld.metrics, withheld.settings.thresholds)
    )
    assert withheld.findings == ()
    assert clip_summary_sentence(withheld).startswith("No verdicts for this clip")


def _guided() -> set[str]:
    from formcheck.guidance import GUIDANCE

    return set(GUIDANCE)


def test_withheld_verdicts_keep_values_and_say_why(analysis):
    from formcheck.metrics import withhold_verdicts

    out = withhold_verdicts(analysis.metrics, "no verdict: most steps were rejected")
    assert set(out) == set(analysis.metrics)
    for k, m in out.items():
        before = analysis.metrics[k]
        assert m.verdict == "n/a" and m.value == before.value and m.per_step == before.per_step
        if before.verdict != "n/a":
            assert m.note.endswith("no verdict: most steps were rejected")
        else:
            assert m is before


# --- plots (inline SVG from formcheck.report.svgplot) ---------------------------------------------------------


def _svg(plot) -> ET.Element:
    """The plot's SVG parsed, legend removed (its glyphs share the data's colours)."""
    root = ET.fromstring(plot.svg)
    for g in [g for g in root if g.tag == "g" and g.get("class") == "legend"]:
        root.remove(g)
    return root


def _legend(plot) -> list[str]:
    root = ET.fromstring(plot.svg)
    return [t.text for g in root if g.get("class") == "legend" for t in g.iter("text")]


def _marker_paths(root: ET.Element, color: str) -> list[int]:
    """Marker count of each circle-marker path of ``color`` (one ``M x y h0`` per marker)."""
    return [
        p.get("d").count("h0")
        for p in root.iter("path")
        if p.get("stroke") == color and p.get("stroke-linecap") == "round" and "h0" in p.get("d", "")
    ]


def _y_ticks(root: ET.Element) -> list[list[float]]:
    """Numeric y tick labels per panel, top panel first (a label is right-aligned with dy=0.35em)."""
    panels: list[list[float]] = []
    last_y = None
    for t in root.iter("text"):
        if t.get("text-anchor") == "end" and t.get("dy") == "0.35em":
            y = float(t.get("y"))
            if last_y is None or y > last_y:  # ticks go bottom-up; a jump down starts the next panel
                panels.append([])
            panels[-1].append(float(t.text.replace(MINUS, "-")))
            last_y = y
    return panels


def _plots_by_id(analysis) -> dict:
    return {p.id: p for p in all_plots(analysis)}


def _long_analysis(seconds: float = 600.0, fps: float = 60.0):
    """The fake runner tiled to a long clip: ``seconds * fps`` samples, a step every 1/3 s, some NaN values."""
    base = make_fake_analysis()
    n = int(seconds * fps)
    reps = -(-n // N_FRAMES)
    clean = base.clean.replace(
        xy_px=np.tile(base.clean.xy_px, (reps, 1, 1))[:n],
        visibility=np.tile(base.clean.visibility, (reps, 1))[:n],
        time_s=np.arange(n) / fps,
        world_xyz=None,
    )
    steps = tuple(
        Step("left" if i % 2 == 0 else "right", 0.2 + i / 3.0, valid=i % 17 != 5)
        for i in range(int((seconds - 0.5) * 3))
    )
    rng = np.random.default_rng(3)
    metrics = dict(base.metrics)
    for mid in ("overstride_distance", "shank_angle_ic_deg", "foot_strike_angle_deg"):
        vals = rng.normal(10.0, 5.0, len(steps)).round(2)
        per_step = tuple(None if i % 50 == 7 else float(v) for i, v in enumerate(vals))
        metrics[mid] = dataclasses.replace(metrics[mid], per_step=per_step)
    return dataclasses.replace(
        base, clean=clean, raw=clean, events=dataclasses.replace(base.events, steps=steps), metrics=metrics
    )


def test_plots_are_inline_svg(analysis):
    plots = all_plots(analysis)
    assert [p.id for p in plots] == ["overstride", "foot_strike", "trunk_lean", "knee_cycle"]
    for p in plots:
        root = _svg(p)
        assert root.tag == "svg" and root.get("class") == "plot" and root.get("role") == "img"
        assert root.get("aria-label") and root.get("viewBox", "").startswith("0 0 ")
        assert "width" not in root.attrib and "height" not in root.attrib
        assert "xmlns" not in p.svg and "<script" not in p.svg and "href" not in p.svg and "nan" not in p.svg
        assert not p.svg.startswith("<?xml")
    assert [p.svg for p in all_plots(analysis)] == [p.svg for p in plots]  # same input, same bytes


def test_report_embeds_every_plot(report_html):
    assert report_html.count('<svg role="img"') == 4


def _with_per_step(m, per_step):
    """``m`` with other per-step values; overstride's per-step reach (what its plot shows) changes with them."""
    extra = {**m.extra, "reach_per_step": list(per_step)} if "reach_per_step" in m.extra else m.extra
    return dataclasses.replace(m, per_step=tuple(per_step), extra=extra)


def test_overstride_markers_per_side(analysis):
    root = _svg(_plots_by_id(analysis)["overstride"])
    # 12 steps alternating left/right; step 6 (right) is rejected and has no value: 6 left, 5 right per panel
    assert _marker_paths(root, SIDE_HEX["left"]) == [6, 6]
    assert _marker_paths(root, SIDE_HEX["right"]) == [5, 5]
    assert not [p for p in root.iter("path") if p.get("stroke") == SPINE and p.get("stroke-width") == "1.5"]
    texts = {t.text for t in root.iter("text")}
    assert {"Heel's reach before landing", "Shin angle", "step"} <= texts
    assert _legend(_plots_by_id(analysis)["overstride"]) == ["left", "right", "median"]


def test_rejected_steps_are_grey_crosses(analysis):
    m = analysis.metrics["overstride_distance"]
    per_step = list(m.per_step)
    per_step[5] = -12.0  # the rejected step measured anyway
    a = dataclasses.replace(
        analysis,
        metrics={**analysis.metrics, "overstride_distance": _with_per_step(m, per_step)},
    )
    root = _svg(_plots_by_id(a)["overstride"])
    crosses = [p for p in root.iter("path") if p.get("stroke") == SPINE and p.get("stroke-width") == "1.5"]
    assert len(crosses) == 1 and crosses[0].get("d").count("M") == 1
    assert _legend(_plots_by_id(a)["overstride"]) == ["left", "right", "rejected", "median"]


def test_tick_labels_are_nice_and_cover_the_data(analysis):
    root = _svg(_plots_by_id(analysis)["overstride"])
    for ticks, mid in zip(_y_ticks(root), ("overstride_distance", "shank_angle_ic_deg"), strict=True):
        vals = [v for v in analysis.metrics[mid].per_step if v is not None]
        assert 3 <= len(ticks) <= 7
        steps = np.diff(ticks)
        assert np.allclose(steps, steps[0])
        mant = steps[0] / 10 ** np.floor(np.log10(steps[0]))
        assert min(abs(mant - m) for m in (1, 2, 2.5, 5)) < 1e-9
        assert ticks[0] <= min(vals) + steps[0] and ticks[-1] >= max(vals) - steps[0]


def test_trunk_lean_contacts_and_nan_gap(analysis):
    root = _svg(_plots_by_id(analysis)["trunk_lean"])
    for side in ("left", "right"):
        marks = [p for p in root.iter("path") if p.get("stroke") == SIDE_HEX[side]]
        assert len(marks) == 1 and marks[0].get("d").count("V") == 6  # one thin mark per contact
    xy = analysis.clean.xy_px.copy()
    xy[60:70, INDEX["left_shoulder"]] = np.nan
    xy[60:70, INDEX["right_shoulder"]] = np.nan
    gap = dataclasses.replace(analysis, clean=analysis.clean.replace(xy_px=xy))
    root = _svg(_plots_by_id(gap)["trunk_lean"])
    line = [p for p in root.iter("path") if p.get("stroke") == "#0b7285" and p.get("fill") == "none"]
    assert len(line) == 1 and line[0].get("d").count("M") == 2  # the gap breaks the line


def test_one_step_and_constant_values(analysis):
    one = dataclasses.replace(
        analysis,
        events=GaitEvents(steps=analysis.events.steps[:1]),
        metrics={
            mid: _with_per_step(m, m.per_step[:1]) if m.per_step else m for mid, m in analysis.metrics.items()
        },
    )
    plots = _plots_by_id(one)
    assert "knee_cycle" not in plots  # no complete stride
    root = _svg(plots["overstride"])
    assert _marker_paths(root, SIDE_HEX["left"]) == [1, 1] and _marker_paths(root, SIDE_HEX["right"]) == []
    m = analysis.metrics["overstride_distance"]
    flat = dataclasses.replace(
        analysis,
        metrics={**analysis.metrics, "overstride_distance": _with_per_step(m, (4.0,) * 12)},
    )
    ticks = _y_ticks(_svg(_plots_by_id(flat)["overstride"]))[0]
    assert len(ticks) >= 3 and ticks[0] < 4.0 < ticks[-1]  # a constant series gets a padded range


def test_long_clip_plots_stay_small_and_fast():
    import time

    a = _long_analysis()
    assert a.clean.n_frames == 36_000 and len(a.events.steps) > 1700
    t0 = time.perf_counter()
    plots = _plots_by_id(a)
    elapsed = time.perf_counter() - t0
    sizes = {k: len(p.svg.encode()) for k, p in plots.items()}
    assert sizes["trunk_lean"] < 200_000 and sum(sizes.values()) < 400_000, sizes
    assert elapsed < 1.0, elapsed  # ~0.1 s measured; matplotlib took several seconds
    root = _svg(plots["trunk_lean"])
    line = next(p for p in root.iter("path") if p.get("stroke") == "#0b7285" and p.get("fill") == "none")
    assert len(line.get("d").split()) < 2 * 2 * 600  # decimated: at most two points per pixel column
    n_left = sum(s.side == "left" for s in a.events.steps)
    marks = next(p for p in root.iter("path") if p.get("stroke") == SIDE_HEX["left"])
    assert marks.get("d").count("V") == n_left
    valid_left = sum(
        s.side == "left" and s.valid and v is not None
        for s, v in zip(a.events.steps, a.metrics["foot_strike_angle_deg"].per_step, strict=True)
    )
    assert _marker_paths(_svg(plots["foot_strike"]), SIDE_HEX["left"]) == [valid_left]


def test_a_range_of_one_value_is_not_written_as_a_range() -> None:
    """A heel-landing share of 100% whose every resample agrees reads '100%', not 'likely 100 to 100%'; a real
    range is still written."""
    from formcheck.config import Thresholds
    from formcheck.model import MetricResult
    from formcheck.report.measure_html import interval_html

    def strike(interval: list[float]) -> MetricResult:
        return MetricResult(
            "foot_strike_type",
            "rearfoot",
            "category",
            "flag",
            "E",
            n_steps=15,
            extra={"verdict_value": 100.0, "verdict_interval": interval},
        )

    point = interval_html(strike([100.0, 100.0]), Thresholds())
    assert "likely" not in point and "100" in point
    assert "likely 80 to 100" in interval_html(strike([80.0, 100.0]), Thresholds())
    # Whatever the type, the card gives the share of heel landings that decides it (side_21: midfoot, 36.4%, 0-100).
    midfoot = MetricResult(
        "foot_strike_type",
        "midfoot",
        "category",
        "good",
        "E",
        n_steps=11,
        extra={"heel_landing_share_pct": 36.4, "heel_landing_share_interval": [0.0, 100.0]},
    )
    assert "the share of heel landings: 36.4%, likely 0 to 100%" in interval_html(midfoot, Thresholds())
    trunk = MetricResult("trunk_lean_deg", 5.0, "deg", "good", "E", n_steps=10, interval=(5.0, 5.0))
    assert interval_html(trunk, Thresholds()) == ""
