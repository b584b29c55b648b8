"""The EXIF thumbnail against the picture (research §9.1 J3; Sherloq `thumbnail.py`).

A camera makes the small EXIF thumbnail from the same frame as the picture. An editor that keeps
the EXIF block but not its thumbnail leaves a picture of the scene *before* the edit: a
thumbnail that shows more of the scene than the picture means a crop, other content means a
change.

Real cameras do not make their thumbnails the way a test would: some pad a 3:2 frame into a
4:3 thumbnail with bars, some squash it, some cut its sides, many show a centred 86-96 % of the
frame, some are so blocky that photographed text turns into squares, and viewers turn the
picture losslessly without turning the thumbnail. So the comparison *registers* the thumbnail
on the picture before it judges:

1. The thumbnail is tried in its stored orientation, then turned by 90/180/270 degrees and
   mirrored. A turned match is a viewer's lossless rotation (a warning, never an edit) --
   unless it is the turn the file's EXIF orientation implies: some cameras store the
   thumbnail upright beside a picture stored as the sensor saw it.
2. For each orientation, the picture is scaled over a range of sizes relative to the thumbnail,
   in two families: the same scale in both directions, centred on the cut to the thumbnail's
   shape (a 4:3 thumbnail of a 3:2 or 16:9 frame with its sides cut), and the picture
   squashed into the thumbnail's shape. At each size the best offset is found by normalised
   cross-correlation of blurred grey images; the best (scale, offset) is the registration.
3. The registration says which part of the picture the thumbnail covers. Inside the picture,
   centred and at least 86 % of that cut: the camera's own field of view. Reaching beyond the
   picture: the thumbnail shows more of the scene (a crop) -- unless what it shows beyond the
   picture is uniform in both directions, centred and a few pixels deep (letterbox bars,
   borders): a bar is found against the picture's position, never by brightness alone, so
   dark picture content is never trimmed.
4. At the registration the two are compared window by window (a sixth of the overlap, slid
   over it) after a blur, in luma and in colour, with brightness and contrast normalised and
   the contrast floored (JPEG noise in a dark room is not a change). When that fails, the
   comparison is repeated at a coarser blur, for thumbnails whose fine detail the camera's
   scaler aliased (photographed text).

Calibration (bench/thumbnail_scores.py on the 46 real JPEGs with a thumbnail in
../shared/corpus, and crops, turns and edits made from them): untouched files reach beyond the
picture by at most 0.008 of its side (tolerance 0.015; a centred 5 % crop reaches 0.017-0.026)
and differ by at most 0.337 (threshold 0.45; painted rectangles and copy-moves from 0.50 up).
Without an EXIF thumbnail, an MPF "large thumbnail" or a JPEG inside the maker note is used;
those are not measured on enough real files, so a mismatch there is only a warning.

The picture is decoded once per file (PhotoInput.picture, shared with any other check that
needs pixels) in JPEG draft mode: 1/2 to 1/8 scale inside libjpeg, just above twice the
thumbnail's size. That decode is the floor of the comparison's cost (a 12 MP JPEG's every byte
is still entropy-decoded); the search itself works on thumbnail-sized images, and where the
scaled picture is wider and lower than the thumbnail (or the reverse) every band of a scale is
scored in one correlation (issue 20: one matchTemplate per band made a mismatch cost seconds).

What the search costs (issue 20; CPU, the picture already decoded, medians of 20, the old and
new search in the same run, load 2-5): a correlation at full resolution is about 0.3 ms
whatever the number of offsets (OpenCV's DFT; its threads neither help nor cost at these
sizes), and the upright search at the fine blur, whose registration is the one reported, makes
all of its 29 (58 with the squashed family): a real camera file that matches costs 3-20 ms, as
before (1.0-1.2x). The rest is shortened (_search): the picture is shrunk and blurred once per
comparison, not once per orientation; at the coarse blur a copy three times smaller ranks the
coarse scales; a turn, or the upright thumbnail at the coarse blur, is not searched when a
copy half (a third) the size finds nothing near a match. A file whose thumbnail does not match,
the slow path: real crops and edits 2.5-3.8x faster (217-380 -> 82-121 ms), turned by a viewer
1.5x (75-108 -> 51-74 ms), bench/check_bench.py's changed 12 MP file 1.9-2.0x (177-193 -> 87-101
ms); its matching 12 MP file only 1.1x (23-25 -> 20-23 ms): its upright fine search lands on
the wrong scale of a flat, aliased synthetic scene, so it is searched again at the coarse
blur (none of the 46 real originals is). Every one of bench/thumbnail_scores.py's 736
comparisons kept its registrations and every measure, float for float
(tests/evidence/checks/test_thumbnail_speed_equivalence.py holds the shortcuts to the full
search).
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.photo_input import PhotoInput, Picture, decode_picture
from app.evidence.checks.texts import finding
from app.evidence.errors import InputError
from app.evidence.readers.tiff_layout import exif_thumbnail

logger = logging.getLogger(__name__)

GRID = 6
BLOCK_THRESHOLD = 0.45  # worst window's mean |difference| (normalised luma or colour)
MATCH_CORRELATION = 0.80  # normalised cross-correlation a registration needs to count at all
SCALE_RANGE = (0.50, 1.22)  # picture size relative to the thumbnail, searched in SCALE_STEP
SCALE_STEP = 0.01
FIELD_MIN = 0.86  # a camera thumbnail shows at least this much of the frame, centred
CENTRE_TOLERANCE = 0.025  # how far (fraction of the picture) its centre may sit off the middle
SHOWS_MORE_TOLERANCE = 0.015  # reaching this far beyond the picture is registration error
BAR_STD = 4.0  # grey-level spread of a bar or border beyond the picture (0-255)
BAR_MARGIN = 2  # thumbnail pixels next to the picture's edge left out of the bar test
BAR_SYMMETRY = 2  # pixels: bars on opposite sides have the same depth (cameras centre them)
BAR_MIN_DEPTH = 4  # pixels: a thinner strip cannot be told from picture content
BAR_MIN_PIXELS = 64  # fewer bar pixels than this cannot be told from picture content
CHROMA_WEIGHT = 1.0  # colour difference against luma difference in the content measure
LUMA_FLOOR = 8.0  # grey levels: the least contrast luma differences are divided by
CHROMA_FLOOR = 24.0  # grey levels: the least contrast colour differences are divided by
FLAT_STD = 3.0  # grey levels: a thumbnail and picture this flat have nothing to register
_BLUR_SIGMA = 1.2  # at thumbnail scale: removes 8x8 JPEG blocks, keeps the scene's layout
_COARSE_SIGMA = 3.0  # the second, coarser comparison, for a 120-pixel-high thumbnail
_CHROMA_SIGMA = 2.0  # colour is stored at half resolution (or less) in small thumbnails
_MAX_SIDE = 256  # thumbnails (or previews) larger than this are compared at this size
_MIN_SIDE = 24
_REDUCED_MIN_SIDE = 32  # the reduced search's least thumbnail side (else: full search only)
_SELECT_BEST = 2  # coarse scales correlated at full resolution at the coarse blur: the best two
_SELECT_MARGIN = 0.01  # reduced, and any within this of the best
_SELECT_RELATIVE = 3.0  # (or within this many times the best's distance from 1, if less)
_SCREEN_MARGIN = 0.20  # screened out: the reduced coarse best is this far below a match
_TURNS = ("none", "rot90", "rot180", "rot270", "flip", "flip_rot90", "flip_rot180", "flip_rot270")
# EXIF orientation -> the turn (in _turn's terms) from the displayed picture to the stored one
_DISPLAY_TURN = {
    2: "flip",
    3: "rot180",
    4: "flip_rot180",
    5: "flip_rot270",
    6: "rot270",
    7: "flip_rot90",
    8: "rot90",
}
_REGIONS_ZH = (("左上", "上方", "右上"), ("左侧", "正中", "右侧"), ("左下", "下方", "右下"))
_REGIONS_EN = (
    ("top left", "top", "top right"),
    ("left", "centre", "right"),
    ("bottom left", "bottom", "bottom right"),
)
_TURN_ZH = {
    "rot90": "顺时针转 90°",
    "rot180": "转 180°",
    "rot270": "逆时针转 90°",
    "flip": "左右翻转",
    "flip_rot90": "翻转并转 90°",
    "flip_rot180": "上下翻转",
    "flip_rot270": "翻转并转 270°",
}
_TURN_EN = {
    "rot90": "turned 90° clockwise",
    "rot180": "turned 180°",
    "rot270": "turned 90° anticlockwise",
    "flip": "mirrored left-right",
    "flip_rot90": "mirrored and turned 90°",
    "flip_rot180": "mirrored top-bottom",
    "flip_rot270": "mirrored and turned 270°",
}


@dataclass(frozen=True)
class Registration:
    """Where the thumbnail sits on the picture, in one orientation.

    Attributes:
        turn: how the thumbnail was turned to match ("none", "rot90", ... see _TURNS).
        correlation: normalised cross-correlation of the overlap (blurred grey), -1..1.
        region: (left, top, right, bottom) of the thumbnail's view in picture coordinates,
            0..1 = the picture; beyond 0..1 the thumbnail shows more than the picture.
        beyond_uniform: the part beyond the picture is uniform (bars/borders), or there is none.
        block_diff: the worst window's mean |difference| on the overlap (luma or colour).
        worst_cell: (row, column) of that window's centre, in the thumbnail's GRID.
        squashed: the picture was squashed into the thumbnail's shape (not the same scale).
        luma_diff, chroma_diff: the worst window of each (block_diff is the larger).
        sigma: the blur (thumbnail pixels) both were compared at: the fine one, or the
            coarse one for thumbnails whose fine detail the camera's scaler aliased.
        fit: the share of the picture's width and height a centred cut to the thumbnail's
            shape keeps (a 4:3 thumbnail of a 16:9 frame: 0.75 of the width, all the height).
    """

    turn: str
    correlation: float
    region: tuple[float, float, float, float]
    beyond_uniform: bool
    block_diff: float
    worst_cell: tuple[int, int]
    squashed: bool
    luma_diff: float = 0.0
    chroma_diff: float = 0.0
    sigma: float = 0.0
    fit: tuple[float, float] = (1.0, 1.0)

    @property
    def shows_more(self) -> float:
        """How far (fraction of the picture, the largest side) the view reaches beyond it."""
        left, top, right, bottom = self.region
        return max(0.0, -left, -top, right - 1.0, bottom - 1.0)

    @property
    def field(self) -> float:
        """The share of the picture's width/height the thumbnail covers (the smaller one)."""
        left, top, right, bottom = self.region
        return min(right - left, bottom - top)

    @property
    def inside(self) -> bool:
        """The thumbnail's view lies within the picture (or beyond it only by bars)."""
        return self.shows_more <= SHOWS_MORE_TOLERANCE or self.beyond_uniform

    @property
    def camera_view(self) -> bool:
        """Inside, centred and not much smaller than the picture: what cameras make.

        Not much smaller: at least FIELD_MIN of what a centred cut to the thumbnail's shape
        keeps, on each side.
        """
        left, top, right, bottom = self.region
        clipped = (max(left, 0.0), max(top, 0.0), min(right, 1.0), min(bottom, 1.0))
        centre_x = (clipped[0] + clipped[2]) / 2 - 0.5
        centre_y = (clipped[1] + clipped[3]) / 2 - 0.5
        return (
            self.inside
            and clipped[2] - clipped[0] >= FIELD_MIN * self.fit[0] - 0.005
            and clipped[3] - clipped[1] >= FIELD_MIN * self.fit[1] - 0.005
            and max(abs(centre_x), abs(centre_y)) <= CENTRE_TOLERANCE
        )

    @property
    def matches(self) -> bool:
        """Same scene, same content, a camera's field of view."""
        return (
            self.camera_view
            and self.correlation >= MATCH_CORRELATION
            and self.block_diff <= BLOCK_THRESHOLD
        )


