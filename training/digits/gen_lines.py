"""Generate augmented training lines from the TRAINING part of every digit source (MNIST, CVL,
USPS, optdigits; see sources.py for the writer-disjoint split) and turn them into .lstmf files
for lstmtraining.  Each line's digits come from one source, drawn by `sources.TRAIN_WEIGHTS`
(a line is one writer population, as a field on a form is one enumerator's hand).

Lines are written in chunks: each chunk is one multi-page TIFF (one line per page) with a
WordStr-free box file (one full-line box per character, page number in column 6), and
`tesseract chunk.tif chunk --psm 13 lstm.train` turns it into chunk.lstmf.  One tesseract call
per chunk instead of per line keeps the whole step to a minute or two.  Each chunk has its own
seed, so the output does not depend on how many worker processes are used.

usage: python3 gen_lines.py OUTDIR --lines 24000 --seed 1 [--chunk 400] [--jobs 2]
writes OUTDIR/chunk_NNNN.lstmf and OUTDIR/all.txt (list of the .lstmf files)
"""
import argparse
import os
import subprocess
from multiprocessing import Pool

import numpy as np
from PIL import Image

import digitlines as dl
import sources

BINARISED_SHARE = 0.30
_SOURCES = None


def _sources():
    global _SOURCES
    if _SOURCES is None:
        _SOURCES = sources.load_all()
    return _SOURCES


def make_chunk(args):
    outdir, k, n, seed, keep_images = args
    base = os.path.join(outdir, "chunk_%04d" % k)
    if os.path.exists(base + ".lstmf"):
        return base + ".lstmf"
    srcs = _sources()
    names = sorted(srcs)
    weights = np.array([sources.TRAIN_WEIGHTS[n] for n in names])
    rng = np.random.default_rng([seed, k])
    pages, box, truth = [], [], []
    for p in range(n):
        s = srcs[names[rng.choice(len(names), p=weights / weights.sum())]]
        idx = rng.choice(s.indices("train"), dl.line_length(rng))
        line, text, _ = dl.make_line(s.images, s.labels, idx, rng,
                                     binarise=rng.random() < BINARISED_SHARE)
        h, w = line.shape
        pages.append(Image.fromarray(line))
        # one box per character spanning the whole line, then the end-of-line tab box
        box += ["%s 0 0 %d %d %d" % (c, w, h, p) for c in text]
        box.append("\t 0 0 %d %d %d" % (w, h, p))
        truth.append(text)
    pages[0].save(base + ".tif", save_all=True, append_images=pages[1:],
                  compression="tiff_adobe_deflate", dpi=(dl.DPI, dl.DPI))
    with open(base + ".box", "w") as f:
        f.write("\n".join(box) + "\n")
    with open(base + ".gt.txt", "w") as f:
        f.write("\n".join(truth) + "\n")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    subprocess.run(["tesseract", base + ".tif", base, "--psm", "13", "lstm.train"],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not keep_images:
        os.remove(base + ".tif")
    return base + ".lstmf"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--lines", type=int, default=24000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=400)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep-images", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    nchunks = (a.lines + a.chunk - 1) // a.chunk
    jobs = [(a.outdir, k, min(a.chunk, a.lines - k * a.chunk), a.seed, a.keep_images)
            for k in range(nchunks)]
    if a.jobs <= 1:
        # No pool for one job: Python's Pool was seen to hang at exit (a worker waiting on a lock
        # while the parent joined it), which stalled `pindai learn`.
        files = [make_chunk(j) for j in jobs]
    else:
        with Pool(a.jobs) as pool:
            files = pool.map(make_chunk, jobs, chunksize=1)
            pool.close()
            pool.join()
    with open(os.path.join(a.outdir, "all.txt"), "w") as f:
        f.write("\n".join(os.path.abspath(p) for p in files) + "\n")
    print("%d lines in %d chunks -> %s" % (a.lines, nchunks, a.outdir))


if __name__ == "__main__":
    main()
