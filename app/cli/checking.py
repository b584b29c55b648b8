"""Integrity verdicts for loose files: check."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.output import (
    EXIT_USAGE,
    StderrBar,
    err,
    json_out,
    out,
)
from app.cli.parsing import add_json_option
from app.evidence.i18n import pick, tr


def verdict_label(verdict: str, findings: Any = ()) -> str:
    """A verdict in plain words, in the current language (the machine name stays in --json)."""
    from app.evidence.service.labels import verdict_text  # the one table: app/evidence/labels.py

    return verdict_text(verdict, (f.severity for f in findings))


def cmd_check(args: argparse.Namespace) -> int:
    from app.evidence.service.checks import (
        CheckOptions,
        exit_code,
        iter_check_paths,
        report_json,
    )
    from app.evidence.service.labels import severity_text

    options = CheckOptions(thumbnail=not args.no_thumbnail)
    checks = []
    missing = [p for p in args.paths if not Path(p).exists()]
    for path in missing:
        err(
            tr(
                "错误：{path}：文件或文件夹不存在",
                "error: {path}: no such file or folder",
                path=path,
            )
        )
    try:
        for result in iter_check_paths(
            [Path(p) for p in args.paths if Path(p).exists()],
            options=options,
            progress=StderrBar(),
        ):
            checks.append(result)
    except KeyboardInterrupt:
        err(tr("已取消", "cancelled"))
        return EXIT_USAGE
    if args.json:
        json_out(report_json(checks))
    else:
        for c in checks:
            out(f"{c.verdict.value:<16} {c.path}  — {verdict_label(c.verdict.value, c.findings)}")
            for f in c.findings:
                if f.severity.value in ("warning", "alert"):
                    out(f"    [{severity_text(f.severity)}] {pick(f.title_zh, f.title_en)}")
            _print_route(c.findings)
    return EXIT_USAGE if missing else exit_code(checks)


def _print_route(findings: Any) -> None:
    """The way a non-original most likely came and what to do instead (issue 22), if known."""
    from app.evidence.service.routes import route_advice, route_of

    route = route_of(findings)
    if route is None:
        return
    out(f"    [{tr('可能的来路', 'likely route')}] {pick(route.title_zh, route.title_en)}")
    advice = route_advice(route.code, route.params)
    if advice:
        out(f"      → {pick(*advice)}")


def _parser_check(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help=tr(
            "检查单个文件的完整性（无需案件）",
            "integrity verdicts for loose files (no case needed)",
        ),
    )
    p.add_argument("paths", nargs="+")
    add_json_option(p)
    p.add_argument(
        "--no-thumbnail",
        action="store_true",
        help=tr(
            "跳过 EXIF 缩略图比对（更快）",
            "skip the EXIF-thumbnail comparison (faster)",
        ),
    )
    p.set_defaults(func=cmd_check)


# the commands of this group, each with what adds its parser (app/cli/__init__.py collects them)
PARSERS = {
    "check": _parser_check,
}
