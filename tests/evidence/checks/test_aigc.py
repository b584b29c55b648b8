"""GB 45438-2025 AI-content labels (TC260:AIGC) in JPEG, PNG, WebP and HEIC, and in videos."""

from __future__ import annotations

import io
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image, PngImagePlugin

from app.evidence.checks import Severity, Verdict, check_file
from app.evidence.checks.aigc import find_label, parse_label, read_aigc_xmp
from app.evidence.models import MediaMetadata
from tests.evidence.checks import phonefiles as pf

pillow_heif.register_heif_opener()


def _save(fmt: str, xmp: str) -> bytes:
    buf = io.BytesIO()
    image = pf.noise_image()
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp)
        image.save(buf, format="PNG", pnginfo=info)
    else:
        image.save(buf, format=fmt, xmp=xmp.encode("utf-8"))
    return buf.getvalue()


@pytest.mark.parametrize("form", ["attr", "element"])
def test_read_label_attribute_and_element_forms(form: str) -> None:
    value = read_aigc_xmp(pf.tc260_xmp("1", "即梦AI", "小红书", form=form))
    assert value is not None
    label = parse_label(value, "xmp")
    assert label is not None
    assert (label.label, label.producer, label.propagator) == ("1", "即梦AI", "小红书")


def test_parse_label_not_json_and_nested() -> None:
    assert parse_label("Label=2, ContentProducer=acme", "x").label == "2"  # type: ignore[union-attr]
    nested = parse_label('{"AIGC": {"Label": "3", "ContentProducer": "p"}}', "exif")
    assert nested is not None and nested.label == "3" and nested.producer == "p"
    assert parse_label('{"ContentProducer": "p"}', "x") is None


def test_no_label_in_ordinary_xmp() -> None:
    assert read_aigc_xmp(pf.ultra_hdr_xmp()) is None
    assert read_aigc_xmp(None) is None


def test_malformed_xmp_still_read() -> None:
    xmp = pf.tc260_xmp("1", "acme") + "<unclosed"
    label = parse_label(read_aigc_xmp(xmp) or "", "xmp")
    assert label is not None and label.label == "1"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_generated_label_is_an_alert_in_every_format(tmp_path: Path, fmt: str) -> None:
    path = pf.write(tmp_path / f"ai.{fmt.lower()}", _save(fmt, pf.tc260_xmp("1", "豆包")))
    check = check_file(path)
    found = [f for f in check.findings if f.code == "aigc_label_generated"]
    assert found, [f.code for f in check.findings]
    assert found[0].severity == Severity.ALERT
    assert found[0].params["producer"] == "豆包"
    assert "豆包" in found[0].explanation_zh and "豆包" in found[0].explanation_en
    assert check.verdict == Verdict.EDITED


@pytest.mark.parametrize(("label", "code", "severity"), [
    ("2", "aigc_label_possible", Severity.WARNING),
    ("3", "aigc_label_possible", Severity.WARNING),
    ("0", "aigc_label_other", Severity.INFO),
])  # fmt: skip
def test_other_label_values(tmp_path: Path, label: str, code: str, severity: Severity) -> None:
    data = pf.camera_jpeg(xmp=pf.tc260_xmp(label, "平台检测"))
    check = check_file(pf.write(tmp_path / "x.jpg", data))
    found = [f for f in check.findings if f.code.startswith("aigc_")]
    assert [(f.code, f.severity) for f in found] == [(code, severity)]
    assert found[0].params["label"] == label
    assert check.verdict != Verdict.EDITED


def test_camera_photo_without_label_has_no_aigc_finding(tmp_path: Path) -> None:
    check = check_file(pf.write(tmp_path / "c.jpg", pf.camera_jpeg()))
    assert not [f for f in check.findings if f.code.startswith("aigc_")]


def test_label_in_exif_text_and_video_keys() -> None:
    meta = MediaMetadata(
        format="jpeg",
        mime="image/jpeg",
        raw={"ImageDescription": '{"AIGC":{"Label":"1","ContentProducer":"cloud"}}'},
    )
    label = find_label(meta)
    assert label is not None and label.where == "exif:ImageDescription"
    video = MediaMetadata(format="mp4", mime="video/mp4")
    label = find_label(video, [("video:AIGC", '{"Label":"1","ContentProducer":"可灵"}')])
    assert label is not None and label.producer == "可灵"
    assert find_label(MediaMetadata(format="jpeg", mime="image/jpeg")) is None
    _ = Image  # Pillow is used through phonefiles
