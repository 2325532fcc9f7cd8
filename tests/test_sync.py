"""`mlpath sync` and `mlpath cohort` against real git: bare repositories on this file system."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import files
from tests.syncing import Machine, add_to, bare, events_in, git, tree

Run = Callable[..., Result]

pytestmark = pytest.mark.slow


def store_files(machine: Machine) -> dict[str, bytes]:
    """The learner's files: all but mlpath's own clone and sync's lock."""
    return {
        name: data
        for name, data in files(machine.home).items()
        if not name.startswith(("sync.git", "sync.lock"))
    }


@pytest.fixture
def remote(tmp_path: Path) -> str:
    return bare(tmp_path / "remote.git")


def test_two_machines_exchange_changes_and_agree(tmp_path: Path, remote: str) -> None:
    laptop, desk = Machine(tmp_path, "laptop"), Machine(tmp_path, "desk")
    laptop.run("done", "3")
    joined = laptop.join(remote).stdout.splitlines()
    assert joined[0] == f"Syncing ada's progress with {remote}."
    assert "plain text" in joined[1] and "private" in joined[1]
    assert joined[2:] == ["Nothing new arrived.", "Sent 1 change from laptop."]
    desk.run("note", "4", "gradients, finally")
    desk.run("start", "5")
    assert desk.join(remote).stdout.splitlines()[2:] == [
        "From laptop: done 3.",
        "Sent 2 changes from desk.",
    ]
    assert laptop.run("sync").stdout.splitlines() == [
        "From desk: a note on 4, start 5.",
        "Nothing to send: the repository has all of this machine's changes.",
    ]
    assert laptop.state() == desk.state()
    status = json.loads(desk.run("status", "--json").stdout)
    assert status["done"] == 1 and status["in_progress"] == [5]
    ids = {laptop: _machine_id(laptop), desk: _machine_id(desk)}
    assert sorted(tree(remote)) == sorted(
        [
            "README.md",
            "mlpath-sync.json",
            *(f"learners/ada/{ident}.jsonl" for ident in ids.values()),
            *(f"learners/ada/{ident}.json" for ident in ids.values()),
        ]
    )
    readme = git("--git-dir", remote, "show", "main:README.md")
    assert "do not edit by hand" in readme and "private" in readme


def _machine_id(machine: Machine) -> str:
    info = json.loads(machine.run("sync", "--status", "--json").stdout)
    return str(info["machine_id"])


def test_sync_again_adds_nothing_and_pushed_history_only_grows(tmp_path: Path, remote: str) -> None:
    laptop = Machine(tmp_path, "laptop")
    laptop.run("done", "1")
    laptop.join(remote)
    first = git("--git-dir", remote, "rev-parse", "main").strip()
    before = store_files(laptop)
    assert laptop.run("sync").stdout.splitlines()[0] == "Nothing new arrived."
    assert git("--git-dir", remote, "rev-parse", "main").strip() == first  # nothing pushed
    laptop.run("done", "2")
    laptop.run("sync")
    assert git("--git-dir", remote, "merge-base", "--is-ancestor", first, "main") == ""
    assert len(events_in(remote)) == 2
    assert before["history.jsonl"] in store_files(laptop)["history.jsonl"]


def test_status_shows_waiting_changes_without_the_network(tmp_path: Path, remote: str) -> None:
    laptop = Machine(tmp_path, "laptop")
    laptop.run("done", "1")
    laptop.join(remote)
    assert "Sync:" not in laptop.run("status").stdout
    laptop.run("done", "2")
    laptop.run("note", "2", "more")
    Path(remote).rename(remote + ".gone")  # no network: nothing may need it
    assert laptop.run("status").stdout.splitlines()[-1] == (
        "Sync: 2 changes not sent yet; `mlpath sync` sends them."
    )
    info = json.loads(laptop.run("sync", "--status", "--json").stdout)
    assert info["remote"] == remote and info["learner"] == "ada"
    assert info["machine"] == "laptop" and info["waiting"] == 2 and info["last_sync"]
    shown = laptop.run("sync", "--status").stdout.splitlines()
    assert shown[0] == f"Remote:    {remote}" and shown[-1] == "Waiting:   2 changes to send"
    assert json.loads(laptop.run("status", "--json").stdout)["done"] == 2  # no sync key


