"""Shared export fixtures: one realistic case from the corpus, exported once per test run.

The case: four phone photos (one HEIC), a photo with EXIF orientation 6, an unboxing video, two
chat screenshots, a long screenshot made by stacking them (it must be cut across pages), and a
courier tracking text. One note carries emoji and markup characters.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from app.evidence.export import ExportResult, export_case
from app.evidence.export.assets import ExhibitAssets, prepare_assets
from app.evidence.export.collect import build_export_input
from app.evidence.export.manifest import Manifest, build_manifest
from app.evidence.export.model import ExportInput
from app.evidence.ingest.importer import import_files
from app.evidence.store.case import Case

EXPORTED_AT = datetime(2025, 6, 14, 3, 0, tzinfo=UTC)
EMOJI_NOTE = "外包装破损😀👍🏻，<b>内件</b> & 配件缺失"
CORPUS_FILES = [
    "photos/originals/canon-ixus.jpg",
    "photos/originals/sanyo-vpcsx550.jpg",
    "photos/originals/orientation_6.heic",
    "photos/originals/fujifilm-dx10.jpg",
    "photos/orientation/portrait_6.jpg",
    "synthetic/videos/unboxing_iphone_zto.mov",
    "synthetic/screenshots/chat_part1.png",
    "synthetic/screenshots/chat_part2.png",
    "synthetic/tracking/sf_not_received.txt",
]


def fixed_clock() -> datetime:
    """The export time every test uses."""
    return EXPORTED_AT


@dataclass(frozen=True)
class ExportedCase:
    """A case folder and what one export of it wrote."""

    root: Path
    out: Path
    result: ExportResult

    @property
    def pdf(self) -> Path:
        assert self.result.pdf is not None
        return self.result.pdf

    @property
    def zip(self) -> Path:
        assert self.result.zip is not None
        return self.result.zip


def make_case(root: Path, corpus: Path, files: list[str], long_shot: bool = False) -> Path:
    """A case folder with these corpus files imported (and the stacked long screenshot)."""
    inputs = [corpus / rel for rel in files]
    if long_shot:
        parts = [
            Image.open(corpus / "synthetic/screenshots" / n)
            for n in ("chat_part1.png", "chat_part2.png", "chat_part1.png")
        ]
        stacked = Image.new("RGB", (parts[0].width, sum(p.height for p in parts)), "white")
        y = 0
        for part in parts:
            stacked.paste(part.convert("RGB"), (0, y))
            y += part.height
        long_path = root.parent / f"{root.name}-input" / "long_chat.png"
        long_path.parent.mkdir(parents=True, exist_ok=True)
        stacked.save(long_path)
        inputs.append(long_path)
    with Case.create(
        root, "耳机少件：买家举证", order_no="3301234567890", dispute="missing_parts"
    ) as case:
        report = import_files(case, inputs)
        assert report.count("failed") == 0, [r.message for r in report.results]
        jolla = next(i for i in case.items() if i.original_name == "sanyo-vpcsx550.jpg")
        case.set_note(jolla.id, EMOJI_NOTE)
    return root


@pytest.fixture(scope="package")
def exported(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> ExportedCase:
    """The full case exported once: PDF, taobao-seller-api pack and ZIP."""
    base = tmp_path_factory.mktemp("exported")
    root = make_case(base / "case", corpus, CORPUS_FILES, long_shot=True)
    out = base / "out"
    out.mkdir()
    with Case.open(root, writable=False) as case:
        result = export_case(
            case,
            pdf=out / "chain.pdf",
            pack=("taobao-seller-api", out / "pack"),
            zip_path=out / "bundle.zip",
            preparer="张三",
            clock=fixed_clock,
        )
    return ExportedCase(root, out, result)


@dataclass(frozen=True)
class Prepared:
    """The export input and previews of the full case, for writing packs with other presets."""

    inp: ExportInput
    manifest: Manifest
    assets: list[ExhibitAssets]


@pytest.fixture(scope="package")
def prepared(exported: ExportedCase, tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """Previews of the exported case made once (the same steps export_case runs)."""
    work = tmp_path_factory.mktemp("work")
    with Case.open(exported.root, writable=False) as case:
        inp = build_export_input(case, clock=fixed_clock)
        assets = prepare_assets(inp.exhibits, work)
    return Prepared(inp, build_manifest(inp, "EvidenceDesk test"), assets)


@pytest.fixture
def small_case(corpus: Path, tmp_path: Path) -> Path:
    """Two photos and a tracking text: quick to export again and again."""
    return make_case(
        tmp_path / "small",
        corpus,
        [
            "photos/originals/sanyo-vpcsx550.jpg",
            "photos/gps/DSCN0010.jpg",
            "synthetic/tracking/sf_not_received.txt",
        ],
    )


def copy_tree(src: Path, dst: Path) -> Path:
    """A writable copy of a folder."""
    shutil.copytree(src, dst)
    return dst
