"""Tick-box crops as another program would cut them, to judge `pindai read marks` on crops synth
did not draw: PIL rectangles (4 mm boxes, border 0.2-0.4 mm), paper around the box (0-2.5 mm),
200-400 dpi, rotated up to +-4 degrees, grey or 1-bit, holding nothing, a tick, a cross, a
scribble, or a box filled in completely (the printed correction rule: cancelled).

usage: python3 foreign_marks.py OUTDIR [--count 40] [--seed 3]
writes OUTDIR/mark_NNNN.png and OUTDIR/truth.json ({file: "empty" | "marked" | "cancelled"})
"""
import argparse
import json
import os

import numpy as np
from PIL import Image, ImageDraw

KINDS = ["empty", "tick", "cross", "scribble", "filled"]


def draw(kind, rng):
    dpi = int(rng.choice([200, 240, 300, 400]))
    mm = dpi / 25.4
    box, margin = 4.0 * mm, rng.uniform(0, 2.5) * mm
    W = H = int(round(box + 2 * margin))
    paper = int(rng.uniform(215, 255))
    img = Image.new("L", (W, H), paper)
    d = ImageDraw.Draw(img)
    d.rectangle([margin, margin, margin + box, margin + box], outline=int(rng.uniform(0, 100)),
                width=max(1, int(round(rng.uniform(0.2, 0.4) * mm))))
    ink = int(rng.uniform(20, 110))
    w = max(1, int(round(rng.uniform(0.3, 0.55) * mm)))

    def at(fx, fy):
        return (margin + fx * box + rng.normal(0, 0.1) * mm, margin + fy * box + rng.normal(0, 0.1) * mm)
    if kind == "tick":
        d.line([at(0.2, 0.5), at(0.42, 0.82), at(rng.uniform(0.85, 1.1), rng.uniform(-0.1, 0.15))], fill=ink, width=w)
    elif kind == "cross":
        d.line([at(0.15, 0.15), at(0.85, 0.85)], fill=ink, width=w)
        d.line([at(0.85, 0.15), at(0.15, 0.85)], fill=ink, width=w)
    elif kind == "scribble":
        d.line([at(0.2 if i % 2 == 0 else 0.8, 0.2 + 0.15 * i) for i in range(5)], fill=ink, width=w)
    elif kind == "filled":
        d.rectangle([margin - 0.2 * mm, margin - 0.2 * mm, margin + box + 0.2 * mm, margin + box + 0.2 * mm], fill=ink)
    img = img.rotate(rng.uniform(-4, 4), resample=Image.BILINEAR, expand=True, fillcolor=paper)
    if rng.random() < 0.3:
        img = img.point(lambda v: 255 if v > (paper + ink) / 2 else 0).convert("1")
    return img, dpi


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    truth = {}
    for i in range(a.count):
        kind = KINDS[i % len(KINDS)]
        img, dpi = draw(kind, rng)
        name = "mark_%04d.png" % i
        img.save(os.path.join(a.outdir, name), dpi=(dpi, dpi))
        truth[name] = {"empty": "empty", "filled": "cancelled"}.get(kind, "marked")
    json.dump(truth, open(os.path.join(a.outdir, "truth.json"), "w"), indent=1, sort_keys=True)
    print("wrote %d crops to %s" % (a.count, a.outdir))


if __name__ == "__main__":
    main()
