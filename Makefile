# EvidenceDesk: `make run` opens the app, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
# Debian packages the tests use: poppler renders and reads exported PDFs, ffmpeg makes test videos.
SYSTEM_PACKAGES ?= poppler-utils ffmpeg

.PHONY: run test bench demo lint system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m app $(CASE)

test: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# The bundled sample case, built and exported headless into demo-out/ (PDF, upload pack, ZIP).
demo: $(STAMP)
	rm -rf demo-out
	$(PY) -m app demo demo-out
	$(PY) -m app verify demo-out/原件.zip

bench: $(STAMP)
	$(PY) -m bench all

lint: $(STAMP)
	$(PY) -m ruff check app tests bench

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

# Debian/Ubuntu packages the tests use to look at outputs (run as root or with sudo).
system-deps:
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES)

clean:
	rm -rf $(VENV) build dist *.egg-info
