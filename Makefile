# pindai helper targets (Swift builds are driven by SwiftPM, not by this Makefile).

.PHONY: train-digits eval-digits digits-fixtures

# Handwritten-digit Tesseract LSTM model -> models/digits.traineddata (float model).
# Installs its own dependencies; work files in training/digits/work/ (git-ignored).
# About 35 minutes on 2 cores; see training/digits/README.md.
train-digits:
	sh training/digits/train.sh

# Held-out evaluation (MNIST indices 3200..3999) -> training/digits/RESULTS.md, results.json
eval-digits:
	@python3 -c "import numpy, PIL" 2>/dev/null || pip install -q pillow numpy
	cd training/digits && python3 eval.py

# Regenerate the committed test images in training/digits/fixtures/
digits-fixtures:
	@python3 -c "import numpy, PIL" 2>/dev/null || pip install -q pillow numpy
	cd training/digits && python3 make_fixtures.py
