"""The landing benchmarks' refusals: benchmarks/render_contact_set.py will not mix landings in one folder, and
benchmarks/knee_landing_probe.py needs folders to read."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import knee_landing_probe, render_contact_set  # noqa: E402


def test_render_contact_set_refuses_a_folder_rendered_with_another_landing(tmp_path: Path, capsys) -> None:
    (tmp_path / "s30_good.mp4").write_bytes(b"")
    params = {"touchdown_forward_frac": None, "landing_cushion_s": None, "late_knee_extension": False}
    (tmp_path / "s30_good.truth.json").write_text(json.dumps({"params": params}))
    code = render_contact_set.main(["--landing-cushion-s", "0.04", str(tmp_path), "s30_good"])
    assert code == 2
    err = capsys.readouterr().err
    assert "use another output folder for each landing" in err
    assert "landing_cushion_s 0.0 (want 0.04)" in err and "late_knee_extension False (want True)" in err
    assert (tmp_path / "s30_good.mp4").read_bytes() == b""  # nothing rendered over it


def test_render_contact_set_refuses_unknown_names(tmp_path: Path, capsys) -> None:
    assert render_contact_set.main([str(tmp_path), "s31_nothing"]) == 2
    assert "unknown clip names: s31_nothing" in capsys.readouterr().err


def test_knee_probe_synth_needs_folders(capsys) -> None:
    assert knee_landing_probe.main(["synth"]) == 2
    assert "synth needs one or more folders" in capsys.readouterr().err


def test_landing_flags_select_either_landing_and_default_to_the_runners() -> None:
    """No flag: the runner's defaults; ``--late-knee-extension false --landing-cushion-s 0``: the landing of
    before; a bare ``--late-knee-extension``: true, as the flag meant before it took a value."""
    import argparse

    from benchmarks.landing_args import add_landing_args, landing_changes

    ap = argparse.ArgumentParser()
    add_landing_args(ap)
    assert landing_changes(ap.parse_args([])) == {}
    old = ["--late-knee-extension", "false", "--landing-cushion-s", "0"]
    assert landing_changes(ap.parse_args(old)) == {"late_knee_extension": False, "landing_cushion_s": 0.0}
    assert landing_changes(ap.parse_args(["--late-knee-extension"])) == {"late_knee_extension": True}


def test_a_cached_clip_is_compared_with_the_params_asked_for(tmp_path: Path) -> None:
    """A truth.json written before the landing fields existed is the old landing: it matches the old landing's
    params and is refused for the default ones; fields it lacks otherwise are not compared."""
    from benchmarks.landing_args import params_mismatch
    from formcheck.synth import RunnerParams

    old = RunnerParams(late_knee_extension=False, landing_cushion_s=0.0)
    stored = {k: v for k, v in old.to_dict().items() if k not in ("late_knee_extension", "landing_cushion_s")}
    stored.pop("lumbar_arch_m")  # a field added later at a default that left the runner as it was
    truth = tmp_path / "clip.truth.json"
    truth.write_text(json.dumps({"params": stored}))
    assert params_mismatch(truth, old) == {}
    assert params_mismatch(truth, RunnerParams()) == {
        "landing_cushion_s": (0.0, 0.04),
        "late_knee_extension": (False, True),
    }
    assert set(params_mismatch(truth, old.replace(seed=9))) == {"seed"}
