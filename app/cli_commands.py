"""The commands of `evidence-desk`: each takes the parsed arguments and returns an exit code.

What they print goes through `tr()`, so it is Chinese or English as app/cli.py chose; `--json`
output is the same in both (English keys, machine values).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.evidence.i18n import pick, tr
from app.evidence.ingest.importer import FileResult, iter_import
from app.evidence.models import Item, ItemKind
from app.evidence.progress import CancelToken, Progress
from app.evidence.store.case import Case
from app.evidence.store.verify import verify_case

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class StderrBar:
    """A one-line progress bar on stderr, redrawn at most ten times a second (TTY only)."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._last = 0.0

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if p.done < p.total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = int(width * p.done / p.total) if p.total else 0
        sys.stderr.write(
            f"\r{stage_label(p.stage)} [{'#' * filled}{'.' * (width - filled)}] "
            f"{p.done}/{p.total} {p.current[:40]:<40}"
        )
        if p.total and p.done >= p.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def stage_label(stage: str) -> str:
    """The name of a progress stage in the current language (the core reports machine names)."""
    labels = {
        "import": tr("导入", "import"),
        "thumbnails": tr("缩略图", "thumbnails"),
        "check": tr("检查", "checks"),
        "ocr": tr("识别截图", "reading screenshots"),
        "waybill": tr("识别面单", "reading waybills"),
        "export.prepare": tr("准备导出", "preparing export"),
        "export.pdf": tr("生成 PDF", "writing PDF"),
        "export.pack": tr("生成图片包", "writing upload pack"),
        "export.video": tr("生成视频副本", "writing video copies"),
        "export.zip": tr("生成 ZIP", "writing ZIP"),
        "archive_import": tr("归档导入", "archive import"),
        "archive_verify": tr("核验归档", "verifying archive"),
        "redact.suggest": tr("查找隐私信息", "finding private details"),
    }
    return labels.get(stage, stage)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


# -- commands ------------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from app.evidence.disputes import resolve, set_dispute, set_summary
    from app.evidence.disputes.summary import CLAIMS

    # refuse bad values before anything is created
    dispute = resolve(args.dispute) if args.dispute else None
    claim = args.claim
    if claim:
        by_name = {zh: slug for slug, (zh, en) in CLAIMS.items()} | {
            en.lower(): slug for slug, (zh, en) in CLAIMS.items()
        }
        claim = claim if claim in CLAIMS else by_name.get(claim.strip().lower())
        if claim is None:
            choices = ", ".join(f"{slug} ({zh})" for slug, (zh, _) in CLAIMS.items())
            _err(
                tr(
                    "错误：未知的诉求 {claim!r}；可选：{choices}",
                    "error: unknown claim {claim!r}; use one of: {choices}",
                    claim=args.claim,
                    choices=choices,
                )
            )
            return EXIT_USAGE
    with Case.create(Path(args.case), args.title, order_no=args.order, role=args.role) as case:
        if dispute is not None:
            set_dispute(case, args.dispute)
        summary = {
            k: v
            for k, v in {
                "shop": args.shop,
                "item_title": args.item,
                "amount": args.amount,
                "claim": claim,
            }.items()
            if v
        }
        if summary:
            set_summary(case, **summary)
    _out(tr("已创建案件 {case}", "created case {case}", case=args.case))
    return EXIT_OK


def _report_results(results: list[FileResult], cancelled: bool) -> int:
    imported = sum(r.status == "imported" for r in results)
    duplicates = sum(r.status == "duplicate" for r in results)
    failed = [r for r in results if r.status == "failed"]
    for r in results:
        if r.status == "imported" and r.message:
            _err(
                tr(
                    "警告：{name}：已保留，但无法读取其元数据（{message}）",
                    "warning: {name}: kept, but its metadata could not be read ({message})",
                    name=Path(r.path).name,
                    message=r.message,
                )
            )
    for r in failed:
        _err(tr("错误：{message}", "error: {message}", message=r.message))
    summary = tr(
        "导入 {imported} 项，已存在 {duplicates} 项，失败 {failed} 项",
        "imported {imported}, already present {duplicates}, failed {failed}",
        imported=imported,
        duplicates=duplicates,
        failed=len(failed),
    )
    _out(summary + (tr("（已取消）", " (cancelled)") if cancelled else ""))
    return EXIT_USAGE if failed else EXIT_OK


