"""Pose every real clip once and keep its raw landmarks, so the accuracy scripts re-run events and metrics in
seconds without the pose model.

    python benchmarks/cache_landmarks.py [--clips ../shared/clips] [--cache benchmarks/.cache] [NAME ...]

Writes ``<cache>/<clip>.npz`` (the ``landmarks.npz`` format); clips already cached are skipped. The pose is
whatever ``formcheck analyze`` would compute (default model, default person selection), whatever the clip's
later fate (too few steps, walking): the cache holds landmarks, not verdicts.

    python benchmarks/cache_landmarks.py --add-repeats     # caches written before the per-frame repeats were kept

``--add-repeats`` decodes each cached clip that lacks them (no pose: seconds a clip) and adds which frames repeat
the previous picture where the runner is (``Trajectories.repeated``, video/repeats.py), as a fresh pose pass would.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.config import AnalysisSettings  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.pose.run import estimate_landmarks  # noqa: E402
from formcheck.report.landmarks import load_landmarks, save_landmarks  # noqa: E402
from formcheck.video.repeats import judge_repeats  # noqa: E402

DEFAULT_CLIPS = ROOT.parent / "shared" / "clips"
DEFAULT_CACHE = ROOT / "benchmarks" / ".cache"


def cache_path(cache: Path, clip: str) -> Path:
    return cache / f"{Path(clip).stem}.npz"


def add_repeats(video: Path, out: Path) -> bool:
    """Add the per-frame repeats to the cache ``out`` of ``video`` when it lacks them; False when it has them or
    the frame counts differ."""
    raw = load_landmarks(out)
    if raw.repeated is not None:
        return False
    repeated = judge_repeats(str(video), raw.xy_px, raw.video.fps, AnalysisSettings().pose)
    if repeated.size != raw.n_frames:
        print(f"{video.stem}: {repeated.size} frames decoded, {raw.n_frames} cached: left as it is")
        return False
    save_landmarks(raw.replace(repeated=repeated), out)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="clip stems (default: every .mp4 in --clips)")
    ap.add_argument("--clips", type=Path, default=DEFAULT_CLIPS)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--add-repeats", action="store_true", help="add the per-frame repeats to existing caches")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    videos = sorted(args.clips.glob("*.mp4"))
    if args.names:
        videos = [v for v in videos if v.stem in set(args.names)]
    for video in videos:
        out = cache_path(args.cache, video.name)
        if args.add_repeats:
            if out.is_file() and add_repeats(video, out):
                print(f"{video.stem}: repeats added")
            continue
        if out.is_file():
            continue
        t0 = time.perf_counter()
        try:
            result = estimate_landmarks(video, AnalysisSettings())
        except FormcheckError as e:
            print(f"{video.stem}: {e}")
            continue
        save_landmarks(result.landmarks, out)
        print(f"{video.stem}: {result.landmarks.n_frames} frames in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
