"""The report's plots as inline SVG text (no external references), drawn with ``svgplot``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.config import Thresholds
from formcheck.geometry import angle_from_vertical_up_deg, joint_angle_deg, travel_sign
from formcheck.metrics.registry import REGISTRY, bands_for
from formcheck.model import Analysis
from formcheck.report.svgplot import FG, MINUS, SPINE, Figure, LegendEntry, Panel

SIDE_HEX = {"left": "#2f7fd8", "right": "#e07b00"}
BAND_HEX = {"good": "#2ea44f", "watch": "#d4a72c"}
LEAN_HEX = "#0b7285"
# Plot width in SVG units: about a phone's content width, so text drawn at 12 units reads at about 12 px there.
PLOT_WIDTH = 340.0
# Steps up to which each one gets a tap target (beyond, single steps are too close together to tap).
MAX_TARGETS = 400


@dataclass(frozen=True)
class Plot:
    id: str
    title: str
    caption: str
    svg: str


def _shade_bands(ax: Panel, metric_id: str, th: Thresholds) -> None:
    bands = bands_for(metric_id, th)
    if bands is None:
        return
    for name, ivs in (("good", bands.good), ("watch", bands.watch)):
        for a, b in ivs:
            ax.hspan(a, b, BAND_HEX[name], 0.10)


def _per_step(analysis: Analysis, metric_id: str) -> np.ndarray | None:
    """Per-step values that the metric's verdict bands judge (registry ``judged_per_step``), NaN where missing."""
    m = analysis.metrics.get(metric_id)
    values = None if m is None else REGISTRY[metric_id].judged_per_step(m)
    if values is None or len(values) != len(analysis.events.steps):
        return None
    vals = [v if isinstance(v, (int, float)) and v is not None else np.nan for v in values]
    arr = np.asarray(vals, dtype=float)
    return arr if np.isfinite(arr).any() else None


def _marker_size(n_steps: int) -> float:
    """Marker diameter: 8 units for a short clip, down to 3.5 when ~1,800 steps share the width."""
    return float(np.clip(900.0 / max(n_steps, 1), 3.5, 8.0))


def _step_scatter(ax: Panel, analysis: Analysis, vals: np.ndarray) -> None:
    steps = analysis.events.steps
    idx = np.arange(1, len(steps) + 1, dtype=float)
    valid = np.array([s.valid for s in steps], dtype=bool)
    size = _marker_size(len(steps))
    for side in ("left", "right"):
        sel = np.array([s.side == side for s in steps], dtype=bool) & valid & np.isfinite(vals)
        if sel.any():
            ax.markers(idx[sel], vals[sel], SIDE_HEX[side], "o", size, label=side)
    rej = ~valid & np.isfinite(vals)
    if rej.any():
        ax.markers(idx[rej], vals[rej], SPINE, "x", size, label="rejected")
    ok = np.isfinite(vals) & valid
    if ok.any():
        ax.hline(float(np.median(vals[ok])), FG, 1.0, dash="5 3", label="median")
    if len(steps) <= MAX_TARGETS:
        ax.targets(idx, vals, range(len(steps)))


def _limits(vals: np.ndarray, pad_frac: float = 0.05) -> tuple[float, float]:
    v = vals[np.isfinite(vals)]
    lo, hi = float(v.min()), float(v.max())
    pad = pad_frac * (hi - lo)
    return lo - pad, hi + pad


def _step_axis(fig: Figure, analysis: Analysis) -> None:
    fig.set_xlim(0.5, len(analysis.events.steps) + 0.5, integer=True)
    fig.xlabel = "step"


def plot_overstride(analysis: Analysis, th: Thresholds) -> Plot | None:
    if analysis.view != "side":
        return None
    over = _per_step(analysis, "overstride_distance")
    shank = _per_step(analysis, "shank_angle_ic_deg")
    series = [
        (v, mid, unit, t)
        for v, mid, unit, t in (
            (over, "overstride_distance", "% leg", "Heel's reach before landing"),
            (shank, "shank_angle_ic_deg", "deg", "Shin angle"),
        )
        if v is not None
    ]
    if not series:
        return None
    fig = Figure("overstride per step", PLOT_WIDTH)
    for i, (vals, mid, unit, title) in enumerate(series):
        ax = fig.panel(150.0, title, unit)
        _shade_bands(ax, mid, th)
        _step_scatter(ax, analysis, vals)
        ax.set_ylim(*_limits(vals))
        if i == 0:
            ax.legend()
    _step_axis(fig, analysis)
    return Plot(
        "overstride",
        "Overstride per step",
        "How far the heel reaches ahead of the hips just before landing (% of leg length; the overstride verdict "
        "is taken on it) and the shin's angle from vertical at each contact. Shaded: green = good band, amber = "
        "watch band. Tap a point to see that landing in the video.",
        fig.to_svg(),
    )