def _run_import(
    case: Case, paths: list[Path], kind: ItemKind | None, ocr: bool = True
) -> tuple[list[FileResult], bool]:
    cancel = CancelToken()
    results: list[FileResult] = []
    try:
        for result in iter_import(case, paths, kind=kind, progress=StderrBar(), cancel=cancel):
            results.append(result)
    except KeyboardInterrupt:
        # Ctrl+C: what was recorded stays; the rest is not started.
        cancel.cancel()
        return results, True
    except (sqlite3.OperationalError, OSError) as exc:
        if not _storage_full(exc):
            raise
        # the case stays consistent (each file is one transaction); name every file not imported
        results.extend(_not_imported(paths, results, exc))
        return results, False
    imported = [r.item_id for r in results if r.status == "imported" and r.item_id]
    try:
        _after_import(case, imported, ocr)
    except (sqlite3.OperationalError, OSError) as exc:
        if not _storage_full(exc):
            raise
        _err(
            tr(
                "警告：磁盘已满，缩略图和检查未完成；原件均已保存。腾出空间后运行 check 补做",
                "warning: the disk is full, thumbnails and checks were not finished; the "
                "originals are all kept. Free some space and run check to finish them",
            )
        )
    return results, False


def _storage_full(exc: BaseException) -> bool:
    """True for "database or disk is full" from SQLite and ENOSPC/EDQUOT from the system."""
    import errno

    if isinstance(exc, sqlite3.OperationalError):
        return "full" in str(exc).lower() or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL"
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def _not_imported(
    paths: list[Path], done: list[FileResult], exc: BaseException
) -> list[FileResult]:
    """One failed result per input file the import did not get to, saying the disk is full."""
    from app.evidence.ingest.importer import collect_files

    reported = {r.path for r in done}
    files, _ = collect_files(paths)
    return [
        FileResult(
            str(path),
            "failed",
            error_code="disk_full",
            message=tr(
                "{name}：未导入，磁盘空间不足（{detail}）；腾出空间后重新运行 add",
                "{name}: not imported, the disk is full ({detail}); free some space and run "
                "add again",
                name=path.name,
                detail=str(exc).split("\n")[0][:80],
            ),
        )
        for path in files
        if str(path) not in reported
    ]


def _after_import(case: Case, item_ids: list[int], ocr: bool) -> None:
    """Thumbnails, tracking events and chat OCR for what was just imported."""
    from app.evidence.checks.case_checks import check_case_items
    from app.evidence.ingest.analyse import analyse_case
    from app.evidence.ingest.derived import build_thumbnails

    if item_ids:
        names = {i.sha256: i.original_name for i in case.items() if i.id in set(item_ids)}
        for thumb in build_thumbnails(case, item_ids, progress=StderrBar()):
            if thumb.error is not None:
                _err(
                    tr(
                        "警告：{name}：已导入，但无法生成缩略图（{error}）；原件完好，照常导出",
                        "warning: {name}: imported, but no thumbnail could be made ({error}); "
                        "the original is kept and exports as usual",
                        name=names.get(thumb.job.src.stem, thumb.job.src.name),
                        error=str(thumb.error).split("\n")[0][:160],
                    )
                )
        check_case_items(case, item_ids, progress=StderrBar())
    report = analyse_case(case, ocr=ocr, progress=StderrBar())
    for problem in report.problems:
        _err(tr("警告：{problem}", "warning: {problem}", problem=problem))


def cmd_add(args: argparse.Namespace) -> int:
    kind = ItemKind(args.kind) if args.kind else None
    with Case.open(Path(args.case)) as case:
        results, cancelled = _run_import(
            case, [Path(p) for p in args.paths], kind, ocr=not args.no_ocr
        )
    return _report_results(results, cancelled)


