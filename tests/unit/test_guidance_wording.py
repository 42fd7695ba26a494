"""The findings' sentences as a runner reads them, from a coach's read of real clips (side_05, side_21,
overground_side_street_50fps, overground_rear_receding, overground_front_two_joggers): each sentence says one thing
once, does not contradict its own number or verdict, and has no bare minus sign or developer number format."""

from __future__ import annotations

import dataclasses

import pytest

from formcheck.config import INF, Bands, Thresholds
from formcheck.guidance import build_findings, good_message
from formcheck.metrics.display import fmt_interval, fmt_number
from formcheck.model import MetricResult

# The knee's bend at midstance has no verdict by default; these sentences are for a coach who sets bands with
# --config (here Souza 2016's, the defaults before).
TH = dataclasses.replace(
    Thresholds(),
    knee_flexion_midstance_deg=Bands(
        good=((45.0, INF),), watch=((40.0, 45.0),), evidence="N", source="set in coach.toml"
    ),
)


def _m(mid: str, value: float, unit: str, verdict: str, n_steps: int = 12, **kw) -> MetricResult:
    return MetricResult(
        mid, value, unit, verdict, "N", n_steps=n_steps, interval=(value - 3, value + 3), **kw
    )


def _message(m: MetricResult, **others: MetricResult) -> str:
    (f,) = [f for f in build_findings({m.id: m, **others}, TH) if f.metric == m.id]
    return f.message


def test_knee_bend_below_the_band_states_the_target_once() -> None:
    """side_21 read 'around 45° or more absorbs impact better. Aim for 45° or more (now 30.3°)'."""
    msg = _message(_m("knee_flexion_midstance_deg", 30.3, "deg", "watch"))
    assert msg.count("45°") == 1
    assert "Aim for 45° or more (now 30.3°)" in msg
    assert msg.startswith("Your knee bends 30.3° at most while the foot is on the ground")


def test_knee_bend_borderline_inside_the_band_is_not_told_to_reach_what_it_has() -> None:
    """overground_side_street_50fps: 46.6° borderline read 'around 45° or more absorbs impact better'."""
    msg = _message(_m("knee_flexion_midstance_deg", 46.6, "deg", "borderline"))
    assert "just past the 45°" in msg
    assert "Aim for" not in msg and "better" not in msg


def test_knee_bend_claims_no_more_than_the_evidence() -> None:
    """It read 'more bend absorbs impact better' and advised 'a slightly quicker cadence', which lowers the knee's
    bend (Heiderscheit 2011); Souza 2016 only says a much straighter knee 'may suggest' less shock absorption."""
    (f,) = build_findings(
        {"knee_flexion_midstance_deg": _m("knee_flexion_midstance_deg", 30.3, "deg", "watch")}, TH
    )
    text = " ".join((f.message, f.why, f.helps))
    assert "absorbs impact better" not in text and "cadence" not in text
    assert "may absorb less" in f.why and "no injury cut-off" in f.why


def test_knee_bend_judged_before_against_today_s_empty_bands_has_one_finding_and_no_crash() -> None:
    """An analysis.json written before the bands were emptied keeps its 'watch' verdict; judged against today's
    defaults (no bands) its sentence has no band edge to quote and raised IndexError."""
    (f,) = build_findings(
        {"knee_flexion_midstance_deg": _m("knee_flexion_midstance_deg", 30.3, "deg", "watch")}, Thresholds()
    )
    assert f.message == "Your knee bends 30.3° at most while the foot is on the ground."


def test_trunk_lean_borderline_inside_the_usual_range_is_not_called_more_than_it() -> None:
    """overground_side_street_50fps: 4.7° borderline read 'more than the usual 4-11°'; the band is 3.5-11°."""
    msg = _message(_m("trunk_lean_deg", 4.7, "deg", "borderline"))
    assert "more than the usual" not in msg
    assert "inside the usual 3.5-11° but near its upright end" in msg
    near_forward = _message(_m("trunk_lean_deg", 10.2, "deg", "borderline"))
    assert "near its forward end" in near_forward


def test_trunk_lean_beyond_the_range_quotes_the_bands_judged_with() -> None:
    msg = _message(_m("trunk_lean_deg", 13.0, "deg", "watch"))
    assert "more than the usual 3.5-11°" in msg and "4-11" not in msg


