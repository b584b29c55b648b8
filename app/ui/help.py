"""Help: the bundled offline guide (resources/help/guide.<language>.md) and the shortcut list,
made from the window's own actions so it never lists a shortcut that does not exist."""

from __future__ import annotations

import html
from importlib.resources import files

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.evidence.i18n import current_language, tr


def extra_keys() -> list[tuple[str, str]]:
    """(keys, what) for the keys no action carries, in the current language."""
    return [
        (
            "F6 / Shift+F6",
            tr(
                "在时间线、详情和右侧面板之间切换",
                "Move between the timeline, details and right-hand panel",
            ),
        ),
        (
            "Tab",
            tr(
                "时间线 → 说明 → 详情表 → 右侧面板",
                "Timeline → Note → details table → right-hand panel",
            ),
        ),
        ("Alt+↓", tr("日期框中打开日历", "Open the calendar in a date field")),
    ]


def guide_text(language: str | None = None) -> str:
    """The guide in Markdown, in `language` (default: the window's)."""
    name = "guide.en.md" if (language or current_language()) == "en" else "guide.zh_CN.md"
    return files("resources").joinpath("help").joinpath(name).read_text(encoding="utf-8")


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what) for every action with a shortcut, plus the keys no action carries."""
    rows: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for act in actions:
        keys = " / ".join(
            k.toString(QKeySequence.SequenceFormat.NativeText)
            for k in act.shortcuts()
            if not k.isEmpty()
        )
        text = act.text().replace("&", "").rstrip("…")
        if keys and text and (keys, text) not in seen:
            seen.add((keys, text))
            rows.append((keys, text))
    rows += extra_keys()
    return rows


def shortcut_markdown(actions: list[QAction]) -> str:
    lines = [
        "",
        "## " + tr("快捷键", "Shortcuts"),
        "",
        "| " + tr("按键", "Keys") + " | " + tr("作用", "Does") + " |",
        "|---|---|",
    ]
    lines += [
        f"| {html.escape(keys)} | {html.escape(text)} |" for keys, text in shortcut_rows(actions)
    ]
    return "\n".join(lines) + "\n"


class HelpDialog(QDialog):
    """The offline guide with the shortcut table under it."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("使用指南", "Guide"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(guide_text() + shortcut_markdown(actions))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭", "Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(640, 620)
