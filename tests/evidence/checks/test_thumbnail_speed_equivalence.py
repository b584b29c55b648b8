"""The thumbnail search's shortcuts find what the full-resolution search finds (issue 20).

The search (app/evidence/checks/thumbnail.py, _search) takes two shortcuts on a reduced copy
of both images: at the coarse blur it correlates at full resolution only the coarse scales the
reduced copy ranks near the top, and a registration wanted only if it matches (a turned
thumbnail, the upright one at the coarse blur) is not searched at all when nothing reduced
comes near a match. These tests hold both to the search
without shortcuts, written out here from _place alone: every third scale at full resolution,
then the seven steps around each family's best; and to a brute force over every scale. The
pictures are generated: textured scenes and a tiled one (many near-equal placements), seen
whole, centred, cut to 4:3, letterboxed, squashed, cropped and turned.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from app.evidence.checks import thumbnail as t
from tests.evidence.checks.test_thumbnail_realworld import scene

THUMB = (160, 120)
COARSE_SIGMA = t._COARSE_SIGMA * THUMB[1] / 120  # what compare_thumbnail uses at 160x120


def tiles(size: tuple[int, int], seed: int) -> Image.Image:
    """A repeating pattern (a tile of 6 x 6 cells, 12 pixels each): a placement one tile off
    scores nearly as well as the right one."""
    rng = np.random.default_rng(seed)
    w, h = size
    tile = rng.uniform(40, 220, (6, 6, 3))
    cells = np.tile(tile, (h // 72 + 1, w // 72 + 1, 1)).astype(np.uint8)
    im = Image.fromarray(cells).resize(
        (cells.shape[1] * 12, cells.shape[0] * 12), Image.Resampling.NEAREST
    )
    arr = np.asarray(im.crop((0, 0, w, h)), dtype=np.float32) + rng.normal(0, 2, (h, w, 3))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def cases() -> dict[str, tuple[Image.Image, Image.Image]]:
    """name -> (thumbnail, picture): what cameras make, and what edits leave."""
    out: dict[str, tuple[Image.Image, Image.Image]] = {}
    four_three = scene((960, 720), seed=31)
    out["whole"] = (four_three.resize(THUMB, Image.Resampling.BOX), four_three)
    w, h = four_three.size
    m = (round(w * 0.04), round(h * 0.04))
    inner = four_three.crop((m[0], m[1], w - m[0], h - m[1]))
    out["centred_92"] = (inner.resize(THUMB, Image.Resampling.BOX), four_three)
    out["crop_right15"] = (
        four_three.resize(THUMB, Image.Resampling.BOX),
        four_three.crop((0, 0, round(w * 0.85), h)),
    )
    out["crop_centre30"] = (
        four_three.resize(THUMB, Image.Resampling.BOX),
        four_three.crop((round(w * 0.15), round(h * 0.15), round(w * 0.85), round(h * 0.85))),
    )
    wide = scene((1280, 720), seed=32)  # 16:9, a 4:3 thumbnail with its sides cut
    cw = round(720 * 4 / 3)
    cut = wide.crop(((1280 - cw) // 2, 0, (1280 + cw) // 2, 720))
    out["sides_cut"] = (cut.resize(THUMB, Image.Resampling.BOX), wide)
    three_two = scene((960, 640), seed=33)
    out["squashed"] = (three_two.resize(THUMB, Image.Resampling.BOX), three_two)
    box = Image.new("RGB", THUMB, (0, 0, 0))
    box.paste(three_two.resize((160, 107), Image.Resampling.BOX), (0, 6))
    out["letterbox"] = (box, three_two)
    tiled = tiles((960, 720), seed=34)
    out["tiles"] = (tiled.resize(THUMB, Image.Resampling.BOX), tiled)
    out["tiles_cropped"] = (
        tiled.resize(THUMB, Image.Resampling.BOX),
        tiled.crop((round(w * 0.1), 0, w, round(h * 0.9))),
    )
    return out


def _prepared(thumb: np.ndarray, picture: np.ndarray, sigma: float):  # noqa: ANN202
    """What _search gets: the blurred thumbnail, the prepared picture, rho and the cut."""
    h, w = thumb.shape[:2]
    ph, pw = picture.shape[:2]
    rho = (w / h) / (pw / ph)
    cut = max(1.0, 1.0 / rho)
    ready = t._Prepared(t._Prepared.shrink(picture, (w, h), rho, cut), sigma)
    blurred = t._blur(np.ascontiguousarray(thumb[..., 0]), sigma)
    return blurred, ready, rho, cut


def full_search(blurred: np.ndarray, picture: np.ndarray, rho: float, cut: float):  # noqa: ANN201
    """The search without shortcuts (the comparison before issue 20), from _place alone."""
    steps = np.arange(t.SCALE_RANGE[0], t.SCALE_RANGE[1] + 1e-9, t.SCALE_STEP)
    best = None
    for squashed in [False] + ([True] if abs(rho - 1) > 0.01 else []):
        scales = steps if squashed else steps * cut
        coarse = None
        for i in range(0, len(scales), 3):
            found = t._place(blurred, picture, float(scales[i]), squashed, rho)
            if found is not None and (coarse is None or found[0][0] > coarse[0]):
                coarse = (found[0][0], float(scales[i]))
        if coarse is None:
            continue
        near = np.flatnonzero(np.abs(scales - coarse[1]) <= 3 * t.SCALE_STEP * cut + 1e-9)
        for j in near.tolist():
            found = t._place(blurred, picture, float(scales[j]), squashed, rho)
            if found is not None and (best is None or found[1][0] > best[0]):
                a = float(scales[j])
                fy = a * (1.0 if squashed else rho)
                best = (found[1][0], a, fy, found[1][1], found[1][2], squashed)
    return best


def brute_force(blurred: np.ndarray, picture: np.ndarray, rho: float, cut: float) -> float:
    """The best correlation over every scale of both families, every offset."""
    steps = np.arange(t.SCALE_RANGE[0], t.SCALE_RANGE[1] + 1e-9, t.SCALE_STEP)
    best = -1.0
    for squashed in [False] + ([True] if abs(rho - 1) > 0.01 else []):
        for a in steps if squashed else steps * cut:
            found = t._place(blurred, picture, float(a), squashed, rho)
            if found is not None:
                best = max(best, found[1][0])
    return best


CASES = cases()


@pytest.mark.parametrize("sigma", [t._BLUR_SIGMA, COARSE_SIGMA], ids=["fine", "coarse"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_search_finds_what_the_full_search_finds(name: str, sigma: float) -> None:
    """Scale, offset, family and correlation identical; and no worse than any scale's best."""
    thumb_im, picture_im = CASES[name]
    thumb, picture = t._ycc(thumb_im), t._ycc(picture_im)
    blurred, ready, rho, cut = _prepared(thumb, picture, sigma)
    fast = t._search(blurred, ready, rho, cut, screen=False)
    full = full_search(blurred, ready.blurred, rho, cut)
    assert fast == full
    if not name.startswith("tiles"):  # a coarse-to-fine search may miss one of many peaks
        assert isinstance(fast, tuple)
        assert fast[0] >= brute_force(blurred, ready.blurred, rho, cut) - 2e-3


