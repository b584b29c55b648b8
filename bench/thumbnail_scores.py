"""Thumbnail comparison scores on real files and on crops, turns and edits made from them.

    python -m bench.thumbnail_scores [--corpus DIR] [--only TEXT ...] [-v] [--exact]

For every JPEG with an EXIF thumbnail under the corpus's realworld/ and photos/ folders, the
thumbnail is compared with the picture as it is (an untouched or tool-copied original: its
view must match) and with variants written from it, each saved with the camera's EXIF block
and thumbnail kept (how an editor that keeps metadata saves): crops of 5, 10 and 20 % off one
side and centred, 10 % off the left and top, the picture turned by 90 and 180 degrees, a
painted rectangle and a copy-move. Prints one row per comparison with -v, then the verdict
counts per variant and the distribution of each measure, which is what the thresholds in
app/evidence/checks/thumbnail.py were chosen from. With --exact the rows carry every measure
to six decimals and no time, so two runs (before and after a change to the search) can be
diffed line by line. Needs ../shared/corpus (not in the
repository); nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from PIL import Image, ImageDraw

from app.evidence.checks.thumbnail import ThumbnailComparison, compare_thumbnail
from app.evidence.readers.jpeg import read_jpeg_structure
from app.evidence.readers.tiff_layout import exif_thumbnail

CORPUS = Path("/work/shared/corpus")
EXPECT = {"original": "match", "rot90": "turned", "rot180": "turned"}  # the rest: an alert


def variants(im: Image.Image) -> dict[str, Image.Image]:
    rgb = im.convert("RGB")
    w, h = rgb.size
    out: dict[str, Image.Image] = {}
    for f in (0.05, 0.10, 0.20):
        p = int(f * 100)
        out[f"crop_right{p}"] = rgb.crop((0, 0, round(w * (1 - f)), h))
        out[f"crop_bottom{p}"] = rgb.crop((0, 0, w, round(h * (1 - f))))
        mx, my = round(w * f / 2), round(h * f / 2)
        out[f"crop_centre{p}"] = rgb.crop((mx, my, w - mx, h - my))
    out["crop_left10"] = rgb.crop((round(w * 0.1), 0, w, h))
    out["crop_top10"] = rgb.crop((0, round(h * 0.1), w, h))
    out["rot90"] = rgb.transpose(Image.Transpose.ROTATE_270)
    out["rot180"] = rgb.transpose(Image.Transpose.ROTATE_180)
    painted = rgb.copy()
    ImageDraw.Draw(painted).rectangle(
        (w // 3, h // 3, w // 3 + w // 4, h // 3 + h // 4), fill=(128, 40, 40)
    )
    out["paint"] = painted
    cloned = rgb.copy()
    cloned.paste(rgb.crop((0, 0, w // 4, h // 4)), (w // 2, h // 2))
    out["clone"] = cloned
    return out


def row(name: str, kind: str, result: ThumbnailComparison, ms: float, exact: bool = False) -> str:
    b = result.best
    if b is None:
        return f"{name:46} {kind:14} none"
    if exact:  # every measure, stable across runs: for diffing two versions of the search
        region = ",".join(f"{v:+.6f}" for v in b.region)
        return (
            f"{name:46} {kind:14} {result.verdict:10} {b.turn:11} corr={b.correlation:.6f} "
            f"luma={b.luma_diff:.6f} colour={b.chroma_diff:.6f} more={b.shows_more:.6f} "
            f"field={b.field:.6f} region=({region}) bars={int(b.beyond_uniform)} "
            f"squashed={int(b.squashed)} cell={b.worst_cell} sigma={b.sigma:.3f}"
        )
    region = ",".join(f"{v:+.3f}" for v in b.region)
    return (
        f"{name:46} {kind:14} {result.verdict:10} {b.turn:7} corr={b.correlation:.3f} "
        f"luma={b.luma_diff:.3f} colour={b.chroma_diff:.3f} more={b.shows_more:.3f} "
        f"field={b.field:.3f} region=({region}) bars={int(b.beyond_uniform)} "
        f"squashed={int(b.squashed)} {ms:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("-v", action="store_true", help="one row per comparison")
    parser.add_argument(
        "--exact", action="store_true", help="rows (with -v) to six decimals, without times"
    )
    args = parser.parse_args()
    files = sorted(
        list((args.corpus / "realworld").rglob("*.jpg"))
        + list((args.corpus / "photos").rglob("*.jpg"))
    )
    verdicts: dict[str, Counter[str]] = defaultdict(Counter)
    measures: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    misses: list[str] = []
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            name = str(path.relative_to(args.corpus))
            if args.only and not any(o in name for o in args.only):
                continue
            structure = read_jpeg_structure(path)
            thumb = (
                exif_thumbnail(structure.exif_tiff) if structure and structure.exif_tiff else None
            )
            if thumb is None:
                continue
            with Image.open(path) as im:
                exif = im.info.get("exif")
                made = variants(im)
            todo = [("original", path)]
            for kind, picture in made.items():
                out = Path(tmp) / f"{path.stem}_{kind}.jpg"
                picture.save(out, exif=exif, quality=92)
                todo.append((kind, out))
            for kind, target in todo:
                start = time.perf_counter()
                result = compare_thumbnail(target, thumb)
                ms = (time.perf_counter() - start) * 1000
                times.append(ms)
                group = kind.rstrip("0123456789")
                verdicts[kind][result.verdict] += 1
                if result.best is not None:
                    b = result.best
                    measures[group]["correlation"].append(b.correlation)
                    measures[group]["content diff"].append(b.block_diff)
                    measures[group]["shows more"].append(b.shows_more)
                expected = EXPECT.get(kind)
                ok = (
                    result.verdict == expected
                    if expected
                    else result.verdict
                    in (
                        "shows_more",
                        "content",
                    )
                )
                if not ok:
                    misses.append(row(name, kind, result, ms))
                if args.v:
                    print(row(name, kind, result, ms, args.exact), flush=True)
    print("\nverdicts per variant (expected: original match, rot turned, the rest an alert)")
    for kind, counts in verdicts.items():
        print(f"  {kind:14} " + "  ".join(f"{v} {n}" for v, n in counts.most_common()))
    print("\nmeasures per group: min / median / max")
    for group, named in measures.items():
        cells = []
        for measure, values in named.items():
            cells.append(
                f"{measure} {min(values):.3f}/{statistics.median(values):.3f}/{max(values):.3f}"
            )
        print(f"  {group:14} " + "  ".join(cells))
    print(f"\nnot as expected ({len(misses)}):")
    for line in misses:
        print("  " + line)
    if times:
        print(
            f"\n{len(times)} comparisons, median {statistics.median(times):.0f} ms, "
            f"max {max(times):.0f} ms"
        )


if __name__ == "__main__":
    main()
