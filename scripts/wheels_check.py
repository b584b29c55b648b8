"""Do the runtime dependencies exist as wheels for Windows and macOS at the versions we use?

Usage: .venv/bin/python scripts/wheels_check.py   (`make wheels-check`; needs PyPI)

For every requirement in pyproject.toml's [project.dependencies], take the version
constraints.txt pins (what `make` and the release workflow install) and ask pip for a
binary-only download of exactly that version for each target (CPython 3.11 on win_amd64 and on
macOS 14 arm64, what the release workflow builds on):

    pip download --only-binary=:all: --no-deps --platform P --python-version 3.11
                 --implementation cp --dest TMP name==version

Nothing is installed; each download goes to a temporary folder that is removed. Prints one line
per dependency and target (the wheel's file name, or MISSING) and exits 1 naming every missing
one, 2 when a dependency is not pinned in constraints.txt.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON_VERSION = "3.11"
# (label, pip --platform): pip widens a macOS tag to the older macOS versions and universal2
TARGETS = (("win_amd64", "win_amd64"), ("macos-14 arm64", "macosx_14_0_arm64"))
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalise(name: str) -> str:
    """PEP 503 name: PySide6_Essentials and pyside6-essentials are the same project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(requirements: Iterable[str]) -> list[str]:
    """The project names of PEP 508 requirement strings (extras, versions, markers dropped).

    A requirement whose marker says it is not for Windows is still listed: the check is about
    what the package index has, and a marker-limited dependency is named so someone looks.
    """
    names = []
    for line in requirements:
        match = _NAME.match(line)
        if not match:
            raise ValueError(f"not a requirement: {line!r}")
        names.append(normalise(match.group(1)))
    return names


def project_dependencies(pyproject: Path) -> list[str]:
    """[project.dependencies] of a pyproject.toml, as normalised names."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return requirement_names(data["project"].get("dependencies", []))


def parse_freeze(text: str) -> dict[str, str]:
    """`pip freeze` output -> {normalised name: version} (editable and URL lines left out)."""
    pinned = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-e ", "--")) or " @ " in line or "==" not in line:
            continue
        name, _, version = line.partition("==")
        pinned[normalise(name)] = version.split(";")[0].strip()
    return pinned


@dataclass(frozen=True)
class Pin:
    """A dependency and the version to check (None: not installed here)."""

    name: str
    version: str | None


def pins(names: Sequence[str], frozen: dict[str, str]) -> list[Pin]:
    """Each dependency with the version pinned for it (None: not pinned)."""
    return [Pin(name, frozen.get(name)) for name in names]


def download_command(pin: Pin, platform: str, dest: Path) -> list[str]:
    """The pip download that succeeds only when a matching wheel exists."""
    return [
        sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--only-binary=:all:", "--no-deps", "--platform", platform,
        "--python-version", PYTHON_VERSION, "--implementation", "cp",
        "--dest", str(dest), f"{pin.name}=={pin.version}",
    ]


def wheel_for(pin: Pin, platform: str) -> tuple[str | None, str]:
    """The file name of the wheel pip found (None when there is none), and pip's last error."""
    with tempfile.TemporaryDirectory(prefix="wheels-check-") as tmp:
        done = subprocess.run(
            download_command(pin, platform, Path(tmp)), capture_output=True, text=True
        )
        wheels = sorted(p.name for p in Path(tmp).glob("*.whl"))
        errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
        reason = errors[-1] if errors else done.stderr.strip()[-200:]
        return (wheels[0] if done.returncode == 0 and wheels else None), reason


def main() -> int:
    names = project_dependencies(REPO / "pyproject.toml")
    pinned = parse_freeze((REPO / "constraints.txt").read_text(encoding="utf-8"))
    checked = pins(names, pinned)
    absent = [p.name for p in checked if p.version is None]
    if absent:
        print(f"not pinned in constraints.txt: {', '.join(absent)}")
        return 2
    missing = []
    for pin in checked:
        for label, platform in TARGETS:
            wheel, reason = wheel_for(pin, platform)
            shown = wheel or f"MISSING ({reason})"
            print(f"{pin.name + '==' + str(pin.version):<36} {label:<15} {shown}", flush=True)
            if wheel is None:
                missing.append(f"{pin.name}=={pin.version} ({label})")
    print(f"{len(checked)} dependencies x {len(TARGETS)} targets, CPython {PYTHON_VERSION}: "
          f"{len(checked) * len(TARGETS) - len(missing)} wheels found, {len(missing)} missing")
    if missing:
        print("no wheel: " + "; ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
