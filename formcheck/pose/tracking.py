"""Several people in frame: follow each across frames and choose the runner.

The pose model returns up to ``num_poses`` people per frame, largest first, with no identity. ``PersonTracker``
links them into tracks by bounding-box overlap (IoU) with a centroid-distance fallback, tolerating short gaps
(occlusion, a missed detection). The fallback is refused to an identity jump (``is_identity_jump``): a detection
whose box leaves the track's and whose trunk lands far from where the track's own motion puts it, within a frame or
two. The pose model returning one person a frame and hopping from one jogger to another
(overground_front_two_joggers, docs/tracking.md) thus makes two tracks instead of mixing two people in one.
While the model returns at most one person a frame and has hopped once, looks count too (``uses_looks``): a
detection whose torso colour (pose/appearance.py) is not clearly nearer to a track's than to another person's and
has some of them in it (a hop, a box straddling two) does not continue it (a colour like nobody's is left to
position), and a track lost for longer than ``max_gap_s`` is taken up again by colour and place.
``choose_runner`` then picks the person who runs: present for most of the clip,
large and central in the frame, and whose feet alternate up and down with a steady running rhythm. ``--person N``
overrides the choice. Its thresholds are ``config.PoseSettings``. No mediapipe import here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from formcheck.config import PoseSettings
from formcheck.pose.appearance import colour_distance, colour_name
from formcheck.pose.base import PoseDetection
from formcheck.skeleton import INDEX, N_LANDMARKS

Box = tuple[float, float, float, float]


def box_of(xy_px: np.ndarray, visibility: np.ndarray, vis_min: float) -> Box | None:
    """(x0, y0, x1, y1) around the landmarks at least ``vis_min`` visible (all finite ones when fewer than 4
    are), or None when fewer than 4 are finite."""
    ok = np.isfinite(xy_px).all(axis=1) & (visibility >= vis_min)
    if ok.sum() < 4:
        ok = np.isfinite(xy_px).all(axis=1)
        if ok.sum() < 4:
            return None
    pts = xy_px[ok]
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


def iou(a: Box, b: Box) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _centre(b: Box) -> np.ndarray:
    return np.array([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2])


def _height(b: Box) -> float:
    return max(b[3] - b[1], 1.0)


_SHOULDERS_HIPS = [INDEX["left_shoulder"], INDEX["right_shoulder"], INDEX["left_hip"], INDEX["right_hip"]]


def trunk_centre_and_length(d: PoseDetection, visibility_min: float) -> tuple[np.ndarray, float] | None:
    """(mean of the shoulders and hips, pixels; shoulder-centre to hip-centre length, pixels) of a detection, or
    None when any of the four is missing or less than ``visibility_min`` visible, or the trunk has no length."""
    pts = d.xy_px[_SHOULDERS_HIPS]
    if not np.isfinite(pts).all() or (d.visibility[_SHOULDERS_HIPS] < visibility_min).any():
        return None
    torso_px = float(np.linalg.norm(pts[:2].mean(axis=0) - pts[2:].mean(axis=0)))
    return (pts.mean(axis=0), torso_px) if torso_px > 0 else None


@dataclass
class Track:
    """One person's detections over time."""

    id: int
    frames: list[int] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    detections: list[PoseDetection] = field(default_factory=list)
    # What the person looks like (pose/appearance.py): a running mean of their detections' torso colours, None
    # until one is seen.
    colour: np.ndarray | None = None

    @property
    def last_frame(self) -> int:
        return self.frames[-1]

    def add(self, frame_index: int, box: Box, det: PoseDetection, colour_weight: float) -> None:
        """Append a detection; its torso colour moves the track's by ``colour_weight`` (an exponential mean, so
        the colour follows slow changes of light)."""
        self.frames.append(frame_index)
        self.boxes.append(box)
        self.detections.append(det)
        if det.appearance is not None:
            if self.colour is None:
                self.colour = det.appearance
            else:
                self.colour = (1.0 - colour_weight) * self.colour + colour_weight * det.appearance

    @property
    def last_box(self) -> Box:
        return self.boxes[-1]


