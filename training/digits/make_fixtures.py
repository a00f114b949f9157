"""Write ~20 small committed PNG line images of HELD-OUT digits for the Swift tests, with
fixtures/truth.json.  All images follow the Line format (README.md): 300 dpi, 8-bit grey,
height 72 (48 + 2 x 12), crops separated by 12 px.

  single_*.png   one box (a held-out MNIST digit)
  field16_*.png  16 boxes (held-out digits, an NIK-like field)
  field*_*.png   a few shorter fields
  empty_*.png    an EMPTY box interior, composed as a single-crop line (truth "")
  printed_*.png  printed digits in DejaVu Sans (out of family for the handwriting model)

truth.json: {"fixtures": {file: {"text", "kind", "spans": [[x0, x1], ...] (columns of each
crop in the line), "mnist_indices", "binarised"}}}.  usage: python3 make_fixtures.py
"""
import json
import os

import numpy as np

import digitlines as dl

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")
SEED = 777


def main():
    os.makedirs(OUT, exist_ok=True)
    images, labels = dl.load_mnist()
    rng = np.random.default_rng(SEED)
    held = rng.permutation(np.array(dl.HELDOUT_RANGE))
    pos = 0
    fixtures = {}

    def take(n):
        nonlocal pos
        idx = held[pos:pos + n]
        pos += n
        return [int(i) for i in idx]

    def write(name, line, text, spans, kind, idx=None, binarised=False):
        dl.save_png(os.path.join(OUT, name), line)
        fixtures[name] = {"text": text, "kind": kind, "spans": [list(s) for s in spans],
                          "mnist_indices": idx, "binarised": binarised}

    plan = ([("single", 1, False)] * 5 + [("single", 1, True)] +
            [("field16", 16, False)] * 4 + [("field16", 16, True)] +
            [("field4", 4, False), ("field8", 8, False), ("field12", 12, True)])
    counters = {}
    for kind, n, binar in plan:
        counters[kind] = counters.get(kind, 0) + 1
        idx = take(n)
        line, text, spans = dl.make_line(images, labels, idx, rng, binarise=binar)
        write("%s_%02d.png" % (kind, counters[kind]), line, text, spans, kind, idx, binar)

    for k in range(2):                                   # empty box interiors
        scan, rect = dl.render_box(None, rng, empty=True)
        line, spans = dl.compose_line([dl.reader_crop(scan, rect)])
        write("empty_%02d.png" % (k + 1), line, "", spans, "empty")

    for k, text in enumerate(["7", "3171234567890003", "0812"]):   # printed DejaVu Sans
        crops = []
        for ch in text:
            scan, rect = dl.render_box(None, rng, printed=ch)
            crops.append(dl.reader_crop(scan, rect))
        line, spans = dl.compose_line(crops)
        write("printed_%02d.png" % (k + 1), line, text, spans, "printed")

    with open(os.path.join(OUT, "truth.json"), "w") as f:
        json.dump({"format": "see training/digits/README.md, Line format",
                   "seed": SEED, "fixtures": fixtures}, f, indent=1)
    print("%d fixtures -> %s" % (len(fixtures), OUT))


if __name__ == "__main__":
    main()
