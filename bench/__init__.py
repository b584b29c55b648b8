"""Benchmarks: `python -m bench NAME|all`; results in bench/results/latest.json."""