def test_the_coarse_blur_correlates_fewer_scales_at_full_resolution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shortcut is taken: at the coarse blur most coarse scales are only told reduced."""
    thumb_im, picture_im = CASES["centred_92"]
    thumb, picture = t._ycc(thumb_im), t._ycc(picture_im)
    blurred, ready, rho, cut = _prepared(thumb, picture, COARSE_SIGMA)
    calls: list[int] = []
    place = t._place

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if args[0].shape == blurred.shape:
            calls.append(1)
        return place(*args, **kwargs)

    monkeypatch.setattr(t, "_place", counting)
    t._search(blurred, ready, rho, cut, screen=False)
    # the search without shortcuts: 25 coarse scales and 4 more around the best
    assert len(calls) <= 12, len(calls)


@pytest.mark.parametrize("name", ["whole", "centred_92", "crop_right15", "squashed", "tiles"])
def test_a_screened_search_is_skipped_only_when_it_could_not_match(name: str) -> None:
    """Every turn at both blurs, and the upright thumbnail at the coarse blur (wanted only if
    it matches or reaches 0.9): the screened registration is the full one, or SCREENED where
    the full one is far from both; a turned thumbnail that matches is always found."""
    thumb_im, picture_im = CASES[name]
    thumb, picture = t._ycc(thumb_im), t._ycc(picture_im)
    screened_out = 0
    for picture_turn in ("none", "rot90"):
        # the picture turned losslessly by a viewer: the thumbnail matches turned that way
        shown = picture if picture_turn == "none" else t._turn(picture, "rot90")
        for sigma in (t._BLUR_SIGMA, COARSE_SIGMA):
            for turn in t._TURNS[1:] if sigma == t._BLUR_SIGMA else t._TURNS:
                turned = t._turn(thumb, turn)
                full = t.register(turned, shown, turn, sigma)
                screened = t._register(turned, shown, turn, sigma, {}, screen=True)
                if screened is t.SCREENED:
                    screened_out += 1
                    assert full is None or full.correlation < t.MATCH_CORRELATION - 0.1, turn
                else:
                    assert screened == full
                if picture_turn == "rot90" and turn == "rot90" and name in ("whole", "centred_92"):
                    assert isinstance(screened, t.Registration) and screened.matches, sigma
    assert screened_out > 0  # the screen is used
