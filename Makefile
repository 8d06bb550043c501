# livestudio: two commands. `make play` and `make test` set everything up themselves.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSSTAMP := .venv-system-packages

.PHONY: play test setup system clean bench

play: setup
	$(VENV)/bin/livestudio play examples/demo.py

test: setup system-test
	$(PY) -m pytest -q

setup: $(STAMP)

$(STAMP): pyproject.toml
	bash scripts/setup.sh system-runtime
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@echo "compiling the DSP kernels and the audio callback once (1-3 min; later starts load them)"
	$(PY) -c "from livestudio.engine.host.prime import prime; prime('core')"
	touch $(STAMP)

system-test:
	bash scripts/setup.sh system-test

clean:
	rm -rf $(VENV) build *.egg-info
