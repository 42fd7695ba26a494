"""Every setting and threshold of formcheck, each defined once, with its evidence tag and source (METRICS.md).

Evidence tags: E = published cut-off or dose-response; N = normative mean +- SD of healthy runners; H = provisional
engineering heuristic (no published cut-off; calibrate on labelled data); X = not measurable from 2D BlazePose.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

INF = math.inf


@dataclass(frozen=True)
class Bands:
    """Verdict bands of a numeric metric. Intervals are [low, high); a value in no good or watch interval is
    ``flag``. ``source`` is the citation the report shows beside the verdict."""

    good: tuple[tuple[float, float], ...]
    watch: tuple[tuple[float, float], ...]
    evidence: str
    source: str
    flag: tuple[tuple[float, float], ...] | None = None  # None: everything outside good and watch

    def verdict(self, value: float | None) -> str:
        if value is None or not math.isfinite(value):
            return "n/a"
        if any(lo <= value < hi for lo, hi in self.good):
            return "good"
        if any(lo <= value < hi for lo, hi in self.watch):
            return "watch"
        if self.flag is None or any(lo <= value < hi for lo, hi in self.flag):
            return "flag"
        return "good"

    @property
    def judges(self) -> bool:
        """False for bands with no interval at all: a descriptive metric, measured and shown with no verdict (knee
        bend at midstance by default). A coach's --config that gives it intervals makes it judged again."""
        return bool(self.good or self.watch or self.flag)

    def describe(self) -> str:
        """Human-readable bands, e.g. 'good 3.5-11; watch 0-3.5, 11-15'."""

        def fmt(iv: tuple[tuple[float, float], ...]) -> str:
            parts = []
            for lo, hi in iv:
                # An edge a hair above a round number (step width's watch band starts at 1e-9, so that 0 itself is
                # a crossover) reads "above 0", not "1e-09".
                above = "above " if round(lo, 6) != lo else ""
                lo, hi = round(lo, 6), round(hi, 6)
                if lo == -INF:
                    parts.append(f"< {hi:g}")
                elif hi == INF:
                    parts.append(f"{'> ' if above else '>= '}{lo:g}")
                else:
                    parts.append(f"{above}{lo:g} to {hi:g}")
            return ", ".join(parts)

        text = f"good {fmt(self.good)}"
        if self.watch:
            text += f"; watch {fmt(self.watch)}"
        if self.flag is None:
            return text + "; flag otherwise"
        return text + f"; flag {fmt(self.flag)}" if self.flag else text  # no flag band: never flagged


