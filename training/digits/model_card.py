"""Writes models/digits.card.md: what the shipped model was trained on (sources, parts, counts,
writers), how (recipe, lines, iterations, wall time) and its checksum.  Run after train.sh.

usage: python3 model_card.py [--model ../../models/digits.traineddata]
"""
import argparse
import datetime
import hashlib
import os

import sources

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(HERE, "..", "..", "models", "digits.traineddata"))
    ap.add_argument("--float", dest="float_model", default=None,
                    help="the float model beside it (digits.float.traineddata), which training continues from")
    a = ap.parse_args()
    timing = {}
    path = os.path.join(HERE, "work", "timing.txt")
    if os.path.exists(path):
        timing = dict(l.strip().split("=", 1) for l in open(path) if "=" in l)
    rows = []
    for s in sources.load_all().values():
        tr = s.indices("train")
        writers = len({s.writers[i] for i in tr}) if s.writers is not None else None
        rows.append("| %s | %s | %d | %s | %.0f %% |" % (
            s.name, s.population, len(tr), writers if writers is not None else "not given",
            100 * sources.TRAIN_WEIGHTS[s.name]))
    data = open(a.model, "rb").read()
    if a.float_model:
        fdata = open(a.float_model, "rb").read()
        about = ("A Tesseract LSTM model for handwritten digits in printed boxes, integer (what pindai "
                 "reads with), %d bytes, sha256 `%s`, converted (`lstmtraining --stop_training "
                 "--convert_to_int`) from the float model `%s` (what training continues from), %d bytes, "
                 "sha256 `%s`; on lines whose paper is flat white (README, *Line format*) the two read "
                 "alike. Card written %s." % (
                     len(data), hashlib.sha256(data).hexdigest(), os.path.basename(a.float_model), len(fdata),
                     hashlib.sha256(fdata).hexdigest(), datetime.date.today().isoformat()))
    else:
        about = ("A Tesseract LSTM model for handwritten digits in printed boxes, %d bytes, sha256 `%s`; "
                 "card written %s." % (len(data), hashlib.sha256(data).hexdigest(), datetime.date.today().isoformat()))
    lines = [
        "# `digits.traineddata`: model card", "",
        about, "",
        "## Trained on", "",
        "Only the `train` part of each source (`training/digits/sources.py`: CVL split by writer, "
        "so no validation or test writer gave a digit; USPS and optdigits have no writer ids and "
        "are split by index). Share = the share of training lines drawn from the source.", "",
        "| source | population | training digits | training writers | share of lines |",
        "| --- | --- | --- | --- | --- |"] + rows + [
        "", "Sources: MNIST (LeCun, Cortes, Burges; CC BY-SA 3.0), CVL Single Digit database "
        "(TU Wien, ICDAR 2013), USPS ZIP codes (Hull 1994), UCI optdigits (Alpaydin & Kaynak). "
        "Only MNIST is copied into this repository; the others are read from the shared data "
        "folder (their licences are not stated).", "",
        "## Recipe", "",
        "`make train-digits` (`training/digits/train.sh`): augmented lines with European digit "
        "forms (flagged and footed 1s, crossed 7s), slant up to about 20°, broken and faint "
        "strokes, ballpoint and pencil, digits from 2 to 5.8 mm that may overrun the border; "
        "net `[1,36,0,1 Ct3,3,32 Mp3,3 Lfys64 Lbx128 O1c13]`."]
    out = os.path.join(os.path.dirname(a.model), "digits.card.md")
    if timing:
        lines += ["", "This model's run: " + ", ".join("%s = %s" % kv for kv in timing.items())]
    elif os.path.exists(out):
        # No run here (the work folder is gone): keep what the card said of the run that made the model.
        kept = [l.rstrip("\n") for l in open(out) if l.startswith("This model's run") or l.startswith("The integer model")]
        for l in kept:
            lines += ["", l]
    open(out, "w").write("\n".join(lines) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
