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
from app.evidence.service.importing import (
    MARGIN_DAYS,
    PhoneImportPlan,
    class_text,
    plan_phone_import,
)


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
    case: Case,
    paths: list[Path],
    kind: ItemKind | None,
    ocr: bool = True,
    folder_hints: dict[str, tuple[str, str]] | None = None,
) -> tuple[list[FileResult], bool]:
    """The one import pipeline (app.evidence.service.import_paths), its problems on stderr."""
    outcome = import_paths(
        case,
        paths,
        kind=kind,
        ocr=ocr,
        progress=StderrBar(),
        cancel=CancelToken(),
        folder_hints=folder_hints,
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
    if (args.camera_only or args.dry_run) and kind is not None:
        err(
            tr(
                "错误：--camera-only 和 --dry-run 不能与 --kind 同用",
                "error: --camera-only and --dry-run do not go with --kind",
            )
        )
        return EXIT_USAGE
    given = [Path(p) for p in args.paths]
    with Case.open(Path(args.case), writable=not args.dry_run) as case:
        paths, hints, refused, problem = _phone_paths(case, given, args)
        if problem is not None:
            return problem
        if args.dry_run:
            return EXIT_OK
        results, cancelled = _run_import(
            case, paths, kind, ocr=not args.no_ocr, folder_hints=hints or None
        )
    # what the phone folders' walk refused (a link out of the folder): said as the import would
    return _report_results(refused + results, cancelled)


def _phone_paths(
    case: Case, given: list[Path], args: argparse.Namespace
) -> tuple[list[Path], dict[str, tuple[str, str]], list[FileResult], int | None]:
    """The paths to import: a phone's folder planned (issue 22), its files' folders as hints.

    A folder that is a phone's storage or DCIM is always planned, so each file's phone folder
    is kept as a hint; with --camera-only only the camera's files from the dispute's dates are
    imported; --dry-run prints the plan and imports nothing.
    """
    paths: list[Path] = []
    hints: dict[str, tuple[str, str]] = {}
    refused: list[FileResult] = []
    for path in given:
        plan = (
            plan_phone_import(case, path, margin_days=args.margin_days, progress=StderrBar())
            if path.is_dir()
            else None
        )
        if plan is None:
            if args.camera_only:
                err(
                    tr(
                        "错误：{path} 不像手机的存储或 DCIM 文件夹；--camera-only 只用于手机文件夹",
                        "error: {path} does not look like a phone's storage or DCIM folder; "
                        "--camera-only is for phone folders",
                        path=path,
                    )
                )
                return [], {}, [], EXIT_USAGE
            paths.append(path)
            if args.dry_run:
                out(
                    tr(
                        "{path}：不是手机文件夹，全部导入",
                        "{path}: not a phone folder; all of it",
                        path=path,
                    )
                )
            continue
        chosen = plan.suggested if args.camera_only else plan.everything
        paths += chosen
        refused += plan.scan.failed
        hints.update(plan.hints())
        if args.dry_run:
            _print_plan(case, path, plan, set(chosen))
    return paths, hints, refused, None


def _print_plan(case: Case, folder: Path, plan: PhoneImportPlan, chosen: set[Path]) -> None:
    """The plan of one phone folder: each file with its folder's class and day, then counts."""
    zone = case.info().timezone
    out(
        tr(
            "{folder}：手机文件夹（日期按 {zone}）",
            "{folder}: a phone's folder (days in {zone})",
            folder=folder,
            zone=zone,
        )
    )
    dated = {
        "exif": tr("EXIF", "EXIF"),
        "video": tr("视频头", "video header"),
        "name": tr("文件名", "file name"),
        "mtime": tr("文件时间", "file time"),
    }
    for f in plan.scan.files:
        mark = tr("导入", "import") if f.path in chosen else tr("不导入", "leave out")
        day = (
            f"{f.day.isoformat()} ({dated.get(f.dated_by or '', '')})"
            if f.day
            else tr("无日期", "no date")
        )
        out(f"  [{mark}] {f.folder}/{f.path.name}  {class_text(f.source_class)}  {day}")
    counts = tr("；", "; ").join(
        f"{class_text(name)} {n}" for name, n in plan.scan.counts().items() if n
    )
    out(tr("  按文件夹：{counts}", "  by folder: {counts}", counts=counts))
    out("  " + plan.offer_text())
    for line in plan.left_out_lines():
        out(tr("  未列入 · {line}", "  left out · {line}", line=line))
    for extra in (plan.undated_text(), plan.refused_text()):
        if extra:
            out("  " + extra)
    out(
        tr(
            "  将导入 {n} 个文件（--dry-run：未导入任何文件）",
            "  would import {n} files (--dry-run: nothing imported)",
            n=len(chosen),
        )
    )


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
    p.add_argument(
        "--camera-only",
        action="store_true",
        help=tr(
            "手机的存储或 DCIM 文件夹：只导入相机拍的、纠纷日期内的文件"
            "（不含截图、微信、QQ、抖音等）",
            "a phone's storage or DCIM folder: import only the camera's files from the "
            "dispute's dates (no screenshots, WeChat, QQ, Douyin ...)",
        ),
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help=tr(
            "只列出手机文件夹里每个文件的来源和是否导入，不导入",
            "list each file of a phone folder, where it came from and whether it would be "
            "imported; import nothing",
        ),
    )
    p.add_argument(
        "--margin-days",
        type=int,
        default=MARGIN_DAYS,
        help=tr(
            "纠纷日期前后多留的天数（默认 {n}）",
            "days kept either side of the dispute's dates (default {n})",
            n=MARGIN_DAYS,
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
