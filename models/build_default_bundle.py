"""Build formcheck's default pose model (BlazePose full, a MediaPipe PoseLandmarker .task bundle) from the files in
the installed mediapipe wheel, and print where it is. No network access is needed.

    python models/build_default_bundle.py            # into the cache (see models/README.md)
    python models/build_default_bundle.py --force    # rebuild even if a complete bundle is already there
    python models/build_default_bundle.py --out my/pose_landmarker_full.task
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from formcheck.pose.models import build_default_bundle, default_bundle_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=None, help=f"bundle path (default: {default_bundle_path()})"
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if the bundle exists")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(build_default_bundle(args.out, force=args.force))


if __name__ == "__main__":
    main()
