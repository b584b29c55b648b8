"""The start page: recent cases and the ways to begin, for a buyer and for a seller."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import tr
from app.ui.phone_guide_dialog import open_phone_guide
from app.ui.settings import Settings


class StartPage(QWidget):
    """Recent cases and the ways to begin."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        title = QLabel(
            "<h1>"
            + tr("举证助手", "EvidenceDesk")
            + "</h1><p>"
            + tr(
                "整理照片、视频、聊天截图和物流记录，形成按时间排列、可核验的证据链。全部离线，"
                "文件只留在你的电脑上。",
                "Photos, videos, chat screenshots and courier tracking, in time order, in one "
                "verifiable evidence "
                "chain. Fully offline: your files stay on your PC.",
            )
            + "</p>"
        )
        title.setWordWrap(True)
        self.new_button = QPushButton(tr("新建案件…", "New case…"))
        self.open_button = QPushButton(tr("打开案件…", "Open case…"))
        self.recent = QListWidget()
        self.recent.setSpacing(2)
        for path in settings.recent_cases():
            self._add_recent(path)
        if self.recent.count() == 0:  # a first start: say what to do instead of a white box
            hint = QListWidgetItem(
                tr(
                    "还没有案件。点“新建案件”开始，或先点“打开示例案件”看看整理好的样子。",
                    "No cases yet. Press New case to begin, or Open the sample case to see a "
                    "finished one.",
                )
            )
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        self.archive_button = QPushButton(tr("发货存档…", "Shipping archive…"))
        buttons.addWidget(self.archive_button)
        self.sample_button = QPushButton(tr("打开示例案件", "Open the sample case"))
        self.sample_button.setToolTip(
            tr(
                "一个买家的颜色纠纷，已整理好，可以随意试用",
                "A buyer's colour dispute, ready to try things on",
            )
        )
        buttons.addWidget(self.sample_button)
        self.help_button = QPushButton(tr("使用指南", "Guide"))
        buttons.addWidget(self.help_button)
        buttons.addStretch(1)
        steps = QHBoxLayout()
        for heading, lines in (
            (
                tr("我是买家", "I am the buyer"),
                (
                    tr("新建案件，选“买家”和纠纷类型", "New case: choose Buyer and the dispute"),
                    tr(
                        "拖入照片、开箱视频、聊天截图；Ctrl+V 粘贴物流",
                        "Drag in photos, the unboxing video, chat screenshots; Ctrl+V pastes "
                        "tracking",
                    ),
                    tr(
                        "Ctrl+D 填写下单、签收等日期，右侧显示截止时间",
                        "Ctrl+D: order and signed-for dates; deadlines show on the right",
                    ),
                    tr(
                        "每项写一句说明，然后导出 PDF 和上传图片包",
                        "A note on each item, then export the PDF and upload pack",
                    ),
                ),
            ),
            (
                tr("我是卖家", "I am the seller"),
                (
                    tr(
                        "打开发货存档，导入打包视频和订单表",
                        "Open the shipping archive; import packing videos and the order list",
                    ),
                    tr(
                        "收到投诉时，在存档中找到订单，点“打开案件”",
                        "When a claim comes in, find the order and press Open case",
                    ),
                    tr(
                        "视频自动生成预览、关键帧和检查结论",
                        "Each video gets its preview, keyframes and check verdict",
                    ),
                    tr(
                        "填写发货、签收日期，导出并上传",
                        "Enter the shipped and signed-for dates, export and upload",
                    ),
                ),
            ),
        ):
            box = QLabel(
                "<b>"
                + html.escape(heading)
                + "</b><ol style='margin-left:-20px'>"
                + "".join(f"<li>{html.escape(line)}</li>" for line in lines)
                + "</ol>"
            )
            box.setWordWrap(True)
            box.setAlignment(Qt.AlignmentFlag.AlignTop)
            box.setFrameShape(QLabel.Shape.StyledPanel)
            box.setMargin(8)
            steps.addWidget(box, 1)
        # the originals are still on the phone: how to bring them across without losing them
        phone = QHBoxLayout()
        phone_text = QLabel(
            tr(
                "照片和视频还在手机里？先按说明用数据线把原件传到电脑；聊天软件转发的常常不是原件。",
                "Photos and videos still on the phone? Move the originals to the PC by cable "
                "first; what a chat app forwards is often not the original.",
            )
        )
        phone_text.setWordWrap(True)
        self.phone_button = QPushButton(tr("从手机导入…", "From your phone…"))
        self.phone_button.setToolTip(
            tr(
                "各品牌手机怎样把相机原片传到电脑（离线说明）",
                "How to move the camera's originals from each make of phone to the PC (offline)",
            )
        )
        self.phone_button.clicked.connect(lambda: open_phone_guide(self))
        phone.addWidget(self.phone_button)
        phone.addWidget(phone_text, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addLayout(steps)
        layout.addLayout(phone)
        layout.addWidget(QLabel(tr("最近的案件", "Recent cases")))
        layout.addWidget(self.recent, 1)

    def _add_recent(self, path: Path) -> None:
        """One recent case: its title, and its folder in smaller text below (the folder is
        what tells two cases of the same title apart); the path is the item's UserRole."""
        title = case_title(path)
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        item.setToolTip(str(path))
        label = QLabel(
            f"<b>{html.escape(title or path.name)}</b><br><small>{html.escape(str(path))}</small>"
        )
        label.setContentsMargins(6, 3, 6, 3)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        item.setSizeHint(label.sizeHint())
        self.recent.addItem(item)
        self.recent.setItemWidget(item, label)


def case_title(path: Path) -> str | None:
    """A case's title, read from its folder (about a millisecond); None when it cannot be read."""
    import sqlite3

    from app.evidence.errors import EvidenceError
    from app.evidence.service.cases import Case

    try:
        with Case.open(path, writable=False) as case:
            return case.info().title
    except (EvidenceError, OSError, sqlite3.Error):
        return None
