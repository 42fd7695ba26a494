"""``gait.contact_timing``: "landmarks" (default) or "sole" (opt-in, formcheck/sole_edge.py). A bad word is one line
and exit 2; the default path never decodes the video and is unchanged; a side view without its video keeps the
landmark contacts and says so once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import formcheck.pipeline as pipeline
import formcheck.sole_timing as sole_timing
from formcheck.cli import main
from formcheck.config import AnalysisSettings
from formcheck.config_file import load_settings_file
from formcheck.errors import UsageError
from formcheck.model import Analysis
from formcheck.outputs import write_outputs
from formcheck.report.json_out import analysis_to_dict, load_analysis
from formcheck.synth.params import RunnerParams
from formcheck.trajectory_analysis import analyze_trajectories, measure, prepare
from tests.fixtures.fake_analysis import make_fake_analysis
from tests.fixtures.synthetic import synthetic_trajectories

NO_VIDEO = AnalysisSettings(write_video=False)


def _sole(settings: AnalysisSettings = NO_VIDEO) -> AnalysisSettings:
    return dataclasses.replace(settings, gait=dataclasses.replace(settings.gait, contact_timing="sole"))


def test_the_setting_defaults_to_landmarks_and_a_file_can_choose_sole(tmp_path: Path) -> None:
    assert AnalysisSettings().gait.contact_timing == "landmarks"
    f = tmp_path / "coach.toml"
    f.write_text('[gait]\ncontact_timing = "sole"\n')
    assert load_settings_file(f).gait.contact_timing == "sole"


def test_a_bad_word_in_the_file_is_one_line_naming_the_choices(tmp_path: Path) -> None:
    f = tmp_path / "coach.toml"
    f.write_text('[gait]\ncontact_timing = "soles"\n')
    with pytest.raises(UsageError) as info:
        load_settings_file(f)
    msg = str(info.value)
    assert msg.startswith("coach.toml: gait.contact_timing must be") and "\n" not in msg
    assert '"landmarks" or "sole"' in msg and "'soles'" in msg


def test_the_command_line_refuses_a_bad_word_with_exit_2(tmp_path: Path, capsys) -> None:
    f = tmp_path / "coach.toml"
    f.write_text('[gait]\ncontact_timing = "picture"\n')
    out = tmp_path / "out"
    code = main(["analyze", str(tmp_path / "none.mp4"), "-o", str(out), "--config", str(f), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "gait.contact_timing must be" in err[0]
    assert not out.exists()


def test_the_api_refuses_a_bad_word_before_any_work(tmp_path: Path) -> None:
    bad = dataclasses.replace(NO_VIDEO, gait=dataclasses.replace(NO_VIDEO.gait, contact_timing="Sole"))
    with pytest.raises(UsageError, match="^gait.contact_timing must be landmarks or sole, got 'Sole'"):
        pipeline.analyze_clip(tmp_path / "none.mp4", settings=bad)


@pytest.mark.slow  # a few seconds: the full tier runs it
def test_the_default_path_is_unchanged_and_never_opens_the_video() -> None:
    raw, _ = synthetic_trajectories(RunnerParams(cadence_spm=176.0, duration_s=6.0))
    prepared = prepare(raw, NO_VIDEO)
    assert prepared.view == "side"
    missing = Path("/nonexistent/clip.mp4")  # decoding it would fail: the default never tries
    assert sole_timing.sole_contact_timing(missing, prepared, NO_VIDEO) is prepared
    doc = analysis_to_dict(measure(prepared, NO_VIDEO))
    assert doc["steps"]["contact_timing"] == "landmarks"
    assert doc == analysis_to_dict(analyze_trajectories(raw, NO_VIDEO))


def test_sole_timing_leaves_rear_and_front_views_alone() -> None:
    raw, _ = synthetic_trajectories(RunnerParams(cadence_spm=176.0, duration_s=6.0))
    prepared = dataclasses.replace(prepare(raw, NO_VIDEO), view="rear")
    assert sole_timing.sole_contact_timing(Path("/nonexistent/clip.mp4"), prepared, _sole()) is prepared


def test_reanalysis_without_the_video_keeps_the_landmark_contacts_with_one_warning(tmp_path: Path) -> None:
    a = make_fake_analysis(path=str(tmp_path / "run.mp4"))  # a side view; run.mp4 is not there
    clip_dir = tmp_path / "run"
    write_outputs(a, clip_dir, write_video=False)
    before = load_analysis(clip_dir)
    pipeline.reanalyze(clip_dir, _sole())
    doc = load_analysis(clip_dir)
    said = [w for w in doc["warnings"] if w.startswith('contact timing "sole" needs the video')]
    assert len(said) == 1 and "is not at hand" in said[0] and "from the landmarks" in said[0]
    assert doc["steps"]["contact_timing"] == "sole refused: the video is not at hand"
    assert not (clip_dir / "sole_contacts.npz").exists()  # nothing measured: nothing kept
    refused_cadence = doc["metrics"]["cadence_spm"]["value"]
    assert refused_cadence == pytest.approx(before["metrics"]["cadence_spm"]["value"], abs=0.5)
    pipeline.reanalyze(clip_dir, NO_VIDEO)  # the setting not given again: the landmarks, and one line says so
    doc = load_analysis(clip_dir)
    # The refused sole kept the landmark contacts.
    assert doc["metrics"]["cadence_spm"]["value"] == refused_cadence
    assert not any("needs the video" in w for w in doc["warnings"])
    assert doc["steps"]["contact_timing"] == "landmarks"
    told = [w for w in doc["warnings"] if w.startswith("contact timing: the earlier analysis timed")]
    assert len(told) == 1 and "pass the same --config" in told[0]
    pipeline.reanalyze(clip_dir, NO_VIDEO)  # landmarks before and now: nothing to tell
    assert not any("the earlier analysis timed" in w for w in load_analysis(clip_dir)["warnings"])


def test_the_report_says_which_contact_times_were_used_only_when_sole_was_asked(tmp_path: Path) -> None:
    from formcheck.report.html import render_report

    a = make_fake_analysis()
    assert "Contact times" not in render_report(a, tmp_path)
    for timing, words in (
        ("sole", "from the shoe&#x27;s sole in the picture"),
        (
            "sole refused: the video is not at hand",
            "the sole&#x27;s edge was not used (the video is not at hand)",
        ),
    ):
        b = dataclasses.replace(a, events=dataclasses.replace(a.events, contact_timing=timing))
        html = render_report(b, tmp_path)
        assert "<dt>Contact times</dt>" in html and words in html


@pytest.mark.slow  # a few seconds: the full tier runs it
def test_a_rendered_side_clip_is_retimed_from_its_soles_within_a_frame_of_the_truth() -> None:
    """The whole product path on a video in the repo (sample_videos/side_good_form.mp4, its stored landmarks): the
    rendered runner's exact contacts are the known answer. Measured on the realistic landing (the samples' since
    issue 15's switch): mean |error| 0.21 frame from the landmarks, 0.80 from the sole (every one early, by 0.59 to
    1.27 frames). On the hovering landing of before the landmarks' contacts came early (0.72) and the sole helped
    (0.51); on a landing like a real one it does not. This test ran on side_overstride_heel until it became a clear
    overstrider (shank 22 deg at contact): its heel comes down within 2 px of the belt 100 ms before contact, so the
    sole's edge is already down when the window opens and only 3 of its 19 contacts are retimed (the others keep
    the landmark time): too few to test the path."""
    import json

    import numpy as np

    from tests.fixtures.sample_landmarks import load_sample

    name = "side_good_form"
    video = Path(__file__).resolve().parents[2] / "sample_videos" / f"{name}.mp4"
    raw, _ = load_sample(name)
    prepared = prepare(raw, _sole())
    retimed = sole_timing.sole_contact_timing(video, prepared, _sole())
    assert retimed.events.contact_timing == "sole"
    truth = json.loads(video.with_suffix(".truth.json").read_text())["steps"]

    def errors_frames(steps) -> np.ndarray:
        true = {side: [s["contact_s"] for s in truth if s["side"] == side] for side in ("left", "right")}
        return np.array([min((st.contact_s - t for t in true[st.side]), key=abs) * raw.fps for st in steps])

    before, after = errors_frames(prepared.events.steps), errors_frames(retimed.events.steps)
    assert np.abs(before).mean() < 0.4 and np.abs(after).mean() == pytest.approx(0.80, abs=0.1)
    assert np.all(after[:-1] < -0.5) and np.abs(after).max() < 1.4  # early, by 0.59 to 1.27 frames
    moved = [
        a.contact_s != b.contact_s for a, b in zip(prepared.events.steps, retimed.events.steps, strict=True)
    ]
    assert moved == [True] * (len(moved) - 1) + [False]  # the last landing: too near the end for its window
    # The strike angle is read where it was (the landmark contact): the same per-step angles.
    a0, a1 = measure(prepared, _sole()), measure(retimed, _sole())
    assert a1.metrics["foot_strike_angle_deg"].per_step == a0.metrics["foot_strike_angle_deg"].per_step
    assert (
        a1.metrics["ground_contact_ms"].value != a0.metrics["ground_contact_ms"].value
    )  # timing metrics move


def test_a_video_that_cannot_be_read_again_keeps_the_landmark_contacts_with_one_warning(
    tmp_path: Path,
) -> None:
    raw, _ = synthetic_trajectories(RunnerParams(cadence_spm=176.0, duration_s=6.0))
    prepared = prepare(raw, _sole())
    broken = tmp_path / "run.mp4"
    broken.write_bytes(b"not a video")
    out = sole_timing.sole_contact_timing(broken, prepared, _sole())
    assert out.events.steps == prepared.events.steps
    assert out.events.contact_timing.startswith("sole refused: the video could not be read again (")
    added = out.warnings[len(prepared.warnings) :]
    assert len(added) == 1 and added[0].startswith("contact timing: the sole's edge was not used (the video")


# ------------------------------------------------------------------ sole_contacts.npz: what the sole measured, kept
# The good-form sample: the sole times every contact but the last there (on side_overstride_heel, 3 of 19: its
# heel comes down within 2 px of the belt before the window opens).
SAMPLE = "side_good_form"


def _sample_with_stored_pose(tmp_path: Path, monkeypatch) -> Path:
    """The repo's rendered clip copied to ``tmp_path``, its pose pass replaced by the clip's stored landmarks
    (tests/fixtures/landmarks), so only the sole's decode runs."""
    import shutil

    from formcheck.pose.run import PoseResult
    from tests.fixtures.sample_landmarks import REPO_ROOT, load_sample

    video = tmp_path / f"{SAMPLE}.mp4"
    shutil.copyfile(REPO_ROOT / "sample_videos" / f"{SAMPLE}.mp4", video)
    raw, _ = load_sample(SAMPLE)
    raw = raw.replace(video=dataclasses.replace(raw.video, path=str(video)))
    monkeypatch.setattr(
        pipeline, "estimate_landmarks", lambda *a, **k: PoseResult(landmarks=raw, model="stored")
    )
    return video