def test_sync_status_before_any_remote(tmp_path: Path) -> None:
    laptop = Machine(tmp_path, "laptop")
    assert laptop.run("sync", "--status").stdout == (
        "No remote set: `mlpath sync --remote URL` sets one up.\n"
    )
    missing = laptop.run("sync", ok=False)
    assert missing.returncode == 2
    assert missing.stderr == "mlpath: no remote yet: `mlpath sync --remote URL` sets one up\n"


@pytest.mark.parametrize(
    "url",
    [
        "https://ghp_s3cr3tT0ken@github.com/ada/progress.git",
        "https://ada:hunter2@github.com/ada/progress.git",
        "ssh://ada:hunter2@example.com/progress.git",
    ],
)
def test_a_url_with_a_secret_is_refused_and_never_stored(tmp_path: Path, url: str) -> None:
    laptop = Machine(tmp_path, "laptop")
    laptop.run("done", "1")
    before = files(laptop.home)
    refused = laptop.run("sync", "--remote", url, ok=False)
    assert refused.returncode == 2 and refused.stdout == ""
    secret = "a password" if url.startswith("ssh:") else "a user name, password or token"
    assert refused.stderr == (
        f"mlpath: --remote: a URL with {secret} in it is refused, so that no secret is stored "
        "or shown; let git's credential helper or an ssh key log in\n"
    )
    assert "hunter2" not in refused.stderr and "s3cr3t" not in refused.stderr
    assert files(laptop.home) == before


def test_ext_transport_never_runs_a_command(tmp_path: Path) -> None:
    laptop = Machine(tmp_path, "laptop")
    proof = tmp_path / "ran"
    refused = laptop.run("sync", "--remote", f"ext::sh -c touch% {proof}", ok=False)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert not proof.exists()


def test_not_an_mlpath_repository(tmp_path: Path, remote: str) -> None:
    add_to(remote, tmp_path / "work", {"notes.md": "my own project\n"})
    laptop = Machine(tmp_path, "laptop")
    laptop.run("done", "1")
    before = store_files(laptop)
    refused = laptop.run("sync", "--remote", remote, "--learner", "ada", ok=False)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"mlpath: {remote} is not an mlpath repository (it has no mlpath-sync.json); use an "
        "empty repository, or one that `mlpath sync` made; nothing was changed\n"
    )
    assert store_files(laptop) == before


def _joined_pair(tmp_path: Path, remote: str) -> tuple[Machine, Machine]:
    laptop, desk = Machine(tmp_path, "laptop"), Machine(tmp_path, "desk")
    laptop.run("done", "1")
    laptop.join(remote)
    desk.run("done", "2")
    desk.join(remote)
    return laptop, desk


@pytest.mark.parametrize(
    ("files_added", "link", "message"),
    [
        ({"run-me.sh": "rm -rf ~\n"}, None, "'run-me.sh' is not a file mlpath writes"),
        ({"learners/ada/../../x.jsonl": "\n"}, None, "'x.jsonl' is not a file mlpath writes"),
        (
            {"learners/Ada/abc.jsonl": "\n"},
            None,
            "'learners/Ada/abc.jsonl' is not a file mlpath writes",
        ),
        (
            {".gitattributes": "* filter=evil\n"},
            None,
            "'.gitattributes' is not a file mlpath writes",
        ),
        ({}, "learners/ada/abcdef.jsonl", "'learners/ada/abcdef.jsonl' is a symbolic link"),
    ],
)
def test_a_foreign_file_is_refused_with_its_path(
    tmp_path: Path, remote: str, files_added: dict[str, str], link: str | None, message: str
) -> None:
    laptop, _ = _joined_pair(tmp_path, remote)
    add_to(remote, tmp_path / "work", files_added, link)
    laptop.run("done", "5")
    before = store_files(laptop)
    refused = laptop.run("sync", ok=False)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"mlpath: {remote}: {message}: not an mlpath repository as mlpath wrote it; nothing was "
        "changed\n"
    )

    assert store_files(laptop) == before


