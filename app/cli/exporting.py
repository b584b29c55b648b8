"""Exports and their verification: export, verify, demo."""

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
    out,
)
from app.evidence.i18n import tr
from app.evidence.service import CancelToken
from app.evidence.service.cases import Case
from app.evidence.service.verifying import verify_case


def _finish_missing_checks(root: Path) -> None:
    """Thumbnails and checks an item still lacks (an archive order case, an import cut short)
    are made before the export, so no exhibit goes out as "not checked" (as the window does)."""
    from app.evidence.service.checks import finish_missing, unchecked_ids

    with Case.open(root, writable=False) as case:
        if not unchecked_ids(case):
            return
    with Case.open(root) as case:
        done = finish_missing(case, progress=StderrBar())
    if done.checked:
        err(
            tr(
                "导出前补做了 {n} 项检查",
                "checked {n} items that had not been checked before exporting",
                n=done.checked,
            )
        )


def cmd_export(args: argparse.Namespace) -> int:
    from app.evidence.service.exporting import export_case

    if not (args.pdf or args.pack or args.zip):
        err(
            tr(
                "错误：请说明要导出什么：--pdf OUT.pdf、--pack PRESET --out DIR、--zip OUT.zip",
                "error: say what to export: --pdf OUT.pdf, --pack PRESET --out DIR, --zip OUT.zip",
            )
        )
        return EXIT_USAGE
    if args.pack and not args.out:
        err(tr("错误：--pack 需要 --out DIR", "error: --pack needs --out DIR"))
        return EXIT_USAGE
    if getattr(args, "statement", None) is not None:
        _save_statement(Path(args.case), args.statement)
    cancel = CancelToken()
    _finish_missing_checks(Path(args.case))
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
                progress=StderrBar(),
                cancel=cancel,
                pack_cover=getattr(args, "pack_cover", False),
                my_checklist=getattr(args, "my_checklist", False),
                # an exhibit that looks edited or not original: said before anything is written
                warn=lambda line: err(tr("提醒：{warning}", "note: {warning}", warning=line)),
            )
        except KeyboardInterrupt:
            cancel.cancel()
            err(
                tr(
                    "已取消：目标位置没有留下写了一半的文件",
                    "cancelled: nothing half-written was left under the target names",
                )
            )
            return EXIT_USAGE
    if result.pdf:
        out(
            tr(
                "PDF  {path}  （{pages} 页，{exhibits} 份证据）",
                "PDF  {path}  ({pages} pages, {exhibits} exhibits)",
                path=result.pdf,
                pages=result.pdf_pages,
                exhibits=result.exhibits,
            )
        )
    if result.pack:
        out(
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
        out(f"ZIP  {result.zip}")
    if result.pack is not None and result.pack.guide is not None:
        out(tr("上传指引 {path}", "upload guide {path}", path=result.pack.guide.path))
    _record_round(Path(args.case), result)
    out(
        tr(
            "证据包哈希（manifest.json 的 SHA-256）：{hash}",
            "bundle hash (SHA-256 of manifest.json): {hash}",
            hash=result.bundle_hash,
        )
    )
    for problem in result.problems:
        err(tr("警告：{problem}", "warning: {problem}", problem=problem))
    # things to look at before uploading (uncovered phone numbers, exhibits a slot left out):
    # said, but the export itself succeeded
    for warning in result.warnings[len(result.review) :]:  # the review notes were said first
        err(tr("提醒：{warning}", "note: {warning}", warning=warning))
    return EXIT_FAILED if result.problems else EXIT_OK


def _record_round(root: Path, result: Any) -> None:
    """An export for the reviewer is a submission round: its exhibit numbers are fixed."""
    from app.evidence.service.exporting import record_export

    try:
        with Case.open(root) as case:
            round_id = record_export(case, result)
    except Exception as exc:  # noqa: BLE001 - e.g. the window holds the case: the export stands
        err(
            tr(
                "提醒：未能记录本次提交（{why}）",
                "note: the submission was not recorded ({why})",
                why=exc,
            )
        )
        return
    if round_id is not None:
        numbers = "、".join(f"证据{n}" for _, n in result.sent)
        out(
            tr(
                "已记录为一次提交，编号已固定：{numbers}",
                "recorded as a submission; numbers fixed: {numbers}",
                numbers=numbers,
            )
        )


def _save_statement(root: Path, text: str) -> None:
    """Store the case's statement (one undoable edit) and say how it fits the platform's field."""
    from app.evidence.service.edits import STATEMENT_LIMIT_BYTES, set_summary

    with Case.open(root) as case:
        summary = set_summary(case, statement=text)
    out(
        tr(
            "已保存陈述（{n} 字节）",
            "statement saved ({n} bytes)",
            n=summary.statement_bytes,
        )
    )
    if summary.statement_bytes > STATEMENT_LIMIT_BYTES:
        err(
            tr(
                "提醒：陈述超过淘宝退款留言的 {limit} 字节，上传说明会在句子处截断",
                "note: the statement is longer than Taobao's {limit}-byte refund message; "
                "the upload description is cut at a sentence",
                limit=STATEMENT_LIMIT_BYTES,
            )
        )


def cmd_demo(args: argparse.Namespace) -> int:
    from app.evidence.demo import build_demo

    out_dir = Path(args.out_dir)
    paths = build_demo(out_dir, progress=StderrBar())
    labels = {
        "case": tr("案件", "case"),
        "pdf": "PDF",
        "zip": "ZIP",
        "pack": tr("图片包", "pack"),
    }
    for label, path in paths.items():
        out(f"{labels.get(label, label):<6} {path}")
    return EXIT_OK


def _verify_bundle(target: Path, against: str | None) -> int:
    from app.evidence.service.verifying import verify_pdf, verify_zip

    if target.suffix.lower() == ".zip":
        check = verify_zip(target)
    elif against:
        with Case.open(Path(against), writable=False) as case:
            check = verify_pdf(target, against_case=case)
    else:
        check = verify_pdf(target)
    for problem in check.problems:
        where = f" [{problem.exhibit}]" if problem.exhibit else ""
        out(f"FAIL {problem.code}{where}: {problem.message}")
    out(_verdict_word(check.ok) + tr("：", ": ") + check.summary())
    for note in check.notes:  # after the verdict: scripts read the first word of a clean run
        out(tr("注意：", "note: ") + note)
    return EXIT_OK if check.ok else EXIT_FAILED


def cmd_verify(args: argparse.Namespace) -> int:
    target = Path(args.target)
    if target.is_file():
        return _verify_bundle(target, args.against)
    with Case.open(target, writable=False) as case:
        result = verify_case(case)
    for problem in result.problems:
        out(f"FAIL {problem.code}: {problem.message}")
    out(
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
        out(tr("注意：", "note: ") + note)
    return EXIT_OK if result.ok else EXIT_FAILED


def _parser_export(sub: Any) -> None:
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
        help=tr(
            "证据包的整理人（印在封面上）",
            "who prepared the bundle (printed on the cover)",
        ),
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
            "PDF 附上“我的清单”（清单状态、待核对项、建议和检查结果）；默认不附，PDF "
            "只给审核人员看",
            'add the "my checklist" section (checklist state, items to check, advice and check '
            "results) to the PDF; off by default: the PDF speaks to the reviewer",
        ),
    )
    p.set_defaults(func=cmd_export)


def _parser_verify(sub: Any) -> None:
    p = sub.add_parser(
        "verify",
        help=tr(
            "核验案件（原件、审计日志）或导出的 PDF/ZIP",
            "check a case (originals, audit log) or an exported PDF/ZIP",
        ),
    )
    p.add_argument(
        "target",
        help=tr("案件文件夹、OUT.pdf 或 OUT.zip", "a case folder, OUT.pdf or OUT.zip"),
    )
    p.add_argument(
        "--against",
        help=tr("核验 PDF 时：导出它的案件", "with a PDF: the case it was exported from"),
    )
    p.set_defaults(func=cmd_verify)


def _parser_demo(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help=tr("生成内置的样例案件并导出", "build the bundled sample case and export it"),
    )
    p.add_argument("out_dir")
    p.set_defaults(func=cmd_demo)


# the commands of this group, each with what adds its parser (app/cli/__init__.py collects them)
PARSERS = {
    "export": _parser_export,
    "verify": _parser_verify,
    "demo": _parser_demo,
}
