"""Check that a case's originals, audit log and recorded fields are intact.

What `verify CASE` covers, and how:

* every original is re-hashed and compared with its item's SHA-256; files in originals/ that no
  item lists, items the audit log imported but that are gone, items with no import record;
* the audit chain is recomputed row by row (an edited, removed or reordered row breaks it);
* every field listed in `audit.COVERED` (case details and order number, item names, kinds and
  capture times, notes, events, timeline times and order, dates, summary, submissions,
  checklist, redactions, OCR corrections, findings and verdicts) is compared with the value its
  last audited change recorded: an edit made in case.sqlite without EvidenceDesk is named with
  its fields. Cases written only by versions before schema 7 have no such records (said as a
  note); for others, edits made before the upgrade to schema 7 are not seen;
* rows removed from the end of the audit log: the newest export's manifest kept in exports/
  records the head of the log at that time; that row must still be in the log;
* derived data: the integrity checks are run again on each checked photo and video and the
  verdict and findings (code and severity) compared with the stored ones. C2PA findings (they
  depend on c2pa-python and its trust list), a check that failed midway, chat stitching (OCR)
  and cross-item findings are not recomputed; they are covered by the audit records only.

What no keyless check can stop: someone who rewrites case.sqlite, including every audit hash,
and the kept manifests. An earlier export kept elsewhere catches it: `verify OLD.pdf --against
CASE` compares every exhibit's hash and the audit head that export recorded with the case.

Everything read from case.sqlite comes from one read transaction, so an import committing
meanwhile is either wholly seen or not at all; a file found in originals/ that the snapshot
does not list is checked again against the database, and one an import is committing (its
.committing marker) is waited for, then at most a note.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from app.evidence.errors import UnsafeStoredPath
from app.evidence.i18n import pick, tr
from app.evidence.models import Item
from app.evidence.store import audit, item_state, vault
from app.evidence.store.case import Case

MAX_KEPT_MANIFEST = 64 * 1024 * 1024
WAIT_S = 3.0  # how long verify waits for the rows of files an import is committing
# findings whose presence depends on the environment or on a failure, not on the original
_NOT_RECOMPUTED = ("c2pa", "check_incomplete")


class _Coded(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def severity(self) -> Any: ...


class Rechecked(Protocol):
    """What a check run again returns: its verdict (an enum with `.value`) and findings."""

    @property
    def verdict(self) -> Any: ...

    @property
    def findings(self) -> Sequence[_Coded]: ...


Recheck = Callable[[Case, Item], "Rechecked | None"]
"""Runs the checks of one item again; None when the item's kind is not checked."""


@dataclass(frozen=True)
class Problem:
    """One thing that is not as the case recorded it."""

    # original_missing, original_changed, original_unsafe, audit_broken, audit_missing,
    # audit_truncated, item_removed, database_damaged, unexpected_file, field_changed,
    # row_added, row_removed, changed_outside, derived_differs (and the vault's folder
    # problems)
    code: str
    message: str
    item_id: int | None = None


@dataclass
class CaseVerification:
    """The outcome of verifying a case; `ok` when nothing is wrong.

    Attributes:
        notes: what this verification could not cover (said beside the verdict).
        fields_checked: covered rows compared with their audited state (0 for older cases).
        rechecked: items whose verdict and findings were recomputed from the original.
    """

    items_checked: int = 0
    audit_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fields_checked: int = 0
    rechecked: int = 0

    @property
    def ok(self) -> bool:
        """True when every original and the audit log are intact."""
        return not self.problems


@dataclass
class _Snapshot:
    chain: list[str]
    entries: list[audit.AuditEntry]
    items: list[Item]
    expected: dict[tuple[str, str], audit.RowState | None]
    first_state: int | None
    outside: list[tuple[int, str, str, list[str]]]
    current: dict[tuple[str, str], audit.RowState]
    verdicts: dict[int, str]
    findings: dict[int, set[tuple[str, str]]]
    audit_rows: int
    first_state_at: str | None = None
    uncovered: tuple[str, ...] = ()


