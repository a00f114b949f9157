"""Shared code for the handwritten-digit recipe: MNIST loading, box simulation and line composition.

Everything here follows the "Line format" in README.md.  A line is built as the Swift reader
builds it:  scan of a printed 5.0 x 6.0 mm box (300 dpi)  ->  crop of the box interior
(inset 0.6 mm, registration jitter)  ->  normalise by the 90th percentile  ->  resize to
height 48  ->  compose crops on a white canvas with 12 px margins / gaps.

The simulated scan of a box is where all augmentation happens (see `render_box`).
"""
import os
import struct

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 300
MM = DPI / 25.4                  # pixels per millimetre (11.81)
BOX_W_MM, BOX_H_MM = 5.0, 6.0    # printed digit box
BORDER_MM = 0.3                  # printed border thickness
INSET_MM = 0.6                   # the reader crops the box inset by this on every side
LINE_H = 48                      # crop height after resizing
MARGIN = 12                      # white margin around the line and between crops
# Every pixel at least this light is paper: set to 255 once the line is composed. Tesseract sets
# its black and white levels from the line's middle row only, so on a noisy paper texture the
# float model sees inputs far below -1 (it learnt to live with them) while an integer model clips
# them to [-1, 1] and reads another image. Flat paper keeps both in range (0 turns it off, for
# comparisons with lines made before 2026-12-06).
WHITE = int(os.environ.get("PINDAI_LINE_WHITE", "230"))
# Share of digits given an elastic distortion (Simard, Steinkraus & Platt 2003: a smooth random
# displacement field, sigma 4 px and strength 15-30 on the 28-px sample): one writer's digit
# bent into the shapes other writers give it, beyond what scale, slant and rotation make.
ELASTIC = float(os.environ.get("PINDAI_LINE_ELASTIC", "0"))

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data", "handwritten-digits")
TRAIN_RANGE = range(0, 3200)     # fixed split: only these are used for training
HELDOUT_RANGE = range(3200, 4000)


def load_mnist(data_dir=DATA):
    """Return (images uint8 [n,28,28] white-on-black, labels uint8 [n])."""
    with open(os.path.join(data_dir, "mnist-4000-images.idx3-ubyte"), "rb") as f:
        magic, n, h, w = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803
        images = np.frombuffer(f.read(n * h * w), np.uint8).reshape(n, h, w)
    with open(os.path.join(data_dir, "mnist-4000-labels.idx1-ubyte"), "rb") as f:
        magic, n2 = struct.unpack(">II", f.read(8))
        assert magic == 0x801 and n2 == n
        labels = np.frombuffer(f.read(n), np.uint8)
    return images, labels


# ----------------------------------------------------------------------------------------------
# Reader-side steps (must match the Swift reader exactly)
# ----------------------------------------------------------------------------------------------

def interior_rect(box_x0, box_y0):
    """Nominal interior of a box whose top-left corner is at (box_x0, box_y0), in float px."""
    i = INSET_MM * MM
    return (box_x0 + i, box_y0 + i, box_x0 + BOX_W_MM * MM - i, box_y0 + BOX_H_MM * MM - i)


def normalise(crop):
    """bg = 90th percentile (>= 64); v -> min(255, round(v * 255 / bg))."""
    a = crop.astype(np.float64)
    bg = max(64.0, float(np.percentile(a, 90)))
    return np.minimum(255, np.round(a * 255.0 / bg)).astype(np.uint8)


def resize_to_line_height(crop):
    """Height 48, width round(w * 48 / h); area/bilinear resampling (PIL BILINEAR is
    area-weighted when shrinking)."""
    h, w = crop.shape
    nw = max(1, int(round(w * LINE_H / h)))
    return np.asarray(Image.fromarray(crop).resize((nw, LINE_H), Image.BILINEAR))


