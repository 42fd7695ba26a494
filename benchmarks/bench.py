"""Throughput and memory of formcheck against a plain baseline loop, printed as ratios (issue 7).

One run on one clip times, each in a fresh child process (so peak memory is each stage's own):

- decode only: PyAV decoding to RGB;
- pose only: the pose model on every decoded frame (decoding included, as any real use needs it);
- plain loop: the baseline most scripts write: OpenCV read, MediaPipe pose, draw the landmarks, OpenCV ``mp4v``
  write (which, unlike formcheck's H.264, does not even play in a browser);
- formcheck: ``formcheck analyze`` end to end (pose, metrics, annotated H.264 video, report, tables);
- render: the annotated-video pass alone (decode, draw, encode), timed inside the child after an analysis;
- reanalyze: metrics and report again from the cached landmarks (no pose, no video).

Each stage reports wall-clock frames/s, CPU seconds per frame (all threads; robust when other work loads the
machine) and peak RSS. ``--repeat N`` runs every stage N times and prints medians. ``--long S1,S2`` also makes
clips of about S1, S2 seconds by looping the first clip's packets (no re-encoding) and runs formcheck on them, to
show that peak memory does not grow with the clip's length (prints MiB per minute of video).
``--reanalysis-minute`` times re-analysis of the first clip looped to one minute, in a warm process and as the
``formcheck reanalyze`` command (imports included).

Usage: ``python benchmarks/bench.py [CLIP ...]``. Without clips it uses ../shared/clips' 720p 30 fps and 1080p
60 fps treadmill clips when present, else renders synthetic ones. Frames/s are frames of the clip per wall-clock
second; ratios > 1 mean formcheck is faster.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import statistics
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


def _stage_render(clip: str) -> int:
    """Analyse without a video (not timed by the parent), then time the annotated-video pass alone."""
    from formcheck.config import AnalysisSettings
    from formcheck.pipeline import analyze_clip
    from formcheck.render.video import render_annotated_video

    analysis = analyze_clip(clip, None, AnalysisSettings(write_video=False))
    t0, c0 = time.perf_counter(), time.process_time()
    render_annotated_video(analysis, os.path.join(tempfile.mkdtemp(), "annotated.mp4"))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"render_s": wall, "render_cpu_s": cpu}), flush=True)
    return analysis.raw.n_frames


def _stage_reanalyze(clip: str) -> int:
    """Analyse once (not timed by the parent: it times only the reanalysis, reported in the child's JSON)."""
    from formcheck.config import AnalysisSettings
    from formcheck.outputs import clip_outdir
    from formcheck.pipeline import analyze_clip, reanalyze

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
    "render": _stage_render,
    "reanalyze": _stage_reanalyze,
}


def _child(stage: str, clip: str) -> None:
    import logging

    logging.disable(logging.WARNING)
    tree = _TreeMemory()
    t0, c0 = time.perf_counter(), time.process_time()
    n = STAGES[stage](clip)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tree_mib = tree.stop()
    out = {"frames": n, "wall_s": wall, "cpu_s": cpu, "peak_mib": peak_mib, "tree_peak_mib": tree_mib}
    print(json.dumps(out), flush=True)