def cmd_add_tracking(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case)) as case:
        if args.text_file and args.text_file != "-":
            results, cancelled = _run_import(case, [Path(args.text_file)], ItemKind.TRACKING)
        else:
            data = sys.stdin.buffer.read()
            with tempfile.TemporaryDirectory() as tmp:
                pasted = Path(tmp) / f"pasted-tracking-{time.strftime('%Y%m%d-%H%M%S')}.txt"
                pasted.write_bytes(data)
                results, cancelled = _run_import(case, [pasted], ItemKind.TRACKING)
    return _report_results(results, cancelled)


def item_json(item: Item) -> dict[str, Any]:
    """The JSON shape of one item in `list --json`."""
    ct = item.capture_time
    return {
        "id": item.id,
        "kind": item.kind.value,
        "kind_source": item.kind_source,
        "format": item.format,
        "original_name": item.original_name,
        "sha256": item.sha256,
        "size": item.size,
        "imported_at": item.imported_at,
        "file_mtime": item.file_mtime,
        "capture_time": ct.isoformat() if ct else None,
        "capture_time_source": ct.source.value if ct else None,
        "capture_time_offset_known": ct.offset_known if ct else None,
        "capture_time_confidence": ct.confidence if ct else None,
        "capture_time_note": ct.note if ct else None,
        "note": item.note,
        "read_error": item.read_error,
        "metadata": item.metadata,
    }


def pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def kind_label(kind: ItemKind) -> str:
    """An item kind in the current language."""
    labels = {
        ItemKind.PHOTO: tr("照片", "photo"),
        ItemKind.VIDEO: tr("视频", "video"),
        ItemKind.SCREENSHOT: tr("截图", "screenshot"),
        ItemKind.TRACKING: tr("物流记录", "tracking"),
        ItemKind.DOCUMENT: tr("文档", "document"),
    }
    return labels.get(kind, kind.value)


def cmd_list(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case), writable=False) as case:
        info = case.info()
        items = case.items()
    if args.json:
        from app.evidence.disputes import list_json

        with Case.open(Path(args.case), writable=False) as case:
            extra = list_json(case)
        _json({"case": info.__dict__, "items": [item_json(i) for i in items], **extra})
        return EXIT_OK
    role = (
        tr("买家", "buyer")
        if info.role == "buyer"
        else tr("卖家", "seller")
        if info.role == "seller"
        else info.role
    )
    _out(
        tr(
            "{title}  （{role}，订单号 {order}，纠纷类型 {dispute}）",
            "{title}  ({role}, order {order}, dispute {dispute})",
            title=info.title,
            role=role,
            order=info.order_no or "-",
            dispute=dispute_name(info.dispute) if info.dispute else "-",
        )
    )
    for i in items:
        ct = i.capture_time
        when = f"{ct.isoformat()} [{ct.source.value}]" if ct else tr("无时间", "undated")
        _out(
            f"{i.id:>4}  {pad(kind_label(i.kind), 10)} {pad(when, 40)} {i.sha256[:12]}  "
            f"{i.original_name}"
            + (f"  — {i.note}" if i.note else "")
        )
    return EXIT_OK


def cmd_note(args: argparse.Namespace) -> int:
    from app.evidence.timeline import build_timeline, item_key, set_entry_note
    from app.evidence.timeline.refs import find_item

    with Case.open(Path(args.case)) as case:
        item = find_item(case, args.item)  # 证据7 / E7 as the timeline shows, or the row id
        set_entry_note(case, item_key(item.id), args.text)  # undoable, unlike a raw write
        entry = build_timeline(case).exhibit_of_item(item.id)
    label = entry.exhibit_label if entry is not None and entry.exhibit_label else f"#{item.id}"
    _out(
        tr(
            "已为{label}设置备注（{name}）",
            "note set on {label} ({name})",
            label=label,
            name=item.original_name,
        )
    )
    return EXIT_OK