def _analysed_with_sole(tmp_path: Path, monkeypatch) -> tuple[Path, Path, Analysis]:
    """``analyze_clip`` with the sole timing on ``_sample_with_stored_pose``: the video, the clip folder and the
    analysis."""
    video = _sample_with_stored_pose(tmp_path, monkeypatch)
    analysis = pipeline.analyze_clip(video, tmp_path / "out", _sole())
    return video, tmp_path / "out" / SAMPLE, analysis


@pytest.mark.slow  # a few seconds: the full tier runs it
def test_a_reanalysis_without_the_video_gives_the_same_sole_contacts(tmp_path: Path, monkeypatch) -> None:
    """Before sole_contacts.npz: the video moved away, the contacts fell back to the landmarks (overstride 27.7 ->
    28.4 %leg, ground contact 214 -> 221 ms on this clip) with "the video is not at hand"."""
    from formcheck.report.landmarks import load_landmarks
    from formcheck.sole_contacts import SOLE_CONTACTS_FILE

    video, clip_dir, analysed = _analysed_with_sole(tmp_path, monkeypatch)
    assert (clip_dir / SOLE_CONTACTS_FILE).is_file()
    first = load_analysis(clip_dir)
    steps_csv = (clip_dir / "steps.csv").read_text()
    assert first["steps"]["contact_timing"] == "sole"
    raw = load_landmarks(clip_dir / "landmarks.npz")
    video.rename(tmp_path / "elsewhere.mp4")
    decoded = []
    monkeypatch.setattr(pipeline, "sole_contact_timing", lambda *a: decoded.append(a) or a[1])
    again = pipeline.reanalyze(clip_dir, _sole())
    doc = load_analysis(clip_dir)
    assert decoded == []  # nothing decoded
    assert doc["steps"]["contact_timing"] == "sole"
    assert not any("needs the video" in w or "not at hand" in w for w in doc["warnings"])
    assert doc["metrics"] == first["metrics"] and doc["steps"] == first["steps"]
    assert again.events == analysed.events  # the very same contact times, validity and strike reading times
    assert (clip_dir / "steps.csv").read_text() == steps_csv
    moved = [s for s in again.events.steps if s.strike_read_s is not None]
    assert len(moved) == len(again.events.steps) - 1  # every contact but the last (too near the end) retimed
    assert all(abs(s.contact_s - s.strike_read_s) < 1.5 / raw.fps for s in moved)


