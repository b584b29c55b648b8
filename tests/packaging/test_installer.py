"""The Windows installer script (installer/evidence-desk.nsi) compiles with makensis around a stub
payload, and says what the release needs: per user, no administrator, shortcuts, the case
marker's association, an uninstaller that never deletes a case.

The installer cannot run here (no Windows); the release workflow builds it around the real
Windows build. makensis comes from Debian's nsis package (the Makefile's SYSTEM_PACKAGES).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.evidence.winpaths import CASE_MARKER_SUFFIX

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "installer" / "evidence-desk.nsi"
MAKENSIS = shutil.which("makensis")


def script() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def section(name: str) -> str:
    match = re.search(rf'^Section "{name}"\n(.*?)^SectionEnd', script(), re.S | re.M)
    assert match, f"no section {name}"
    return match.group(1)


@pytest.mark.skipif(MAKENSIS is None, reason="makensis is not installed (apt-get install nsis)")
def test_makensis_compiles_the_installer_around_a_stub_payload(tmp_path: Path) -> None:
    payload = tmp_path / "dist" / "EvidenceDesk"
    (payload / "_internal" / "资源").mkdir(parents=True)
    for launcher in ("EvidenceDesk.exe", "evidence-desk.exe"):
        (payload / launcher).write_bytes(b"MZ stub launcher, not a program")
    (payload / "_internal" / "资源" / "证据模板.txt").write_text("stub", encoding="utf-8")
    out = tmp_path / "EvidenceDesk-0.1.0-setup.exe"
    done = subprocess.run(
        [
            MAKENSIS,
            "-WX",
            "-INPUTCHARSET",
            "UTF8",
            f"-DPAYLOAD={payload}",
            "-DVERSION=0.1.0",
            f"-DOUTFILE={out}",
            str(SCRIPT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert out.is_file() and out.read_bytes()[:2] == b"MZ"
    assert out.stat().st_size > 50_000  # the NSIS stub, the uninstaller and the payload


@pytest.mark.skipif(MAKENSIS is None, reason="makensis is not installed (apt-get install nsis)")
def test_makensis_refuses_a_build_without_a_payload(tmp_path: Path) -> None:
    done = subprocess.run(
        [MAKENSIS, "-INPUTCHARSET", "UTF8", f"-DOUTFILE={tmp_path / 'x.exe'}", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0 and "define PAYLOAD" in done.stdout + done.stderr


def test_per_user_without_administrator_rights() -> None:
    text = script()
    assert re.search(r"^RequestExecutionLevel user$", text, re.M)
    assert re.search(r'^InstallDir "\$LOCALAPPDATA\\Programs\\', text, re.M)
    assert "HKLM" not in text and "$PROGRAMFILES" not in text
    assert "SetShellVarContext all" not in text


def test_shortcuts_and_the_case_marker_association() -> None:
    install = section("EvidenceDesk")
    assert 'CreateShortcut "$SMPROGRAMS\\' in install
    assert 'CreateShortcut "$DESKTOP\\' in install
    assert f'!define MARKER_EXT "{CASE_MARKER_SUFFIX}"' in script()
    assert 'Software\\Classes\\${MARKER_EXT}" "" "${PROGID}"' in install
    assert '\\shell\\open\\command" "" \'"$INSTDIR\\${EXE}" "%1"\'' in install


def test_the_uninstaller_never_deletes_recursively_outside_the_program_files() -> None:
    uninstall = section("Uninstall")
    recursive = re.findall(r"RMDir /r \"([^\"]+)\"", uninstall)
    assert recursive == ["$INSTDIR\\_internal"], recursive
    assert re.search(r'^\s*RMDir "\$INSTDIR"', uninstall, re.M)  # only when empty
    # the recursive delete is skipped when a case database sits anywhere in the install folder
    assert '${Locate} "$INSTDIR" "/L=F /M=case.sqlite"' in uninstall
    assert uninstall.index("${Locate}") < uninstall.index("RMDir /r")
    deleted = re.findall(r'Delete "([^"]+)"', uninstall)
    assert all(d.startswith(("$INSTDIR\\", "$SMPROGRAMS\\", "$DESKTOP\\")) for d in deleted)
    assert not any("*" in d for d in deleted)
