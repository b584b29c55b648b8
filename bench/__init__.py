"""Benchmarks: `python -m bench NAME` or `python -m bench all`; results in bench/results/latest.json."""