def verify_case(case: Case, *, recheck: Recheck | None = None) -> CaseVerification:
    """Re-hash every original, recompute the audit chain, compare the recorded fields with the
    audit log and (with `recheck`) the stored verdicts with the checks run again.

    Args:
        recheck: runs the integrity checks of one item again (the checks sit above the store:
            `app.evidence.service.verifying.verify_case` passes them); None leaves the stored
            verdicts to the audit records.
    """
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
                    "case.sqlite 已损坏：{detail}",
                    "case.sqlite is damaged: {detail}",
                    detail=integrity,
                ),
            )
        )
    snap = _read_snapshot(conn)
    result.problems.extend(Problem("audit_broken", text) for text in snap.chain)
    result.audit_rows = snap.audit_rows
    _check_head(case, snap, result)
    _check_fields(snap, result)
    imported = {
        (entry.item_id, entry.detail.get("sha256"))
        for entry in snap.entries
        if entry.action == "item.import"
    }
    known: set[str] = set()
    items = snap.items
    present = {(item.id, item.sha256) for item in items}
    emptied = item_state.purged(conn)  # removed by the user, then emptied: not missing
    result.notes.extend(
        tr(
            "第 {item} 项（SHA-256 {sha}…）已被用户删除并清空",
            "item {item} (SHA-256 {sha}…) was removed and emptied by the user",
            item=item_id,
            sha=str(sha)[:12],
        )
        for item_id, sha in sorted(emptied & (imported - present), key=lambda pair: pair[0] or 0)
    )
    for item_id, sha in sorted(imported - present - emptied, key=lambda pair: pair[0] or 0):
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
    intact: list[Item] = []
    for item in items:
        result.items_checked += 1
        known.add(item.vault_path)
        label = _label(item)
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
        else:
            intact.append(item)
    _check_folder(case, known, result)
    if recheck is not None:
        _recheck(case, intact, snap, result, recheck)
    result.problems += [Problem(code, str(text)) for code, text in vault.folder_problems(case.root)]
    return result


def _label(item: Item) -> str:
    return tr(
        "第 {item} 项（{name}）", "item {item} ({name})", item=item.id, name=item.original_name
    )


def _read_snapshot(conn: sqlite3.Connection) -> _Snapshot:
    """Everything verify reads from case.sqlite, in one read transaction (one WAL snapshot)."""
    from app.evidence.store.case import _ITEM_SELECT, _item

    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        chain = audit.check_chain(conn)
        entries = audit.entries(conn)
        items = [_item(r) for r in conn.execute(_ITEM_SELECT + " ORDER BY i.id")]
        replayed = audit.replay(conn)
        first = replayed.first
        current: dict[tuple[str, str], audit.RowState] = {}
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        # tables whose triggers this database does not have yet (opened read-only, older)
        uncovered = tuple(t for t, since in audit.COVERED_FROM.items() if since > version)
        if first is not None:
            for table in audit.COVERED:
                if table in uncovered:
                    continue
                for key, fields in audit.current_rows(conn, table):
                    current[(table, key)] = fields
        verdicts: dict[int, str] = {}
        findings: dict[int, set[tuple[str, str]]] = {}
        try:
            for item_id, verdict in conn.execute(
                "SELECT id, verdict FROM items WHERE verdict IS NOT NULL"
            ):
                verdicts[item_id] = verdict
            for item_id, code, severity in conn.execute(
                "SELECT item_id, code, severity FROM findings WHERE origin = 'check'"
            ):
                findings.setdefault(item_id, set()).add((code, severity))
        except sqlite3.OperationalError:  # a case from before findings (schema < 4)
            pass
        rows = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
        first_at = None
        if first is not None:
            row = conn.execute("SELECT at FROM audit_log WHERE seq = ?", (first,)).fetchone()
            first_at = row[0] if row else None
    finally:
        if began:
            conn.execute("COMMIT")
    return _Snapshot(
        chain,
        entries,
        items,
        replayed.expected,
        first,
        replayed.outside,
        current,
        verdicts,
        findings,
        rows,
        first_at,
        uncovered,
    )


# -- recorded fields ---------------------------------------------------------------------------


def _what(table: str, key: str) -> tuple[str, int | None]:
    """A covered row in words, and the item it belongs to."""
    first = key.split("\x1f")[0]
    per_item = ("items", "notes", "item_states", "item_folder_hints")
    item_id = int(first) if first.isdigit() and table in per_item else None
    names = {
        "case_info": (
            "案件信息（标题、订单号、纠纷类型）",
            "the case details (title, order number, dispute)",
        ),
        "items": ("第 {key} 项", "item {key}"),
        "notes": ("第 {key} 项的备注", "the note of item {key}"),
        "events": ("事件 {key}", "event {key}"),
        "event_notes": ("事件 {key} 的备注", "the note of event {key}"),
        "timeline_entries": ("时间线条目 {key}", "timeline entry {key}"),
        "phase_labels": ("阶段名称 {key}", "phase label {key}"),
        "case_dates": ("关键日期 {key}", "key date {key}"),
        "case_summary": ("案件概要", "the case summary"),
        "submissions": ("提交记录 {key}", "submission {key}"),
        "checklist_ticks": ("清单项 {key}", "checklist entry {key}"),
        "redactions": ("遮盖区域 {key}", "redaction {key}"),
        "ocr_corrections": ("OCR 更正 {key}", "OCR correction {key}"),
        "findings": ("检查结果 {key}", "finding {key}"),
        "item_states": ("第 {key} 项的删除/不导出状态", "the removed/excluded state of item {key}"),
        "item_folder_hints": ("第 {key} 项的手机文件夹提示", "the phone folder hint of item {key}"),
    }
    zh, en = names.get(table, (table + " {key}", table + " {key}"))
    return pick(zh, en).format(key=key.replace("\x1f", "/")), item_id