def cmd_timeline(args: argparse.Namespace) -> int:
    from app.evidence.disputes import timeline_text

    with Case.open(Path(args.case), writable=False) as case:
        _out(timeline_text(case))
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    from app.evidence.timeline import redo, undo

    with Case.open(Path(args.case)) as case:
        step = (redo if args.command == "redo" else undo)(case)
    redo_asked = args.command == "redo"
    if step is None:
        _out(
            tr("没有可重做的操作", "nothing to redo")
            if redo_asked
            else tr("没有可撤销的操作", "nothing to undo")
        )
        return EXIT_OK
    if redo_asked:
        _out(tr("已重做：{label}", "redo: {label}", label=step.label))
    else:
        _out(tr("已撤销：{label}", "undo: {label}", label=step.label))
    return EXIT_OK


def _typed_when(case: Case, text: str, *, with_time: bool = False) -> Any:
    """A date or time the user typed, by the case's clock and zone (TypedDateError: one line)."""
    from datetime import datetime

    from app.evidence.timeline.times import case_zone
    from app.evidence.timeline.typed_dates import parse_typed_date

    zone = case_zone(case.info().timezone)
    now = datetime.fromisoformat(case.now())
    return parse_typed_date(text, now=now, zone=zone, with_time=with_time)


def cmd_event(args: argparse.Namespace) -> int:
    from app.evidence.timeline import add_manual_event

    with Case.open(Path(args.case)) as case:
        when = _typed_when(case, args.at, with_time=True) if args.at else None
        add_manual_event(case, args.text, when)
    _out(tr("已添加事件：{text}", "added the event: {text}", text=args.text))
    return EXIT_OK


def cmd_date(args: argparse.Namespace) -> int:
    from datetime import datetime

    from app.evidence.locale_format import format_date, format_datetime
    from app.evidence.timeline import DATE_NAMES, set_case_date
    from app.evidence.timeline.typed_dates import TypedDateError

    name = _date_name(args.name)
    with Case.open(Path(args.case)) as case:
        typed = " ".join(args.value) if isinstance(args.value, list) else args.value
        value = _typed_when(case, typed)
        if value is None:
            raise TypedDateError(tr("没有填写日期", "no date given"))
        set_case_date(case, name, value)
    shown = format_datetime(value) if isinstance(value, datetime) else format_date(value)
    _out(
        tr(
            "已设置日期：{label} = {value}",
            "date set: {label} = {value}",
            label=pick(*DATE_NAMES[name]),
            value=shown,
        )
    )
    return EXIT_OK


def _date_name(text: str) -> str:
    """A case date's key from its key or its Chinese or English name ("签收", "signed for")."""
    from app.evidence.timeline import DATE_NAMES

    wanted = text.strip().lower()
    for key, (zh, en) in DATE_NAMES.items():
        if wanted in (key, zh, en.lower()):
            return key
    return text  # set_case_date names the known ones


def cmd_dispute(args: argparse.Namespace) -> int:
    from app.evidence.disputes import set_dispute

    from app.evidence.disputes.profiles import UnknownProfile

    with Case.open(Path(args.case)) as case:
        try:
            ref = set_dispute(case, args.type)
        except UnknownProfile:
            _err(
                tr(
                    "错误：没有“{text}”这种纠纷类型；可用的类型：",
                    "error: no dispute type {text!r}; the types are:",
                    text=args.type,
                )
            )
            _err(dispute_types_text())
            return EXIT_USAGE
    if ref is None:
        return EXIT_OK
    name = dispute_name(ref.text)
    _out(tr("纠纷类型：{name}（{id}）", "dispute: {name} ({id})", name=name, id=ref.text))
    return EXIT_OK


def dispute_name(text: str) -> str:
    """ "描述不符 · 颜色" for "not_as_described:color" (the stored text when unknown)."""
    from app.evidence.disputes.profiles import UnknownProfile, resolve

    try:
        ref = resolve(text)
    except UnknownProfile:
        return text
    name = pick(ref.profile.zh, ref.profile.en)
    return name + (" · " + pick(ref.variant.zh, ref.variant.en) if ref.variant else "")


