"""argparse in the current language: its headings, -h and error messages."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any

from app.cli.output import EXIT_USAGE
from app.evidence.i18n import tr


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with its "usage:" heading in the current language."""

    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(
            usage,
            actions,
            groups,
            tr("用法：", "usage: ") if prefix is None else prefix,
        )


class RawEpilogFormatter(argparse.RawDescriptionHelpFormatter, HelpFormatter):
    """The translated formatter, keeping the line breaks of a description or epilog (lists)."""


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """The `--json` flag of a command that prints JSON instead of text."""
    parser.add_argument(
        "--json",
        action="store_true",
        help=tr("输出 JSON（与语言无关）", "print JSON (the same in every language)"),
    )


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


# argparse's own messages (matched whole) in the current language: a pattern's named groups fill
# the text's placeholders; {rest}, the rest of an "argument X: ..." message, is translated too.
_Say = Callable[[dict[str, str]], str]
_ARGPARSE_MESSAGES: list[tuple[re.Pattern[str], _Say]] = [
    (
        re.compile(r"argument (?P<name>.+?): (?P<rest>.*)", re.S),
        lambda v: tr("参数 {name}：{rest}", "argument {name}: {rest}", **v),
    ),
    (
        re.compile(r"the following arguments are required: (?P<names>.*)"),
        lambda v: tr(
            "缺少必需的参数：{names}", "the following arguments are required: {names}", **v
        ),
    ),
    (
        re.compile(r"unrecognized arguments: (?P<names>.*)"),
        lambda v: tr("无法识别的参数：{names}", "unrecognized arguments: {names}", **v),
    ),
    (
        re.compile(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)"),
        lambda v: tr(
            "无效的选择：{value}（可选：{choices}）",
            "invalid choice: {value} (choose from {choices})",
            **v,
        ),
    ),
    (
        re.compile(r"one of the arguments (?P<names>.*) is required"),
        lambda v: tr(
            "必须给出以下参数之一：{names}", "one of the arguments {names} is required", **v
        ),
    ),
    (
        re.compile(r"not allowed with argument (?P<name>.*)"),
        lambda v: tr("不能与参数 {name} 同时使用", "not allowed with argument {name}", **v),
    ),
    (re.compile(r"expected one argument"), lambda v: tr("需要一个值", "expected one argument")),
    (
        re.compile(r"expected at least one argument"),
        lambda v: tr("至少需要一个值", "expected at least one argument"),
    ),
    (
        re.compile(r"invalid (?P<type>\w+) value: (?P<value>.*)"),
        lambda v: tr("无效的 {type} 值：{value}", "invalid {type} value: {value}", **v),
    ),
]


def argparse_message(message: str) -> str:
    """One of argparse's error messages in the current language (unchanged when not known)."""
    for pattern, say in _ARGPARSE_MESSAGES:
        if match := pattern.fullmatch(message):
            values = match.groupdict()
            if "rest" in values:
                values["rest"] = argparse_message(values["rest"])
            return say(values)
    return message
