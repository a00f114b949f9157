"""A sheet of training samples (`samples.png`): lines exactly as gen_lines.py makes them, four
per source, the first of each biased to 1s and 7s to show the flagged, footed and crossed forms.

usage: python3 make_sheet.py [--out samples.png] [--seed 3]
"""
import argparse
import os

import numpy as np
from PIL import Image

import digitlines as dl
import sources

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "samples.png"))
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    rows, width = [], 810
    for name, s in sources.load_all().items():
        train = s.indices("train")
        for k in range(4):
            pool = train[np.isin(s.labels[train], [1, 7])] if k == 0 else train
            line, _, _ = dl.make_line(s.images, s.labels, rng.choice(pool, 16), rng,
                                      binarise=rng.random() < 0.3)
            line = line[:, :width]
            rows.append(np.pad(line, ((0, 0), (0, width - line.shape[1])), constant_values=255))
    Image.fromarray(np.concatenate(rows, 0)).save(a.out)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
