# pindai helper targets (Swift builds are driven by SwiftPM, not by this Makefile).

.PHONY: train-digits eval-digits digits-fixtures

# Handwritten-digit Tesseract LSTM model -> models/digits.traineddata (float model) and its
# model card, from MNIST (bundled) and the CVL, USPS and optdigits training parts (read from
# ../shared/data/handwritten-digits-more or $PINDAI_DIGITS_MORE). Installs its own dependencies;
# work files in training/digits/work/ (git-ignored). About an hour on this project's 2-core
# machine; see training/digits/README.md.
train-digits:
	OUT=$(CURDIR)/models/digits.traineddata sh training/digits/train.sh

# Held-out evaluation (MNIST indices 3200..3999) -> training/digits/RESULTS.md, results.json
eval-digits:
	@python3 -c "import numpy, PIL" 2>/dev/null || pip install -q pillow numpy
	cd training/digits && python3 eval.py

# Regenerate the committed test images in training/digits/fixtures/
digits-fixtures:
	@python3 -c "import numpy, PIL" 2>/dev/null || pip install -q pillow numpy
	cd training/digits && python3 make_fixtures.py