REFUSAL = "the sole's edge does not come down with the foot (median lead 0.031 leg)"


@pytest.mark.slow  # a few seconds: the full tier runs it
def test_a_refused_clip_keeps_its_reason_without_the_video(tmp_path: Path, monkeypatch) -> None:
    """Before sole_contacts.npz: the reason became "the video is not at hand". A re-analysis with the landmarks in
    between keeps the file for the next one with the sole."""
    from formcheck.sole_contacts import SOLE_CONTACTS_FILE

    real = pipeline.sole_contact_timing
    monkeypatch.setattr(
        pipeline, "sole_contact_timing", lambda path, p, s: sole_timing._sole_refused(p, REFUSAL)
    )
    video, clip_dir, analysed = _analysed_with_sole(tmp_path, monkeypatch)
    assert analysed.events.contact_timing == f"sole refused: {REFUSAL}"
    monkeypatch.setattr(pipeline, "sole_contact_timing", real)
    video.unlink()
    for settings, timing in ((_sole(), f"sole refused: {REFUSAL}"), (NO_VIDEO, "landmarks"), (_sole(), None)):
        again = pipeline.reanalyze(clip_dir, settings)
        doc = load_analysis(clip_dir)
        assert doc["steps"]["contact_timing"] == (timing or f"sole refused: {REFUSAL}")
        assert not any("not at hand" in w for w in doc["warnings"])
        assert (clip_dir / SOLE_CONTACTS_FILE).is_file()
    said = [w for w in doc["warnings"] if w.startswith("contact timing: the sole's edge was not used")]
    assert len(said) == 1 and REFUSAL in said[0]
    assert again.events.steps == analysed.events.steps  # the landmark contacts, as analysed


