"""`evidence-desk redact`: suggest, add, list, accept, reject and remove redactions.

Registered through PARSERS below (app/cli/__init__.py collects every group's). Forms::

    evidence-desk redact CASE --suggest [--accept-all] [--no-ocr] [--frames N]
    evidence-desk redact CASE ITEM --rect X,Y,W,H [--page N | --frame MS] [--reason R]
    evidence-desk redact CASE ITEM --text TEXT [--reason R]
    evidence-desk redact CASE [ITEM] --list [--json]
    evidence-desk redact CASE --accept ID... | --reject ID... | --accept-all | --remove ID

Exit codes: 0 ok, 2 bad usage (unknown item or id, a bad rectangle).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.output import EXIT_OK, EXIT_USAGE, StderrBar, err, json_out, out
from app.evidence.i18n import pick, tr
from app.evidence.service.cases import Case
from app.evidence.service.edits import (
    PrivacyError,
    Reason,
    Rect,
    Redaction,
    accept,
    accept_all,
    add_redaction,
    add_text_redaction,
    item_ref,
    list_redactions,
    mask_value,
    reject,
    remove_redaction,
)
from app.evidence.service.labels import REASON_LABELS


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `redact` subcommand to an argparse subparsers object; returns its parser."""
    p = subparsers.add_parser(
        "redact",
        help=tr(
            "遮盖隐私：从文字中建议、手动画框、列出、接受、拒绝、删除",
            "redactions: suggest from the text, draw by hand, list, accept, reject, remove",
        ),
        description=tr(
            "遮盖区域只在导出的副本中填成纯黑；原件从不改动。",
            "Regions are filled with solid black in exported copies only; "
            "originals are never changed.",
        ),
    )
    p.add_argument("case")
    p.add_argument(
        "item",
        nargs="?",
        help=tr(
            "证据号（如 证据7 或 E7）、项编号或 SHA-256 前缀（用于 --rect、--text、--list）",
            "exhibit (E7), item id or SHA-256 prefix (for --rect, --text, --list)",
        ),
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--suggest",
        action="store_true",
        help=tr(
            "查找手机号、身份证号、银行卡号、地址和姓名",
            "find phone numbers, ID and bank card numbers, addresses and names",
        ),
    )
    mode.add_argument(
        "--rect",
        help=tr(
            "添加区域 X,Y,W,H（按摆正后原件的像素）",
            "add a region X,Y,W,H in the upright original's pixels",
        ),
    )
    mode.add_argument(
        "--text",
        help=tr(
            "在导出中出现这段文字的地方都遮盖",
            "mask this text wherever the export prints it",
        ),
    )
    mode.add_argument("--list", action="store_true", help=tr("列出遮盖区域", "list redactions"))
    mode.add_argument(
        "--remove",
        type=int,
        metavar="ID",
        help=tr("删除一处遮盖（可撤销）", "delete a redaction (undo brings it back)"),
    )
    ids: dict[str, Any] = {"type": int, "nargs": "+", "metavar": "ID"}
    mode.add_argument("--accept", **ids, help=tr("接受建议", "accept suggestions"))
    mode.add_argument("--reject", **ids, help=tr("拒绝建议", "reject suggestions"))
    p.add_argument(
        "--accept-all",
        action="store_true",
        help=tr("接受所有待定的建议", "accept every pending suggestion"),
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--page",
        type=int,
        help=tr("PDF 文档的页码（从 1 开始）", "page of a PDF document (1-based)"),
    )
    where.add_argument(
        "--frame",
        type=int,
        metavar="MS",
        help=tr(
            "视频关键帧的时间（毫秒；默认：每个关键帧）",
            "video keyframe time in ms (default: every keyframe)",
        ),
    )
    p.add_argument(
        "--reason",
        choices=[r.value for r in Reason],
        default=Reason.OTHER.value,
        help=tr("遮盖原因", "why it is hidden"),
    )
    p.add_argument(
        "--no-ocr",
        action="store_true",
        help=tr(
            "与 --suggest 一起：只用已缓存的文字识别结果",
            "with --suggest: use only OCR already cached",
        ),
    )
    p.add_argument(
        "--frames",
        type=int,
        help=tr(
            "与 --suggest 一起：每个视频最多读取 N 个关键帧",
            "with --suggest: read at most N keyframes per video",
        ),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help=tr(
            "与 --list 一起：输出 JSON（与语言无关）",
            "with --list: JSON (the same in every language)",
        ),
    )
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Carry out one `redact` command; returns the exit code."""
    if not (
        args.suggest
        or args.rect
        or args.text
        or args.list
        or args.remove is not None
        or args.accept
        or args.reject
        or args.accept_all
    ):
        err(
            tr(
                "请说明要做什么：--suggest、--rect、--text、--list、--accept、--reject、--remove",
                "say what to do: --suggest, --rect, --text, --list, --accept, --reject, --remove",
            )
        )
        return EXIT_USAGE
    if (args.rect or args.text) and not args.item:
        err(
            tr(
                "--rect 和 --text 需要指定证据项（ITEM）",
                "--rect and --text need an ITEM",
            )
        )
        return EXIT_USAGE
    # listing needs no writer lock: it works while the window has the case open
    with Case.open(args.case, writable=not (args.list and not args.accept_all)) as case:
        try:
            args.item = item_ref(case, args.item)  # 证据7 / E7 as the timeline shows it
            return _run(case, args)
        except PrivacyError as exc:
            err(tr("错误：{message}", "error: {message}", message=exc))
            return EXIT_USAGE


def _run(case: Case, args: argparse.Namespace) -> int:
    reason = Reason(args.reason)
    if args.suggest:
        from app.evidence.service.edits import suggest_redactions

        report = suggest_redactions(
            case,
            [args.item] if args.item else None,
            ocr=not args.no_ocr,
            frames=args.frames,
            progress=StderrBar(),
        )
        for problem in report.problems:
            err(tr("警告：{problem}", "warning: {problem}", problem=problem))
        out(
            tr(
                "新建议 {added} 处（已有 {known} 处），读取 {read} 项",
                "{added} new suggestion(s) ({known} already known), {read} item(s) read",
                added=len(report.added),
                known=report.known,
                read=report.read,
            )
        )
        for r in report.added:
            out(_line(r))
    elif args.rect:
        r = add_redaction(
            case,
            args.item,
            Rect.parse(args.rect),
            reason=reason,
            page=args.page,
            frame_ms=args.frame,
        )
        out(tr("已添加 {line}", "added {line}", line=_line(r)))
    elif args.text:
        r = add_text_redaction(
            case, args.item, args.text, mask_value(reason, args.text), reason=reason
        )
        out(tr("已添加 {line}", "added {line}", line=_line(r)))
    elif args.list:
        found = list_redactions(case, args.item)
        if args.json:
            json_out([_json(r) for r in found])
        else:
            for r in found:
                out(_line(r))
            if not found:
                out(tr("没有遮盖区域", "no redactions"))
    elif args.remove is not None:
        r = remove_redaction(case, args.remove)
        out(tr("已删除 {line}", "removed {line}", line=_line(r)))
    elif args.accept or args.reject:
        changed = accept(case, args.accept) if args.accept else reject(case, args.reject)
        for r in changed:
            out(_line(r))
    if args.accept_all:
        done = accept_all(case, args.item)
        out(tr("已接受 {n} 处建议", "accepted {n} suggestion(s)", n=len(done)))
    return EXIT_OK


def _line(r: Redaction) -> str:
    where = tr("文字", "text") if r.rect is None else f"{r.rect}"
    if r.frame_ms is not None:
        where += f" @{r.frame_ms}ms"
    if r.page is not None:
        where += tr(" 第{page}页", " page {page}", page=r.page)
    label = pick(*REASON_LABELS[r.reason])
    shown = f"  {r.text} → {r.masked}" if r.text else ""
    item = tr("第 {id} 项", "item {id}", id=r.item_id)
    return f"#{r.id}  {item}  {label}  {where}  [{r.state.value}, {r.kind.value}]{shown}"


def _json(r: Redaction) -> dict[str, Any]:
    return {
        "id": r.id,
        "item_id": r.item_id,
        "rect": [r.rect.x, r.rect.y, r.rect.w, r.rect.h] if r.rect else None,
        "page": r.page,
        "frame_ms": r.frame_ms,
        "kind": r.kind.value,
        "state": r.state.value,
        "reason": r.reason.value,
        "text": r.text,
        "masked": r.masked,
    }


PARSERS = {"redact": add_parser}  # app/cli/__init__.py collects the groups' parsers
