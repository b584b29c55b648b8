"""Hypothesis settings shared by the fuzz tests.

The normal suite runs a fixed number of examples per test, derandomized: the same inputs on
every run, so `make test` is repeatable and its time stays modest. `make fuzz` sets
EVIDENCE_FUZZ_EXAMPLES (examples per test) and lets Hypothesis explore with fresh random
inputs; a failure it finds is kept in .hypothesis/ and replayed first on the next run.
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

_FROM_ENV = os.environ.get("EVIDENCE_FUZZ_EXAMPLES")


def fuzz_settings(examples: int, seconds_per_example: float = 10) -> settings:
    """`examples` in the normal suite (derandomized); EVIDENCE_FUZZ_EXAMPLES under `make fuzz`.

    An example slower than `seconds_per_example` fails (the issue's 10 s per file); Hypothesis
    measures it after the example returns, so a true hang needs the caller's timeout.
    """
    return settings(
        max_examples=int(_FROM_ENV) if _FROM_ENV else examples,
        derandomize=_FROM_ENV is None,
        deadline=timedelta(seconds=seconds_per_example),
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
        ],
        print_blob=True,
    )