def test_a_damaged_line_is_refused_with_its_path_and_line(tmp_path: Path, remote: str) -> None:
    laptop, desk = _joined_pair(tmp_path, remote)
    log = f"learners/ada/{_machine_id(desk)}.jsonl"
    good = git("--git-dir", remote, "show", f"main:{log}")
    bad = json.loads(good.splitlines()[0]) | {"seq": 2, "details": {"from": "todo", "to": 11}}
    add_to(remote, tmp_path / "work", {log: good + json.dumps(bad) + "\n"})
    before = store_files(laptop)
    refused = laptop.run("sync", ok=False)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"mlpath: {log}: damaged at line 2: details.to: should be done; nothing was changed\n"
    )
    assert store_files(laptop) == before
    far = json.loads(good.splitlines()[0]) | {"seq": 2, "batch": 2, "clock": 2**62 - 1}
    add_to(remote, tmp_path / "work", {log: good + json.dumps(far) + "\n"})
    refused = laptop.run("sync", ok=False)
    assert refused.stderr == (
        f"mlpath: {log}: damaged at line 2: clock: should be at most 253402300800000 (the end "
        "of the year 9999); nothing was changed\n"
    )
    assert store_files(laptop) == before
    add_to(remote, tmp_path / "work", {log: good + "{not json\n"})
    refused = laptop.run("sync", ok=False)
    assert refused.stderr.startswith(f"mlpath: {log}: damaged at line 2: ")
    assert store_files(laptop) == before


def test_no_git_and_no_network_leave_the_store_as_it_was(tmp_path: Path, remote: str) -> None:
    laptop, _ = _joined_pair(tmp_path, remote)
    laptop.run("done", "4")
    before = store_files(laptop)
    env = laptop.env() | {"PATH": str(tmp_path / "empty")}
    import subprocess
    import sys

    no_git = subprocess.run(
        [sys.executable, "-m", "mlpath", "sync"], env=env, capture_output=True, text=True
    )
    assert no_git.returncode == 1
    assert no_git.stderr == "mlpath: git is not installed (or not on PATH): sync needs it\n"
    Path(remote).rename(remote + ".gone")
    offline = laptop.run("sync", ok=False)
    assert offline.returncode == 1 and offline.stderr.count("\n") == 1
    assert offline.stderr.startswith(f"mlpath: cannot fetch from {remote}: ")
    assert store_files(laptop) == before


def test_undo_after_sync_reverts_the_same_event_everywhere(tmp_path: Path, remote: str) -> None:
    laptop, desk = _joined_pair(tmp_path, remote)
    laptop.run("sync")  # laptop has desk's done 2
    laptop.run("done", "3")
    laptop.run("sync")
    desk.run("sync")
    desk.run("note", "6", "later")
    desk.run("sync")
    laptop.run("sync")
    laptop.run("undo")  # the merged note from desk, as a whole
    laptop.run("undo")  # then laptop's own done 3
    laptop.run("sync")
    desk.run("sync")
    status = json.loads(desk.run("status", "--json").stdout)
    assert status["done"] == 2 and 3 in status["todo"]
    assert json.loads(desk.run("show", "6", "--json").stdout)["notes"] == []
    assert laptop.state() == desk.state()


def test_a_redo_syncs_like_any_change(tmp_path: Path, remote: str) -> None:
    laptop, desk = _joined_pair(tmp_path, remote)
    laptop.run("done", "3")
    laptop.run("undo")
    laptop.run("redo")  # step 3 done again, as a redo of the undo
    laptop.run("sync")
    assert desk.run("sync").stdout.splitlines()[0] == "From laptop: done 3, a redo, an undo."
    assert json.loads(desk.run("show", "3", "--json").stdout)["status"] == "done"
    assert laptop.state() == desk.state()
    desk.run("undo")  # the merged commit, as a whole: the done, its undo and its redo
    assert 3 in json.loads(desk.run("status", "--json").stdout)["todo"]


