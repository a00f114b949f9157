#!/bin/sh
# Build the starter traineddata for the ten digits (pass-through recoder, 13 outputs).
# usage: make_starter.sh WORKDIR   -> WORKDIR/starter/digits/digits.traineddata
set -eu
W="$1"; S="$W/starter"
mkdir -p "$S/script"
printf '0123456789\n' > "$S/digits.txt"
unicharset_extractor --output_unicharset "$S/unicharset" --norm_mode 1 "$S/digits.txt"
# combine_lang_model insists on a non-empty radical-stroke.txt in the script dir
# (only used for Han; any content will do for a pass-through recoder)
printf '# unused for digits\n' > "$S/script/radical-stroke.txt"
# Config embedded in the traineddata (applied at Init): never retry a line inverted.
# Tesseract re-reads low-confidence lines as white-on-black and may keep that reading; on
# single boxes that produced confident "11"s.  (Set these in the reader as well.)
mkdir -p "$S/script/digits"
printf 'tessedit_do_invert 0\ninvert_threshold 0\n' > "$S/script/digits/digits.config"
combine_lang_model --input_unicharset "$S/unicharset" --script_dir "$S/script" \
  --output_dir "$S" --lang digits --pass_through_recoder
ls -l "$S/digits/digits.traineddata"
