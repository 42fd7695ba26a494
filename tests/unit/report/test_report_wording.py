"""The report's finding details read as sentences: the guidance line starts with a capital and ends with a full
stop, like the rest of the page (a coach's read of side_01's report, where it read 'take a shorter, quicker
stride')."""

from __future__ import annotations

from formcheck.model import Finding
from formcheck.report.measure_html import finding_detail


def test_guidance_line_of_a_finding_is_a_sentence() -> None:
    f = Finding(
        metric="cadence_spm",
        verdict="flag",
        guidance="take a shorter, quicker stride",
        message="Your step rate is 157.3 steps per minute.",
        cue="Light, quick steps.",
    )
    html = finding_detail(f, None)
    assert "<dt>Guidance</dt><dd>Take a shorter, quicker stride.</dd>" in html
    done = finding_detail(
        Finding(metric="cadence_spm", verdict="flag", guidance="Keep going.", message="x", cue=""), None
    )
    assert "<dd>Keep going.</dd>" in done


def test_warnings_before_you_read_on_are_sentences(tmp_path) -> None:
    """overground_side_street_50fps: four warnings, each began lower-case and had no full stop."""
    import dataclasses

    from formcheck.report.html import write_report
    from tests.fixtures.fake_analysis import make_fake_analysis

    warned = dataclasses.replace(
        make_fake_analysis(),
        warnings=(
            "the runner is visible in 62% of the frames; only those parts were analysed",
            "fewer than 7 valid steps per side (left 2, right 2): film longer.",
        ),
    )
    html = write_report(warned, tmp_path, key_frames=[]).read_text()
    assert "<li>The runner is visible in 62% of the frames; only those parts were analysed.</li>" in html
    assert "<li>Fewer than 7 valid steps per side (left 2, right 2): film longer.</li>" in html


def test_header_says_where_a_rear_or_front_runner_goes(tmp_path) -> None:
    """overground_rear_receding's header read 'rear view · away · 12.0 s'."""
    import dataclasses

    from formcheck.report.clip_facts import direction_words
    from formcheck.report.html import write_report
    from tests.fixtures.fake_analysis import make_fake_analysis

    assert direction_words("away") == "running away from the camera"
    assert direction_words("toward") == "running toward the camera"
    assert direction_words("left") == "running left"
    away = dataclasses.replace(make_fake_analysis(), direction="away")
    html = write_report(away, tmp_path, key_frames=[]).read_text()
    assert " · running away from the camera · " in html
    assert "<dt>Direction of travel</dt><dd>running away from the camera</dd>" in html


SLOWED = (
    "the clip plays slowed down (apparent cadence 77 steps/min) and its file gives no capture frame rate, so times "
    "are not real (pass --capture-fps with the rate it was filmed at): cadence and contact time are not reported"
)


def test_a_reason_told_before_you_read_on_is_not_repeated_under_the_summary(tmp_path) -> None:
    """overground_front_two_joggers: the slowed-down warning was printed again, in nested brackets, after
    'No verdict in this clip: cadence (...)'."""
    import dataclasses

    from formcheck.model import MetricResult
    from formcheck.report.html import write_report
    from tests.fixtures.fake_analysis import make_fake_analysis

    a = make_fake_analysis()
    cadence = MetricResult("cadence_spm", None, "steps/min", "n/a", "E", note=SLOWED)
    slowed = dataclasses.replace(a, metrics={**a.metrics, "cadence_spm": cadence}, warnings=(SLOWED,))
    html = write_report(slowed, tmp_path, key_frames=[]).read_text()
    assert "No verdict in this clip: cadence (see above)." in html
    summary = html[html.index('id="summary"') : html.index('id="keyframes"')]
    assert "apparent cadence" not in summary  # told once, above, in "Before you read on"
    assert "<li>The clip plays slowed down (apparent cadence 77 steps/min)" in html
    # without the warning above, the reason is still given
    quiet = dataclasses.replace(slowed, warnings=())
    html = write_report(quiet, tmp_path, key_frames=[]).read_text()
    assert "No verdict in this clip: cadence (the clip plays slowed down (apparent cadence 77" in html


def test_evidence_tags_are_explained_without_research_jargon() -> None:
    """side_05's findings read 'E – published cut-off or dose-response' and 'H – formcheck heuristic'."""
    from formcheck.report.labels import EVIDENCE_LEGEND

    words = " ".join(EVIDENCE_LEGEND.values()).lower()
    assert "dose-response" not in words and "heuristic" not in words
    assert EVIDENCE_LEGEND["H"] == "formcheck's own rule of thumb; no published cut-off"


def test_side_video_caption_explains_the_overstride_arrow_colour() -> None:
    """treadmill_side_garage_30fps step 4: 'overstride 27% leg' drawn red, its reach just before landing (30.5%)
    beyond the 30% flag line, with no word in the report on what the colour follows."""
    from formcheck.report.views import video_caption

    side = video_caption("side")
    assert "arrow's colour is that step's overstride verdict" in side
    assert "how far the heel reaches just before landing" in side
    assert "vertical the trunk lean is measured from" in side
