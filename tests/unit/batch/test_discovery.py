"""Batch without the pose model: discovery by content, clip folder names, recording dates, the pool's handling of a
dying worker, and analyze_folder's summary/index/store/resume logic with a stand-in worker."""

from __future__ import annotations

import csv
import json
import os
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from formcheck import batch
from formcheck.batch import ClipJob, ClipOutcome, clip_names, discover_videos, sniff_container
from formcheck.batch.command import BatchBar
from formcheck.config import AnalysisSettings
from formcheck.errors import UsageError
from formcheck.history_dates import recording_date
from formcheck.store import Store

MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (MP4_HEAD, "mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "mp4"),  # QuickTime .mov
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x00", "mp4"),  # old QuickTime without ftyp
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01", "matroska"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "avi"),
        (b"\x00\x00\x01\xba\x44\x00", "mpeg-ps"),
        (bytes([0x47] + [0] * 187) * 3, "mpeg-ts"),
        (b"FLV\x01\x05", "flv"),
        (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9", "asf"),
        (b"hello, this is text", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_sniff_container(head: bytes, kind: str | None) -> None:
    assert sniff_container(head) == kind


def _touch(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_discovery_by_content(tmp_path) -> None:
    root = tmp_path / "clips"
    no_ext = _touch(root / "ann" / "IMG_0001", MP4_HEAD)
    mkv = _touch(root / "bob" / "run.weird", b"\x1a\x45\xdf\xa3" + b"\x00" * 64)
    fake = _touch(root / "fake.mp4", b"this is a text file with an mp4 name\n")
    _touch(root / "notes.txt", b"tempo run, 5 km\n")
    _touch(root / "ann" / "run.truth.json", b'{"cadence": 170}')
    _touch(root / ".hidden.mp4", MP4_HEAD)
    _touch(root / ".cache" / "x.mp4", MP4_HEAD)
    _touch(root / "out" / "old" / "annotated.mp4", MP4_HEAD)  # OUTDIR inside FOLDER
    found = discover_videos(root, exclude=[root / "out"])
    # The text .mp4 is taken on its extension and will be recorded as failed with the reader's message.
    assert found == sorted([no_ext, mkv, fake])


def test_clip_names_are_unique(tmp_path) -> None:
    root = tmp_path
    paths = [
        root / "run.mp4",
        root / "athleteA" / "run.mp4",
        root / "athleteB" / "run.mp4",
        root / "athleteB" / "sprint.mp4",
        root / "athleteB" / "sprint.MOV",
        root / "athlete C" / "day 1" / "run (2).mp4",
    ]
    names = clip_names(root, paths)
    assert names[paths[0]] == "run"
    assert names[paths[1]] == "athleteA__run"
    assert names[paths[2]] == "athleteB__run"
    assert names[paths[3]].startswith("athleteB__sprint-") and names[paths[4]].startswith("athleteB__sprint-")
    assert names[paths[5]] == "athlete_C__day_1__run_2_.mp4"[:-4]
    assert len({n.lower() for n in names.values()}) == len(paths)
    assert clip_names(root, paths) == names  # deterministic


def _tiny_video(path: Path, creation_time: str | None) -> Path:
    import av

    with av.open(str(path), "w") as c:
        if creation_time:
            c.metadata["creation_time"] = creation_time
        s = c.add_stream("mpeg4", rate=10)
        s.width, s.height, s.pix_fmt = 32, 32, "yuv420p"
        for _ in range(3):
            frame = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")
            for p in s.encode(frame):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path


def test_recording_date_from_metadata_else_mtime(tmp_path) -> None:
    tagged = _tiny_video(tmp_path / "tagged.mp4", "2024-05-01T07:30:00.000000Z")
    dt, source = recording_date(tagged)
    assert source == "creation_time metadata"
    expected = datetime.fromisoformat("2024-05-01T07:30:00+00:00").astimezone().replace(tzinfo=None)
    assert dt == expected

    plain = _tiny_video(tmp_path / "plain.mp4", None)
    os.utime(plain, (1700000000, 1700000000))
    dt, source = recording_date(plain)
    assert source == "file modification time" and dt == datetime.fromtimestamp(1700000000)

    junk = _touch(tmp_path / "junk.mp4", b"not a video")
    assert recording_date(junk)[1] == "file modification time"


# --- the pool, with stand-in workers (module-level: the spawned workers import them) -----------------------------


def fake_worker(job: ClipJob, settings: AnalysisSettings) -> ClipOutcome:
    """Writes a minimal analysis.json; dies on clips named 'crash'; fails on clips named 'bad'."""
    if "crash" in job.name:
        os._exit(1)
    if "bad" in job.name:
        return ClipOutcome(job.rel, job.name, job.athlete, "error", "bad is not a video")
    sha = batch_sha(job.path)
    d = Path(job.clip_dir)
    d.mkdir(parents=True, exist_ok=True)
    metrics = {
        "cadence_spm": {"value": 172.0, "unit": "steps/min", "verdict": "good"},
        "trunk_lean_deg": {"value": 12.5, "unit": "deg", "verdict": "watch"},
        "foot_strike_type": {"value": "midfoot", "unit": "category", "verdict": "good"},
    }
    (d / "analysis.json").write_text(
        json.dumps({"input": {"path": job.path, "sha256": sha}, "metrics": metrics})
    )
    with open(d / "runs.log", "a") as f:
        f.write("analysed\n")
    return ClipOutcome(job.rel, job.name, job.athlete, "ok", sha256=sha, metrics=metrics)


def batch_sha(path: str) -> str:
    from formcheck.pipeline import sha256_file

    return sha256_file(path)


def _jobs(tmp_path: Path, names: list[str]) -> list[ClipJob]:
    jobs = []
    for n in names:
        p = _touch(tmp_path / "in" / f"{n}.mp4", MP4_HEAD + n.encode())
        jobs.append(ClipJob(str(p), f"{n}.mp4", n, str(tmp_path / "out" / n), "ann"))
    return jobs


@pytest.mark.slow  # waits for a killed worker process (7 s)
def test_a_dead_worker_fails_its_clip_and_the_batch_goes_on(tmp_path) -> None:
    jobs = _jobs(tmp_path, ["a", "crash", "b", "c", "bad"])
    got: list[ClipOutcome] = []
    batch.run_local(jobs, AnalysisSettings(), 2, got.append, worker=fake_worker)
    by = {o.name: o for o in got}
    assert sorted(by) == ["a", "b", "bad", "c", "crash"] and len(got) == 5
    assert by["crash"].status == "error" and "worker" in by["crash"].error
    assert by["bad"].error == "bad is not a video"
    assert all(by[n].ok for n in "abc")


# --- analyze_folder with the stand-in worker, run in this process -------------------------------------------------


@pytest.fixture
def inline_worker(monkeypatch):
    calls: list[str] = []

    def run_local(jobs, settings, workers, sink, worker=None):
        for job in jobs:
            calls.append(job.name)
            sink(fake_worker(job, settings))

    monkeypatch.setattr(batch, "run_local", run_local)
    return calls


def test_analyze_folder_summary_index_store_and_resume(tmp_path, inline_worker) -> None:
    root = tmp_path / "clips"
    _touch(root / "ann" / "run.mp4", MP4_HEAD + b"1")
    _touch(root / "bob" / "run.mp4", MP4_HEAD + b"2")
    _touch(root / "bob" / "bad.mov", MP4_HEAD + b"3")
    _touch(root / "notes.txt", b"notes")
    out = root / "out"
    NO_VIDEO = AnalysisSettings(write_video=False)  # the stand-in worker draws no video
    result = batch.analyze_folder(root, out, NO_VIDEO, athlete_from_folder=True)
    assert result.exit_code == 3 and (result.n_ok, result.n_failed) == (2, 1)
    assert sorted(inline_worker) == ["ann__run", "bob__bad", "bob__run"]

    rows = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8").splitlines()))
    rows.sort(key=lambda r: r["clip"])  # the file lists clips by athlete, then date
    assert [r["clip"] for r in rows] == ["ann/run.mp4", "bob/bad.mov", "bob/run.mp4"]
    assert [r["status"] for r in rows] == ["ok", "error", "ok"]
    assert rows[1]["error"] == "bad is not a video" and rows[1]["athlete"] == "bob"
    assert rows[0]["cadence_spm"] == "172.0" and rows[0]["trunk_lean_deg_verdict"] == "watch"
    assert rows[0]["overstride_distance_pctleg"] == "" and rows[0]["date"]

    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="ann__run/report.html"' in page and "bad is not a video" in page
    assert 'class="v-watch"' in page and "http://" not in page and "https://" not in page
    assert 'href="athletes/ann.html"' in page and 'href="athletes/bob.html"' in page
    assert "bad is not a video" in (out / "athletes" / "bob.html").read_text(encoding="utf-8")

    with Store(out / "formcheck.db") as st:
        assert st.athletes() == ["ann", "bob"]
        assert st.sessions("ann")[0].metrics["cadence_spm"].value == 172.0

    # Resume: nothing is analysed again except the failed clip and a clip whose outputs were deleted.
    inline_worker.clear()
    import shutil

    shutil.rmtree(out / "bob__run")
    result = batch.analyze_folder(root, out, NO_VIDEO, athlete_from_folder=True)
    assert sorted(inline_worker) == ["bob__bad", "bob__run"]
    assert [o.skipped for o in result.outcomes] == [True, False, False]
    assert (out / "ann__run" / "runs.log").read_text() == "analysed\n"
    with Store(out / "formcheck.db") as st:
        assert len(st.sessions("ann")) == 1 and len(st.sessions("bob")) == 1  # updated, not duplicated

    # A changed input (different sha256) is analysed again.
    inline_worker.clear()
    _touch(root / "ann" / "run.mp4", MP4_HEAD + b"1 edited")
    batch.analyze_folder(root, out, NO_VIDEO, athlete_from_folder=True)
    assert sorted(inline_worker) == ["ann__run", "bob__bad"]
    rows = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8").splitlines()))
    assert sorted(r["clip"] for r in rows) == [
        "ann/run.mp4",
        "bob/bad.mov",
        "bob/run.mp4",
    ]  # replaced, not added
    with Store(out / "formcheck.db") as st:
        (s,) = st.sessions("ann")
        assert s.sha256 == batch_sha(str(root / "ann" / "run.mp4"))


def test_analyze_folder_bad_folders(tmp_path) -> None:
    with pytest.raises(UsageError, match="not a folder"):
        batch.analyze_folder(tmp_path / "missing", tmp_path / "out")
    _touch(tmp_path / "empty" / "notes.txt", b"x")
    with pytest.raises(UsageError, match="no videos"):
        batch.analyze_folder(tmp_path / "empty", tmp_path / "out")


def test_batch_cli_exit_codes(tmp_path, inline_worker, capsys) -> None:
    from formcheck.cli import main

    assert main(["batch", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    _touch(tmp_path / "c" / "a.mp4", MP4_HEAD)
    assert main(["batch", str(tmp_path / "c"), "-o", str(tmp_path / "o"), "--quiet", "--athlete", "zoe"]) == 0
    _touch(tmp_path / "c" / "bad.mp4", MP4_HEAD + b"bad")
    assert main(["batch", str(tmp_path / "c"), "-o", str(tmp_path / "o"), "--athlete", "zoe"]) == 3
    assert "bad is not a video" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "c"), "-o", str(tmp_path / "o"), "--workers", "0"]) == 2


def test_progress_bar_only_on_a_terminal(monkeypatch) -> None:
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    monkeypatch.setattr("sys.stderr", err)
    bar = BatchBar(enabled=True)
    bar(1, 0, 4)
    bar(2, 1, 4)
    bar.close()
    assert "2/4 clips, 1 failed" in err.getvalue() and "s left" in err.getvalue()
    quiet = Tty()
    monkeypatch.setattr("sys.stderr", quiet)
    q = BatchBar(enabled=False)
    q(1, 0, 4)
    q.close()
    assert quiet.getvalue() == ""
    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal
    b = BatchBar(enabled=True)
    assert not b.enabled
