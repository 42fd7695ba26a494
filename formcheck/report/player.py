"""The report's video player: the annotated video with tools to study a landing (speed, frame step, previous and
next landing), and the data its script needs (the landings' times in video seconds) embedded as JSON. Plain
JavaScript inside the page: it works opened from disk, offline."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from formcheck.model import Analysis
from formcheck.report.escaping import html_escape as _e

# The first frame at or after a contact carries its marks (render.video's key-frame rule: its time plus this
# tolerance is the contact's or later).
FRAME_TIME_TOLERANCE_S = 1e-6
# Videos up to this width:height (portrait and square) sit beside the summary on a wide screen.
PORTRAIT_MAX_ASPECT = 1.05


def contact_frame_times(
    analysis: Analysis, video_per_motion_s: float = 1.0, video_origin_s: float | None = None
) -> list[float | None]:
    """Per step, the video time (s) of the first frame that shows its landing's marks: the first trajectory frame
    at or after contact, in the annotated video's clock (``video_per_motion_s`` converts motion seconds of a
    slow-motion file into its playback seconds). The video starts at ``video_origin_s`` (motion seconds of the
    clip): by default the first analysed frame, where ``annotated.mp4`` starts (after ``--start``); 0 for a video
    of the whole clip. None when the step lies past the clip."""
    t = np.asarray(analysis.clean.time_s, dtype=float)
    origin = video_origin_s if video_origin_s is not None else _first_frame_s(analysis)
    out: list[float | None] = []
    for s in analysis.events.steps:
        k = int(np.searchsorted(t + FRAME_TIME_TOLERANCE_S, s.contact_s))
        out.append(None if k >= len(t) else round((float(t[k]) - origin) * video_per_motion_s, 4))
    return out


def _first_frame_s(analysis: Analysis) -> float:
    """Motion time of the first analysed frame: time 0 of ``annotated.mp4``."""
    t = analysis.raw.time_s
    return float(t[0]) if len(t) else 0.0


def player_data(
    analysis: Analysis, video_per_motion_s: float = 1.0, video_origin_s: float | None = None
) -> dict:
    """What the page's script needs: the file's frame rate and each step's side, validity, video time ``t``
    (seconds from the annotated video's start) and contact time ``c`` in the clip (seconds, as the key frames,
    the steps table, steps.csv and analysis.json give it: the player shows this one)."""
    times = contact_frame_times(analysis, video_per_motion_s, video_origin_s)
    steps = [
        {"i": i, "side": s.side, "t": t, "c": round(float(s.contact_s), 2), "valid": bool(s.valid)}
        for i, (s, t) in enumerate(zip(analysis.events.steps, times, strict=True))
        if t is not None
    ]
    return {
        "fps": round(float(analysis.video.fps), 4),
        "portrait_max_aspect": PORTRAIT_MAX_ASPECT,
        "steps": steps,
    }


def trimmed_span_s(analysis: Analysis) -> tuple[float, float] | None:
    """Clip seconds of the first and last analysed frame when ``--start``/``--end`` chose a part of the clip, else
    None."""
    settings, t = analysis.settings, analysis.raw.time_s
    if (settings.start_s is None and settings.end_s is None) or len(t) == 0:
        return None
    return float(t[0]), float(t[-1])


def span_note(analysis: Analysis) -> str:
    """One line under the video saying which part of the clip it shows, when ``--start``/``--end`` chose one,
    else ''. Clip seconds, the clock of every time on the page."""
    span = trimmed_span_s(analysis)
    if span is None:
        return ""
    return (
        f"The video shows the analysed part of the clip, {span[0]:.2f} s to {span[1]:.2f} s (--start/--end); "
        "times on this page are the clip's."
    )


def data_script(data: dict) -> str:
    """``data`` as an inline JSON block (``</`` escaped so no text can close the script element)."""
    text = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" id="fc-data">{text}</script>'


# A runner whose leg is shorter than this fraction of a wide frame's height is small on a phone's screen.
SMALL_RUNNER_LEG_FRACTION = 0.3


def crop_tip(width: int, height: int, leg_px: float, cropped: bool) -> str:
    """A line suggesting ``--crop runner`` when the runner is small in a wide frame, else ''."""
    if cropped or width <= height or not leg_px < SMALL_RUNNER_LEG_FRACTION * height:
        return ""
    return (
        "The runner is small in this wide clip: formcheck analyze CLIP --crop runner writes a video that follows "
        "them, so they fill a phone's screen."
    )


CAPTION_SUMMARY = "What the marks show; tap a step in the plots, the table or a key frame to see it"


def player_html(
    outdir: Path,
    video_file: str | None,
    width: int,
    height: int,
    caption: str,
    tip: str = "",
    summary: str = CAPTION_SUMMARY,
    note: str = "",
    stale: str = "",
) -> str:
    """The video and its tool bar (and ``note``, then ``tip``, under it), or a note when the video was not
    written; ``summary`` heads the folded ``caption``; ``stale`` (the video shows an earlier analysis) stands
    right under the video, before its tools."""
    if not (video_file and (outdir / video_file).exists()):
        return '<p class="muted">The annotated video was not written for this analysis (<code>--no-video</code>).</p>'
    src = _e(video_file)
    return (
        f'<div class="player"><video id="fc-video" controls playsinline muted preload="auto" src="{src}" '
        f'width="{width}" height="{height}" aria-label="annotated video">'
        f'Your browser cannot play the video; open <a href="{src}">{src}</a>.</video>'
        + (f'<p class="stale small" role="note">{_e(stale)}</p>' if stale else "")
        + '<div class="tools" role="toolbar" aria-label="study a landing">'
        '<span class="group">'
        '<button type="button" data-act="prev-contact" title="previous landing ( [ )">◀ landing</button>'
        '<button type="button" data-act="prev-frame" title="previous frame ( , )">‹ frame</button>'
        '<button type="button" data-act="play" title="play or pause ( k )">▶ play</button>'
        '<button type="button" data-act="next-frame" title="next frame ( . )">frame ›</button>'
        '<button type="button" data-act="next-contact" title="next landing ( ] )">landing ▶</button>'
        "</span>"
        '<span class="group speeds" role="group" aria-label="speed">'
        '<button type="button" data-rate="0.25" aria-pressed="false">¼×</button>'
        '<button type="button" data-rate="0.5" aria-pressed="false">½×</button>'
        '<button type="button" data-rate="1" aria-pressed="true">1×</button>'
        "</span>"
        '<output class="now" id="fc-now" aria-live="polite"></output>'
        "</div>"
        f'<details class="caption muted small"><summary>{_e(summary)}</summary>{_e(caption)}'
        '<span class="keys"> Keys: <kbd>,</kbd> <kbd>.</kbd> frame, <kbd>[</kbd> <kbd>]</kbd> landing, '
        "<kbd>k</kbd> play.</span></details>"
        + (f'<p class="span muted small">{_e(note)}</p>' if note else "")
        + (f'<p class="tip small">{_e(tip)}</p>' if tip else "")
        + "</div>"
    )


# The player's script: speed, frame step, landings, the current step highlighted wherever it is shown
# (elements with data-step), and a click on any of them seeks the video to that landing.
PLAYER_JS = r"""
(function () {
  "use strict";
  var node = document.getElementById("fc-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  var steps = data.steps || [];
  var v = document.getElementById("fc-video");
  var dt = 1 / (data.fps || 30);
  var now = document.getElementById("fc-now");
  var current = -2;
  var PORTRAIT_MAX = data.portrait_max_aspect || 1.05;

  function stepAt(t) {
    var k = -1;
    for (var i = 0; i < steps.length; i++) {
      if (steps[i].t <= t + 0.5 * dt) k = i; else break;
    }
    return k;
  }
  function mark() {
    if (!v) return;
    var k = stepAt(v.currentTime);
    if (k === current) return;
    current = k;
    var old = document.querySelectorAll("[data-step].current");
    for (var j = 0; j < old.length; j++) old[j].classList.remove("current");
    if (k >= 0) {
      var els = document.querySelectorAll('[data-step="' + steps[k].i + '"]');
      for (var m = 0; m < els.length; m++) els[m].classList.add("current");
    }
    if (now) {
      now.textContent = k < 0 ? "before the first landing" :
        "step " + (steps[k].i + 1) + " of " + steps.length + " · " + steps[k].side + " foot" +
        (steps[k].valid ? "" : " (not measured)") + " · " +
        (steps[k].c !== undefined ? steps[k].c : steps[k].t).toFixed(2) + " s";
    }
  }
  function seekTo(t) {
    v.pause();
    var end = isFinite(v.duration) ? v.duration - 0.25 * dt : t;
    v.currentTime = Math.max(0, Math.min(end, t));
    mark();
  }
  function seekStep(idx) {
    for (var i = 0; i < steps.length; i++) {
      if (steps[i].i === idx) { seekTo(steps[i].t + 0.25 * dt); return true; }
    }
    return false;
  }
  function frame(d) {
    var k = Math.round(v.currentTime / dt - 0.25) + d;
    seekTo((Math.max(0, k) + 0.25) * dt);
  }
  function landing(d) {
    var t = v.currentTime, i;
    if (d > 0) {
      for (i = 0; i < steps.length; i++) if (steps[i].t > t + 0.5 * dt) break;
      if (i < steps.length) seekTo(steps[i].t + 0.25 * dt);
    } else {
      for (i = steps.length - 1; i >= 0; i--) if (steps[i].t < t - 0.5 * dt) break;
      if (i >= 0) seekTo(steps[i].t + 0.25 * dt);
    }
  }
  function rate(r) {
    v.playbackRate = r;
    var b = document.querySelectorAll(".speeds button");
    for (var i = 0; i < b.length; i++) b[i].setAttribute("aria-pressed", String(+b[i].dataset.rate === r));
  }
  function play() { if (v.paused) { var p = v.play(); if (p && p.catch) p.catch(function () {}); } else v.pause(); }
  function act(name) {
    if (name === "prev-frame") frame(-1);
    else if (name === "next-frame") frame(1);
    else if (name === "prev-contact") landing(-1);
    else if (name === "next-contact") landing(1);
    else if (name === "play") play();
  }
  function inView(el) {
    var r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= (window.innerHeight || document.documentElement.clientHeight);
  }

  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-act],[data-rate],[data-step]") : null;
    if (!el || !v) return;
    if (el.dataset.act) act(el.dataset.act);
    else if (el.dataset.rate) rate(+el.dataset.rate);
    else if (seekStep(+el.dataset.step)) {
      ev.preventDefault();
      if (el.dataset.slow) rate(0.25);
      if (!inView(v)) v.scrollIntoView({block: "center"});
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (!v || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var tag = (ev.target && ev.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var map = {",": "prev-frame", ".": "next-frame", "[": "prev-contact", "]": "next-contact", "k": "play"};
    if (map[ev.key]) { ev.preventDefault(); act(map[ev.key]); }
  });
  if (v) {
    var playBtn = document.querySelector('[data-act="play"]');
    v.addEventListener("play", function () { if (playBtn) playBtn.textContent = "❚❚ pause"; });
    v.addEventListener("pause", function () { if (playBtn) playBtn.textContent = "▶ play"; });
    ["timeupdate", "seeked", "loadedmetadata"].forEach(function (e) { v.addEventListener(e, mark); });
    var fit = function () {  // the video's own shape (e.g. a --crop runner square) decides the layout
      var hero = v.closest(".hero");
      if (!hero || !v.videoWidth || !v.videoHeight) return;
      var ar = v.videoWidth / v.videoHeight;
      hero.style.setProperty("--ar", ar.toFixed(4));
      hero.classList.toggle("portrait", ar <= PORTRAIT_MAX);
      hero.classList.toggle("landscape", ar > PORTRAIT_MAX);
    };
    v.addEventListener("loadedmetadata", fit);
    fit();
    if (v.requestVideoFrameCallback) {
      var onFrame = function () { mark(); v.requestVideoFrameCallback(onFrame); };
      v.requestVideoFrameCallback(onFrame);
    }
    mark();
  }
  var targets = document.querySelectorAll("[data-step]");
  for (var i = 0; i < targets.length; i++) {
    var t = targets[i];
    if (!t.hasAttribute("tabindex") && !/^(BUTTON|A)$/.test(t.tagName)) t.setAttribute("tabindex", "-1");
  }
})();
"""