def test_a_cohort_shares_one_repository_and_no_one_writes_into_another_folder(
    tmp_path: Path, remote: str
) -> None:
    ada, bob = Machine(tmp_path, "ada-laptop"), Machine(tmp_path, "bob-laptop")
    ada.run("done", "1")
    ada.run("start", "2")
    ada.join(remote, "ada")
    bob.run("skill", "6")
    bob.run("done", "1", "2", "3")
    bob.join(remote, "bob")
    ada.run("sync")
    assert json.loads(ada.run("status", "--json").stdout)["done"] == 1  # bob's never mix in
    rows = json.loads(ada.run("cohort", "--json").stdout)
    assert [(r["learner"], r["done"], r["in_progress"], r["skill"]) for r in rows] == [
        ("ada", 1, [2], None),
        ("bob", 3, [], 6),
    ]
    shown = bob.run("cohort").stdout.splitlines()
    assert shown[0].split() == ["Learner", "Done", "In", "progress", "Skill", "Last", "activity"]
    assert shown[1].split()[:3] == ["ada", "1/7", "2"] and shown[2].split()[:4] == [
        "bob",
        "3/7",
        "-",
        "6",
    ]
    for commit in git("--git-dir", remote, "rev-list", "main").split():
        changed = git("--git-dir", remote, "diff-tree", "--root", "-r", "--name-only", commit)
        folders = {name.split("/")[1] for name in changed.split()[1:] if "/" in name}
        assert len(folders) <= 1, changed


def test_an_interrupted_sync_that_merged_says_the_change_is_saved(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after the merge was committed must not say that nothing was written."""
    from mlpath.store import syncconfig

    remote = bare(tmp_path / "remote.git")
    laptop = Machine(tmp_path, "laptop")
    laptop.join(remote)
    laptop.run("done", "3")
    laptop.run("sync")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    assert run("sync", "--remote", remote, "--learner", "ada").exit_code == 0
    laptop.run("done", "4")
    laptop.run("sync")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(syncconfig, "save", interrupted)  # after the merge, before it ends
    result = run("sync")
    assert result.exit_code == 130
    assert result.stderr == "mlpath: interrupted; the change is saved\n"
    assert [s["status"] for s in json.loads(run("list", "--json").stdout)][2:4] == ["done", "done"]


def test_a_sync_lock_that_is_a_symlink_is_refused_and_its_target_untouched(
    tmp_path: Path, remote: str
) -> None:
    # Older filelocks open the lock with O_TRUNC through a link: never let one reach it.
    laptop = Machine(tmp_path, "laptop")
    laptop.run("done", "1")
    laptop.join(remote)
    target = tmp_path / "notes.txt"
    target.write_text("keep me\n")
    (laptop.home / "sync.lock").unlink(missing_ok=True)
    (laptop.home / "sync.lock").symlink_to(target)
    done = laptop.run("sync", ok=False)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        f"mlpath: {laptop.home / 'sync.lock'} is a symbolic link: mlpath keeps its files as "
        "plain files; put the file it points to in its place"
    ]
    assert target.read_text() == "keep me\n"


def test_a_sync_lock_that_is_a_folder_ends_in_one_line(tmp_path: Path, remote: str) -> None:
    """A folder where sync.lock should be: one line naming it, exit 1, nothing changed
    (it was a traceback)."""
    laptop = Machine(tmp_path, "laptop")
    laptop.run("done", "1")
    laptop.join(remote)
    (laptop.home / "sync.lock").unlink(missing_ok=True)
    (laptop.home / "sync.lock").mkdir()
    before = (laptop.home / "history.jsonl").read_bytes()
    done = laptop.run("sync", ok=False)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        f"mlpath: cannot lock {laptop.home / 'sync.lock'}: is a directory; check that file; "
        "nothing was changed"
    ]
    assert (laptop.home / "history.jsonl").read_bytes() == before
