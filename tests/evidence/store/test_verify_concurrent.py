"""verify during an import (issue 15, point 14): the database is read in one snapshot, and a
file found in originals/ that the snapshot does not list is checked again before it counts."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PIL import Image

from app.evidence.ingest.importer import import_files
from app.evidence.service.verifying import verify_case
from app.evidence.store.case import Case

FILES = 60
ROUNDS = 3


def _photos(folder: Path, count: int, seed: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for n in range(count):
        path = folder / f"p{n:03d}.png"
        Image.new("RGB", (24, 16), ((n * 7 + seed) % 256, n % 256, seed % 256)).save(path)
        paths.append(path)
    return paths


def test_verify_while_importing_reports_nothing_false(tmp_path: Path) -> None:
    root = tmp_path / "case"
    Case.create(root, "并发").close()
    verified = 0
    failures: list[str] = []
    for round_no in range(ROUNDS):
        photos = _photos(tmp_path / f"in{round_no}", FILES, seed=round_no * 31 + 1)
        done = threading.Event()
        errors: list[BaseException] = []

        def run_import(
            paths: list[Path] = photos,
            errors: list[BaseException] = errors,
            done: threading.Event = done,
        ) -> None:
            try:
                with Case.open(root) as writer:
                    for path in paths:  # one file a call: many commits for verify to meet
                        import_files(writer, [path])
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                done.set()

        thread = threading.Thread(target=run_import)
        thread.start()
        deadline = time.monotonic() + 120
        while not done.is_set() and time.monotonic() < deadline:
            with Case.open(root, writable=False) as reader:
                result = verify_case(reader, recheck=False)
            verified += 1
            failures += [f"{p.code}: {p.message}" for p in result.problems]
        thread.join(60)
        assert not errors, errors
    assert verified >= 10, verified  # enough verifications overlapped the imports to mean it
    assert not failures, failures[:5]
    with Case.open(root, writable=False) as reader:
        final = verify_case(reader, recheck=False)
        assert final.ok and final.items_checked == FILES * ROUNDS