@dataclass(frozen=True)
class ThumbnailComparison:
    """The measures of one comparison.

    Attributes:
        thumb_size: the reference image's stored size (width, height).
        image_size: the picture's stored size.
        best: the registration that decides (the stored orientation's unless a turned one
            matches and the stored one does not).
        upright: the stored orientation's registration (None when it could not be computed).
        source: "exif_thumbnail", "makernote_preview" or "mpf_preview".
        display_turn: the turn that takes an upright (as displayed) thumbnail to the stored
            picture under the file's EXIF orientation; a camera that stores its thumbnail
            upright beside a picture stored as the sensor saw it matches in this turn.
    """

    thumb_size: tuple[int, int]
    image_size: tuple[int, int]
    best: Registration | None
    upright: Registration | None
    source: str = "exif_thumbnail"
    display_turn: str = "none"

    @property
    def block_diff(self) -> float | None:
        """The worst window of the deciding registration (None: none found)."""
        return self.best.block_diff if self.best else None

    @property
    def verdict(self) -> str:
        """One of "match", "turned", "shows_more", "partial" or "content".

        "partial": the same content, inside the picture, but off-centre or smaller than a
        camera's view (the picture extends beyond what the thumbnail shows).
        """
        best = self.best
        if best is None:
            return "content"
        if best.matches:
            return "match" if best.turn in ("none", self.display_turn) else "turned"
        if best.correlation >= MATCH_CORRELATION and best.block_diff <= BLOCK_THRESHOLD:
            return "partial" if best.inside else "shows_more"
        return "content"


