"""Case folders and their edits: new, list, note, timeline, undo/redo, event, date, dispute,
checklist, renumber.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.output import (
    EXIT_OK,
    EXIT_USAGE,
    err,
    json_out,
    out,
)
from app.cli.parsing import RawEpilogFormatter, add_json_option
from app.evidence.i18n import pick, tr
from app.evidence.models import Item, ItemKind
from app.evidence.service.cases import Case
from app.evidence.service.labels import clock_text, time_source_text


def cmd_new(args: argparse.Namespace) -> int:
    from app.evidence.service.edits import resolve, set_dispute, set_summary
    from app.evidence.service.labels import CLAIMS

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
            err(
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
    out(tr("已创建案件 {case}", "created case {case}", case=args.case))
    return EXIT_OK


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
    from app.evidence.service.labels import kind_text  # the one table: app/evidence/labels.py

    return kind_text(kind)


def cmd_list(args: argparse.Namespace) -> int:
    with Case.open(Path(args.case), writable=False) as case:
        info = case.info()
        items = case.items()
    if args.json:
        from app.evidence.service.view import list_json

        with Case.open(Path(args.case), writable=False) as case:
            extra = list_json(case)
        json_out({"case": info.__dict__, "items": [item_json(i) for i in items], **extra})
        return EXIT_OK
    role = (
        tr("买家", "buyer")
        if info.role == "buyer"
        else tr("卖家", "seller")
        if info.role == "seller"
        else info.role
    )
    out(
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
        # the case's clock, the zone named; the recorded value beside it (--json keeps ISO 8601)
        when = (
            f"{clock_text(ct, info.timezone, detail=ct.source.value != 'file_time')}"
            f" [{time_source_text(ct.source.value)}]"
            if ct
            else tr("无时间", "undated")
        )
        out(
            f"{i.id:>4}  {pad(kind_label(i.kind), 10)} {pad(when, 40)} {i.sha256[:12]}  "
            f"{i.original_name}" + (f"  — {i.note}" if i.note else "")
        )
    return EXIT_OK


def cmd_note(args: argparse.Namespace) -> int:
    from app.evidence.service.edits import (
        build_timeline,
        find_item,
        item_key,
        set_entry_note,
    )

    with Case.open(Path(args.case)) as case:
        item = find_item(case, args.item)  # 证据7 / E7 as the timeline shows, or the row id
        set_entry_note(case, item_key(item.id), args.text)  # undoable, unlike a raw write
        entry = build_timeline(case).exhibit_of_item(item.id)
    label = entry.exhibit_label if entry is not None and entry.exhibit_label else f"#{item.id}"
    out(
        tr(
            "已为{label}设置备注（{name}）",
            "note set on {label} ({name})",
            label=label,
            name=item.original_name,
        )
    )
    return EXIT_OK


def cmd_timeline(args: argparse.Namespace) -> int:
    from app.cli.timeline_view import timeline_text
    from app.evidence.service.view import read_case_view

    out(timeline_text(read_case_view(Path(args.case))))
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    from app.evidence.service.edits import redo, undo

    with Case.open(Path(args.case)) as case:
        step = (redo if args.command == "redo" else undo)(case)
    redo_asked = args.command == "redo"
    if step is None:
        out(
            tr("没有可重做的操作", "nothing to redo")
            if redo_asked
            else tr("没有可撤销的操作", "nothing to undo")
        )
        return EXIT_OK
    if redo_asked:
        out(tr("已重做：{label}", "redo: {label}", label=step.label))
    else:
        out(tr("已撤销：{label}", "undo: {label}", label=step.label))
    return EXIT_OK


def cmd_event(args: argparse.Namespace) -> int:
    from app.evidence.service.edits import add_manual_event, typed_when

    with Case.open(Path(args.case)) as case:
        when: Any = typed_when(case, args.at, with_time=True) if args.at else None  # as typed
        add_manual_event(case, args.text, when)
    out(tr("已添加事件：{text}", "added the event: {text}", text=args.text))
    return EXIT_OK


def cmd_date(args: argparse.Namespace) -> int:
    from datetime import datetime

    from app.evidence.service.edits import TypedDateError, set_case_date, typed_when
    from app.evidence.service.labels import DATE_NAMES, format_date, format_datetime

    name = _date_name(args.name)
    with Case.open(Path(args.case)) as case:
        typed = " ".join(args.value) if isinstance(args.value, list) else args.value
        value = typed_when(case, typed)
        if value is None:
            raise TypedDateError(tr("没有填写日期", "no date given"))
        set_case_date(case, name, value)
    shown = format_datetime(value) if isinstance(value, datetime) else format_date(value)
    out(
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
    from app.evidence.service.labels import DATE_NAMES

    wanted = text.strip().lower()
    for key, (zh, en) in DATE_NAMES.items():
        if wanted in (key, zh, en.lower()):
            return key
    return text  # set_case_date names the known ones


def cmd_dispute(args: argparse.Namespace) -> int:
    from app.evidence.service.edits import UnknownProfile, set_dispute

    with Case.open(Path(args.case)) as case:
        try:
            ref = set_dispute(case, args.type)
        except UnknownProfile:
            err(
                tr(
                    "错误：没有“{text}”这种纠纷类型；可用的类型：",
                    "error: no dispute type {text!r}; the types are:",
                    text=args.type,
                )
            )
            err(dispute_types_text())
            return EXIT_USAGE
    if ref is None:
        return EXIT_OK
    name = dispute_name(ref.text)
    out(tr("纠纷类型：{name}（{id}）", "dispute: {name} ({id})", name=name, id=ref.text))
    return EXIT_OK


def dispute_name(text: str) -> str:
    """ "描述不符 · 颜色" for "not_as_described:color" (the stored text when unknown)."""
    from app.evidence.service.edits import UnknownProfile, resolve

    try:
        ref = resolve(text)
    except UnknownProfile:
        return text
    name = pick(ref.profile.zh, ref.profile.en)
    return name + (" · " + pick(ref.variant.zh, ref.variant.en) if ref.variant else "")


def dispute_types_text() -> str:
    """Every dispute type with its variants, for `dispute --help` and an unknown type."""
    from app.evidence.service.view import profiles

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
    from app.evidence.service.edits import case_dispute, tick
    from app.evidence.service.labels import check_state_label
    from app.evidence.service.view import check_json, evaluate_checklist

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
            err(
                tr(
                    "错误：案件还没有纠纷类型；先运行 evidence-desk dispute CASE TYPE",
                    "error: the case has no dispute type; run evidence-desk dispute CASE TYPE",
                )
            )
            return EXIT_USAGE
        keys = [c.id for c in ref.profile.items_for(ref.variant.id if ref.variant else None)]
        if change is not None and change[0] not in keys:
            err(
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
        json_out({"dispute": ref.text, "checklist": [check_json(c) for c in checklist]})
        return EXIT_OK
    out(
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
        out(f"{mark} {c.item.id:<24} {pick(c.item.zh, c.item.en)}  [{words}]")
        if detail:
            out(f"    {detail}")
    return EXIT_OK


def cmd_renumber(args: argparse.Namespace) -> int:
    from app.evidence.service.edits import renumber_exhibits

    with Case.open(Path(args.case)) as case:
        numbers = renumber_exhibits(case)
    out(tr("已重新编号 {n} 份证据", "renumbered {n} exhibits", n=len(numbers)))
    return EXIT_OK


def _parser_new(sub: Any) -> None:
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


def _parser_list(sub: Any) -> None:
    p = sub.add_parser("list", help=tr("列出案件中的证据", "list a case's items"))
    p.add_argument("case")
    add_json_option(p)
    p.set_defaults(func=cmd_list)


def _parser_note(sub: Any) -> None:
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


def _parser_timeline(sub: Any) -> None:
    p = sub.add_parser(
        "timeline",
        help=tr(
            "显示案件的时间线、举证清单和期限",
            "print the case's timeline, checklist and deadlines",
        ),
    )
    p.add_argument("case")
    p.set_defaults(func=cmd_timeline)


def _parser_undo(sub: Any) -> None:
    p = sub.add_parser("undo", help=tr("撤销上一次修改", "undo the last edit"))
    p.add_argument("case")
    p.set_defaults(func=cmd_undo)


def _parser_redo(sub: Any) -> None:
    p = sub.add_parser("redo", help=tr("重做上一次撤销的修改", "redo the last undone edit"))
    p.add_argument("case")
    p.set_defaults(func=cmd_undo)


def _parser_event(sub: Any) -> None:
    p = sub.add_parser(
        "event",
        help=tr(
            "添加手动事件，如“联系了快递员”",
            "add a manual event, e.g. 'called the courier'",
        ),
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


def _parser_date(sub: Any) -> None:
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


def _parser_dispute(sub: Any) -> None:
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


def _parser_checklist(sub: Any) -> None:
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
    add_json_option(p)
    p.set_defaults(func=cmd_checklist)


def _parser_renumber(sub: Any) -> None:
    p = sub.add_parser(
        "renumber",
        help=tr(
            "按时间线顺序重新编号证据 证据1、证据2……",
            "renumber the exhibits 1, 2 … in timeline order",
        ),
    )
    p.add_argument("case")
    p.set_defaults(func=cmd_renumber)


# the commands of this group, each with what adds its parser (app/cli/__init__.py collects them)
PARSERS = {
    "new": _parser_new,
    "list": _parser_list,
    "note": _parser_note,
    "timeline": _parser_timeline,
    "undo": _parser_undo,
    "redo": _parser_redo,
    "event": _parser_event,
    "date": _parser_date,
    "dispute": _parser_dispute,
    "checklist": _parser_checklist,
    "renumber": _parser_renumber,
}
