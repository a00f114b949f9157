"""Chooses the model among a phase's checkpoints on VALIDATION writers (never on test digits):
each candidate (the best few by training error, and the last) is turned into a float
traineddata and read on the same validation lines of every source (eval_sources.py); the one
with the highest mean digits-right over the sources wins and is copied to OUT.

usage: python3 choose_checkpoint.py PHASEDIR STARTER OUT [--candidates 5] [--lines 60] [--also CKPT ...]
"""
import argparse
import os
import shutil
import subprocess

import numpy as np

import eval_sources as es
import sources
import tessapi


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("phasedir")
    ap.add_argument("starter")
    ap.add_argument("out")
    ap.add_argument("--candidates", type=int, default=5)
    ap.add_argument("--lines", type=int, default=60)
    ap.add_argument("--also", nargs="*", default=[], help="more checkpoints to weigh (the previous phase's last)")
    a = ap.parse_args()
    named = []
    for f in os.listdir(a.phasedir):
        parts = f[:-len(".checkpoint")].split("_") if f.endswith(".checkpoint") else []
        if len(parts) == 4:
            named.append((float(parts[1]), os.path.join(a.phasedir, f)))
    cands = [p for _, p in sorted(named)[:a.candidates]]
    last = os.path.join(a.phasedir, "digits_checkpoint")
    if os.path.exists(last):
        cands.append(last)
    cands += [c for c in a.also if os.path.exists(c)]
    tmp = os.path.join(a.phasedir, "candidates")
    os.makedirs(tmp, exist_ok=True)
    srcs = sources.load_all()
    sets = {n: es.render(s, "validation", a.lines, 4243) for n, s in srcs.items()}
    best = None
    for k, ckpt in enumerate(cands):
        d = os.path.join(tmp, str(k))
        os.makedirs(d, exist_ok=True)
        model = os.path.join(d, "digits.traineddata")
        subprocess.run(["lstmtraining", "--stop_training", "--continue_from", ckpt, "--traineddata", a.starter,
                        "--model_output", model], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        tess = tessapi.Tess(d, "digits")
        res = {n: es.judge(tess, lines) for n, lines in sets.items()}
        tess.close()
        mean = float(np.mean([r["accuracy"] for r in res.values()]))
        print("%-60s mean %.2f %%  " % (os.path.relpath(ckpt, os.path.dirname(a.phasedir.rstrip("/"))), 100 * mean)
              + "  ".join("%s %.2f" % (n, 100 * r["accuracy"]) for n, r in res.items()))
        if best is None or mean > best[0]:
            best = (mean, ckpt, model)
    print("chosen on validation writers: %s (mean %.2f %%)" % (os.path.relpath(best[1], os.path.dirname(a.phasedir.rstrip("/"))), 100 * best[0]))
    shutil.copyfile(best[2], a.out)
    with open(os.path.join(a.phasedir, "chosen.txt"), "w") as f:
        f.write(best[1] + "\n")


if __name__ == "__main__":
    main()