def test_a_passing_failure_to_read_the_video_is_not_kept() -> None:
    """Only what the sole measured is kept: not "not at hand" nor "could not be read again" (measured next time)."""
    from formcheck.sole_contacts import sole_contacts_of

    events = make_fake_analysis().events
    assert sole_timing.measured_sole_contacts(events) is None  # landmarks: nothing asked
    for timing, kept in (
        ("sole", True),
        (f"sole refused: {REFUSAL}", True),
        (sole_timing.NOT_AT_HAND, False),
        ("sole refused: the video could not be read again (cannot open run.mp4)", False),
    ):
        e = dataclasses.replace(events, contact_timing=timing)
        record = sole_timing.measured_sole_contacts(e)
        assert (record is not None) == kept
        if kept:
            assert record == sole_contacts_of(e) and record.contact_timing == timing
            assert len(record.landmark_s) == len(e.steps)


def test_the_stored_sole_times_match_landmark_contacts_within_half_a_frame(tmp_path: Path, caplog) -> None:
    from formcheck.sole_contacts import (
        SoleContacts,
        load_sole_contacts,
        matched_sole_times,
        save_sole_contacts,
    )

    fps = 50.0  # half a frame: 0.01 s
    record = SoleContacts((1.0, 1.4, 1.8), (0.98, None, 1.79), "sole")
    assert matched_sole_times(record, [1.0, 1.4, 1.8], fps) == [0.98, None, 1.79]
    assert matched_sole_times(record, [1.009, 1.6, 1.811], fps) == [0.98, None, None]
    assert matched_sole_times(SoleContacts((), (), "sole"), [1.0], fps) == [None]
    path = tmp_path / "sole_contacts.npz"
    save_sole_contacts(path, record)
    assert load_sole_contacts(path) == record
    refused = SoleContacts((1.0,), (None,), f"sole refused: {REFUSAL}")
    save_sole_contacts(path, refused)
    assert load_sole_contacts(path) == refused and refused.refusal == REFUSAL and record.refusal is None
    assert load_sole_contacts(tmp_path / "absent.npz") is None
    path.write_bytes(b"not an npz")
    assert load_sole_contacts(path) is None and "ignoring" in caplog.text


