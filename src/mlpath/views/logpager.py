"""The log's paging: a log taller than the terminal goes through the pager ($MLPATH_PAGER,
$PAGER or less), fed as its rows are read (`page`), unless the pager is `cat` or stdout is
no terminal (`no_pager`); either way the rows are written `CHUNK` at a time (`chunks`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

from mlpath.views import streams
from mlpath.views.screen import Line, width

CHUNK = 2000  # rows written at a time


def chunks(lines: Iterator[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for text in lines:
        chunk.append(text)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def no_pager() -> bool:
    command = os.environ.get("MLPATH_PAGER") or os.environ.get("PAGER") or "less"
    return command == "cat" or not sys.stdout.isatty()


def page(head: list[Line], lines: Iterator[str]) -> None:
    """Through the pager ($MLPATH_PAGER, $PAGER or less), fed as the rows are read."""
    import io
    import shlex
    import subprocess

    from rich.console import Console

    from mlpath.views.richlines import print_lines

    buffer = io.StringIO()
    print_lines(head, Console(file=buffer, force_terminal=True, width=width()))
    command = os.environ.get("MLPATH_PAGER") or os.environ.get("PAGER") or "less"
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        pager = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, text=True, env=env)
    except OSError:  # no such pager: print instead
        streams.write(buffer.getvalue())
        for chunk in chunks(lines):
            streams.write("".join(f"{text}\n" for text in chunk))
        return
    assert pager.stdin is not None
    try:
        pager.stdin.write(buffer.getvalue())
        for chunk in chunks(lines):
            pager.stdin.write("".join(f"{text}\n" for text in chunk))
        pager.stdin.close()
    except BrokenPipeError:  # the reader quit the pager early
        pass
    pager.wait()