def is_identity_jump(track: Track, frame_index: int, box: Box, det: PoseDetection, cfg: PoseSettings) -> bool:
    """Whether ``det`` in ``frame_index`` would continue ``track`` only by a jump to another person: the boxes do
    not overlap (IoU under ``match_iou_min``), the detection comes within ``identity_jump_max_gap_frames`` of the
    track's last one, and its trunk centre lands more than ``identity_jump_torso`` torso lengths from where the
    track's velocity (its last two detections) puts it. Nobody's trunk moves like that in 1/25 s; a sprinter
    crossing a fixed camera moves fast but steadily, which the velocity explains (measured: PoseSettings). A track
    of one detection has no velocity yet, and a trunk not clearly seen (``identity_jump_trunk_visibility_min``)
    cannot tell one person from another: neither is judged."""
    gap = frame_index - track.last_frame
    if len(track.frames) < 2 or gap > cfg.identity_jump_max_gap_frames:
        return False
    if iou(box, track.last_box) >= cfg.match_iou_min:
        return False
    vis_min = cfg.identity_jump_trunk_visibility_min
    now = trunk_centre_and_length(det, vis_min)
    last = trunk_centre_and_length(track.detections[-1], vis_min)
    if now is None or last is None:
        return False
    motion = _recent_motion(track, last[0], vis_min)
    if motion is None:
        return False
    velocity_px, seen_since = motion
    miss_px = float(np.linalg.norm(now[0] - (last[0] + velocity_px * (frame_index - seen_since))))
    # One frame's movement of slack on top: a dropped frame, or a picture held one frame longer, puts a fast
    # runner that far from the prediction.
    slack_px = float(np.linalg.norm(velocity_px))
    return miss_px > cfg.identity_jump_torso * max(now[1], last[1]) + slack_px


def _recent_motion(
    track: Track, last_centre: np.ndarray, visibility_min: float
) -> tuple[np.ndarray, int] | None:
    """(the track's trunk velocity, pixels per frame; the first frame its last position was seen in). A repeated
    picture repeats the position: the velocity is read between the first frame of the last position and the latest
    earlier detection (of the last 5) where the trunk stood elsewhere, and the prediction runs from that first
    frame, so a runner crossing fast stays where a held picture left them. None when a trunk is not seen."""
    seen_since = track.frames[-1]
    for k in range(2, min(len(track.frames), 6) + 1):
        before = trunk_centre_and_length(track.detections[-k], visibility_min)
        if before is None:
            return None
        if np.linalg.norm(last_centre - before[0]) > 0.5:  # pixels: a repeated picture is posed the same
            return (last_centre - before[0]) / (seen_since - track.frames[-k]), seen_since
        seen_since = track.frames[-k]
    return np.zeros(2), seen_since


