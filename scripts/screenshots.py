"""Take the README's screenshots of the window on a case built from the corpus (offscreen).

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR]   (default docs/screenshots)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("EVIDENCE_CORPUS", REPO.parent / "shared" / "corpus"))


def build_case(root: Path) -> Path:
    """A buyer's colour dispute from the corpus: photos, videos, chats, tracking."""
    from app.cli import main

    case = root / "外套颜色不符"
    main(["new", str(case), "--title", "外套颜色与描述不符", "--order", "3917264500123",
          "--dispute", "not_as_described:color", "--shop", "某某旗舰店", "--amount", "128.50", "--claim", "return_refund"])
    main(["add", str(case), str(CORPUS / "photos" / "originals"), str(CORPUS / "synthetic" / "videos"),
          str(CORPUS / "synthetic" / "screenshots")])
    main(["add-tracking", str(case), "--text-file", str(CORPUS / "synthetic" / "tracking" / "sf_not_received.txt")])
    main(["date", str(case), "order", "2025-06-08"])
    return case


def shoot(case: Path, out: Path, language: str) -> None:
    from PySide6.QtCore import QTimer

    from app.ui.main import make_app
    from app.ui.main_window import MainWindow
    from app.ui.timeline_model import TimelineModel

    app = make_app([], language=language)
    window = MainWindow()
    window.resize(1400, 860)
    window.show()
    if language == "zh_CN":
        QTimer.singleShot(300, lambda: window.grab().save(str(out / "start.png")))
    QTimer.singleShot(600, lambda: window.open_case(case))

    def when(ready, then, tries: int = 150) -> None:  # noqa: ANN001 - poll every 100 ms, up to 15 s
        if ready() or tries <= 0:
            QTimer.singleShot(300, then)
        else:
            QTimer.singleShot(100, lambda: when(ready, then, tries - 1))

    def select(name_part: str) -> None:
        model = window.model
        for r in range(model.rowCount()):
            e = model.index(r).data(TimelineModel.EntryRole)
            if e and e.is_item and name_part in window.snapshot.items[e.item_id].original_name:
                window.timeline.setCurrentIndex(model.index(r))
                return

    def video() -> None:  # the unboxing video: its keyframe strip, one frame enlarged
        select("packing_android")
        strip = window.inspector.strip
        when(lambda: strip.list.count() > 0, lambda: (strip.list.setCurrentRow(4), QTimer.singleShot(500, shoot_video)))

    def shoot_video() -> None:
        window.grab().save(str(out / f"case-{language}.png"))
        chat()

    def chat() -> None:  # a chat screenshot: suggested redaction, recognised text
        select("chat_part2")
        inspector = window.inspector
        window.controller.suggest_redactions([window.timeline.currentIndex().data(TimelineModel.EntryRole).item_id])
        inspector.tabs.setCurrentIndex(1)
        when(lambda: bool(inspector.canvas.regions()),
             lambda: (window.grab().save(str(out / f"redact-{language}.png")), app.quit()))

    when(lambda: window.snapshot is not None and window.model.rowCount() > 0, video)
    app.exec()
    window.close()
    window.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        case = build_case(Path(tmp))
        for lang in ("zh_CN", "en"):
            shoot(case, out, lang)
    from PIL import Image

    for png in out.glob("*.png"):  # a 256-colour palette keeps text sharp at a third of the size
        Image.open(png).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(png, optimize=True)
    print(f"screenshots in {out}")