def test_overstride_sentence_leads_with_the_reach_the_verdict_is_on() -> None:
    """side_05 read 'Your heel lands 29% ... with the shin 7.5° from vertical and reaches 32.9% ahead'."""
    shank = _m("shank_angle_ic_deg", 7.5, "deg", "borderline")
    over = _m(
        "overstride_distance", 29.0, "%leg", "flag", extra={"verdict_value": 32.9, "reach_pctleg": 32.9}
    )
    msg = _message(over, shank_angle_ic_deg=shank)
    assert msg.startswith(
        "Just before landing your heel reaches 32.9% of your leg length ahead of your hips; it lands 29% ahead, "
        "with the shin 7.5° from vertical."
    )
    assert "vertical and reaches" not in msg
    assert "(now 32.9%)" in msg
    without_reach = _message(_m("overstride_distance", 29.0, "%leg", "flag"))
    assert without_reach.startswith("Your heel lands 29% of your leg length ahead of your hips.")


@pytest.mark.parametrize(("n_steps", "for_longer"), [(8, True), (15, True), (16, False), (32, False)])
def test_borderline_note_asks_for_more_steps_only_when_the_clip_had_too_few(
    n_steps: int, for_longer: bool
) -> None:
    """overground_rear_receding: 32 steps and told to film 'for longer (at least 16 steps)'; side_05: 22 steps,
    told the same about the knee, a near-leg measure of 11 of them."""
    msg = _message(_m("step_width", 17.0, "%hip width", "borderline", n_steps=n_steps))
    assert ("for longer (at least 16 steps)" in msg) is for_longer
    assert "within measurement error of the cut-off" in msg and "60 fps" in msg
    near_leg = _m("knee_flexion_midstance_deg", 34.4, "deg", "borderline", n_steps=n_steps // 2)
    msg = _message(near_leg, cadence_spm=_m("cadence_spm", 175.0, "steps/min", "good", n_steps=n_steps))
    assert ("for longer (at least 16 steps)" in msg) is for_longer


def test_arm_crossover_is_told_as_a_share_of_the_time() -> None:
    msg = _message(_m("arm_crossover_pct", 15.4, "% of stride", "watch"))
    assert msg.startswith("A hand is across the midline of your body 15.4% of the time you run.")


def test_good_side_to_side_measures_have_no_bare_minus_sign() -> None:
    """overground_rear_receding: 'Your pelvis stays fairly level (-2.7° of drop)'; the front joggers: side lean
    '(-1.7°)'."""
    pelvis = good_message(_m("pelvic_tilt_deg", -2.7, "deg", "good"), TH)
    assert pelvis == "Your pelvis stays fairly level (the swing-leg side sits 2.7° higher, not lower)."
    assert good_message(_m("pelvic_tilt_deg", 2.1, "deg", "good"), TH) == (
        "Your pelvis stays fairly level (2.1° of drop)."
    )
    lean = good_message(_m("lateral_trunk_lean_deg", -1.7, "deg", "good"), TH)
    assert lean == "Your trunk stays upright side to side (within 1.7° of vertical)."


def test_bands_read_without_float_noise_or_an_empty_flag() -> None:
    """Step width's watch band starts at 1e-9 (0 is a crossover): the report read 'watch 1e-09 to 25'; a metric
    never flagged read '...; flag ' with nothing after it."""
    assert TH.step_width_pct.describe() == "good >= 25; watch above 0 to 25; flag otherwise"
    assert TH.lateral_trunk_lean_deg.describe() == "good < 5; watch >= 5"
    assert TH.trunk_lean_deg.describe() == "good 3.5 to 11; watch 0 to 3.5, 11 to 15; flag otherwise"


def test_percent_units_read_as_words_on_the_video_panel_and_cards() -> None:
    """The front joggers' video panel read '23 %hip width' and '15 % of stride'."""
    assert fmt_number(23.2, "%hip width") == "23% hip width"
    assert fmt_number(15.4, "% of stride") == "15% of stride"
    assert fmt_interval((9.5, 21.8), "% of stride") == "9 to 22% of stride"


def test_an_unclear_strike_reads_as_words_in_cards_and_tables() -> None:
    assert fmt_number("indeterminate", "category") == "type unclear"
    assert fmt_number("rearfoot", "category") == "rearfoot"
