# Fiche Desktop: the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-quick test-windows setup system-run system-test system-bench system-windows data lint bench frozen deb windows clean

run: system-run $(STAMP)
	@$(BIN)/python scripts/prepare_start.py >/dev/null
	$(BIN)/fiche-desktop

# The Linux suite, then the Windows lane under Wine (test-windows).
test: system-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	$(MAKE) test-windows

# Windows under Wine: the unit and GUI suites on the Windows embeddable CPython, the frozen Windows
# folder, then the MSI installed silently, used (--smoke-test, search, export) and removed.
# Work folder (reused between runs): build/windows/.
test-windows: system-windows $(STAMP)
	HOST_PYTHON=$(BIN)/python installer/windows/wine.sh test

# While developing: everything but the slow packaging tests (wheel, frozen app, .deb) and the
# Windows lane.
test-quick: system-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not packaging"

setup: $(STAMP)

system-run:
	@scripts/install-system-deps.sh run

system-test:
	@scripts/install-system-deps.sh test

system-bench:
	@scripts/install-system-deps.sh bench

system-windows:
	@scripts/install-system-deps.sh windows

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python scripts/prepare_start.py
	touch $(STAMP)

# Validate resources/content and rebuild data.db (deterministic, atomic).
data: $(STAMP)
	$(BIN)/python -m fiche_desktop.build resources/content data.db

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts installer
	$(BIN)/ruff format --check src tests benchmarks scripts installer
	$(BIN)/mypy

# Prints every figure next to its budget and writes benchmarks/RESULTS.md.
# The long soak of issue 9: make bench BENCH_ARGS="--long-soak 10000" (about 40 minutes, kept in SOAK.md).
BENCH_ARGS ?=
bench: system-bench $(STAMP)
	$(BIN)/python scripts/prepare_start.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py --write $(BENCH_ARGS)

# The frozen one-folder app (PyInstaller): dist/fiche-desktop/
frozen: $(STAMP)
	$(BIN)/python scripts/prepare_start.py
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller installer/fiche_desktop.spec

# The Debian package, built from the frozen folder: dist/fiche-desktop_VERSION_ARCH.deb
deb: frozen
	installer/linux/build-deb.sh dist/fiche-desktop dist

# The Windows MSI, built on Linux under Wine: dist/windows/fiche-desktop-VERSION-x64.msi
windows: system-windows $(STAMP)
	HOST_PYTHON=$(BIN)/python installer/windows/wine.sh build

clean:
	rm -rf $(VENV) build dist
