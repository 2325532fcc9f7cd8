"""The application layer: a Session per run of mlpath, with every use case a command needs
(session.py, on what it reads, reads.py, and what it changes, changes.py); export and
import, the use cases that move a whole history (exchange.py)."""

from mlpath.app.changes import Marked
from mlpath.app.session import Session

__all__ = ["Marked", "Session"]
