#!/bin/sh
# Fine-tune the current digit model on WHITENED lines (digitlines.compose_line sets every pixel
# >= 230 to 255), so that it can be shipped as an integer model (--convert_to_int), which reads
# whitened lines as the float model does at ~27 % less CPU per digit.
#   WORK=/tmp/whiten OUT=/tmp/whiten sh training/digits/finetune_white.sh
# Writes $OUT/digits-float.traineddata and $OUT/digits-int.traineddata (both carry the config
# tessedit_do_invert 0 / invert_threshold 0 from the starter) and $WORK/eval.json; never touches
# models/.  Dependencies as for train.sh (assumed present).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/whiten}
OUT=${OUT:-$WORK}
# The base is the float model of the 2026-12-04 run (sha256 0affcb0c…), which models/ held until
# this fine-tune replaced it; by default it is taken from the commit that still has it.
BASE=${BASE:-$WORK/base-20261204.traineddata}
LINES=${LINES:-12000}; ITER=${ITER:-20000}
export OMP_THREAD_LIMIT=1 PINDAI_LINE_WHITE=230
NICE="nice -n 10"
log() { echo "[$(date +%H:%M:%S)] $*"; }
mkdir -p "$WORK/base" "$OUT" "$WORK"
write_eval_scripts() {
cat > "$WORK/eval_white.py" <<'PYEOF'
"""Compare digit models on VALIDATION lines, un-whitened and whitened (digitlines.WHITE).

usage: python3 eval_white.py OUTJSON LABEL=MODEL:white LABEL=MODEL:raw ...
  :raw   lines composed with whitening off (PINDAI_LINE_WHITE=0, lines as before 2026-12-06)
  :white the same lines with every pixel >= 230 set to 255 (what compose_line now does)
Sets: eval_sources.render(validation, 150 lines of 16, seed 4242) per source, and 400
single-box lines per source (the same rendering, one digit, seed 4244).  CPU time per digit
is time.process_time() around each recognise call (OMP_THREAD_LIMIT=1).
"""
import json
import os
import sys
import time

os.environ["OMP_THREAD_LIMIT"] = "1"
HERE = os.environ.get("DIGITS_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training", "digits"))
sys.path.insert(0, HERE)
import numpy as np  # noqa: E402

import digitlines as dl  # noqa: E402
import eval as ev  # noqa: E402
import eval_sources as es  # noqa: E402
import sources  # noqa: E402
import tessapi  # noqa: E402

WHITE = 230
N16, NSINGLE = int(os.environ.get("N16", 150)), int(os.environ.get("NSINGLE", 400))


def render_single(src, part, n, seed):
    rng = np.random.default_rng([seed, sorted(sources.SOURCES).index(src.name)])
    pool = src.indices(part)
    return [dl.make_line(src.images, src.labels, rng.choice(pool, 1), rng,
                         binarise=rng.random() < 0.3) for _ in range(n)]


def whiten(lines):
    out = []
    for img, truth, spans in lines:
        w = img.copy()
        w[w >= WHITE] = 255
        out.append((w, truth, spans))
    return out


def read(tess, lines):
    digits, per_line, cpu, nd = [], [], 0.0, 0
    for img, truth, spans in lines:
        t = time.process_time()
        syms = tess.symbols(img)
        cpu += time.process_time() - t
        res = ev.assign(syms, spans)
        for (pred, conf, nsym), want in zip(res, truth):
            digits.append({"truth": want, "pred": pred, "conf": conf, "nsym": nsym, "ok": pred == want})
        per_line.append(all(d["ok"] for d in digits[-len(truth):]))
        nd += len(truth)
    return {"digits": nd, "right": int(sum(d["ok"] for d in digits)),
            "accuracy": sum(d["ok"] for d in digits) / nd,
            "lines_fully_right": sum(per_line) / len(per_line),
            "error_after_rejecting_10pct": ev.rejection(digits, shares=(0.10,))["10%"]["error_rate_accepted"],
            "cpu_ms_per_digit": 1000.0 * cpu / nd}


