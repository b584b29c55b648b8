"""Check that a case's originals and audit log are intact."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from app.evidence.errors import UnsafeStoredPath
from app.evidence.i18n import tr
from app.evidence.store import audit, vault
from app.evidence.store.case import Case


@dataclass(frozen=True)
class Problem:
    """One thing that is not as the case recorded it."""

    code: str  # original_missing, original_changed, audit_broken, audit_missing, database_damaged, unexpected_file
    message: str
    item_id: int | None = None


@dataclass
class CaseVerification:
    """The outcome of verifying a case; `ok` when nothing is wrong."""

    items_checked: int = 0
    audit_rows: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every original and the audit log are intact."""
        return not self.problems


def verify_case(case: Case) -> CaseVerification:
    """Re-hash every original, recompute the audit chain and cross-check the two."""
    result = CaseVerification()
    conn = case.connection
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        integrity = str(exc)
    if integrity != "ok":
        result.problems.append(
            Problem(
                "database_damaged",
                tr(
                    "case.sqlite 已损坏：{detail}", "case.sqlite is damaged: {detail}", detail=integrity
                ),
            )
        )
    chain = audit.check_chain(conn)
    result.problems.extend(Problem("audit_broken", text) for text in chain)
    imported = {
        (entry.item_id, entry.detail.get("sha256"))
        for entry in audit.entries(conn)
        if entry.action == "item.import"
    }
    result.audit_rows = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    known: set[str] = set()
    items = case.items()
    present = {(item.id, item.sha256) for item in items}
    for item_id, sha in sorted(imported - present, key=lambda pair: pair[0] or 0):
        result.problems.append(
            Problem(
                "item_removed",
                tr(
                    "第 {item} 项（SHA-256 {sha}…）曾导入，但已不在案件中",
                    "item {item} (SHA-256 {sha}…) was imported but is no longer in the case",
                    item=item_id,
                    sha=str(sha)[:12],
                ),
                item_id,
            )
        )
    for item in items:
        result.items_checked += 1
        known.add(item.vault_path)
        label = tr(
            "第 {item} 项（{name}）", "item {item} ({name})", item=item.id, name=item.original_name
        )
        if (item.id, item.sha256) not in imported:
            result.problems.append(
                Problem(
                    "audit_missing",
                    tr(
                        "{label} 在审计日志中没有导入记录",
                        "{label} has no import record in the audit log",
                        label=label,
                    ),
                    item.id,
                )
            )
        try:
            path = case.path_of(item)
        except UnsafeStoredPath as exc:  # a crafted case: never read through that path
            result.problems.append(Problem("original_unsafe", f"{label}: {exc}", item.id))
            continue
        if not path.is_file():
            result.problems.append(
                Problem(
                    "original_missing",
                    tr(
                        "{label}：案件中的原件不见了",
                        "{label}: the original is missing from the case",
                        label=label,
                    ),
                    item.id,
                )
            )
            continue
        digest = vault.hash_file(path)
        if digest != item.sha256:
            result.problems.append(
                Problem(
                    "original_changed",
                    tr(
                        "{label}：原件的内容变了（SHA-256 {now}… ≠ {then}…）",
                        "{label}: the original's bytes changed (SHA-256 {now}… ≠ {then}…)",
                        label=label,
                        now=digest[:12],
                        then=item.sha256[:12],
                    ),
                    item.id,
                )
            )
    originals = case.root / vault.ORIGINALS
    if originals.is_dir():
        for path in originals.rglob("*"):
            rel = path.relative_to(case.root).as_posix()
            if path.is_file() and rel not in known and vault.INCOMING not in path.parts:
                result.problems.append(
                    Problem(
                        "unexpected_file",
                        tr(
                            "{path} 在原件文件夹里，但不属于案件",
                            "{path} is in the originals folder but not in the case",
                            path=rel,
                        ),
                    )
                )
    result.problems += [Problem(code, str(text)) for code, text in vault.folder_problems(case.root)]
    return result
