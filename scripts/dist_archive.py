"""Pack the built app into the one file people download (run by `make dist` after PyInstaller).

Usage: .venv/bin/python scripts/dist_archive.py [DIST_DIR]   (default dist)

Writes DIST_DIR/EvidenceDesk-<version>-<os>-<arch>.zip on Windows and .tar.gz elsewhere: a tar
keeps the symbolic links PyInstaller makes inside the Linux folder and the macOS .app (a zip
written by Python would store each linked library twice). Prints the unpacked and packed sizes.
"""

from __future__ import annotations

import platform
import shutil
import sys
import tarfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP_NAME = "EvidenceDesk"


def folder_size(path: Path) -> int:
    """Bytes of path, or of every regular file under it (links not followed, stored once)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def built_app(dist: Path) -> Path:
    """The build in dist: the .app, the folder or the one-file executable; SystemExit if none."""
    for name in (f"{APP_NAME}.app", APP_NAME, f"{APP_NAME}.exe"):
        if (dist / name).exists():
            return dist / name
    raise SystemExit(f"no {APP_NAME} build in {dist}: run `make dist` first")


def archive_name(version: str) -> str:
    """E.g. EvidenceDesk-0.1.0-linux-x86_64 (no extension)."""
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{APP_NAME}-{version}-{system}-{platform.machine().lower()}"


def write_archive(app: Path, target_stem: Path) -> Path:
    """Write app as target_stem.zip (Windows) or target_stem.tar.gz; returns the archive."""
    if sys.platform == "win32":  # a folder or a one-file .exe alike
        return Path(shutil.make_archive(str(target_stem), "zip", app.parent, app.name))
    out = target_stem.with_name(target_stem.name + ".tar.gz")
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(app, arcname=app.name)  # symlinks are stored as links
    return out


def main(argv: list[str]) -> int:
    """Command-line entry: archive the build in argv[0] or dist/."""
    dist = Path(argv[0]) if argv else REPO / "dist"
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    app = built_app(dist)
    for old in [*dist.glob(f"{APP_NAME}-*.tar.gz"), *dist.glob(f"{APP_NAME}-*.zip")]:
        old.unlink()  # archives of earlier builds
    archive = write_archive(app, dist / archive_name(version))
    mb = 1024 * 1024
    sys.stdout.write(
        f"{app.name}: {folder_size(app) / mb:.0f} MB unpacked\n"
        f"{archive.name}: {archive.stat().st_size / mb:.0f} MB to download\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
