"""A turned phone photo (EXIF orientation) comes out upright at every size the page picture
code takes a different path for: fitting, drafted and shrunk by a small factor (OpenCV's
bicubic), drafted and shrunk by Lanczos, and shrunk from a full decode."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.export.images import load_upright
from tests.evidence.export.test_pdf_speed_passthrough import busy_picture, phone_jpeg


@pytest.mark.parametrize(
    "size",
    [
        (1200, 900),  # fits: no scaling
        (3264, 2448),  # an 8 MP phone: drafted to 1632 x 1224, then the bicubic step
        (4000, 3000),  # 12 MP: drafted to 2000 x 1500, then Lanczos
        (2000, 1500),  # no draft step fits: Lanczos from the full decode
    ],
)
@pytest.mark.parametrize("orientation", [6, 8])
def test_a_turned_photo_is_upright_in_its_page_picture(
    tmp_path: Path, size: tuple[int, int], orientation: int
) -> None:
    source = tmp_path / "IMG.jpg"
    phone_jpeg(source, busy_picture(size), orientation=orientation)
    picture = load_upright(source, 1600, 1600)
    width, height = picture.size
    assert height > width, (size, picture.size)  # stored landscape, shown portrait
    assert max(width, height) <= 1600