def _check_fields(snap: _Snapshot, result: CaseVerification) -> None:
    if snap.first_state is None:
        result.notes.append(
            tr(
                "此案件由 schema 7 之前的版本写入：备注、事件、拍摄时间、原文件名、订单号等字段"
                "不在审计记录的覆盖范围内（以可写方式打开一次后开始覆盖）",
                "this case was written by a version before schema 7: notes, events, capture "
                "times, original names, the order number and the other fields are not covered "
                "by audit records (they are from the first writable open with this version on)",
            )
        )
        return
    result.notes.append(
        tr(
            "字段自审计日志第 {seq} 行（{at}）起受审计记录覆盖；之前的改动无法发现",
            "fields are covered by audit records from audit row {seq} ({at}) on; "
            "changes before it cannot be seen",
            seq=snap.first_state,
            at=snap.first_state_at or "?",
        )
    )
    for seq, table, row_key, fields in snap.outside:
        what, item_id = _what(table, row_key)
        result.problems.append(
            Problem(
                "changed_outside",
                tr(
                    "{what}：{fields} 在审计日志第 {seq} 行的改动之前已在举证助手之外被改动",
                    "{what}: {fields} had been changed outside EvidenceDesk before the change "
                    "of audit row {seq}",
                    what=what,
                    fields=", ".join(fields),
                    seq=seq,
                ),
                item_id,
            )
        )
    if snap.uncovered:
        result.notes.append(
            tr(
                "此案件的版本尚未覆盖：{tables}（以可写方式打开一次后开始覆盖）",
                "not covered in this case's schema yet: {tables} (from the first writable "
                "open with this version on)",
                tables=", ".join(snap.uncovered),
            )
        )
    for key in sorted(snap.expected.keys() | snap.current.keys()):
        table, row_key = key
        if table not in audit.COVERED or table in snap.uncovered:
            continue
        result.fields_checked += 1
        now = snap.current.get(key)
        then = snap.expected.get(key, "unrecorded")
        what, item_id = _what(table, row_key)
        if then == "unrecorded" or (then is None and now is not None):
            result.problems.append(
                Problem(
                    "row_added",
                    tr(
                        "{what} 在 case.sqlite 中，"
                        "但审计日志没有记录它的写入（在举证助手之外添加）",
                        "{what} is in case.sqlite but no audit row recorded it "
                        "(added outside EvidenceDesk)",
                        what=what,
                    ),
                    item_id,
                )
            )
        elif now is None and then is not None:
            result.problems.append(
                Problem(
                    "row_removed",
                    tr(
                        "{what} 已不在 case.sqlite 中，"
                        "但审计日志没有记录删除（在举证助手之外删除）",
                        "{what} is gone from case.sqlite but no audit row recorded its removal "
                        "(removed outside EvidenceDesk)",
                        what=what,
                    ),
                    item_id,
                )
            )
        elif isinstance(then, dict) and now is not None and then != now:
            fields = audit.differing(then, now)
            result.problems.append(
                Problem(
                    "field_changed",
                    tr(
                        "{what}：{fields} 与审计日志记录的值不同（在举证助手之外被改动）",
                        "{what}: {fields} differ from what the audit log recorded "
                        "(changed outside EvidenceDesk)",
                        what=what,
                        fields=", ".join(fields),
                    ),
                    item_id,
                )
            )


def _check_head(case: Case, snap: _Snapshot, result: CaseVerification) -> None:
    """The head of the log the newest kept export recorded must still be in the log."""
    kept = _latest_kept_manifest(case.root)
    if kept is None:
        result.notes.append(
            tr(
                "案件没有保留导出的清单（exports/）：从审计日志末尾删除记录无法发现",
                "the case keeps no export manifest (exports/): audit rows removed from the end "
                "of the log cannot be seen",
            )
        )
        return
    path, head, exported_at = kept
    if head is None:
        return
    if not any(entry.hash == head for entry in snap.entries):
        result.problems.append(
            Problem(
                "audit_truncated",
                tr(
                    "{when} 的导出记录的审计日志最新一行（{head}…）已不在日志中"
                    "（日志末尾的记录被删除，或日志被改写）",
                    "the audit row that was newest at the export of {when} ({head}…) is no "
                    "longer in the log (rows removed from its end, or the log rewritten)",
                    when=exported_at or path.name,
                    head=head[:12],
                ),
            )
        )


