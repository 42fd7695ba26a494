"""The running-form guidance formcheck checks each verdict against (GUIDANCE.md), and the plain-language findings.

Pure: takes metric results, returns Findings. Verdicts come from METRICS.md's evidence (config.py); this module
only says, for a non-good verdict, what was seen, the guidance it is checked against, why it matters for the back,
what helps, and a short cue to think of while running.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from formcheck.config import Bands, Thresholds
from formcheck.model import Finding, MetricResult

DISCLAIMER = (
    "formcheck describes how you move; it does not diagnose. Pain that persists despite rest and changes, pain that "
    "spreads into the buttocks or legs, or numbness, tingling or weakness in the legs is a reason to see a physical "
    "therapist or doctor."
)

CONTEXT_NOTE = (
    "Video cannot see everything that matters for a healthy back: warm up before running, raise training "
    "gradually (about 10% a week), leave time for rest and recovery, and choose shoes and surfaces that suit you."
)


@dataclass(frozen=True)
class Guidance:
    """One guidance item: the statement checked, why it matters, what helps, and a short cue."""

    statement: str
    why: str
    helps: str
    cue: str


GUIDANCE: dict[str, Guidance] = {
    "overstride_distance": Guidance(
        statement="land with the foot beneath the hips, not out in front of the body",
        why="A foot that lands far ahead of the body brakes every step and sends a jolt up the legs into the lower back.",
        helps="Take slightly shorter, quicker steps (about 5-10% more steps per minute) and aim to land under your hips.",
        cue="Quick feet, land under you.",
    ),
    "shank_angle_ic_deg": Guidance(
        statement="land with the shin close to vertical, foot under the knee",
        why="A shin angled forward at landing means the foot is reaching ahead and braking.",
        helps="Shorter, quicker steps bring the foot back under the knee.",
        cue="Step down, not out.",
    ),
    "foot_strike_type": Guidance(
        statement="land on the midfoot or forefoot rather than the heel",
        why="A hard heel landing adds impact that can travel up to the lower back, most of all when the foot lands far ahead.",
        helps="Practise a midfoot landing together with a shorter stride; on its own a heel strike is often harmless.",
        cue="Land softly, under your hips.",
    ),
    "foot_strike_angle_deg": Guidance(
        statement="land on the midfoot or forefoot rather than the heel",
        why="A steep toes-up landing usually goes with a reaching, braking step.",
        helps="Work on landing closer to the body; the foot flattens by itself when the stride shortens.",
        cue="Land softly, under your hips.",
    ),
    "cadence_spm": Guidance(
        statement="take a shorter, quicker stride",
        why="Long, slow strides raise the impact of each landing.",
        helps="Raise your step rate a little (5-10%), for example with a metronome, and change it gradually.",
        cue="Light, quick steps.",
    ),
    "trunk_lean_deg": Guidance(
        statement="run tall with a neutral spine, without excessive forward lean",
        why="Leaning or slouching far forward keeps the lower-back muscles working hard on every step.",
        helps="Core strength (planks, side planks, bird-dogs, dead bugs), stretching the hip flexors, and thinking 'tall'.",
        cue="Run tall, lean slightly from the ankles.",
    ),
    "knee_flexion_ic_deg": Guidance(
        statement="land with a soft, slightly bent knee under the body",
        why="A straight knee far in front of the body takes the landing without cushioning.",
        helps="Shorter steps let the knee stay bent at landing.",
        cue="Soft knees.",
    ),
    # Shown only when a coach's --config gives the knee's bend at midstance bands (by default it has no verdict:
    # config.Thresholds.knee_flexion_midstance_deg). Not "a quicker cadence": that lowers the peak knee bend
    # (Heiderscheit 2011).
    "knee_flexion_midstance_deg": Guidance(
        statement="let the knee bend to absorb each landing",
        why="A knee that bends much less than usual in stance may absorb less of the landing (Souza 2016); "
        "it is no injury cut-off.",
        helps="Relaxed, soft landings; strength work for the legs and hips.",
        cue="Land softly, like a spring.",
    ),
    "vertical_oscillation": Guidance(
        statement="run smoothly, without bounding up and down",
        why="A big bounce means a bigger drop, and a harder landing, on every step.",
        helps="Quicker, shorter steps that travel forward rather than up.",
        cue="Run forward, not up.",
    ),
    "arm_swing_deg": Guidance(
        statement="swing the arms naturally, neither too little nor too much",
        why="Too little or too much arm swing makes the upper body twist to balance the legs.",
        helps="A relaxed swing from the shoulder, elbows bent, hands not crossing the middle of the body.",
        cue="Relaxed arms, swing from the shoulder.",
    ),
    "elbow_angle_deg": Guidance(
        statement="carry the arms bent at the elbow, relaxed",
        why="Straight, stiff arms swing slowly and can pull the shoulders up and the trunk round.",
        helps="Bend the elbows to roughly a right angle and keep the hands loose.",
        cue="Bend the elbows, loose hands.",
    ),
    "pelvic_tilt_deg": Guidance(
        statement="keep the pelvis stable and level",
        why="When the pelvis drops on the swing side, weak hips and core are often at play, straining the lower back and the sacroiliac joint.",
        helps="Strengthen glutes and hips (glute bridges, side planks, clamshells) and core (planks, bird-dogs); stretch hip flexors and hamstrings.",
        cue="Hips level, squeeze the glutes.",
    ),
    "lateral_trunk_lean_deg": Guidance(
        statement="keep the pelvis and trunk stable and level",
        why="Leaning sideways over the stance leg often compensates for weak hip muscles and loads the lower back.",
        helps="Hip-abductor and core strength (side planks, clamshells, single-leg work).",
        cue="Stay tall and level.",
    ),
    "step_width": Guidance(
        statement="land with the feet under the hips, not across the midline",
        why="Feet that cross the midline bring the knees in and shift the pelvis and spine out of line.",
        helps="Hip strength, and shoes fitted to your feet; see a professional about pronation.",
        cue="Run on two lines, not a tightrope.",
    ),
    "arm_crossover_pct": Guidance(
        statement="swing the arms forward and back, not across the body",
        why="Hands crossing the midline twist the upper body on every stride.",
        helps="Drive the elbows straight back; keep the hands beside the body.",
        cue="Hands by your pockets.",
    ),
    "head_forward": Guidance(
        statement="keep the head up and over the shoulders, eyes forward",
        why="A head that juts forward, or drops toward the feet, pulls the spine out of line and makes the neck and upper back work on every stride.",
        helps="Look ahead down the road, not at your feet; let the head sit tall on the shoulders.",
        cue="Eyes ahead, head tall.",
    ),
    "head_pitch_deg": Guidance(
        statement="keep the head up, eyes forward, not down at the feet",
        why="Looking down drops the head and rounds the upper back, pulling the spine out of line.",
        helps="Fix your gaze 10-20 metres ahead; check your posture when you tire.",
        cue="Eyes on the horizon.",
    ),
    "shoulder_elevation_pct": Guidance(
        statement="keep the shoulders relaxed and down, not hunched or rising",
        why="Tense shoulders creeping up toward the ears stiffen the upper back and arm swing; the articles name them as a cause of upper-back pain.",
        helps="Drop and relax the shoulders every few minutes, most of all when tired; keep the hands loose.",
        cue="Shoulders down, loose hands.",
    ),
    "shoulder_bounce": Guidance(
        statement="keep the shoulders relaxed and down, not hunched or rising",
        why="Shoulders that rise and fall with every stride usually mean tension in the upper body.",
        helps="Relax the shoulders and let the arms swing from them.",
        cue="Quiet shoulders.",
    ),
    "thigh_extension_deg": Guidance(
        statement="let the hip extend behind you; tight hip flexors limit it and pull the pelvis forward",
        why="When tight hip flexors stop the thigh swinging back, the lower back arches to make up for it, and runners often bound or overstride instead.",
        helps="Stretch the hip flexors (kneeling lunge stretch) and strengthen the glutes (glute bridges).",
        cue="Push the ground away behind you.",
    ),
    "knee_collapse_deg": Guidance(
        statement="knees track over the feet, not collapsing inward",
        why="Feet rolling in can bring the knees in and shift the pelvis and spine out of line.",
        helps="Hip strength (side planks, clamshells, single-leg squats in front of a mirror); shoes fitted to your feet; see a professional about pronation.",
        cue="Knees over toes.",
    ),
    "hip_adduction_deg": Guidance(
        statement="keep the pelvis stable and level, the thigh under the hip",
        why="A thigh that swings in under a dropping pelvis often goes with weak hip muscles, straining the lower back and the sacroiliac joint.",
        helps="Strengthen glutes and hips (glute bridges, side planks, clamshells); a slightly quicker cadence reduces it.",
        cue="Hips level, knees apart.",
    ),
    "torso_twist_deg": Guidance(
        statement="avoid excessive twisting or rotating of the torso",
        why="Repeated twisting loads the spine.",
        helps="Core stability work (planks, bird-dogs, dead bugs) and an arm swing that balances the legs, forward and back.",
        cue="Chest forward, arms forward and back.",
    ),
}


def _fmt(value: float | str | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    unit_txt = {"deg": "°", "%leg": "% of leg length", "steps/min": " steps/min", "ms": " ms"}.get(
        unit, f" {unit}"
    )
    return f"{value:g}{unit_txt}"


# A +5% and +10% step rate lowered knee (and at +10% hip) load at the same speed (Heiderscheit 2011, E).
CADENCE_TARGET_RISE = (1.05, 1.10)


def cadence_target(spm: float, th: Thresholds) -> str:
    """The step rate to try, as a range in steps/min: 5-10% more than now (Heiderscheit 2011), starting no lower
    than the good band (``th.cadence_spm_at_speed``, moved to the clip's speed when it is known)."""
    good_low = th.cadence_spm_at_speed.good[0][0]
    if spm >= good_low:
        return f"Keep it at {math.ceil(good_low)} steps per minute or more."
    low, high = math.ceil(spm * CADENCE_TARGET_RISE[0]), round(spm * CADENCE_TARGET_RISE[1])
    if high < good_low:  # a long way below: one step of 5-10% at a time
        return (
            f"Try {low}-{high} steps per minute first, about 5-10% more than now, at the same speed, and raise it "
            "gradually from there."
        )
    low = max(low, math.ceil(good_low))
    high = max(high, low + 2)
    pct = round(100.0 * ((low + high) / 2.0 / spm - 1.0))
    return f"Try {low}-{high} steps per minute, about {pct}% more than now, at the same speed."


_UNIT_WORDS = {
    "deg": "°",
    "%leg": "% of leg length",
    "%hip width": "% of hip width",
    "% of stride": "% of each stride",
}


def target_text(m: MetricResult, th: Thresholds) -> str:
    """The metric's good band as a target, with where the runner is now ('Aim for 3.5-11° (now 1.2°).'); the
    quantity the bands judge (the heel's reach for overstride). Empty for a metric with no bands or no number,
    and for cadence, whose target is a change from now (``cadence_target``)."""
    from formcheck.metrics.registry import REGISTRY

    spec = REGISTRY.get(m.id)
    bands = None if spec is None or m.id == "cadence_spm" else spec.bands_in(th)
    v = m.extra.get("verdict_value", m.value)
    if bands is None or not bands.good or not isinstance(v, (int, float)):
        return ""
    lo, hi = min(
        bands.good, key=lambda iv: 0.0 if iv[0] <= v < iv[1] else min(abs(v - iv[0]), abs(v - iv[1]))
    )
    if lo <= v < hi:
        return ""  # already in the good band (a borderline value on the good side): nothing to aim for
    unit = _UNIT_WORDS.get(m.unit, f" {m.unit}")
    now = f"{v:g}{'%' if m.unit.startswith('%') else unit}"
    if math.isinf(lo):
        band = f"less than {hi:g}{unit}"
    elif math.isinf(hi):
        band = f"{lo:g}{unit} or more"
    else:
        band = f"{lo:g}-{hi:g}{unit}"
    if m.id == "overstride_distance":
        return f" Aim for the heel to reach {band} ahead of the hips before landing (now {now})."
    return f" Aim for {band} (now {now})."


def _message(m: MetricResult, metrics: dict[str, MetricResult], th: Thresholds) -> str:
    """What was seen, in a sentence a runner reads in a few seconds; band edges come from ``th``, the thresholds
    the verdict was judged with."""
    v = m.value
    if m.id == "overstride_distance":
        # The verdict is on the reach just before landing, so that comes first; the landing and the shin after.
        shank = metrics.get("shank_angle_ic_deg")
        shank_txt = (
            f", with the shin {shank.value:g}° from vertical"
            if shank and isinstance(shank.value, float)
            else ""
        )
        reach = m.extra.get("reach_pctleg")
        if isinstance(reach, float):
            return (
                f"Just before landing your heel reaches {reach:g}% of your leg length ahead of your hips; "
                f"it lands {v:g}% ahead{shank_txt}."
            )
        return f"Your heel lands {v:g}% of your leg length ahead of your hips{shank_txt}."
    if m.id == "shank_angle_ic_deg":
        return f"At landing your shin tilts {v:g}° forward of vertical: the foot reaches ahead of the knee."
    if m.id in ("foot_strike_type", "foot_strike_angle_deg"):
        over = metrics.get("overstride_distance")
        kind = metrics.get("foot_strike_type")
        kind_txt = kind.value if kind and kind.value else "rearfoot"
        if m.verdict == "flag":
            return f"You land {kind_txt} (heel first) with the foot well ahead of the hips: the combination that loads the body most."
        over_txt = "" if over is None or over.verdict == "good" else " and a little ahead of your hips"
        return (
            f"You land on your heel ({kind_txt}){over_txt}. On its own a heel strike is often harmless; "
            "it matters most together with overstriding."
        )
    if m.id == "cadence_spm":
        speed = f"{th.speed_mps * 3.6:.1f} km/h" if th.speed_mps else "an easy-to-moderate pace"
        side = "just above the line" if v >= th.cadence_spm_at_speed.good[0][0] else "on the low side"
        return f"Your step rate is {v:g} steps per minute, {side} for {speed}. " + cadence_target(
            float(v), th
        )
    if m.id == "trunk_lean_deg":
        if isinstance(v, float) and v < 0 and (m.interval is None or m.interval[1] >= 0.0):
            # Within measurement error of vertical: a low camera alone reads a degree or two back (METRICS.md 4.8).
            return (
                f"You run upright, close to vertical ({v:g}°, within measurement error of it), which shifts load "
                "onto the knees."
            )
        if isinstance(v, float) and v < 0:
            return f"You lean back by {abs(v):g}°."
        lo, hi = _good_low(th.trunk_lean_deg), _good_high(th.trunk_lean_deg)
        if isinstance(v, float) and v < lo:
            return f"You run very upright ({v:g}° of forward lean), which shifts load onto the knees."
        if (
            isinstance(v, float) and v < hi
        ):  # a borderline value inside the usual range: say which edge is near
            edge = "upright" if v - lo < hi - v else "forward"
            return f"You lean forward by {v:g}°, inside the usual {lo:g}-{hi:g}° but near its {edge} end."
        return f"You lean forward by {v:g}° from the hips, more than the usual {lo:g}-{hi:g}°."
    if m.id == "knee_flexion_ic_deg":
        return f"Your knee is nearly straight at landing ({v:g}° of bend) while the foot lands ahead of you."
    if m.id == "knee_flexion_midstance_deg":
        # Judged only with a coach's bands (--config). Below them, target_text says "Aim for 40° or more (now
        # ...)": the band is not said twice.
        bands = th.knee_flexion_midstance_deg
        good_low = _good_low(bands) if bands.good else None
        if isinstance(v, float) and good_low is not None and v >= good_low:
            return (
                f"Your knee bends {v:g}° at most while the foot is on the ground, just past the {good_low:g}° "
                "of the band used."
            )
        return f"Your knee bends {v:g}° at most while the foot is on the ground."
    if m.id == "vertical_oscillation":
        return f"Your hips rise and fall by {v:g}% of your leg length each stride."
    if m.id == "arm_swing_deg":
        if isinstance(v, float) and v >= _good_high(th.arm_swing_deg):
            return f"Your upper arm swings through {v:g}° each stride: a big swing."
        return f"Your upper arm swings through only {v:g}° each stride."
    if m.id == "elbow_angle_deg":
        return f"Your elbow stays open at about {v:g}° (180° is straight)."
    if m.id == "pelvic_tilt_deg":
        return f"Your pelvis drops {v:g}° on the swing-leg side at midstance."
    if m.id == "lateral_trunk_lean_deg":
        return f"Your trunk leans {v:g}° sideways over the stance leg."
    if m.id == "step_width":
        if isinstance(v, float) and v <= 0:
            return "Your feet land on or across the midline of your body (crossover)."
        return f"Your feet land close to the midline ({v:g}% of hip width from it)."
    if m.id == "arm_crossover_pct":
        return f"A hand is across the midline of your body {v:g}% of the time you run."
    if m.id in _POSTURE_CHANGE:
        n, steps = m.extra.get("changed_steps"), m.n_steps
        return f"In {n} of {steps} steps {_POSTURE_CHANGE[m.id]} than is usual for you in this clip."
    if m.id == "knee_collapse_deg":
        return (
            f"At midstance your knee appears to move inside the line from hip to ankle ({v:g}°). This is how it "
            "looks on video, not a measure of the knee joint itself."
        )
    return f"{m.id}: {_fmt(v, m.unit)}."


# Head and shoulder findings compare steps with the runner's own typical step in the clip (METRICS.md 4.11).
_POSTURE_CHANGE: dict[str, str] = {
    "head_forward": "your head was carried further forward",
    "head_pitch_deg": "you looked further down",
    "shoulder_elevation_pct": "your shoulders rose higher toward your ears",
}

_GOOD_MESSAGES: dict[str, str] = {
    "overstride_distance": "Your foot lands close under your hips ({v:g}% of leg length ahead).",
    "foot_strike_type": "You land {v} — no change needed.",
    "trunk_lean_deg": "You run tall with a slight forward lean of {v:g}°, within the usual {lo:g}-{hi:g}°.",
    "pelvic_tilt_deg": "Your pelvis stays fairly level ({v:g}° of drop).",
    "arm_swing_deg": "Your arms swing through {v:g}° each stride: a natural, relaxed range.",
    "cadence_spm": "Your step rate of {v:g} steps per minute is in a good range.",
    "knee_flexion_midstance_deg": "Your knee bends {v:g}° in stance, absorbing the landing.",
    "vertical_oscillation": "Your hips bounce only {v:g}% of leg length per stride: a smooth run.",
    "elbow_angle_deg": "Your elbows stay bent at about {v:g}°.",
    "lateral_trunk_lean_deg": "Your trunk stays upright side to side ({v:g}°).",
    "step_width": "Your feet land either side of the midline.",
    "arm_crossover_pct": "Your hands stay on their own side of the body.",
    "head_forward": "Your head carriage stays steady through the clip.",
    "head_pitch_deg": "Your gaze stays steady through the clip; you do not drop your head as you go.",
    "shoulder_elevation_pct": "Your shoulders stay at the same height through the clip; they do not creep up.",
    "knee_collapse_deg": "Your knees appear to stay in line over your feet ({v:g}°).",
}


def _good_low(bands: Bands) -> float:
    """The lower edge of the first good interval."""
    return bands.good[0][0]


def _good_high(bands: Bands) -> float:
    """The upper edge of the first good interval."""
    return bands.good[0][1]


def good_message(m: MetricResult, thresholds: Thresholds) -> str:
    """A plain sentence for a good verdict, for the report's summary card ('' when there is none); band edges
    from ``thresholds``, the ones the verdict was judged with."""
    template = _GOOD_MESSAGES.get(m.id)
    if template is None or m.verdict != "good" or m.value is None:
        return ""
    lean = thresholds.trunk_lean_deg.good[0]
    if m.id == "lateral_trunk_lean_deg" and isinstance(m.value, float):
        # + = toward the stance foot (METRICS.md 5.2); either way a small lean is upright, so no bare minus sign.
        return f"Your trunk stays upright side to side (within {abs(m.value):g}° of vertical)."
    if m.id == "pelvic_tilt_deg" and isinstance(m.value, float) and m.value < 0:
        # + = the swing-side hip lower (METRICS.md 5.1); a negative value is that hip higher, not "-2.7° of drop".
        return (
            f"Your pelvis stays fairly level (the swing-leg side sits {abs(m.value):g}° higher, not lower)."
        )
    return template.format(v=m.value, lo=lean[0], hi=lean[1])


BORDERLINE_NOTE = (
    " This is within measurement error of the cut-off, so this clip cannot say for sure: film again closer, "
    "for longer (at least 16 steps) or at 60 fps to settle it."
)
BORDERLINE_NOTE_LONG_ENOUGH = (
    " This is within measurement error of the cut-off, so this clip cannot say for sure: film again closer or at "
    "60 fps to settle it."
)
# The steps a clip needs for verdicts: about 6 s of steady running (formcheck.metrics.withheld.FILM_AGAIN).
BORDERLINE_ENOUGH_STEPS = 16


def borderline_note(clip_steps: int) -> str:
    """What to film to settle a borderline verdict; "for longer" only when the clip had fewer steps than that
    asks for (a 32-step clip told to film 16 steps reads as a mistake). ``clip_steps``: the clip's valid steps,
    not the metric's own count (a near-leg measure counts every other step)."""
    if clip_steps < BORDERLINE_ENOUGH_STEPS:
        return BORDERLINE_NOTE
    return BORDERLINE_NOTE_LONG_ENOUGH


FINDING_ORDER = {"flag": 0, "borderline": 1, "watch": 2}


def build_findings(metrics: dict[str, MetricResult], thresholds: Thresholds) -> tuple[Finding, ...]:
    """One finding per watch, borderline or flag verdict with guidance to check against, ranked by severity (flags
    first) and then by ``confidence``. The shank angle is
    folded into overstride and the strike angle into strike type, so a runner reads each issue once. Messages
    quote the band edges of ``thresholds``, the ones the verdicts were judged with."""
    folded = {"shank_angle_ic_deg", "foot_strike_angle_deg"}
    # The clip's valid steps: the most any metric was measured on (cadence and the whole-body ones use them all).
    clip_steps = max((m.n_steps for m in metrics.values()), default=0)
    out: list[Finding] = []
    for mid, m in metrics.items():
        if m.verdict not in ("watch", "borderline", "flag") or mid in folded or mid not in GUIDANCE:
            continue
        g = GUIDANCE[mid]
        out.append(
            Finding(
                metric=mid,
                verdict=m.verdict,
                guidance=g.statement,
                message=_message(m, metrics, thresholds)
                + target_text(m, thresholds)
                + (borderline_note(clip_steps) if m.verdict == "borderline" else ""),
                cue=g.cue,
                why=g.why,
                helps=g.helps,
                evidence=m.evidence,
            )
        )
    out.sort(key=lambda f: finding_rank(f.verdict, metrics[f.metric], thresholds))
    return tuple(out)


def finding_rank(verdict: str, m: MetricResult | None, th: Thresholds) -> tuple[int, float]:
    """A finding's place in "what to work on" (a clip's report and a session's alike): the most severe verdict
    first, then within a verdict the surest (``confidence``, largest first)."""
    sureness = confidence(m, th) if m is not None else 0.0
    return FINDING_ORDER.get(verdict, len(FINDING_ORDER)), -sureness


def confidence(m: MetricResult, th: Thresholds) -> float:
    """How sure a finding is: how far the judged value lies from the good band, in half-widths of its interval
    (0 inside the band, or without bands or interval). Findings of one verdict are ranked by it."""
    from formcheck.metrics.registry import REGISTRY

    spec = REGISTRY.get(m.id)
    bands = None if spec is None else spec.bands_in(th)
    v = m.extra.get("verdict_value", m.value)
    iv = m.extra.get("verdict_interval") or m.interval
    if bands is None or not bands.good or not isinstance(v, (int, float)) or iv is None:
        return 0.0
    distance = min(0.0 if lo <= v < hi else min(abs(v - lo), abs(v - hi)) for lo, hi in bands.good)
    return distance / max(0.5 * (iv[1] - iv[0]), 1e-9)
