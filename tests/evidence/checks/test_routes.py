"""Route findings (issue 22): which way a non-original most likely came, only where the file's
evidence allows, never on a real camera original, never changing a verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.checks import FileCheck, check_file
from app.evidence.checks.model import Severity
from app.evidence.checks.routes import (
    ROUTE_CODES,
    is_route,
    letterboxed_photo,
    phone_screen,
    route_advice,
)
from app.evidence.checks.texts import finding
from app.evidence.checks.verdict import decide_verdict
from app.evidence.models import ItemKind
from bench.accuracy import check_sources, realworld_sources
from tests.evidence.checks.routefiles import EXPECTED, write_all


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, FileCheck]]:
    files = write_all(tmp_path_factory.mktemp("routes"))
    return {role: (path, check_file(path)) for role, path in files.items()}


def _routes(check: FileCheck) -> list[str]:
    return [f.code for f in check.findings if is_route(f.code)]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_generated_file_gets_its_route_or_none(
    generated: dict[str, tuple[Path, FileCheck]], role: str
) -> None:
    path, check = generated[role]
    expected = EXPECTED[role]
    assert _routes(check) == ([expected] if expected else []), (path.name, check.verdict)


def test_every_route_code_is_exercised() -> None:
    assert {c for c in EXPECTED.values() if c} == set(ROUTE_CODES)


def test_a_route_is_info_and_never_changes_the_verdict(
    generated: dict[str, tuple[Path, FileCheck]],
) -> None:
    named = 0
    for _, check in generated.values():
        routes = [f for f in check.findings if is_route(f.code)]
        if not routes:
            continue
        named += 1
        assert [f.severity for f in routes] == [Severity.INFO]
        kind = ItemKind(check.kind)
        without = [f for f in check.findings if not is_route(f.code)]
        assert decide_verdict(kind, without, readable=True) == check.verdict
        assert decide_verdict(kind, check.findings, readable=True) == check.verdict
    assert named == sum(1 for c in EXPECTED.values() if c)


def test_route_texts_come_from_the_code_and_params_alone(
    generated: dict[str, tuple[Path, FileCheck]],
) -> None:
    """Texts rendered again from (code, params) are the same, with every value filled: a case
    that stores only the code and the parameters shows the same words."""
    for _, check in generated.values():
        for f in check.findings:
            if not is_route(f.code):
                continue
            again = finding(f.code, f.severity, dict(f.params))
            assert again == f
            for text in (f.title_zh, f.title_en, f.explanation_zh, f.explanation_en):
                assert "?" not in text and "{" not in text, text
            advice = route_advice(f.code, f.params)
            assert advice is not None
            assert advice[0] in f.explanation_zh and advice[1] in f.explanation_en
            assert "DCIM/Camera" in advice[0] and "DCIM/Camera" in advice[1]


def test_the_advice_names_the_app() -> None:
    wechat = route_advice("route_chat_app_saved", {"app_zh": "微信", "app_en": "WeChat"})
    assert wechat is not None
    assert "在微信里发送时勾选“原图”" in wechat[0] and "ticked in WeChat" in wechat[1]
    assert route_advice("editor_trace", {}) is None


def test_a_case_item_is_named_by_its_original_name(tmp_path: Path) -> None:
    """In a case the original sits under its hash: the route reads the name it was imported as."""
    from app.evidence.service.cases import create_case
    from app.evidence.service.importing import import_paths
    from app.evidence.store.findings import load_findings

    source = write_all(tmp_path / "in")["wechat_saved_android"]
    with create_case(tmp_path / "case", "t") as case:
        import_paths(case, [source], ocr=False)
        (item,) = case.items()
        assert Path(item.vault_path).name != source.name
        codes = [f.code for f in load_findings(case, item.id)]
    assert "route_chat_app_saved" in codes


def test_phone_screen_sizes() -> None:
    assert phone_screen(1170, 2532) is not None
    assert phone_screen(2532, 1170) is not None  # sideways
    assert phone_screen(1080, 2400) is not None
    assert phone_screen(1080, 1920) is not None
    assert phone_screen(1080, 1440) is None  # a 4:3 photo size, not a screen
    assert phone_screen(1200, 2000) is None
    assert phone_screen(4032, 3024) is None


def test_letterbox_reading_of_a_chat_screenshot_is_none(
    generated: dict[str, tuple[Path, FileCheck]],
) -> None:
    assert letterboxed_photo(generated["chat_screenshot"][0]) is None
    assert letterboxed_photo(generated["photo_filling_screen"][0]) is None
    box = letterboxed_photo(generated["shot_iphone_landscape_photo"][0])
    assert box is not None and box["shape"] == "4:3" and box["photo_size"] == "1170x878"


@pytest.fixture(scope="module")
def realworld() -> list:
    return check_sources(realworld_sources(corpus=None))


def test_real_files_never_get_a_route(realworld: list) -> None:
    """tests/data/realworld: 45 real camera, phone and program files, labelled. None is a chat
    copy or a screenshot of a photo, so no route may be named for any of them; above all never
    for a camera original."""
    originals = [e for e in realworld if e.truth == "camera_original"]
    assert len(originals) >= 9
    assert len(realworld) >= 40
    named = [(e.path, e.truth, c) for e in realworld for c, _ in e.findings if is_route(c)]
    assert not named, named


def test_no_file_of_the_test_corpus_gets_a_route(corpus: Path, phone: Path) -> None:
    """Every file of the test corpus (camera originals, edits, recompressed files, orientation
    tests, hostile files, chat screenshots, generated videos) and the phone stand-ins: none is a
    chat copy or a screenshot of a photo, so no route may be named. (Over the 117 files of the
    large shared corpus the same holds: measured when the routes were written.)"""
    files = [p for root in (corpus, phone) for p in sorted(root.rglob("*")) if p.is_file()]
    files = [p for p in files if p.suffix.lower() not in (".csv", ".md", ".txt", ".json")]
    assert len(files) >= 60
    named = [(str(p), _routes(c)) for p in files if _routes(c := check_file(p))]
    assert not named, named
