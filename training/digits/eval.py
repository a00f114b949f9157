"""Evaluate the digit model on the 800 HELD-OUT MNIST digits (indices 3200..3999).

Lines are rendered with the same augmentation family as training (digitlines.py) but a
different seed, and read through libtesseract exactly as the Swift reader will: Init2 with
OEM_LSTM_ONLY, PSM 13, 300 dpi.  Recognised symbols are assigned to boxes by the x-centre of
their RIL_SYMBOL boxes (a centre in a gap/margin goes to the nearest box); where a box gets
two or more symbols the most confident is kept.  A box with no symbol counts as an error.

Measured:
  * per-digit accuracy on single boxes (each held-out digit rendered REPS_SINGLE times)
  * per-digit accuracy inside 16-box lines, and the share of 16-digit lines fully right
    (REPS_FIELD random permutations of the 800 digits, 50 lines each)
  * error among accepted digits when the lowest-confidence 5 % / 10 % are rejected
  * reliability table: symbol-confidence bins, predicted (mean conf) vs observed accuracy
  * milliseconds per digit (SetImage + Recognize + iterate, after Init)
Writes RESULTS.md and results.json next to this script.

usage: python3 eval.py [--model models/digits.traineddata] [--seed 20240]
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import time

import numpy as np

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # single-threaded, as in the reader
import digitlines as dl  # noqa: E402
import tessapi  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPS_SINGLE = 5      # renderings of each held-out digit as a single box
REPS_FIELD = 10      # permutations of the held-out digits into 16-box lines
BINARISED_SHARE = 0.30
CONF_BINS = [0, 50, 70, 80, 90, 95, 98, 99, 100.01]


def wilson(k, n, z=1.96):
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (c - h, c + h)


def assign(symbols, spans):
    """Per box: (digit or None, confidence or -1, number of symbols that fell in the box)."""
    per_box = [[] for _ in spans]
    centres = [(a + b) / 2 for a, b in spans]
    for text, conf, (x0, _, x1, _) in symbols:
        if not text.strip():
            continue
        xc = (x0 + x1) / 2
        inside = [i for i, (a, b) in enumerate(spans) if a <= xc < b]
        i = inside[0] if inside else int(np.argmin([abs(xc - c) for c in centres]))
        per_box[i].append((conf, text))
    out = []
    for cands in per_box:
        if not cands:
            out.append((None, -1.0, 0))
        else:
            conf, text = max(cands)
            out.append((text, conf, len(cands)))
    return out


def read_lines(tess, lines):
    """lines: list of (image, truth, spans). Returns per-digit records and per-line results."""
    digits, per_line, elapsed, ndig = [], [], 0.0, 0
    raw_ok = []  # diagnostic: the line's whole symbol string equals the truth
    for img, truth, spans in lines:
        t = time.perf_counter()
        syms = tess.symbols(img)
        elapsed += time.perf_counter() - t
        res = assign(syms, spans)
        raw_ok.append("".join(x[0] for x in syms if x[0].strip()) == truth)
        ok_line = True
        for (pred, conf, nsym), want in zip(res, truth):
            ok = pred == want
            ok_line &= ok
            digits.append({"truth": want, "pred": pred, "conf": conf, "nsym": nsym, "ok": ok})
        ndig += len(truth)
        per_line.append(ok_line)
    read_lines.raw_ok = raw_ok
    return digits, per_line, 1000.0 * elapsed / max(1, ndig), 1000.0 * elapsed / len(lines)


def accuracy(digits):
    k = sum(d["ok"] for d in digits)
    lo, hi = wilson(k, len(digits))
    return {"n": len(digits), "correct": k, "accuracy": k / len(digits), "ci95": [lo, hi]}


def per_class(digits):
    out = {}
    for c in "0123456789":
        ds = [d for d in digits if d["truth"] == c]
        out[c] = sum(d["ok"] for d in ds) / len(ds) if ds else None
    return out


def rejection(digits, shares=(0.05, 0.10)):
    """Reject the lowest-confidence share of digits; error rate among the accepted."""
    order = sorted(digits, key=lambda d: d["conf"])
    out = {}
    for s in shares:
        nrej = int(round(s * len(order)))
        acc = order[nrej:]
        err = sum(not d["ok"] for d in acc)
        out["%d%%" % round(100 * s)] = {
            "rejected": nrej, "accepted": len(acc), "errors_accepted": err,
            "error_rate_accepted": err / len(acc),
            "ci95": list(wilson(err, len(acc))),
            "conf_threshold": acc[0]["conf"] if acc else None,
            "errors_caught": sum(not d["ok"] for d in order[:nrej]),
        }
    out["no_rejection"] = {"errors": sum(not d["ok"] for d in digits), "n": len(digits)}
    return out


def reliability(digits):
    rows = []
    for lo, hi in zip(CONF_BINS[:-1], CONF_BINS[1:]):
        ds = [d for d in digits if lo <= d["conf"] < hi]
        if ds:
            rows.append({"bin": "%g-%g" % (lo, min(hi, 100)), "n": len(ds),
                         "predicted": float(np.mean([d["conf"] for d in ds])) / 100,
                         "observed": sum(d["ok"] for d in ds) / len(ds)})
    missing = [d for d in digits if d["conf"] < 0]
    if missing:
        rows.insert(0, {"bin": "no symbol", "n": len(missing), "predicted": 0.0, "observed": 0.0})
    return rows


def confusions(digits, top=10):
    c = {}
    for d in digits:
        if not d["ok"]:
            k = "%s->%s" % (d["truth"], d["pred"] if d["pred"] is not None else "none")
            c[k] = c.get(k, 0) + 1
    return dict(sorted(c.items(), key=lambda kv: -kv[1])[:top])


def render_sets(seed):
    images, labels = dl.load_mnist()
    held = np.array(dl.HELDOUT_RANGE)
    rng = np.random.default_rng([seed, 1])
    singles = []
    for _ in range(REPS_SINGLE):
        for i in held:
            singles.append(dl.make_line(images, labels, [i], rng,
                                        binarise=rng.random() < BINARISED_SHARE))
    rng = np.random.default_rng([seed, 2])
    fields = []
    for _ in range(REPS_FIELD):
        perm = rng.permutation(held)
        for k in range(0, len(perm), 16):
            fields.append(dl.make_line(images, labels, perm[k:k + 16], rng,
                                       binarise=rng.random() < BINARISED_SHARE))
    rng = np.random.default_rng([seed, 3])
    printed = []   # out-of-family check: printed DejaVu Sans digits in the same boxes
    for _ in range(200):
        text = "".join(str(d) for d in rng.integers(0, 10, 16 if rng.random() < 0.5 else 1))
        crops = []
        for ch in text:
            scan, rect = dl.render_box(None, rng, printed=ch)
            crops.append(dl.reader_crop(scan, rect))
        line, spans = dl.compose_line(crops)
        printed.append((line, text, spans))
    return singles, fields, printed


def fixture_check(tess):
    path = os.path.join(HERE, "fixtures", "truth.json")
    if not os.path.exists(path):
        return None
    from PIL import Image
    truth = json.load(open(path))
    out = {}
    for name, t in truth["fixtures"].items():
        img = np.asarray(Image.open(os.path.join(HERE, "fixtures", name)).convert("L"))
        syms = tess.symbols(img)
        res = assign(syms, [tuple(s) for s in t["spans"]])
        read = "".join(p if p is not None else "_" for p, _, _ in res)
        out[name] = {"truth": t["text"], "read": read,
                     "raw": "".join(s[0] for s in syms),
                     "min_conf": round(min([c for _, c, _ in res], default=-1), 1)}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(HERE, "..", "..", "models",
                                                    "digits.traineddata"))
    ap.add_argument("--seed", type=int, default=20240)
    ap.add_argument("--out", default=HERE)
    a = ap.parse_args()
    model = os.path.abspath(a.model)
    lang = os.path.basename(model).replace(".traineddata", "")

    t = time.perf_counter()
    singles, fields, printed = render_sets(a.seed)
    render_s = time.perf_counter() - t

    t = time.perf_counter()
    tess = tessapi.Tess(os.path.dirname(model), lang)
    init_ms = 1000 * (time.perf_counter() - t)
    tess.symbols(singles[0][0])  # warm-up
    d1, _, ms1, _ = read_lines(tess, singles)
    d16, lines16, ms16, msline16 = read_lines(tess, fields)
    raw16 = sum(read_lines.raw_ok)
    dp, linesp, _, _ = read_lines(tess, printed)
    fixtures = fixture_check(tess)
    tess.close()

    full = sum(lines16)
    res = {
        "model": os.path.relpath(model, os.path.join(HERE, "..", "..")),
        "model_bytes": os.path.getsize(model),
        "model_sha256": hashlib.sha256(open(model, "rb").read()).hexdigest(),
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "heldout_indices": [dl.HELDOUT_RANGE.start, dl.HELDOUT_RANGE.stop - 1],
        "seed": a.seed, "binarised_share": BINARISED_SHARE,
        "single_box": dict(accuracy(d1), renderings_per_digit=REPS_SINGLE,
                           per_class=per_class(d1), two_symbols_in_box=sum(d["nsym"] > 1 for d in d1),
                           no_symbol=sum(d["nsym"] == 0 for d in d1),
                           top_confusions=confusions(d1)),
        "field16": dict(accuracy(d16), lines=len(lines16), lines_fully_right=full,
                        full_line_rate=full / len(lines16),
                        full_line_ci95=list(wilson(full, len(lines16))),
                        lines_raw_string_right=raw16,
                        per_class=per_class(d16),
                        two_symbols_in_box=sum(d["nsym"] > 1 for d in d16),
                        no_symbol=sum(d["nsym"] == 0 for d in d16),
                        top_confusions=confusions(d16)),
        "rejection_field16": rejection(d16),
        "rejection_single_box": rejection(d1),
        "reliability_field16": reliability(d16),
        "reliability_single_box": reliability(d1),
        "timing": {"init_ms": init_ms, "ms_per_digit_single_box": ms1,
                   "ms_per_digit_field16": ms16, "ms_per_field16_line": msline16,
                   "render_s": render_s},
        "printed_dejavu_out_of_family": dict(accuracy(dp),
                                             lines_fully_right=sum(linesp), lines=len(linesp)),
        "fixtures": fixtures,
    }
    timing_path = os.path.join(HERE, "work", "timing.txt")
    if os.path.exists(timing_path):
        res["training_timing"] = dict(l.strip().split("=", 1) for l in open(timing_path) if "=" in l)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    with open(os.path.join(a.out, "RESULTS.md"), "w") as f:
        f.write(markdown(res))
    print(markdown(res))


def pct(x, nd=2):
    return "%.*f %%" % (nd, 100 * x)


def markdown(r):
    s, f, rj = r["single_box"], r["field16"], r["rejection_field16"]
    rs = r["rejection_single_box"]
    L = ["# Held-out evaluation of `%s`" % r["model"], "",
         "Generated by `python3 training/digits/eval.py` on %s; every figure below comes from "
         "that run (also in `results.json`)." % r["date"], "",
         "Model: %d bytes, sha256 `%s…`. Held-out MNIST indices %d..%d (800 digits, never used "
         "for training), rendered with the training augmentation family, seed %d, %d %% of "
         "lines binarised. Read through libtesseract (Init2 OEM_LSTM_ONLY, PSM 13, 300 dpi); "
         "symbols assigned to boxes by x-centre, most confident kept." % (
             r["model_bytes"], r["model_sha256"][:16], r["heldout_indices"][0],
             r["heldout_indices"][1], r["seed"], round(100 * r["binarised_share"])), "",
         "| measure | value | 95 % CI |", "|---|---|---|",
         "| per-digit accuracy, single boxes (%d boxes = 800 digits × %d renderings) | **%s** | %s – %s |" % (
             s["n"], s["renderings_per_digit"], pct(s["accuracy"]), pct(s["ci95"][0]), pct(s["ci95"][1])),
         "| per-digit accuracy inside 16-box lines (%d digits, %d lines) | **%s** | %s – %s |" % (
             f["n"], f["lines"], pct(f["accuracy"]), pct(f["ci95"][0]), pct(f["ci95"][1])),
         "| 16-digit lines fully right | **%s** (%d/%d) | %s – %s |" % (
             pct(f["full_line_rate"], 1), f["lines_fully_right"], f["lines"],
             pct(f["full_line_ci95"][0], 1), pct(f["full_line_ci95"][1], 1)),
         "| error among accepted, 16-box lines, reject lowest 5 %% | **%s** (%d/%d) | %s – %s |" % (
             pct(rj["5%"]["error_rate_accepted"]), rj["5%"]["errors_accepted"], rj["5%"]["accepted"],
             pct(rj["5%"]["ci95"][0]), pct(rj["5%"]["ci95"][1])),
         "| error among accepted, 16-box lines, reject lowest 10 %% | **%s** (%d/%d) | %s – %s |" % (
             pct(rj["10%"]["error_rate_accepted"]), rj["10%"]["errors_accepted"], rj["10%"]["accepted"],
             pct(rj["10%"]["ci95"][0]), pct(rj["10%"]["ci95"][1])),
         "| error among accepted, single boxes, reject 5 %% / 10 %% | %s / %s | |" % (
             pct(rs["5%"]["error_rate_accepted"]), pct(rs["10%"]["error_rate_accepted"])),
         "| ms per digit, single box | %.2f ms | |" % r["timing"]["ms_per_digit_single_box"],
         "| ms per digit, 16-box line (%.1f ms per line) | %.2f ms | |" % (
             r["timing"]["ms_per_field16_line"], r["timing"]["ms_per_digit_field16"]),
         "| model initialisation | %.1f ms | |" % r["timing"]["init_ms"],
         "", "Repeated renderings of the same 800 digits are not independent samples, so the "
         "confidence intervals (Wilson, per rendered digit) are somewhat too narrow.", "",
         "Boxes where the model emitted two or more symbols (most confident kept): "
         "%d of %d single boxes, %d of %d field boxes. Boxes with no symbol: %d single, %d field." % (
             s["two_symbols_in_box"], s["n"], f["two_symbols_in_box"], f["n"],
             s["no_symbol"], f["no_symbol"]), "",
         "Diagnostic: in %d of %d 16-box lines the whole symbol string equalled the truth "
         "vs %d fully right after assignment to boxes: keeping the most confident symbol per box "
         "removes duplicated symbols; a box left without a symbol is usually one whose symbol "
         "box was placed (by its x-centre) in the neighbouring box." % (
             f["lines_raw_string_right"], f["lines"], f["lines_fully_right"]), "",
         "Rejection thresholds (symbol confidence): 5 %% → accept conf ≥ %.1f, 10 %% → ≥ %.1f "
         "(16-box lines)." % (rj["5%"]["conf_threshold"], rj["10%"]["conf_threshold"]), "",
         "## Per class (accuracy)", "", "| digit | " + " | ".join("0123456789") + " |",
         "|---|" + "---|" * 10,
         "| single box | " + " | ".join("%.1f" % (100 * s["per_class"][c]) for c in "0123456789") + " |",
         "| 16-box line | " + " | ".join("%.1f" % (100 * f["per_class"][c]) for c in "0123456789") + " |",
         "", "Most frequent confusions (truth->read), 16-box lines: " +
         ", ".join("%s ×%d" % kv for kv in f["top_confusions"].items()), ""]
    for title, key in (("16-box lines", "reliability_field16"), ("single boxes", "reliability_single_box")):
        L += ["## Reliability, %s" % title, "",
              "| confidence bin | digits | predicted (mean conf/100) | observed accuracy |",
              "|---|---|---|---|"]
        L += ["| %s | %d | %.3f | %.3f |" % (b["bin"], b["n"], b["predicted"], b["observed"])
              for b in r[key]]
        L.append("")
    p = r["printed_dejavu_out_of_family"]
    L += ["## Out of family: printed DejaVu Sans digits", "",
          "200 lines (about half single boxes, half 16-digit) of printed digits in the same boxes: "
          "per-digit accuracy %s, lines fully right %d/%d. The model was trained on handwriting "
          "only." % (pct(p["accuracy"]), p["lines_fully_right"], p["lines"]), ""]
    if r.get("fixtures"):
        L += ["## Fixtures (training/digits/fixtures)", "", "| file | truth | read (per box) | raw | min conf |",
              "|---|---|---|---|---|"]
        for k, v in r["fixtures"].items():
            L.append("| %s | %s | %s | %s | %s |" % (k, v["truth"] or "(empty)", v["read"] or "(none)",
                                                    v["raw"] or "(none)", v["min_conf"]))
        L.append("")
    if r.get("training_timing"):
        L += ["## Training run", ""] + ["- %s: %s" % kv for kv in r["training_timing"].items()] + [""]
    return "\n".join(L)


if __name__ == "__main__":
    main()
