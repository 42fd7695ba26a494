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
    assert "use another OUT_DIR for each landing" in err and "'landing_cushion_s': 0.04" in err
    assert (tmp_path / "s30_good.mp4").read_bytes() == b""  # nothing rendered over it


def test_render_contact_set_refuses_unknown_names(tmp_path: Path, capsys) -> None:
    assert render_contact_set.main([str(tmp_path), "s31_nothing"]) == 2
    assert "unknown clip names: s31_nothing" in capsys.readouterr().err


def test_knee_probe_synth_needs_folders(capsys) -> None:
    assert knee_landing_probe.main(["synth"]) == 2
    assert "synth needs one or more folders" in capsys.readouterr().err
