"""The `evidence-desk` command line, over the same core as the GUI.

Exit codes: 0 ok, 1 findings or verification failed, 2 bad usage or unreadable input.

Messages, help and errors are in Chinese or English (`--lang zh|en`, else EVIDENCE_DESK_LANG, else
the locale; see `i18n.language_from_environment`). `--json` output is the same in both: English
keys, machine values, texts in both languages side by side.
"""

from __future__ import annotations

import argparse
import errno
import logging
import sqlite3
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.cli import archive, cases, checking, exporting, importing, items, redact
from app.cli.gui import cmd_gui
from app.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, err
from app.cli.parsing import ArgumentParser
from app.evidence.errors import (
    CaseExists,
    CaseInUse,
    CaseNotFound,
    EvidenceError,
    ItemNotFound,
    SchemaTooNew,
)
from app.evidence.i18n import (
    current_language,
    language_from_environment,
    normalise_language,
    set_language,
    tr,
)
from app.evidence.service.system import safe_console

# -- parser --------------------------------------------------------------------------------------

GROUPS = (redact, cases, importing, checking, exporting, archive)  # one module per command group
PARSERS: dict[str, Any] = {name: add for group in GROUPS for name, add in group.PARSERS.items()}
PARSERS.update(dict.fromkeys(items.COMMANDS))  # app/cli/items.py adds its four parsers at once
COMMANDS = set(PARSERS)
# the order `--help` lists the commands in (a command not named here comes last)
HELP_ORDER = (
    "redact",
    "remove",
    "exclude",
    "kind",
    "empty-removed",
    "new",
    "add",
    "add-tracking",
    "list",
    "note",
    "check",
    "timeline",
    "undo",
    "redo",
    "event",
    "date",
    "dispute",
    "checklist",
    "renumber",
    "export",
    "verify",
    "recover",
    "archive",
    "demo",
)


