# EvidenceDesk: `make run` opens the app, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
# Debian packages the tests use: poppler renders and reads exported PDFs, ffmpeg makes test videos,
# nsis (makensis) compiles the Windows installer script around a stub payload.
SYSTEM_PACKAGES ?= poppler-utils ffmpeg strace iproute2 nsis

.PHONY: run test bench accuracy fuzz demo lint system-deps clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m app $(CASE)

# TEST_WORKERS: pytest-xdist processes (auto = one per core); whole test files go to one worker
# so a module's fixtures are made once. TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto
test: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

# The bundled sample case, built and exported headless into demo-out/ (PDF, upload pack, ZIP).
demo: $(STAMP)
	rm -rf demo-out
	$(PY) -m app demo demo-out
	$(PY) -m app verify demo-out/原件.zip

# Every benchmark on generated data, then bench/results/latest.json and latest.md (the README
# table). BENCH_EXPORT_SIZES: the export scaling sizes (1000 exhibits takes ~5 minutes).
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench all $(if $(BENCH_EXPORT_SIZES),--export-sizes $(BENCH_EXPORT_SIZES))

# The integrity checks scored on every labelled file (tests/data/realworld, ../shared/corpus when
# present, the generated held-out-style set): docs/accuracy.md and docs/accuracy.json.
accuracy: $(STAMP)
	$(PY) -m bench accuracy

# Longer fuzzing than `make test` (about 15 minutes): Hypothesis with fresh random inputs and
# FUZZ_EXAMPLES per test, the issue's FUZZ_TRIALS kill -9 trials per command, then each atheris
# target (when installed: Linux x86-64) for FUZZ_SECONDS; crashes are kept in build/fuzz/.
FUZZ_EXAMPLES ?= 3000
FUZZ_TRIALS ?= 50
FUZZ_SECONDS ?= 120
fuzz: $(STAMP)
	EVIDENCE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) EVIDENCE_FAULT_TRIALS=$(FUZZ_TRIALS) QT_QPA_PLATFORM=offscreen \
		$(PY) -m pytest tests/fuzz tests/robustness tests/evidence/tracking/test_fuzz.py
	@if $(PY) -c "import atheris" 2>/dev/null; then \
		mkdir -p build/fuzz; status=0; \
		for target in image mp4 zip tracking; do \
			$(PY) -m tests.fuzz.atheris_fuzz $$target -max_total_time=$(FUZZ_SECONDS) \
				-artifact_prefix=build/fuzz/ || status=1; \
		done; exit $$status; \
	else echo "atheris is not installed (Linux x86-64 only): coverage-guided fuzzing skipped"; fi

lint: $(STAMP)
	$(PY) -m ruff check app tests bench
	$(PY) -m ruff format --check app tests bench
	$(PY) -m mypy
	$(VENV)/bin/lint-imports  # contracts in pyproject.toml: the core without Qt, front ends through the service

# The desktop build (build.spec): dist/EvidenceDesk/, on macOS dist/EvidenceDesk.app.
# ONEFILE=1: one self-extracting executable instead; ARCHIVE=1: also the .tar.gz/.zip to hand out
# (about 40 s more). PyInstaller comes with the dev extra.
.PHONY: dist
dist: $(STAMP)
	rm -rf dist/EvidenceDesk*
	EVIDENCE_DESK_ONEFILE=$(ONEFILE) $(PY) -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller build.spec
	@du -sh dist/EvidenceDesk* | sed 's/^/size: /'
	$(if $(ARCHIVE),$(PY) scripts/dist_archive.py dist)

# Every runtime dependency, at the version this venv has, exists as a CPython 3.11 wheel for
# win_amd64 and macOS 14 arm64 (pip download --only-binary into a temporary folder; needs PyPI,
# so it is not part of `make test`).
.PHONY: wheels-check installer
wheels-check: $(STAMP)
	$(PY) scripts/wheels_check.py

# The Windows installer (NSIS) around a built Windows folder: PAYLOAD=path\to\dist\EvidenceDesk.
# The release workflow runs it on Windows; here it compiles around any folder (see tests/packaging).
PAYLOAD ?= dist/EvidenceDesk
installer:
	makensis -INPUTCHARSET UTF8 -DPAYLOAD=$(PAYLOAD) -DOUTFILE=$(CURDIR)/dist/EvidenceDesk-setup.exe \
		installer/evidence-desk.nsi

# Debian/Ubuntu packages the tests use to look at outputs (run as root or with sudo).
system-deps:
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES)

clean:
	rm -rf $(VENV) build dist *.egg-info
