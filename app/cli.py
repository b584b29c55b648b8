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
import re
import sqlite3
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.cli_commands import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    cmd_add,
    cmd_add_tracking,
    cmd_archive,
    cmd_check,
    cmd_checklist,
    cmd_date,
    cmd_demo,
    cmd_dispute,
    cmd_event,
    cmd_export,
    cmd_gui,
    cmd_list,
    cmd_new,
    cmd_note,
    cmd_recover,
    cmd_renumber,
    cmd_timeline,
    cmd_undo,
    cmd_verify,
    dispute_types_text,
)
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
from app.evidence.models import ItemKind
from app.evidence.winpaths import safe_console


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


# -- parser --------------------------------------------------------------------------------------

COMMANDS = {
    "redact",
    "archive",
    "check",
    "export",
    "demo",
    "new",
    "add",
    "add-tracking",
    "list",
    "note",
    "verify",
    "recover",
    "timeline",
    "undo",
    "redo",
    "event",
    "date",
    "dispute",
    "checklist",
    "renumber",
    "remove",  # app.cli_items: taking items back (issue 19)
    "exclude",
    "kind",
    "empty-removed",
}


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with its "usage:" heading in the current language."""

    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(
            usage, actions, groups, tr("用法：", "usage: ") if prefix is None else prefix
        )


class RawEpilogFormatter(argparse.RawDescriptionHelpFormatter, HelpFormatter):
    """The translated formatter, keeping the line breaks of a description or epilog (lists)."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse with its own words (headings, -h, errors) in the current language.

    argparse takes its words from gettext with no catalogue shipped; rather than install a
    process-wide gettext domain, the few words a user meets are translated here.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = tr("位置参数", "positional arguments")
        self._optionals.title = tr("选项", "options")
        self.add_argument(
            "-h",
            "--help",
            action="help",
            help=tr("显示此帮助并退出", "show this help message and exit"),
        )

    def error(self, message: str) -> Any:  # NoReturn in argparse
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE,
            tr(
                "{prog}：错误：{message}\n",
                "{prog}: error: {message}\n",
                prog=self.prog,
                message=argparse_message(message),
            ),
        )


_ARGPARSE_MESSAGES: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"argument (?P<name>.+?): (?P<rest>.*)", re.S),
        lambda m: tr(
            "参数 {name}：{rest}",
            "argument {name}: {rest}",
            name=m["name"],
            rest=argparse_message(m["rest"]),
        ),
    ),
    (
        re.compile(r"the following arguments are required: (?P<names>.*)"),
        lambda m: tr(
            "缺少必需的参数：{names}",
            "the following arguments are required: {names}",
            names=m["names"],
        ),
    ),
    (
        re.compile(r"unrecognized arguments: (?P<names>.*)"),
        lambda m: tr(
            "无法识别的参数：{names}", "unrecognized arguments: {names}", names=m["names"]
        ),
    ),
    (
        re.compile(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)"),
        lambda m: tr(
            "无效的选择：{value}（可选：{choices}）",
            "invalid choice: {value} (choose from {choices})",
            value=m["value"],
            choices=m["choices"],
        ),
    ),
    (
        re.compile(r"one of the arguments (?P<names>.*) is required"),
        lambda m: tr(
            "必须给出以下参数之一：{names}",
            "one of the arguments {names} is required",
            names=m["names"],
        ),
    ),
    (
        re.compile(r"not allowed with argument (?P<name>.*)"),
        lambda m: tr(
            "不能与参数 {name} 同时使用", "not allowed with argument {name}", name=m["name"]
        ),
    ),
    (re.compile(r"expected one argument"), lambda m: tr("需要一个值", "expected one argument")),
    (
        re.compile(r"expected at least one argument"),
        lambda m: tr("至少需要一个值", "expected at least one argument"),
    ),
    (
        re.compile(r"invalid (?P<type>\w+) value: (?P<value>.*)"),
        lambda m: tr(
            "无效的 {type} 值：{value}",
            "invalid {type} value: {value}",
            type=m["type"],
            value=m["value"],
        ),
    ),
]


