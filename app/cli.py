"""The `evidence-desk` command line, over the same core as the GUI.

Exit codes: 0 ok, 1 findings or verification failed, 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.evidence.errors import CaseError, EvidenceError, ItemNotFound
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
        sys.stderr.write(f"\r{p.stage} [{'#' * filled}{'.' * (width - filled)}] {p.done}/{p.total} {p.current[:40]:<40}")
        if p.total and p.done >= p.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


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
        by_name = {zh: slug for slug, (zh, en) in CLAIMS.items()} | {en.lower(): slug for slug, (zh, en) in CLAIMS.items()}
        claim = claim if claim in CLAIMS else by_name.get(claim.strip().lower())
        if claim is None:
            choices = ", ".join(f"{slug} ({zh})" for slug, (zh, _) in CLAIMS.items())
            _err(f"error: unknown claim {args.claim!r}; use one of: {choices}")
            return EXIT_USAGE
    with Case.create(Path(args.case), args.title, order_no=args.order, role=args.role) as case:
        if dispute is not None:
            set_dispute(case, args.dispute)
        summary = {k: v for k, v in {"shop": args.shop, "item_title": args.item, "amount": args.amount, "claim": claim}.items() if v}
        if summary:
            set_summary(case, **summary)
    _out(f"created case {args.case}")
    return EXIT_OK


def _report_results(results: list[FileResult], cancelled: bool) -> int:
    imported = sum(r.status == "imported" for r in results)
    duplicates = sum(r.status == "duplicate" for r in results)
    failed = [r for r in results if r.status == "failed"]
    for r in results:
        if r.status == "imported" and r.message:
            _err(f"warning: {Path(r.path).name}: kept, but its metadata could not be read ({r.message})")
    for r in failed:
        _err(f"error: {r.message}")
    _out(f"imported {imported}, already present {duplicates}, failed {len(failed)}" + (" (cancelled)" if cancelled else ""))
    return EXIT_USAGE if failed else EXIT_OK


def _run_import(case: Case, paths: list[Path], kind: ItemKind | None, ocr: bool = True) -> tuple[list[FileResult], bool]:
    cancel = CancelToken()
    results: list[FileResult] = []
    try:
        for result in iter_import(case, paths, kind=kind, progress=StderrBar(), cancel=cancel):
            results.append(result)
    except KeyboardInterrupt:
        # Ctrl+C: what was recorded stays; the rest is not started.
        cancel.cancel()
        return results, True
    _after_import(case, [r.item_id for r in results if r.status == "imported" and r.item_id], ocr)
    return results, False


def _after_import(case: Case, item_ids: list[int], ocr: bool) -> None:
    """Thumbnails, tracking events and chat OCR for what was just imported."""
    from app.evidence.ingest.analyse import analyse_case
    from app.evidence.ingest.derived import build_thumbnails

    from app.evidence.checks.case_checks import check_case_items

    if item_ids:
        build_thumbnails(case, item_ids, progress=StderrBar())
        check_case_items(case, item_ids, progress=StderrBar())
    report = analyse_case(case, ocr=ocr, progress=StderrBar())
    for problem in report.problems:
        _err(f"warning: {problem}")


def cmd_add(args: argparse.Namespace) -> int:
    kind = ItemKind(args.kind) if args.kind else None
    with Case.open(Path(args.case)) as case:
        results, cancelled = _run_import(case, [Path(p) for p in args.paths], kind, ocr=not args.no_ocr)
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
    _out(f"{info.title}  ({info.role}, order {info.order_no or '-'}, dispute {info.dispute or '-'})")
    for i in items:
        ct = i.capture_time
        when = f"{ct.isoformat()} [{ct.source.value}]" if ct else "undated"
        _out(f"{i.id:>4}  {i.kind.value:<10} {when:<40} {i.sha256[:12]}  {i.original_name}" + (f"  — {i.note}" if i.note else ""))
    return EXIT_OK


def cmd_note(args: argparse.Namespace) -> int:
    from app.evidence.timeline import item_key, set_entry_note

    with Case.open(Path(args.case)) as case:
        item = case.item(args.item)
        set_entry_note(case, item_key(item.id), args.text)  # undoable, unlike a raw write
    _out(f"note set on item {item.id} ({item.original_name})")
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
    if step is None:
        _out("nothing to " + args.command)
        return EXIT_OK
    _out(f"{args.command}: {step.label}")
    return EXIT_OK


def cmd_event(args: argparse.Namespace) -> int:
    from datetime import datetime

    from app.evidence.timeline import add_manual_event

    when = datetime.fromisoformat(args.at) if args.at else None
    with Case.open(Path(args.case)) as case:
        event_id = add_manual_event(case, args.text, when)
    _out(f"added event {event_id}")
    return EXIT_OK


def cmd_date(args: argparse.Namespace) -> int:
    from datetime import date, datetime

    from app.evidence.timeline import set_case_date

    value = datetime.fromisoformat(args.value) if "T" in args.value or " " in args.value else date.fromisoformat(args.value)
    with Case.open(Path(args.case)) as case:
        set_case_date(case, args.name, value)
    _out(f"{args.name} = {value.isoformat()}")
    return EXIT_OK


def cmd_dispute(args: argparse.Namespace) -> int:
    from app.evidence.disputes import set_dispute

    with Case.open(Path(args.case)) as case:
        ref = set_dispute(case, args.type)
    _out(f"dispute: {ref}")
    return EXIT_OK


def cmd_renumber(args: argparse.Namespace) -> int:
    from app.evidence.timeline import renumber_exhibits

    with Case.open(Path(args.case)) as case:
        numbers = renumber_exhibits(case)
    _out(f"renumbered {len(numbers)} exhibits")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from app.evidence.export import export_case
    from app.evidence.export.case_feeds import case_feeds

    if not (args.pdf or args.pack or args.zip):
        _err("error: say what to export: --pdf OUT.pdf, --pack PRESET --out DIR, --zip OUT.zip")
        return EXIT_USAGE
    if args.pack and not args.out:
        _err("error: --pack needs --out DIR")
        return EXIT_USAGE
    cancel = CancelToken()
    with Case.open(Path(args.case), writable=False) as case:
        try:
            result = export_case(
                case, pdf=Path(args.pdf) if args.pdf else None,
                pack=(args.pack, Path(args.out)) if args.pack else None,
                zip_path=Path(args.zip) if args.zip else None, preparer=args.preparer, original_names=args.keep_names,
                feeds=case_feeds(case), progress=StderrBar(), cancel=cancel,
            )
        except KeyboardInterrupt:
            cancel.cancel()
            _err("cancelled: nothing half-written was left under the target names")
            return EXIT_USAGE
    if result.pdf:
        _out(f"PDF  {result.pdf}  ({result.pdf_pages} pages, {result.exhibits} exhibits)")
    if result.pack:
        _out(f"pack {result.pack.folder}  ({len(result.pack.pages)} images in {result.pack.batches} batch(es), preset {result.pack.preset})")
    if result.zip:
        _out(f"ZIP  {result.zip}")
    _out(f"bundle hash (SHA-256 of manifest.json): {result.bundle_hash}")
    for problem in result.problems:
        _err(f"warning: {problem}")
    return EXIT_FAILED if result.problems else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from app.evidence.demo import build_demo

    out = Path(args.out_dir)
    paths = build_demo(out, progress=StderrBar())
    for label, path in paths.items():
        _out(f"{label:<6} {path}")
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
    _out(f"{'OK' if check.ok else 'FAILED'}: {check.exhibits_checked} exhibits checked, bundle {check.bundle_hash or '?'}")
    return EXIT_OK if check.ok else EXIT_FAILED


def cmd_verify(args: argparse.Namespace) -> int:
    target = Path(args.target)
    if target.is_file():
        return _verify_bundle(target, args.against)
    with Case.open(target, writable=False) as case:
        result = verify_case(case)
    for problem in result.problems:
        _out(f"FAIL {problem.code}: {problem.message}")
    _out(
        f"{'OK' if result.ok else 'FAILED'}: {result.items_checked} originals checked, "
        f"{result.audit_rows} audit rows, {len(result.problems)} problem(s)"
    )
    return EXIT_OK if result.ok else EXIT_FAILED


def cmd_check(args: argparse.Namespace) -> int:
    from app.evidence.checks import CheckOptions, exit_code, iter_check_paths, report_json

    options = CheckOptions(thumbnail=not args.no_thumbnail)
    checks = []
    missing = [p for p in args.paths if not Path(p).exists()]
    for path in missing:
        _err(f"error: {path}: no such file or folder")
    try:
        for result in iter_check_paths([Path(p) for p in args.paths if Path(p).exists()], options=options, progress=StderrBar()):
            checks.append(result)
    except KeyboardInterrupt:
        _err("cancelled")
        return EXIT_USAGE
    if args.json:
        _json(report_json(checks))
    else:
        for c in checks:
            _out(f"{c.verdict.value:<16} {c.path}")
            for f in c.findings:
                if f.severity.value in ("warning", "alert"):
                    _out(f"    [{f.severity.value}] {f.title_zh} / {f.title_en}")
    return EXIT_USAGE if missing else exit_code(checks)


def cmd_archive(args: argparse.Namespace) -> int:
    from app.evidence import archive

    root = Path(args.dir)
    if args.archive_command == "init":
        archive.init_archive(root, storage=args.storage)
        _out(f"created archive {root}")
        return EXIT_OK
    if args.archive_command == "import":
        cancel = CancelToken()
        try:
            report = archive.import_into_archive(
                root, [Path(f) for f in args.files], Path(args.orders) if args.orders else None,
                progress=StderrBar(), cancel=cancel,
            )
        except KeyboardInterrupt:
            cancel.cancel()
            _err("cancelled: files recorded so far stay in the archive")
            return EXIT_USAGE
        for result in report.files:
            if result.status == "failed":
                _err(f"error: {result.message}")
        if report.orders is not None:
            for warning in report.orders.warnings:
                _err(f"warning: {warning}")
        _out(f"imported {report.count('imported')}, already present {report.count('duplicate')}, "
             f"failed {report.count('failed')}, in the inbox {len(report.inbox)}")
        return EXIT_USAGE if report.count("failed") else EXIT_OK
    if args.archive_command == "find":
        hits = archive.find(root, args.query)
        if args.json:
            _json([h.to_json() for h in hits])
        else:
            for h in hits:
                _out(" ".join(str(v) for v in h.to_json().values() if v not in (None, "", [], {}))[:200])
            if not hits:
                _out("no match")
        return EXIT_OK
    if args.archive_command == "case":
        _out(str(archive.open_order_case(root, args.order, progress=StderrBar())))
        return EXIT_OK
    if args.archive_command == "assign":
        item = archive.assign(root, args.file, args.order)
        _out(f"assigned {item} to order {args.order}")
        return EXIT_OK
    if args.archive_command == "verify":
        result = archive.verify_archive(root, full=args.full, progress=StderrBar())
        for problem in result.problems:
            _out(f"FAIL {problem.code}: {problem.name} ({problem.recorded_path})")
        _out(f"{'OK' if result.ok else 'FAILED'}: {result.files_checked} files checked, {len(result.problems)} problem(s)")
        return EXIT_OK if result.ok else EXIT_FAILED
    return EXIT_USAGE


def cmd_gui(case: str | None) -> int:
    from app.ui.main import run_gui  # Qt only when the window is asked for

    return run_gui(Path(case) if case else None)


# -- parser --------------------------------------------------------------------------------------

COMMANDS = {"redact", "archive", "check", "export", "demo", "new", "add", "add-tracking", "list", "note", "verify", "timeline", "undo", "redo", "event", "date", "dispute", "renumber"}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="evidence-desk", description="EvidenceDesk (举证助手): evidence chains for e-commerce disputes")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    from app.evidence.privacy.cli import add_parser as add_redact_parser

    add_redact_parser(sub)

    p = sub.add_parser("new", help="create a case folder")
    p.add_argument("case")
    p.add_argument("--title", required=True)
    p.add_argument("--order", help="order number")
    p.add_argument("--dispute", help="dispute type")
    p.add_argument("--role", choices=["buyer", "seller"], default="buyer")
    p.add_argument("--shop", help="shop name")
    p.add_argument("--item", help="what was bought")
    p.add_argument("--amount", help="amount paid, e.g. 128.50")
    p.add_argument("--claim", help="what you ask for: refund, return, exchange, compensation")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("add", help="import files or folders (recursive)")
    p.add_argument("case")
    p.add_argument("paths", nargs="+")
    p.add_argument("--kind", choices=[k.value for k in ItemKind], help="force the kind of every file")
    p.add_argument("--no-ocr", action="store_true", help="do not read chat screenshots now (it takes ~1 s each)")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("add-tracking", help="add a courier tracking record (text file or - for stdin)")
    p.add_argument("case")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--text-file", help="text or CSV file; - reads stdin")
    src.add_argument("stdin", nargs="?", choices=["-"], help="read the text from stdin")
    p.set_defaults(func=cmd_add_tracking)

    p = sub.add_parser("list", help="list a case's items")
    p.add_argument("case")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("note", help="set an item's short note")
    p.add_argument("case")
    p.add_argument("item", help="item id or SHA-256 prefix")
    p.add_argument("text")
    p.set_defaults(func=cmd_note)

    p = sub.add_parser("check", help="integrity verdicts for loose files (no case needed)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-thumbnail", action="store_true", help="skip the EXIF-thumbnail comparison (faster)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("timeline", help="print the case's timeline, checklist and deadlines")
    p.add_argument("case")
    p.set_defaults(func=cmd_timeline)

    for name in ("undo", "redo"):
        p = sub.add_parser(name, help=f"{name} the last edit")
        p.add_argument("case")
        p.set_defaults(func=cmd_undo)

    p = sub.add_parser("event", help="add a manual event, e.g. 'called the courier'")
    p.add_argument("case")
    p.add_argument("text")
    p.add_argument("--at", help="when (ISO 8601, e.g. 2025-06-12T19:30+08:00); undated when omitted")
    p.set_defaults(func=cmd_event)

    p = sub.add_parser("date", help="set a key date: order, shipped, signed, trade_success, intervention, ruling ...")
    p.add_argument("case")
    p.add_argument("name")
    p.add_argument("value", help="YYYY-MM-DD or an ISO 8601 time")
    p.set_defaults(func=cmd_date)

    p = sub.add_parser("dispute", help="set the dispute type (e.g. not_received, not_as_described:color)")
    p.add_argument("case")
    p.add_argument("type")
    p.set_defaults(func=cmd_dispute)

    p = sub.add_parser("renumber", help="renumber exhibits 证据1, 证据2 … in timeline order")
    p.add_argument("case")
    p.set_defaults(func=cmd_renumber)

    p = sub.add_parser("export", help="export the evidence chain: PDF, upload pack, ZIP of originals")
    p.add_argument("case")
    p.add_argument("--pdf", help="write the PDF evidence chain here")
    p.add_argument("--pack", help="upload-pack preset, e.g. taobao-buyer, tmall-seller, taobao-seller-api, 1688, wechat-complaint, pdd")
    p.add_argument("--out", help="folder for the upload pack")
    p.add_argument("--zip", help="write a ZIP of the originals with manifest, PDF and README here")
    p.add_argument("--preparer", help="who prepared the bundle (printed on the cover)")
    p.add_argument("--keep-names", action="store_true",
                   help="use the original file names in the export (they may contain names); exhibit numbers by default")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify", help="check a case (originals, audit log) or an exported PDF/ZIP")
    p.add_argument("target", help="a case folder, OUT.pdf or OUT.zip")
    p.add_argument("--against", help="with a PDF: the case it was exported from")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("archive", help="seller's shipping-proof archive: many orders, one search")
    asub = p.add_subparsers(dest="archive_command", required=True)
    a = asub.add_parser("init", help="create an archive folder")
    a.add_argument("dir")
    a.add_argument("--storage", choices=["copy", "in_place", "auto"], default="copy",
                   help="copy originals into the archive, or record their hash and leave them where they are")
    a = asub.add_parser("import", help="import packing videos and photos (waybills are read from the frames)")
    a.add_argument("dir")
    a.add_argument("files", nargs="+")
    a.add_argument("--orders", help="the shop's order export (CSV: order number, waybill, buyer, item)")
    a = asub.add_parser("find", help="search by order, waybill, buyer, item, date or note")
    a.add_argument("dir")
    a.add_argument("query")
    a.add_argument("--json", action="store_true")
    a = asub.add_parser("case", help="open (or create) the case of one order, with its files")
    a.add_argument("dir")
    a.add_argument("order")
    a = asub.add_parser("assign", help="assign a file from the inbox to an order")
    a.add_argument("dir")
    a.add_argument("file", help="file id, SHA-256 prefix or original path")
    a.add_argument("order")
    a = asub.add_parser("verify", help="report moved, missing or changed files")
    a.add_argument("dir")
    a.add_argument("--full", action="store_true", help="re-hash every file (slow for large videos)")
    p.set_defaults(func=cmd_archive)

    p = sub.add_parser("demo", help="build the bundled sample case and export it")
    p.add_argument("out_dir")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (len(args_list) == 1 and args_list[0] not in COMMANDS and not args_list[0].startswith("-")):
        return cmd_gui(args_list[0] if args_list else None)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        _err("cancelled")
        return EXIT_USAGE
    except ItemNotFound as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except CaseError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except EvidenceError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
