"""One clip of a batch: the job, its outcome, and running it (skipped when its analysis is up to date)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from formcheck.batch.constants import EXIT_OK, EXIT_PARTIAL
from formcheck.config import AnalysisSettings
from formcheck.errors import FormcheckError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClipJob:
    """One clip to analyse (picklable: sent to the workers)."""

    path: str
    rel: str  # relative to FOLDER, POSIX
    name: str  # output folder name
    clip_dir: str
    athlete: str
    redraw: bool = False  # re-run from cached landmarks: its video missing, or its verdicts judged otherwise


@dataclass(frozen=True)
class ClipOutcome:
    """The result of one clip, as the summary shows it."""

    rel: str
    name: str
    athlete: str
    status: str  # "ok" or "error"
    error: str = ""
    sha256: str = ""
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> value, unit, verdict
    skipped: bool = False  # up to date from an earlier run
    seconds: float = 0.0
    recorded_at: datetime | None = None
    date_source: str = ""
    formcheck_version: str = ""
    settings: dict[str, Any] | None = (
        None  # the analysis.json's settings (None: written before they were kept)
    )
    source: str = ""  # the clip's absolute path when it was last seen

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class BatchResult:
    """What ``analyze_folder`` did: one outcome per clip in discovery order, and where the outputs are."""

    outdir: Path
    outcomes: list[ClipOutcome]
    db_path: Path
    summary_path: Path
    index_path: Path
    history_missing: list[str] = field(default_factory=list)  # clips (rel) analysed but not in the database

    @property
    def n_ok(self) -> int:
        return sum(o.ok for o in self.outcomes)

    @property
    def n_failed(self) -> int:
        return sum(not o.ok for o in self.outcomes)

    @property
    def n_analysed(self) -> int:
        return sum(o.ok and not o.skipped for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.n_failed == 0 and not self.history_missing else EXIT_PARTIAL


def metrics_summary(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An ``analysis.json`` document's metrics as the summary shows them: id -> value, unit, verdict."""
    out = {}
    for mid, m in (doc.get("metrics") or {}).items():
        out[mid] = {"value": m.get("value"), "unit": m.get("unit", ""), "verdict": m.get("verdict", "n/a")}
    return out


VIDEO_NAME = "annotated.mp4"


def up_to_date(
    job: ClipJob, sha256: str, need_video: bool = False, capture_fps: float | None = None
) -> dict[str, Any] | None:
    """The clip's earlier ``analysis.json`` when it exists and was made from this very input (with
    ``need_video``, its annotated video is there too; with ``capture_fps``, it was analysed at that capture rate:
    a coach who forgot ``--capture-fps`` re-runs with it), else None."""
    from formcheck.report.json_out import load_analysis

    p = Path(job.clip_dir) / "analysis.json"
    if not p.is_file():
        return None
    try:
        doc = load_analysis(p)
    except FormcheckError as e:
        log.info("%s: earlier analysis unreadable (%s); analysing again", job.rel, e)
        return None
    if doc.get("input", {}).get("sha256") != sha256:
        return None
    if capture_fps is not None and (doc.get("settings") or {}).get("capture_fps") != capture_fps:
        return None
    return doc if not need_video or (Path(job.clip_dir) / VIDEO_NAME).is_file() else None


# The settings a verdict depends on that ``pipeline.reanalyze`` applies from the cached landmarks (no pose pass).
JUDGING_SETTINGS = ("thresholds", "gait", "processing", "uncertainty")


def judged_as_asked(doc: dict[str, Any], settings: AnalysisSettings) -> bool:
    """The clip's ``analysis.json`` was judged with the requested bands and rules (``--speed``, ``--config``):
    otherwise its verdicts are stale and the batch re-judges it. A document without settings was judged with the
    defaults; a speed given before stands when none is asked now, as ``reanalyze`` keeps it. A document without
    ``steps.verdicts_withheld`` was judged before verdicts on too few usable steps were withheld
    (formcheck/metrics/withheld.py): its verdicts may rest on a handful of steps, so it is re-judged too."""
    from formcheck.config import keep_earlier_speed
    from formcheck.report.json_out import settings_of

    steps = doc.get("steps")
    if isinstance(steps, dict) and "verdicts_withheld" not in steps:
        return False
    before = settings_of(doc) or AnalysisSettings()
    wanted = keep_earlier_speed(settings, before)
    return all(getattr(before, name) == getattr(wanted, name) for name in JUDGING_SETTINGS)


def shows_earlier_analysis(doc: dict[str, Any]) -> bool:
    """The clip's annotated.mp4 was kept from an earlier analysis (its source video was not at hand when the clip
    was re-judged: ``annotated_video`` of analysis.json): a re-run tries to draw it again."""
    record = doc.get("annotated_video")
    return isinstance(record, dict) and record.get("shows_this_analysis") is False


def can_redraw(job: ClipJob, sha256: str, capture_fps: float | None = None) -> bool:
    """The clip's analysis is of this input (and capture rate) and its landmarks are cached: its missing video can
    be drawn without the pose pass (``pipeline.reanalyze``)."""
    return (
        up_to_date(job, sha256, capture_fps=capture_fps) is not None
        and (Path(job.clip_dir) / "landmarks.npz").is_file()
    )


def analyze_job(job: ClipJob, settings: AnalysisSettings) -> ClipOutcome:
    """Analyse one clip and write its folder (runs in a worker). Never raises for a clip's own failure."""
    from formcheck.outputs import check_clip_dir
    from formcheck.pipeline import analyze_clip, reanalyze
    from formcheck.report.json_out import analysis_to_dict

    start = time.monotonic()
    try:
        check_clip_dir(job.clip_dir, job.path)  # before the pose pass
        if job.redraw:
            analysis = reanalyze(job.clip_dir, settings, found_at=job.path)
        else:
            # analyze_clip writes the folder with what only the analysis measured from the picture (the pelvis
            # line of a rear or front clip, the sole's contacts): re-judging reuses them, never the video.
            clip_dir = Path(job.clip_dir)
            analysis = analyze_clip(job.path, clip_dir.parent, settings, clip_dir=clip_dir)
        doc = analysis_to_dict(analysis)
    except FormcheckError as e:
        return ClipOutcome(job.rel, job.name, job.athlete, "error", str(e), seconds=time.monotonic() - start)
    except Exception as e:  # noqa: BLE001  # a bug in one clip must not stop the batch; logged with traceback
        log.exception("unexpected error on %s", job.rel)
        msg = f"internal error ({type(e).__name__}: {e}); please report it with the clip"
        return ClipOutcome(job.rel, job.name, job.athlete, "error", msg, seconds=time.monotonic() - start)
    return ClipOutcome(
        job.rel,
        job.name,
        job.athlete,
        "ok",
        sha256=analysis.input_sha256,
        metrics=metrics_summary(doc),
        seconds=time.monotonic() - start,
        formcheck_version=doc.get("formcheck_version", ""),
        settings=doc.get("settings"),
    )


def _crashed(job: ClipJob, how: str) -> ClipOutcome:
    return ClipOutcome(
        job.rel,
        job.name,
        job.athlete,
        "error",
        f"the worker analysing this clip died ({how}): it may be too large for memory; try it alone with "
        "'formcheck analyze'",
    )