def argparse_message(message: str) -> str:
    """One of argparse's error messages in the current language (unchanged when not known)."""
    for pattern, say in _ARGPARSE_MESSAGES:
        if match := pattern.fullmatch(message):
            return str(say(match))
    return message


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
    from app.evidence.privacy.cli import add_parser as add_redact_parser

    add_redact_parser(sub)
    from app.cli_items import add_log_option, add_parsers as add_item_parsers

    add_item_parsers(sub)  # remove, exclude, kind, empty-removed
    add_log_option(parser)  # --log FILE

    p = sub.add_parser("new", help=tr("新建案件文件夹", "create a case folder"))
    p.add_argument("case")
    p.add_argument("--title", required=True, help=tr("案件标题", "case title"))
    p.add_argument("--order", help=tr("订单号", "order number"))
    p.add_argument("--dispute", help=tr("纠纷类型", "dispute type"))
    p.add_argument(
        "--role",
        choices=["buyer", "seller"],
        default="buyer",
        help=tr("买家或卖家", "buyer or seller"),
    )
    p.add_argument("--shop", help=tr("店铺名称", "shop name"))
    p.add_argument("--item", help=tr("购买的商品", "what was bought"))
    p.add_argument("--amount", help=tr("实付金额，如 128.50", "amount paid, e.g. 128.50"))
    p.add_argument(
        "--claim",
        help=tr(
            "诉求：refund（退款）、return（退货）、exchange（换货）、compensation（赔偿）",
            "what you ask for: refund, return, exchange, compensation",
        ),
    )
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "add", help=tr("导入文件或文件夹（含子文件夹）", "import files or folders (recursive)")
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
        "--text-file", help=tr("文本或 CSV 文件；- 表示标准输入", "text or CSV file; - reads stdin")
    )
    src.add_argument(
        "stdin", nargs="?", choices=["-"], help=tr("从标准输入读取文本", "read the text from stdin")
    )
    p.set_defaults(func=cmd_add_tracking)

    p = sub.add_parser("list", help=tr("列出案件中的证据", "list a case's items"))
    p.add_argument("case")
    p.add_argument(
        "--json",
        action="store_true",
        help=tr("输出 JSON（与语言无关）", "print JSON (the same in every language)"),
    )
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("note", help=tr("设置证据的简短备注", "set an item's short note"))
    p.add_argument("case")
    p.add_argument(
        "item",
        help=tr(
            "证据号（如 证据7 或 E7，与时间线和 PDF 一致）、项编号（list 第一列）或 SHA-256 前缀",
            "exhibit as the timeline and the PDF number it (E7), item id (the first "
            "column of list) or SHA-256 prefix",
        ),
    )
    p.add_argument("text")
    p.set_defaults(func=cmd_note)

    p = sub.add_parser(
        "check",
        help=tr(
            "检查单个文件的完整性（无需案件）",
            "integrity verdicts for loose files (no case needed)",
        ),
    )
    p.add_argument("paths", nargs="+")
    p.add_argument(
        "--json",
        action="store_true",
        help=tr("输出 JSON（与语言无关）", "print JSON (the same in every language)"),
    )
    p.add_argument(
        "--no-thumbnail",
        action="store_true",
        help=tr("跳过 EXIF 缩略图比对（更快）", "skip the EXIF-thumbnail comparison (faster)"),
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "timeline",
        help=tr(
            "显示案件的时间线、举证清单和期限", "print the case's timeline, checklist and deadlines"
        ),
    )
    p.add_argument("case")
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("undo", help=tr("撤销上一次修改", "undo the last edit"))
    p.add_argument("case")
    p.set_defaults(func=cmd_undo)
    p = sub.add_parser("redo", help=tr("重做上一次撤销的修改", "redo the last undone edit"))
    p.add_argument("case")
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser(
        "event",
        help=tr("添加手动事件，如“联系了快递员”", "add a manual event, e.g. 'called the courier'"),
    )
    p.add_argument("case")
    p.add_argument("text")
    p.add_argument(
        "--at",
        help=tr(
            "时间，如 2025-06-12 19:30、6月12日 19:30、昨天 19:30、now；不填则无时间",
            "when, e.g. 2025-06-12 19:30, 2025/6/12 19:30, yesterday 19:30, now; "
            "undated when omitted",
        ),
    )
    p.set_defaults(func=cmd_event)

    p = sub.add_parser(
        "date",
        help=tr(
            "设置关键日期：order、shipped、signed、trade_success、intervention、ruling……",
            "set a key date: order, shipped, signed, trade_success, intervention, ruling ...",
        ),
    )
    p.add_argument("case")
    p.add_argument("name")
    p.add_argument(
        "value",
        nargs="+",
        help=tr(
            "日期或时间，如 2025-06-12、2025年6月12日、2025-06-12 19:30、今天",
            "a date or time, e.g. 2025-06-12, 2025/6/12, 2025-06-12 19:30, today",
        ),
    )
    p.set_defaults(func=cmd_date)

    p = sub.add_parser(
        "dispute",
        help=tr(
            "设置纠纷类型（如 not_received、not_as_described:color）",
            "set the dispute type (e.g. not_received, not_as_described:color)",
        ),
        epilog=tr("纠纷类型：", "dispute types:") + "\n" + dispute_types_text(),
        formatter_class=RawEpilogFormatter,
    )
    p.add_argument("case")
    p.add_argument(
        "type",
        help=tr(
            "类型编号或名称，如 not_as_described:color、颜色不符、未收到货",
            "type id or name, e.g. not_as_described:color, colour, not received",
        ),
    )
    p.set_defaults(func=cmd_dispute)

    p = sub.add_parser(
        "checklist",
        help=tr(
            "显示纠纷类型的举证清单；勾选需要手动确认的项目（可撤销）",
            "show the dispute's evidence checklist; tick items confirmed by hand (undoable)",
        ),
    )
    p.add_argument("case")
    ticks = p.add_mutually_exclusive_group()
    ticks.add_argument(
        "--tick",
        metavar="KEY",
        help=tr("把此项勾选为已确认", "tick this item as confirmed"),
    )
    ticks.add_argument(
        "--untick",
        metavar="KEY",
        help=tr("取消此项的手动勾选", "take back this item's tick"),
    )
    ticks.add_argument(
        "--not-applicable",
        metavar="KEY",
        help=tr("把此项标为不适用", "mark this item as not applicable"),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help=tr("输出 JSON（与语言无关）", "print JSON (the same in every language)"),
    )
    p.set_defaults(func=cmd_checklist)

    p = sub.add_parser(
        "renumber",
        help=tr(
            "按时间线顺序重新编号证据 证据1、证据2……",
            "renumber the exhibits 1, 2 … in timeline order",
        ),
    )
    p.add_argument("case")
    p.set_defaults(func=cmd_renumber)

    p = sub.add_parser(
        "export",
        help=tr(
            "导出证据链：PDF、上传图片包、原件 ZIP",
            "export the evidence chain: PDF, upload pack, ZIP of originals",
        ),
    )
    p.add_argument("case")
    p.add_argument("--pdf", help=tr("PDF 证据链的保存位置", "write the PDF evidence chain here"))
    p.add_argument(
        "--pack",
        help=tr(
            "上传图片包预设，如 taobao-buyer、tmall-seller、taobao-seller-api、1688、"
            "wechat-complaint、pdd",
            "upload-pack preset, e.g. taobao-buyer, tmall-seller, taobao-seller-api, 1688, "
            "wechat-complaint, pdd",
        ),
    )
    p.add_argument("--out", help=tr("上传图片包的文件夹", "folder for the upload pack"))
    p.add_argument(
        "--zip",
        help=tr(
            "原件 ZIP（含清单、PDF 和说明）的保存位置",
            "write a ZIP of the originals with manifest, PDF and README here",
        ),
    )
    p.add_argument(
        "--preparer",
        help=tr("证据包的整理人（印在封面上）", "who prepared the bundle (printed on the cover)"),
    )
    p.add_argument(
        "--keep-names",
        action="store_true",
        help=tr(
            "导出时使用原始文件名（可能含有姓名）；默认用证据编号",
            "use the original file names in the export (they may contain names); "
            "exhibit numbers by default",
        ),
    )
    p.add_argument(
        "--keep-metadata",
        action="store_true",
        help=tr(
            "上传图片包和视频副本保留原件的元数据（EXIF、XMP、视频标签，会带出 GPS 位置和设备信息；"
            "有遮盖区域的证据除外）；默认全部去除",
            "keep the originals' metadata (EXIF, XMP, video tags: shares the GPS position and "
            "device) in the upload pack's pictures and video copies, except exhibits with "
            "covered areas; removed by default",
        ),
    )
    p.add_argument(
        "--statement",
        metavar="TEXT",
        help=tr(
            "先保存案件的陈述（写在封面和上传说明里，可撤销；空字符串清除），再导出",
            "save the case's statement first (on the cover and in the upload description; "
            "undoable; an empty string clears it), then export",
        ),
    )
    p.add_argument(
        "--pack-cover",
        action="store_true",
        help=tr(
            "上传图片包第一张放封面和目录（默认不放：图片位留给证据）",
            "start the upload pack with a cover and index image (off by default: the slots go "
            "to the evidence)",
        ),
    )
    p.add_argument(
        "--my-checklist",
        action="store_true",
        help=tr(
            "PDF 附上“我的清单”（清单状态、待核对项、建议和检查结果）；默认不附，PDF 只给审核人员看",
            'add the "my checklist" section (checklist state, items to check, advice and check '
            "results) to the PDF; off by default: the PDF speaks to the reviewer",
        ),
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "verify",
        help=tr(
            "核验案件（原件、审计日志）或导出的 PDF/ZIP",
            "check a case (originals, audit log) or an exported PDF/ZIP",
        ),
    )
    p.add_argument(
        "target", help=tr("案件文件夹、OUT.pdf 或 OUT.zip", "a case folder, OUT.pdf or OUT.zip")
    )
    p.add_argument(
        "--against",
        help=tr("核验 PDF 时：导出它的案件", "with a PDF: the case it was exported from"),
    )
    p.set_defaults(func=cmd_verify)

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
    a.add_argument(
        "--json",
        action="store_true",
        help=tr("输出 JSON（与语言无关）", "print JSON (the same in every language)"),
    )
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
        "assign", help=tr("把待分配的文件分配到订单", "assign a file from the inbox to an order")
    )
    a.add_argument("dir")
    a.add_argument(
        "file",
        help=tr("文件编号、SHA-256 前缀或原路径", "file id, SHA-256 prefix or original path"),
    )
    a.add_argument("order")
    a = asub.add_parser(
        "verify", help=tr("报告被移动、缺失或改动的文件", "report moved, missing or changed files")
    )
    a.add_argument("dir")
    a.add_argument(
        "--full",
        action="store_true",
        help=tr(
            "重新计算每个文件的哈希（大视频较慢）", "re-hash every file (slow for large videos)"
        ),
    )
    p.set_defaults(func=cmd_archive)

    p = sub.add_parser(
        "demo", help=tr("生成内置的样例案件并导出", "build the bundled sample case and export it")
    )
    p.add_argument("out_dir")
    p.set_defaults(func=cmd_demo)
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
        (CaseInUse, tr("案件正被另一个程序打开", "the case is open in another program")),
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
        _err(
            f"evidence-desk: error: --lang {chosen!r}: use zh or en / 错误：--lang 只能是 zh 或 en"
        )
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
    from app.cli_items import install_log

    log_handler = install_log(getattr(args, "log", None))
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        _err(tr("已取消", "cancelled"))
        return EXIT_USAGE
    except EvidenceError as exc:
        _err(_error_text(exc))
        return EXIT_USAGE
    except OSError as exc:  # a full disk, a read-only or vanished folder: the user can act on it
        _err(_os_error_text(exc))
        return EXIT_USAGE
    except sqlite3.DatabaseError as exc:  # a damaged case.sqlite, a full disk under SQLite
        _err(database_error_text(exc, _database_of(args)))
        # verify's answer about a case it cannot read is "failed", like any other problem
        return EXIT_FAILED if args.command == "verify" else EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, details with -v
        logging.getLogger("app.cli").log(
            logging.ERROR if log_handler else logging.DEBUG, "unexpected error", exc_info=True
        )
        if args.verbose:
            traceback.print_exc()
        _err(
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
            "错误：磁盘空间不足，无法写入 {where}；请腾出空间或换一个输出文件夹，未写完的文件已删除",
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
    return tr("错误：{where}：{detail}", "error: {where}: {detail}", where=where, detail=exc.strerror or exc)


if __name__ == "__main__":
    sys.exit(main())