def compose_line(crops):
    """White canvas, crops left to right, 12 px margin all round and between crops.
    Returns (uint8 image, list of (x0, x1) column spans of each crop)."""
    width = 2 * MARGIN + sum(c.shape[1] for c in crops) + MARGIN * (len(crops) - 1)
    line = np.full((LINE_H + 2 * MARGIN, width), 255, np.uint8)
    spans, x = [], MARGIN
    for c in crops:
        line[MARGIN:MARGIN + LINE_H, x:x + c.shape[1]] = c
        spans.append((x, x + c.shape[1]))
        x += c.shape[1] + MARGIN
    if WHITE:
        line[line >= WHITE] = 255
    return line, spans


def reader_crop(scan, rect):
    """Crop the interior (x0, y0, x1, y1 in float px, rounded) then normalise and resize."""
    x0, y0, x1, y1 = (int(round(v)) for v in rect)
    return resize_to_line_height(normalise(scan[y0:y1, x0:x1]))


def save_png(path, img):
    Image.fromarray(img).save(path, dpi=(DPI, DPI))


# ----------------------------------------------------------------------------------------------
# Scan simulation (training augmentation)
# ----------------------------------------------------------------------------------------------

def gaussian_blur(a, sigma):
    """Separable Gaussian blur of a float array (edge-replicated)."""
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    p = np.pad(a, r, mode="edge")
    p = sum(k[i] * p[:, i:i + a.shape[1]] for i in range(2 * r + 1))
    return sum(k[i] * p[i:i + a.shape[0], :] for i in range(2 * r + 1))


def elastic(ink, rng, alpha, sigma=4.0):
    """`ink` (float, any size) resampled through a smooth random displacement field of
    standard deviation about alpha / 25 px (bilinear, edges clamped)."""
    h, w = ink.shape
    dx = gaussian_blur(rng.uniform(-1, 1, (h, w)), sigma) * alpha
    dy = gaussian_blur(rng.uniform(-1, 1, (h, w)), sigma) * alpha
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    x = np.clip(xx + dx, 0, w - 1.001)
    y = np.clip(yy + dy, 0, h - 1.001)
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    return ((1 - fy) * ((1 - fx) * ink[y0, x0] + fx * ink[y0, x0 + 1])
            + fy * ((1 - fx) * ink[y0 + 1, x0] + fx * ink[y0 + 1, x0 + 1])).astype(np.float32)


def clean_background(img28):
    """Some sources (CVL) carry a grey scanning background: subtract it so that only strokes
    remain (MNIST-format images should have 0 there)."""
    a = img28.astype(np.float32)
    edge = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
    bg = float(np.median(edge))
    if bg < 4:
        return img28
    top = max(float(a.max()), bg + 1)
    return np.clip((a - bg - 6) * 255.0 / (top - bg - 6), 0, 255).astype(np.uint8)


def _stroke_px(ink):
    """Typical stroke width (px) of a 28x28 digit: median length of horizontal ink runs."""
    runs = []
    for row in ink > 100:
        r = 0
        for v in row:
            if v:
                r += 1
            elif r:
                runs.append(r)
                r = 0
        if r:
            runs.append(r)
    return float(np.median(runs)) if runs else 2.0


def _draw_strokes(img28, segments, width):
    """Draw straight strokes (in 28x28 px coordinates) into a copy of the digit, antialiased."""
    sup = 4
    layer = Image.new("L", (28 * sup, 28 * sup), 0)
    d = ImageDraw.Draw(layer)
    for (x0, y0), (x1, y1) in segments:
        d.line([(x0 * sup, y0 * sup), (x1 * sup, y1 * sup)], fill=255,
               width=max(1, int(round(width * sup))))
        r = width * sup / 2
        for x, y in ((x0, y0), (x1, y1)):
            d.ellipse([x * sup - r, y * sup - r, x * sup + r, y * sup + r], fill=255)
    add = np.asarray(layer.resize((28, 28), Image.BOX))
    return np.maximum(img28, add)


