"""A fast stand-in for the analysis of a batch: every clip runs in this process, writing a real clip folder
(report.html, analysis.json, tables) from the fake runner of tests/fixtures/fake_analysis.py, with the input's
SHA-256 and a cadence read from the file's first line, so the roster's merging is tested in seconds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import formcheck.batch as batch
from formcheck.batch.jobs import ClipJob, ClipOutcome, _metrics_summary
from formcheck.model import MetricResult
from formcheck.pipeline import sha256_file


class FakeRuns:
    """What the fake job did: clips analysed (pose pass) and clips whose video alone was drawn."""

    def __init__(self) -> None:
        self.analysed: list[str] = []
        self.redrawn: list[str] = []


def _verdict(cadence: float) -> str:
    return "good" if cadence >= 170 else "watch" if cadence >= 160 else "flag"


def fake_job(job: ClipJob, settings, runs: FakeRuns) -> ClipOutcome:
    from formcheck.outputs import write_outputs
    from tests.fixtures.fake_analysis import make_fake_analysis

    text = Path(job.path).read_bytes().decode("utf-8", "replace")
    if text.startswith("broken"):
        return ClipOutcome(job.rel, job.name, job.athlete, "error", "is a text file, not a video: film again")
    clip_dir = Path(job.clip_dir)
    if job.redraw:
        runs.redrawn.append(job.rel)
    else:
        runs.analysed.append(job.rel)
        cadence = float(text.split()[0])
        a = make_fake_analysis(path=job.path)
        metrics = dict(a.metrics)
        metrics["cadence_spm"] = dataclasses.replace(
            metrics["cadence_spm"], value=cadence, verdict=_verdict(cadence), interval=None
        )
        a = dataclasses.replace(a, metrics=metrics, input_sha256=sha256_file(job.path))
        write_outputs(a, clip_dir, write_video=False)
    if settings.write_video:
        (clip_dir / "annotated.mp4").write_bytes(b"not really a video")
    from formcheck.report.json_out import load_analysis

    doc = load_analysis(clip_dir / "analysis.json")
    return ClipOutcome(
        job.rel, job.name, job.athlete, "ok", sha256=doc["input"]["sha256"], metrics=_metrics_summary(doc)
    )


@pytest.fixture
def fake_runs(monkeypatch) -> FakeRuns:
    runs = FakeRuns()

    def run_local(jobs, settings, workers, sink, worker=None):
        for job in jobs:
            sink(fake_job(job, settings, runs))

    monkeypatch.setattr(batch, "run_local", run_local)
    return runs


__all__ = ["FakeRuns", "MetricResult", "fake_job"]
