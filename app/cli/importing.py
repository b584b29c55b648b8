"""Bringing files in: add, add-tracking, recover (the service's one import pipeline)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.cli.output import (
    EXIT_OK,
    EXIT_USAGE,
    StderrBar,
    err,
    out,
)
from app.evidence.i18n import tr
from app.evidence.models import ItemKind
from app.evidence.service import CancelToken, import_paths
from app.evidence.service.cases import Case, FileResult


def _report_results(results: list[FileResult], cancelled: bool) -> int:
    imported = sum(r.status == "imported" for r in results)
    duplicates = sum(r.status == "duplicate" for r in results)
    failed = [r for r in results if r.status == "failed"]
    for r in results:
        if r.status == "imported" and r.message:
            err(
                tr(
                    "警告：{name}：已保留，但无法读取其元数据（{message}）",
                    "warning: {name}: kept, but its metadata could not be read ({message})",
                    name=Path(r.path).name,
                    message=r.message,
                )
            )
    for r in failed:
        err(tr("错误：{message}", "error: {message}", message=r.message))
    summary = tr(
        "导入 {imported} 项，已存在 {duplicates} 项，失败 {failed} 项",
        "imported {imported}, already present {duplicates}, failed {failed}",
        imported=imported,
        duplicates=duplicates,
        failed=len(failed),
    )
    out(summary + (tr("（已取消）", " (cancelled)") if cancelled else ""))
    return EXIT_USAGE if failed else EXIT_OK


def _run_import(
    case: Case, paths: list[Path], kind: ItemKind | None, ocr: bool = True
) -> tuple[list[FileResult], bool]:
    """The one import pipeline (app.evidence.service.import_paths), its problems on stderr."""
    outcome = import_paths(
        case, paths, kind=kind, ocr=ocr, progress=StderrBar(), cancel=CancelToken()
    )
    for thumb in outcome.thumbnails:
        err(
            tr(
                "警告：{name}：已导入，但无法生成缩略图（{error}）；原件完好，照常导出",
                "warning: {name}: imported, but no thumbnail could be made ({error}); "
                "the original is kept and exports as usual",
                name=thumb.name,
                error=thumb.error,
            )
        )
    if outcome.unfinished:
        err(
            tr(
                "警告：磁盘已满，缩略图和检查未完成；原件均已保存。腾出空间后运行 check 补做",
                "warning: the disk is full, thumbnails and checks were not finished; the "
                "originals are all kept. Free some space and run check to finish them",
            )
        )
    for problem in outcome.problems:
        err(tr("警告：{problem}", "warning: {problem}", problem=problem))
    return outcome.results, outcome.cancelled


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


def cmd_recover(args: argparse.Namespace) -> int:
    """Import the originals a case open kept aside in recovered/ back as items (audited)."""
    from app.evidence.service.cases import recover_files

    with Case.open(Path(args.case)) as case:
        if not case.recovered:
            out(
                tr(
                    "recovered/ 中没有待恢复的文件",
                    "nothing to recover: recovered/ holds no files",
                )
            )
            return EXIT_OK
        report = recover_files(case, progress=StderrBar())
    return _report_results(report.results, report.cancelled)


def _parser_add(sub: Any) -> None:
    p = sub.add_parser(
        "add",
        help=tr("导入文件或文件夹（含子文件夹）", "import files or folders (recursive)"),
    )
    p.add_argument("case")
    p.add_argument("paths", nargs="+")
    p.add_argument(
        "--kind",
        choices=[k.value for k in ItemKind],
        help=tr("指定所有文件的类型", "force the kind of every file"),
    )
    p.add_argument(
        "--no-ocr",
        action="store_true",
        help=tr(
            "暂不识别聊天截图（每张约 1 秒）",
            "do not read chat screenshots now (it takes ~1 s each)",
        ),
    )
    p.set_defaults(func=cmd_add)


def _parser_add_tracking(sub: Any) -> None:
    p = sub.add_parser(
        "add-tracking",
        help=tr(
            "添加物流记录（文本文件，或用 - 从标准输入读取）",
            "add a courier tracking record (text file or - for stdin)",
        ),
    )
    p.add_argument("case")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--text-file",
        help=tr("文本或 CSV 文件；- 表示标准输入", "text or CSV file; - reads stdin"),
    )
    src.add_argument(
        "stdin",
        nargs="?",
        choices=["-"],
        help=tr("从标准输入读取文本", "read the text from stdin"),
    )
    p.set_defaults(func=cmd_add_tracking)


def _parser_recover(sub: Any) -> None:
    p = sub.add_parser(
        "recover",
        help=tr(
            "重新导入打开案件时移到 recovered/ 的原件（case.sqlite 中没有的文件）",
            "import back the originals a case open moved to recovered/ (files case.sqlite "
            "does not list)",
        ),
    )
    p.add_argument("case")
    p.set_defaults(func=cmd_recover)


# the commands of this group, each with what adds its parser (app/cli/__init__.py collects them)
PARSERS = {
    "add": _parser_add,
    "add-tracking": _parser_add_tracking,
    "recover": _parser_recover,
}