def plot_foot_strike(analysis: Analysis, th: Thresholds) -> Plot | None:
    if analysis.view != "side":
        return None
    fsa = _per_step(analysis, "foot_strike_angle_deg")
    if fsa is None:
        return None
    fig = Figure("foot strike angle per step", PLOT_WIDTH)
    ax = fig.panel(190.0, ylabel="deg (+ = toes up)")
    ax.hspan(th.rearfoot_above_deg, np.inf, BAND_HEX["watch"], 0.10)
    ax.hspan(-np.inf, th.forefoot_below_deg, SIDE_HEX["left"], 0.08)
    for y, name in ((th.rearfoot_above_deg, "rearfoot above"), (th.forefoot_below_deg, "forefoot below")):
        ax.hline(y, SPINE, 0.8)
        ax.note(y, f"{name} {y:g}°".replace("-", MINUS))
    _step_scatter(ax, analysis, fsa)
    ax.set_ylim(*_limits(np.append(fsa, [th.forefoot_below_deg - 2.0, th.rearfoot_above_deg + 2.0])))
    ax.legend()
    _step_axis(fig, analysis)
    return Plot(
        "foot_strike",
        "Foot angle at landing",
        "The foot's angle at each contact relative to flat (+ = toes up): above the upper line is a heel (rearfoot) "
        "landing, below the lower line a forefoot landing. A single landing's angle is uncertain by about 8°, so "
        'each is classed together with your other landings ("overall" on the video where the two differ). Tap a '
        "point to see that landing in the video.",
        fig.to_svg(),
    )


def plot_trunk_lean(analysis: Analysis, th: Thresholds) -> Plot | None:
    tr = analysis.clean
    if tr.n_frames < 2 or analysis.view != "side":
        return None
    lean = angle_from_vertical_up_deg(
        tr.mid("left_shoulder", "right_shoulder") - tr.mid("left_hip", "right_hip"),
        travel_sign(analysis.direction),
    )
    if not np.isfinite(lean).any():
        return None
    fig = Figure("trunk lean over time", PLOT_WIDTH)
    ax = fig.panel(190.0, ylabel="deg (+ = forward)")
    _shade_bands(ax, "trunk_lean_deg", th)
    t = np.asarray(tr.time_s, dtype=float)
    for side in ("left", "right"):
        xs = [s.contact_s for s in analysis.events.steps if s.side == side]
        if xs:
            ax.vlines(xs, SIDE_HEX[side], 0.8, 0.55, label=f"{side} contact")
    ax.line(t, lean, LEAN_HEX, 1.5, label="trunk lean")
    steps = analysis.events.steps
    if len(steps) <= MAX_TARGETS:
        at = [s.contact_s for s in steps]
        ax.targets(at, np.interp(at, t, np.where(np.isfinite(lean), lean, np.nan)), range(len(steps)))
    ax.set_ylim(*_limits(np.append(lean, [0.0, 15.0])))
    ax.legend()
    fig.set_xlim(float(np.nanmin(t)), float(np.nanmax(t)))
    fig.xlabel = "time (s)"
    return Plot(
        "trunk_lean",
        "Trunk lean over time",
        "Forward lean of the line from hips to shoulders. Thin vertical lines mark each contact (blue left, "
        "orange right); shaded: green = good band, amber = watch band.",
        fig.to_svg(),
    )


def knee_cycles(analysis: Analysis, side: str, n: int = 101) -> np.ndarray:
    """(strides, n) knee flexion (deg) from one contact to the next same-side contact, resampled to 0-100%."""
    tr = analysis.clean
    kf = 180.0 - joint_angle_deg(tr.point(f"{side}_hip"), tr.point(f"{side}_knee"), tr.point(f"{side}_ankle"))
    contacts = [s for s in analysis.events.steps if s.side == side]
    out = []
    grid = np.linspace(0.0, 1.0, n)
    t = tr.time_s
    for a, b in zip(contacts, contacts[1:], strict=False):
        if not (a.valid and b.valid):
            continue
        i0, i1 = np.searchsorted(t, a.contact_s, "left"), np.searchsorted(t, b.contact_s, "right")
        seg = kf[i0:i1]  # time_s is strictly increasing: the frames from a's contact to b's
        if len(seg) < 5 or not np.isfinite(seg).all():
            continue
        phase = (t[i0:i1] - a.contact_s) / (b.contact_s - a.contact_s)
        out.append(np.interp(grid, phase, seg))
    return np.array(out).reshape(-1, n)