def dispute_types_text() -> str:
    """Every dispute type with its variants, for `dispute --help` and an unknown type."""
    from app.evidence.disputes.profiles import profiles

    lines = []
    for p in profiles().values():
        role = {"buyer": tr("买家", "buyer"), "seller": tr("卖家", "seller")}.get(
            getattr(p, "role", ""), ""
        )
        head = f"  {p.id:<28} {pick(p.zh, p.en)}" + (f"（{role}）" if role else "")
        lines.append(head)
        lines += [f"    {p.id + ':' + v.id:<26} {pick(v.zh, v.en)}" for v in p.variants]
    return "\n".join(lines)


def cmd_checklist(args: argparse.Namespace) -> int:
    from app.evidence.disputes import case_dispute, evaluate_checklist, tick
    from app.evidence.disputes.checklist import check_state_label
    from app.evidence.disputes.overview import check_json

    change = (
        (args.tick, "done")
        if args.tick
        else (args.not_applicable, "not_applicable")
        if args.not_applicable
        else (args.untick, None)
        if args.untick
        else None
    )
    with Case.open(Path(args.case), writable=change is not None) as case:
        ref = case_dispute(case)
        if ref is None:
            _err(
                tr(
                    "错误：案件还没有纠纷类型；先运行 evidence-desk dispute CASE TYPE",
                    "error: the case has no dispute type; run evidence-desk dispute CASE TYPE",
                )
            )
            return EXIT_USAGE
        keys = [c.id for c in ref.profile.items_for(ref.variant.id if ref.variant else None)]
        if change is not None and change[0] not in keys:
            _err(
                tr(
                    "错误：清单中没有 {key}；可用：{keys}",
                    "error: the checklist has no item {key}; known: {keys}",
                    key=change[0],
                    keys=", ".join(keys),
                )
            )
            return EXIT_USAGE
        if change is not None:
            tick(case, ref, change[0], change[1])  # one undoable edit
        checklist = evaluate_checklist(case, ref)
    if args.json:
        _json({"dispute": ref.text, "checklist": [check_json(c) for c in checklist]})
        return EXIT_OK
    _out(
        pick(ref.profile.zh, ref.profile.en)
        + (f" · {pick(ref.variant.zh, ref.variant.en)}" if ref.variant else "")
    )
    for c in checklist:
        mark, words = check_state_label(c.state)
        # a hand tick overrides the matcher, whose words ("confirm by hand") no longer apply
        detail = (
            c.manual_note
            if c.state in ("ticked", "not_applicable")
            else pick(c.detail_zh, c.detail_en)
            if c.state != "todo"
            else ""
        )
        _out(f"{mark} {c.item.id:<24} {pick(c.item.zh, c.item.en)}  [{words}]")
        if detail:
            _out(f"    {detail}")
    return EXIT_OK


