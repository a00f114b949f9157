"""The model alone, per writer population: digits of one part of every source (validation by
default, the part choices are made on; `--part test` only to report) rendered into 16-box lines
with the training augmentation family (other seeds), read through libtesseract as the Swift
reader reads them.

Prints per source: digits right, 16-digit lines fully right, and the error left among digits
kept when the least confident 10 % (by raw symbol confidence) are rejected.  With several
`--model` files it compares them on the same lines (how a checkpoint is chosen).

usage: python3 eval_sources.py [--part validation] [--lines 150] [--seed 4242]
         [--model models/digits.traineddata ...] [--json out.json]
"""
import argparse
import json
import os

import numpy as np

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
import digitlines as dl  # noqa: E402
import eval as ev  # noqa: E402
import sources  # noqa: E402
import tessapi  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def render(src, part, n_lines, seed):
    rng = np.random.default_rng([seed, sorted(sources.SOURCES).index(src.name)])
    pool = src.indices(part)
    out = []
    for _ in range(n_lines):
        idx = rng.choice(pool, 16, replace=len(pool) < 16)
        out.append(dl.make_line(src.images, src.labels, idx, rng, binarise=rng.random() < 0.3))
    return out


def judge(tess, lines):
    digits, per_line, ms, _ = ev.read_lines(tess, lines)
    acc = ev.accuracy(digits)["accuracy"]
    rej = ev.rejection(digits, shares=(0.10,))["10%"]["error_rate_accepted"]
    return {"digits": len(digits), "accuracy": acc, "lines_fully_right": sum(per_line) / len(per_line),
            "error_after_rejecting_10pct": rej, "ms_per_digit": ms}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", default="validation", choices=["validation", "test"])
    ap.add_argument("--lines", type=int, default=150)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--model", nargs="+",
                    default=[os.path.join(HERE, "..", "..", "models", "digits.traineddata")])
    ap.add_argument("--json")
    a = ap.parse_args()
    srcs = sources.load_all()
    sets = {n: render(s, a.part, a.lines, a.seed) for n, s in srcs.items()}
    results = {}
    for model in a.model:
        path = os.path.abspath(model)
        tess = tessapi.Tess(os.path.dirname(path), os.path.basename(path).rsplit(".traineddata", 1)[0])
        results[model] = {n: judge(tess, lines) for n, lines in sets.items()}
        print("%s (%s part, %d lines of 16 per source)" % (model, a.part, a.lines))
        for n, r in results[model].items():
            print("  %-10s digits %.2f %%  lines fully right %.1f %%  error after rejecting 10 %%: %.2f %%"
                  % (n, 100 * r["accuracy"], 100 * r["lines_fully_right"], 100 * r["error_after_rejecting_10pct"]))
        mean = np.mean([r["accuracy"] for r in results[model].values()])
        print("  mean digits right over sources: %.2f %%" % (100 * mean))
    if a.json:
        json.dump(results, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