def plot_knee_cycle(analysis: Analysis, th: Thresholds) -> Plot | None:
    if analysis.view != "side":
        return None
    fig = Figure("knee angle through the gait cycle", PLOT_WIDTH)
    ax = fig.panel(200.0, ylabel="knee flexion (deg)")
    x = np.linspace(0, 100, 101)
    drawn = False
    for side in ("left", "right"):
        cyc = knee_cycles(analysis, side)
        if len(cyc) == 0:
            continue
        drawn = True
        mean = cyc.mean(axis=0)
        if len(cyc) > 1:
            sd = cyc.std(axis=0)
            ax.fill_between(x, mean - sd, mean + sd, SIDE_HEX[side], 0.18)
        ax.line(x, mean, SIDE_HEX[side], 2.0, decimate=False)
        glyph = "band" if len(cyc) > 1 else "line"
        ax.legend(LegendEntry(f"{side} (n={len(cyc)})", glyph, SIDE_HEX[side], 0.18))
    if not drawn:
        return None
    fig.set_xlim(0, 100)
    fig.xlabel = "% of stride (0 = contact)"
    return Plot(
        "knee_cycle",
        "Knee bend through the stride",
        "Knee flexion from one contact of a foot to its next, averaged over strides (line) with ± 1 SD (band). "
        "The far leg is partly hidden in a side view, so its curve is less certain.",
        fig.to_svg(),
    )


def _frontal_step_plot(
    analysis: Analysis, th: Thresholds, metric_id: str, title: str, ylabel: str, caption: str, zero: str = ""
) -> Plot | None:
    """One rear/front-view metric per step: the points by side, the median, the bands; ``zero`` labels a line
    at 0 (e.g. where a crossover starts)."""
    if analysis.view == "side":
        return None
    vals = _per_step(analysis, metric_id)
    if vals is None:
        return None
    fig = Figure(f"{title.lower()} per step", PLOT_WIDTH)
    ax = fig.panel(180.0, ylabel=ylabel)
    _shade_bands(ax, metric_id, th)
    limits = vals
    if zero:
        ax.hline(0.0, SPINE, 0.8)
        ax.note(0.0, zero)
        limits = np.append(vals, 0.0)
    _step_scatter(ax, analysis, vals)
    ax.set_ylim(*_limits(limits))
    ax.legend()
    _step_axis(fig, analysis)
    return Plot(metric_id, title, caption, fig.to_svg())


_BANDS_NOTE = "Shaded: green = good band, amber = watch band. Tap a point to see that step in the video."


def plot_pelvic_drop(analysis: Analysis, th: Thresholds) -> Plot | None:
    return _frontal_step_plot(
        analysis,
        th,
        "pelvic_tilt_deg",
        "Pelvic drop per step",
        "deg (+ = swing hip lower)",
        "How far the hip of the swinging leg drops below the standing leg's hip at midstance of each step, in "
        "degrees (+ = the swing side lower). " + _BANDS_NOTE,
    )


def plot_step_width(analysis: Analysis, th: Thresholds) -> Plot | None:
    return _frontal_step_plot(
        analysis,
        th,
        "step_width",
        "Step width per step",
        "% of hip width",
        "How far the standing heel is from the body's midline at midstance of each step, in % of hip width: at "
        "or below the 0 line the foot lands on or across the midline (crossover). " + _BANDS_NOTE,
        zero="crossover below",
    )


def plot_side_lean(analysis: Analysis, th: Thresholds) -> Plot | None:
    return _frontal_step_plot(
        analysis,
        th,
        "lateral_trunk_lean_deg",
        "Sideways trunk lean per step",
        "deg (+ = toward stance)",
        "The trunk's lean from vertical (hips to shoulders) at midstance of each step, + = toward the standing "
        "foot. " + _BANDS_NOTE,
        zero="upright",
    )


def all_plots(analysis: Analysis) -> list[Plot]:
    """Every plot that this clip's view and data allow, in report order; bands shaded from the analysis's own
    thresholds."""
    th = analysis.settings.thresholds
    makers = (
        plot_overstride,
        plot_foot_strike,
        plot_trunk_lean,
        plot_knee_cycle,
        plot_pelvic_drop,
        plot_step_width,
        plot_side_lean,
    )
    return [p for p in (make(analysis, th) for make in makers) if p is not None]
