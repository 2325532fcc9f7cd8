"""A writer process for the concurrency and crash tests: `python -m tests.writer N MODE`.

Makes N changes (each always a real change: the skill moves on by one), or loops until
killed when N is 0. MODE `nolock` replaces the store's lock with nothing, to show that the
concurrency test catches what the lock prevents. Prints how many changes it made.
"""

from __future__ import annotations

import contextlib
import sys
from datetime import UTC, datetime
from itertools import count as counter

from mlpath import catalogue
from mlpath.errors import MlpathError
from mlpath.store import record


def main() -> None:
    count, mode = int(sys.argv[1]), sys.argv[2]
    if mode == "nolock":
        record.locked = lambda where, timeout=None: contextlib.nullcontext()  # type: ignore[assignment]
    cat = catalogue.load(catalogue.bundled_path())
    made = 0
    for _ in range(count) if count else counter():
        try:
            with record.transaction(cat) as tracker:
                tracker.set_skill((tracker.path.skill or 1) % 10 + 1, datetime.now(UTC))
            made += 1
        except MlpathError:
            pass  # without the lock a writer may find the files mid-change: not counted
    print(made)


if __name__ == "__main__":
    main()
