"""The use cases that look after the store: doctor's check and its restore, and sync with
the learner's other machines. Session.check, Session.restore and Session.sync call them.
"""

from __future__ import annotations

from mlpath.app.session import Session
from mlpath.app.waits import Say, long_history
from mlpath.views import results


def _long(working: Say) -> None:
    if long_history():
        working("replaying the whole history to check it")


def restore(session: Session, working: Say) -> list[str]:
    from mlpath.store import doctor

    _long(working)
    return doctor.restore(session.now())  # each repair it writes counts as saved


def check(session: Session, working: Say) -> results.Health:
    from mlpath.store import doctor

    _long(working)
    return results.Health(doctor.check(session.catalogue_file))


def sync(
    session: Session, remote: str | None, learner: str | None, name: str | None
) -> results.Synced:
    """Join a remote (once), then pull, merge and push."""
    from mlpath.store import sync

    config = sync.configure(remote, learner)
    report = sync.run(session.catalogue, config, name)
    return results.Synced(report, session.catalogue, joined=remote is not None)


def sync_setup() -> results.SyncSetup:
    from mlpath.store import sync

    return results.SyncSetup(sync.status())


def cohort(session: Session) -> results.Cohort:
    from mlpath.store import cohort

    return results.Cohort(cohort.rows(session.catalogue))
