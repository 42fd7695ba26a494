"""Throughput and memory of formcheck against a plain baseline loop, printed as ratios (issue 7).

One run on one clip times, each in a fresh child process (so peak memory is each stage's own):

- decode only: PyAV decoding to RGB;
- pose only: the pose model on every decoded frame (decoding included, as any real use needs it);
- plain loop: the baseline most scripts write: OpenCV read, MediaPipe pose, draw the landmarks, OpenCV ``mp4v``
  write (which, unlike formcheck's H.264, does not even play in a browser);
- formcheck: ``formcheck analyze`` end to end (pose, metrics, annotated H.264 video, report, tables);
- reanalyze: metrics and report again from the cached landmarks (no pose, no video).

Usage: ``python benchmarks/bench.py [CLIP ...]``. Without clips it uses ../shared/clips' 720p 30 fps and 1080p
60 fps treadmill clips when present, else renders synthetic ones. Frames/s are frames of the clip per wall-clock
second; ratios > 1 mean formcheck is faster.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "clips"
DEFAULT_CLIPS = ("treadmill_side_garage_30fps.mp4", "treadmill_side_portrait_60fps.mp4")


def _stage_decode(clip: str) -> int:
    from formcheck.video import VideoReader

    n = 0
    with VideoReader(clip) as reader:
        for _ in reader:
            n += 1
    return n


def _stage_pose(clip: str) -> int:
    from formcheck.pose.mediapipe_backend import MediaPipePose
    from formcheck.pose.models import resolve_model
    from formcheck.video import VideoReader

    path, name = resolve_model(None)
    n = 0
    with VideoReader(clip) as reader, MediaPipePose(path, name) as est:
        for frame in reader:
            est.detect(frame.rgb, frame.time_s)
            n += 1
    return n


def _stage_plain(clip: str) -> int:
    """The baseline: OpenCV read, MediaPipe pose, draw, OpenCV write."""
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    from formcheck.pose.models import resolve_model

    path, _ = resolve_model(None)
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(path)), running_mode=vision.RunningMode.VIDEO
    )
    cap = cv2.VideoCapture(clip)
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    out_path = os.path.join(tempfile.mkdtemp(), "plain.mp4")
    out = cv2.VideoWriter(out_path, cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    n = 0
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            res = landmarker.detect_for_video(
                mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), int(n * 1000 / fps)
            )
            for pose in res.pose_landmarks:
                for lm in pose:
                    cv2.circle(bgr, (int(lm.x * w), int(lm.y * h)), 4, (0, 255, 0), -1)
            out.write(bgr)
            n += 1
    out.release()
    cap.release()
    return n


def _stage_formcheck(clip: str) -> int:
    from formcheck.config import AnalysisSettings
    from formcheck.pipeline import analyze_clip

    outdir = tempfile.mkdtemp()
    analysis = analyze_clip(clip, outdir, AnalysisSettings())
    return analysis.raw.n_frames


def _stage_reanalyze(clip: str) -> int:
    """Analyse once (not timed by the parent: it times only the reanalysis, reported in the child's JSON)."""
    from formcheck.config import AnalysisSettings
    from formcheck.pipeline import analyze_clip, clip_outdir, reanalyze

    outdir = tempfile.mkdtemp()
    analysis = analyze_clip(clip, outdir, AnalysisSettings(write_video=False))
    t0 = time.perf_counter()
    reanalyze(clip_outdir(outdir, clip), AnalysisSettings(write_video=False))
    print(json.dumps({"reanalyze_s": time.perf_counter() - t0}), flush=True)
    return analysis.raw.n_frames


STAGES = {
    "decode": _stage_decode,
    "pose": _stage_pose,
    "plain": _stage_plain,
    "formcheck": _stage_formcheck,
    "reanalyze": _stage_reanalyze,
}


def _child(stage: str, clip: str) -> None:
    import logging

    logging.disable(logging.WARNING)
    t0 = time.perf_counter()
    n = STAGES[stage](clip)
    wall = time.perf_counter() - t0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"frames": n, "wall_s": wall, "peak_mib": peak_mib}), flush=True)


def run_stage(stage: str, clip: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", stage, clip],
        capture_output=True,
        text=True,
        env={**os.environ, "GLOG_minloglevel": "3", "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{stage} failed on {clip}:\n{proc.stderr[-2000:]}")
    result: dict = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            result.update(json.loads(line))
    return result


def _synthetic_clips(folder: Path) -> list[str]:
    from formcheck.synth.clip import render_clip
    from formcheck.synth.params import RunnerParams

    clips = []
    for name, params in (
        (
            "synthetic_720p30.mp4",
            RunnerParams(short_side_px=720, aspect=16 / 9, orientation="portrait", duration_s=10),
        ),
        (
            "synthetic_1080p60.mp4",
            RunnerParams(short_side_px=1080, aspect=16 / 9, orientation="portrait", fps=60.0, duration_s=6),
        ),
    ):
        path = folder / name
        if not path.exists():
            render_clip(params, path)
        clips.append(str(path))
    return clips


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clips", nargs="*")
    ap.add_argument("--child", nargs=2, metavar=("STAGE", "CLIP"), help=argparse.SUPPRESS)
    ap.add_argument("--stages", default="decode,pose,plain,formcheck,reanalyze")
    args = ap.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    clips = args.clips or [str(SHARED / c) for c in DEFAULT_CLIPS if (SHARED / c).is_file()]
    if not clips:
        clips = _synthetic_clips(Path(tempfile.gettempdir()) / "formcheck-bench")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for clip in clips:
        from formcheck.video import probe_video

        info = probe_video(clip)
        print(f"\n{Path(clip).name}: {info.width}x{info.height}, {info.fps:g} fps, {info.n_frames} frames")
        res = {}
        for stage in args.stages.split(","):
            r = run_stage(stage, clip)
            res[stage] = r
            fps = r["frames"] / r["wall_s"]
            extra = f", reanalysis {r['reanalyze_s']:.2f} s" if "reanalyze_s" in r else ""
            print(
                f"  {stage:10s} {fps:7.1f} frames/s  {r['wall_s']:6.1f} s  peak {r['peak_mib']:6.0f} MiB{extra}"
            )
        if "formcheck" in res:
            fc = res["formcheck"]["frames"] / res["formcheck"]["wall_s"]
            for base in ("plain", "pose"):
                if base in res:
                    b = res[base]["frames"] / res[base]["wall_s"]
                    print(f"  formcheck / {base:5s} = {fc / b:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