def style(img28, label, rng):
    """Continental-European digit forms that MNIST, USPS and optdigits rarely show:
    a 1 with a long flag (and often a foot), a crossed 7.  (Open 4s and straight-tailed 9s
    come from CVL's real writers.)  Applied to some 1s and 7s of every source."""
    img28 = clean_background(img28)
    if label not in (1, 7) or rng.random() > 0.45:
        return img28
    ys, xs = np.nonzero(img28 > 100)
    if len(ys) < 8:
        return img28
    top, bottom = ys.min(), ys.max()
    h = bottom - top + 1
    w = max(3.0, _stroke_px(img28) * rng.uniform(0.8, 1.1))
    segs = []
    if label == 1:
        xt = xs[ys <= top + 1].mean()
        xb = xs[ys >= bottom - 1].mean()
        L = h * rng.uniform(0.28, 0.5)
        ang = np.deg2rad(rng.uniform(15, 55))              # below the horizontal
        segs.append(((xt, top + 0.5), (xt - L * np.cos(ang), top + 0.5 + L * np.sin(ang))))
        if rng.random() < 0.45:                             # a foot
            half = h * rng.uniform(0.18, 0.3)
            segs.append(((xb - half, bottom - 0.5), (xb + half, bottom - 0.5)))
    else:
        y = int(round(top + h * rng.uniform(0.45, 0.62)))
        row = xs[np.abs(ys - y) <= 1]
        if len(row) == 0:
            return img28
        xc = row.mean()
        half = h * rng.uniform(0.16, 0.28)
        tilt = rng.uniform(-1.0, 1.0)
        segs.append(((xc - half, y + tilt), (xc + half, y - tilt)))
    return _draw_strokes(img28, segs, w)


PAD = 14  # px of paper around the simulated box (room for neighbours' borders and jitter)


