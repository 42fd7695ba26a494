"""The report's finding details read as sentences: the guidance line starts with a capital and ends with a full
stop, like the rest of the page (a coach's read of side_01's report, where it read 'take a shorter, quicker
stride')."""

from __future__ import annotations

from formcheck.model import Finding
from formcheck.report.html import finding_detail


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
