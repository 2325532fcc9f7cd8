"""The doors cache (store/doorcache.py): a catalogue or a snapshot validated once is taken
back as the same records without pydantic, only for exactly the same text, and never from a
file that is not this user's own, damaged, or another code's."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from mlpath import catalogue
from mlpath.core.progress import CheckIn, Note, PathProgress, Progress, Status, StepProgress
from mlpath.errors import CatalogueError
from mlpath.store import catalogueschema, doorcache, progressfile, progressschema
from mlpath.store.progressfile import Mark

AT = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=timezone(timedelta(hours=5, minutes=30)))
TEAM = """id = "team"
title = "A team's path"

[[steps]]
id = "first"
title = "First"
summary = "The first.\\nOn two lines."
challenge = 5
done_when = "When it is done"

[[steps.resources]]
title = "A page"
url = "https://example.org/a"
kind = "page"

[[steps.resources]]
title = "Another"
url = "https://example.org/b"
kind = "video"

[[steps]]
id = "second"
title = "Second"
summary = "The second."
challenge = 3
"""


def refuse(*_: object) -> None:
    raise AssertionError("validated again")


def every_field() -> Progress:
    """A state with every field of every record set (and one path left at its defaults)."""
    step = StepProgress(
        status=Status.IN_PROGRESS,
        changed=AT,
        challenge=7,
        rated_at=AT + timedelta(days=1),
        notes=[Note(at=AT, text="one"), Note(at=AT.astimezone(UTC), text="two\nlines")],
        checkins=[
            CheckIn(at=AT, challenge=4, skill=6, minutes=30),
            CheckIn(at=AT + timedelta(hours=1), challenge=9, skill=2),
        ],
        resources={"https://example.org/a": Status.DONE, "https://example.org/b": Status.SKIPPED},
    )
    path = PathProgress(
        skill=4,
        skill_at=AT - timedelta(days=2),
        last_activity=AT + timedelta(days=3),
        steps={"first": step, "second": StepProgress()},
    )
    return Progress(paths={"team": path, "empty": PathProgress()})


def test_a_catalogue_validated_once_comes_back_the_same_without_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "team.toml"
    file.write_text(TEAM, encoding="utf-8")
    first = catalogue.load(file)
    assert first.steps[0].resources[1].kind == "video"
    monkeypatch.setattr(catalogueschema, "validate", refuse)
    again = catalogue.load(file)
    assert again == first
    assert [type(s).__name__ for s in again.steps] == ["Step", "Step"]
    assert again.rank_of("second") == 2
    moved = tmp_path / "elsewhere.toml"  # the same text in another file: the same catalogue
    moved.write_text(TEAM, encoding="utf-8")
    assert catalogue.load(moved) == first


def test_a_catalogue_with_one_byte_changed_is_validated_and_refused(tmp_path: Path) -> None:
    file = tmp_path / "team.toml"
    file.write_text(TEAM, encoding="utf-8")
    catalogue.load(file)
    file.write_text(TEAM.replace("challenge = 5", "challenge = 0"), encoding="utf-8")  # same size
    with pytest.raises(CatalogueError, match="challenge"):
        catalogue.load(file)


def test_a_catalogue_kept_as_a_teams_is_checked_again_as_the_bundled_one(tmp_path: Path) -> None:
    file = tmp_path / "team.toml"
    file.write_text(TEAM, encoding="utf-8")
    catalogue.load(file)  # a team's path may fall in challenge (5, then 3)
    with pytest.raises(CatalogueError, match="should be higher than step 1's"):
        catalogue.load(file, bundled=True)


def test_a_snapshot_comes_back_with_every_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, mark = every_field(), Mark(events=3, bytes=900, last="abc", clock=77, seq=2)
    data = progressfile.dump(state, mark)
    file = tmp_path / "progress.toml"
    file.write_bytes(data)
    monkeypatch.setattr(progressschema, "validate", refuse)
    snapshot = progressfile.read_snapshot(file)
    assert snapshot is not None
    assert (snapshot.progress, snapshot.mark, snapshot.version) == (state, mark, 4)
    step = snapshot.progress.paths["team"].steps["first"]
    assert step.notes[1].at.utcoffset() == timedelta(0)
    assert type(step.resources["https://example.org/a"]) is Status
    assert type(step.status) is Status


def test_a_snapshot_read_from_the_file_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = progressfile.dump(every_field(), Mark())
    Path(str(doorcache._file("snapshot"))).unlink()  # as if another program wrote the file
    file = tmp_path / "progress.toml"
    file.write_bytes(data)
    validated = progressfile.read_snapshot(file)
    monkeypatch.setattr(progressschema, "validate", refuse)
    assert progressfile.read_snapshot(file) == validated


def test_a_snapshot_with_a_time_toml_cannot_hold_is_not_kept(tmp_path: Path) -> None:
    odd = AT.replace(tzinfo=timezone(timedelta(hours=1, seconds=15)))
    state = Progress(paths={"team": PathProgress(last_activity=odd)})
    data = progressfile.dump(state, Mark())
    assert doorcache.snapshot(data) is None


def test_only_a_few_entries_are_kept_the_latest_first(tmp_path: Path) -> None:
    made = [
        progressfile.dump(Progress(paths={f"p{n}": PathProgress(skill=1)}), Mark())
        for n in range(6)
    ]
    assert doorcache.snapshot(made[-1]) is not None
    assert doorcache.snapshot(made[-doorcache.KEPT]) is not None
    assert doorcache.snapshot(made[-doorcache.KEPT - 1]) is None


@pytest.mark.parametrize("harm", ["group-writable", "damaged", "another code", "a link"])
def test_a_cache_file_not_to_trust_is_a_miss(
    harm: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = progressfile.dump(every_field(), Mark())
    path = Path(str(doorcache._file("snapshot")))
    assert doorcache.snapshot(data) is not None
    if harm == "group-writable":
        path.chmod(0o620)
    elif harm == "damaged":
        raw = bytearray(path.read_bytes())
        raw[-3] ^= 1
        path.write_bytes(bytes(raw))
    elif harm == "another code":
        code = doorcache._identity()  # an edited checkout: a module's size or time differs
        monkeypatch.setattr(doorcache, "_identity", lambda: (*code[:2], (), *code[3:]))
    else:
        planted = tmp_path / "planted"
        planted.write_bytes(path.read_bytes())
        path.unlink()
        path.symlink_to(planted)
    assert doorcache.snapshot(data) is None


def test_a_relative_cache_folder_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    data = progressfile.dump(every_field(), Mark())
    assert doorcache.snapshot(data) is None
    assert not (tmp_path / "cache").exists()


def test_a_second_change_imports_no_pydantic(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from mlpath.cli.first import main\n"
        "sys.argv = ['mlpath', *sys.argv[1:]]\n"
        "main()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic',)))\n"
    )
    env = {
        "MLPATH_HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "PATH": "/usr/bin:/bin",
    }

    def change(*argv: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, *argv],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            stdin=subprocess.DEVNULL,
        )
        return done.stdout.splitlines()[-1]

    assert "'pydantic'" in change("done", "1")  # the first validates the catalogue
    assert change("start", "2") == "[]"
    assert change("reset", "1") == "[]"