class PersonTracker:
    """Greedy frame-to-frame association of detections to tracks. Call ``update`` once per frame, in order."""

    def __init__(self, fps: float, cfg: PoseSettings) -> None:
        self.cfg = cfg
        self.max_gap_frames = max(1, int(round(cfg.max_gap_s * fps)))
        self.tracks: list[Track] = []
        self.max_people_in_frame = 0
        self.multi_frames = 0  # frames with more than one person
        self.n_frames = 0
        # Frames where the one person detected was refused to the track detected just before as an identity jump
        # and went to another: the pose model hopping between people.
        self.identity_jumps: list[int] = []
        self._lone: tuple[int, int] | None = None  # (frame, track id) of the last frame with one person
        self._jumped = False  # an identity jump (by place) was seen

    @property
    def compares_looks(self) -> bool:
        """Whether torso colours may take part in following people (the pose pass then reads them): while the
        pose model has returned at most one person a frame. Then places cannot tell two people side by side apart
        (the model hopping between them); seen together, their boxes do, and better than colours in a crowd or
        against the light (measured: docs/tracking.md, "Appearance")."""
        return self.max_people_in_frame <= 1

    @property
    def uses_looks(self) -> bool:
        """Whether torso colours take part now: they may (``compares_looks``) and an identity jump has shown two
        people. A lone runner's torso colour changes as the arms swing across it in a side view (up to 0.8 from
        one frame to the next on the 40 real clips): it is never followed by colour."""
        return self.compares_looks and self._jumped

    def update(self, frame_index: int, detections: Sequence[PoseDetection]) -> list[int]:
        """Assign this frame's detections to tracks; returns the track id of each kept detection."""
        self.n_frames = max(self.n_frames, frame_index + 1)
        cands: list[tuple[Box, PoseDetection]] = []
        for d in detections:
            b = box_of(d.xy_px, d.visibility, self.cfg.box_visibility_min)
            if b is None:
                continue
            if any(iou(b, kb) > self.cfg.duplicate_iou for kb, _ in cands):
                continue  # detections come largest first: the first of a duplicate pair is kept
            cands.append((b, d))
        self.max_people_in_frame = max(self.max_people_in_frame, len(cands))
        self.multi_frames += len(cands) > 1
        live = [t for t in self.tracks if frame_index - t.last_frame <= self.max_gap_frames]
        by_colour = self.uses_looks
        pairs = []
        refused = False
        for ci, (b, d) in enumerate(cands):
            for ti, t in enumerate(live):
                ov = iou(b, t.last_box)
                dist = float(np.linalg.norm(_centre(b) - _centre(t.last_box))) / _height(t.last_box)
                near = dist <= self.cfg.match_centroid_max_box and _similar_size(b, t.last_box)
                if ov < self.cfg.match_iou_min and not near:
                    continue
                if ov < self.cfg.match_iou_min and is_identity_jump(t, frame_index, b, d, self.cfg):
                    refused = self._jumped = True
                    continue
                if by_colour and self._looks_different(d, b, t, frame_index):
                    refused = True
                    continue
                looks = colour_distance(d.appearance, t.colour) if by_colour and _both_coloured(d, t) else 0.0
                pairs.append((ov - 0.5 * dist - looks, ci, ti))
        pairs.sort(reverse=True)
        used_c: set[int] = set()
        used_t: set[int] = set()
        ids = [-1] * len(cands)
        for _, ci, ti in pairs:
            if ci in used_c or ti in used_t:
                continue
            used_c.add(ci)
            used_t.add(ti)
            ids[ci] = live[ti].id
        for ci, (b, d) in enumerate(cands):
            if ids[ci] < 0:
                track = self._seen_before(b, d, frame_index, taken=set(ids)) if by_colour else None
                if track is None:
                    track = Track(id=len(self.tracks) + 1)
                    self.tracks.append(track)
                ids[ci] = track.id
            self.tracks[ids[ci] - 1].add(frame_index, b, d, self.cfg.appearance_colour_weight)
        if len(ids) == 1:
            last = self._lone
            hop = (
                last is not None
                and last[1] != ids[0]
                and frame_index - last[0] <= self.cfg.identity_jump_max_gap_frames
            )
            if hop and refused:
                self.identity_jumps.append(frame_index)
            self._lone = (frame_index, ids[0])
        return ids

    def _people(self, frame_index: int) -> list[Track]:
        """The tracks with a colour that are someone: live, or followed for at least ``max_gap_s`` of frames (not
        the few boxes that straddled two people)."""
        return [
            t
            for t in self.tracks
            if t.colour is not None
            and (frame_index - t.last_frame <= self.max_gap_frames or len(t.frames) >= self.max_gap_frames)
        ]

    def _looks_different(self, det: PoseDetection, box: Box, track: Track, frame_index: int) -> bool:
        """Whether ``det`` (its box ``box``) looks like someone else more than like ``track``: its torso colour's
        distance to the track's is more than ``appearance_ratio_max`` of its distance to another person's (one of
        ``_people`` whose colour is itself more than ``appearance_max_distance`` from ``track``'s), and it has some
        of that person in it: its colour is nearer theirs than the track's own colour is (a hop to the other
        jogger, 0.1-0.3 from them; a box over both, its colours a mix 0.4-0.75 from each, the two tops 0.76 or
        more apart) or its box overlaps their last one (``match_iou_min``). A colour like nobody's, away from the
        other person (a grey top gone dark in shade: as far from its own as from hers), is left to position; a
        lone runner, whose colour wanders, is never refused: there is nobody to look more like. False when either
        colour is unknown."""
        if det.appearance is None or track.colour is None:
            return False
        own = colour_distance(det.appearance, track.colour)
        for other in self._people(frame_index):
            apart = colour_distance(track.colour, other.colour)
            if other is track or apart <= self.cfg.appearance_max_distance:
                continue
            theirs = colour_distance(det.appearance, other.colour)
            if own <= self.cfg.appearance_ratio_max * theirs:
                continue
            if theirs < apart or iou(box, other.last_box) >= self.cfg.match_iou_min:
                return True
        return False

    def _seen_before(self, box: Box, det: PoseDetection, frame_index: int, taken: set[int]) -> Track | None:
        """The track, lost for longer than ``max_gap_s``, that ``det`` continues by its looks and place: of the
        same torso colour (within ``appearance_max_distance``; the nearest colour of several), its box near the
        track's last one as for a live track (``match_centroid_max_box``, a similar size). The pose model hopping
        between two people for seconds thus leaves each with one track, not one per return (docs/tracking.md).
        None when ``det``'s colour is unknown."""
        if det.appearance is None:
            return None
        best: tuple[float, Track] | None = None
        for t in self.tracks:
            if t.id in taken or t.colour is None or frame_index - t.last_frame <= self.max_gap_frames:
                continue
            dist = float(np.linalg.norm(_centre(box) - _centre(t.last_box))) / _height(t.last_box)
            if dist > self.cfg.match_centroid_max_box or not _similar_size(box, t.last_box):
                continue
            colour = colour_distance(det.appearance, t.colour)
            if colour > self.cfg.appearance_max_distance:
                continue
            # People dressed alike are not told apart by colour: skip a track whose colour another person shares.
            if any(
                o is not t
                and o.colour is not None
                and colour_distance(o.colour, t.colour) <= self.cfg.appearance_max_distance
                for o in self._people(frame_index)
            ):
                continue
            score = colour + 0.5 * dist  # as live pairs: the nearer colour, then the nearer place
            if best is None or score < best[0]:
                best = (score, t)
        return None if best is None else best[1]


