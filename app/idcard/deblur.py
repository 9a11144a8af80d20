"""Undo straight-line motion blur (a hand moving while the photo is taken) before zxing and tesseract.

A blur along a segment of length L multiplies the image's spectrum by a sinc whose zeros repeat
every 1/L: in the cepstrum (the spectrum of the log spectrum) that shows as a sharp negative
peak at the blur vector itself. Knowing the vector, a Wiener filter gives the sharp image back
well enough for zxing to decode a QR of 3-pixel modules blurred over 10 pixels, and for
tesseract to read the text. A sharp photo has no such peak (or only a short one, from the
strokes of the print), so it is left alone. A weaker peak (a close-up's defocus and sensor noise
flatten it into the range a sharp print's strokes reach) counts only when the image is also
much less sharp along it than across it, which print is not: its strokes run both ways.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageOps

SEARCH = 16             # pixels: longest blur looked for
MIN_LENGTH = 5.5        # shorter peaks come from the print itself (stroke widths, line pattern)
MIN_SCORE = 4.0         # how far the peak stands out of the cepstrum around it (standard deviations)
WEAK_SCORE = 2.5        # a weaker peak counts when the image is blurred along it (below)
MAX_ANISOTROPY = 0.55   # gradient energy along / across the peak's direction: ≤ 0.5 blurred, ≥ 0.6 sharp
NOISE_TO_SIGNAL = 0.005  # Wiener regularisation: lower is sharper but rings more on JPEG noise


def blur_vector(gray: np.ndarray) -> tuple[int, int] | None:
    """(dx, dy) of a straight motion blur in a grayscale image, or None when it looks sharp."""
    g = gray.astype(np.float32)
    g -= g.mean()
    h, w = g.shape
    if min(h, w) < 4 * SEARCH:
        return None
    g *= np.outer(np.hanning(h), np.hanning(w)).astype(np.float32)  # no edge step in the spectrum
    spectrum = np.abs(np.fft.rfft2(g))
    cepstrum = np.fft.irfft2(np.log(spectrum + 1e-3), s=g.shape)
    near = np.roll(cepstrum, (SEARCH, SEARCH), (0, 1))[:2 * SEARCH + 1, :2 * SEARCH + 1]
    yy, xx = np.mgrid[-SEARCH:SEARCH + 1, -SEARCH:SEARCH + 1]
    ring = np.hypot(yy, xx) >= 3  # the centre holds the image's own smooth shading
    values = near[ring]
    longer = np.hypot(yy, xx) >= MIN_LENGTH  # a shorter peak is the print's own strokes
    peak = int(np.argmin(np.where(longer, near, np.inf)))
    dy, dx = (int(v) - SEARCH for v in np.unravel_index(peak, near.shape))
    score = (values.mean() - near.flat[peak]) / (values.std() or 1.0)
    if np.hypot(dx, dy) < MIN_LENGTH or score < WEAK_SCORE:
        return None
    if score < MIN_SCORE and anisotropy(gray, (dx, dy)) > MAX_ANISOTROPY:
        return None
    return dx, dy


def anisotropy(gray: np.ndarray, vector: tuple[int, int]) -> float:
    """Gradient energy along `vector` over the energy across it: ~1 for print, low for a blur along it."""
    g = gray.astype(np.float32)
    gx, gy = g[1:-1, 2:] - g[1:-1, :-2], g[2:, 1:-1] - g[:-2, 1:-1]
    c, s = np.asarray(vector, np.float32) / np.hypot(*vector)
    return float(((c * gx + s * gy) ** 2).mean() / max(((c * gy - s * gx) ** 2).mean(), 1e-6))


def deblurred(image: Image.Image, vector: tuple[int, int] | None = None) -> Image.Image | None:
    """The image (grayscale) with its motion blur removed, or None when no blur was found.
    `vector`: the blur to undo; found in the image when not given."""
    gray = np.asarray(ImageOps.grayscale(image), dtype=np.float32)
    vector = vector or blur_vector(gray)
    if vector is None:
        return None
    kernel = np.fft.rfft2(_line_kernel(*vector, gray.shape))
    sharp = np.fft.irfft2(np.fft.rfft2(gray) * np.conj(kernel) / (np.abs(kernel) ** 2 + NOISE_TO_SIGNAL),
                          s=gray.shape)
    return Image.fromarray(np.clip(sharp, 0, 255).astype(np.uint8))


def nearby(vector: tuple[int, int]) -> list[tuple[int, int]]:
    """The blur vectors one pixel off the found one, the likeliest first: the cepstrum's peak is
    on the pixel grid, the real blur is not, and a QR of 3-pixel modules wants it within ~half
    a pixel."""
    dx, dy = vector
    steps = [(0, -1), (0, 1), (-1, 0), (1, 0), (-1, -1), (1, 1), (-1, 1), (1, -1)]
    return [(dx + a, dy + b) for a, b in steps if np.hypot(dx + a, dy + b) >= MIN_LENGTH - 1]


def _line_kernel(dx: float, dy: float, shape: tuple[int, int]) -> np.ndarray:
    """A centred segment from -(dx, dy)/2 to +(dx, dy)/2, anti-aliased, wrapped around the origin."""
    size = int(np.ceil(np.hypot(dx, dy))) + 3
    small = np.zeros((2 * size + 2, 2 * size + 2), np.float32)
    for t in np.linspace(-0.5, 0.5, int(np.hypot(dx, dy) * 8) + 2):
        x, y = size + t * dx, size + t * dy
        x0, y0 = int(np.floor(x)), int(np.floor(y))
        fx, fy = x - x0, y - y0
        small[y0, x0] += (1 - fx) * (1 - fy)
        small[y0, x0 + 1] += fx * (1 - fy)
        small[y0 + 1, x0] += (1 - fx) * fy
        small[y0 + 1, x0 + 1] += fx * fy
    kernel = np.zeros(shape, np.float32)
    kernel[:small.shape[0], :small.shape[1]] = small / small.sum()
    return np.roll(kernel, (-size, -size), (0, 1))
