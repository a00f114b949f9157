"""Reads a folder of crops made by foreign_crops.py with `pindai read digits --json` and prints
per-digit accuracy (a box read empty counts as wrong).

usage: python3 read_crops.py DIR [--pindai .build/release/pindai] [--model DIR]
"""
import argparse
import collections
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--pindai", default=os.path.join(ROOT, ".build", "release", "pindai"))
    ap.add_argument("--model", help="a model directory (pindai read digits --model)")
    a = ap.parse_args()
    model = ["--model", a.model] if a.model else []
    truth = json.load(open(os.path.join(a.dir, "truth.json")))
    by_boxes = collections.defaultdict(list)
    for name, t in truth.items():
        by_boxes[t["boxes"]].append(name)
    right = total = 0
    rows = {}
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    for n, names in sorted(by_boxes.items()):
        out = subprocess.run([a.pindai, "read", "digits", "--json", "--boxes", str(n)] + model
                             + [os.path.join(a.dir, x) for x in sorted(names)],
                             check=True, capture_output=True, text=True, env=env).stdout
        k = m = 0
        for line in out.splitlines():
            r = json.loads(line)
            want = truth[os.path.basename(r["file"])]["text"]
            got = [b.get("digit") for b in r["boxes"]]
            k += sum(g == w for g, w in zip(got, want))
            m += len(want)
        rows[n] = (k, m)
        right += k
        total += m
    for n, (k, m) in rows.items():
        print("%2d box(es): %5d digits, %.2f %% right" % (n, m, 100.0 * k / m))
    print("all: %d digits, %.2f %% right" % (total, 100.0 * right / total))


if __name__ == "__main__":
    main()
