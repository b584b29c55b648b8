"""`python -m bench [import|all]`."""

from __future__ import annotations

import argparse
import logging

from bench import archive_bench, check_bench, export_bench, gui_bench, import_bench, ocr_bench, tracking_bench

BENCHES = {"import": import_bench.run, "check": check_bench.run, "tracking": tracking_bench.run, "ocr": ocr_bench.run, "export": export_bench.run, "archive": archive_bench.run, "gui": gui_bench.run}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", nargs="?", default="all", choices=[*BENCHES, "all"])
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for name, fn in BENCHES.items():
        if args.name in (name, "all"):
            fn()


if __name__ == "__main__":
    main()
