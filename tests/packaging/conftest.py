"""The frozen build under test: built once per session with PyInstaller from build.spec.

The build takes 30-60 s. `pytest -m "not packaging"` leaves these tests out while iterating;
EVIDENCE_FROZEN_APP=/path/to/dist/EvidenceDesk tests an existing build (e.g. the one `make dist`
made) instead of building one. Every frozen run gets a private HOME (so QSettings never touches
the user's), runs outside the repository, and, where `unshare -n` works (root, or user
namespaces), with no network at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "build.spec"
APP_NAME = "EvidenceDesk"
BUILD_TIMEOUT = 900  # seconds; a cold build here takes 30-60
RUN_TIMEOUT = 300  # one frozen command, OCR included


def pytest_configure(config: pytest.Config) -> None:
    """Register the `packaging` marker (deselect with -m "not packaging")."""
    config.addinivalue_line("markers", "packaging: builds and runs the frozen PyInstaller app")


@dataclass(frozen=True)
class FrozenApp:
    """A built app: its folder, the GUI launcher and the command-line launcher.

    Attributes:
        root: the one-folder build (dist/EvidenceDesk, or the .app on macOS).
        gui: what the user double-clicks.
        cli: the launcher for commands (the same file except on Windows: evidence-desk.exe).
    """

    root: Path
    gui: Path
    cli: Path


@dataclass(frozen=True)
class FrozenRun:
    """The outcome of one frozen command."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float


RunFrozen = Callable[..., FrozenRun]
"""run_frozen(*args, gui=False, extra_env=None, timeout=RUN_TIMEOUT) -> FrozenRun"""


def locate(root: Path) -> FrozenApp:
    """The launchers inside a one-folder build (or a macOS .app)."""
    if root.suffix == ".app":
        gui = cli = root / "Contents" / "MacOS" / APP_NAME
    elif sys.platform == "win32":
        gui, cli = root / f"{APP_NAME}.exe", root / "evidence-desk.exe"
    else:
        gui = cli = root / APP_NAME
    return FrozenApp(root, gui, cli)


def network_blocker() -> list[str]:
    """`unshare -n` when it works here (the run then has no network interface but lo)."""
    unshare = shutil.which("unshare")
    if unshare and sys.platform.startswith("linux"):
        probe = subprocess.run([unshare, "-n", "true"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return [unshare, "-n"]
    return []


@pytest.fixture(scope="session")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FrozenApp]:
    """Build the app once for the session (or take EVIDENCE_FROZEN_APP) and return its launchers.

    The build (~470 MB) is deleted at the end of the session; `make dist` keeps one to look at.
    """
    given = os.environ.get("EVIDENCE_FROZEN_APP")
    if given:
        app = locate(Path(given).resolve())
        if not app.cli.is_file():
            pytest.fail(f"EVIDENCE_FROZEN_APP={given}: no launcher at {app.cli}")
        yield app
        return
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.skip(
            "PyInstaller is not installed; it comes with the dev extra: pip install -e '.[dev]'"
        )
    out = tmp_path_factory.mktemp("frozen")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(out / "dist"), "--workpath", str(out / "work"), str(SPEC)]
    build = subprocess.run(
        command,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        env=os.environ | {"EVIDENCE_DESK_ONEFILE": "0", "EVIDENCE_DESK_TRIM": "1"},
    )
    if build.returncode != 0:
        pytest.fail(f"PyInstaller failed ({build.returncode}):\n{build.stderr[-4000:]}")
    shutil.rmtree(out / "work", ignore_errors=True)  # intermediate files
    root = out / "dist" / (f"{APP_NAME}.app" if sys.platform == "darwin" else APP_NAME)
    yield locate(root)
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="session")
def run_frozen(frozen_app: FrozenApp, tmp_path_factory: pytest.TempPathFactory) -> RunFrozen:
    """Return a function that runs the frozen app like a user would, offline where possible."""
    home = tmp_path_factory.mktemp("home")
    blocker = network_blocker()
    if not blocker:
        warnings.warn(
            "`unshare -n` does not work here: the frozen app ran with the network up", stacklevel=1
        )
    # a clean environment: nothing from the virtualenv or the source tree may leak in
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "QT_"))
    }
    env |= {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "USERPROFILE": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "zh_CN.UTF-8",
    }

    def run(
        *args: str | Path,
        gui: bool = False,
        extra_env: dict[str, str] | None = None,
        timeout: float = RUN_TIMEOUT,
    ) -> FrozenRun:
        launcher = frozen_app.gui if gui else frozen_app.cli
        command: Sequence[str] = [*blocker, str(launcher), *map(str, args)]
        started = time.monotonic()
        done = subprocess.run(
            command,
            cwd=home,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            env=env | (extra_env or {}),
        )
        return FrozenRun(done.returncode, done.stdout, done.stderr, time.monotonic() - started)

    return run