def cmd_renumber(args: argparse.Namespace) -> int:
    from app.evidence.timeline import renumber_exhibits

    with Case.open(Path(args.case)) as case:
        numbers = renumber_exhibits(case)
    _out(tr("已重新编号 {n} 份证据", "renumbered {n} exhibits", n=len(numbers)))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from app.evidence.export import export_case
    from app.evidence.export.case_feeds import case_feeds

    if not (args.pdf or args.pack or args.zip):
        _err(
            tr(
                "错误：请说明要导出什么：--pdf OUT.pdf、--pack PRESET --out DIR、--zip OUT.zip",
                "error: say what to export: --pdf OUT.pdf, --pack PRESET --out DIR, --zip OUT.zip",
            )
        )
        return EXIT_USAGE
    if args.pack and not args.out:
        _err(tr("错误：--pack 需要 --out DIR", "error: --pack needs --out DIR"))
        return EXIT_USAGE
    if getattr(args, "statement", None) is not None:
        _save_statement(Path(args.case), args.statement)
    cancel = CancelToken()
    with Case.open(Path(args.case), writable=False) as case:
        try:
            result = export_case(
                case,
                pdf=Path(args.pdf) if args.pdf else None,
                pack=(args.pack, Path(args.out)) if args.pack else None,
                zip_path=Path(args.zip) if args.zip else None,
                preparer=args.preparer,
                original_names=args.keep_names,
                keep_metadata=args.keep_metadata,
                feeds=case_feeds(case),
                progress=StderrBar(),
                cancel=cancel,
                pack_cover=getattr(args, "pack_cover", False),
                my_checklist=getattr(args, "my_checklist", False),
                # an exhibit that looks edited or not original: said before anything is written
                warn=lambda line: _err(tr("提醒：{warning}", "note: {warning}", warning=line)),
            )
        except KeyboardInterrupt:
            cancel.cancel()
            _err(
                tr(
                    "已取消：目标位置没有留下写了一半的文件",
                    "cancelled: nothing half-written was left under the target names",
                )
            )
            return EXIT_USAGE
    if result.pdf:
        _out(
            tr(
                "PDF  {path}  （{pages} 页，{exhibits} 份证据）",
                "PDF  {path}  ({pages} pages, {exhibits} exhibits)",
                path=result.pdf,
                pages=result.pdf_pages,
                exhibits=result.exhibits,
            )
        )
    if result.pack:
        _out(
            tr(
                "图片包 {path}  （{images} 张图片，分 {batches} 批，预设 {preset}）",
                "pack {path}  ({images} images in {batches} batch(es), preset {preset})",
                path=result.pack.folder,
                images=len(result.pack.pages),
                batches=result.pack.batches,
                preset=result.pack.preset,
            )
        )
    if result.zip:
        _out(f"ZIP  {result.zip}")
    if result.pack is not None and result.pack.guide is not None:
        _out(tr("上传指引 {path}", "upload guide {path}", path=result.pack.guide.path))
    _record_round(Path(args.case), result)
    _out(
        tr(
            "证据包哈希（manifest.json 的 SHA-256）：{hash}",
            "bundle hash (SHA-256 of manifest.json): {hash}",
            hash=result.bundle_hash,
        )
    )
    for problem in result.problems:
        _err(tr("警告：{problem}", "warning: {problem}", problem=problem))
    # things to look at before uploading (uncovered phone numbers, exhibits a slot left out):
    # said, but the export itself succeeded
    for warning in result.warnings[len(result.review) :]:  # the review notes were said first
        _err(tr("提醒：{warning}", "note: {warning}", warning=warning))
    return EXIT_FAILED if result.problems else EXIT_OK


def _record_round(root: Path, result: Any) -> None:
    """An export for the reviewer is a submission round: its exhibit numbers are fixed."""
    from app.evidence.export.api import record_export

    try:
        with Case.open(root) as case:
            round_id = record_export(case, result)
    except Exception as exc:  # noqa: BLE001 - e.g. the window holds the case: the export stands
        _err(
            tr(
                "提醒：未能记录本次提交（{why}）",
                "note: the submission was not recorded ({why})",
                why=exc,
            )
        )
        return
    if round_id is not None:
        numbers = "、".join(f"证据{n}" for _, n in result.sent)
        _out(
            tr(
                "已记录为一次提交，编号已固定：{numbers}",
                "recorded as a submission; numbers fixed: {numbers}",
                numbers=numbers,
            )
        )


def _save_statement(root: Path, text: str) -> None:
    """Store the case's statement (one undoable edit) and say how it fits the platform's field."""
    from app.evidence.disputes import set_summary
    from app.evidence.disputes.summary import STATEMENT_LIMIT_BYTES

    with Case.open(root) as case:
        summary = set_summary(case, statement=text)
    _out(
        tr(
            "已保存陈述（{n} 字节）",
            "statement saved ({n} bytes)",
            n=summary.statement_bytes,
        )
    )
    if summary.statement_bytes > STATEMENT_LIMIT_BYTES:
        _err(
            tr(
                "提醒：陈述超过淘宝退款留言的 {limit} 字节，上传说明会在句子处截断",
                "note: the statement is longer than Taobao's {limit}-byte refund message; "
                "the upload description is cut at a sentence",
                limit=STATEMENT_LIMIT_BYTES,
            )
        )


