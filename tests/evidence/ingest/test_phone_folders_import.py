"""Import from a phone's folder: plan, import only the camera's files, keep the folder hint."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.evidence.i18n import set_language
from app.evidence.service.importing import (
    day_range_text,
    folder_hint_text,
    import_paths,
    plan_phone_import,
)
from app.evidence.store.case import Case
from app.evidence.store.folder_hints import hints_for
from app.evidence.store.verify import verify_case
from app.evidence.timeline.dates import set_case_date
from tests.evidence.ingest import phone_trees


def _case(tmp_path: Path) -> Case:
    case = Case.create(tmp_path / "case", "phone")
    set_case_date(case, "order", phone_trees.ORDER)
    set_case_date(case, "signed", phone_trees.SIGNED)
    return case


def test_plan_then_import_only_camera_files_with_hints(tmp_path: Path) -> None:
    phone = tmp_path / "phone"
    phone_trees.build(phone, "huawei")
    with _case(tmp_path) as case:
        plan = plan_phone_import(case, phone)
        assert plan is not None
        assert plan.scan.window == phone_trees.WINDOW
        names = sorted(p.name for p in plan.suggested)
        assert names == ["IMG_20250609_101500.jpg", "VID_20250609_101800.mp4"]
        left = plan.scan.left_out()
        assert left == {
            "camera": 1,
            "screenshot": 2,
            "chat_app": 4,
            "other_app": 0,
            "unknown": 0,
        }
        set_language("en")
        try:
            assert plan.offer_text() == "Import only the 2 camera files from 5–12 June 2025"
            assert len(plan.left_out_lines()) == 3
        finally:
            set_language("zh_CN")
        assert plan.offer_text() == "只导入相机拍的 2 个文件（2025年6月5日–2025年6月12日）"

        outcome = import_paths(case, plan.suggested, ocr=False, folder_hints=plan.hints())
        assert outcome.count("imported") == 2
        items = {i.original_name: i.id for i in case.items()}
        assert set(items) == set(names)  # nothing from WeChat, QQ or the screenshots
        hints = hints_for(case.connection)
        assert {h.folder for h in hints.values()} == {"DCIM/Camera"}
        assert {h.source_class for h in hints.values()} == {"camera"}
        text = folder_hint_text(case, items["IMG_20250609_101500.jpg"])
        assert text is not None and "DCIM/Camera" in text and "不作为证据" in text
        # the hint is a hint: the item's own record does not carry it
        assert "DCIM" not in case.item(items["IMG_20250609_101500.jpg"]).metadata_json
        assert verify_case(case).problems == []


def test_choosing_everything_keeps_each_files_folder(tmp_path: Path) -> None:
    phone = tmp_path / "phone"
    expected = phone_trees.build(phone, "oppo")
    with _case(tmp_path) as case:
        plan = plan_phone_import(case, phone / "DCIM")  # the DCIM folder alone
        assert plan is not None
        assert {f.folder for f in plan.scan.files} == {
            "DCIM/Camera",
            "DCIM/Screenshots",
            "DCIM/Douyin",
            "DCIM/Kuaishou",
        }
        import_paths(case, plan.everything, ocr=False, folder_hints=plan.hints())
        hints = hints_for(case.connection)
        by_name = {i.original_name: hints[i.id] for i in case.items()}
        for rel, (source_class, _) in expected.items():
            name = rel.rsplit("/", 1)[1]
            if rel.startswith("DCIM/"):
                assert by_name[name].source_class == source_class
                assert by_name[name].folder == rel.rsplit("/", 1)[0]
        assert verify_case(case).problems == []


def test_not_a_phone_and_no_dates(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    phone_trees.jpeg(folder / "a.jpg", phone_trees.IN)
    with Case.create(tmp_path / "case", "plain") as case:
        assert plan_phone_import(case, folder) is None
        phone = tmp_path / "phone"
        phone_trees.build(phone, "samsung")
        plan = plan_phone_import(case, phone)
        assert plan is not None and plan.scan.window is None
        assert len(plan.suggested) == 2
        assert "还没有" in plan.offer_text()


def test_day_range_text() -> None:
    june5, june12 = date(2025, 6, 5), date(2025, 6, 12)
    today = date(2025, 7, 1)
    assert day_range_text(june5, june12, today=today) == "6月5日–6月12日"
    set_language("en")
    try:
        assert day_range_text(june5, june12, today=today) == "5–12 June"
        assert day_range_text(date(2025, 5, 30), june12, today=today) == "30 May – 12 June"
        assert (
            day_range_text(date(2024, 12, 30), date(2025, 1, 2), today=today)
            == "30 December 2024 – 2 January 2025"
        )
    finally:
        set_language("zh_CN")


def test_a_link_out_of_the_phone_folder_is_refused_and_said(tmp_path: Path) -> None:
    phone = tmp_path / "phone"
    phone_trees.build(phone, "samsung")
    secret = tmp_path / "elsewhere" / "secret.jpg"
    phone_trees.jpeg(secret, phone_trees.IN)
    (phone / "DCIM" / "Camera" / "link.jpg").symlink_to(secret)
    with _case(tmp_path) as case:
        plan = plan_phone_import(case, phone)
        assert plan is not None
        assert secret not in plan.everything and len(plan.scan.failed) == 1
        assert plan.scan.failed[0].error_code == "link_outside"
        assert "1" in plan.refused_text()
