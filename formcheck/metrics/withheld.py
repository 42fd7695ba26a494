"""When a clip's verdicts are withheld: its usable steps are too few to judge on after the pose model lost the
runner on many of them. The values are still measured and reported with their intervals; only the verdicts (and so
the findings) go. Pure: reads the step table and the gait settings."""

from __future__ import annotations

from formcheck.config import GaitSettings
from formcheck.model import GaitEvents

# Ends the note of each metric whose verdict was withheld: "no verdict: <reason>".
NO_VERDICT = "no verdict: "
# Starts the clip's warning when its verdicts are withheld (``withheld_warning``).
NO_VERDICTS = "no verdicts: "
FILM_AGAIN = "For verdicts, film the runner alone and whole in the frame, for at least 6 s of steady running (about 16 steps)"


def verdicts_withheld_reason(events: GaitEvents, cfg: GaitSettings) -> str:
    """Why the clip's steps are too few to judge on, in plain words, or '' when verdicts can be given. Two cases,
    both where the pose model lost the runner on many steps, so the steps left may be misdetections too:

    - most steps rejected (over ``withhold_verdicts_rejection_rate``, 50%: treadmill_oblique_two_people kept 4 to 12
      of 27-29 steps, depending on the pose pass);
    - the clip unreliable (over ``unreliable_rejection_rate``, 30%, METRICS.md) and fewer than
      ``min_steps_per_side`` valid steps (7: a runner's mean is stable after ~6.3 steps, Dingenen 2018) on a side,
      with at least ``withhold_min_rejected_steps`` (3) rejected, since one misdetected contact rejects two steps:
      overground_rear_skeleton_drawn (3.4 s from a low camera, another tool's skeleton drawn into the frames)
      kept 4 of 7 steps (1 left, 3 right) and was judged on them. No clip judged cleanly is touched: the only other real clip over 30% (the
      barefoot tracking clip, 31%) keeps 22 and 25 steps a side (docs/verdicts.md, "Too few usable steps").

    Measured values are still reported, with their intervals: a coach may use a number, a verdict would mislead."""
    total, rejected = len(events.steps), events.n_rejected
    if not total or not rejected:
        return ""
    left, right = events.count("left"), events.count("right")
    if events.rejection_rate > cfg.withhold_verdicts_rejection_rate:
        return f"most steps were rejected as implausible ({rejected} of {total})"
    if (
        events.rejection_rate > cfg.unreliable_rejection_rate
        and rejected >= cfg.withhold_min_rejected_steps
        and min(left, right) < cfg.min_steps_per_side
    ):
        return (
            f"{rejected} of {total} steps were rejected as implausible, leaving {left} left and {right} right: too "
            f"few to trust after so many rejections ({cfg.min_steps_per_side} a side needed)"
        )
    return ""


def withheld_warning(reason: str) -> str:
    """The clip's one warning when its verdicts are withheld: why, and what to film instead."""
    return f"{NO_VERDICTS}{reason}; the measured values are shown with their 95% intervals. {FILM_AGAIN}"


__all__ = ["FILM_AGAIN", "NO_VERDICT", "NO_VERDICTS", "verdicts_withheld_reason", "withheld_warning"]