def thumbnail_findings(photo: PhotoInput) -> list[Finding]:
    """Compare the EXIF thumbnail (or the camera's preview image) with the picture."""
    if not photo.options.thumbnail or photo.jpeg is None or not photo.jpeg.exif_tiff:
        return []
    source = "exif_thumbnail"
    data = exif_thumbnail(photo.jpeg.exif_tiff, photo.layout)
    if data is None:
        source, data = _preview(photo)
    if data is None:
        return []
    try:
        result = compare_thumbnail(
            photo.path, data, source, photo.meta.orientation, decode=photo.picture
        )
    except (InputError, OSError, ValueError, cv2.error, Image.DecompressionBombError) as exc:
        logger.debug("thumbnail comparison failed for %s: %s", photo.path, exc)
        return []
    if result.best is None:
        return []
    return [_finding(result)]


def _finding(result: ThumbnailComparison) -> Finding:
    best = result.best
    assert best is not None
    params = {
        "source": result.source,
        "thumbnail": f"{result.thumb_size[0]}x{result.thumb_size[1]}",
        "image": f"{result.image_size[0]}x{result.image_size[1]}",
        "turn": best.turn,
        "upright_thumbnail": best.turn != "none" and best.turn == result.display_turn,
        "correlation": round(best.correlation, 3),
        "block_diff": round(best.block_diff, 3),
        "region": [round(v, 3) for v in best.region],
        "field": round(best.field, 3),
        "shows_more": round(best.shows_more, 3),
        "bars": bool(best.beyond_uniform and best.shows_more > SHOWS_MORE_TOLERANCE),
        "squashed": best.squashed,
        "threshold": BLOCK_THRESHOLD,
        "match_correlation": MATCH_CORRELATION,
        "grid": GRID,
    }
    if result.upright is not None and best.turn != "none":
        params["upright_correlation"] = round(result.upright.correlation, 3)
    source_zh, source_en = {
        "exif_thumbnail": ("缩略图", "thumbnail"),
        "makernote_preview": ("相机厂商预览图", "maker-note preview"),
        "mpf_preview": ("MPF 预览图", "MPF preview"),
    }[result.source]
    names = {"source_zh": source_zh, "source_en": source_en}
    verdict = result.verdict
    if verdict == "match":
        return finding(
            "thumbnail_matches", Severity.INFO, params, percent=round(best.field * 100), **names
        )
    if verdict == "turned":
        return finding(
            "thumbnail_turned",
            Severity.WARNING,
            params,
            turn_zh=_TURN_ZH.get(best.turn, best.turn),
            turn_en=_TURN_EN.get(best.turn, best.turn),
            **names,
        )
    if verdict == "partial":  # never seen on a labelled real file: a warning
        return finding(
            "thumbnail_partial_view",
            Severity.WARNING,
            params,
            percent=round(best.field * 100),
            **names,
        )
    if result.source != "exif_thumbnail":  # previews: not measured on enough real files
        row, col = best.worst_cell
        return finding(
            "thumbnail_preview_mismatch",
            Severity.WARNING,
            params,
            region_zh=_REGIONS_ZH[min(2, row * 3 // GRID)][min(2, col * 3 // GRID)],
            region_en=_REGIONS_EN[min(2, row * 3 // GRID)][min(2, col * 3 // GRID)],
            **names,
        )
    if verdict == "shows_more":
        sides_zh, sides_en = _sides(best.region)
        return finding(
            "thumbnail_shows_more",
            Severity.ALERT,
            params,
            percent=round(best.shows_more * 100),
            sides_zh=sides_zh,
            sides_en=sides_en,
            **names,
        )
    row, col = best.worst_cell
    band = min(2, row * 3 // GRID)
    side = min(2, col * 3 // GRID)
    return finding(
        "thumbnail_content_mismatch",
        Severity.ALERT,
        params,
        region_zh=_REGIONS_ZH[band][side],
        region_en=_REGIONS_EN[band][side],
        **names,
    )


def _sides(region: tuple[float, float, float, float]) -> tuple[list[str], list[str]]:
    left, top, right, bottom = region
    reach = {
        ("左边", "left"): -left,
        ("上边", "top"): -top,
        ("右边", "right"): right - 1,
        ("下边", "bottom"): bottom - 1,
    }
    sides = [names for names, amount in reach.items() if amount > SHOWS_MORE_TOLERANCE]
    return [zh for zh, _ in sides], [en for _, en in sides]


# --------------------------------------------------------------------------------- comparison


def compare_thumbnail(
    path: Path,
    thumbnail: bytes,
    source: str = "exif_thumbnail",
    orientation: int | None = None,
    decode: Callable[[int], Picture] | None = None,
) -> ThumbnailComparison:
    """Register the thumbnail (JPEG bytes) on the picture at `path` and compare them.

    `orientation`: the file's EXIF orientation (1-8), so that a thumbnail the camera stored
    upright is not taken for a viewer's turn. `decode`: where the picture's pixels come from
    (PhotoInput.picture: the file's one shared decode); by default the file is decoded here.
    The picture is needed at twice the thumbnail's size: a JPEG is decoded reduced by DCT
    scaling to just above that.
    """
    display = _DISPLAY_TURN.get(orientation or 1, "none")
    with Image.open(io.BytesIO(thumbnail)) as im:
        im.draft("RGB", (_MAX_SIDE, _MAX_SIDE))
        thumb_im = im.convert("RGB")
        thumb_size = im.size
    if max(thumb_im.size) > _MAX_SIDE:
        thumb_im.thumbnail((_MAX_SIDE, _MAX_SIDE), Image.Resampling.BOX)
    thumb = _ycc(thumb_im)
    side = max(thumb.shape[:2]) * 2
    decoded = decode(side) if decode is not None else decode_picture(path, side)
    image_size = decoded.size
    picture = _ycc(decoded.image)
    if min(thumb.shape[:2]) < _MIN_SIDE or min(picture.shape[:2]) < _MIN_SIDE:
        return ThumbnailComparison(thumb_size, image_size, None, None, source, display)
    prepared: dict[tuple[int, int, float], _Prepared] = {}  # the picture, per shape and blur
    upright = _register(thumb, picture, "none", _BLUR_SIGMA, prepared)
    assert not isinstance(upright, _Screened)
    if upright is not None and upright.matches:
        return ThumbnailComparison(thumb_size, image_size, upright, upright, source, display)
    # fine detail lost to the camera's scaler (aliased text, blocks): the layout must still
    # agree once both are blurred to a coarser scale
    # (in proportion to the thumbnail: a small one has no detail to spare)
    coarse_sigma = _COARSE_SIGMA * min(thumb.shape[:2]) / 120
    coarse_turns = False  # whether turns are looked for at the coarse blur too
    if coarse_sigma > 2 * _BLUR_SIGMA:
        # wanted only if it matches, or to tell whether the scene was found upright: screened
        coarse = _register(thumb, picture, "none", coarse_sigma, prepared, screen=True)
        if isinstance(coarse, Registration) and coarse.matches:
            return ThumbnailComparison(thumb_size, image_size, coarse, upright, source, display)
        # no turn to look for when the scene was found upright; screened out: it was not
        coarse_turns = isinstance(coarse, _Screened) or (
            coarse is not None and coarse.correlation < 0.9
        )
    for sigma in (_BLUR_SIGMA, coarse_sigma):
        if sigma == coarse_sigma and not coarse_turns:
            break
        turns = sorted(_TURNS[1:], key=lambda t: t != display)  # the camera's own turn first
        for turn in turns:  # a viewer's lossless turn leaves the thumbnail as it was
            turned = _register(_turn(thumb, turn), picture, turn, sigma, prepared, screen=True)
            if isinstance(turned, Registration) and turned.matches:
                return ThumbnailComparison(thumb_size, image_size, turned, upright, source, display)
    return ThumbnailComparison(thumb_size, image_size, upright, upright, source, display)


def _ycc(im: Image.Image) -> np.ndarray:
    """Luma and two colour-difference planes (H x W x 3, float32, 0-255 scale)."""
    rgb = np.asarray(im).astype(np.float32)
    out = np.empty(rgb.shape, dtype=np.float32)
    luma = out[..., 0]
    np.matmul(rgb, np.array([0.299, 0.587, 0.114], dtype=np.float32), out=luma)
    np.subtract(rgb[..., 2], luma, out=out[..., 1])
    np.subtract(rgb[..., 0], luma, out=out[..., 2])
    return out


def _turn(image: np.ndarray, turn: str) -> np.ndarray:
    if turn.startswith("flip"):
        image = image[:, ::-1]
        turn = turn.removeprefix("flip_") if turn != "flip" else "none"
    quarter = {"none": 0, "rot90": 1, "rot180": 2, "rot270": 3}[turn]
    # np.rot90 turns anticlockwise: the thumbnail is turned the way the picture was
    return np.ascontiguousarray(np.rot90(image, k=-quarter if quarter % 2 else quarter))


def register(
    thumb: np.ndarray, picture: np.ndarray, turn: str = "none", sigma: float = _BLUR_SIGMA
) -> Registration | None:
    """The best placement of `thumb` on `picture` (luma and colour float32 arrays), or None.

    Coarse to fine: every third scale first (bands slid two pixels at a time), then the
    neighbourhood of each family's best at every scale step and pixel (see _search).
    """
    found = _register(thumb, picture, turn, sigma, {})
    assert not isinstance(found, _Screened)
    return found


class _Screened:
    """What a screened registration returns when the reduced search found nothing near a
    match: its full search would have found a correlation below 0.8 (and 0.9)."""


SCREENED = _Screened()


def _register(
    thumb: np.ndarray,
    picture: np.ndarray,
    turn: str,
    sigma: float,
    prepared: dict[tuple[int, int, float], _Prepared],
    screen: bool = False,
) -> Registration | _Screened | None:
    """register(), with the picture's shrunk and blurred forms kept in `prepared` (one
    comparison tries up to 16 orientations and blurs of the thumbnail on the same picture).

    screen: only a registration that matches is wanted (a turned thumbnail), or whether one
    reaches 0.9 (the upright one at the coarse blur): SCREENED without the full search when
    the reduced search finds no placement near MATCH_CORRELATION.
    """
    h, w = thumb.shape[:2]
    ph, pw = picture.shape[:2]
    # the picture's size in thumbnail pixels is (w * fx, h * fy). Same scale in both
    # directions: fy = fx * rho, the view keeps the thumbnail's shape in picture pixels.
    # Squashed: fy = fx, the whole picture pressed into the thumbnail's shape.
    rho = (w / h) / (pw / ph)
    # the same-scale family is searched around the centred cut to the thumbnail's shape
    # (a 4:3 thumbnail of a 16:9 frame keeps all the height: a = 1 / rho)
    cut = max(1.0, 1.0 / rho)
    if (w, h, sigma) not in prepared:
        shrunk = next(
            (p.picture for (tw, th, _), p in prepared.items() if (tw, th) == (w, h)), None
        )
        if shrunk is None:
            shrunk = _Prepared.shrink(picture, (w, h), rho, cut)
        prepared[w, h, sigma] = _Prepared(shrunk, sigma)
    ready = prepared[w, h, sigma]
    blurred_thumb = _blur(np.ascontiguousarray(thumb[..., 0]), sigma)
    if max(float(blurred_thumb.std()), ready.spread) < FLAT_STD:
        # a black frame (lens covered, a pocket shot) or a blank wall: no structure to place
        # by; compared whole, with a nominal correlation
        return _judge(thumb, ready.picture, turn, 1.0, (1.0, 1.0), (0, 0), True, sigma)
    found = _search(blurred_thumb, ready, rho, cut, screen)
    if found is None or isinstance(found, _Screened):
        return found
    corr, fx, fy, dx, dy, squashed = found
    return _judge(thumb, ready.picture, turn, corr, (fx, fy), (dx, dy), squashed, sigma)


def _reduction(sigma: float) -> int:
    """How many times smaller the reduced search runs at this blur.

    A blur of sigma leaves exp(-pi^2 sigma^2 / (2 k^2)) of the contrast at the Nyquist
    frequency of a picture k times smaller: the coarse blur (3 thumbnail pixels) leaves 0.7 %
    at k = 3, so the reduced search ranks scales as the full one does; the fine blur (1.2)
    leaves 17 % at k = 2, enough to screen out a turn but not to rank scales.
    """
    return 3 if sigma > 2 * _BLUR_SIGMA else 2


def _reduce(image: np.ndarray, k: int) -> np.ndarray:
    h, w = image.shape
    return cv2.resize(image, (max(1, w // k), max(1, h // k)), interpolation=cv2.INTER_AREA)


class _Prepared:
    """The picture for one thumbnail shape and blur: shrunk to just above the largest scale
    tried (area averaging, once per shape; each trial only interpolates), its blurred luma,
    and that reduced for the reduced search (made when first asked for)."""

    def __init__(self, picture: np.ndarray, sigma: float) -> None:
        self.picture = picture
        self.blurred = _blur(np.ascontiguousarray(picture[..., 0]), sigma)
        self.spread = float(self.blurred.std())
        self.k = _reduction(sigma)
        self._reduced: np.ndarray | None = None

    @staticmethod
    def shrink(picture: np.ndarray, size: tuple[int, int], rho: float, cut: float) -> np.ndarray:
        (w, h), (ph, pw) = size, picture.shape[:2]
        largest = SCALE_RANGE[1] * 1.05
        shrink = max(largest * w * cut / pw, largest * h * max(cut * rho, 1.0) / ph)
        if shrink < 1:
            size = (max(1, round(pw * shrink)), max(1, round(ph * shrink)))
            picture = cv2.resize(picture, size, interpolation=cv2.INTER_AREA)
        return picture

    @property
    def reduced(self) -> np.ndarray:
        if self._reduced is None:
            self._reduced = _reduce(self.blurred, self.k)
        return self._reduced


Best = tuple[float, float, float, int, int, bool]  # (correlation, fx, fy, dx, dy, squashed)


def _search(
    blurred_thumb: np.ndarray, ready: _Prepared, rho: float, cut: float, screen: bool
) -> Best | _Screened | None:
    """The best (correlation, scale, offset) over both families.

    Every third scale first, then the seven steps around each family's best, every offset
    at each, at full resolution (thumbnail pixels); the first best wins a tie. Two shortcuts,
    both on a reduced copy of both images (_reduction: 3 times smaller at the coarse blur,
    2 at the fine one), where a correlation costs a fifth to a tenth:
    - at the coarse blur the reduced correlations rank the coarse scales, and only the two
      best and any within min(0.01, 3 (1 - best)) of the best are correlated at full
      resolution (all of them when the reduced best is below 0.6; the seven fine steps
      always are);
    - with `screen` (wanted only if it matches or reaches 0.9), SCREENED without a
      full-resolution search when no coarse scale reaches MATCH_CORRELATION - _SCREEN_MARGIN
      (0.6) reduced.
    Measured on bench/thumbnail_scores.py's 5564 registrations (46 real thumbnails, their
    crops, turns and edits, each searched both ways): the full search's correlation exceeded
    the reduced coarse best by at most 0.052 (fine blur) and 0.029 (coarse blur), against
    the screen's 0.20; at the coarse blur the reduced ranking led to the full search's
    registration in all 530 registrations (with the best one only: 1 in 530 differed).
    """
    h, w = blurred_thumb.shape
    steps = np.arange(SCALE_RANGE[0], SCALE_RANGE[1] + 1e-9, SCALE_STEP)
    reduce = min(h, w) // ready.k >= _REDUCED_MIN_SIDE
    select = reduce and ready.k > 2
    reduced = (_reduce(blurred_thumb, ready.k), ready.reduced) if reduce else None
    families = [
        _Family(
            blurred_thumb, ready.blurred, reduced, steps if squashed else steps * cut, squashed, rho
        )
        for squashed in [False] + ([True] if abs(rho - 1) > 0.01 else [])
    ]
    coarse_ids = [family.usable(range(0, len(family.scales), 3)) for family in families]
    if screen and reduce:
        # the scales nearest the picture's own size first: a match is found there, and one
        # score near a match is enough to search in full (the rest are scored when needed)
        near_first = sorted(
            (
                (abs(float(family.scales[i]) - 1.0), n, i)
                for n, family in enumerate(families)
                for i in coarse_ids[n]
            ),
        )
        hopeful = (
            not family_score < MATCH_CORRELATION - _SCREEN_MARGIN  # nan: not placed reduced
            for _, n, i in near_first
            for family_score in families[n].guess([i])
        )
        if not any(hopeful):
            return SCREENED
    best: Best | None = None
    for family, ids in zip(families, coarse_ids, strict=True):
        coarse: tuple[float, float] | None = None
        for i in family.likely(ids) if select else ids:
            corr = family.place(i)[0][0]
            if coarse is None or corr > coarse[0]:
                coarse = (corr, float(family.scales[i]))
        if coarse is None:
            continue
        near = np.flatnonzero(np.abs(family.scales - coarse[1]) <= 3 * SCALE_STEP * cut + 1e-9)
        for j in family.usable(near.tolist()):
            corr, dx, dy = family.place(j)[1]
            if best is None or corr > best[0]:
                a = float(family.scales[j])
                best = (corr, a, a * (1.0 if family.squashed else rho), dx, dy, family.squashed)
    return best


class _Family:
    """One family's scales (same-scale or squashed) and what was found at each so far."""

    def __init__(
        self,
        blurred_thumb: np.ndarray,
        blurred_picture: np.ndarray,
        reduced: tuple[np.ndarray, np.ndarray] | None,
        scales: np.ndarray,
        squashed: bool,
        rho: float,
    ) -> None:
        self.thumb, self.picture, self.reduced = blurred_thumb, blurred_picture, reduced
        self.scales, self.squashed, self.rho = scales, squashed, rho
        self.placed: dict[int, tuple[Placement, Placement]] = {}
        self.guessed: dict[int, float] = {}
        self.bands = _ThumbBands(blurred_thumb)
        self.reduced_bands = None if reduced is None else _ThumbBands(reduced[0])

    def usable(self, ids: Iterable[int]) -> list[int]:
        """The scales among `ids` where the picture is not too small to place."""
        h, w = self.thumb.shape
        return [
            i
            for i in ids
            if min(_scaled_size(w, h, float(self.scales[i]), self.squashed, self.rho)) >= _MIN_SIDE
        ]

    def place(self, i: int) -> tuple[Placement, Placement]:
        """The full-resolution placements at scale i (each scale is placed once)."""
        if i not in self.placed:
            a = float(self.scales[i])
            found = _place(self.thumb, self.picture, a, self.squashed, self.rho, bands=self.bands)
            assert found is not None, "placed only where usable"
            self.placed[i] = found
        return self.placed[i]

    def guess(self, ids: list[int]) -> list[float]:
        """The reduced search's best correlation at each scale (nan: too small there)."""
        assert self.reduced is not None
        for i in ids:
            if i not in self.guessed:
                a = float(self.scales[i])
                found = _place(*self.reduced, a, self.squashed, self.rho, 2, self.reduced_bands)
                self.guessed[i] = np.nan if found is None else found[1][0]
        return [self.guessed[i] for i in ids]

    def likely(self, ids: list[int]) -> list[int]:
        """The scales among `ids` worth a full-resolution correlation, in order: the
        _SELECT_BEST best reduced, those within the margin of the best, and any the
        reduced search could not place; all of them when the reduced best is far from a
        match (several near-equal peaks, each a poor fit, rank differently reduced)."""
        scores = self.guess(ids)
        ranked = sorted((-v, n) for n, v in enumerate(scores) if not np.isnan(v))
        if not ranked:
            return ids
        top = -ranked[0][0]
        if top < MATCH_CORRELATION - _SCREEN_MARGIN:
            return ids  # no clear peak (a repeating pattern, another scene): all of them
        # near a perfect match every scale scores within 0.01: there the margin is 3 times
        # what the best misses of 1
        margin = min(_SELECT_MARGIN, _SELECT_RELATIVE * (1.0 - top))
        keep = {n for _, n in ranked[:_SELECT_BEST]}
        return [
            i
            for n, (i, v) in enumerate(zip(ids, scores, strict=True))
            if n in keep or not v < top - margin
        ]


def _scaled_size(w: int, h: int, a: float, squashed: bool, rho: float) -> tuple[int, int]:
    """The picture's size in thumbnail pixels at scale `a` (see register)."""
    return round(w * a), round(h * a * (1.0 if squashed else rho))


Placement = tuple[float, int, int]  # (correlation, dx, dy)


def _place(
    blurred_thumb: np.ndarray,
    blurred_picture: np.ndarray,
    a: float,
    squashed: bool,
    rho: float,
    min_side: int = _MIN_SIDE,
    bands: _ThumbBands | None = None,
) -> tuple[Placement, Placement] | None:
    """The best (correlation, dx, dy) with the picture scaled to (w * a, h * a [* rho]).

    Two answers: the coarse pass's (bands slid two pixels at a time) and the fine pass's
    (every pixel); they differ only when a band of one is slid over the other.
    dx, dy: where the scaled picture's origin sits in thumbnail pixels (negative: the
    thumbnail starts inside the picture). `bands`: the thumbnail's band sums, kept by a
    search that places it at many scales (made here otherwise).
    """
    h, w = blurred_thumb.shape
    sw, sh = _scaled_size(w, h, a, squashed, rho)
    if sw < min_side or sh < min_side:
        return None
    scaled = cv2.resize(blurred_picture, (sw, sh), interpolation=cv2.INTER_LINEAR)
    if sw >= w and sh >= h:  # the thumbnail shows part of the picture
        corr, (x, y) = _best(cv2.matchTemplate(scaled, blurred_thumb, cv2.TM_CCOEFF_NORMED))
        return (corr, -x, -y), (corr, -x, -y)
    if sw <= w and sh <= h:  # the thumbnail shows all of the picture, and maybe more
        corr, (x, y) = _best(cv2.matchTemplate(blurred_thumb, scaled, cv2.TM_CCOEFF_NORMED))
        return (corr, x, y), (corr, x, y)
    # wider and lower than the thumbnail (or the reverse): a band of each slid over the other
    if bands is None:
        bands = _ThumbBands(blurred_thumb)
    if sw > w:
        scores = _band_scores(blurred_thumb, scaled, bands.rows)
        return _pick(scores, 2), _pick(scores, 1)
    scores = _band_scores(blurred_thumb.T, scaled.T, bands.columns)  # the same, transposed
    (c2, a2, d2), (c1, a1, d1) = _pick(scores, 2), _pick(scores, 1)
    return (c2, d2, a2), (c1, d1, a1)


def _bands(thumb: np.ndarray, scaled: np.ndarray, stride: int) -> Placement:
    """The best band of `thumb` on `scaled` (wider, lower), bands every `stride` rows.

    Returns:
        (correlation, -x, y): the scaled picture's origin in thumbnail pixels.
    """
    return _pick(_band_scores(thumb, scaled), stride)


def _pick(scores: np.ndarray, stride: int) -> Placement:
    """The best of every `stride`-th band: the first band, then the first x, on a tie."""
    rows = scores[::stride]
    at = int(np.argmax(rows))
    row, x = divmod(at, rows.shape[1])
    return float(rows[row, x]), -x, row * stride


class _Bands:
    """What _band_scores needs of a thumbnail's rows whatever the scale: the rows centred,
    cumulative sums of their sums and squares, and which rows are flat."""

    def __init__(self, thumb: np.ndarray) -> None:
        # centred: the float32 products stay small next to the correlation they measure
        self.t = (thumb - np.float32(thumb.mean())).astype(np.float32)
        t64 = self.t.astype(np.float64)
        self.rows = np.concatenate(([0.0], np.cumsum(t64.sum(axis=1))))
        self.rows2 = np.concatenate(([0.0], np.cumsum((t64 * t64).sum(axis=1))))
        self.top, self.low = thumb.max(axis=1), thumb.min(axis=1)
        self.flat_rows = bool(np.any(self.top == self.low))


class _ThumbBands:
    """_Bands of a thumbnail's rows and of its columns (the transposed search), made when
    first needed."""

    def __init__(self, thumb: np.ndarray) -> None:
        self.thumb = thumb
        self._rows: _Bands | None = None
        self._columns: _Bands | None = None

    @property
    def rows(self) -> _Bands:
        if self._rows is None:
            self._rows = _Bands(self.thumb)
        return self._rows

    @property
    def columns(self) -> _Bands:
        if self._columns is None:
            self._columns = _Bands(self.thumb.T)
        return self._columns


def _band_scores(thumb: np.ndarray, scaled: np.ndarray, bands: _Bands | None = None) -> np.ndarray:
    """Every band of `thumb`'s rows, `scaled`'s height, against `scaled` (wider, lower).

    scores[y, x]: the normalised cross-correlation (TM_CCOEFF_NORMED) of thumb[y : y + sh, :]
    with scaled[:, x : x + w], what one matchTemplate call per band gave, computed at once.
    The products come from one TM_CCORR with `scaled` padded by zero rows above and below;
    the sums and squares of each band and each window from cumulative sums. OpenCV's
    conventions are kept: a flat band scores 1 everywhere (as matchTemplate scores a flat
    template, at most sizes), a score beyond +-1 by rounding is clipped, a flat window
    scores 0. `bands`: _Bands(thumb), when the caller keeps it across scales.
    """
    if bands is None:
        bands = _Bands(thumb)
    h, w = thumb.shape
    sh, sw = scaled.shape
    n = sh * w
    s = (scaled - np.float32(scaled.mean())).astype(np.float32)
    pad = h - sh
    padded = cv2.copyMakeBorder(s, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=0.0)
    cross = cv2.matchTemplate(padded, bands.t, cv2.TM_CCORR)[::-1].astype(np.float64)  # row = y
    s64 = s.astype(np.float64)
    cols = np.concatenate(([0.0], np.cumsum(s64.sum(axis=0))))
    cols2 = np.concatenate(([0.0], np.cumsum((s64 * s64).sum(axis=0))))
    rows, rows2 = bands.rows, bands.rows2
    band_sum = rows[sh:] - rows[:-sh]  # bands y = 0 .. h - sh
    band_sq = rows2[sh:] - rows2[:-sh]
    win_sum = cols[w:] - cols[:-w]  # windows x = 0 .. sw - w
    win_sq = cols2[w:] - cols2[:-w]
    band_var = np.maximum(band_sq - band_sum * band_sum / n, 0.0)
    win_var = np.maximum(win_sq - win_sum * win_sum / n, 0.0)
    num = cross - np.outer(band_sum, win_sum) / n
    norm = np.sqrt(np.outer(band_var, win_var))
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = num / norm
    off = ~(np.abs(num) < norm)  # rounding past +-1 (clipped), or a flat window (0)
    if off.any():
        scores[off] = np.where(np.abs(num[off]) < norm[off] * 1.125, np.sign(num[off]), 0.0)
    if bands.flat_rows:  # a band with no structure (inside a bar, a blank area) scores 1
        top = np.lib.stride_tricks.sliding_window_view(bands.top, sh).max(axis=1)
        low = np.lib.stride_tricks.sliding_window_view(bands.low, sh).min(axis=1)
        scores[top == low] = 1.0
    return scores.astype(np.float32)


def _best(scores: np.ndarray) -> tuple[float, tuple[int, int]]:
    _, corr, _, (x, y) = cv2.minMaxLoc(scores)
    return float(corr), (int(x), int(y))


def _judge(
    thumb: np.ndarray,
    picture: np.ndarray,
    turn: str,
    corr: float,
    scale: tuple[float, float],
    offset: tuple[int, int],
    squashed: bool,
    sigma: float,
) -> Registration:
    (fx, fy), (dx, dy) = scale, offset
    h, w = thumb.shape[:2]
    ph, pw = picture.shape[:2]
    sw, sh = round(w * fx), round(h * fy)
    region = (-dx / sw, -dy / sh, (w - dx) / sw, (h - dy) / sh)
    scaled = cv2.resize(picture, (sw, sh), interpolation=cv2.INTER_AREA)
    # the overlap, in thumbnail pixels
    x0, y0 = max(0, dx), max(0, dy)
    x1, y1 = min(w, dx + sw), min(h, dy + sh)
    luma, chroma, (cy, cx) = _content_diff(
        thumb[y0:y1, x0:x1], scaled[y0 - dy : y1 - dy, x0 - dx : x1 - dx], sigma
    )
    gaps = (x0, y0, w - x1, h - y1)
    uniform = _bars(thumb[..., 0], gaps)
    row = min(GRID - 1, (y0 + cy) * GRID // h)
    col = min(GRID - 1, (x0 + cx) * GRID // w)
    return Registration(
        turn,
        corr,
        region,
        uniform,
        max(luma, chroma),
        (int(row), int(col)),
        squashed,
        luma,
        chroma,
        sigma,
        (min(1.0, (w / h) / (pw / ph)), min(1.0, (pw / ph) / (w / h))),
    )


def _bars(luma: np.ndarray, gaps: tuple[int, int, int, int]) -> bool:
    """Whether the thumbnail beyond the picture (gaps: left, top, right, bottom) is bars.

    Bars and borders are near-constant in both directions, a few pixels deep at least, and
    centred (the same depth on opposite sides). No gap at all is trivially fine.
    """
    left, top, right, bottom = gaps
    if max(gaps) == 0:
        return True
    if abs(left - right) > BAR_SYMMETRY or abs(top - bottom) > BAR_SYMMETRY:
        return False
    if any(0 < gap < BAR_MIN_DEPTH for gap in gaps):
        return False
    h, w = luma.shape
    inner = np.ones_like(luma, dtype=bool)
    inner[
        max(0, top - BAR_MARGIN) : h - max(0, bottom - BAR_MARGIN),
        max(0, left - BAR_MARGIN) : w - max(0, right - BAR_MARGIN),
    ] = False
    if inner.sum() < BAR_MIN_PIXELS:
        return False  # too thin to tell a bar from picture content
    return float(luma[inner].std()) <= BAR_STD


def _content_diff(
    a: np.ndarray, b: np.ndarray, sigma: float = _BLUR_SIGMA
) -> tuple[float, float, tuple[int, int]]:
    """Worst window of the luma and colour differences after blur and normalisation.

    Both are brought to zero mean; luma to unit contrast, the colour planes divided by the
    same luma contrast (so a grey scene's colour noise is not blown up). The contrast is
    floored (LUMA_FLOOR, CHROMA_FLOOR grey levels): in a dark or flat scene a few levels of
    JPEG noise would otherwise count as much as the whole scene's structure. The window is a
    GRID-th of the overlap on each side, slid over every position. Returns the worst luma
    window, the worst colour window and the centre of the worse of the two (overlap pixels).
    """
    h, w = a.shape[:2]
    win = (max(1, w // GRID), max(1, h // GRID))
    ya = _blur(np.ascontiguousarray(a[..., 0]), sigma)
    yb = _blur(np.ascontiguousarray(b[..., 0]), sigma)
    sa, sb = max(float(ya.std()), LUMA_FLOOR), max(float(yb.std()), LUMA_FLOOR)
    luma = np.abs((ya - ya.mean()) / sa - (yb - yb.mean()) / sb)
    sa, sb = max(sa, CHROMA_FLOOR), max(sb, CHROMA_FLOOR)
    colour = np.zeros_like(luma)
    for c in (1, 2):
        ca = _blur(np.ascontiguousarray(a[..., c]), max(sigma, _CHROMA_SIGMA))
        cb = _blur(np.ascontiguousarray(b[..., c]), max(sigma, _CHROMA_SIGMA))
        colour += ((ca - ca.mean()) / sa - (cb - cb.mean()) / sb) ** 2
    colour = np.sqrt(colour)
    worst = []
    for plane in (luma, colour):
        means = cv2.blur(plane, win, borderType=cv2.BORDER_REFLECT)
        my, mx = win[1] // 2, win[0] // 2
        inner = means[my : max(my + 1, h - my), mx : max(mx + 1, w - mx)]
        r, c = (int(v) for v in np.unravel_index(int(np.argmax(inner)), inner.shape))
        worst.append((float(inner[r, c]), (r + my, c + mx)))
    (lv, lwhere), (cv, cwhere) = worst
    return lv, cv * CHROMA_WEIGHT, lwhere if lv >= cv * CHROMA_WEIGHT else cwhere


def _blur(image: np.ndarray, sigma: float = _BLUR_SIGMA) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), sigma)


# ------------------------------------------------------------------------------ preview images


def _preview(photo: PhotoInput) -> tuple[str, bytes | None]:
    """A camera's larger preview JPEG when there is no EXIF thumbnail: MPF, then maker note."""
    data = _mpf_preview(photo.path)
    if data is not None:
        return "mpf_preview", data
    tiff = photo.jpeg.exif_tiff if photo.jpeg else None
    layout = photo.layout
    if tiff and layout is not None and layout.makernote_offset is not None:
        data = makernote_preview(tiff, layout.makernote_offset)
        if data is not None:
            return "makernote_preview", data
    return "exif_thumbnail", None


_MAX_PREVIEW = 8 << 20
_PREVIEW_TYPES = {0x010001, 0x010002}  # MPF "large thumbnail" classes 1 and 2 (VGA, full HD)


def makernote_preview(tiff: bytes, makernote_offset: int) -> bytes | None:
    """The largest JPEG stored inside the maker note (a camera's preview), or None.

    Maker notes are private formats; what they hold is found by its JPEG start marker and
    checked by decoding its header; only JPEGs at or after the maker note's offset count
    (used when the file has no EXIF thumbnail, so IFD1 holds none).
    """
    best: tuple[int, bytes] | None = None
    pos = makernote_offset
    while len(tiff) - pos > 4:
        start = tiff.find(b"\xff\xd8\xff", pos)
        if start < 0:
            break
        end = tiff.find(b"\xff\xd9", start + 3)
        end = len(tiff) if end < 0 else end + 2
        pos = start + 3
        try:
            with Image.open(io.BytesIO(tiff[start:end]), formats=["JPEG"]) as im:
                pixels = im.width * im.height
        except (OSError, ValueError, Image.DecompressionBombError):
            continue
        if pixels >= 64 * 48 and (best is None or pixels > best[0]):
            best = (pixels, tiff[start:end])
    return best[1] if best else None


def _mpf_preview(path: Path) -> bytes | None:
    """The largest MPF "large thumbnail" image of a JPEG (CIPA DC-007), or None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
            found = _mpf_entries(head)
            if not found:
                return None
            base, entries = found
            best = max(
                (e for e in entries if e[0] & 0xFFFFFF in _PREVIEW_TYPES and e[2] > 0),
                key=lambda e: e[1],
                default=None,
            )
            if best is None or best[1] > _MAX_PREVIEW:
                return None
            fh.seek(base + best[2])
            data = fh.read(best[1])
    except OSError:
        return None
    return data if data.startswith(b"\xff\xd8") else None


def _mpf_entries(head: bytes) -> tuple[int, list[tuple[int, int, int]]] | None:
    """(TIFF start in the file, [(attribute, size, offset)]) of the APP2 MPF segment."""
    pos = 2
    while pos + 4 <= len(head) and head[pos] == 0xFF:
        marker = head[pos + 1]
        length = struct.unpack_from(">H", head, pos + 2)[0]
        if marker == 0xDA:
            return None
        body = pos + 4
        if marker == 0xE2 and head[body : body + 4] == b"MPF\x00":
            return _mpf_index(head, body + 4, min(len(head), pos + 2 + length))
        pos += 2 + length
    return None


def _mpf_index(head: bytes, tiff: int, end: int) -> tuple[int, list[tuple[int, int, int]]] | None:
    order = head[tiff : tiff + 2]
    if order not in (b"II", b"MM") or tiff + 8 > end:
        return None
    e = "<" if order == b"II" else ">"
    ifd = tiff + struct.unpack_from(e + "L", head, tiff + 4)[0]
    if ifd + 2 > end:
        return None
    for i in range(min(struct.unpack_from(e + "H", head, ifd)[0], 64)):
        entry = ifd + 2 + 12 * i
        if entry + 12 > end:
            break
        tag, _kind, count, value = struct.unpack_from(e + "HHLL", head, entry)
        if tag == 0xB002:  # MPEntry: 16 bytes per image
            entries = []
            for j in range(min(count // 16, 16)):
                at = tiff + value + 16 * j
                if at + 16 > end:
                    break
                attribute, size, offset = struct.unpack_from(e + "LLL", head, at)
                entries.append((attribute, size, offset))
            return tiff, entries
    return None
