"""End to end through the command line, as a user runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`evidence-desk ARGS` in a process of its own; English unless `env` says otherwise."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=REPO,
        env=env,
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_new_add_list_note_verify(corpus_copy, tmp_path: Path) -> None:
    case = tmp_path / "我的 案件"
    root = corpus_copy(
        "photos/originals", "synthetic/videos", "synthetic/screenshots", "synthetic/tracking"
    )
    r = run(
        "new",
        str(case),
        "--title",
        "外套颜色不符",
        "--order",
        "3917264500123",
        "--dispute",
        "not_as_described",
    )
    assert r.returncode == 0, r.stderr
    r = run("add", str(case), str(root))
    assert r.returncode == 0, r.stderr
    assert "imported 14" in r.stdout
    r = run("add", str(case), str(root))
    assert "already present 14" in r.stdout

    listing = json.loads(run("list", str(case), "--json").stdout)
    assert listing["case"]["order_no"] == "3917264500123"
    items = {i["original_name"]: i for i in listing["items"]}
    assert len(items) == 14
    for item in items.values():
        assert set(item) >= {
            "id",
            "kind",
            "original_name",
            "sha256",
            "size",
            "imported_at",
            "capture_time",
            "capture_time_source",
            "metadata",
        }
        assert item["imported_at"].endswith("+00:00")
    assert items["fujifilm-dx10.jpg"]["capture_time"] == "2001-04-12T20:33:14"
    assert items["fujifilm-dx10.jpg"]["capture_time_source"] == "exif"
    assert items["orientation_6.heic"]["metadata"]["model"] == "pillow-heif"
    assert items["chat_part1.png"]["kind"] == "screenshot"
    assert items["packing_android_sf.mp4"]["kind"] == "video"
    assert items["sf_not_received.txt"]["kind"] == "tracking"
    assert items["canon-ixus.jpg"]["kind"] == "photo"

    first = str(items["canon-ixus.jpg"]["id"])
    assert run("note", str(case), first, "开箱前的包装").returncode == 0
    listing = json.loads(run("list", str(case), "--json").stdout)
    assert {i["note"] for i in listing["items"] if str(i["id"]) == first} == {"开箱前的包装"}

    r = run("verify", str(case))
    assert r.returncode == 0 and r.stdout.startswith("OK"), r.stdout


def test_add_tracking_from_stdin_and_file(corpus: Path, tmp_path: Path) -> None:
    case = tmp_path / "c"
    run("new", str(case), "--title", "未收到货")
    text = (corpus / "synthetic/tracking/zto_newest_first.txt").read_bytes()
    r = run("add-tracking", str(case), "-", stdin=text)
    assert r.returncode == 0, r.stderr
    r = run(
        "add-tracking",
        str(case),
        "--text-file",
        str(corpus / "synthetic/tracking/ems_returned.txt"),
    )
    assert r.returncode == 0, r.stderr
    items = json.loads(run("list", str(case), "--json").stdout)["items"]
    assert [i["kind"] for i in items] == ["tracking", "tracking"]


def test_usage_and_missing_case_exit_2(tmp_path: Path) -> None:
    assert run("add", str(tmp_path / "nope"), "x.jpg").returncode == 2
    assert run("list").returncode == 2
    assert run("note", str(tmp_path / "nope"), "1", "x").returncode == 2


def test_verify_reports_a_changed_original(corpus_copy, tmp_path: Path) -> None:
    case = tmp_path / "c"
    run("new", str(case), "--title", "t")
    run("add", str(case), str(corpus_copy("photos/originals/sanyo-vpcsx550.jpg")))
    (original,) = [p for p in (case / "originals").rglob("*.jpg")]
    original.chmod(0o644)
    data = bytearray(original.read_bytes())
    data[5000] ^= 0xFF
    original.write_bytes(bytes(data))
    r = run("verify", str(case))
    assert r.returncode == 1
    assert "original_changed" in r.stdout


def test_check_loose_files_json_and_exit_codes(corpus_copy, tmp_path: Path) -> None:
    folder = corpus_copy("photos/originals", "photos/edited", "synthetic/screenshots")
    r = run("check", str(folder), "--json")
    assert r.returncode == 0, r.stderr
    files = {Path(f["path"]).name: f for f in json.loads(r.stdout)["files"]}
    assert files["canon-ixus.jpg"]["verdict"] == "camera_original"
    # issue 16: a GIMP downscale keeps the whole frame: not the original, not `edited`
    assert files["Canon_40D.jpg"]["verdict"] == "recompressed"
    assert files["chat_part1.png"]["verdict"] == "unknown"
    finding = next(f for f in files["Canon_40D.jpg"]["findings"] if f["severity"] == "alert")
    assert set(finding) == {
        "code",
        "severity",
        "title_zh",
        "title_en",
        "explanation_zh",
        "explanation_en",
        "false_positives",
        "params",
    }
    text = json.dumps(files, ensure_ascii=False).lower()
    assert "fake" not in text and "forged" not in text and "伪造" not in text
    (tmp_path / "empty.jpg").write_bytes(b"")
    assert run("check", str(tmp_path / "empty.jpg"), "--json").returncode == 2
    assert run("check", str(tmp_path / "missing.jpg")).returncode == 2


def test_import_stores_verdicts_and_findings(corpus_copy, tmp_path: Path) -> None:
    case = tmp_path / "c"
    run("new", str(case), "--title", "t")
    r = run(
        "add",
        str(case),
        str(corpus_copy("photos/edited/Canon_40D.jpg")),
        str(corpus_copy("photos/originals/sanyo-vpcsx550.jpg")),
        "--no-ocr",
    )
    assert r.returncode == 0, r.stderr
    from app.evidence.store.case import Case
    from app.evidence.store.findings import load_findings, verdicts

    with Case.open(case, writable=False) as c:
        by_name = {i.original_name: i.id for i in c.items()}
        v = verdicts(c)
        assert v[by_name["Canon_40D.jpg"]] == "recompressed"  # GIMP downscale (issue 16)
        assert v[by_name["sanyo-vpcsx550.jpg"]] == "camera_original"
        assert any(f.code.startswith("editor") for f in load_findings(c, by_name["Canon_40D.jpg"]))


def test_export_then_verify_catches_tampering(corpus_copy, tmp_path: Path) -> None:
    import zipfile

    from pypdf import PdfReader

    case = tmp_path / "c"
    run("new", str(case), "--title", "未收到货", "--dispute", "not_received")
    run(
        "add",
        str(case),
        str(corpus_copy("photos/originals/sanyo-vpcsx550.jpg")),
        str(corpus_copy("synthetic/videos/packing_android_sf.mp4")),
        "--no-ocr",
    )
    run(
        "add-tracking",
        str(case),
        "--text-file",
        str(corpus_copy("synthetic/tracking/sf_not_received.txt")),
    )
    out = tmp_path / "out"
    r = run(
        "export",
        str(case),
        "--pdf",
        str(out / "chain.pdf"),
        "--pack",
        "taobao-buyer",
        "--out",
        str(out / "pack"),
        "--zip",
        str(out / "bundle.zip"),
    )
    assert r.returncode == 0, r.stderr
    text = "".join(page.extract_text() for page in PdfReader(out / "chain.pdf").pages)
    listing = json.loads(run("list", str(case), "--json").stdout)
    for item in listing["items"]:
        assert item["sha256"] in text.replace("\n", "")
    assert run("verify", str(out / "bundle.zip")).returncode == 0
    assert run("verify", str(out / "chain.pdf"), "--against", str(case)).returncode == 0
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out / "bundle.zip") as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("originals/") and info.filename.endswith(".jpg"):
                data = data[:-10] + bytes(10)
            dst.writestr(info, data)
    r = run("verify", str(tampered))
    assert r.returncode == 1 and "FAIL" in r.stdout


def test_demo_builds_and_exports_the_sample_case(tmp_path: Path) -> None:
    r = run("demo", str(tmp_path / "demo"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "demo" / "证据链.pdf").stat().st_size > 10_000
    assert run("verify", str(tmp_path / "demo" / "原件.zip")).returncode == 0
    timeline = run("timeline", str(tmp_path / "demo" / "sample-case")).stdout
    assert "73190553102532" in timeline or "开箱视频" in timeline


def test_archive_commands(corpus_copy, tmp_path: Path) -> None:
    arch = tmp_path / "archive"
    assert run("archive", "init", str(arch)).returncode == 0
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_no,waybill,buyer,item\n88001,SF1234567890123,小王,开衫\n", encoding="utf-8"
    )
    r = run(
        "archive",
        "import",
        str(arch),
        str(corpus_copy("synthetic/videos/packing_android_sf.mp4")),
        "--orders",
        str(orders),
    )
    assert r.returncode == 0, r.stderr
    hits = json.loads(run("archive", "find", str(arch), "SF1234567890123", "--json").stdout)
    assert any(h.get("order_no") == "88001" for h in hits)
    case = run("archive", "case", str(arch), "88001").stdout.strip().splitlines()[-1]
    items = json.loads(run("list", case, "--json").stdout)["items"]
    assert [i["kind"] for i in items] == ["video"]
    assert run("archive", "verify", str(arch)).returncode == 0


# -- language ------------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
NO_LANGUAGE = {"EVIDENCE_DESK_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}


def test_messages_in_chinese(corpus_copy, tmp_path: Path) -> None:
    case = tmp_path / "c"
    r = run("--lang", "zh", "new", str(case), "--title", "未收到货")
    assert r.returncode == 0 and r.stdout.strip() == f"已创建案件 {case}", r.stdout + r.stderr
    r = run(
        "add",
        str(case),
        str(corpus_copy("photos/originals/sanyo-vpcsx550.jpg")),
        "--no-ocr",
        "--lang",
        "zh",
    )
    assert "导入 1 项，已存在 0 项，失败 0 项" in r.stdout, (
        r.stdout
    )  # --lang may follow the command
    r = run("verify", str(case), env={"EVIDENCE_DESK_LANG": "zh"})
    assert r.returncode == 0 and r.stdout.startswith("OK 通过：已核验 1 个原件"), r.stdout
    r = run("list", str(tmp_path / "nope"), env={"EVIDENCE_DESK_LANG": "zh"})
    assert r.returncode == 2 and r.stderr.startswith("错误：这里没有案件"), r.stderr


def test_help_and_usage_errors_in_chinese() -> None:
    r = run("--lang", "zh", "--help")
    assert r.returncode == 0 and r.stdout.startswith("用法：evidence-desk"), r.stdout
    assert "新建案件文件夹" in r.stdout and "显示此帮助并退出" in r.stdout
    assert "create a case folder" not in r.stdout
    r = run("--lang", "zh", "export", "--help")
    assert "PDF 证据链的保存位置" in r.stdout
    r = run("--lang", "zh", "redact", "--help")
    assert "遮盖区域只在导出的副本中填成纯黑" in r.stdout
    r = run("--lang", "zh", "new", "c", "--role", "boss", "--title", "t")
    assert r.returncode == 2 and "错误：参数 --role：无效的选择：'boss'" in r.stderr, r.stderr
    r = run("--lang", "zh", "add")
    assert r.returncode == 2 and "缺少必需的参数" in r.stderr, r.stderr
    english = run("--lang", "en", "add")
    assert "the following arguments are required" in english.stderr and not CJK.search(
        english.stderr
    )
    assert run("--lang", "fr", "list", "c").returncode == 2


def test_language_follows_the_locale_and_defaults_to_chinese(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope")
    assert run("list", missing, env={**NO_LANGUAGE, "LANG": "zh_CN.UTF-8"}).stderr.startswith(
        "错误"
    )
    assert run("list", missing, env={**NO_LANGUAGE, "LANG": "en_US.UTF-8"}).stderr.startswith(
        "error"
    )
    assert run("list", missing, env={**NO_LANGUAGE, "LANG": "C.UTF-8"}).stderr.startswith("错误")
    assert run("list", missing, env=NO_LANGUAGE).stderr.startswith("错误")
    both = {"EVIDENCE_DESK_LANG": "zh", "LANG": "en_US.UTF-8"}
    assert run("list", missing, env=both).stderr.startswith("错误")  # the variable beats the locale
    assert run("--lang", "en", "list", missing, env=both).stderr.startswith(
        "error"
    )  # --lang beats both


def test_json_is_the_same_in_every_language(corpus_copy, tmp_path: Path) -> None:
    case = tmp_path / "c"
    run("new", str(case), "--title", "t")
    run("add", str(case), str(corpus_copy("photos/edited/Canon_40D.jpg")), "--no-ocr")
    for command in (
        ("list", str(case), "--json"),
        ("check", str(corpus_copy("photos/edited/Canon_40D.jpg")), "--json"),
    ):
        zh = run("--lang", "zh", *command)
        en = run("--lang", "en", *command)
        assert zh.returncode == en.returncode and zh.stdout == en.stdout, command
        assert "imported_at" in zh.stdout or "verdict" in zh.stdout


def test_main_in_process_restores_the_language(tmp_path: Path) -> None:
    from app.cli import main
    from app.evidence.i18n import current_language, set_language

    set_language("zh_CN")
    assert main(["--lang", "en", "list", str(tmp_path / "nope")]) == 2
    assert current_language() == "zh_CN"
