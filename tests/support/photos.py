"""Generated camera photos of a paper page: an A4 page with text lying skewed on a wooden desk, taken with a
tablet held sideways (pixels stored rotated, EXIF orientation tag 6)."""
from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"
EXIF_ORIENTATION = 0x0112


def page_image(title: str, dpi: int = 100) -> Image.Image:
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("RGB", (width, height), (246, 244, 236))
    draw = ImageDraw.Draw(page)
    draw.text((dpi, dpi), title, fill=(20, 20, 20), font=ImageFont.truetype(FONT, dpi // 2))
    for i in range(14):
        draw.line(
            (dpi, dpi * 2 + i * dpi // 2, width - dpi, dpi * 2 + i * dpi // 2), fill=(90, 90, 90), width=3
        )
    return page


def desk_photo(title: str, angle_deg: float = 9.0, exif_orientation: int = 6, size=(1600, 1200)) -> bytes:
    """The page rotated by `angle_deg` with some perspective, on a brown desk, as the camera stores it."""
    page = np.asarray(page_image(title))
    h, w = page.shape[:2]
    scene_w, scene_h = size[1], size[0]  # portrait scene, as the person sees it
    rng = np.random.default_rng(len(title))
    desk = np.empty((scene_h, scene_w, 3), np.uint8)
    desk[:] = (120, 78, 45)
    desk = np.clip(desk + rng.normal(0, 12, desk.shape), 0, 255).astype(np.uint8)  # wood-ish noise
    scale = 0.72 * scene_h / h
    centre = np.array([scene_w / 2, scene_h / 2])
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]) * scale
    a = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    target = corners @ rot.T + centre
    target[0] += (25, 10)  # the far edge looks shorter: the tablet is held at an angle
    target[1] += (-25, 10)
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), np.float32(target))
    warped = cv2.warpPerspective(page, matrix, (scene_w, scene_h))
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, (scene_w, scene_h)) > 0
    desk[mask] = warped[mask]
    scene = Image.fromarray(desk)
    stored = {6: scene.rotate(90, expand=True), 8: scene.rotate(-90, expand=True),
              3: scene.rotate(180), 1: scene}[exif_orientation]
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = exif_orientation
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()
