"""The release workflow (.github/workflows/release.yml) parses, and names things that exist here.

It cannot run in this sandbox; this keeps it from rotting when a path, a target or the spec it
calls changes. PyYAML is not a declared dependency: the test is skipped where it is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps() -> list[dict]:
    return load()["jobs"]["build"]["steps"]


def runs() -> str:
    return "\n".join(step.get("run", "") for step in steps())


def test_triggers_and_matrix() -> None:
    flow = load()
    triggers = flow[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["tags"] == ["v*"]
    oses = [entry["os"] for entry in flow["jobs"]["build"]["strategy"]["matrix"]["include"]]
    assert oses == ["windows-latest", "macos-14", "ubuntu-latest"]


def test_install_test_build_smoke_upload_in_that_order() -> None:
    uses = [step.get("uses", "") for step in steps()]
    assert "actions/checkout@v4" in uses
    setup = next(step for step in steps() if step.get("uses") == "actions/setup-python@v5")
    assert setup["with"]["python-version"] == "3.11"
    text = runs()
    order = [
        'pip install -c constraints.txt -e ".[dev]"',
        'pytest -m "not packaging"',
        "PyInstaller --noconfirm --clean build.spec",
        "pytest tests/packaging -m packaging",
        "scripts/dist_archive.py dist",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert uses.count("actions/upload-artifact@v4") == 2


def test_everything_it_names_exists() -> None:
    text = runs()
    for path in (
        "build.spec",
        "scripts/system-deps.sh",
        "scripts/dist_archive.py",
        "installer/evidence-desk.nsi",
        "tests/packaging/test_frozen.py",
    ):
        assert (REPO / path).is_file(), path
    assert "installer\\evidence-desk.nsi" in text
    assert "make system-deps" in text


def test_release_job_only_on_tags_with_write_permission() -> None:
    release = load()["jobs"]["release"]
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert release["permissions"] == {"contents": "write"}
    assert release["steps"][-1]["uses"] == "softprops/action-gh-release@v2"
