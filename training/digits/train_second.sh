#!/bin/sh
# The second-opinion digit model, models/digits-second.traineddata: a net of another shape than
# the main model's (input 48 px high instead of 36, two convolutions, a narrower LSTM), trained
# from scratch on flat-paper lines of the training parts, so that its errors are not the main
# model's. pindai loads it when it lies beside digits.traineddata and reads a doubtful digit
# again with it: where the two disagree the digit goes to a person (DigitBoxReader).
#   training/digits/train_second.sh          (about 45 minutes on one core)
# Tunables: LINES ITERA ITERB WORK OUT
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$HERE/work/second}
OUT=${OUT:-$HERE/../../models/digits-second.traineddata}
OUT_FLOAT=${OUT_FLOAT:-$WORK/digits-second.float.traineddata}
LINES=${LINES:-12000}   # the lines of finetune_white.sh (seed 5): training parts only
ITERA=${ITERA:-45000}   # from scratch, lr 0.001
ITERB=${ITERB:-25000}   # continued, lr 0.0002
NET='[1,48,0,1 Ct3,3,16 Mp2,2 Ct3,3,48 Mp2,2 Lfys64 Lbx96 O1c13]'
export OMP_THREAD_LIMIT=1
NICE="nice -n 5"
log() { echo "[$(date +%H:%M:%S)] second: $*"; }
mkdir -p "$WORK"
log "starter traineddata"
sh "$HERE/make_starter.sh" "$WORK" > "$WORK/starter.log" 2>&1
STARTER="$WORK/starter/digits/digits.traineddata"
if [ ! -f "$WORK/lines/all.txt" ]; then
  log "generating $LINES lines (seed 5) + .lstmf"
  (cd "$HERE" && $NICE python3 gen_lines.py "$WORK/lines" --lines "$LINES" --seed 5 --chunk 400 --jobs 2)
fi
rm -rf "$WORK/a" "$WORK/b" && mkdir -p "$WORK/a" "$WORK/b"
log "phase A: from scratch, lr 0.001, $ITERA iterations"
$NICE lstmtraining --traineddata "$STARTER" --net_spec "$NET" --model_output "$WORK/a/digits" \
  --learning_rate 0.001 --train_listfile "$WORK/lines/all.txt" --max_iterations "$ITERA" > "$WORK/a.log" 2>&1
grep -E '^At iteration' "$WORK/a.log" | tail -n 1
log "phase B: continued, lr 0.0002, $ITERB iterations"
$NICE lstmtraining --traineddata "$STARTER" --continue_from "$WORK/a/digits_checkpoint" --model_output "$WORK/b/digits" \
  --learning_rate 0.0002 --reset_learning_rate --train_listfile "$WORK/lines/all.txt" --max_iterations "$ITERB" > "$WORK/b.log" 2>&1
grep -E '^At iteration' "$WORK/b.log" | tail -n 1
log "choosing on validation writers -> $OUT_FLOAT"
(cd "$HERE" && $NICE python3 choose_checkpoint.py "$WORK/b" "$STARTER" "$OUT_FLOAT" --also "$WORK/a/digits_checkpoint") | tee "$WORK/choice.txt"
log "integer model of the chosen checkpoint -> $OUT"
$NICE lstmtraining --stop_training --convert_to_int --continue_from "$(cat "$WORK/b/chosen.txt")" --traineddata "$OUT_FLOAT" \
  --model_output "$OUT" > "$WORK/int.log" 2>&1
ls -l "$OUT"
