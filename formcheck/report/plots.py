"""The report's plots, drawn with matplotlib (Agg) and returned as inline SVG text (no external references)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from formcheck.config import Thresholds
from formcheck.model import Analysis
from formcheck.render.geometry import angle_from_vertical_up_deg, joint_angle_deg, travel_sign
from formcheck.report.labels import bands_for

SIDE_HEX = {"left": "#2f7fd8", "right": "#e07b00"}
BAND_HEX = {"good": "#2ea44f", "watch": "#d4a72c"}
_RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#8c959f",
    "axes.labelcolor": "#24292f",
    "xtick.color": "#57606a",
    "ytick.color": "#57606a",
    "axes.grid": True,
    "grid.color": "#d0d7de",
    "grid.linewidth": 0.6,
}


@dataclass(frozen=True)
class Plot:
    id: str
    title: str
    caption: str
    svg: str


def to_svg(fig: Figure, salt: str) -> str:
    """The figure as an ``<svg>`` element for inline HTML: no XML prolog, metadata or namespace URLs; scales
    to its container's width."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, **_RC}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    svg = re.sub(r'(<svg[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', r"\1", svg, count=1)
    return svg.replace("<svg", f'<svg role="img" aria-label="{salt}" class="plot"', 1)


def _fig(h: float = 3.0, rows: int = 1) -> tuple[Figure, np.ndarray]:
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(7.2, h))
        axes = fig.subplots(rows, 1, sharex=rows > 1, squeeze=False)
    return fig, axes[:, 0]


def _shade_bands(ax, metric_id: str, th: Thresholds, lo: float, hi: float) -> None:
    bands = bands_for(metric_id, th)
    if bands is None:
        return
    for name, ivs in (("good", bands.good), ("watch", bands.watch)):
        for a, b in ivs:
            a, b = max(a, lo), min(b, hi)
            if b > a:
                ax.axhspan(a, b, color=BAND_HEX[name], alpha=0.10, lw=0, zorder=0)


def _per_step(analysis: Analysis, metric_id: str) -> np.ndarray | None:
    m = analysis.metrics.get(metric_id)
    if m is None or m.per_step is None or len(m.per_step) != len(analysis.events.steps):
        return None
    vals = [v if isinstance(v, (int, float)) and v is not None else np.nan for v in m.per_step]
    arr = np.asarray(vals, dtype=float)
    return arr if np.isfinite(arr).any() else None


def _step_scatter(ax, analysis: Analysis, vals: np.ndarray, unit: str) -> None:
    steps = analysis.events.steps
    idx = np.arange(1, len(steps) + 1)
    for side in ("left", "right"):
        sel = np.array([s.side == side and s.valid for s in steps]) & np.isfinite(vals)
        ax.plot(idx[sel], vals[sel], "o", color=SIDE_HEX[side], label=side, ms=6, zorder=3)
    rej = np.array([not s.valid for s in steps]) & np.isfinite(vals)
    if rej.any():
        ax.plot(idx[rej], vals[rej], "x", color="#8c959f", label="rejected", zorder=3)
    ok = np.isfinite(vals) & np.array([s.valid for s in steps])
    if ok.any():
        ax.axhline(float(np.median(vals[ok])), color="#24292f", lw=1, ls="--", label="median")
    ax.set_ylabel(unit)


def _limits(vals: np.ndarray, pad: float) -> tuple[float, float]:
    v = vals[np.isfinite(vals)]
    return float(v.min() - pad), float(v.max() + pad)


def plot_overstride(analysis: Analysis, th: Thresholds) -> Plot | None:
    over = _per_step(analysis, "overstride_distance")
    shank = _per_step(analysis, "shank_angle_ic_deg")
    series = [
        (v, mid, unit, t)
        for v, mid, unit, t in (
            (over, "overstride_distance", "% leg", "Heel ahead of hips"),
            (shank, "shank_angle_ic_deg", "deg", "Shin angle"),
        )
        if v is not None
    ]
    if not series:
        return None
    fig, axes = _fig(2.4 * len(series), rows=len(series))
    for ax, (vals, mid, unit, title) in zip(axes, series, strict=True):
        lo, hi = _limits(vals, 6.0)
        _shade_bands(ax, mid, th, lo, hi)
        _step_scatter(ax, analysis, vals, unit)
        ax.set_ylim(lo, hi)
        ax.set_title(title, loc="left", fontsize=10)
    axes[0].legend(loc="upper right", ncol=4, fontsize=8, frameon=False)
    axes[-1].set_xlabel("step")
    return Plot(
        "overstride",
        "Overstride per step",
        "How far the heel lands ahead of the hips (% of leg length) and the shin's angle from vertical at each "
        "contact. Shaded: green = good band, amber = watch band.",
        to_svg(fig, "overstride per step"),
    )


def plot_foot_strike(analysis: Analysis, th: Thresholds) -> Plot | None:
    fsa = _per_step(analysis, "foot_strike_angle_deg")
    if fsa is None:
        return None
    fig, axes = _fig(2.6)
    ax = axes[0]
    lo, hi = _limits(np.append(fsa, [th.forefoot_below_deg, th.rearfoot_above_deg]), 4.0)
    ax.axhspan(th.rearfoot_above_deg, hi, color="#d4a72c", alpha=0.10, lw=0)
    ax.axhspan(lo, th.forefoot_below_deg, color="#2f7fd8", alpha=0.08, lw=0)
    for y, name in ((th.rearfoot_above_deg, "rearfoot above"), (th.forefoot_below_deg, "forefoot below")):
        ax.axhline(y, color="#8c959f", lw=0.8)
        ax.text(
            0.99,
            y,
            f" {name} {y:g}°",
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="bottom",
            fontsize=8,
            color="#57606a",
        )
    _step_scatter(ax, analysis, fsa, "deg (+ = toes up)")
    ax.set_ylim(lo, hi)
    ax.set_xlabel("step")
    ax.legend(loc="lower left", ncol=4, fontsize=8, frameon=False)
    return Plot(
        "foot_strike",
        "Foot angle at landing",
        "The foot's angle at each contact relative to flat (+ = toes up): above the upper line is a heel (rearfoot) "
        "landing, below the lower line a forefoot landing.",
        to_svg(fig, "foot strike angle per step"),
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
    fig, axes = _fig(2.6)
    ax = axes[0]
    lo, hi = _limits(np.append(lean, [0.0, 15.0]), 2.0)
    _shade_bands(ax, "trunk_lean_deg", th, lo, hi)
    ax.plot(tr.time_s, lean, color="#0b7285", lw=1.5, label="trunk lean")
    for side in ("left", "right"):  # one collection per side: one artist per contact took 0.1 s a minute
        xs = [s.contact_s for s in analysis.events.steps if s.side == side]
        if xs:
            ax.vlines(xs, 0, 1, transform=ax.get_xaxis_transform(), color=SIDE_HEX[side], lw=0.6, alpha=0.5)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("deg (+ = forward)")
    return Plot(
        "trunk_lean",
        "Trunk lean over time",
        "Forward lean of the line from hips to shoulders. Thin vertical lines mark each contact (blue left, "
        "orange right); shaded: green = good band, amber = watch band.",
        to_svg(fig, "trunk lean over time"),
    )


def knee_cycles(analysis: Analysis, side: str, n: int = 101) -> np.ndarray:
    """(strides, n) knee flexion (deg) from one contact to the next same-side contact, resampled to 0-100%."""
    tr = analysis.clean
    kf = 180.0 - joint_angle_deg(tr.point(f"{side}_hip"), tr.point(f"{side}_knee"), tr.point(f"{side}_ankle"))
    contacts = [s for s in analysis.events.steps if s.side == side]
    out = []
    grid = np.linspace(0.0, 1.0, n)
    for a, b in zip(contacts, contacts[1:], strict=False):
        if not (a.valid and b.valid):
            continue
        sel = (tr.time_s >= a.contact_s) & (tr.time_s <= b.contact_s)
        if sel.sum() < 5 or not np.isfinite(kf[sel]).all():
            continue
        phase = (tr.time_s[sel] - a.contact_s) / (b.contact_s - a.contact_s)
        out.append(np.interp(grid, phase, kf[sel]))
    return np.array(out).reshape(-1, n)


def plot_knee_cycle(analysis: Analysis, th: Thresholds) -> Plot | None:
    if analysis.view != "side":
        return None
    fig, axes = _fig(2.8)
    ax = axes[0]
    x = np.linspace(0, 100, 101)
    drawn = False
    for side in ("left", "right"):
        cyc = knee_cycles(analysis, side)
        if len(cyc) == 0:
            continue
        drawn = True
        mean = cyc.mean(axis=0)
        ax.plot(x, mean, color=SIDE_HEX[side], lw=2, label=f"{side} (n={len(cyc)})")
        if len(cyc) > 1:
            sd = cyc.std(axis=0)
            ax.fill_between(x, mean - sd, mean + sd, color=SIDE_HEX[side], alpha=0.18, lw=0)
    if not drawn:
        return None
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of stride (0 = contact)")
    ax.set_ylabel("knee flexion (deg)")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return Plot(
        "knee_cycle",
        "Knee bend through the stride",
        "Knee flexion from one contact of a foot to its next, averaged over strides (line) with ± 1 SD (band). "
        "The far leg is partly hidden in a side view, so its curve is less certain.",
        to_svg(fig, "knee angle through the gait cycle"),
    )


def all_plots(analysis: Analysis, thresholds: Thresholds | None = None) -> list[Plot]:
    """Every plot that this clip's view and data allow, in report order."""
    th = thresholds or Thresholds()
    makers = (plot_overstride, plot_foot_strike, plot_trunk_lean, plot_knee_cycle)
    return [p for p in (make(analysis, th) for make in makers) if p is not None]