@dataclass(frozen=True)
class Thresholds:
    """Verdict bands and rules for every metric (METRICS.md sections 4 and 5)."""

    cadence_spm: Bands = field(
        default_factory=lambda: Bands(
            good=((169.5, INF),),
            watch=((166.5, 169.5),),
            evidence="E",
            source="Good >=170 spm: metabolic optimum near 3 m/s (Lieberman 2015, N); flag <=166 spm: higher "
            "tibiofemoral forces (Thakkar 2019, E). Valid near 3 m/s; a +5-10% change is the better target "
            "(Heiderscheit 2011).",
        )
    )
    # The running speed of the clip, m/s, when the user gives it (``--speed``); None: not given, the cadence bands
    # as published. METRICS.md 4.1: the absolute cadence bands hold near 3 m/s (Lieberman 2015 at 3.0 m/s, Thakkar
    # 2019 at 2.98 m/s); runners raise their step rate with speed, self-selected by about 6 strides/min per m/s
    # (77, 79, 80 strides/min at 2.4, 2.6, 2.9 m/s: van Oeveren 2017, PLoS One 12:e0184273), i.e. 12 steps/min per
    # m/s. With a speed, the cadence bands move by that slope from the reference speed (H; set the slope to 0 in a
    # --config file to keep the published bands at every speed).
    speed_mps: float | None = None
    cadence_reference_speed_mps: float = 3.0
    cadence_spm_per_mps: float = 12.0
    shank_angle_ic_deg: Bands = field(
        default_factory=lambda: Bands(
            good=((-INF, 5.0),),
            watch=((5.0, 10.0),),
            evidence="H",
            source="Tibia near vertical at contact (Lieberman 2015; Souza 2016 freeze-frame); numeric cut-offs "
            "are a formcheck heuristic.",
        )
    )
    # The overstride verdict: the heel's reach ahead of the hips just before landing, % leg length
    # (formcheck/metrics/overstride.py). Calibrated on the side clips people sorted into overstride and good form
    # (clips/LABELS.md, benchmarks/score_overstride.py): the good-form clips reach 12-27%, the overstriders 34-41%
    # (both legs' steps pooled: 11.5-26.5% and 33.7-41.1%); the flag cut-off sits in that gap, the watch band covers
    # its lower half (H). docs/verdicts.md.
    overstride_reach_pct: Bands = field(
        default_factory=lambda: Bands(
            good=((-INF, 25.0),),
            watch=((25.0, 30.0),),
            evidence="H",
            source="Foot landing ahead of the body predicts braking impulse and knee load (Wille 2014; "
            "Lieberman 2015); cut-offs calibrated on clips sorted by people into overstride and good form.",
        )
    )
    # The reach is the heel's furthest point ahead of the hips from this fraction of a stride before contact up to
    # contact: late swing, where the heel's Zeni peak comes 1-3 frames before contact at 30 fps (H).
    overstride_reach_window_stride: float = 0.3
    # Foot-strike classes from the foot angle relative to flat (Altman & Davis 2012, E).
    rearfoot_above_deg: float = 8.0
    forefoot_below_deg: float = -1.6
    strike_indeterminate_margin_deg: float = 2.5  # typical 2D FSA error (Murray 2019)
    trunk_lean_deg: Bands = field(
        default_factory=lambda: Bands(
            good=((3.5, 11.0),),
            watch=((0.0, 3.5), (11.0, 15.0)),
            evidence="N",
            source="Self-selected trunk flexion 7.3+-3.6 deg, flexed 14.1+-4.8 deg (Teng & Powers 2014); greater "
            "lean in injured runners (Bramah 2018).",
        )
    )
    # Peak stance knee flexion is described, not judged (docs/verdicts.md, "Knee bend at midstance: what the
    # literature supports"). Healthy runners: 36.2 deg peak stance flexion in level treadmill running (3D,
    # thesportjournal.org polynomial 3D analysis) and 44 +- 6 deg at the peak knee moment, near midstance (3D, 20
    # runners, Roos 2012, J Biomech 45:1656): Souza 2016's ~45 deg sits at or above the healthy mean, so the old
    # bands (good >= 45, watch 40-45) called about half of healthy runners "watch". Souza says only that a knee
    # bending considerably less "may suggest" reduced shock absorption, and <40 deg is a cross-sectional
    # association in patellofemoral pain subgroups; it is not among the differences of injured runners in Bramah
    # 2018 (3D, 72 injured against 36 healthy); a quicker step rate, formcheck's own advice, lowers it
    # (Heiderscheit 2011). No published 2D norm of healthy runners (mean, sd) was found. So by default: no
    # intervals, the value and its interval shown with this range, no verdict (N). A coach may set bands with
    # --config ([thresholds.knee_flexion_midstance_deg] good = [[40, inf]] watch = [[35, 40]]): judged as before,
    # watch at most without an overstride flag.
    knee_flexion_midstance_deg: Bands = field(
        default_factory=lambda: Bands(
            good=(),
            watch=(),
            evidence="N",
            source="Healthy runners bend the knee about 36-44 deg at most in stance (3D: 36.2 deg in level treadmill "
            "running, thesportjournal.org; 44 +- 6 deg at the peak knee moment, Roos 2012). No 2D norm and no "
            "injury link established: Souza 2016 says a much straighter knee 'may suggest' less shock absorption; "
            "not among injured runners' differences in Bramah 2018; a quicker step rate lowers it (Heiderscheit "
            "2011).",
        )
    )
    # The stance knee's peak is read from a parabola through the frames within this time of the most bent one
    # (metrics/stance.py). On the rendered runner's exact landmarks +-0.04 to 0.08 s read the peak within 0.5 deg at
    # 30-120 fps; through the pose model 0.08 s gave the smallest error over 23 clips (rms 2.9 deg against 4.3 for the
    # highest frame of the 6 Hz tracks; benchmarks/score_knee_midstance.py, docs/landmark-biases.md) (H).
    knee_flexion_peak_fit_half_window_s: float = 0.08
    knee_flexion_ic_watch_below_deg: float = 10.0  # only together with an overstride flag (H, METRICS.md 4.5)
    vertical_oscillation_pct: Bands = field(
        default_factory=lambda: Bands(
            good=((-INF, 12.0),),
            watch=((12.0, 15.0),),
            evidence="H",
            source="Lower vertical oscillation goes with better economy (Van Hooren 2024; Moore 2016); cut-offs "
            "are a formcheck heuristic (~8-10 cm is typical).",
        )
    )
    arm_swing_deg: Bands = field(
        default_factory=lambda: Bands(
            good=((30.0, 120.0),),
            watch=((10.0, 30.0), (120.0, INF)),
            evidence="H",
            source="Restricting arm swing costs 3-13% more energy (Arellano & Kram 2014); excessive arm motion "
            "linked to poorer economy (Davis & Futrell 2016); cut-offs are a formcheck heuristic.",
        )
    )
    elbow_angle_deg: Bands = field(
        default_factory=lambda: Bands(
            good=((-INF, 130.0),),
            watch=((130.0, INF),),
            evidence="H",
            source="Runners carry a bent arm, forearm near perpendicular (J Exp Biol 2019;222:jeb197228); "
            ">130 deg is 'straight arm' (formcheck heuristic).",
            flag=(),
        )
    )
    # Left and right step rates further apart than this say more about where one foot's landings were placed than
    # about the runner: the cadence card says so (H; side_21 read 196 and 162 steps/min, 19%).
    step_time_asymmetry_note_pct: float = 10.0
    symmetry_watch_pct: float = 15.0  # arm-swing side-to-side symmetry index (H, METRICS.md 4.10)
    pelvic_tilt_deg: Bands = field(
        default_factory=lambda: Bands(
            good=((-INF, 5.0),),
            watch=((5.0, 8.0),),
            evidence="H",
            source="Each +1 deg of contralateral pelvic drop raised the odds of injury by 80% (Bramah 2018, E); "
            "the 2D cut-offs are a formcheck heuristic.",
        )
    )
    pelvic_asymmetry_watch_deg: float = 3.0  # above the SDD of 2.7-2.8 deg (Dingenen 2018)
    # Below this hip width 1 px of landmark error is ~1 deg of pelvic drop (METRICS.md 5.1): the value is marked
    # low confidence.
    pelvic_min_hip_width_px: float = 80.0
    # The pelvic drop is read from the picture (formcheck.pose.pelvis) when at least this many midstances gave a
    # pelvis line (H).
    pelvic_min_image_steps: int = 2
    # Knee inside the hip-ankle line by more than this fraction of hip width "appears to collapse" (H).
    knee_medial_fraction: float = 0.10
    # Appearance of knee collapse at midstance (METRICS.md 5.4): the knee's frontal-plane projection angle. 2D
    # knee angles do not measure knee valgus in running, so this is never a flag; an appearance past 10 deg is
    # worth a look (H).
    knee_collapse_deg: Bands = field(
        default_factory=lambda: Bands(
            good=((-INF, 10.0),),
            watch=((10.0, INF),),
            evidence="H",
            source="Knees tracking over the feet (running-form guidance); 2D knee angles do not reflect 3D knee "
            "valgus in running (Dingenen; Straub & Powers 2022), so this is an appearance only and the 10 deg "
            "cut-off is a formcheck heuristic.",
            flag=(),
        )
    )
    # Head and shoulder carriage from the side (METRICS.md 4.11; all H). No standing frames, so the reference is the
    # runner's own typical (median) step: a step "changes" when the shoulders sit more than 15% of the typical
    # ear-shoulder gap higher (METRICS.md 4.11's 15%, against standing there), the head looks down more than
    # 10 deg, or is carried 5% of leg length further forward; watch when at least a quarter of steps change (H).
    shoulder_rise_fraction: float = 0.15
    # Peak thigh extension (METRICS.md 4.7) is searched up to this fraction of a stride past the detected toe-off:
    # the thigh is furthest back at or just after toe-off, and toe-off is placed a frame or so early on the
    # synthetic runner (the knee is straightest ~13-20 ms before the toe leaves); the thigh swings forward right
    # after its peak, so the window cannot pick up a later, larger value (H).
    thigh_extension_after_toe_off_stride: float = 0.1
    head_pitch_change_deg: float = 10.0
    head_forward_change_pct_leg: float = 5.0
    posture_change_share: float = 0.25
    lateral_trunk_lean_deg: Bands = field(
        default_factory=lambda: Bands(
            good=((-INF, 5.0),),
            watch=((5.0, INF),),
            evidence="H",
            source="2D lateral trunk lean is reliable (Dingenen 2018); a rising value may be an abductor "
            "compensation (formcheck heuristic).",
            flag=(),
        )
    )
    step_width_pct: Bands = field(
        default_factory=lambda: Bands(
            good=((25.0, INF),),
            watch=((1e-9, 25.0),),
            evidence="E",
            source="Feet should not cross the midline; a narrow base is linked to tibial stress fracture and "
            "ITBS (Souza 2016). 0-25% of hip width is a formcheck heuristic watch band.",
        )
    )
    arm_crossover_pct: Bands = field(
        default_factory=lambda: Bands(
            good=((-INF, 10.0),),
            watch=((10.0, 30.0),),
            evidence="H",
            source="Coaching rule: hands should not cross the centre of the chest (formcheck heuristic).",
        )
    )

    @property
    def cadence_spm_at_speed(self) -> Bands:
        """The cadence bands the verdict uses: ``cadence_spm`` moved to ``speed_mps`` when the speed is known."""
        shift = cadence_shift_spm(self)
        if shift == 0.0:
            return self.cadence_spm
        b = self.cadence_spm

        def moved(ivs: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
            return tuple((round(lo + shift, 1), round(hi + shift, 1)) for lo, hi in ivs)  # inf stays inf

        speed = f"{self.speed_mps * 3.6:.1f} km/h" if self.speed_mps else ""
        return dataclasses.replace(
            b,
            good=moved(b.good),
            watch=moved(b.watch),
            flag=None if b.flag is None else moved(b.flag),
            source=f"{b.source} Moved by {shift:+.0f} steps/min for {speed} ({self.cadence_spm_per_mps:g} "
            f"steps/min per m/s from {self.cadence_reference_speed_mps:g} m/s; van Oeveren 2017).",
        )


def cadence_shift_spm(thresholds: Thresholds) -> float:
    """How far the cadence bands move for the clip's speed, steps/min (0 when the speed is not given)."""
    if thresholds.speed_mps is None:
        return 0.0
    return thresholds.cadence_spm_per_mps * (thresholds.speed_mps - thresholds.cadence_reference_speed_mps)


# Settings that take one of a few words (checked by config_file and analyze_clip): dotted name -> the words.
CHOICES: dict[str, tuple[str, ...]] = {"gait.contact_timing": ("landmarks", "sole")}
# Numbers a settings file must give above zero (a rate divides), or at least zero (0: no floor), with an example.
POSITIVE: dict[str, str] = {
    "processing.swap_frame_rate_hz": "30",
    "gait.toe_peak_window_stride": "0.15",
    "gait.toe_marker_max_fps": "40",
}
NON_NEGATIVE: dict[str, str] = {
    "gait.sole_min_leg_px": "100",
    "gait.toe_peak_min_drop_deg": "8",
    "gait.toe_marker_min_contacts": "6",
}
# Settings that are a share, 0 to 1 (0 turns the toe-up marker off; above 1 it would move a contact past it).
FRACTIONS: dict[str, str] = {"gait.toe_marker_weight": "0.5"}
# Low-pass cut-off tables (frame rate -> Hz, interpolated): a settings file must give at least one pair, each number
# above 0 and finite, the frame rates rising (a 0 Hz cut-off crashed the filter, np.interp needs rising rates).
CUTOFF_TABLES: dict[str, str] = {
    "processing.cutoff_points_hz": "[[30, 6], [60, 9], [120, 11]]",
    "processing.contact_cutoff_points_hz": "[[30, 12], [60, 15], [120, 18]]",
}
SPEED_KMH_RANGE = (4.0, 30.0)  # from a slow jog (15:00/km) to a sprint: anything else is a typo


def with_speed(settings: AnalysisSettings, speed_mps: float | None) -> AnalysisSettings:
    """``settings`` judged at a running speed (``--speed``); unchanged when none is given."""
    if speed_mps is None:
        return settings
    return dataclasses.replace(
        settings, thresholds=dataclasses.replace(settings.thresholds, speed_mps=speed_mps)
    )


def keep_earlier_speed(settings: AnalysisSettings, before: AnalysisSettings | None) -> AnalysisSettings:
    """``settings`` with the running speed an earlier analysis of the clip was judged at, when none is given now:
    re-judging a clip (``reanalyze``, a batch re-run) keeps ``--speed`` until a new one is given."""
    if settings.thresholds.speed_mps is not None or before is None or before.thresholds.speed_mps is None:
        return settings
    return with_speed(settings, before.thresholds.speed_mps)


def parse_speed(text: str) -> float:
    """A running speed typed by a person, in m/s: '12kmh', '12 km/h', '12kph', '5:00/km', '5:00 min/km',
    '3.3m/s'. Raises ValueError with a message saying what to type."""
    import re

    t = text.strip().lower().replace(" ", "")
    hint = "give the running speed in km/h (e.g. 12kmh) or min/km (e.g. 5:00/km)"
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(km/?h|kph)", t)
    pace = re.fullmatch(r"(\d+):([0-5]\d)(?:min)?/km", t)
    mps = re.fullmatch(r"(\d+(?:\.\d+)?)m/s", t)
    if m:
        kmh = float(m.group(1))
    elif pace:
        seconds = 60 * int(pace.group(1)) + int(pace.group(2))
        if seconds == 0:
            raise ValueError(f"{text!r} is not a pace: {hint}")
        kmh = 3600.0 / seconds
    elif mps:
        kmh = float(mps.group(1)) * 3.6
    else:
        raise ValueError(f"{text!r} is not a speed: {hint}")
    lo, hi = SPEED_KMH_RANGE
    if not lo <= kmh <= hi:
        raise ValueError(f"{text!r} is {kmh:.1f} km/h, outside {lo:g}-{hi:g} km/h: {hint}")
    return kmh / 3.6


@dataclass(frozen=True)
class ProcessingSettings:
    """Cleaning and filtering (METRICS.md section 2)."""

    visibility_min: float = 0.5  # MediaPipe's default confidence threshold
    max_gap_frames: int = 3  # interpolate gaps of <= 3 frames (cubic)
    swap_gain_min: float = 0.30  # accept a leg swap only when it lowers displacement by > 30%
    # A run of <= max_gap_frames frames where the legs' separation drops below this fraction of both bracketing
    # frames' is the pose model pulling both legs together: no evidence for the swap repair, and missing
    # (docs/contacts.md, "Leg swaps"). Running legs do not halve their separation and part again within 0.1 s;
    # 0.4 and 0.5 scored alike on the labelled contacts, 0.6 erased enough to lose a clip (H). None: off.
    swap_collapse_ratio: float | None = 0.5
    # The swap repair judges the legs' smoothness on different pictures about 1/swap_frame_rate_hz apart, the frames
    # between following their judged neighbours (processing/swaps.py, coarse_swap_flags, swap_frame_step). Its price
    # per relabelled frame was set at 30 fps
    # (METRICS.md 2.2), while the pose model's mislabellings last a time, not a number of frames: 50-100 ms around
    # a landing or a leg crossing on the rendered runner at 60-120 fps, 6-12 frames at 120 fps, where undoing the
    # right run cost more than relabelling the shorter, correct one (docs/contacts.md "The side view at 60 and
    # 120 fps"). 30: the rate the price was set at; files under 45 pictures a second are judged frame by frame.
    swap_frame_rate_hz: float = 30.0
    butterworth_order: int = 2  # run forward and backward: 4th-order zero-phase
    # Cut-off by frame rate (engineering choice, METRICS.md 2.4): 30 fps 6 Hz, 60 fps 9 Hz, >=120 fps 11 Hz.
    cutoff_points_hz: tuple[tuple[float, float], ...] = ((30.0, 6.0), (60.0, 9.0), (120.0, 11.0))
    # The foot's angle and the knee's bend at contact change fastest exactly there: the cut-off above flattens them
    # (on the rendered runner's exact landmarks an 18 deg heel strike read 15.8 deg), so they are read from the same
    # tracks low-passed just below the Nyquist limit (engineering choice, H). The shank is not: through the pose
    # model its less-smoothed reading was 2 deg further from the rendered truth (14 deg read 10.8 instead of 12.7).
    contact_cutoff_points_hz: tuple[tuple[float, float], ...] = ((30.0, 12.0), (60.0, 15.0), (120.0, 18.0))
    min_detected_fraction: float = 0.25  # below this the runner was not found
    # Below this the report warns that only the frames with the runner were analysed (H).
    warn_detected_fraction: float = 0.9
    # Camera roll (METRICS.md 2.1): a ground line tilted less than ``roll_min_deg`` is left alone (below the
    # angle noise), one tilted more than ``roll_max_deg`` is perspective or a slope, not camera roll (H).
    roll_min_deg: float = 0.5
    roll_max_deg: float = 10.0


@dataclass(frozen=True)
class GaitSettings:
    """Gait-event detection and step plausibility (METRICS.md section 3)."""

    min_prominence_leg: float = 0.10  # Zeni peak prominence, in leg lengths
    min_separation_stride: float = 0.6  # minimum peak separation, fraction of the stride period
    # Stride periods searched by autocorrelation, seconds. METRICS.md 3.1 gives 0.5-1.0 s for running; the range
    # is wider so that walking and slowed-down clips are recognised as such instead of failing.
    stride_search_s: tuple[float, float] = (0.4, 5.0)
    refine_window_stride: float = 0.15  # IC refinement window after the Zeni peak, fraction of a stride
    # A picture shown this long or longer (a replay's freeze-frames; Trajectories.repeated) leaves the side view's
    # low-passed tracks on a plateau, where a knee dip is the pose model's jitter: its period at 6 Hz, the cut-off
    # at 30 fps (METRICS.md 2.4), i.e. 5 frames (gait.sagittal.refine_contact; docs/contacts.md "Held pictures").
    # Fixed in seconds at every frame rate (5 frames at 25 fps, 10 at 60), although the filter's cut-off rises with
    # the frame rate: a shorter hold at 60-120 fps is not treated as held.
    held_picture_min_s: float = 1.0 / 6.0
    # A typical running stride (0.6-0.9 s), for windows sized by the stride when a clip gives no stride period (H).
    typical_stride_s: float = 0.7
    # The foot has settled onto the ground when its forward image velocity is within this fraction of its late-swing
    # peak of its stance velocity (H: calibrated on contacts labelled by eye, benchmarks/score_contacts.py).
    settle_velocity_fraction: float = 0.2
    # A settle time before the knee's marker moves a contact only when the two agree within this many frames; further
    # apart, one of them is a misdetection and the knee's marker stands (H: a noisy rendered 60 fps clip read 147 for
    # 160 steps/min). The rear/front reach window scales it to the frame rate (gait.frontal).
    settle_max_shift_frames: float = 3.0
    # Side view (gait.sagittal.combine_contact_markers): the knee's marker and the settle time are averaged when
    # within this of each other; a settle later than that decides alone, up to ``settle_after_knee_max_s`` (100 ms,
    # the 3 frames above at 30 fps). 60 ms, about 2 frames at 30 fps: on the labelled real clips the knee comes up
    # to 60-80 ms early in runners who land on a straight leg (overground_side_street_50fps: 62 ms on average).
    # 50 ms did as well on the real labels but moved rendered contacts that were right; 67 ms left the 50 fps
    # clip 1.25 frames early (H: benchmarks/score_contacts.py, both halves agree).
    knee_settle_agree_s: float = 0.06
    settle_after_knee_max_s: float = 0.10
    # Side view, a third contact marker (gait.toe_marker.toe_up_peak_time, blend_toe_marker; docs/contacts.md "Clips a
    # frame early"): each contact moves ``toe_marker_weight`` of the way toward the foot's toe-up maximum within
    # ``toe_peak_window_stride`` of it, less the clip's median lag of that maximum behind the contacts. 0.5 is the
    # plain mean; 0.4-0.6 and windows of 0.12-0.2 stride scored alike on the labelled real clips (0.09 cuts maxima
    # off) (H: benchmarks/score_contacts.py and benchmarks/early_contacts_probe.py, both halves of the labels and both
    # halves of the clips). 0 turns it off.
    # The maximum counts only where the foot then pivots toe-down by ``toe_peak_min_drop_deg`` before the window
    # ends: a heel landing. Real labels score alike with 0-10 deg (10% of real maxima drop less than 9 deg); the
    # rendered runner sets it: its midfoot sample (side_good_form, 30 fps) kept 100% within one frame from 5 deg and
    # its exact share (90.5%) from 8, and a forefoot runner (tests/fixtures/landmarks/rendered_s60_fore_end, a 60 fps
    # clip the rate limit below now leaves alone; the unit test lifts it) had a contact moved 1.35 frames late by
    # its flat foot's plateau without it (H).
    # ``toe_marker_min_contacts``: a clip's lag is told from at least 6 maxima, three a foot, the fewest whose median
    # rejects one wild maximum (H). Sensitive: with 4 the labels give 93.5% within one frame but 49.9% exact (median
    # |error| 1 frame; halves 50.6 / 49.1%) against 93.3% / 50.3% (halves 51.9 / 48.7%) with 6; 8 as 6
    # (benchmarks/score_contacts.py --set gait.toe_marker_min_contacts=N).
    toe_marker_weight: float = 0.5
    toe_peak_window_stride: float = 0.15
    toe_peak_min_drop_deg: float = 8.0
    toe_marker_min_contacts: int = 6
    # Up to this frame rate only. At 60 and 120 fps the maximum's own jitter through the pose model (14-21 ms at any
    # rate, benchmarks/frontal_rate_probe.py) is one to three frames, and the blend made contacts worse both on the
    # rendered side runners (contact set 60 fps 94.1 -> 91.2%, 120 fps 69.2 -> 61.5% within one frame) and on the
    # one real 60 fps clip (treadmill_side_portrait_60fps 88.9 -> 83.3%), while it helped the 25-30 fps clips (H).
    toe_marker_max_fps: float = 40.0
    # Side view, "near the ground": METRICS.md 3.1 says within 2% of leg length of the ground line, but a hand-held
    # phone bobs, and the stance foot's image height drifts by 10-15% of leg length within one stance
    # (treadmill_side_garage_30fps), so the end of the foot's descent decides and this only excludes mid-swing.
    # 0.35, not 0.25: with a camera that tilts while following the runner the planted foot's lowest point still
    # sinks 0.26-0.29 leg in the picture after the labelled contact (overground_side_barefoot_tracking frames 187
    # and 262, both lost at 0.25; 0.30 kept one) (H: benchmarks/score_contacts.py; every other labelled clip and
    # the rendered runner unchanged).
    side_ground_tolerance_leg: float = 0.35
    # Side view: the foot has stopped descending below 0.05 leg lengths per frame at 30 fps (METRICS.md 3.1 step 2),
    # expressed per second so it does not change with the frame rate.
    side_stopped_speed_leg_per_s: float = 1.5
    # Rear/front views (METRICS.md 3.2): the stance foot moves vertically slower than 0.05 leg lengths per frame at
    # 30 fps, i.e. 1.5 leg lengths per second.
    frontal_stance_speed_leg_per_s: float = 1.5
    # Rear/front views: the stance foot is the lower one, within this many leg lengths of the moving ground line.
    # Tighter than the side view's tolerance: seen from behind the swing foot rises little above the stance foot (H).
    frontal_ground_tolerance_leg: float = 0.08
    frontal_min_stance_s: float = 0.06  # shorter still-and-low runs are the top of a swing, not a stance (H)
    frontal_merge_gap_s: float = 0.05  # a stance broken by one noisy frame is one stance (H)
    # Rear/front views: the foot's late-swing fall (and its rise after toe-off) is looked for within this fraction
    # of a stride before the stance (after it); the landing is where the fall has slowed to
    # ``frontal_settle_velocity_fraction`` of its peak above the stance's velocity
    # (gait.frontal.vertical_settle_time). Half a stride: a quarter missed the fall peak on the real rear and
    # front clips, whose still-and-low stance starts 2-4 frames after the labelled contact (H:
    # benchmarks/score_contacts.py).
    frontal_settle_window_stride: float = 0.5
    # Rear/front views, overground past a fixed camera: the landing is where the fall speed has come down to this
    # fraction of its late-swing peak (above the stance's), not the side view's 0.2. Seen from the front or behind,
    # the fall ends in an impact: the heel stops dead, and the toe (the lowest point from the front) rolls down onto
    # the sole over the next 30-60 ms. The central difference and the zero-phase low-pass spread a sudden stop
    # evenly about it, so the speed crosses half the fall speed at the stop itself, at any frame rate and cut-off;
    # the 0.2 level lies 0.6-0.74 frame after an instant stop (the central difference alone) and further into the toe's
    # roll-down (docs/contacts.md, "The foot's fall ends in an impact (front view)").
    frontal_settle_velocity_fraction: float = 0.5
    # Rear/front views: the runner grows or shrinks in the picture faster than this (|d ln size/dt|, per second)
    # when moving overground toward or away from a fixed camera: a runner at 2.5 m/s or more within 80 m of it.
    # Treadmill runners (the rendered ones: under 0.015/s) and runners followed by the camera stay the same size (H).
    frontal_overground_size_rate_per_s: float = 0.03
    # Rear/front views: a foot whose fall slows and then speeds up again to this fraction of its late-swing peak
    # before the stance has not landed yet; the landing is the settle after its last fast fall. The small, far
    # runner of overground_front_approaching pauses mid-fall in the pose model's tracks (contacts 4 frames early);
    # 0.3 to 0.7 scored alike on the labelled contacts, 0.2-0.25 moved the rear clip's settled contacts (H).
    frontal_refall_fraction: float = 0.5
    # Rear/front views: the trunk (shoulder and hip centres) jumping this many torso lengths in one frame of the
    # less-smoothed tracks is a cut in the video, and the moving ground line is not carried across it. Measured (H):
    # the four cuts of overground_front_approaching jump 0.26-0.65; its small far runner moves at most 0.20 between
    # other frames, the other frontal clips (real and rendered) at most 0.09. Only a lone jump counts
    # (gait.frontal.cut_segments): overground_front_two_joggers' pose jumps on and off a second person.
    frontal_cut_torso_per_frame: float = 0.24
    # Plausible stance (H). METRICS.md 3.3 says 120-450 ms; formcheck's toe-off (peak knee extension) comes about a
    # frame early at 30 fps, so a fast runner's 150 ms contact reads ~115 ms (rendered forefoot runner at 170
    # steps/min; the real side_05 runner's labelled contacts last 4-5 frames): the lower limit is 90 ms.
    stance_time_s: tuple[float, float] = (0.09, 0.45)
    step_time_s: tuple[float, float] = (0.25, 0.55)  # plausible step time (H)
    unreliable_rejection_rate: float = 0.30  # >30% rejected steps: the clip is unreliable
    # More than half rejected: the few steps left are as likely misdetections as steps (treadmill_oblique_two_people:
    # 4 of 27 kept, 115 spm), so values are still reported but no verdict is given (formcheck's choice; METRICS.md
    # only says to mark the clip unreliable above 30%). Above the unreliable rate, fewer than min_steps_per_side
    # valid steps on a side also withhold the verdicts (formcheck/metrics/withheld.py; docs/verdicts.md).
    withhold_verdicts_rejection_rate: float = 0.50
    # The second rule needs at least this many rejected steps: one misdetected contact rejects itself and, for its
    # step time, the real step after it, so two rejections can be a single fault (overground_side_tracking_cam
    # cut to 3.5 s across a video cut: 2 of 6 steps rejected, verdicts those of the whole clip).
    withhold_min_rejected_steps: int = 3
    # Side view: where contact times come from. "landmarks" (the pose model's foot tracks) or "sole" (opt-in: the
    # shoe's sole edge in the picture, formcheck/sole_edge.py; the video is decoded a second time around each contact;
    # a clip whose edge does not come down with the foot keeps the landmarks). Measured on the labelled real clips
    # (docs/contacts.md "The sole edge in formcheck"; with sole_min_leg_px below, "On by default?"): exact frame
    # 46.9% -> 60.2%, within one frame 91.8% -> 92.9%. Not the default: on 55 contacts of five more clips labelled
    # blind afterwards it is worse than the landmarks (within one frame 62.3% against 67.3%, exact 17% against 42%),
    # late on side_04's heel landings, which turns its shank verdict wrong (docs/contacts.md "Why the sole was late").
    contact_timing: str = "landmarks"
    # The sole timing needs a runner big enough for its pixels: under this leg length (px, hip to ankle as
    # processing.scale.leg_length_px) the landmark contacts are kept. The edge-lead test separates the clips whose
    # edge follows the sole by about 1.4% of leg (docs/contacts.md "Does the edge follow the sole?"), and the edge
    # itself carries about 1.5 px of bias from its 3x3 smoothing (measured on a drawn shoe, same section): at 100 px
    # the margin is 1.4 px, about that bias, and the contact tolerance (0.02 leg) spans 2 px. Measured below it: the
    # 25 fps tracking camera (77 px leg) lost half its exact contacts (docs/contacts.md "On by default?").
    sole_min_leg_px: float = 100.0
    min_steps_per_side: int = 7  # stable mean after ~6.3 steps (Dingenen 2018)
    min_steps_total: int = 4  # below this no step metric is reported
    low_confidence_fps: float = 100.0  # contact time and strike angle are estimates below this (Souza 2016)

    # Running, walking, standing or slowed down (formcheck.gait.classify).
    # A runner's lowest hip position falls mid-stance, a walker's near a contact. Measured (H): 0.275-0.625 of the
    # way from one contact to the next on 31 real and synthetic running clips; 0.825 and 0.98 on the two walking
    # clips (walking_multi_person_control, overground_rear_skeleton_drawn). Within 0.2 of a contact is walking.
    walking_phase_margin: float = 0.2
    # The phase test leans on contact timing, which can be biased (front view: contacts ~150 ms late through the
    # pose model put a synthetic runner's phase at 0.82), so walking also needs a walking step rate: people walk at
    # about 100-130 steps/min and run at 140 or more (H).
    walking_below_spm: float = 140.0
    # Fewer contacts than this are too little evidence to call a gait walking (the clip is then too short instead).
    min_contacts_to_judge: int = 5
    # Running cadence below this is implausible (even slow joggers exceed ~140 spm): a clip showing a flight-phase
    # gait this slowly was slowed down (H).
    slow_motion_below_spm: float = 110.0
    # Running cadence above this is beyond any runner (the fastest sprinters reach about 5 steps/s; distance runners
    # stay below about 220 steps/min): a clip showing it was sped up, e.g. exported as a 2x fast-forward (H).
    sped_up_above_spm: float = 300.0
    # A file showing each picture at least this many times (VideoInfo.picture_fps) whose steps are too slow for
    # running but a running cadence counted in pictures is a slowed-down replay, not walking (gait/classify.py,
    # docs/small_runner.md; a 24 fps source in a 30 fps file shows a picture 1.25 times on average) (H).
    # At least 3: a real-time file that doubles every frame (30->60, 25->50 fps) shows each picture twice, and a
    # walker there at 100 steps/min counts 200 in pictures; the slowed sprint clip shows each 3.3 times.
    replay_min_repeats: float = 3.0
    # A slowed-down clip's time limits are stretched by its own pace: this typical running step time over the
    # clip's apparent step time (H; 0.35 s is 171 steps/min).
    typical_step_time_s: float = 0.35
    # Side view: less heel travel relative to the hips than this (leg lengths) means standing (H).
    standing_heel_range_leg: float = 0.15
    # Rear/front views: feet that move up and down less than this (5-95 percentile, leg lengths) belong to someone
    # standing (H).
    standing_foot_range_leg: float = 0.08
    # A running stride lasts 0.6-0.9 s (walking ~1.1 s): a clip this long that shows no stride period at all (the
    # search needs two strides in the clip) was slowed down or hides the feet; shorter clips are simply too short (H).
    min_s_for_two_strides: float = 3.0

    def pace_factor(self, step_s: float) -> float:
        """How many times longer a clip's apparent step is than a typical running step: the factor a clip that
        plays slowed down (> 1) or sped up (< 1) stretches its time limits by."""
        return step_s / self.typical_step_time_s


@dataclass(frozen=True)
class UncertaintySettings:
    """The interval given with every metric (formcheck/metrics/uncertainty.py) and what goes into it."""

    level: float = 0.95
    n_bootstrap: int = 1000
    # Contact timing error that averaging over steps does not remove, in frames: the standard deviation of the
    # per-clip mean error of formcheck's contacts against contacts labelled by eye on eight real side-view clips
    # (benchmarks/score_contacts.py; clip means -1.1 to +0.5 frames). Per-step scatter is in the bootstrap.
    timing_sd_frames: float = 0.5
    # Landmark error that averaging over steps does not remove, as a standard deviation in the metric's unit
    # (METRICS.md 10, measured on the rendered runner: the knee landmark sits 1-2.5 cm forward of the joint, the
    # shank reads 2.5-7 deg too vertical; the heel landmark sits 3-4.5 cm forward of the shoe's back, ~3-5% of
    # leg length; trunk lean from hip-joint centres reads 1.5-2.7 deg upright on the mannequin, and a low or
    # high camera adds perspective (METRICS.md 4.8 pitfall)).
    # A landmark's own error in pixels, for distances judged relative to a small body dimension (step width in % of
    # hip width): METRICS.md 5.1, "with a hip width of 60 px, 1 px of keypoint error is about 1 deg"; BlazePose
    # landmarks jitter by a few pixels on real clips (H).
    landmark_sd_px: float = 2.0
    # Undo BlazePose's measured compression of the foot-strike angle (metrics/foot_strike.py FSA_BIAS_*,
    # docs/strike.md). Off only for landmarks that carry no pose-model bias (the synthetic runner's exact ones).
    correct_pose_strike_bias: bool = True
    landmark_sd: dict[str, float] = field(
        default_factory=lambda: {
            # Through the pose model on the rendered runner (12 clips: 3 strikes x 30/60/120 fps, 6 and 9 m), the
            # clip-mean error of the shank at contact was -0.3 to -7.1 deg (too vertical), rms 3.0 (docs/strike.md).
            "shank_angle_ic_deg": 3.0,
            "overstride_distance": 2.0,
            # The heel's reach through the pose model on the rendered runner (benchmarks/score_reach.py: 22 side
            # clips, true reach 10-38 %leg, 30/60 fps, landscape/portrait, small/large runner, treadmill/overground,
            # both directions, seeds): clip-median errors +0.7 to +4.7 %leg (rms 2.9). Of that, +2.7 - 0.07 %leg per
            # %leg of reach above 25 is a bias that repeats for every runner and sits inside the cut-offs calibrated
            # on real clips read by the same model; the scatter about it, 0.91 %leg (sd, 20 dof), is what separates
            # two takes (the halves of one clip read 0.9 %leg apart, rms; the mirror pairs side_02/07 and side_06/12
            # 0.1-0.2 apart). Was 1.0 with no measurement behind it (docs/verdicts.md, "The reach's landmark term").
            "overstride_distance.reach_pctleg": 0.9,
            "trunk_lean_deg": 1.5,
            # Same clips: knee flexion at contact read +0.4 to +4.1 deg too bent (clip means, rms 2.2).
            "knee_flexion_ic_deg": 3.0,
            # The peak knee flexion in stance through the pose model on the rendered runner (23 clips, 30/60/120 fps;
            # benchmarks/score_knee_midstance.py): near-leg clip-median errors -6.0 to +6.8 deg, mean +0.2 by clip
            # but -1.8 at 30 fps and +2.0 at 60 fps (not corrected: the sign turns with the frame rate), rms 2.9.
            "knee_flexion_midstance_deg": 3.0,
            # Typical 2D FSA error is 2.5 deg even at 240 Hz with markers (Murray 2019). Through BlazePose the
            # rendered runner's clip-mean FSA error was -4.5 to +13 deg by strike, rms 7.2, before the bias
            # correction of metrics/foot_strike.py, rms 2.2 after it (docs/strike.md). The correction comes from one
            # rendered mannequin and no real footage has a measured angle, so the term stays at the uncorrected rms.
            "foot_strike_angle_deg": 7.0,
            # Arm swing through the pose model on the rendered runner (benchmarks/score_arm_swing.py: 10 side clips,
            # true swing 40-80 deg, 30/60 fps, landscape/portrait, treadmill/overground): clip-median errors -12.2
            # to +5.0 deg. Of that, -5.0 + 0.31 deg per deg of swing above 60 is a compression of small swings that
            # repeats for one runner's arms; the scatter about it, 4.5 deg (sd, 8 dof), is what separates two takes
            # (a runner of constant swing read 0-12 deg apart between the halves of one clip, rms 5.0-6.1, so
            # ~3.5-4.3 per half). Without it the history called 3 of 22 real clips' halves "changed" (docs/verdicts.md).
            "arm_swing_deg": 4.5,
            "pelvic_tilt_deg": 1.0,
            "lateral_trunk_lean_deg": 1.0,
        }
    )


@dataclass(frozen=True)
class PoseSettings:
    """Finding the people in each frame and following the runner (formcheck/pose/run.py, pose/tracking.py)."""

    # Multi-person policy: the first ``probe_s`` seconds are posed with up to ``multi_poses`` people; the rest only
    # if a second person was seen in at least ``multi_probe_fraction`` of those frames, else with one pose (H).
    multi_poses: int = 3
    probe_s: float = 1.0
    multi_probe_fraction: float = 0.2
    box_visibility_min: float = 0.3  # landmarks at least this visible define a person's box (H)
    duplicate_iou: float = 0.6  # two detections of one frame overlapping this much are one person (H)
    # A detection continues a track when their boxes overlap by this IoU, or, for fast and small runners, when
    # their centroids are within this many box heights (H).
    match_iou_min: float = 0.1
    match_centroid_max_box: float = 0.8
    max_gap_s: float = 1.0  # a person unseen for longer starts a new track (H)
    # An identity jump (pose/tracking.py ``is_identity_jump``, docs/tracking.md): a detection whose box does not
    # overlap the track's, within this many frames of it, and whose trunk centre lands more than this many torso
    # lengths from where the track's velocity puts it, starts a new track. Measured on the cached landmarks of 40
    # real clips: the pose model hopping between the two joggers (overground_front_two_joggers) misses by 1.14-2.5
    # torso lengths; every other non-overlapping move between consecutive frames by at most 0.24
    # (track_sprint_side_small's zoomed finds aside: they never reach the tracker) (H).
    identity_jump_torso: float = 0.6
    identity_jump_max_gap_frames: int = 2
    # Judged only when the shoulders and hips are this visible in the detections compared (MediaPipe's default
    # confidence): the joggers' trunks are at least 0.97 visible in 99% of frames; the whole-frame pass's phantom
    # finds on track_sprint_side_small (the runner too small to see) have a median of 0 and jitter like jumps (H).
    identity_jump_trunk_visibility_min: float = 0.5
    # Appearance (pose/appearance.py, docs/tracking.md "Appearance"), once the pose model has hopped between people
    # shown one at a time: two tracks whose torso colours are more than ``appearance_max_distance`` apart
    # (Bhattacharyya) are two people; a detection whose colour is more than ``appearance_ratio_max`` of its distance
    # to another person's from a track's, and nearer theirs than the track's own colour is or its box over
    # theirs, does not continue that track (a hop; a box over both is a mix, about as far from each; a colour
    # like nobody's, a grey top in shade, is left to position); a track lost for longer than ``max_gap_s`` is
    # taken up again by a detection near its last box within ``appearance_max_distance`` of its colour. Measured
    # on the joggers: each jogger's colour at most 0.28 and 0.40 from their track's (0.23 and 0.20 at the 95th
    # percentile), the other's 0.76 or more (1st percentile); boxes over both 0.5-0.9 from each (H).
    appearance_max_distance: float = 0.5
    appearance_ratio_max: float = 0.7
    # ``--person N`` on a clip where the pose model saw one person at a time (pose/refind.py): N is posed again,
    # alone, where another was seen, on a crop of N's expected box grown by this share of its height on each side;
    # a find must overlap the expected box by this IoU and look like N (``appearance_max_distance``) (H).
    refind_margin_box: float = 0.1
    refind_iou_min: float = 0.5
    appearance_colour_weight: float = 0.1  # a detection's share of its track's running colour (H: ~10 frames)
    min_track_fraction: float = (
        0.15  # shorter tracks are passers-by or false detections: not listed, not chosen
    )
    run_stride_s: tuple[float, float] = (0.45, 0.95)  # stride periods of running (METRICS.md 3.1: 0.5-1.0 s)
    # A runner too small for the whole-frame detector (pose/zoom.py, docs/small_runner.md). BlazePose's detector sees
    # the whole frame shrunk to 224x224 (Bazarevsky et al. 2020, arXiv:2006.10204), so a 150 px runner in a
    # 1680x720 frame is 20 px there and is not found. When the whole-frame pass sees the runner's legs in fewer than
    # ``zoom_below_fraction`` of the frames AND the runner is absent or small (median box height under
    # ``zoom_small_height_fraction`` of the frame's height: track_sprint_side_small's runner is 21%; a runner that is
    # merely in frame for a short pass-by is not searched for), the frames where the legs were not seen are posed
    # again on zoomed square tiles (the frame's short side, then half of it, overlapping by half), then on a crop
    # that follows the runner (H; measured on track_sprint_side_small: tiles of the short side found the runner in 5
    # of 5 sampled frames, the whole frame in 0).
    zoom_below_fraction: float = 0.5
    zoom_small_height_fraction: float = 0.25
    # The following crop is this many of the runner's box heights wide; a find needs the hips, knees and ankles
    # this visible (mean; MediaPipe's default confidence) and at least this share of its crop's height (smaller
    # finds were noise: 13-19 px in 360 px tiles) (H).
    zoom_follow_box_heights: float = 4.0
    zoom_min_core_visibility: float = 0.5
    zoom_min_box_fraction: float = 0.1
    # A find must lie near the runner's path: its box centre within this many of the runner's box heights of where
    # the runner was last (or, before the first sighting, will next be) seen, plus this many box heights per second
    # lost (a sprinter at 10 m/s covers ~6 landmark-box heights of ~1.6 m a second), growing for at most
    # ``zoom_near_max_lost_s`` (so a bystander 5 box heights away is never taken for a runner who left) (H).
    zoom_near_box_heights: float = 2.0
    zoom_near_growth_box_heights_per_s: float = 6.0
    zoom_near_max_lost_s: float = 0.5
    # Cost bounds: while the runner is lost, tiles are searched every ``zoom_lost_search_every_s`` for the first
    # ``zoom_search_backoff_after_s`` of the loss, then every ``zoom_search_backoff_every_s``; in all at most
    # ``zoom_crops_per_frame`` crops per frame of the clip, a backstop for a runner lost again and again
    # (track_sprint_side_small needs ~2; an empty 6 s clip of 1680x720 pays 15 searches of 31 crops, 2.5 a frame) (H).
    zoom_lost_search_every_s: float = 0.1
    zoom_search_backoff_after_s: float = 1.0
    zoom_search_backoff_every_s: float = 1.0
    zoom_crops_per_frame: float = 4.0
    # A runner seen, but small (docs/small_runner.md "A small runner seen: a second look closer"): frames where the
    # runner's leg (hip-knee + knee-ankle, the median over the second around the frame) is shorter than
    # ``zoom_refine_below_leg_px`` are posed again on a square crop ``zoom_refine_box_heights`` box heights wide
    # centred on the whole-frame box (BlazePose's detector, which sees its input at 224 px, then sees the runner
    # about 90 px tall instead of 40-55), and the find's legs (hip to toe) replace the whole-frame legs when its
    # box centre lies within ``zoom_refine_near_box_heights`` box heights of the whole-frame box's. 0 turns it
    # off. Measured on the 44 cached clips: legs under 90 px only on overground_front_approaching's first 2 s
    # (80-90 px; the whole-frame pose puts the left foot 30-40 px above the planted shoe, the crop on it),
    # overground_side_tracking_cam (67-94), overground_rear_receding's far end (53-90) and
    # overground_side_short_pass (86); the next smallest legs are 98-103 px (treadmill_side_lab_slowmotion,
    # untouched). Crops of 1.6 and 4 box heights were tried: worse on the tracking camera (H). Off by default
    # (0): at 90 px it found one more labelled contact (missed 8 -> 7 of 302) but moved 3 of
    # overground_rear_receding's far-end contacts 2 frames early against the second labeller (93.8% -> 84.4%
    # within one frame); a coach filming far-away runners can turn it on with a --config file.
    zoom_refine_below_leg_px: float = 0.0
    zoom_refine_box_heights: float = 2.5
    zoom_refine_near_box_heights: float = 0.5
    # Repeated pictures (video/repeats.py), judged where the runner is: a decoded frame repeats the previous picture
    # when the mean grey change (green, block grid) over the runner's box in both frames, grown by
    # ``repeat_box_margin_px``, is at most ``repeat_max_box_change`` levels and at most ``repeat_max_change_share``
    # of the 90th percentile of the changes within one second. Measured on 20 real clips (docs/small_runner.md):
    # repeats change at most 1.6 levels and 0.13 of that percentile; new pictures at least 0.33 of it (and 4.7
    # levels or more on every clip with repeats); the slow-motion treadmill clip's new pictures change 1.8-3 levels,
    # so the absolute cap alone would flag a quarter of them (H).
    repeat_max_box_change: float = 1.8
    repeat_max_change_share: float = 0.25
    repeat_box_margin_px: float = 20.0
    # A picture held longer than this is a pause or a still, left out of the picture rate (H: under 4 pictures/s
    # is no moving picture; the sprint clip holds one 0.2 s once a second).
    repeat_max_still_s: float = 0.25
    repeat_warn_ratio: float = 0.95  # a picture rate below this share of the file's rate is told (H)


@dataclass(frozen=True)
class PelvisSettings:
    """The pelvis line read from the picture in rear and front views (formcheck/pose/pelvis.py, docs/pelvic_drop.md):
    the dominant near-horizontal edge (waistband, shirt hem) inside the runner's silhouette above the hips (H)."""

    band_hip_widths: tuple[float, float] = (
        -1.5,
        -0.1,
    )  # rows searched from the hip centre, hip widths (- = up)
    half_width_hip_widths: float = 0.5  # columns searched either side of the hip centre, in hip widths
    max_tilt_deg: float = 30.0  # edges steeper than this are not the pelvis line (arms, thighs, torso sides)
    mask_threshold: float = 0.5  # segmentation probability counted as the runner
    min_hip_width_px: float = 8.0  # narrower hips give no line
    min_edge_pixels: int = 20  # fewer edge pixels in the band give no line
    max_gap_s: float = 0.05  # a midstance is measured on the nearest frame within this time


@dataclass(frozen=True)
class AnalysisSettings:
    """What a user chooses for one analysis (command line or API)."""

    view: str = "auto"  # auto | side | rear | front
    height_cm: float | None = None
    start_s: float | None = None
    end_s: float | None = None
    model_path: str | None = None
    write_video: bool = True
    video_crop: str = "none"  # none | runner: the annotated video follows the runner in a square window
    person: int | None = None  # track id to analyse when several people are in frame
    capture_fps: float | None = None  # slow-motion clips whose file does not say the rate they were filmed at
    blur_faces: bool = False  # hide the runner's head in the annotated video, key frames and shared report
    single_file: bool = False  # also write report-share.html: the report with its video inside, to send
    thresholds: Thresholds = field(default_factory=Thresholds)
    processing: ProcessingSettings = field(default_factory=ProcessingSettings)
    gait: GaitSettings = field(default_factory=GaitSettings)
    pose: PoseSettings = field(default_factory=PoseSettings)
    pelvis: PelvisSettings = field(default_factory=PelvisSettings)
    uncertainty: UncertaintySettings = field(default_factory=UncertaintySettings)


# Leg length (greater trochanter to floor) as a fraction of standing height, for --height-cm (Winter,
# Biomechanics and Motor Control of Human Movement, anthropometric table: 0.530 H). BlazePose's hip-knee-ankle
# chain stops at the ankle (0.039 H above the floor), so the landmark leg is 0.491 H.
LEG_LENGTH_FRACTION_OF_HEIGHT = 0.491


def settings_to_dict(settings: AnalysisSettings) -> dict[str, Any]:
    """Every setting and threshold as plain data (nested dicts, lists, numbers; infinities stay ``inf``)."""
    return dataclasses.asdict(settings)


def settings_from_dict(data: Mapping[str, Any]) -> AnalysisSettings:
    """The settings written by ``settings_to_dict`` (e.g. read back from analysis.json, where an infinite band
    end is ``null``). A key this version does not know is ignored; a key missing from an older file keeps this
    version's default."""
    return _from_plain(AnalysisSettings(), data)


def _from_plain(template: Any, data: Any) -> Any:
    if isinstance(template, Bands):
        return _bands_from_plain(data)
    if dataclasses.is_dataclass(template) and isinstance(data, Mapping):
        changes = {
            f.name: _from_plain(getattr(template, f.name), data[f.name])
            for f in dataclasses.fields(template)
            if f.name in data
        }
        return dataclasses.replace(template, **changes)
    if isinstance(template, tuple) and isinstance(data, (list, tuple)):
        return tuple(_from_plain(template[0] if template else None, v) for v in data)
    return data


def _bands_from_plain(data: Mapping[str, Any]) -> Bands:
    def intervals(ivs: Any) -> tuple[tuple[float, float], ...]:
        return tuple(
            (-INF if lo is None else float(lo), INF if hi is None else float(hi)) for lo, hi in ivs or ()
        )

    flag = data.get("flag")
    return Bands(
        good=intervals(data.get("good")),
        watch=intervals(data.get("watch")),
        evidence=str(data.get("evidence", "")),
        source=str(data.get("source", "")),
        flag=None if flag is None else intervals(flag),
    )
