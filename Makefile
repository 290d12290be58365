# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck unit browser bench model model-languages web-furniture ablation compressor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The core package only: what a user gets from `pip install nutgraf`.
$(VENV)/.core: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	@touch $@

# The core plus compression's parser (spaCy): what `make compressor` needs.
$(VENV)/.compress: $(VENV)/.core
	$(BIN)/python -m pip install -q -e '.[compress]'
	@touch $@

# Everything the test suite, lint and type checks need.
$(VENV)/.dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.core $(VENV)/.compress

demo: $(VENV)/.core
	$(BIN)/nutgraf summarize examples/sample_article.txt

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(VENV)/.dev
	$(BIN)/mypy

# Debian's Chromium for the end-to-end browser test (tests/test_web.py).
browser:
	scripts/ensure-chromium.sh

unit: $(VENV)/.dev browser
	$(BIN)/python -m pytest -q

test: lint typecheck unit

bench: $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	$(BIN)/python benchmarks/segmenters.py
	$(BIN)/python benchmarks/segment_languages.py
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/stages.py
	$(BIN)/python benchmarks/batch.py

# The shared data (README "Data"); override with DATA=/path/to/data.
DATA ?= ../shared/data

# Retrain the bundled model exactly as it was made (its metadata records this command and the data hashes):
# the cased CNN stories, the lower-cased archive detokenized and truecased from the cased stories, and the
# silver Daily Mail rows (none on a validation story); the set scorer is trained on out-of-fold sentence
# scores. About 11 minutes on 2 cores (measured 2026-11-29).
model: $(VENV)/.core
	$(BIN)/python scripts/llm_slices.py $(DATA)/cnndm/llm_summaries.jsonl.gz --out build/llm \
		--validation $(DATA)/cnndm/validation_lower.jsonl.gz
	$(BIN)/python scripts/truecase_lower.py $(DATA)/cnndm/train_lower.jsonl.gz --out build/truecased/train_lower.jsonl.gz \
		--cased $(DATA)/cnndm/train.jsonl.gz --cased $(DATA)/cnndm/llm_summaries.jsonl.gz
	$(BIN)/nutgraf train --data $(DATA)/cnndm/train.jsonl.gz --data build/truecased/train_lower.jsonl.gz \
		--silver build/llm/dm_silver.jsonl.gz --rounds 300 --leaves 31 --workers 2 \
		--valid $(DATA)/cnndm/validation.jsonl.gz --valid $(DATA)/cnndm/validation_lower.jsonl.gz \
		--out src/nutgraf/data/gbdt-v1.json.gz

# The Indonesian and Vietnamese models (lang/data/{id,vi}.toml name them): the same recipe on IndoSum and on the
# Vietnamese news set, whose records say their language. About 1 and 3 minutes on 2 cores.
model-languages: $(VENV)/.core
	$(BIN)/nutgraf train --data $(DATA)/multilingual/indosum/train.jsonl.gz --rounds 300 --leaves 31 --workers 2 \
		--valid $(DATA)/multilingual/indosum/validation.jsonl.gz --name gbdt-id --out src/nutgraf/data/gbdt-id-v1.json.gz
	$(BIN)/nutgraf train --data $(DATA)/multilingual/vietnamese/train.jsonl.gz --rounds 300 --leaves 31 --workers 2 \
		--valid $(DATA)/multilingual/vietnamese/validation.jsonl.gz --name gbdt-vi --out src/nutgraf/data/gbdt-vi-v1.json.gz

# The web-page furniture detector (nutgraf.webfurniture), cross-validated by page on the article-extraction
# benchmark's 181 human-labelled pages; about 20 seconds.
web-furniture: $(VENV)/.core
	$(BIN)/python scripts/train_web_furniture.py --data $(DATA)

# Retrain the compressor's model (which deletable units editors delete) from CNN highlights.
compressor: $(VENV)/.compress
	$(BIN)/python scripts/train_compressor.py --data $(DATA)/cnndm/train.jsonl.gz \
		--out src/nutgraf/data/compress-v2.json.gz

# The README's ablation table: the model retrained without each feature group, on validation.
ablation: $(VENV)/.core
	$(BIN)/python scripts/llm_slices.py $(DATA)/cnndm/llm_summaries.jsonl.gz --out build/llm \
		--validation $(DATA)/cnndm/validation_lower.jsonl.gz
	$(BIN)/python scripts/ablation.py --data $(DATA)/cnndm/train.jsonl.gz --silver build/llm/dm_silver.jsonl.gz \
		--valid $(DATA)/cnndm/validation.jsonl.gz --valid build/llm/dm_dev.jsonl.gz

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis src/*.egg-info
