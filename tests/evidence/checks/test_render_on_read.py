"""Findings are stored as code + params; their texts are rendered from the catalog when read.

A wording fix in the catalog reaches a case checked before it; a code the catalog does not know
(an older version's, stitching's) and a row stored before its display values were kept in params
show the text stored with them.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from app.evidence.checks import Severity
from app.evidence.checks.cross import cross_check
from app.evidence.checks.texts import catalog, finding, render
from app.evidence.checks.verdict import decide_verdict
from app.evidence.export.case_feeds import case_feeds
from app.evidence.service.cases import create_case, open_case
from app.evidence.service.checks import load_findings
from app.evidence.service.importing import import_paths
from app.evidence.service.view import read_case_view
from app.evidence.store import findings as store
from app.evidence.store.findings import StoredFinding, replace_findings

DATA = Path(__file__).resolve().parents[2] / "data" / "corpus" / "photos" / "edited"
PHOTO = DATA / "Panasonic_DMC-FZ30.jpg"  # quant_low_quality names {who}: a display value


def _texts(f) -> tuple[str, ...]:
    fp = f.false_positives
    return (f.title_zh, f.title_en, f.explanation_zh, f.explanation_en, fp["zh"], fp["en"])


def test_every_finding_renders_again_from_its_stored_params(corpus_checks) -> None:
    """Every value a text names is in params: rendering after a JSON round trip gives it back."""
    results = list(corpus_checks.values())
    cross = [c.finding for c in cross_check(results)]
    seen = set()
    for f in [f for r in results for f in r.findings] + cross:
        stored_params = json.loads(json.dumps(f.params, ensure_ascii=False, default=str))
        text = render(f.code, stored_params)
        assert text is not None, f.code
        assert tuple(vars(text).values()) == _texts(f), f.code
        seen.add(f.code)
    assert len(seen) >= 30


def test_display_values_are_kept_in_params() -> None:
    f = finding(
        "gps_time_mismatch",
        Severity.INFO,
        {"gps": "2025-06-12 01:00:00", "original": "2025-06-12 19:00:00", "gap": "10 h"},
        zone_zh="时区未记录",
        zone_en="zone unknown",
    )
    assert f.params["zone_zh"] == "时区未记录" and f.params["zone_en"] == "zone unknown"
    assert "时区未记录" in f.explanation_zh and "zone unknown" in f.explanation_en
    with pytest.raises(ValueError, match="differ from its params"):
        finding("not_checked", Severity.INFO, {"kind": "tracking"}, kind="document")


@pytest.fixture
def checked_case(tmp_path: Path) -> tuple[Path, int]:
    source = tmp_path / "in" / PHOTO.name
    source.parent.mkdir()
    shutil.copyfile(PHOTO, source)
    root = tmp_path / "case"
    with create_case(root, "措辞") as case:
        outcome = import_paths(case, [source], ocr=False)
        item_id = outcome.results[0].item_id
        assert item_id is not None
    return root, item_id


def _by_code(findings: list[StoredFinding], code: str) -> StoredFinding:
    return next(f for f in findings if f.code == code)


def test_a_wording_fix_reaches_a_case_checked_before_it(
    checked_case: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, item_id = checked_case
    old = catalog.CATALOG["quant_low_quality"]
    before = _by_code(read_case_view(root).findings[item_id], "quant_low_quality")
    current = render("quant_low_quality", before.params)
    assert before.params["who_zh"] and current is not None and before.title_en == current.title_en

    monkeypatch.setitem(
        catalog.CATALOG,
        "quant_low_quality",
        replace(
            old,
            title_zh="新措辞：质量 {quality}，常见于{who}",
            title_en="New wording: quality {quality}, as {who} save",
            false_positives_zh="新的误报说明",
            false_positives_en="New note on false positives",
        ),
    )
    quality, who_zh, who_en = (before.params[k] for k in ("quality", "who_zh", "who_en"))
    with open_case(root, writable=False) as case:
        raw = _by_code(store.load_findings(case, item_id), "quant_low_quality")
        shown = _by_code(load_findings(case, item_id), "quant_low_quality")
        feeds = case_feeds(case)
        item = next(i for i in case.items() if i.id == item_id)
        assert feeds.assess is not None
        assessment = feeds.assess(case, item)
    assert raw.title_en == before.title_en  # the row itself is unchanged
    assert shown.title_zh == f"新措辞：质量 {quality}，常见于{who_zh}"
    assert shown.title_en == f"New wording: quality {quality}, as {who_en} save"
    assert shown.false_positives == "新的误报说明\nNew note on false positives"
    view = _by_code(read_case_view(root).findings[item_id], "quant_low_quality")
    assert view.title_en == shown.title_en  # what the window shows
    assert assessment is not None  # what the exports print
    exported = next(f for f in assessment.findings if f.code == "quant_low_quality")
    assert (exported.title_zh, exported.false_positives_en) == (
        shown.title_zh,
        "New note on false positives",
    )


def test_unknown_codes_and_old_rows_show_their_stored_text(
    checked_case: tuple[Path, int],
) -> None:
    root, item_id = checked_case
    retired = StoredFinding(
        "stitch.retired_code", "info", "旧版本的发现", "A finding of an older version",
        "旧的说明", "An old explanation", "旧误报\nOld false positives", {"offset": 3},
        "stitch", item_id,
    )  # fmt: skip
    # a row written before display values were kept: its template names {who}, params lack it
    before_params = StoredFinding(
        "quant_low_quality", "warning", "旧行：低质量", "Old row: low quality",
        "旧行的说明", "The old row's explanation", "", {"quality": 50}, "cross", item_id,
    )  # fmt: skip
    with open_case(root) as case:
        replace_findings(case, "stitch", item_id, [retired])
        replace_findings(case, "cross", item_id, [before_params])
    findings = read_case_view(root).findings[item_id]
    assert _by_code(findings, "stitch.retired_code") == retired
    old_rows = [f for f in findings if f.code == "quant_low_quality" and f.origin == "cross"]
    assert old_rows == [before_params]
    assert render("stitch.retired_code", {}) is None
    assert render("quant_low_quality", {"quality": 50}) is None


def test_the_stored_verdict_is_the_one_derivation_of_the_stored_findings(
    checked_case: tuple[Path, int],
) -> None:
    """The verdict stored beside an item is decide_verdict of its stored `check` findings."""
    root, item_id = checked_case
    view = read_case_view(root)
    item = view.items[item_id]
    own = [f for f in view.findings[item_id] if f.origin == "check"]
    readable = not any(f.code == "unreadable" for f in own)
    assert own and view.verdicts[item_id] == decide_verdict(item.kind, own, readable).value
