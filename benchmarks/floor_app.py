"""The floor of our stack: a minimal typer + pydantic + rich app that loads a seven-step TOML
and prints a table. mlpath does more than this; the benchmark reports mlpath's times as
ratios to this one's, measured in the same rounds."""

import tomllib
from pathlib import Path

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table


class Step(BaseModel):
    id: str
    title: str
    challenge: int


def main(catalogue: Path) -> None:
    data = tomllib.loads(catalogue.read_text(encoding="utf-8"))
    steps = [Step(id=s["id"], title=s["title"], challenge=s["challenge"]) for s in data["steps"]]
    table = Table("#", "Step", "Challenge")
    for rank, step in enumerate(steps, start=1):
        table.add_row(str(rank), step.title, str(step.challenge))
    Console().print(table)


if __name__ == "__main__":
    typer.run(main)