class _TreeMemory:
    """Peak of the summed RSS of this process and its child processes, sampled every 50 ms
    (psutil; 0 without it). ``ru_maxrss`` sees only this process."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        try:
            import psutil
        except ImportError:
            self._thread = None
            return
        me = psutil.Process()

        def sample() -> None:
            while not self._stop.wait(0.05):
                total = 0
                for p in [me, *me.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                self.peak = max(self.peak, total)

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self.peak / 2**20


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


def loop_clip(src: str, dst: str, seconds: float) -> str:
    """Write ``dst``: ``src``'s video packets repeated (pts/dts shifted, no re-encoding) to last about
    ``seconds``. Every repeat starts on the source's first packet, a keyframe, so the result decodes cleanly."""
    import av

    with av.open(src) as inp:
        stream = inp.streams.video[0]
        packets = [p for p in inp.demux(stream) if p.size and p.pts is not None]
        tb = stream.time_base
        span = max(p.pts for p in packets) - min(p.pts for p in packets)
        step = span + (span // max(1, len(packets) - 1))  # one frame interval after the last frame
        loops = max(1, int(round(seconds / float(step * tb))))
        with av.open(dst, "w", format="mp4") as out:
            ostream = out.add_stream_from_template(stream)
            for k in range(loops):
                for p in packets:
                    p.pts += step if k else 0
                    if p.dts is not None:
                        p.dts += step if k else 0
                    p.stream = ostream
                    out.mux(p)
    return dst


def _long_runs(clip: str, lengths_s: list[float], with_pose: bool = True) -> None:
    """formcheck on looped copies of ``clip``; prints peak RSS against length and the slope."""
    folder = Path(tempfile.mkdtemp(prefix="formcheck-long-"))
    points = []
    for s in lengths_s:
        path = loop_clip(clip, str(folder / f"long_{int(s)}s.mp4"), s)
        from formcheck.video import probe_video

        info = probe_video(path)
        r = run_stage("formcheck", path)
        points.append((info.duration_s, r["tree_peak_mib"] or r["peak_mib"]))
        pose = f" (pose alone {_fps(run_stage('pose', path)):.1f})" if with_pose else ""
        print(
            f"  long clip {info.duration_s:6.1f} s ({info.n_frames} frames): formcheck "
            f"{_fps(r):.1f} frames/s{pose}, peak "
            f"{r['peak_mib']:.0f} MiB, with workers {r.get('tree_peak_mib', 0):.0f} MiB"
        )
        os.unlink(path)
    if len(points) >= 2:
        (t0, m0), (t1, m1) = points[0], points[-1]
        slope = (m1 - m0) / ((t1 - t0) / 60.0)
        print(
            f"  peak RSS slope {slope:.1f} MiB per minute of video; 10 min extrapolated: {m1 + slope * (10 - t1 / 60):.0f} MiB"
        )


def _reanalysis_minute(clip: str, runs: int = 5) -> None:
    """Re-analysis of a one-minute clip (``clip``'s packets looped to 60 s, analysed once without a video): the
    ``reanalyze`` call in a warm process and the ``formcheck reanalyze`` command end to end (a fresh interpreter:
    imports included), medians of ``runs``."""
    folder = Path(tempfile.mkdtemp(prefix="formcheck-reanalysis-"))
    path = loop_clip(clip, str(folder / "minute.mp4"), 60.0)
    cli = [sys.executable, "-m", "formcheck.cli"]
    subprocess.run([*cli, "analyze", path, "-o", str(folder), "--no-video", "--quiet"], check=True)
    clip_dir = folder / "minute"
    warm = subprocess.run(
        [sys.executable, "-c", _WARM_REANALYSIS, str(clip_dir), str(runs)],
        capture_output=True,
        text=True,
        check=True,
    )
    warm_s = json.loads(warm.stdout.strip().splitlines()[-1])
    cold_s = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([*cli, "reanalyze", str(clip_dir), "--quiet"], check=True)
        cold_s.append(time.perf_counter() - t0)
    print(
        f"  reanalysis of a one-minute clip ({Path(clip).name} looped): warm {statistics.median(warm_s):.2f} s "
        f"(min {min(warm_s):.2f}), command {statistics.median(cold_s):.2f} s (min {min(cold_s):.2f})"
    )


_WARM_REANALYSIS = """
import json, logging, sys, time
from formcheck.config import AnalysisSettings
from formcheck.pipeline import reanalyze
logging.disable(logging.WARNING)
reanalyze(sys.argv[1], AnalysisSettings(write_video=False))  # warm-up
times = []
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    reanalyze(sys.argv[1], AnalysisSettings(write_video=False))
    times.append(time.perf_counter() - t0)
print(json.dumps(times))
"""


def _fps(r: dict) -> float:
    return r["frames"] / r["wall_s"]


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
    ap.add_argument("--stages", default="decode,pose,plain,formcheck,render,reanalyze")
    ap.add_argument("--repeat", type=int, default=1, help="runs per stage; medians are printed")
    ap.add_argument(
        "--long", default="", help="comma-separated lengths (s) of looped copies of the first clip"
    )
    ap.add_argument(
        "--long-pose", action=argparse.BooleanOptionalAction, default=True, help="time pose alone on them too"
    )
    ap.add_argument(
        "--reanalysis-minute",
        action="store_true",
        help="time re-analysis of the first clip looped to one minute (warm call and command)",
    )
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
            try:
                runs = [run_stage(stage, clip) for _ in range(max(1, args.repeat))]
            except RuntimeError as e:  # e.g. the clip is rejected: report it and go on
                print(f"  {stage:10s} failed: {str(e).strip().splitlines()[-1]}")
                continue
            r = {k: statistics.median(x[k] for x in runs) for k in runs[0]}
            res[stage] = r
            fps = r["frames"] / r["wall_s"]
            extra = f", reanalysis {r['reanalyze_s']:.2f} s" if "reanalyze_s" in r else ""
            if "render_s" in r:
                extra = f", render pass {r['frames'] / r['render_s']:.1f} frames/s ({1000 * r['render_cpu_s'] / r['frames']:.1f} ms CPU/frame)"
            print(
                f"  {stage:10s} {fps:7.1f} frames/s  {r['wall_s']:6.1f} s  CPU {1000 * r['cpu_s'] / r['frames']:5.1f} ms/frame"
                f"  peak {r['peak_mib']:6.0f} MiB (with workers {r.get('tree_peak_mib', 0):4.0f}){extra}"
            )
        if "formcheck" in res:
            fc = res["formcheck"]["frames"] / res["formcheck"]["wall_s"]
            for base in ("plain", "pose"):
                if base in res:
                    b = res[base]["frames"] / res[base]["wall_s"]
                    print(f"  formcheck / {base:5s} = {fc / b:.2f}")
    if args.reanalysis_minute:
        print()
        _reanalysis_minute(clips[0])
    if args.long:
        print(f"\nmemory against clip length ({Path(clips[0]).name} looped):")
        _long_runs(clips[0], [float(x) for x in args.long.split(",")], args.long_pose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
