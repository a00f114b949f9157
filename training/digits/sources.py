"""Digit sources for training and evaluation, with a fixed, writer-disjoint split.

Every source is an IDX pair in MNIST's format.  Each digit belongs to exactly one part:

  train       the only digits `gen_lines.py` draws from
  validation  every choice (checkpoint, calibration, thresholds) is made on these
  test        reported only; nothing is chosen on them

The rule is the same in Swift (`DigitSource.Part`, `Sources/HandwrittenDigits/DigitSource.swift`):

  mnist      indices 0..3199 train, 3200..3599 validation, 3600..3999 test
  cvl        by WRITER id (cvl-train-writers.txt): id % 8 == 0 test, id % 8 == 1 validation,
             else train -- a validation or test writer gives no digit to training
  usps       no writer ids: index % 8 == 0 test, index % 8 == 1 validation, else train
  optdigits  no writer ids (30 writers, shuffled): the same index rule

USPS and optdigits ship without writer ids, so their validation and test parts share writers
with training: their figures are optimistic for new writers of those populations.  The CVL,
USPS and optdigits files are read from `../shared/data/handwritten-digits-more/` (their
licences are not stated, so the repository does not copy them; set PINDAI_DIGITS_MORE to
point elsewhere).
"""
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MNIST_DIR = os.path.join(ROOT, "data", "handwritten-digits")
MORE_DIR = os.environ.get("PINDAI_DIGITS_MORE",
                          os.path.join(ROOT, "..", "shared", "data", "handwritten-digits-more"))

PARTS = ("train", "validation", "test")

# name -> (directory, file prefix, population shown in reports)
SOURCES = {
    "mnist": (MNIST_DIR, "mnist-4000", "MNIST (US census staff and students)"),
    "cvl": (MORE_DIR, "cvl-train", "European students (CVL, Vienna)"),
    "usps": (MORE_DIR, "usps-train", "US mail ZIP codes (USPS)"),
    "optdigits": (MORE_DIR, "optdigits-train", "NIST form writers (optdigits)"),
}

# share of training lines drawn from each source (the European hands matter most)
TRAIN_WEIGHTS = {"mnist": 0.2, "cvl": 0.45, "usps": 0.2, "optdigits": 0.15}


def load_idx(prefix):
    """Return (images uint8 [n,28,28] white-on-black, labels uint8 [n])."""
    with open(prefix + "-images.idx3-ubyte", "rb") as f:
        magic, n, h, w = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803, prefix
        images = np.frombuffer(f.read(n * h * w), np.uint8).reshape(n, h, w)
    with open(prefix + "-labels.idx1-ubyte", "rb") as f:
        magic, n2 = struct.unpack(">II", f.read(8))
        assert magic == 0x801 and n2 == n, prefix
        labels = np.frombuffer(f.read(n), np.uint8)
    return images, labels


# Share of CVL's training writers the recipe may draw from (1 = all). A learning-curve
# experiment: how much the European figure depends on the number of European writers. The
# writers left out are marked "unused"; validation and test writers stay as they are.
CVL_TRAIN_WRITER_SHARE = float(os.environ.get("PINDAI_CVL_TRAIN_WRITER_SHARE", "1"))


def kept_training_writer(writer_id):
    """Whether a CVL training writer is among the first CVL_TRAIN_WRITER_SHARE of them, in a
    fixed pseudo-random order of their ids."""
    return (writer_id * 2654435761 % 2**32) / 2**32 < CVL_TRAIN_WRITER_SHARE


def part_of(name, n, writers=None):
    """Array of part names ('train' / 'validation' / 'test', or 'unused') for each of n digits."""
    idx = np.arange(n)
    if name == "mnist":
        return np.where(idx < 3200, "train", np.where(idx < 3600, "validation", "test"))
    key = np.array([int(w) for w in writers]) if writers is not None else idx
    parts = np.where(key % 8 == 0, "test", np.where(key % 8 == 1, "validation", "train")).astype(object)
    if name == "cvl" and CVL_TRAIN_WRITER_SHARE < 1:
        kept = np.array([kept_training_writer(int(k)) for k in key])
        parts = np.where((parts == "train") & ~kept, "unused", parts)
    return parts.astype(str)


class Source:
    """One IDX source with its split."""

    def __init__(self, name):
        d, prefix, population = SOURCES[name]
        self.name, self.population = name, population
        self.images, self.labels = load_idx(os.path.join(d, prefix))
        wpath = os.path.join(d, prefix + "-writers.txt")
        self.writers = None
        if os.path.exists(wpath):
            self.writers = [l.strip() for l in open(wpath) if l.strip()]
            assert len(self.writers) == len(self.labels), wpath
        self.part = part_of(name, len(self.labels), self.writers)

    def indices(self, part):
        return np.nonzero(self.part == part)[0]

    def writer(self, i):
        return self.writers[i] if self.writers is not None else None


def load_all(names=None):
    return {n: Source(n) for n in (names or SOURCES)}


if __name__ == "__main__":
    for s in load_all().values():
        counts = {p: len(s.indices(p)) for p in PARTS}
        wr = ""
        if s.writers is not None:
            wr = " writers " + ", ".join(
                "%s %d" % (p, len({s.writers[i] for i in s.indices(p)})) for p in PARTS)
        print("%-10s %s%s" % (s.name, counts, wr))
