"""What the report leads with in each camera view: the headline cards, the metric a card's "show me" button and the
steps table use per step, and the words that describe what the annotated video draws."""

from __future__ import annotations

from formcheck.metrics.registry import panel_ids

# Where the camera stood, in words ("Measured from behind", "filmed from the side").
VIEW_WORDS: dict[str, str] = {"side": "from the side", "rear": "from behind", "front": "from the front"}

# The per-step columns of the steps table, per view: (metric id, short header).
SIDE_STEP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("overstride_distance", "Heel ahead"),
    ("shank_angle_ic_deg", "Shin"),
    ("foot_strike_angle_deg", "Foot"),
)
FRONTAL_STEP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("pelvic_tilt_deg", "Pelvic drop"),
    ("step_width", "Step width"),
    ("lateral_trunk_lean_deg", "Side lean"),
)

# A headline card's per-step metric (the landing a "show me" button seeks to), where it is not the card itself.
CARD_STEP_METRIC: dict[str, str] = {"foot_strike_type": "foot_strike_angle_deg"}

VIDEO_CAPTIONS: dict[str, str] = {
    "side": (
        "Blue = left side, orange = right side. At each landing, until the other foot lands: the dashed yellow "
        "line is a vertical through the hips and the arrow shows how far ahead of it the heel lands; the shin and "
        "foot angles are those at the moment of contact. The arrow's colour is that step's overstride verdict "
        "(green good, amber watch, red flag), judged like the clip's on how far the heel reaches just before "
        "landing, so a landing number near a cut-off can wear the next band's colour. The white dashed line up "
        "from the hips is the vertical the trunk lean is measured from. The thin dashed yellow line joins the "
        "near ear and shoulder (head carriage)."
    ),
    "frontal": (
        "Blue = left side, orange = right side. The pink line joins the hip landmarks, with its tilt from the "
        "dashed yellow horizontal; the dashed white line is the body's midline from the shoulders through the "
        "hips to the ground: a foot landing on or across it is a crossover. The thin dashed yellow line runs from "
        "the standing leg's hip to its ankle, with the knee ringed: a knee inside it looks like knee collapse."
    ),
}


def is_frontal(view: str) -> bool:
    """True for rear and front views."""
    return view in ("rear", "front")


def headline_ids(view: str) -> tuple[str, ...]:
    """The report's headline metrics for a camera view, in reading order: the side-view headline metrics the side
    can measure, or the frontal-plane metrics (pelvic drop, side lean, step width and crossover, arm crossover,
    cadence) from behind or in front."""
    return panel_ids(view)


def step_columns(view: str) -> tuple[tuple[str, str], ...]:
    """The per-step metrics the steps table shows for a view."""
    return FRONTAL_STEP_COLUMNS if is_frontal(view) else SIDE_STEP_COLUMNS


def video_caption(view: str) -> str:
    """What the annotated video draws, in words, for a view."""
    return VIDEO_CAPTIONS["frontal" if is_frontal(view) else "side"]