def _help_rank(name: str) -> int:
    return HELP_ORDER.index(name) if name in HELP_ORDER else len(HELP_ORDER)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand, its help in the current language."""
    parser = ArgumentParser(
        prog="evidence-desk",
        description=tr(
            "举证助手 EvidenceDesk：为电商纠纷整理证据链",
            "EvidenceDesk: evidence chains for e-commerce disputes",
        ),
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help=tr("在 stderr 上输出详细日志", "log details to stderr"),
    )
    parser.add_argument(
        "--lang",
        metavar="zh|en",
        help=tr(
            "输出语言；默认取 EVIDENCE_DESK_LANG，其次系统区域设置（LANG 等），都没有时为中文",
            "language of messages; default: EVIDENCE_DESK_LANG, else the locale (LANG ...), "
            "else Chinese",
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar=tr("命令", "COMMAND"))
    for name in sorted(PARSERS, key=_help_rank):
        add = PARSERS[name]
        if add is not None:
            add(sub)
        elif name == items.COMMANDS[0]:
            items.add_parsers(sub)  # remove, exclude, kind, empty-removed in one go
    items.add_log_option(parser)  # --log FILE

    return parser


def take_language(args: list[str]) -> tuple[str | None, list[str]]:
    """Take `--lang X` / `--lang=X` out of the arguments (anywhere before `--`): (X, the rest).

    The language is read before argparse runs so that its help and errors are in that language,
    and it may follow the command (`evidence-desk list CASE --lang en`).
    """
    rest: list[str] = []
    chosen: str | None = None
    it = iter(range(len(args)))
    for i in it:
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
            next(it, None)
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return chosen, rest


def _error_text(exc: EvidenceError) -> str:
    """A core error for the terminal: what it means in the current language, then the detail."""
    kinds: list[tuple[type[EvidenceError], str]] = [
        (CaseNotFound, tr("这里没有案件", "no case here")),
        (CaseExists, tr("这里已经有一个案件", "a case already exists here")),
        (
            CaseInUse,
            tr("案件正被另一个程序打开", "the case is open in another program"),
        ),
        (
            SchemaTooNew,
            tr(
                "案件由更新版本的举证助手创建，请先升级",
                "the case was made by a newer EvidenceDesk; update first",
            ),
        ),
        (ItemNotFound, tr("找不到该证据", "no such item")),
    ]
    what = next((text for cls, text in kinds if isinstance(exc, cls)), None)
    if what is None or current_language() == "en":  # the core's own words are English already
        return tr("错误：{detail}", "error: {detail}", detail=exc)
    return tr("错误：{what}（{detail}）", "error: {what} ({detail})", what=what, detail=exc)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    safe_console()  # a cp936 (GBK) console cannot show every file name: replace, never crash
    chosen, args_list = take_language(list(sys.argv[1:] if argv is None else argv))
    if not args_list or (
        len(args_list) == 1 and args_list[0] not in COMMANDS and not args_list[0].startswith("-")
    ):
        # the window uses --lang or EVIDENCE_DESK_LANG when given, else its own setting
        return cmd_gui(args_list[0] if args_list else None, chosen)
    previous = current_language()
    language = normalise_language(chosen) if chosen is not None else language_from_environment()
    if language is None:
        err(f"evidence-desk: error: --lang {chosen!r}: use zh or en / 错误：--lang 只能是 zh 或 en")
        return EXIT_USAGE
    set_language(language)
    try:
        return _run(args_list)
    finally:
        set_language(previous)  # tests (and the GUI) call main() in-process


def _run(args_list: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from app.cli.items import install_log

    log_handler = install_log(getattr(args, "log", None))
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        err(tr("已取消", "cancelled"))
        return EXIT_USAGE
    except EvidenceError as exc:
        err(_error_text(exc))
        return EXIT_USAGE
    except OSError as exc:  # a full disk, a read-only or vanished folder: the user can act on it
        err(_os_error_text(exc))
        return EXIT_USAGE
    except sqlite3.DatabaseError as exc:  # a damaged case.sqlite, a full disk under SQLite
        err(database_error_text(exc, _database_of(args)))
        # verify's answer about a case it cannot read is "failed", like any other problem
        return EXIT_FAILED if args.command == "verify" else EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, details with -v
        logging.getLogger("app.cli").log(
            logging.ERROR if log_handler else logging.DEBUG,
            "unexpected error",
            exc_info=True,
        )
        if args.verbose:
            traceback.print_exc()
        err(
            tr(
                "错误：意外的内部错误（{kind}：{detail}）；加 -v 重新运行可看到详情，请报告此问题",
                "error: unexpected internal error ({kind}: {detail}); run again with -v for "
                "the details and please report it",
                kind=type(exc).__name__,
                detail=str(exc)[:200].replace("\n", " "),
            )
        )
        return EXIT_USAGE
    finally:
        if log_handler is not None:
            logging.getLogger().removeHandler(log_handler)
            log_handler.close()


def _database_of(args: argparse.Namespace) -> str:
    """The database a command works on, for messages ("CASE/case.sqlite", "DIR/archive.sqlite")."""
    if getattr(args, "command", None) == "archive" and getattr(args, "dir", None):
        return str(Path(args.dir) / "archive.sqlite")
    case = getattr(args, "case", None) or getattr(args, "target", None)
    if case and Path(case).suffix.lower() not in (".zip", ".pdf"):
        return str(Path(case) / "case.sqlite")
    return "case.sqlite"


_DB_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_DB_FULL = ("SQLITE_FULL",)
_DB_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_DB_READONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")


def database_error_text(exc: sqlite3.DatabaseError, where: str) -> str:
    """One line for an SQLite error: what happened to the database and what to do."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc).lower()
    detail = str(exc).replace("\n", " ")[:160]
    if name.startswith(_DB_FULL) or "disk is full" in text:
        return tr(
            "错误：磁盘空间不足，无法写入 {where}；已写入的内容保持完好。请腾出空间后重试",
            "error: no space left on the disk for {where}; what was written is intact. Free "
            "some space and run the command again",
            where=where,
        )
    if name.startswith(_DB_DAMAGED) or "not a database" in text or "malformed" in text:
        return tr(
            "错误：{where} 已损坏，无法读取（{detail}）。originals/ 中的原件未被改动："
            "请从备份恢复 case.sqlite，或新建案件后把 originals/ 中的文件重新导入",
            "error: {where} is damaged and cannot be read ({detail}). The files in originals/ "
            "are untouched: restore case.sqlite from a backup, or make a new case and import "
            "the files in originals/ into it",
            where=where,
            detail=detail,
        )
    if name.startswith(_DB_BUSY) or "locked" in text or "busy" in text:
        return tr(
            "错误：{where} 正被另一个程序使用；请关闭它后重试",
            "error: {where} is in use by another program; close it and try again",
            where=where,
        )
    if name.startswith(_DB_READONLY) or "readonly" in text or "unable to open" in text:
        return tr(
            "错误：无法写入或打开 {where}（只读、没有权限或文件夹不可用）",
            "error: cannot open or write {where} (read-only, no permission or the folder is "
            "unavailable)",
            where=where,
        )
    return tr(
        "错误：{where} 出错（{detail}）",
        "error: {where}: database error ({detail})",
        where=where,
        detail=detail,
    )


def _os_error_text(exc: OSError) -> str:
    """One line for an operating-system error, naming the file and what to do."""
    where = exc.filename or tr("输出文件", "the output")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return tr(
            "错误：磁盘空间不足，无法写入 {where}；请腾出空间或换一个输出文件夹，"
            "未写完的文件已删除",
            "error: no space left on the disk for {where}; free some space or choose another "
            "output folder (nothing half-written was left)",
            where=where,
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return tr(
            "错误：无法写入 {where}（只读或没有权限）",
            "error: cannot write {where} (read-only or no permission)",
            where=where,
        )
    return tr(
        "错误：{where}：{detail}",
        "error: {where}: {detail}",
        where=where,
        detail=exc.strerror or exc,
    )


if __name__ == "__main__":
    sys.exit(main())