@pytest.mark.slow  # a few seconds: the full tier runs it
def test_compare_rebuilds_a_take_from_the_stored_sole_contacts(tmp_path: Path, monkeypatch) -> None:
    import formcheck.compare.takes as takes

    _, clip_dir, analysed = _analysed_with_sole(tmp_path, monkeypatch)
    monkeypatch.setattr(takes, "sole_contact_timing", lambda *a: pytest.fail("decoded the video again"))
    take = takes.take_from_folder(clip_dir, load_analysis(clip_dir))
    assert take.analysis.events == analysed.events and take.analysis.events.contact_timing == "sole"


def test_a_batch_clip_keeps_what_the_sole_measured_for_its_re_judging(tmp_path: Path, monkeypatch) -> None:
    """``batch`` writes its clips' folders itself: the file is there too, and re-judging needs no video."""
    from formcheck.batch.jobs import ClipJob, analyze_job
    from formcheck.sole_contacts import SOLE_CONTACTS_FILE

    video = _sample_with_stored_pose(tmp_path, monkeypatch)
    clip_dir = tmp_path / "out" / SAMPLE
    job = ClipJob(str(video), video.name, SAMPLE, str(clip_dir), "")
    assert analyze_job(job, _sole()).status == "ok"
    assert (clip_dir / SOLE_CONTACTS_FILE).is_file()
    first = load_analysis(clip_dir)
    video.unlink()
    assert analyze_job(dataclasses.replace(job, redraw=True), _sole()).status == "ok"
    doc = load_analysis(clip_dir)
    assert doc["steps"] == first["steps"] and doc["steps"]["contact_timing"] == "sole"
    assert not any("not at hand" in w for w in doc["warnings"])


def _floor(settings: AnalysisSettings, floor_px: float) -> AnalysisSettings:
    return dataclasses.replace(settings, gait=dataclasses.replace(settings.gait, sole_min_leg_px=floor_px))


@pytest.fixture(scope="module")
def side_prepared():
    raw, _ = synthetic_trajectories(RunnerParams(cadence_spm=176.0, duration_s=6.0))
    return prepare(raw, NO_VIDEO)


def test_a_runner_under_the_leg_floor_keeps_the_landmark_contacts_without_decoding(side_prepared) -> None:
    """gait.sole_min_leg_px (config.py: the edge-lead margin in pixels): a runner whose leg is shorter keeps the
    landmark contacts, says why in steps.contact_timing and one warning, and the video is never opened (a missing
    file would otherwise be "could not be read again")."""
    assert AnalysisSettings().gait.sole_min_leg_px == 100.0
    prepared = side_prepared
    leg = prepared.leg_length_px
    missing = Path("/nonexistent/clip.mp4")
    small = sole_timing.sole_contact_timing(missing, prepared, _floor(_sole(), leg + 1.0))
    reason = f"runner too small ({leg:.0f} px leg, needs {leg + 1.0:g})"
    assert small.events.contact_timing == f"sole refused: {reason}"
    assert small.events.steps == prepared.events.steps
    assert [w for w in small.warnings if reason in w] == [
        f"contact timing: the sole's edge was not used ({reason}); the contacts come from the landmarks"
    ]
    big = sole_timing.sole_contact_timing(
        missing, prepared, _floor(_sole(), leg - 1.0)
    )  # passes: tries to decode
    assert big.events.contact_timing.startswith("sole refused: the video could not be read again (")


def test_reused_sole_times_are_refused_too_for_a_runner_under_the_floor(side_prepared) -> None:
    """Re-judging from sole_contacts.npz applies the floor of the settings given now."""
    from formcheck.sole_contacts import SoleContacts

    prepared = side_prepared
    landmark_s = tuple(s.contact_s for s in prepared.events.steps)
    record = SoleContacts(landmark_s, tuple(t + 0.01 for t in landmark_s), "sole")
    leg = prepared.leg_length_px
    used = sole_timing.reused_sole_timing(prepared, _floor(_sole(), leg - 1.0), record)
    assert used.events.contact_timing == "sole"
    assert [s.contact_s for s in used.events.steps] == pytest.approx([t + 0.01 for t in landmark_s])
    refused = sole_timing.reused_sole_timing(prepared, _floor(_sole(), leg + 1.0), record)
    assert refused.events.contact_timing.startswith("sole refused: runner too small (")
    assert refused.events.steps == prepared.events.steps
