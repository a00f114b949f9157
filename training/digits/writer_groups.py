"""CVL validation writers in groups, as IDX prefixes `synth --digits PREFIX` can write with, for
the learning-from-verifiers benchmark (`scripts/learn-benchmark`).

The 18 validation writers of CVL (writer id % 8 == 1, see sources.py; none gave a digit to the
shipped model) are taken in id order and dealt alternately into group A and group B. Group A's
digits are then halved per writer and digit (the first, third, ... instance to A1, the others to
A2), so that A1 and A2 are the same hands with different digits: a batch written with A1 is
verified and learnt from, a batch written with A2 says what that buys when the same enumerators'
next forms come in. Group B is for choices made about learning (writer-disjoint from A).

usage: python3 writer_groups.py OUTDIR    -> OUTDIR/cvlvalA1-*, cvlvalA2-*, cvlvalB-*
"""
import collections
import os
import struct
import sys

import numpy as np

import sources


def write(prefix, images, labels, writers):
    with open(prefix + "-images.idx3-ubyte", "wb") as f:
        f.write(struct.pack(">IIII", 0x803, len(images), 28, 28))
        f.write(images.astype(np.uint8).tobytes())
    with open(prefix + "-labels.idx1-ubyte", "wb") as f:
        f.write(struct.pack(">II", 0x801, len(labels)))
        f.write(labels.astype(np.uint8).tobytes())
    with open(prefix + "-writers.txt", "w") as f:
        f.write("\n".join(writers) + "\n")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    prefix = os.path.join(sources.MORE_DIR, "cvl-train")
    images, labels = sources.load_idx(prefix)
    writers = open(prefix + "-writers.txt").read().split()
    validation = sorted({w for w in writers if int(w) % 8 == 1}, key=int)
    group_a, group_b = set(validation[0::2]), set(validation[1::2])
    seen = collections.Counter()
    picks = {"cvlvalA1": [], "cvlvalA2": [], "cvlvalB": []}
    for i, w in enumerate(writers):
        if w in group_b:
            picks["cvlvalB"].append(i)
        elif w in group_a:
            key = (w, int(labels[i]))
            picks["cvlvalA1" if seen[key] % 2 == 0 else "cvlvalA2"].append(i)
            seen[key] += 1
    for name, idx in picks.items():
        # Stored white-on-black, as in the source files.
        write(os.path.join(out, name), images[idx], labels[idx], [writers[i] for i in idx])
        print("%s: %d digits of %d writers" % (name, len(idx), len({writers[i] for i in idx})))


if __name__ == "__main__":
    main()
