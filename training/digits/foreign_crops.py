"""Box crops as another program would cut them, to judge `pindai read digits` on crops that
synth did not draw.

Nothing here shares code with pindai's synth or with digitlines.py's box simulation: boxes are
drawn with PIL's own rectangle outlines, at a random resolution (200-400 dpi), with a printed
border of random weight and grey, a margin of paper around the box (0-3 mm), the digit pasted
with its own scale and pencil grey, the whole crop rotated by up to +-5 degrees, and saved as
8-bit grey or 1-bit PNG.  The sample's grey is taken as the share of a pixel the pen covered
(its strokes inked in full past a level of 0.15-0.35 once enlarged), as pindai's synth does since
2026-12-07 but in code of its own; `--faint-strokes` pastes the grey as opacity instead.
Rows of 2-16 boxes are drawn the same way.  Some crops may be cut
inside the printed border (no border, no margin), as a program that knows the box would cut.

usage: python3 foreign_crops.py OUTDIR [--source mnist] [--part test] [--count 1000]
         [--row-share 0.2] [--borderless-share 0.2] [--seed 5]
writes OUTDIR/crop_NNNN.png and OUTDIR/truth.json ({file: {"text": digits, "boxes": n}})
"""
import argparse
import json
import os

import numpy as np
from PIL import Image, ImageDraw

import sources


def draw_crop(digits28, rng, borderless=False, pen_strokes=True):
    dpi = int(rng.choice([200, 240, 300, 400]))
    mm = dpi / 25.4
    n = len(digits28)
    bw, bh = 5.0 * mm, 6.0 * mm
    margin = rng.uniform(0, 3.0) * mm
    border = max(1, int(round(rng.uniform(0.15, 0.45) * mm)))
    border_grey = int(rng.uniform(0, 110))
    paper = int(rng.uniform(215, 255))
    W = int(round(2 * margin + n * bw))
    H = int(round(2 * margin + bh))
    img = Image.new("L", (W, H), paper)
    d = ImageDraw.Draw(img)
    if borderless:                                   # cut inside the printed border
        margin = 0.0
        W, H = int(round(n * bw)), int(round(bh))
        img = Image.new("L", (W, H), paper)
    else:
        for k in range(n):
            x0 = margin + k * bw
            d.rectangle([x0, margin, x0 + bw, margin + bh], outline=border_grey, width=border)
    ink_grey = rng.uniform(20, 150)
    stroke_level = rng.uniform(0.15, 0.35) if pen_strokes else None
    for k, a in enumerate(digits28):
        ink = Image.fromarray(a)                     # white on black, 28 x 28
        size = rng.uniform(3.4, 5.2) * mm            # the 28-px frame's height on paper
        ink = ink.resize((int(size), int(size)), Image.BICUBIC)
        cx = margin + (k + 0.5) * bw + rng.normal(0, 0.3) * mm
        cy = margin + 0.5 * bh + rng.normal(0, 0.3) * mm
        layer = Image.new("L", (W, H), 0)
        layer.paste(ink, (int(cx - size / 2), int(cy - size / 2)))
        # The sample's grey is how much of a 28-px pixel the pen covered, not how dark the pen
        # was: strokes are inked in full where the enlarged coverage passes a level of the
        # crop's own (a pencil's edge of 0.1), so thin strokes stay whole at any size.
        la = np.asarray(layer).astype(np.float32) / 255.0
        if stroke_level is not None:
            la = np.clip((la - stroke_level) / 0.1 + 0.5, 0, 1)
        base = np.asarray(img).astype(np.float32)
        img = Image.fromarray(np.clip(base * (1 - la) + ink_grey * la, 0, 255).astype(np.uint8))
    img = img.rotate(rng.uniform(-5, 5), resample=Image.BILINEAR, expand=True, fillcolor=paper)
    a = np.asarray(img).astype(np.float32) + rng.normal(0, 3, (img.height, img.width))
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if rng.random() < 0.3:
        img = img.point(lambda v: 255 if v > (paper + ink_grey) / 2 else 0).convert("1")
    return img, dpi


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--source", default="mnist")
    ap.add_argument("--part", default="test")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--row-share", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--faint-strokes", action="store_true",
                    help="paste the sample's grey as the pencil's opacity (the drawing before 2026-12-07)")
    ap.add_argument("--borderless-share", type=float, default=0.0,
                    help="share of crops cut inside the printed border (no border, no margin)")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    s = sources.Source(a.source)
    pool = s.indices(a.part)
    rng = np.random.default_rng(a.seed)
    cut = np.random.default_rng([a.seed, 99])      # its own stream: other crops stay the same
    truth = {}
    for i in range(a.count):
        n = int(rng.integers(2, 17)) if rng.random() < a.row_share else 1
        idx = rng.choice(pool, n, replace=False)
        img, dpi = draw_crop([s.images[j] for j in idx], rng,
                             borderless=cut.random() < a.borderless_share, pen_strokes=not a.faint_strokes)
        name = "crop_%04d.png" % i
        img.save(os.path.join(a.outdir, name), dpi=(dpi, dpi))
        truth[name] = {"text": "".join(str(int(s.labels[j])) for j in idx), "boxes": n}
    with open(os.path.join(a.outdir, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1, sort_keys=True)
    print("wrote %d crops of %s@%s to %s" % (a.count, a.source, a.part, a.outdir))


if __name__ == "__main__":
    main()
