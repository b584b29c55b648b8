"""scripts/wheels_check.py's offline parts: requirement names, pip freeze, the pip command.

The download itself needs PyPI and runs only as `make wheels-check`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("wheels_check", REPO / "scripts" / "wheels_check.py")
assert _spec and _spec.loader
wheels_check = importlib.util.module_from_spec(_spec)
sys.modules["wheels_check"] = wheels_check
_spec.loader.exec_module(wheels_check)


def test_requirement_names_drop_versions_extras_and_markers() -> None:
    names = wheels_check.requirement_names(
        [
            "pyside6-essentials>=6.6",
            "rapidocr>=3.10,<4",
            "Pillow_HEIF[extra] >= 0.16",
            "atheris>=3.0; sys_platform == 'linux'",
            "c2pa-python>=0.38,<0.39",
            "zxing.cpp",
        ]
    )
    assert names == [
        "pyside6-essentials",
        "rapidocr",
        "pillow-heif",
        "atheris",
        "c2pa-python",
        "zxing-cpp",
    ]


def test_a_line_that_is_not_a_requirement_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a requirement"):
        wheels_check.requirement_names([">=1.0"])


def test_parse_freeze_normalises_names_and_skips_editables() -> None:
    frozen = wheels_check.parse_freeze(
        "PySide6_Essentials==6.12.0\n"
        "-e git+https://example.invalid/x.git@abc#egg=evidence_desk\n"
        "evidence-desk @ file:///work/main\n"
        "# a comment\n"
        "ExifRead==3.5.1\n"
        "\n"
        "opencv-python-headless==5.1.0.95\n"
    )
    assert frozen == {
        "pyside6-essentials": "6.12.0",
        "exifread": "3.5.1",
        "opencv-python-headless": "5.1.0.95",
    }


def test_pins_mark_a_dependency_missing_from_the_venv() -> None:
    pins = wheels_check.pins(["numpy", "av"], {"numpy": "2.4.6"})
    assert pins == [wheels_check.Pin("numpy", "2.4.6"), wheels_check.Pin("av", None)]


def test_download_command_is_binary_only_for_the_target(tmp_path: Path) -> None:
    command = wheels_check.download_command(wheels_check.Pin("av", "18.1.0"), "win_amd64", tmp_path)
    joined = " ".join(command)
    for part in (
        "pip download",
        "--only-binary=:all:",
        "--no-deps",
        "--platform win_amd64",
        "--python-version 3.11",
        "--implementation cp",
        f"--dest {tmp_path}",
        "av==18.1.0",
    ):
        assert part in joined
    assert "install" not in command


def test_every_project_dependency_is_named() -> None:
    names = wheels_check.project_dependencies(REPO / "pyproject.toml")
    assert "pyside6-essentials" in names and "onnxruntime" in names
    assert "pytest" not in names  # dev extra, not a runtime dependency


def test_constraints_pin_every_runtime_dependency_within_its_range() -> None:
    """What `make` and the release workflow install: every [project.dependencies] entry pinned
    once in constraints.txt, at a version its range in pyproject.toml allows."""
    import tomllib

    from packaging.requirements import Requirement

    pinned = wheels_check.parse_freeze((REPO / "constraints.txt").read_text(encoding="utf-8"))
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wrong = []
    for line in data["project"]["dependencies"]:
        requirement = Requirement(line)
        name = wheels_check.normalise(requirement.name)
        version = pinned.get(name)
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            wrong.append(f"{line}: pinned {version}")
    assert not wrong, wrong
    names = set(wheels_check.project_dependencies(REPO / "pyproject.toml"))
    assert set(pinned) == names, set(pinned) ^ names  # no pin for something not depended on
