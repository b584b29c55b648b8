"""The bundled sample case: a buyer's colour dispute, built and exported in one go.

`evidence-desk demo OUT_DIR` (and `make demo`) runs exactly what a user does: new case, import,
notes and dates, checks, OCR, export of the PDF, an upload pack and the ZIP.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from importlib.resources import as_file, files
from pathlib import Path

from app.evidence.service import (
    ProgressCallback,
    create_case,
    export_case,
    import_paths,
    no_progress,
    open_case,
)
from app.evidence.service.edits import (
    item_key,
    set_case_date,
    set_dispute,
    set_entry_note,
    set_summary,
)

NOTES = {
    "开箱视频.mov": "开箱视频：从拆开快递袋开始连续拍摄，画面中可见中通运单号 73190553102532 "
    "和吊牌颜色“燕麦色”，实物为灰色。",
    "聊天记录1.png": "与卖家的聊天：当天反映颜色不符，卖家称“显示器色差”，要求买家承担退货运费。",
    "聊天记录2.png": "聊天续：卖家次日拒绝包邮退货，买家告知将申请平台介入。",
    "中通物流.txt": "中通物流记录：6月12日由菜鸟驿站代收，当天 16:20 取件签收。",
}


def build_demo(out_dir: Path, *, progress: ProgressCallback = no_progress) -> dict[str, Path]:
    """Build the sample case under out_dir/sample-case and export it; returns what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    case_dir = out_dir / "sample-case"
    if case_dir.exists():
        shutil.rmtree(case_dir)  # the demo's own folder: rebuilt each time
    with (
        tempfile.TemporaryDirectory() as tmp,
        as_file(files("resources").joinpath("sample")) as sample,
    ):
        inputs = Path(tmp) / "样例"
        shutil.copytree(
            sample, inputs, ignore=shutil.ignore_patterns("README.md", "__init__.py", "__pycache__")
        )
        with create_case(case_dir, "开衫颜色与描述不符", order_no="3958216640123456789") as case:
            set_dispute(case, "not_as_described:color")
            set_summary(
                case,
                shop="某某旗舰店",
                item_title="女士针织开衫 燕麦色 M",
                amount="189.00",
                claim="return_refund",
                statement="收到的开衫为灰色，与商品页“燕麦色”不符，袖口有脱线。"
                "卖家不同意包邮退货，申请退货退款。",
            )
            set_case_date(case, "order", date(2025, 6, 8))
            import_paths(case, [inputs], progress=progress)  # the pipeline every front end uses
            for item in case.items():
                if item.original_name in NOTES:
                    set_entry_note(case, item_key(item.id), NOTES[item.original_name])
    written = {"case": case_dir}
    with open_case(case_dir, writable=False) as case:
        result = export_case(
            case,
            pdf=out_dir / "证据链.pdf",
            pack=("taobao-buyer", out_dir / "upload-taobao-buyer"),
            zip_path=out_dir / "原件.zip",
            preparer="样例买家",
            progress=progress,
        )
    written.update({k: v for k, v in (("pdf", result.pdf), ("zip", result.zip)) if v is not None})
    if result.pack is not None:
        written["pack"] = result.pack.folder
    return written
