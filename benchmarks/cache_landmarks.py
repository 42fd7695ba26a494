"""Pose every real clip once and keep its raw landmarks, so the accuracy scripts re-run events and metrics in
seconds without the pose model.

    python benchmarks/cache_landmarks.py [--clips ../shared/clips] [--cache benchmarks/.cache] [NAME ...]

Writes ``<cache>/<clip>.npz`` (the ``landmarks.npz`` format); clips already cached are skipped. The pose is
whatever ``formcheck analyze`` would compute (default model, default person selection), whatever the clip's
later fate (too few steps, walking): the cache holds landmarks, not verdicts.
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
from formcheck.report.landmarks import save_landmarks  # noqa: E402

DEFAULT_CLIPS = ROOT.parent / "shared" / "clips"
DEFAULT_CACHE = ROOT / "benchmarks" / ".cache"


def cache_path(cache: Path, clip: str) -> Path:
    return cache / f"{Path(clip).stem}.npz"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="clip stems (default: every .mp4 in --clips)")
    ap.add_argument("--clips", type=Path, default=DEFAULT_CLIPS)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    videos = sorted(args.clips.glob("*.mp4"))
    if args.names:
        videos = [v for v in videos if v.stem in set(args.names)]
    for video in videos:
        out = cache_path(args.cache, video.name)
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
