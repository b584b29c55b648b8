"""Coverage-guided fuzzing with atheris (libFuzzer), for `make fuzz`; not part of `make test`.

    python -m tests.fuzz.atheris_fuzz TARGET [libFuzzer options: -runs=20000, -max_total_time=60]

TARGET is one of: image (read_image and check_file on a JPEG whose APP1 is the fuzzer's bytes,
and on the bytes as a whole file), mp4 (the box walker, read_video and check_file), zip
(verify_zip), tracking (parse_tracking_bytes). Each target holds the same promise as the
Hypothesis tests: an answer or the documented error, never another exception. Seeds come from
the corpus when it is there. A crash is written by libFuzzer as crash-<hash> in the current
folder; rerun the target with that file as its argument to reproduce it.
"""

from __future__ import annotations

import contextlib
import struct
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from app.evidence.checks import check_file
    from app.evidence.errors import InputError
    from app.evidence.export import verify_zip
    from app.evidence.readers.image import read_image
    from app.evidence.readers.mp4box import read_mp4_structure
    from app.evidence.readers.video import read_video
    from app.evidence.tracking.parser import parse_tracking_bytes

_WORK = Path(tempfile.mkdtemp(prefix="evidence-atheris-"))


def _tiny_jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 12), (90, 140, 200)).save(out, "JPEG", quality=80)
    return out.getvalue()


_JPEG = _tiny_jpeg()


def _as_file(data: bytes, name: str) -> Path:
    path = _WORK / name
    path.write_bytes(data)
    return path


def fuzz_image(data: bytes) -> None:
    """EXIF/XMP: the bytes as an APP1 segment of a tiny JPEG, then as a whole file."""
    segment = data[:65533]
    jpeg = _JPEG[:2] + b"\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment + _JPEG[2:]
    for path in (_as_file(jpeg, "f.jpg"), _as_file(data, "g.bin")):
        with contextlib.suppress(InputError):
            read_image(path)
        check_file(path)


def fuzz_mp4(data: bytes) -> None:
    """MP4/QuickTime: the bytes after an ftyp box."""
    path = _as_file(b"\x00\x00\x00\x14ftypisom\x00\x00\x02\x00isom" + data, "f.mp4")
    read_mp4_structure(path)
    with contextlib.suppress(InputError):
        read_video(path)
    check_file(path)


def fuzz_zip(data: bytes) -> None:
    """The manifest reader: the bytes as an exported ZIP."""
    verify_zip(_as_file(data, "f.zip"))


def fuzz_tracking(data: bytes) -> None:
    """The courier text parser."""
    with contextlib.suppress(InputError):
        parse_tracking_bytes(data)


TARGETS: dict[str, tuple[Callable[[bytes], None], list[str]]] = {
    "image": (fuzz_image, ["photos/originals/sanyo-vpcsx550.jpg", "photos/edited/Canon_40D.jpg"]),
    "mp4": (fuzz_mp4, ["synthetic/videos/packing_android_sf.mp4"]),
    "zip": (fuzz_zip, []),
    "tracking": (
        fuzz_tracking,
        ["synthetic/tracking/sf_not_received.txt", "synthetic/tracking/jd_app_style.txt"],
    ),
}


def main() -> None:
    """Run one target under libFuzzer with the remaining arguments."""
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(
            f"usage: python -m tests.fuzz.atheris_fuzz {{{','.join(TARGETS)}}} [libFuzzer options]"
        )
    target, seeds = TARGETS[sys.argv.pop(1)]
    corpus = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    seed_dir = _WORK / "seeds"
    seed_dir.mkdir(exist_ok=True)
    for rel in seeds:
        if (corpus / rel).is_file():
            (seed_dir / Path(rel).name).write_bytes((corpus / rel).read_bytes()[:65536])
    atheris.Setup([*sys.argv, str(seed_dir)], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