def cmd_demo(args: argparse.Namespace) -> int:
    from app.evidence.demo import build_demo

    out = Path(args.out_dir)
    paths = build_demo(out, progress=StderrBar())
    labels = {"case": tr("案件", "case"), "pdf": "PDF", "zip": "ZIP", "pack": tr("图片包", "pack")}
    for label, path in paths.items():
        _out(f"{labels.get(label, label):<6} {path}")
    return EXIT_OK


def _verify_bundle(target: Path, against: str | None) -> int:
    from app.evidence.export import verify_pdf, verify_zip

    if target.suffix.lower() == ".zip":
        check = verify_zip(target)
    elif against:
        with Case.open(Path(against), writable=False) as case:
            check = verify_pdf(target, against_case=case)
    else:
        check = verify_pdf(target)
    for problem in check.problems:
        where = f" [{problem.exhibit}]" if problem.exhibit else ""
        _out(f"FAIL {problem.code}{where}: {problem.message}")
    _out(_verdict_word(check.ok) + tr("：", ": ") + check.summary())
    for note in check.notes:  # after the verdict: scripts read the first word of a clean run
        _out(tr("注意：", "note: ") + note)
    return EXIT_OK if check.ok else EXIT_FAILED


def _verdict_word(ok: bool) -> str:
    """ "OK" / "FAILED" lead a verify summary in both languages (scripts look for them)."""
    return tr("OK 通过", "OK") if ok else tr("FAILED 未通过", "FAILED")


def cmd_verify(args: argparse.Namespace) -> int:
    target = Path(args.target)
    if target.is_file():
        return _verify_bundle(target, args.against)
    with Case.open(target, writable=False) as case:
        result = verify_case(case)
    for problem in result.problems:
        _out(f"FAIL {problem.code}: {problem.message}")
    _out(
        _verdict_word(result.ok)
        + tr(
            "：已核验 {items} 个原件、{rows} 条审计记录、{fields} 条记录的字段、"
            "重新检查 {rechecked} 个结论，发现 {problems} 个问题",
            ": {items} originals checked, {rows} audit rows, {fields} recorded rows compared, "
            "{rechecked} verdicts recomputed, {problems} problem(s)",
            items=result.items_checked,
            rows=result.audit_rows,
            fields=result.fields_checked,
            rechecked=result.rechecked,
            problems=len(result.problems),
        )
    )
    for note in result.notes:  # after the verdict: scripts read the first word of a clean run
        _out(tr("注意：", "note: ") + note)
    return EXIT_OK if result.ok else EXIT_FAILED


def cmd_recover(args: argparse.Namespace) -> int:
    """Import the originals a case open kept aside in recovered/ back as items (audited)."""
    from app.evidence.ingest.importer import recover_files

    with Case.open(Path(args.case)) as case:
        if not case.recovered:
            _out(tr("recovered/ 中没有待恢复的文件", "nothing to recover: recovered/ holds no files"))
            return EXIT_OK
        report = recover_files(case, progress=StderrBar())
    return _report_results(report.results, report.cancelled)


def verdict_label(verdict: str, findings: Any = ()) -> str:
    """A verdict in plain words, in the current language (the machine name stays in --json)."""
    if verdict == "recompressed":  # worded by whether a (non-deciding) alert fired
        from app.evidence.checks.verdict import recompressed_words

        return pick(*recompressed_words(f.severity for f in findings))
    labels = {
        "camera_original": tr(
            "未见编辑迹象（与相机原始文件一致）", "consistent with a camera original"
        ),
        "recompressed": tr(
            "不是原始文件，但内容未见改动",
            "not the original file, content shows no sign of change",
        ),
        "edited": tr("有编辑迹象", "signs of editing"),
        "unknown": tr("无法判断来源", "origin cannot be established"),
        "unreadable": tr("文件无法读取", "unreadable"),
    }
    return labels.get(verdict, verdict)