def _latest_kept_manifest(root: Path) -> tuple[Path, str | None, str | None] | None:
    folder = root / "exports"
    try:
        kept = sorted(p for p in folder.glob("*.manifest.json") if p.is_file())
    except OSError:
        return None
    for path in reversed(kept):  # named <UTC stamp>-<hash>: the last sorts newest
        try:
            if path.stat().st_size > MAX_KEPT_MANIFEST:
                continue
            data = json.loads(path.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        case_info = data.get("case")
        info = case_info if isinstance(case_info, dict) else {}
        head = info.get("audit_log_head")
        stamp = data.get("exported_at")
        return (
            path,
            head if isinstance(head, str) else None,
            stamp if isinstance(stamp, str) else None,
        )
    return None


# -- the originals folder ----------------------------------------------------------------------


def _check_folder(case: Case, known: set[str], result: CaseVerification) -> None:
    """Files in originals/ that no item lists. An import renames its file into place (with a
    .committing marker beside .incoming/) a moment before its row commits: such a file is
    asked about again (fresh reads, for up to WAIT_S), and one still waiting is a note."""
    originals = case.root / vault.ORIGINALS
    if not originals.is_dir():
        return
    strangers = [
        path.relative_to(case.root).as_posix()
        for path in originals.rglob("*")
        if vault.INCOMING not in path.parts
        and path.is_file()
        and path.relative_to(case.root).as_posix() not in known
    ]
    conn = case.connection

    def listed(rel: str) -> bool:  # a fresh read: outside the snapshot the rest came from
        return (
            conn.execute("SELECT 1 FROM items WHERE vault_path = ?", (rel,)).fetchone() is not None
        )

    def in_flight(rel: str) -> bool:
        marker = originals / vault.INCOMING / (rel.rsplit("/", 1)[-1] + vault.COMMITTING)
        return marker.is_file()

    deadline = time.monotonic() + WAIT_S
    waiting: list[str] = []
    for rel in strangers:
        while not listed(rel) and in_flight(rel) and time.monotonic() < deadline:
            time.sleep(0.02)
        if listed(rel):
            continue
        if in_flight(rel):
            waiting.append(rel)
        elif not listed(rel):  # the row may have committed just before its marker went
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
    if waiting:
        result.notes.append(
            tr(
                "原件文件夹里有 {n} 个正在导入、尚未记入 case.sqlite 的文件（导入中断时，"
                "下次以可写方式打开案件会清理）；导入结束后请再核验一次",
                "{n} file(s) in originals/ are being imported and not in case.sqlite yet (left "
                "by an interrupted import, the next writable open tidies them); verify again "
                "when the import is done",
                n=len(waiting),
            )
        )


# -- derived data ------------------------------------------------------------------------------


def _recheck(
    case: Case, items: list[Item], snap: _Snapshot, result: CaseVerification, recheck: Recheck
) -> None:
    """Run the integrity checks again; the stored verdict and findings must match."""
    todo = [i for i in items if i.id in snap.verdicts]
    if not todo:
        return

    def run(item: Item) -> Rechecked | None:
        try:
            return recheck(case, item)
        except Exception:  # a check promises not to raise; one file never stops the rest
            return None

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="verify-check") as pool:
        checks = list(pool.map(run, todo))
    for item, check in zip(todo, checks, strict=True):
        if check is None:
            continue
        result.rechecked += 1
        stored = {
            f for f in snap.findings.get(item.id, set()) if not f[0].startswith(_NOT_RECOMPUTED)
        }
        now = {
            (f.code, f.severity.value)
            for f in check.findings
            if not f.code.startswith(_NOT_RECOMPUTED)
        }
        environment = any(
            code.startswith(_NOT_RECOMPUTED) for code, _ in snap.findings.get(item.id, set())
        ) or any(f.code.startswith(_NOT_RECOMPUTED) for f in check.findings)
        verdict_differs = not environment and snap.verdicts[item.id] != check.verdict.value
        if stored == now and not verdict_differs:
            continue
        parts = []
        if verdict_differs:
            parts.append(f"{snap.verdicts[item.id]} → {check.verdict.value}")
        gone, new = sorted(c for c, _ in stored - now), sorted(c for c, _ in now - stored)
        if gone or new or stored != now:
            parts.append(
                tr(
                    "存储的检查结果多了 {gone}、少了 {new}",
                    "stored findings add {gone} and lack {new}",
                    gone=", ".join(gone) or "—",
                    new=", ".join(new) or "—",
                )
            )
        result.problems.append(
            Problem(
                "derived_differs",
                tr(
                    "{label}：存储的结论/检查结果与对原件重新检查的结果不同（{detail}；"
                    "在 case.sqlite 中被改过，或由另一版本的举证助手检查）",
                    "{label}: stored verdict/findings differ from the originals when checked "
                    "again ({detail}; edited in case.sqlite, or checked by another version of "
                    "EvidenceDesk)",
                    label=_label(item),
                    detail="; ".join(parts),
                ),
                item.id,
            )
        )
