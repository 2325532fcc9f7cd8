"""Many mlpath commands in one process started with a given locale or stream encoding:
`python -m tests.streams '[["list"], ["show", "3", "--json"]]'`.

Each command runs through main() as the script does, writing to streams with the very
encoding and error handler this process was given for its own (PYTHONIOENCODING, LC_ALL),
so a command meets what it would meet alone, without a process start each. Prints one JSON
line per command: its exit code, and its stdout and stderr as bytes (latin-1 text).
"""

from __future__ import annotations

import io
import json
import sys


def _stream() -> io.TextIOWrapper:
    real = sys.__stdout__
    assert real is not None
    return io.TextIOWrapper(io.BytesIO(), encoding=real.encoding, errors=real.errors)


def run(args: list[str]) -> dict[str, object]:
    from mlpath.cli import main

    out, err = _stream(), _stream()
    sys.argv, sys.stdout, sys.stderr = ["mlpath", *args], out, err
    try:
        main()
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    out.flush()
    err.flush()
    said = [stream.buffer.getvalue().decode("latin-1") for stream in (out, err)]  # type: ignore[attr-defined]
    return {"code": code, "stdout": said[0], "stderr": said[1]}


def main() -> None:
    for args in json.loads(sys.argv[1]):
        print(json.dumps(run(args)), flush=True)


if __name__ == "__main__":
    main()
