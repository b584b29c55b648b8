"""Qt's own texts that its bundled Chinese translation (qtbase_zh_CN.qm) lacks.

Qt's file dialog shows "&Look in:" and "Files of &type:" in English even with qtbase_zh_CN
loaded (those sources changed after the translation was made). This translator answers only
for the texts listed and leaves everything else to Qt's own file.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

ZH_CN: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "Look in:"): "查找范围：",
    ("QFileDialog", "Files of type:"): "文件类型：",
    ("QFileSystemModel", "Drive"): "驱动器",
    ("QFileSystemModel", "Name"): "名称",
    ("QFileSystemModel", "Size"): "大小",
    ("QFileSystemModel", "Kind"): "类型",
    ("QFileSystemModel", "Type"): "类型",
    ("QFileSystemModel", "Date Modified"): "修改日期",
    ("QPlatformTheme", "Cancel"): "取消",
    ("QPlatformTheme", "Close"): "关闭",
    ("QPlatformTheme", "OK"): "确定",
}


class MissingQtTexts(QTranslator):
    """Answers the few Qt texts listed in `texts`; None (not translated here) for the rest."""

    def __init__(
        self, texts: dict[tuple[str, str], str] | None = None, parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.texts = ZH_CN if texts is None else texts

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return False

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:  # type: ignore[override]
        return self.texts.get((context, source))
