#!/bin/sh
# One-command recipe: handwritten-digit LSTM model for Tesseract (float model for training,
# integer model for reading).
#   training/digits/train.sh            (or: make train-digits)
# Tunables (environment): LINES1 LINES2 ITER1 ITER2 WORK OUT
# Steps: deps -> starter traineddata -> augmented lines + .lstmf (2 processes)
#        -> phase 1 (from scratch, lr 0.001) -> phase 2 (best phase-1 checkpoint,
#        lr 0.0002, reset) -> phase 3 (lr 0.0001) -> the checkpoint that reads validation writers best,
#        as a float model via --stop_training (OUT_FLOAT) -> the same checkpoint --convert_to_int (OUT,
#        what pindai reads with; lines with flat paper read the same, see README "Line format") -> model card.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$HERE/work}
OUT=${OUT:-$HERE/../../models/digits.traineddata}
OUT_FLOAT=${OUT_FLOAT:-$(dirname "$OUT")/digits.float.traineddata}
LINES1=${LINES1:-18000}     # phase-1 lines (a prefix of the phase-2 set)
LINES2=${LINES2:-36000}     # phase-2 lines
ITER1=${ITER1:-50000}       # phase-1 iterations
ITER2=${ITER2:-70000}       # phase-2 iterations (--continue_from restarts the count at 0)
ITER3=${ITER3:-30000}       # phase-3 iterations (lr 0.0001 from phase 2's last checkpoint)
CHUNK=400                   # lines per multi-page .lstmf
NET='[1,36,0,1 Ct3,3,32 Mp3,3 Lfys64 Lbx128 O1c13]'
export OMP_THREAD_LIMIT=1
NICE="nice -n 5"
log() { echo "[$(date +%H:%M:%S)] $*"; }
T0=$(date +%s)

log "dependencies"
if ! command -v lstmtraining >/dev/null || ! command -v combine_lang_model >/dev/null; then
  apt-get update -qq && apt-get install -y -qq tesseract-ocr
fi
python3 -c 'import numpy, PIL' 2>/dev/null || pip install -q pillow numpy
# the training parts of MNIST (bundled), CVL, USPS and optdigits (read from shared/, see sources.py)
python3 "$HERE/sources.py" || { echo "error: digit sources missing (set PINDAI_DIGITS_MORE to the folder of cvl-train-*, usps-train-*, optdigits-train-*)"; exit 1; }

mkdir -p "$WORK"
log "starter traineddata"
sh "$HERE/make_starter.sh" "$WORK" >"$WORK/starter.log" 2>&1
STARTER="$WORK/starter/digits/digits.traineddata"

log "generating $LINES2 lines (training parts of every source only) + .lstmf"
cd "$HERE"
$NICE python3 gen_lines.py "$WORK/lines" --lines "$LINES2" --seed 1 --chunk $CHUNK --jobs 2
N1=$(( (LINES1 + CHUNK - 1) / CHUNK ))
head -n "$N1" "$WORK/lines/all.txt" > "$WORK/lines/phase1.txt"
cp "$WORK/lines/all.txt" "$WORK/lines/phase2.txt"
T1=$(date +%s)

log "phase 1: from scratch, lr 0.001, $ITER1 iterations on $LINES1 lines"
rm -rf "$WORK/phase1" && mkdir -p "$WORK/phase1"
$NICE lstmtraining --traineddata "$STARTER" --net_spec "$NET" \
  --model_output "$WORK/phase1/digits" --learning_rate 0.001 \
  --train_listfile "$WORK/lines/phase1.txt" --max_iterations "$ITER1" \
  > "$WORK/phase1.log" 2>&1
T2=$(date +%s)

# best checkpoint = lowest error in digits_<err>_<learn-iter>_<train-iter>.checkpoint
best_ckpt() {
  ls "$1"/digits_*_*_*.checkpoint 2>/dev/null | awk -F_ '{print $(NF-2), $0}' \
    | sort -g | head -n 1 | cut -d' ' -f2-
}
BEST1=$(best_ckpt "$WORK/phase1"); BEST1=${BEST1:-$WORK/phase1/digits_checkpoint}
log "phase 1 best: $BEST1"
grep -E '^At iteration' "$WORK/phase1.log" | tail -n 2

# continue_phase NAME FROM LR ITERATIONS: lstmtraining continued from checkpoint FROM on all lines,
# learning rate LR (reset), into $WORK/NAME/ (log $WORK/NAME.log).
continue_phase() {
  log "$1: continue from $(basename "$2"), lr $3 (reset), $4 iterations on $LINES2 lines"
  rm -rf "$WORK/$1" && mkdir -p "$WORK/$1"
  $NICE lstmtraining --traineddata "$STARTER" --continue_from "$2" \
    --model_output "$WORK/$1/digits" --learning_rate "$3" --reset_learning_rate \
    --train_listfile "$WORK/lines/phase2.txt" --max_iterations "$4" \
    > "$WORK/$1.log" 2>&1
  grep -E '^At iteration' "$WORK/$1.log" | tail -n 2
}
continue_phase phase2 "$BEST1" 0.0002 "$ITER2"
T3=$(date +%s)
continue_phase phase3 "$WORK/phase2/digits_checkpoint" 0.0001 "$ITER3"
T3B=$(date +%s)

# The model is chosen on validation writers, not on training error: the best few phase-3
# checkpoints by training error, its last, and phase 2's last are read on the same validation
# lines of every source; the highest mean digits-right wins (float model: --stop_training, no
# --convert_to_int).
log "choosing among phase-2/3 checkpoints on validation writers -> $OUT_FLOAT"
mkdir -p "$(dirname "$OUT")"
$NICE python3 "$HERE/choose_checkpoint.py" "$WORK/phase3" "$STARTER" "$OUT_FLOAT" --also "$WORK/phase2/digits_checkpoint" \
  | tee "$WORK/choice.txt"
BEST2=$(cat "$WORK/phase3/chosen.txt")
log "integer model of the chosen checkpoint -> $OUT"
$NICE lstmtraining --stop_training --convert_to_int --continue_from "$BEST2" --traineddata "$OUT_FLOAT" --model_output "$OUT" \
  > "$WORK/int.log" 2>&1
ls -l "$OUT_FLOAT" "$OUT"
T4=$(date +%s)
cat > "$WORK/timing.txt" <<EOT
lines+lstmf_s=$((T1 - T0))
phase1_s=$((T2 - T1))
phase2_s=$((T3 - T2))
phase3_s=$((T3B - T3))
total_s=$((T4 - T0))
phase1_best=$BEST1
chosen=$BEST2
lines=$LINES2
iterations=$ITER1+$ITER2+$ITER3
EOT
cat "$WORK/timing.txt"
python3 "$HERE/model_card.py" --model "$OUT" --float "$OUT_FLOAT"