def _both_coloured(det: PoseDetection, track: Track) -> bool:
    return det.appearance is not None and track.colour is not None


def _similar_size(a: Box, b: Box) -> bool:
    return 0.6 < _height(a) / _height(b) < 1.6


def describe_jumps(tracker: PersonTracker, time_s: np.ndarray) -> str:
    """'8 times between 0.2 and 1.0 s' (or 'once at 0.2 s') for the tracker's identity jumps; '' when none."""
    jumps = [float(time_s[k]) for k in tracker.identity_jumps if k < len(time_s)]
    if not jumps:
        return ""
    if len(jumps) == 1:
        return f"once at {jumps[0]:.1f} s"
    return f"{len(jumps)} times between {jumps[0]:.1f} and {jumps[-1]:.1f} s"


def track_arrays(tracks: Track | Sequence[Track], n_frames: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xy (T, 33, 2) NaN where absent, visibility (T, 33), world (T, 33, 3)) of one track (or of several that
    never overlap in time, e.g. one person seen in pieces) over the clip."""
    xy = np.full((n_frames, N_LANDMARKS, 2), np.nan)
    vis = np.zeros((n_frames, N_LANDMARKS))
    world = np.full((n_frames, N_LANDMARKS, 3), np.nan)
    for track in [tracks] if isinstance(tracks, Track) else tracks:
        for k, d in zip(track.frames, track.detections, strict=True):
            xy[k] = d.xy_px
            vis[k] = d.visibility
            if d.world_xyz is not None:
                world[k] = d.world_xyz
    return xy, vis, world


def rhythm_strength(track: Track, n_frames: int, fps: float, stride_s: tuple[float, float]) -> float:
    """How steadily the feet alternate at a running stride: the highest normalised autocorrelation of the
    left-minus-right ankle height (in box heights) at a lag within the running stride range; 0..1."""
    sig = np.full(n_frames, np.nan)
    la, ra = INDEX["left_ankle"], INDEX["right_ankle"]
    for k, b, d in zip(track.frames, track.boxes, track.detections, strict=True):
        sig[k] = (d.xy_px[la, 1] - d.xy_px[ra, 1]) / _height(b)
    ok = np.flatnonzero(np.isfinite(sig))
    if ok.size < 2 * fps * stride_s[0]:
        return 0.0
    x = sig[ok[0] : ok[-1] + 1]
    idx = np.arange(x.size)
    good = np.isfinite(x)
    x = np.interp(idx, idx[good], x[good])
    x = x - x.mean()
    n = x.size
    energy = float(np.dot(x, x))
    if energy <= 1e-9:
        return 0.0
    lo, hi = int(stride_s[0] * fps), min(int(math.ceil(stride_s[1] * fps)), n - 2)
    if hi <= lo:
        return 0.0
    ac = np.array([np.dot(x[:-lag], x[lag:]) / (energy * (n - lag) / n) for lag in range(lo, hi + 1)])
    return float(np.clip(ac.max(), 0.0, 1.0))


@dataclass(frozen=True)
class TrackSummary:
    id: int
    first_s: float
    coverage: float  # fraction of the clip's frames the person is in
    height_frac: float  # median box height / frame height
    centrality: float  # 1 at the frame's centre, 0 at its edge
    rhythm: float  # rhythm_strength, 0..1
    score: float
    # The colour of their top (pose/appearance.py ``colour_name``) when the tracker used looks, else "".
    top: str = ""

    def describe(self) -> str:
        top = f", {self.top} top" if self.top else ""
        return (
            f"#{self.id} (from {self.first_s:.1f} s, in {self.coverage:.0%} of frames, "
            f"{self.height_frac:.0%} of frame height, running rhythm {self.rhythm:.2f}{top})"
        )


def summarize_tracks(
    tracker: PersonTracker, time_s: np.ndarray, frame_w: int, frame_h: int, fps: float
) -> list[TrackSummary]:
    """Summaries of the tracks long enough to matter (``PoseSettings.min_track_fraction`` of the frames), in
    track-id order."""
    cfg = tracker.cfg
    n = max(len(time_s), 1)
    out = []
    for t in tracker.tracks:
        coverage = len(t.frames) / n
        if coverage < cfg.min_track_fraction:
            continue
        heights = np.array([_height(b) for b in t.boxes])
        cx = np.array([_centre(b)[0] for b in t.boxes])
        height_frac = float(np.median(heights)) / frame_h
        centrality = float(np.clip(1.0 - abs(float(np.median(cx)) - frame_w / 2) / (frame_w / 2), 0.0, 1.0))
        rhythm = rhythm_strength(t, len(time_s), fps, cfg.run_stride_s)
        score = coverage * height_frac * (0.5 + 0.5 * centrality) * (0.25 + rhythm)
        first = float(time_s[t.frames[0]]) if len(time_s) else 0.0
        top = colour_name(t.colour) if t.colour is not None and tracker.uses_looks else ""
        out.append(TrackSummary(t.id, first, coverage, height_frac, centrality, rhythm, score, top))
    return out


def choose_runner(summaries: Sequence[TrackSummary], person: int | None = None) -> tuple[TrackSummary, str]:
    """The track to analyse and why. ``person`` picks a track id; otherwise the best score: long present, large,
    central, steady running rhythm. Raises ValueError (with the list) for an unknown ``person``."""
    if not summaries:
        raise ValueError("nobody was tracked for long enough")
    if person is not None:
        for s in summaries:
            if s.id == person:
                return s, f"person #{person} chosen with --person"
        listed = "; ".join(s.describe() for s in summaries)
        raise ValueError(f"no person #{person} in this clip; people tracked: {listed}")
    best = max(summaries, key=lambda s: s.score)
    if len(summaries) == 1:
        return best, "the only person tracked"
    return best, (
        f"chose #{best.id} of {len(summaries)} people: present longest, largest and most central with the "
        f"steadiest running rhythm (score {best.score:.3f})"
    )