def main():
    out_json, specs = sys.argv[1], sys.argv[2:]
    dl.WHITE = 0                       # render un-whitened; whitened = same lines, whitened after
    srcs = sources.load_all()
    t = time.time()
    raw = {"16": {n: es.render(s, "validation", N16, 4242) for n, s in srcs.items()},
           "1": {n: render_single(s, "validation", NSINGLE, 4244) for n, s in srcs.items()}}
    # whitening after composition == compose_line with WHITE=230 (checked on a few lines)
    dl.WHITE = WHITE
    chk = es.render(srcs["cvl"], "validation", 5, 4242)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(chk, whiten(raw["16"]["cvl"][:5])))
    white = {k: {n: whiten(v) for n, v in d.items()} for k, d in raw.items()}
    print("rendered in %.0f s" % (time.time() - t), flush=True)
    results = {}
    for spec in specs:
        label, rest = spec.split("=", 1)
        model, mode = rest.rsplit(":", 1)
        sets = white if mode == "white" else raw
        path = os.path.abspath(model)
        tess = tessapi.Tess(os.path.dirname(path), os.path.basename(path).rsplit(".traineddata", 1)[0])
        results[label] = {"model": path, "lines": mode}
        for kind in ("16", "1"):
            r = {n: read(tess, sets[kind][n]) for n in sorted(sets[kind])}
            r["mean_accuracy"] = float(np.mean([r[n]["accuracy"] for n in srcs]))
            r["cpu_ms_per_digit"] = 1000.0 * sum(r[n]["cpu_ms_per_digit"] * r[n]["digits"] for n in srcs) \
                / 1000.0 / sum(r[n]["digits"] for n in srcs)
            results[label][kind] = r
            print("%-3s %-5s %-2s-box  " % (label, mode, kind)
                  + "  ".join("%s %.2f" % (n, 100 * r[n]["accuracy"]) for n in sorted(srcs))
                  + "  mean %.2f  cpu %.2f ms/digit" % (100 * r["mean_accuracy"], r["cpu_ms_per_digit"]), flush=True)
        tess.close()
    json.dump(results, open(out_json, "w"), indent=1)


if __name__ == "__main__":
    main()
PYEOF
cat > "$WORK/time_paired.py" <<'PYEOF'
"""Interleaved CPU timing (time.process_time around each recognise call) and, from round 0,
per-digit correctness for a paired comparison (McNemar discordant counts) between configs.
Same validation lines as eval_white.py. usage: python3 time_paired.py ROUNDS LABEL=MODEL:white|raw ..."""
import os, sys, time, json
os.environ["OMP_THREAD_LIMIT"] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np
import eval_white as ew, eval_sources as es, eval as ev, sources, tessapi
ew.dl.WHITE = 0
srcs = sources.load_all()
raw = {"16": [l for n, s in sorted(srcs.items()) for l in es.render(s, "validation", ew.N16, 4242)],
       "1": [l for n, s in sorted(srcs.items()) for l in ew.render_single(s, "validation", ew.NSINGLE, 4244)]}
white = {k: ew.whiten(v) for k, v in raw.items()}
specs = [a.split("=", 1) for a in sys.argv[2:]]
tess = {}
for label, rest in specs:
    model, mode = rest.rsplit(":", 1)
    p = os.path.abspath(model)
    tess[label] = (tessapi.Tess(os.path.dirname(p), os.path.basename(p).rsplit(".traineddata", 1)[0]), white if mode == "white" else raw)
res = {l: {"16": [], "1": []} for l, _ in specs}
ok = {l: {} for l, _ in specs}
for r in range(int(sys.argv[1])):
    for label, _ in (specs if r % 2 == 0 else specs[::-1]):
        t, sets = tess[label]
        for kind in ("16", "1"):
            nd = sum(len(x[1]) for x in sets[kind]); c = 0.0; oks = []
            for img, truth, spans in sets[kind]:
                t0 = time.process_time(); syms = t.symbols(img); c += time.process_time() - t0
                oks += [p == w for (p, _, _), w in zip(ev.assign(syms, spans), truth)]
            res[label][kind].append(1000 * c / nd)
            if r == 0: ok[label][kind] = np.array(oks)
            else: assert (ok[label][kind] == np.array(oks)).all()   # readings are deterministic
    print("round", r, {l: {k: round(v[-1], 3) for k, v in d.items()} for l, d in res.items()}, flush=True)
for l, d in res.items():
    print("%s  16-box median %.3f ms/digit (rounds %s)   single median %.3f ms/digit (rounds %s)" % (
        l, np.median(d["16"]), " ".join("%.2f" % x for x in d["16"]), np.median(d["1"]), " ".join("%.2f" % x for x in d["1"])))
labels = [l for l, _ in specs]
for kind in ("16", "1"):
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            A, B = ok[labels[i]][kind], ok[labels[j]][kind]
            print("%s-box %s vs %s: right %d vs %d of %d; only %s right %d, only %s right %d" % (
                kind, labels[i], labels[j], A.sum(), B.sum(), len(A), labels[i], (A & ~B).sum(), labels[j], (~A & B).sum()))
json.dump({"ms": res}, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "timing.json"), "w"), indent=1)
PYEOF
}