def cmd_check(args: argparse.Namespace) -> int:
    from app.evidence.checks import CheckOptions, exit_code, iter_check_paths, report_json

    options = CheckOptions(thumbnail=not args.no_thumbnail)
    checks = []
    missing = [p for p in args.paths if not Path(p).exists()]
    for path in missing:
        _err(
            tr(
                "错误：{path}：文件或文件夹不存在",
                "error: {path}: no such file or folder",
                path=path,
            )
        )
    try:
        for result in iter_check_paths(
            [Path(p) for p in args.paths if Path(p).exists()], options=options, progress=StderrBar()
        ):
            checks.append(result)
    except KeyboardInterrupt:
        _err(tr("已取消", "cancelled"))
        return EXIT_USAGE
    if args.json:
        _json(report_json(checks))
    else:
        for c in checks:
            _out(f"{c.verdict.value:<16} {c.path}  — {verdict_label(c.verdict.value, c.findings)}")
            for f in c.findings:
                if f.severity.value in ("warning", "alert"):
                    severity = (
                        tr("警告", "warning")
                        if f.severity.value == "warning"
                        else tr("警示", "alert")
                    )
                    _out(f"    [{severity}] {pick(f.title_zh, f.title_en)}")
    return EXIT_USAGE if missing else exit_code(checks)


def cmd_archive(args: argparse.Namespace) -> int:
    from app.evidence import archive

    root = Path(args.dir)
    if args.archive_command == "init":
        archive.init_archive(root, storage=args.storage)
        _out(tr("已创建归档 {path}", "created archive {path}", path=root))
        return EXIT_OK
    if args.archive_command == "import":
        cancel = CancelToken()
        try:
            report = archive.import_into_archive(
                root,
                [Path(f) for f in args.files],
                Path(args.orders) if args.orders else None,
                progress=StderrBar(),
                cancel=cancel,
            )
        except KeyboardInterrupt:
            cancel.cancel()
            _err(
                tr(
                    "已取消：已记录的文件仍在归档中",
                    "cancelled: files recorded so far stay in the archive",
                )
            )
            return EXIT_USAGE
        for result in report.files:
            if result.status == "failed":
                _err(tr("错误：{message}", "error: {message}", message=result.message))
        if report.orders is not None:
            for warning in report.orders.warnings:
                _err(tr("警告：{problem}", "warning: {problem}", problem=warning))
        _out(
            tr(
                "导入 {imported} 项，已存在 {duplicates} 项，失败 {failed} 项，待分配 {inbox} 项",
                "imported {imported}, already present {duplicates}, failed {failed}, "
                "in the inbox {inbox}",
                imported=report.count("imported"),
                duplicates=report.count("duplicate"),
                failed=report.count("failed"),
                inbox=len(report.inbox),
            )
        )
        return EXIT_USAGE if report.count("failed") else EXIT_OK
    if args.archive_command == "find":
        hits = archive.find(root, args.query)
        if args.json:
            _json([h.to_json() for h in hits])
        else:
            for h in hits:
                _out(
                    " ".join(str(v) for v in h.to_json().values() if v not in (None, "", [], {}))[
                        :200
                    ]
                )
            if not hits:
                _out(tr("没有找到", "no match"))
        return EXIT_OK
    if args.archive_command == "case":
        _out(str(archive.open_order_case(root, args.order, progress=StderrBar())))
        return EXIT_OK
    if args.archive_command == "assign":
        item = archive.assign(root, args.file, args.order)
        _out(
            tr(
                "已将 {item} 分配到订单 {order}",
                "assigned {item} to order {order}",
                item=item,
                order=args.order,
            )
        )
        return EXIT_OK
    if args.archive_command == "verify":
        verification = archive.verify_archive(root, full=args.full, progress=StderrBar())
        for problem in verification.problems:
            _out(f"FAIL {problem.code}: {problem.name} ({problem.recorded_path})")
        _out(
            _verdict_word(verification.ok)
            + tr(
                "：已核验 {n} 个文件，发现 {problems} 个问题",
                ": {n} files checked, {problems} problem(s)",
                n=verification.files_checked,
                problems=len(verification.problems),
            )
        )
        return EXIT_OK if verification.ok else EXIT_FAILED
    return EXIT_USAGE


def cmd_gui(case: str | None, language: str | None = None) -> int:
    from app.ui.main import run_gui  # Qt only when the window is asked for

    return run_gui(Path(case) if case else None, language)
