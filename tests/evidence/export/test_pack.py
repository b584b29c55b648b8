"""Upload packs: every page under the slot's limits, batches, description, no metadata, legible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from app.evidence.export import ExportError, PackResult, load_preset, preset_ids
from app.evidence.export.pack import trim_description, write_pack
from tests.evidence.export.conftest import ExportedCase, Prepared

PRESETS = {
    "taobao-buyer",
    "tmall-seller",
    "taobao-seller-api",
    "1688",
    "wechat-complaint",
    "pdd",
    "custom",
}


def _check_pack(pack: PackResult, preset_id: str) -> None:
    preset = load_preset(preset_id)
    assert pack.pages, "a pack has pages"
    labels = [p.label for p in pack.pages]
    # the slots go to the evidence: no cover or index unless the user asks (issue 18)
    assert not any(label.startswith(("封面", "目录", "隐私")) for label in labels), labels
    for page in pack.pages:
        data = page.path.read_bytes()
        assert len(data) == page.size <= preset.max_bytes, page.path.name
        assert max(page.width, page.height) <= preset.max_long_edge_px
        assert page.path.suffix in (".jpg", ".png")
        _assert_no_metadata(page.path, data)
    per_batch: dict[int, int] = {}
    for page in pack.pages:
        per_batch[page.batch] = per_batch.get(page.batch, 0) + 1
    assert max(per_batch.values()) <= preset.batch_count
    text = (pack.folder / "description.txt").read_text(encoding="utf-8").rstrip("\n")
    size = len(text.encode("utf-8")) if preset.description_unit == "bytes" else len(text)
    assert size <= preset.description_limit
    assert text == pack.description
    # the full list when it fits, else the exhibits with the fewest words (issue 18)
    assert text.startswith(
        ("订单号 3301234567890。证据（北京时间）：证据", "订单号 3301234567890。证据：证据")
    )
    if preset.max_images is not None:
        assert len(pack.pages) <= preset.max_images
        listing = json.loads((pack.folder / "pack.json").read_text(encoding="utf-8"))
        shown = {f"证据{n}" for p in pack.pages for n in p.exhibits}
        assert [e["label"] for e in listing["left_out"]] == list(pack.left_out)
        assert not shown & set(pack.left_out)


def _assert_no_metadata(path: Path, data: bytes) -> None:
    with Image.open(path) as im:
        assert not im.getexif(), f"{path.name} carries EXIF"
        assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(im.info), path.name
        if im.format == "PNG":
            assert not getattr(im, "text", {}), path.name
    assert (
        b"Exif\x00\x00" not in data
        and b"http://ns.adobe.com/xap" not in data
        and b"eXIf" not in data
    )


def test_every_platform_has_a_preset_with_a_source_for_each_number() -> None:
    assert set(preset_ids()) >= PRESETS
    for preset_id in PRESETS:
        preset = load_preset(preset_id)
        for name in (
            "formats",
            "max_bytes",
            "batch_count",
            "max_long_edge_px",
            "description_limit",
        ):
            limit = preset.source_of(name)
            assert (
                limit is not None
                and limit.source
                and limit.date
                and limit.confidence in {"high", "medium", "low"}
            )
    assert load_preset("taobao-seller-api").max_bytes <= 500_000
    assert (load_preset("1688").batch_count, load_preset("1688").max_bytes) == (10, 1_000_000)
    assert (
        load_preset("wechat-complaint").batch_count,
        load_preset("wechat-complaint").max_bytes,
    ) == (4, 2_000_000)


def test_seller_api_pack_fits_500_kb_one_image_per_call(exported: ExportedCase) -> None:
    pack = exported.result.pack
    assert pack is not None
    _check_pack(pack, "taobao-seller-api")
    assert all(p.path.parent == pack.folder for p in pack.pages)  # one per upload: no batch folders
    listing = json.loads((pack.folder / "pack.json").read_text(encoding="utf-8"))
    assert listing["bundle_hash"] == exported.result.bundle_hash and len(listing["pages"]) == len(
        pack.pages
    )
    # the long screenshot is split over images rather than shrunk
    assert sum(10 in p.exhibits for p in pack.pages) >= 2


@pytest.mark.parametrize("preset_id", ["1688", "wechat-complaint"])
def test_batched_packs_fit_their_slots(prepared: Prepared, tmp_path: Path, preset_id: str) -> None:
    pack = write_pack(
        prepared.inp,
        prepared.assets,
        prepared.manifest.bundle_hash,
        load_preset(preset_id),
        tmp_path / "pack",
    )
    _check_pack(pack, preset_id)
    preset = load_preset(preset_id)
    assert pack.batches == -(-len(pack.pages) // preset.batch_count)
    assert sorted(p.name for p in pack.folder.iterdir() if p.is_dir()) == [
        f"batch-{n:02d}" for n in range(1, pack.batches + 1)
    ]


def test_description_is_trimmed_by_bytes_or_characters() -> None:
    text = "证据" * 300
    api = trim_description(text, load_preset("taobao-seller-api"))
    assert len(api.encode("utf-8")) <= 400 and api.endswith("…")
    chars = trim_description(text, load_preset("1688"))
    assert len(chars) == 200 and chars.endswith("…")
    assert trim_description("短", load_preset("1688")) == "短"


def test_pack_never_replaces_a_folder_with_other_files(prepared: Prepared, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "keep.txt").write_text("user file")
    with pytest.raises(ExportError):
        write_pack(
            prepared.inp,
            prepared.assets[:1],
            prepared.manifest.bundle_hash,
            load_preset("custom"),
            folder,
        )
    assert (folder / "keep.txt").read_text() == "user file"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_unknown_preset_is_refused() -> None:
    with pytest.raises(ExportError, match="unknown upload preset"):
        load_preset("taobao-buyers")


def test_pages_stay_legible_for_ocr(exported: ExportedCase) -> None:
    engine = pytest.importorskip("app.evidence.ocr.engine")
    try:
        backend = engine.default_backend()
    except engine.OcrUnavailable as exc:
        pytest.skip(str(exc))
    pack = exported.result.pack
    assert pack is not None
    shot = next(p for p in pack.pages if 7 in p.exhibits)
    shot_text = engine.recognize(shot.path, backend=backend).text
    assert "证据7" in shot_text and "颜色差很" in shot_text  # the chat itself is still readable
