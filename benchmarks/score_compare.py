"""Score how well ``formcheck compare`` lines up the landings of two takes, measured on the video it wrote.

    python benchmarks/score_compare.py [A B] [--cache benchmarks/.cache] [--out DIR] [--png DIR]

Default A, B: side_24 and side_25, two same-day takes of one runner (../shared/clips/MANIFEST.md). Each take's
clip folder is built from its cached landmarks (benchmarks/cache_landmarks.py; no pose model), then
``formcheck compare`` runs on the two folders. For each matched landing it prints A's contact frame, B's contact
frame, and the B frame compare.mp4 shows at A's contact frame, two ways:

- ``recorded``: from compare.json's frame record (what the renderer put beside each A frame);
- ``seen``: read back from compare.mp4 itself: the B half of the output frame at A's contact frame is matched
  (least mean squared difference, after scaling) against B's annotated frames within 4 frames of its contact frame.

The goal: every landing within one frame (|shown - contact| <= 1). ``--png DIR`` writes the output frames at the
landings, to look at.

When both clips have contacts labelled by eye (benchmarks/labels/contacts/<clip>.csv), it also scores the landings
as a person sees them: at each of A's labelled landings that has a matched landing within 3 frames, the B frame
shown against B's labelled landing nearest to B's matched landing (labels are matched by frame, not foot: a
label names the runner's real foot, a mirrored clip's detection the image's). This adds both clips' contact-timing error to
the warp's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.compare.run import run_compare  # noqa: E402
from formcheck.compare.video import layout_for  # noqa: E402
from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.outputs import write_outputs  # noqa: E402
from formcheck.render.state import RenderPlan  # noqa: E402
from formcheck.render.video import annotate_frame, default_annotators  # noqa: E402
from formcheck.report.landmarks import load_landmarks  # noqa: E402
from formcheck.trajectory_analysis import analyze_trajectories  # noqa: E402
from formcheck.video.reader import VideoReader  # noqa: E402

CACHE_DIR = ROOT / "benchmarks" / ".cache"
LABELS_DIR = ROOT / "benchmarks" / "labels" / "contacts"
SEARCH_FRAMES = 4
LABEL_MATCH_FRAMES = 3  # a labelled landing belongs to a detected one within this many frames


def labelled(name: str) -> list[tuple[int, str]] | None:
    """(contact frame, foot) of every landing labelled by eye in clip ``name``, or None without labels."""
    import csv

    path = LABELS_DIR / f"{name}.csv"
    if not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8") as fh:
        return [(int(r["contact_frame"]), r["foot"]) for r in csv.DictReader(fh) if r.get("contact_frame")]


def labelled_errors(doc: dict, a_name: str, b_name: str) -> list[tuple[str, int, int, int]] | None:
    """(foot, A's labelled frame, B frame shown there, B's labelled frame) for each matched landing with labels
    near it in both clips; None when a clip has no labels."""
    la, lb = labelled(a_name), labelled(b_name)
    if la is None or lb is None:
        return None
    shown = dict(doc["sync"]["frames"])
    out = []
    for x in doc["sync"]["landings"]:
        near_a = [f for f, _ in la if abs(f - x["a_frame"]) <= LABEL_MATCH_FRAMES]
        if not near_a or min(near_a, key=lambda f: abs(f - x["a_frame"])) not in shown:
            continue
        fa = min(near_a, key=lambda f: abs(f - x["a_frame"]))
        b_shown = shown[fa]
        near_b = [
            f for f, foot in lb if foot == x["side"] and abs(f - x["b_contact_frame"]) <= LABEL_MATCH_FRAMES
        ]
        if not near_b:
            continue
        out.append((x["side"], fa, b_shown, min(near_b, key=lambda f: abs(f - x["b_contact_frame"]))))
    return out


def clip_folder(name: str, cache: Path, out: Path) -> Path:
    """``out/<name>/`` as ``formcheck analyze`` writes it (without the annotated video), from the cached
    landmarks."""
    folder = out / name
    if (folder / "analysis.json").is_file():
        return folder
    raw = load_landmarks(cache / f"{name}.npz")
    analysis = analyze_trajectories(raw, AnalysisSettings(write_video=False), pose_model="cached")
    write_outputs(analysis, folder, write_video=False)
    return folder


def decode(path: str) -> list[np.ndarray]:
    with VideoReader(path) as r:
        return [f.rgb for f in r]


def seen_b_frames(doc: dict, folder: Path, result) -> dict[int, int]:
    """A contact frame -> the B frame whose annotated picture best matches the B half of compare.mp4 there."""
    out_frames = decode(str(folder / "compare.mp4"))
    shown = doc["sync"]["frames"]
    position = {a: i for i, (a, _) in enumerate(shown)}
    b = result.b.analysis
    plan = RenderPlan(b)
    stack = default_annotators(plan)
    b_frames = decode(b.video.path)
    lay = layout_for(
        (result.a.analysis.video.width, result.a.analysis.video.height), (b.video.width, b.video.height)
    )
    seen = {}
    for landing in doc["sync"]["landings"]:
        i = position.get(landing["a_frame"])
        if i is None:
            continue
        half = out_frames[i][
            lay.strip_px : lay.strip_px + lay.height_px, lay.a_width_px : lay.a_width_px + lay.b_width_px
        ]
        best, best_err = None, np.inf
        lo = max(0, landing["b_contact_frame"] - SEARCH_FRAMES)
        for k in range(lo, min(len(b_frames), landing["b_contact_frame"] + SEARCH_FRAMES + 1)):
            t = float(b.clean.time_s[k])
            drawn = annotate_frame(b_frames[k].copy(), plan.state_at(t), stack)
            small = cv2.resize(drawn, (lay.b_width_px, lay.height_px), interpolation=cv2.INTER_AREA)
            err = float(np.mean((small.astype(np.float32) - half.astype(np.float32)) ** 2))
            if err < best_err:
                best, best_err = k, err
        seen[landing["a_frame"]] = best
        if ARGS.png:
            ARGS.png.mkdir(parents=True, exist_ok=True)
            name = f"landing_a{landing['a_frame']:03d}_{landing['side']}.png"
            cv2.imwrite(str(ARGS.png / name), cv2.cvtColor(out_frames[i], cv2.COLOR_RGB2BGR))
    return seen


def main(argv: list[str] | None = None) -> int:
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", default=["side_24", "side_25"], help="the two cached clips, A then B")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--out", type=Path, default=Path("/tmp/formcheck-score-compare"))
    ap.add_argument("--png", type=Path, default=None, help="write the output frames at the landings here")
    ARGS = ap.parse_args(argv)
    if len(ARGS.names) != 2:
        ap.error("give two clip names, A and B")
    a_name, b_name = ARGS.names
    for n in ARGS.names:
        if not (ARGS.cache / f"{n}.npz").is_file():
            print(
                f"no cached landmarks for {n} in {ARGS.cache}: run benchmarks/cache_landmarks.py",
                file=sys.stderr,
            )
            return 2
    ARGS.out.mkdir(parents=True, exist_ok=True)
    folders = [clip_folder(n, ARGS.cache, ARGS.out) for n in ARGS.names]
    result = run_compare(folders[0], folders[1], ARGS.out)
    doc = json.loads((result.folder / "compare.json").read_text(encoding="utf-8"))
    seen = seen_b_frames(doc, result.folder, result)
    print(f"{a_name} ({result.a.analysis.video.fps:g} fps) vs {b_name} ({result.b.analysis.video.fps:g} fps)")
    print(f"{'side':<6} {'A frame':>7} {'B contact':>9} {'B recorded':>10} {'B seen':>6} {'error':>5}")
    errors = []
    for x in doc["sync"]["landings"]:
        s = seen.get(x["a_frame"])
        err = None if s is None else s - x["b_contact_frame"]
        errors.append(err)
        print(
            f"{x['side']:<6} {x['a_frame']:>7} {x['b_contact_frame']:>9} {str(x['b_shown_frame']):>10} "
            f"{str(s):>6} {str(err):>5}"
        )
    known = [abs(e) for e in errors if e is not None]
    n_a = len(result.a.analysis.events.valid_steps)
    n_b = len(result.b.analysis.events.valid_steps)
    print(
        f"matched landings: {len(doc['sync']['landings'])} (valid landings: A {n_a}, B {n_b}); "
        f"within one frame (seen in the video): {sum(e <= 1 for e in known)} of {len(known)}; "
        f"exact: {sum(e == 0 for e in known)}; largest: {max(known, default=None)} frames"
    )
    by_eye = labelled_errors(doc, a_name, b_name)
    if by_eye:
        errs = [abs(shown - lab) for _, _, shown, lab in by_eye]
        ms = 1000.0 / result.b.analysis.video.fps
        print(
            f"landings labelled by eye in both clips: {len(by_eye)}; B's labelled landing shown within one frame of "
            f"A's: {sum(e <= 1 for e in errs)} of {len(errs)}; exact: {sum(e == 0 for e in errs)}; "
            f"largest: {max(errs)} B frames ({max(errs) * ms:.0f} ms); median {np.median(errs) * ms:.0f} ms"
        )
    print(f"output: {result.folder}")
    return 0 if known and max(known) <= 1 else 1


ARGS: argparse.Namespace

if __name__ == "__main__":
    raise SystemExit(main())
