"""Draw the synthetic runner with OpenCV: shaded capsule limbs, torso, head with a face, shoes, treadmill or ground.

``FrameRenderer(params).render(i)`` returns frame ``i`` as an (H, W, 3) uint8 RGB array; the body parts are
painted far to near (painter's algorithm on camera depth), near-side limbs lighter than far-side ones.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from formcheck.synth.camera import Camera, make_camera, project
from formcheck.synth.params import RunnerParams
from formcheck.synth.skeleton3d import HEAD_RADII, body_points

SHIFT = 4  # sub-pixel bits for cv2 drawing
ONE = 1 << SHIFT

SKIN = (222, 170, 135)
SHIRT = (38, 92, 176)
SHORTS = (34, 34, 44)
SHOE = (205, 55, 45)
SOLE = (236, 236, 230)
HAIR = (58, 40, 28)
SOCK = (235, 235, 235)

# Capsule radii in metres for a 1.75 m runner: (start, end).
RADII = {
    "thigh": (0.078, 0.052),
    "shank": (0.05, 0.031),
    "upper_arm": (0.043, 0.034),
    "forearm": (0.034, 0.026),
    "neck": (0.052, 0.05),
}


def _shade(color: tuple[int, int, int], k: float) -> tuple[int, int, int]:
    return tuple(int(np.clip(c * k, 0, 255)) for c in color)  # type: ignore[return-value]


def _fx(pts: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(pts) * ONE).astype(np.int32)


def draw_capsule(img: np.ndarray, p0, p1, r0: float, r1: float, color, highlight: bool = True) -> None:
    """A tapered capsule from ``p0`` (radius ``r0``) to ``p1`` (radius ``r1``), two-tone shaded."""
    _capsule(img, np.asarray(p0, float), np.asarray(p1, float), r0, r1, _shade(color, 0.78))
    if highlight:
        d = np.asarray(p1, float) - np.asarray(p0, float)
        n = np.array([-d[1], d[0]]) / (np.linalg.norm(d) + 1e-9)
        if n @ np.array([-0.6, -0.8]) < 0:
            n = -n  # toward the light (up-left)
        _capsule(img, p0 + n * 0.28 * r0, p1 + n * 0.28 * r1, 0.55 * r0, 0.55 * r1, _shade(color, 1.08))


def _capsule(img: np.ndarray, p0: np.ndarray, p1: np.ndarray, r0: float, r1: float, color) -> None:
    d = p1 - p0
    length = np.linalg.norm(d)
    if length < 1e-6:
        cv2.circle(img, tuple(_fx(p0)), int(max(r0, r1) * ONE), color, -1, cv2.LINE_AA, SHIFT)
        return
    n = np.array([-d[1], d[0]]) / length
    poly = np.array([p0 + n * r0, p1 + n * r1, p1 - n * r1, p0 - n * r0])
    cv2.fillConvexPoly(img, _fx(poly), color, cv2.LINE_AA, SHIFT)
    cv2.circle(img, tuple(_fx(p0)), max(int(r0 * ONE), 1), color, -1, cv2.LINE_AA, SHIFT)
    cv2.circle(img, tuple(_fx(p1)), max(int(r1 * ONE), 1), color, -1, cv2.LINE_AA, SHIFT)


def _ellipse(img: np.ndarray, c, axes, angle_deg: float, color) -> None:
    ax = (max(int(axes[0] * ONE), 1), max(int(axes[1] * ONE), 1))
    cv2.ellipse(img, tuple(_fx(c)), ax, angle_deg, 0, 360, color, -1, cv2.LINE_AA, SHIFT)


def make_background(params: RunnerParams, width_px: int, height_px: int) -> np.ndarray:
    """A plain wall with soft vertical gradient and a few muted panels; deterministic in the seed."""
    rng = np.random.default_rng(params.seed + 1)
    y = np.linspace(0, 1, height_px)[:, None, None]
    top, bottom = np.array([196, 204, 210]), np.array([168, 172, 170])
    bg = (top * (1 - y) + bottom * y) * np.ones((1, width_px, 1))
    img = np.ascontiguousarray(bg.astype(np.uint8))
    for _ in range(7):
        x0 = int(rng.uniform(0, width_px))
        w = int(rng.uniform(0.05, 0.2) * width_px)
        y0 = int(rng.uniform(0.0, 0.35) * height_px)
        h = int(rng.uniform(0.1, 0.3) * height_px)
        col = tuple(int(c) for c in rng.uniform(120, 220, 3))
        cv2.rectangle(img, (x0, y0), (x0 + w, y0 + h), col, -1)
    return cv2.GaussianBlur(img, (0, 0), 1.5)


class FrameRenderer:
    """Renders the frames of one clip; all joint positions are computed once, up front."""

    def __init__(self, params: RunnerParams):
        self.params = params
        self.cam: Camera = make_camera(params)
        self.width_px, self.height_px = params.size_px
        n = int(np.floor(params.duration_s * params.fps + 1e-9))
        self.time_s = np.arange(n) / params.fps
        self.points3 = body_points(params, self.time_s)
        rng = np.random.default_rng(params.seed)
        self.px: dict[str, np.ndarray] = {}
        self.depth: dict[str, np.ndarray] = {}
        for name, p3 in self.points3.items():
            if p3.ndim < 2 or p3.shape[-1] != 3:
                continue
            xy, dep = project(self.cam, p3, self.time_s)
            self.px[name], self.depth[name] = xy, dep
        if params.keypoint_noise_px > 0:
            self._jitter(rng)
        self.noise_rng = np.random.default_rng(params.seed + 2)
        self.background = make_background(params, self.width_px * 3, self.height_px)
        self.scale_px_per_m = self.cam.focal_px / params.camera_distance_m

    def _jitter(self, rng: np.random.Generator) -> None:
        """Move each drawn joint by Gaussian noise; attached shapes (shoe, hand, head) move with their joint."""
        sd = self.params.keypoint_noise_px
        n = len(self.time_s)
        joint_noise = {
            f"{s}_{j}": rng.normal(0, sd, (n, 2))
            for s in ("left", "right")
            for j in ("hip", "knee", "ankle", "shoulder", "elbow", "wrist")
        }
        head = rng.normal(0, sd, (n, 2))
        for name in list(self.px):
            side = name.split("_")[0]
            if name in joint_noise:
                self.px[name] = self.px[name] + joint_noise[name]
            elif side in ("left", "right") and any(k in name for k in ("heel", "foot_index", "ball", "shoe")):
                off = joint_noise[f"{side}_ankle"]
                self.px[name] = self.px[name] + (off[:, None, :] if self.px[name].ndim == 3 else off)
            elif side in ("left", "right") and any(k in name for k in ("index", "pinky", "thumb", "hand")):
                self.px[name] = self.px[name] + joint_noise[f"{side}_wrist"]
            elif name not in ("hip_mid", "shoulder_mid"):
                self.px[name] = self.px[name] + head
        for mid, (a, b) in {
            "hip_mid": ("left_hip", "right_hip"),
            "shoulder_mid": ("left_shoulder", "right_shoulder"),
        }.items():
            self.px[mid] = (self.px[a] + self.px[b]) / 2

    @property
    def n_frames(self) -> int:
        return len(self.time_s)

    def r_px(self, r_m: float, depth_m: float) -> float:
        return r_m * self.params.height_m / 1.75 * self.cam.focal_px / depth_m

    def render(self, i: int) -> np.ndarray:
        p = self.params
        t = float(self.time_s[i])
        moving = p.surface == "overground" and p.camera_tracking
        shift = int(round((p.speed_mps * t * self.scale_px_per_m * 0.6) % self.width_px)) if moving else 0
        img = np.ascontiguousarray(self.background[:, self.width_px - shift : 2 * self.width_px - shift])
        self._draw_ground(img, t)
        parts: list[tuple[float, Callable[[np.ndarray], None]]] = []
        self._body_parts(i, parts)
        for _, draw in sorted(parts, key=lambda q: -q[0]):
            draw(img)
        if p.pixel_noise_std > 0:
            noise = self.noise_rng.normal(0, p.pixel_noise_std, img.shape)
            img = np.clip(img + noise, 0, 255).astype(np.uint8)
        return img

    # --- scene -------------------------------------------------------------------------------------------------
    def _ground_poly(self, x0: float, x1: float, z0: float, z1: float, t: float) -> np.ndarray:
        corners = np.array([[[x0, 0, z0], [x1, 0, z0], [x1, 0, z1], [x0, 0, z1]]], float)
        if self.params.view != "side":
            corners = np.array([[[x0, 0, z0], [x0, 0, z1], [x1, 0, z1], [x1, 0, z0]]], float)
        xy, _ = project(self.cam, corners, np.array([t]))
        return xy[0]

    def _draw_ground(self, img: np.ndarray, t: float) -> None:
        p = self.params
        side = p.view == "side"
        # floor: a wide plane, then the belt (treadmill) or a running track
        near_x = p.camera_distance_m - 0.6  # ground visible from just in front of the camera to 40 m away
        depth_span = (-near_x, 40.0) if p.view != "front" else (-40.0, near_x)
        lat_span = (-30.0, 30.0) if not side else (-4.0, 4.0)
        if side:
            floor = self._ground_poly(lat_span[0] * 10, lat_span[1] * 10, -3.0, 5.5, t)
        else:
            floor = self._ground_poly(depth_span[0], depth_span[1], lat_span[0], lat_span[1], t)
        cv2.fillConvexPoly(img, _fx(floor), (132, 120, 104), cv2.LINE_AA, SHIFT)
        belt_half = 0.35
        x0, x1 = (-1.1, 1.1)
        col = (52, 54, 58) if p.surface == "treadmill" else (168, 92, 70)
        if p.surface == "treadmill":
            deck = self._ground_poly(x0 - 0.15, x1 + 0.15, -belt_half - 0.1, belt_half + 0.1, t)
            cv2.fillConvexPoly(img, _fx(deck), (92, 96, 102), cv2.LINE_AA, SHIFT)
        else:
            x0, x1 = (-60.0, 60.0) if side else depth_span
        belt = self._ground_poly(x0, x1, -belt_half, belt_half, t)
        cv2.fillConvexPoly(img, _fx(belt), col, cv2.LINE_AA, SHIFT)
        # moving stripes show belt or ground motion
        moves = p.surface == "treadmill" or p.camera_tracking
        spacing = 0.45
        off = (p.speed_mps * t) % spacing if moves else 0.0
        for k in range(-150, 151):
            xs = k * spacing - off
            if not x0 < xs < x1 or abs(xs) > 12:
                continue
            a, b = (
                self._ground_poly(xs, xs + 0.02, -belt_half, belt_half, t)[[0, 2]]
                if side
                else (self._ground_poly(xs, xs + 0.02, -belt_half, belt_half, t)[[0, 1]])
            )
            cv2.line(img, tuple(_fx(a)), tuple(_fx(b)), _shade(col, 1.25), 1, cv2.LINE_AA, SHIFT)

    # --- body --------------------------------------------------------------------------------------------------
    def _near_shade(self, side: str, i: int) -> float:
        """Near-side limbs a little lighter than far-side ones."""
        d_l = self.depth["left_hip"][i]
        d_r = self.depth["right_hip"][i]
        if self.params.view == "side":
            near = d_l < d_r if side == "left" else d_r < d_l
            return 1.0 if near else 0.78
        return 0.95

    def _body_parts(self, i: int, parts: list) -> None:
        px, dep = self.px, self.depth
        for side in ("left", "right"):
            k = self._near_shade(side, i)
            self._limb(
                parts, i, f"{side}_hip", f"{side}_knee", "thigh", _shade(SHORTS, k * 1.4), k, shorts=True
            )
            self._limb(parts, i, f"{side}_knee", f"{side}_ankle", "shank", _shade(SKIN, k), k)
            self._limb(parts, i, f"{side}_shoulder", f"{side}_elbow", "upper_arm", _shade(SHIRT, k), k)
            self._limb(parts, i, f"{side}_elbow", f"{side}_wrist", "forearm", _shade(SKIN, k), k)
            self._shoe(parts, i, side, k)
            self._hand(parts, i, side, k)
        self._torso(parts, i)
        self._head(parts, i)
        del px, dep

    def _limb(self, parts, i, a: str, b: str, kind: str, color, k: float, shorts: bool = False) -> None:
        pa, pb = self.px[a][i], self.px[b][i]
        da, db = self.depth[a][i], self.depth[b][i]
        r0, r1 = (self.r_px(r, d) for r, d in zip(RADII[kind], (da, db), strict=True))
        depth = (da + db) / 2

        def draw(img: np.ndarray) -> None:
            if shorts and self.params.tights:
                draw_capsule(img, pa, pb, r0 * 1.02, r1 * 1.02, color)
            elif shorts:
                draw_capsule(img, pa, pb, r0, r1, _shade(SKIN, k))
                mid = pa + 0.45 * (pb - pa)
                draw_capsule(img, pa, mid, r0 * 1.08, (r0 + r1) / 2 * 1.1, color)
            else:
                draw_capsule(img, pa, pb, r0, r1, color)

        parts.append((depth, draw))

    def _shoe(self, parts, i: int, side: str, k: float) -> None:
        ankle = self.px[f"{side}_ankle"][i]
        depth = self.depth[f"{side}_ankle"][i]
        if self.params.view == "side":
            outline = self.px[f"{side}_shoe"][i]
            heel = self.px[f"{side}_heel"][i]

            def draw(img: np.ndarray) -> None:
                cv2.fillPoly(img, [_fx(outline)], _shade(SHOE, k), cv2.LINE_AA, SHIFT)
                sole = np.concatenate([outline[1:2], outline[0:1], outline[-1:], outline[-2:-1]])
                cv2.polylines(
                    img,
                    [_fx(sole)],
                    False,
                    _shade(SOLE, k),
                    max(2, int(self.r_px(0.02, depth))),
                    cv2.LINE_AA,
                    SHIFT,
                )
                cv2.line(
                    img,
                    tuple(_fx(heel)),
                    tuple(_fx(outline[3])),
                    _shade(SOLE, k * 0.9),
                    1,
                    cv2.LINE_AA,
                    SHIFT,
                )
                draw_capsule(
                    img,
                    ankle,
                    ankle,
                    self.r_px(0.034, depth),
                    self.r_px(0.034, depth),
                    _shade(SOCK, k),
                    False,
                )

        else:
            heel, toe = self.px[f"{side}_heel"][i], self.px[f"{side}_foot_index"][i]
            dh, dt = self.depth[f"{side}_heel"][i], self.depth[f"{side}_foot_index"][i]
            depth = min(dh, dt) if self.params.view == "front" else max(dh, dt) * 0.5 + min(dh, dt) * 0.5

            def draw(img: np.ndarray) -> None:
                draw_capsule(img, heel, toe, self.r_px(0.05, dh), self.r_px(0.045, dt), _shade(SHOE, k))
                draw_capsule(
                    img,
                    ankle,
                    ankle,
                    self.r_px(0.036, depth),
                    self.r_px(0.036, depth),
                    _shade(SOCK, k),
                    False,
                )

        parts.append((depth - 0.01, draw))

    def _hand(self, parts, i: int, side: str, k: float) -> None:
        c = self.px[f"{side}_hand"][i]
        w = self.px[f"{side}_wrist"][i]
        depth = self.depth[f"{side}_hand"][i]
        r = self.r_px(0.042, depth)

        def draw(img: np.ndarray) -> None:
            draw_capsule(img, w, c, r * 0.75, r, _shade(SKIN, k * 0.97))

        parts.append((depth - 0.005, draw))

    def _torso(self, parts, i: int) -> None:
        px, p = self.px, self.params
        hm, sm = px["hip_mid"][i], px["shoulder_mid"][i]
        depth = float(self.depth["hip_mid"][i])
        if p.view == "side":
            r_chest, r_waist = self.r_px(0.115, depth), self.r_px(0.1, depth)

            def draw(img: np.ndarray) -> None:
                chest_from = 0.3
                if p.sagittal_pelvic_tilt_deg is None:
                    draw_capsule(img, hm, hm + 0.35 * (sm - hm), self.r_px(0.105, depth), r_waist, SHORTS)
                else:  # the shaped pelvis and lower back form the outline up to the waist
                    self._shaped_pelvis(img, hm, sm, depth)
                    chest_from = 0.6
                draw_capsule(img, hm + chest_from * (sm - hm), sm + 0.05 * (sm - hm), r_waist, r_chest, SHIRT)
                self._neck(img, i, depth)

        else:
            ls, rs, lh, rh = (px[n][i] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip"))
            out_s = (rs - ls) / (np.linalg.norm(rs - ls) + 1e-9)
            out_h = (rh - lh) / (np.linalg.norm(rh - lh) + 1e-9)
            up = sm - hm
            e_s, e_h = self.r_px(0.06, depth), self.r_px(0.085, depth)

            def draw(img: np.ndarray) -> None:
                waist_l = lh + 0.45 * up - out_h * e_h * 0.6
                waist_r = rh + 0.45 * up + out_h * e_h * 0.6
                pelvis = np.array(
                    [
                        lh - out_h * e_h + 0.12 * up,
                        rh + out_h * e_h + 0.12 * up,
                        rh + out_h * e_h * 0.5 - 0.12 * up,
                        lh - out_h * e_h * 0.5 - 0.12 * up,
                    ]
                )
                cv2.fillConvexPoly(
                    img,
                    _fx(np.array([waist_l, waist_r, pelvis[1], pelvis[2], pelvis[3], pelvis[0]])),
                    _shade(SHORTS, 1.1),
                    cv2.LINE_AA,
                    SHIFT,
                )
                chest = np.array(
                    [
                        ls - out_s * e_s + 0.06 * up,
                        rs + out_s * e_s + 0.06 * up,
                        waist_r + 0.05 * up,
                        waist_l + 0.05 * up,
                    ]
                )
                cv2.fillConvexPoly(img, _fx(chest), _shade(SHIRT, 0.85), cv2.LINE_AA, SHIFT)
                inner = chest * 0.8 + chest.mean(0) * 0.2
                cv2.fillConvexPoly(img, _fx(inner), SHIRT, cv2.LINE_AA, SHIFT)
                for a in (ls, rs):
                    draw_capsule(img, a, a, e_s * 1.05, e_s * 1.05, SHIRT)
                self._neck(img, i, depth)

        parts.append((depth, draw))

    # Side-view pelvis outline, metres from the hip joint in the trunk's frame (x backward, y up) before tilt: front
    # of the hip (ASIS), back of the pelvis (PSIS), the buttock's furthest point, the gluteal fold, the groin.
    PELVIS_OUTLINE = np.array(
        [
            [-0.09, 0.13],
            [0.08, 0.13],
            [0.115, 0.03],
            [0.12, -0.03],
            [0.09, -0.10],
            [-0.02, -0.11],
            [-0.09, -0.04],
        ]
    )

    def pelvis_outline_px(self, hm: np.ndarray, sm: np.ndarray, depth: float) -> np.ndarray:
        """The pelvis outline in pixels, tipped forward by ``sagittal_pelvic_tilt_deg`` about the hip joint."""
        p = self.params
        up = (sm - hm) / (np.linalg.norm(sm - hm) + 1e-9)
        back = (
            np.array([-up[1], up[0]])
            if np.array([-up[1], up[0]])[0] * p.sign < 0
            else np.array([up[1], -up[0]])
        )
        th = np.radians(p.sagittal_pelvic_tilt_deg or 0.0)
        x, y = self.PELVIS_OUTLINE[:, 0], self.PELVIS_OUTLINE[:, 1]
        xr, yr = x * np.cos(th) - y * np.sin(th), x * np.sin(th) + y * np.cos(th)  # top tips forward
        k = self.r_px(1.0, depth)
        return hm + k * (xr[:, None] * back + yr[:, None] * up)

    def _shaped_pelvis(self, img: np.ndarray, hm: np.ndarray, sm: np.ndarray, depth: float) -> None:
        """Pelvis and buttocks (shorts or tights) and the lower back up to the waist, hollowed by the arch."""
        p = self.params
        poly = self.pelvis_outline_px(hm, sm, depth)
        up = (sm - hm) / (np.linalg.norm(sm - hm) + 1e-9)
        back = (poly[1] - poly[0]) / (np.linalg.norm(poly[1] - poly[0]) + 1e-9)
        k = self.r_px(1.0, depth)
        # Lower back: from the back of the pelvis up to the waist (0.32 m above the hip), bowed forward by the arch.
        waist_back = hm + k * (0.1 * back + 0.32 * up)
        waist_front = hm + k * (-0.1 * back + 0.32 * up)
        u = np.linspace(0.0, 1.0, 9)[:, None]
        spine = poly[1] + u * (waist_back - poly[1]) - k * p.lumbar_arch_m * np.sin(np.pi * u) * back
        lumbar = np.vstack([spine, waist_front, poly[0]])
        cv2.fillPoly(img, [_fx(lumbar)], _shade(SHIRT, 0.9), cv2.LINE_AA, SHIFT)
        cv2.fillPoly(img, [_fx(poly)], _shade(SHORTS, 1.3 if p.tights else 1.1), cv2.LINE_AA, SHIFT)

    def _neck(self, img: np.ndarray, i: int, depth: float) -> None:
        sm, nt = self.px["shoulder_mid"][i], self.px["neck_top"][i]
        draw_capsule(img, sm + 0.3 * (nt - sm), nt, self.r_px(0.05, depth), self.r_px(0.048, depth), SKIN)

    def _head(self, parts, i: int) -> None:
        p = self.params
        c = self.px["head_center"][i]
        depth = float(self.depth["head_center"][i])
        ax = (self.r_px(HEAD_RADII[0], depth), self.r_px(HEAD_RADII[1], depth))
        ax_front = (self.r_px(HEAD_RADII[2], depth), self.r_px(HEAD_RADII[1], depth))
        pt = {
            n: self.px[n][i]
            for n in ("nose", "left_eye", "right_eye", "left_ear", "right_ear", "mouth_left", "mouth_right")
        }
        tilt = (
            float(np.degrees(np.arctan2(*(pt["right_ear"] - pt["left_ear"])[::-1])))
            if p.view != "side"
            else 0.0
        )
        if p.view == "side":
            near = "right" if (p.direction == "right") else "left"
            s = p.sign
            pitch = s * p.trunk_lean_deg / 2

            def draw(img: np.ndarray) -> None:
                _ellipse(img, c, ax, pitch, _shade(SKIN, 0.85))
                _ellipse(img, c + np.array([0.2 * s * ax[0], 0]), (ax[0] * 0.82, ax[1] * 0.95), pitch, SKIN)
                hair_c = c + np.array([-0.18 * s * ax[0], -0.22 * ax[1]])
                cv2.ellipse(
                    img,
                    tuple(_fx(hair_c)),
                    (int(ax[0] * 0.95 * ONE), int(ax[1] * 0.85 * ONE)),
                    pitch,
                    90 + 90 * s,
                    270 + 90 * s + 30 * s,
                    HAIR,
                    -1,
                    cv2.LINE_AA,
                    SHIFT,
                )
                _ellipse(img, hair_c, (ax[0] * 0.8, ax[1] * 0.55), pitch, HAIR)
                _ellipse(img, pt[f"{near}_ear"], (ax[0] * 0.16, ax[1] * 0.22), pitch, _shade(SKIN, 0.8))
                nose = pt["nose"]
                tri = np.array(
                    [
                        nose + np.array([-s * ax[0] * 0.25, -ax[1] * 0.22]),
                        nose + np.array([s * ax[0] * 0.12, ax[1] * 0.05]),
                        nose + np.array([-s * ax[0] * 0.2, ax[1] * 0.1]),
                    ]
                )
                cv2.fillConvexPoly(img, _fx(tri), _shade(SKIN, 0.95), cv2.LINE_AA, SHIFT)
                _ellipse(img, pt[f"{near}_eye"], (ax[0] * 0.1, ax[1] * 0.07), 0, (40, 30, 30))
                m = pt[f"mouth_{near}"]
                cv2.line(
                    img,
                    tuple(_fx(m)),
                    tuple(_fx(m + np.array([s * ax[0] * 0.15, 0]))),
                    (150, 80, 70),
                    1,
                    cv2.LINE_AA,
                    SHIFT,
                )

        elif p.view == "front":

            def draw(img: np.ndarray) -> None:
                for e in ("left_ear", "right_ear"):
                    _ellipse(img, pt[e], (ax_front[0] * 0.2, ax_front[1] * 0.25), tilt, _shade(SKIN, 0.85))
                _ellipse(img, c, ax_front, tilt, SKIN)
                hair_c = c + np.array([0, -0.45 * ax_front[1]])
                cv2.ellipse(
                    img,
                    tuple(_fx(hair_c)),
                    (int(ax_front[0] * 1.02 * ONE), int(ax_front[1] * 0.6 * ONE)),
                    tilt,
                    180,
                    360,
                    HAIR,
                    -1,
                    cv2.LINE_AA,
                    SHIFT,
                )
                for e in ("left_eye", "right_eye"):
                    _ellipse(img, pt[e], (ax_front[0] * 0.16, ax_front[1] * 0.07), tilt, (250, 250, 250))
                    _ellipse(img, pt[e], (ax_front[0] * 0.08, ax_front[1] * 0.065), tilt, (50, 35, 30))
                n = pt["nose"]
                cv2.line(
                    img,
                    tuple(_fx(n + np.array([0, -ax_front[1] * 0.2]))),
                    tuple(_fx(n)),
                    _shade(SKIN, 0.75),
                    2,
                    cv2.LINE_AA,
                    SHIFT,
                )
                cv2.line(
                    img,
                    tuple(_fx(pt["mouth_left"])),
                    tuple(_fx(pt["mouth_right"])),
                    (160, 80, 70),
                    2,
                    cv2.LINE_AA,
                    SHIFT,
                )

        else:

            def draw(img: np.ndarray) -> None:
                for e in ("left_ear", "right_ear"):
                    _ellipse(img, pt[e], (ax_front[0] * 0.2, ax_front[1] * 0.25), tilt, _shade(SKIN, 0.85))
                _ellipse(img, c, ax_front, tilt, SKIN)
                _ellipse(
                    img,
                    c + np.array([0, -0.12 * ax_front[1]]),
                    (ax_front[0] * 1.0, ax_front[1] * 0.9),
                    tilt,
                    HAIR,
                )

        parts.append((depth - 0.3, draw))
