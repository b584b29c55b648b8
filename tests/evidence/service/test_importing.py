"""The one import pipeline (app.evidence.service.import_paths): every step, every problem."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from app.evidence.models import ItemKind
from app.evidence.progress import CancelToken, Progress
from app.evidence.service import ImportOutcome, create_case, import_paths, open_case
from app.evidence.service.checks import verdicts

# a PNG signature and the start of an IHDR chunk, then junk: looks like a picture, reads as none
BROKEN_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02" + b"junk" * 40
)


def _photo(path: Path) -> Path:
    Image.new("RGB", (64, 48), (120, 90, 60)).save(path, "JPEG", quality=90)
    return path


def test_import_runs_every_step_and_reports_every_problem(tmp_path: Path) -> None:
    broken = tmp_path / "chat-broken.png"
    broken.write_bytes(BROKEN_PNG)
    photo = _photo(tmp_path / "photo.jpg")
    stages: set[str] = set()
    with create_case(tmp_path / "case", "t") as case:
        outcome = import_paths(case, [photo], progress=lambda p: stages.add(p.stage))
        assert isinstance(outcome, ImportOutcome)
        assert outcome.count("imported") == 1 and not outcome.cancelled
        (item,) = case.items()
        assert item.id in verdicts(case)  # checked
        assert {"import", "thumbnails", "check"} <= stages
        # a screenshot that cannot be read: kept, and what the analysis says about it comes back
        outcome = import_paths(case, [broken], kind=ItemKind.SCREENSHOT)
    assert outcome.count("imported") == 1
    assert any("chat-broken.png" in p for p in outcome.problems), outcome.problems
    assert [t.name for t in outcome.thumbnails] == ["chat-broken.png"]


def test_a_duplicate_is_not_checked_again(tmp_path: Path) -> None:
    photo = _photo(tmp_path / "photo.jpg")
    with create_case(tmp_path / "case", "t") as case:
        import_paths(case, [photo])
        seen: list[Progress] = []
        outcome = import_paths(case, [photo], progress=seen.append)
    assert outcome.count("duplicate") == 1 and outcome.imported_ids == []
    assert not [p for p in seen if p.stage in ("thumbnails", "check") and p.total]


def test_cancel_stops_before_the_later_steps(tmp_path: Path) -> None:
    photos = [_photo(tmp_path / f"p{n}.jpg") for n in range(3)]
    cancel = CancelToken()
    cancel.cancel()
    with create_case(tmp_path / "case", "t") as case:
        outcome = import_paths(case, photos, cancel=cancel)
    assert outcome.cancelled
    with open_case(tmp_path / "case", writable=False) as case:
        assert verdicts(case) == {}  # nothing checked after a cancel
