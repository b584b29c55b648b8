"""Command-line commands that take items back: remove, exclude, kind, empty-removed, and --log.

Each edit is one undoable step (`evidence-desk undo CASE` takes it back) with an audit row
(app.evidence.timeline.item_edits). Items are named as the timeline shows them (证据3, E3), by
row id or by a SHA-256 prefix.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app.cli.output import EXIT_OK, EXIT_USAGE, err, out
from app.evidence.i18n import pick, tr
from app.evidence.service.cases import Case
from app.evidence.service.edits import item_state

COMMANDS = ("remove", "exclude", "kind", "empty-removed")


def cmd_remove(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case)) as case:
        item = item_state.remove_item(case, args.item)
    out(
        tr(
            "已从案件中删除 {name}（原件保留；undo 可撤销，empty-removed 永久删除）",
            "removed {name} from the case (original kept; undo takes it back, empty-removed "
            "deletes it)",
            name=item.original_name,
        )
    )
    return EXIT_OK


def cmd_exclude(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case)) as case:
        item = item_state.set_excluded(case, args.item, not args.undo)
    out(
        tr("{name} 恢复导出", "{name} is exported again", name=item.original_name)
        if args.undo
        else tr(
            "{name} 不再导出（仍在时间线上）",
            "{name} is left out of exports (still on the timeline)",
            name=item.original_name,
        )
    )
    return EXIT_OK


def cmd_kind(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case)) as case:
        item = item_state.set_item_kind(case, args.item, args.kind)
    zh, en = item_state.KIND_NAMES[item.kind]
    out(
        tr(
            "{name} 的类型改为{kind}",
            "{name} is now a {kind}",
            name=item.original_name,
            kind=pick(zh, en),
        )
    )
    return EXIT_OK


def cmd_empty_removed(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case)) as case:
        gone = item_state.removed_items(case)
        if not gone:
            out(tr("没有已删除的证据", "nothing removed"))
            return EXIT_OK
        if not args.yes:
            names = "\n".join(f"  {i.original_name}" for i in gone)
            out(
                tr(
                    "将永久删除这些原件（不能撤销）：",
                    "these originals will be deleted for good (cannot be undone):",
                )
                + "\n"
                + names
            )
            out(tr("确认请加 --yes 重新运行", "run again with --yes to confirm"))
            return EXIT_USAGE
        done = item_state.empty_removed(case)
    out(tr("已永久删除 {n} 项", "deleted {n} item(s) for good", n=len(done.items)))
    for line in done.files_left:
        err(tr("未能删除：{line}", "could not delete: {line}", line=line))
    return EXIT_OK


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the commands on the main parser's subparsers."""
    item_help = tr("证据3、E3、编号或 SHA-256 前缀", "E3, row id or SHA-256 prefix")
    p = sub.add_parser(
        "remove",
        help=tr(
            "从案件中删除一项证据（原件保留，可撤销）",
            "remove an item from the case (original kept, undoable)",
        ),
    )
    p.add_argument("case")
    p.add_argument("item", help=item_help)
    p.set_defaults(func=cmd_remove)
    p = sub.add_parser(
        "exclude",
        help=tr("不把一项证据放入导出（可撤销）", "leave an item out of exports (undoable)"),
    )
    p.add_argument("case")
    p.add_argument("item", help=item_help)
    p.add_argument(
        "--undo", action="store_true", help=tr("重新放入导出", "put it back into exports")
    )
    p.set_defaults(func=cmd_exclude)
    p = sub.add_parser(
        "kind", help=tr("更改证据类型（可撤销）", "change an item's kind (undoable)")
    )
    p.add_argument("case")
    p.add_argument("item", help=item_help)
    p.add_argument(
        "kind",
        help=tr(
            "photo、video、screenshot、tracking、document 或 照片、视频、截图、物流记录、文档",
            "photo, video, screenshot, tracking, document",
        ),
    )
    p.set_defaults(func=cmd_kind)
    p = sub.add_parser(
        "empty-removed",
        help=tr("永久删除已删除证据的原件", "delete the originals of removed items for good"),
    )
    p.add_argument("case")
    p.add_argument("--yes", action="store_true", help=tr("确认永久删除", "confirm the deletion"))
    p.set_defaults(func=cmd_empty_removed)


def add_log_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log",
        metavar=tr("文件", "FILE"),
        type=Path,
        help=tr(
            "把详细日志写入此文件（轮换，1 MB × 4）",
            "write a detailed log to this file (rotating, 1 MB x 4)",
        ),
    )


def install_log(path: Path | None) -> logging.Handler | None:
    """--log FILE: INFO and above of every logger into a rotating file; returns the handler."""
    if path is None:
        return None
    import logging.handlers

    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)
        for existing in root.handlers:  # the console keeps its own level
            if existing is not handler and existing.level == logging.NOTSET:
                existing.setLevel(logging.WARNING)
    logging.captureWarnings(True)
    logging.getLogger("app.cli").info("evidence-desk %s", " ".join(sys.argv[1:]) or "(in-process)")
    return handler
