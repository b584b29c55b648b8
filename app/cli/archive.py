"""The seller's shipping-proof archive: archive init/import/find/open/assign/verify."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.output import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    StderrBar,
    _verdict_word,
    err,
    json_out,
    out,
)
from app.cli.parsing import add_json_option
from app.evidence.i18n import tr
from app.evidence.service import CancelToken


def cmd_archive(args: argparse.Namespace) -> int:
    from app.evidence.service import archive

    root = Path(args.dir)
    if args.archive_command == "init":
        archive.init_archive(root, storage=args.storage)
        out(tr("已创建归档 {path}", "created archive {path}", path=root))
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
            err(
                tr(
                    "已取消：已记录的文件仍在归档中",
                    "cancelled: files recorded so far stay in the archive",
                )
            )
            return EXIT_USAGE
        for result in report.files:
            if result.status == "failed":
                err(tr("错误：{message}", "error: {message}", message=result.message))
        if report.orders is not None:
            for warning in report.orders.warnings:
                err(tr("警告：{problem}", "warning: {problem}", problem=warning))
        out(
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
            json_out([h.to_json() for h in hits])
        else:
            for h in hits:
                out(
                    " ".join(str(v) for v in h.to_json().values() if v not in (None, "", [], {}))[
                        :200
                    ]
                )
            if not hits:
                out(tr("没有找到", "no match"))
        return EXIT_OK
    if args.archive_command == "case":
        out(str(archive.open_order_case(root, args.order, progress=StderrBar())))
        return EXIT_OK
    if args.archive_command == "assign":
        item = archive.assign(root, args.file, args.order)
        out(
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
            out(f"FAIL {problem.code}: {problem.name} ({problem.recorded_path})")
        out(
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


def _parser_archive(sub: Any) -> None:
    p = sub.add_parser(
        "archive",
        help=tr(
            "卖家发货凭证归档：多个订单，一处搜索",
            "seller's shipping-proof archive: many orders, one search",
        ),
    )
    asub = p.add_subparsers(dest="archive_command", required=True, metavar=tr("命令", "COMMAND"))
    a = asub.add_parser("init", help=tr("新建归档文件夹", "create an archive folder"))
    a.add_argument("dir")
    a.add_argument(
        "--storage",
        choices=["copy", "in_place", "auto"],
        default="copy",
        help=tr(
            "把原件复制进归档，或只记录哈希、原件留在原处",
            "copy originals into the archive, or record their hash and leave them where they are",
        ),
    )
    a = asub.add_parser(
        "import",
        help=tr(
            "导入打包视频和照片（从画面中识别面单）",
            "import packing videos and photos (waybills are read from the frames)",
        ),
    )
    a.add_argument("dir")
    a.add_argument("files", nargs="+")
    a.add_argument(
        "--orders",
        help=tr(
            "店铺导出的订单表（CSV：订单号、运单号、买家、商品）",
            "the shop's order export (CSV: order number, waybill, buyer, item)",
        ),
    )
    a = asub.add_parser(
        "find",
        help=tr(
            "按订单、运单、买家、商品、日期或备注搜索",
            "search by order, waybill, buyer, item, date or note",
        ),
    )
    a.add_argument("dir")
    a.add_argument("query")
    add_json_option(a)
    a = asub.add_parser(
        "case",
        help=tr(
            "打开（或新建）某个订单的案件及其文件",
            "open (or create) the case of one order, with its files",
        ),
    )
    a.add_argument("dir")
    a.add_argument("order")
    a = asub.add_parser(
        "assign",
        help=tr("把待分配的文件分配到订单", "assign a file from the inbox to an order"),
    )
    a.add_argument("dir")
    a.add_argument(
        "file",
        help=tr("文件编号、SHA-256 前缀或原路径", "file id, SHA-256 prefix or original path"),
    )
    a.add_argument("order")
    a = asub.add_parser(
        "verify",
        help=tr("报告被移动、缺失或改动的文件", "report moved, missing or changed files"),
    )
    a.add_argument("dir")
    a.add_argument(
        "--full",
        action="store_true",
        help=tr(
            "重新计算每个文件的哈希（大视频较慢）",
            "re-hash every file (slow for large videos)",
        ),
    )
    p.set_defaults(func=cmd_archive)


# the commands of this group, each with what adds its parser (app/cli/__init__.py collects them)
PARSERS = {
    "archive": _parser_archive,
}
