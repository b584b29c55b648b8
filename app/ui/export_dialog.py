"""The export dialog: what to write, where, and what to fix first."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.evidence.i18n import pick, tr
from app.evidence.service.exporting import load_preset, preset_ids
from app.evidence.service.labels import verdict_short_text
from app.evidence.service.routes import route_advice, route_of


class ExportDialog(QDialog):
    """Choose PDF, upload pack and ZIP; warns about items that are not originals.

    `findings` (item id -> its findings) lets the warning say which way each non-original most
    likely came and what to do instead (issue 22), where the checks could tell.
    """

    def __init__(
        self,
        case_root: Path,
        case_title: str,
        verdicts: dict[int, str],
        names: dict[int, str],
        default_preset: str,
        parent: QWidget | None = None,
        findings: Mapping[int, Sequence[Any]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("导出证据链", "Export the evidence chain"))
        safe = "".join(ch if ch not in '\\/:*?"<>|' else "_" for ch in case_title) or "evidence"
        base = case_root / "exports"
        self.folder = QLineEdit(str(base))
        browse = QPushButton(tr("选择…", "Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.want_pdf = QCheckBox(
            tr(
                "PDF 证据链（完整、分页、可核验）",
                "PDF evidence chain (complete, paginated, verifiable)",
            )
        )
        self.want_pdf.setChecked(True)
        self.want_pack = QCheckBox(
            tr("上传图片包（按平台限制生成）", "Upload images (sized for the platform)")
        )
        self.want_pack.setChecked(True)
        self.preset = QComboBox()
        for preset_id in preset_ids():
            try:
                preset = load_preset(preset_id)
            except Exception:  # a broken preset file must not block exporting the rest
                continue
            self.preset.addItem(pick(preset.name_zh, preset.name_en), preset_id)
        self.preset.setCurrentIndex(max(0, self.preset.findData(default_preset)))
        self.want_zip = QCheckBox(
            tr(
                "原件 ZIP（逐字节原件 + 清单 + 核验说明）",
                "ZIP of originals (byte-exact, manifest, how to verify)",
            )
        )
        self.want_zip.setChecked(True)
        self.preparer = QLineEdit()
        self.preparer.setPlaceholderText(
            tr("整理人（印在封面，可不填）", "Prepared by (on the cover, optional)")
        )
        # Off every time the dialog opens: sharing a location must be a choice made per export.
        self.keep_metadata = QCheckBox(
            tr(
                "保留原图元数据（EXIF、XMP、视频标签）",
                "Keep the originals' metadata (EXIF, XMP, video tags)",
            )
        )
        self.keep_metadata.setChecked(False)
        # one short line (a wrapped label in a form layout can be cut at the bottom); the
        # exception for redacted exhibits is in the tooltip
        self.metadata_warning = QLabel(
            tr(
                "勾选后会带出拍摄地点（GPS）和设备信息",
                "Ticked, uploads share GPS position and device data",
            )
        )
        detail = tr(
            "有遮盖区域的证据不保留元数据：缩略图会泄露被遮盖的内容。",
            "Exhibits with covered areas never keep metadata: the thumbnail would show what is "
            "covered.",
        )
        self.metadata_warning.setToolTip(detail)
        self.keep_metadata.setToolTip(detail)
        # both off by default: the slots go to the evidence, the PDF speaks to the reviewer
        self.pack_cover = QCheckBox(
            tr("图片包第一张放封面和目录", "Start the upload images with a cover and index")
        )
        self.my_checklist = QCheckBox(
            tr(
                "PDF 附上“我的清单”（清单状态、待核对项和检查结果，给自己看）",
                'Add "my checklist" to the PDF (checklist state, items to check, check results: '
                "for you)",
            )
        )
        self.stem = safe
        form = QFormLayout(self)
        form.addRow(tr("保存到", "Save to"), row)
        form.addRow(self.want_pdf)
        form.addRow(self.want_pack, self.preset)
        form.addRow(self.want_zip)
        form.addRow(self.pack_cover)
        form.addRow(self.my_checklist)
        form.addRow(self.keep_metadata)
        form.addRow(self.metadata_warning)
        form.addRow(tr("整理人", "Prepared by"), self.preparer)
        warning = _originals_warning(verdicts, names, findings or {})
        if warning is not None:
            form.addRow(warning)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("导出", "Export"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        # wrapped labels need the height of their wrapped text: never let the dialog be shorter
        form.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.resize(620, 0)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("保存到", "Save to"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def targets(self) -> dict[str, Any]:
        """Keyword arguments for export_case (pdf, pack, zip_path, preparer, keep_metadata)."""
        out = Path(self.folder.text())
        return {
            "pdf": out / (self.stem + tr("-证据链.pdf", "-evidence-chain.pdf"))
            if self.want_pdf.isChecked()
            else None,
            "pack": (self.preset.currentData(), out / f"{self.stem}-{self.preset.currentData()}")
            if self.want_pack.isChecked()
            else None,
            "zip_path": out / (self.stem + tr("-原件.zip", "-originals.zip"))
            if self.want_zip.isChecked()
            else None,
            "preparer": self.preparer.text().strip() or None,
            "keep_metadata": self.keep_metadata.isChecked(),
            "pack_cover": self.pack_cover.isChecked(),
            "my_checklist": self.my_checklist.isChecked(),
        }


_MAX_LISTED = 8
_WARNING_WIDTH = 590  # the warning's width in a dialog opened 620 pixels wide


def _originals_warning(
    verdicts: Mapping[int, str], names: Mapping[int, str], findings: Mapping[int, Sequence[Any]]
) -> QLabel | None:
    """The "before you export" note: items that are not originals, each with its likely route,
    then what to do instead (each piece of advice once); None when every item is fine."""
    routes = {i: route_of(findings.get(i, ())) for i in verdicts}
    problems = [
        (i, v)
        for i, v in verdicts.items()
        if v in ("edited", "recompressed") or (v == "unknown" and routes.get(i) is not None)
    ]
    if not problems:
        return None
    lines: list[str] = []
    advice: dict[str, None] = {}  # each piece of advice once, in order
    for i, verdict in problems[:_MAX_LISTED]:
        words = verdict_short_text(verdict)  # the one table: app/evidence/labels.py
        line = f"<li>{html.escape(names.get(i, str(i)))}: "
        route = routes.get(i)
        if route is None:
            line += words
        else:  # a screenshot's verdict says nothing of an original: the route says it all
            title = html.escape(pick(route.title_zh, route.title_en))
            line += f"{words} — {title}" if verdict != "unknown" else title
            told = route_advice(route.code, route.params)
            if told:
                advice.setdefault(pick(*told), None)
        lines.append(line + "</li>")
    text = (
        "<b>" + tr("导出前请注意：", "Before you export:") + "</b><ul>" + "".join(lines) + "</ul>"
    )
    if advice:
        text += (
            "<b>"
            + tr("换成原件的办法：", "What to do instead:")
            + "</b><ul>"
            + "".join(f"<li>{html.escape(a)}</li>" for a in advice)
            + "</ul>"
        )
    text += tr(
        "审核人员可能会要求原件。请在手机相册里找到原始文件，或请对方发送“原图”，再重新导入。",
        "The reviewer may ask for originals. Find the original on the phone, or ask the sender "
        "to send the original image (not a compressed copy), and import it again.",
    )
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("originals_warning")
    # a wrapped label in a form gets the height of one line: ask for its wrapped height at the
    # dialog's opening width, or the advice is cut off at the bottom
    label.setMinimumHeight(label.heightForWidth(_WARNING_WIDTH))
    return label
