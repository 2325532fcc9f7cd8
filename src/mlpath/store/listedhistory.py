"""Events already in memory (an old store's converted history), walked as an Index is."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from mlpath.core.events import Event


class Listed:
    """A list of events in the one order, with an Index's ways of walking it."""

    def __init__(self, events: list[Event]) -> None:
        self.list = events  # in the one order
        self._where: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.list)

    def __enter__(self) -> Listed:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def order(self) -> Sequence[int]:
        return range(len(self.list))

    def catalogue(self, position: int) -> str | None:
        return self.list[position].catalogue

    def step(self, position: int) -> str | None:
        return self.list[position].step

    def action(self, position: int) -> str | None:
        return self.list[position].action

    def key(self, position: int) -> tuple[int, str, int]:
        return self.list[position].key()

    def events(self, positions: Iterable[int]) -> Iterator[Event]:
        return (self.list[position] for position in positions)

    def event_of(self, ident: str) -> Event | None:
        position = self.position_of(ident)
        return None if position is None else self.list[position]

    def position_of(self, ident: str) -> int | None:
        if self._where is None:
            self._where = {event.id: n for n, event in enumerate(self.list)}
        return self._where.get(ident)
