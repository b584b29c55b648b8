"""A hostile case folder: what a crafted case received from someone else can hold.

One honest item, imported the normal way, and three items whose recorded paths lead to files
outside the case (the "victim's" files, each with a marker text): a path climbing out with
"..", an absolute path, and a symbolic link inside originals/ where the original should be.
The crafted rows carry the right SHA-256 and size and a re-chained audit log (the chain has no
key, so anyone can extend it): before the fix, verify said OK and export copied the victim's
files into the ZIP and the PDF.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.evidence.ingest.importer import import_files
from app.evidence.store import audit
from app.evidence.store.case import Case

HONEST_TEXT = "2025-06-12 10:00 【杭州市】快件已揽收\n2025-06-13 09:30 【上海市】已签收\n"


@dataclass(frozen=True)
class HostileCase:
    """The case folder, its honest item and the crafted ones (name -> item id, victim file)."""

    root: Path
    honest_id: int
    crafted: dict[str, int]
    victims: dict[str, Path]

    def marker(self, name: str) -> bytes:
        return f"VICTIM-SECRET-{name}".encode()


def craft_item(root: Path, vault_path: str, data: bytes, name: str) -> int:
    """Insert an item row and its import audit row, as an attacker with sqlite3 would."""
    sha = hashlib.sha256(data).hexdigest()
    conn = sqlite3.connect(root / "case.sqlite", isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            "INSERT INTO items (sha256, size, kind, kind_source, format, vault_path, original_name,"
            " imported_at, metadata_json) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                sha,
                len(data),
                "tracking",
                "sniffed",
                "text",
                vault_path,
                name,
                "2025-06-13T02:00:00+00:00",
                '{"format": "text", "mime": "text/plain"}',
            ),
        )
        item_id = int(cur.lastrowid or 0)
        detail = {"sha256": sha, "size": len(data), "kind": "tracking", "name": name}
        audit.append(conn, "2025-06-13T02:00:00+00:00", "item.import", item_id, detail)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return item_id


@pytest.fixture
def hostile_case(tmp_path: Path) -> HostileCase:
    root = tmp_path / "received-case"
    source = tmp_path / "honest.txt"
    source.write_text(HONEST_TEXT, encoding="utf-8")
    with Case.create(root, "别人发来的案件") as case:
        report = import_files(case, [source])
        honest_id = report.results[0].item_id
        assert honest_id is not None
    home = tmp_path / "victim-home"
    home.mkdir()
    victims: dict[str, Path] = {}
    crafted: dict[str, int] = {}
    for name in ("dotdot", "absolute", "link"):
        victim = home / f"{name}.txt"
        victim.write_bytes(f"2025-06-12 10:00 VICTIM-SECRET-{name}\n".encode())
        victim.chmod(0o444)
        victims[name] = victim
    data = victims["dotdot"].read_bytes()
    crafted["dotdot"] = craft_item(root, "../victim-home/dotdot.txt", data, "dotdot.txt")
    data = victims["absolute"].read_bytes()
    crafted["absolute"] = craft_item(root, str(victims["absolute"]), data, "absolute.txt")
    data = victims["link"].read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    rel = f"originals/{sha[:2]}/{sha}.txt"
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(victims["link"], root / rel)
    crafted["link"] = craft_item(root, rel, data, "link.txt")
    return HostileCase(root, honest_id, crafted, victims)
