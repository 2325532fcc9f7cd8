"""The application layer: a Session per run of mlpath, with every use case a command needs
(session.py); export and import, the use cases that move a whole history (exchange.py)."""

from mlpath.app.session import Marked, Session

__all__ = ["Marked", "Session"]
