"""The accuracy report (bench/accuracy.py) on the repository's labelled real files.

Runs without ../shared: only tests/data/realworld/ files are checked. The report's tables are
recounted here from the checked files, and a hand-made set pins the arithmetic exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.accuracy import (
    CHANGED,
    REALWORLD_DIR,
    REALWORLD_LABELS,
    SCORED,
    Entry,
    Source,
    build_report,
    check_sources,
    deciding_codes,
    read_labels,
    realworld_sources,
    render_markdown,
    run,
)

TRUTHS = {"camera_original", "recompressed", "edited", "unknown"}


@pytest.fixture(scope="module")
def checked() -> tuple[list[Source], list[Entry]]:
    sources = realworld_sources(corpus=None)
    return sources, check_sources(sources)


def _repository_files() -> list[str]:
    return sorted(
        p.relative_to(REALWORLD_DIR).as_posix()
        for p in REALWORLD_DIR.rglob("*")
        if p.is_file() and p.name not in ("labels.csv", "README.md")
    )


def test_labels_cover_every_repository_file() -> None:
    rows = read_labels(REALWORLD_LABELS)
    labelled = {row["path"] for row in rows}
    assert len(labelled) == len(rows), "a file is labelled twice"
    files = _repository_files()
    assert files, "no real files in tests/data/realworld"
    assert [f for f in files if f not in labelled] == []
    for row in rows:
        assert row["truth"] in TRUTHS, row
        assert row["kind"] in ("photo", "video", "screenshot"), row
        assert len(row["why"]) > 20, row  # the evidence is written down
    small = [f for f in files if (REALWORLD_DIR / f).stat().st_size > 200 * 1024]
    assert small == [], "repository test files stay under 200 KB"


def test_every_repository_file_is_checked_once(
    checked: tuple[list[Source], list[Entry]],
) -> None:
    sources, entries = checked
    assert sorted(e.path for e in entries) == _repository_files()
    assert [s.rows for s in sources[1:]] == [[]]  # nothing read from ../shared here


def test_report_tables_add_up(checked: tuple[list[Source], list[Entry]]) -> None:
    sources, entries = checked
    report = build_report(entries, sources)
    assert set(report["headline"]) == {"real"}
    table = report["confusion"]["real"]
    for truth in {e.truth for e in entries}:
        assert sum(table[truth].values()) == sum(e.truth == truth for e in entries)
    for truth, row in table.items():
        for verdict, count in row.items():
            assert count == sum(e.truth == truth and e.verdict == verdict for e in entries)
    head = report["headline"]["real"]
    assert head["originals"] == sum(table["camera_original"].values())
    assert head["originals_called_edited"] == table["camera_original"]["edited"]
    assert head["originals_not_camera_original"] == (
        head["originals"] - table["camera_original"]["camera_original"]
    )
    assert head["changed"] == sum(sum(table[t].values()) for t in CHANGED if t in table)
    assert head["changed_passed_as_camera_original"] == sum(
        table[t]["camera_original"] for t in CHANGED if t in table
    )
    scored = [e for e in entries if e.truth in SCORED]
    rows = report["findings"]["real"]
    assert {r["code"] for r in rows} == {c for e in scored for c, _ in e.findings}
    for r in rows:
        fired = [e for e in scored if any(c == r["code"] for c, _ in e.findings)]
        alert = [e for e in scored if (r["code"], "alert") in e.findings]
        assert r["fired_originals"] == sum(e.truth == "camera_original" for e in fired)
        assert r["fired_recompressed"] == sum(e.truth == "recompressed" for e in fired)
        assert r["fired_edited"] == sum(e.truth == "edited" for e in fired)
        assert fired, r["code"]
        assert r["fired_changed"] == r["fired_recompressed"] + r["fired_edited"]
        assert r["precision_changed"] == round(r["fired_changed"] / len(fired), 3)
        assert r["alert_fired"] == len(alert)
        if alert:
            edited = sum(e.truth == "edited" for e in alert)
            assert r["precision_edited_alert"] == round(edited / len(alert), 3)
        else:
            assert r["precision_edited_alert"] is None
    assert len(report["files"]) == len(entries)


def _entry(truth: str, verdict: str, *findings: tuple[str, str]) -> Entry:
    return Entry("set", "real", f"{truth}-{verdict}", truth, verdict, tuple(findings))


def test_arithmetic_on_a_known_set() -> None:
    alert, warning = ("made_up_alert", "alert"), ("made_up_warning", "warning")
    entries = [
        _entry("camera_original", "camera_original"),
        _entry("camera_original", "edited", alert),
        _entry("camera_original", "recompressed", warning),
        _entry("recompressed", "edited", alert, alert, warning),  # a code counts once per file
        _entry("recompressed", "camera_original"),
        _entry("edited", "edited", alert),
        _entry("edited", "edited", alert),
        _entry("edited", "recompressed", warning),
        _entry("unknown", "edited", alert),  # shown, not scored
    ]
    report = build_report(entries)
    assert report["headline"]["real"] == {
        "originals": 3,
        "originals_called_edited": 1,
        "originals_not_camera_original": 2,
        "changed": 5,
        "changed_passed_as_camera_original": 1,
        "edited": 3,
        "edited_passed_as_camera_original": 0,
        "edited_called_edited": 2,
        "recompressed": 2,
        "recompressed_called_edited": 1,
        "not_scored": 1,
    }
    rows = {r["code"]: r for r in report["findings"]["real"]}
    assert rows["made_up_alert"] == {
        "code": "made_up_alert",
        "severities": ["alert"],
        "fired_originals": 1,
        "fired_recompressed": 1,
        "fired_edited": 2,
        "fired_changed": 3,
        "precision_changed": 0.75,
        "alert_fired": 4,
        "alert_fired_edited": 2,
        "precision_edited_alert": 0.5,
    }
    assert rows["made_up_warning"]["precision_changed"] == round(2 / 3, 3)
    assert rows["made_up_warning"]["precision_edited_alert"] is None
    table = report["confusion"]["real"]
    assert list(table) == ["camera_original", "recompressed", "edited", "unknown"]
    assert table["unknown"]["edited"] == 1
    page = render_markdown(report)
    assert "originals called `edited`: **1 of 3**" in page
    assert "| `made_up_alert` | alert | 1 | 3 | 1 | 2 | 0.75 | 4 | 0.50 |" in page


def test_run_writes_the_page_and_the_json(tmp_path: Path) -> None:
    report = run(corpus=None, heldout=False, out_dir=tmp_path)
    data = json.loads((tmp_path / "accuracy.json").read_text(encoding="utf-8"))
    assert data["headline"] == report["headline"]
    assert data["run"]["corpus"].startswith("absent")
    page = (tmp_path / "accuracy.md").read_text(encoding="utf-8")
    assert "## Verdicts on real files" in page and "load average" in page
    assert f"| realworld (repository) | real | {len(_repository_files())} |" in page


def test_codes_that_decide_edited_are_marked() -> None:
    deciders = deciding_codes()
    if not deciders:
        pytest.skip("no alert code decides `edited` by itself in this checkout")
    code = sorted(deciders)[0]
    report = build_report([_entry("edited", "edited", (code, "alert"))])
    assert report["deciding_codes"] == sorted(deciders)
    assert f"| `{code}` **decides** | alert |" in render_markdown(report)


def test_the_same_file_in_two_sets_counts_once() -> None:
    rows = read_labels(REALWORLD_LABELS)
    row = next(r for r in rows if (REALWORLD_DIR / r["path"]).is_file())
    file = REALWORLD_DIR / row["path"]
    first = Source("first", "real", [(row["path"], "camera_original", file)])
    second = Source("second", "real", [("copy.jpg", "edited", file)])
    entries = check_sources([first, second])
    assert [(e.source, e.path) for e in entries] == [("first", row["path"])]
    assert second.duplicates == [
        {
            "path": "copy.jpg",
            "label": "edited",
            "same_as": f"first: {row['path']}",
            "same_as_label": "camera_original",
        }
    ]
    report = build_report(entries, [first, second])
    assert [c["files"] for c in report["corpora"]] == [1, 0]
    assert "LABELS DIFFER" in render_markdown(report)


def test_a_generated_set_that_cannot_be_built_is_reported_not_fatal(tmp_path: Path) -> None:
    empty_corpus = tmp_path / "corpus"  # present, but without the originals heldout.py needs
    empty_corpus.mkdir()
    report = run(corpus=empty_corpus, heldout=True, out_dir=tmp_path / "out")
    generated = [c for c in report["corpora"] if c["name"].startswith("generated")]
    assert len(generated) == 1 and generated[0]["files"] == 0
    assert generated[0]["where"].startswith("not built: ")
    assert report["headline"]["real"]["originals"] >= 9  # the repository's files still scored