def _digit_ink(mnist28, rng):
    """MNIST digit -> ink coverage map in [0,1] at 300 dpi, with random size, rotation,
    slant and stroke width.  Returns float32 array (h, w)."""
    ink = mnist28.astype(np.float32) / 255.0
    ys, xs = np.nonzero(ink > 0.1)
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    ink = np.pad(ink, 3)
    if ELASTIC > 0 and rng.random() < ELASTIC:
        ink = elastic(ink, rng, rng.uniform(15, 30))
    h28 = ys.max() - ys.min() + 1
    r = rng.random()                                    # digit height on paper:
    if r < 0.1:
        target_h = rng.uniform(2.0, 2.8) * MM           # very small
    elif r < 0.2:
        target_h = rng.uniform(4.8, 5.8) * MM           # very large (overruns the border)
    else:
        target_h = rng.uniform(2.8, 4.8) * MM
    s = target_h / h28                                  # scale MNIST px -> 300-dpi px
    s_x = s * rng.uniform(0.85, 1.15)                   # a little aspect variation
    ang = np.deg2rad(rng.uniform(-8, 8))
    shear = rng.uniform(-0.36, 0.36)                    # slant up to about +-20 degrees
    # forward map: p' = R * Sh * S * (p - c_in); inverse needed by PIL
    S = np.array([[s_x, 0], [0, s]])
    Sh = np.array([[1, shear], [0, 1]])
    R = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    A = R @ Sh @ S
    h, w = ink.shape
    corners = np.array([[0, 0], [w, 0], [0, h], [w, h]], float) - [w / 2, h / 2]
    out = corners @ A.T
    ow = int(np.ceil(out[:, 0].max() - out[:, 0].min())) + 2
    oh = int(np.ceil(out[:, 1].max() - out[:, 1].min())) + 2
    Ainv = np.linalg.inv(A)
    # input = Ainv @ (out - c_out) + c_in
    c_out = np.array([ow / 2, oh / 2])
    c_in = np.array([w / 2, h / 2])
    off = c_in - Ainv @ c_out
    coeffs = (Ainv[0, 0], Ainv[0, 1], off[0], Ainv[1, 0], Ainv[1, 1], off[1])
    img = Image.fromarray((ink * 255).astype(np.uint8)).transform(
        (ow, oh), Image.AFFINE, coeffs, resample=Image.BICUBIC)
    ink = np.asarray(img).astype(np.float32) / 255.0
    # stroke width: morphological thin / thicken, then a soft threshold (pencil edge)
    r = rng.random()
    if r < 0.25:
        ink = np.asarray(Image.fromarray((ink * 255).astype(np.uint8)).filter(
            ImageFilter.MaxFilter(3))).astype(np.float32) / 255.0
    elif r < 0.45:
        ink = np.asarray(Image.fromarray((ink * 255).astype(np.uint8)).filter(
            ImageFilter.MinFilter(3))).astype(np.float32) / 255.0
    t = rng.uniform(0.2, 0.6)
    ink = np.clip((ink - t) / 0.25 + 0.5, 0, 1)
    ys, xs = np.nonzero(ink > 0.05)
    if len(ys) == 0:          # thinned away: fall back to a plain threshold
        return _digit_ink(mnist28, rng)
    return ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def render_box(mnist28, rng, binarise=False, empty=False, printed=None):
    """Simulate the 300-dpi scan of one printed box (with its neighbours' borders) holding a
    pencil digit (or nothing, or a printed character `printed` rendered in DejaVu Sans).
    Returns (scan uint8 [H,W], interior rect in scan coordinates incl. registration jitter)."""
    bw, bh = BOX_W_MM * MM, BOX_H_MM * MM
    H = int(np.ceil(bh)) + 2 * PAD
    W = int(np.ceil(bw)) + 2 * PAD
    bx0, by0 = PAD + rng.uniform(0, 1), PAD + rng.uniform(0, 1)   # sub-pixel phase

    # paper with uneven background
    paper = rng.uniform(200, 255)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    grad = rng.uniform(-12, 12) * (xx / W - 0.5) + rng.uniform(-12, 12) * (yy / H - 0.5)
    low = np.asarray(Image.fromarray(rng.normal(0, 1, (4, 4)).astype(np.float32), mode="F")
                     .resize((W, H), Image.BICUBIC)) * rng.uniform(0, 5)
    img = paper + grad + low

    # printed border: contiguous boxes, so the neighbours' shared borders are the same lines
    t = rng.uniform(0.28, 0.42) * MM
    sup = 4  # supersample the thin border lines
    big = Image.new("L", (W * sup, H * sup), 0)
    d = ImageDraw.Draw(big)
    for x in (bx0 - bw, bx0, bx0 + bw, bx0 + 2 * bw):      # verticals (box + neighbours)
        d.rectangle([x * sup, 0, (x + t) * sup, H * sup], fill=255)
    for y in (by0, by0 + bh - t):                            # horizontals
        d.rectangle([0, y * sup, W * sup, (y + t) * sup], fill=255)
    border = np.asarray(big.resize((W, H), Image.BOX)).astype(np.float32) / 255.0
    border_ink = rng.uniform(20, 150)
    img = img * (1 - border) + border_ink * border
    ref_ink = border_ink

    if printed is not None:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                                  int(rng.uniform(3.2, 4.2) * MM * 1.35))
        layer = Image.new("L", (W, H), 0)
        ImageDraw.Draw(layer).text((bx0 + bw / 2, by0 + bh / 2), printed, fill=255,
                                   font=font, anchor="mm")
        ink = np.asarray(layer).astype(np.float32) / 255.0
        ref_ink = rng.uniform(20, 60)
        img = img * (1 - ink) + ref_ink * ink
    elif not empty:
        ink = _digit_ink(mnist28, rng)
        h, w = ink.shape
        # position jitter: the digit stays inside the box's inner edge (border)
        free_x = max(0.0, bw - 2 * t - 2 - w)
        free_y = max(0.0, bh - 2 * t - 2 - h)
        cx = bx0 + t + 1 + w / 2 + free_x * np.clip(rng.normal(0.5, 0.2), 0, 1)
        cy = by0 + t + 1 + h / 2 + free_y * np.clip(rng.normal(0.5, 0.2), 0, 1)
        if rng.random() < 0.12:      # written carelessly: touches or crosses the border
            cx += rng.choice([-1, 1]) * rng.uniform(0.5, 1.2) * MM * 0.5
            cy += rng.choice([-1, 1]) * rng.uniform(0.5, 1.2) * MM
        if h > bh - 2 * t - 2:       # a digit taller than the box sits on its middle
            cy = by0 + bh / 2 + rng.normal(0, 0.3) * MM
        x0, y0 = int(round(cx - w / 2)), int(round(cy - h / 2))
        layer = np.zeros((H, W), np.float32)
        ys0, xs0 = max(0, y0), max(0, x0)
        ys1, xs1 = min(H, y0 + h), min(W, x0 + w)
        layer[ys0:ys1, xs0:xs1] = ink[ys0 - y0:ys1 - y0, xs0 - x0:xs1 - x0]
        if rng.random() < 0.12:      # broken strokes: the pencil skipped in places
            holes = np.asarray(Image.fromarray((rng.random((max(2, H // 6), max(2, W // 6)))
                                                * 255).astype(np.uint8)).resize((W, H), Image.BICUBIC))
            layer = layer * (holes > rng.uniform(40, 90)).astype(np.float32)
        if rng.random() < 0.25:
            # ballpoint: even, dark, no graphite grain
            ref_ink = rng.uniform(10, 90)
        else:
            # pencil: graphite grain modulates coverage; ink grey 40-200 but darker than paper;
            # some very faint
            grain = np.clip(rng.normal(1.0, rng.uniform(0.0, 0.25), (H, W)), 0.3, 1.0)
            layer = layer * grain.astype(np.float32)
            if rng.random() < 0.1:
                ref_ink = max(0.0, paper - rng.uniform(35, 60))
            else:
                ref_ink = rng.uniform(40, min(200, paper - 40))
        img = img * (1 - layer) + ref_ink * layer

    # scanner: mild blur, noise
    sigma = rng.uniform(0, 1.0)
    if sigma > 0.3:
        img = gaussian_blur(img, sigma)
    img = img + rng.normal(0, rng.uniform(0, 8), img.shape)
    img = np.clip(np.round(img), 0, 255).astype(np.uint8)
    if binarise:
        # a 1-bit scan: one global threshold somewhere between this box's ink and paper
        # (a threshold above the paper or below the ink would leave no digit to read; the
        # reader would call such a box empty, so it never reaches a line)
        thr = ref_ink + rng.uniform(0.4, 0.75) * (paper - ref_ink)
        img = np.where(img > thr, 255, 0).astype(np.uint8)

    # registration error: the reader's crop is off by up to +-4 px (plus +-1 px per edge)
    dx, dy = rng.uniform(-4, 4), rng.uniform(-4, 4)
    x0, y0, x1, y1 = interior_rect(bx0, by0)
    rect = (x0 + dx + rng.uniform(-1, 1), y0 + dy + rng.uniform(-1, 1),
            x1 + dx + rng.uniform(-1, 1), y1 + dy + rng.uniform(-1, 1))
    return img, rect


def make_line(images, labels, indices, rng, binarise=False):
    """Compose one training/eval line from MNIST `indices`. Returns (line, text, spans)."""
    crops = []
    for i in indices:
        scan, rect = render_box(style(images[i], int(labels[i]), rng), rng, binarise=binarise)
        crops.append(reader_crop(scan, rect))
    line, spans = compose_line(crops)
    return line, "".join(str(int(labels[i])) for i in indices), spans


def line_length(rng):
    """Mostly single boxes, many 16-digit (NIK) fields, and a spread of 2-15."""
    r = rng.random()
    if r < 0.40:
        return 1
    if r < 0.65:
        return 16
    return int(rng.integers(2, 16))