# what was run on 2026-12-06 (in /tmp/whiten): the FLOAT model of the 2026-12-04 run (sha256
# 0affcb0c…; models/digits.traineddata until 017578d, models/digits.float.traineddata in 017578d)
log "base: $BASE"
[ -f "$BASE" ] || git -C "$HERE" show 017578d:models/digits.float.traineddata > "$BASE"
echo "0affcb0c77b8226a65ea90e1ddd4d8f9d40ce231919f56580515922b4681dfc5  $BASE" | sha256sum -c --quiet \
  || { echo "error: $BASE is not the float model of the 2026-12-04 run"; exit 1; }
combine_tessdata -u "$BASE" "$WORK/base/digits." >/dev/null 2>&1
mkdir -p "$WORK/cur" && cp "$BASE" "$WORK/cur/float.traineddata"

log "starter traineddata (same unicharset and recoder as the base, config tessedit_do_invert 0, invert_threshold 0)"
sh "$HERE/make_starter.sh" "$WORK" > "$WORK/starter.log" 2>&1
STARTER="$WORK/starter/digits/digits.traineddata"

log "$LINES whitened training lines (training parts only, seed 5)"
T0=$(date +%s)
(cd "$HERE" && $NICE python3 gen_lines.py "$WORK/lines" --lines "$LINES" --seed 5 --chunk 400 --jobs 1)
T1=$(date +%s)

log "fine-tune: continue from the base LSTM, lr 0.0001 (reset), $ITER iterations"
rm -rf "$WORK/ft" && mkdir -p "$WORK/ft"
$NICE lstmtraining --continue_from "$WORK/base/digits.lstm" --traineddata "$STARTER" \
  --model_output "$WORK/ft/digits" --learning_rate 0.0001 --reset_learning_rate \
  --train_listfile "$WORK/lines/all.txt" --max_iterations "$ITER" > "$WORK/ft.log" 2>&1
T2=$(date +%s)
grep -E '^At iteration' "$WORK/ft.log" | tail -n 1

log "choosing the checkpoint on whitened validation lines -> $OUT/digits-float.traineddata"
(cd "$HERE" && $NICE python3 choose_checkpoint.py "$WORK/ft" "$STARTER" "$OUT/digits-float.traineddata") | tee "$WORK/choice.txt"
CHOSEN=$(cat "$WORK/ft/chosen.txt")

log "integer model of $CHOSEN -> $OUT/digits-int.traineddata"
$NICE lstmtraining --stop_training --convert_to_int --continue_from "$CHOSEN" --traineddata "$STARTER" \
  --model_output "$OUT/digits-int.traineddata" > "$WORK/int.log" 2>&1
# for comparison: the base converted unchanged (= models/digits.traineddata of 2026-12-06, sha256 d33aeab8…)
$NICE lstmtraining --stop_training --convert_to_int --continue_from "$WORK/base/digits.lstm" --traineddata "$STARTER" \
  --model_output "$WORK/cur/int.traineddata" >> "$WORK/int.log" 2>&1
for m in "$OUT/digits-float.traineddata" "$OUT/digits-int.traineddata"; do
  rm -rf "$WORK/chk" && mkdir -p "$WORK/chk" && combine_tessdata -u "$m" "$WORK/chk/d." >/dev/null 2>&1
  grep -q '^tessedit_do_invert 0' "$WORK/chk/d.config" && grep -q '^invert_threshold 0' "$WORK/chk/d.config" \
    || { echo "error: config missing in $m"; exit 1; }
done
T3=$(date +%s)

# evaluation on VALIDATION parts only: (a) base float, lines as scanned; (b) base float, whitened;
# (c) new float, whitened; (d) new int, whitened; (e) base int, whitened
write_eval_scripts
log "evaluation (validation)"
(cd "$WORK" && DIGITS_DIR="$HERE" $NICE python3 eval_white.py "$WORK/eval.json" \
  a=cur/float.traineddata:raw b=cur/float.traineddata:white c="$OUT/digits-float.traineddata":white \
  d="$OUT/digits-int.traineddata":white e=cur/int.traineddata:white) | tee "$WORK/eval.txt"
log "CPU per digit (interleaved rounds) and paired counts"
(cd "$WORK" && DIGITS_DIR="$HERE" $NICE python3 time_paired.py 3 a=cur/float.traineddata:raw \
  d="$OUT/digits-int.traineddata":white c="$OUT/digits-float.traineddata":white e=cur/int.traineddata:white) | tee "$WORK/timing.txt"
cat > "$WORK/times.txt" <<EOT
lines_s=$((T1 - T0))
finetune_s=$((T2 - T1))
choose_convert_s=$((T3 - T2))
chosen=$CHOSEN
EOT
cat "$WORK/times.txt"
sha256sum "$OUT/digits-float.traineddata" "$OUT/digits-int.traineddata"
