"""Machines and git servers for the sync tests: real mlpath processes, real git."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests import forked

STATE = (["status", "--json"], ["list", "--json"], ["log", "--json"])


class Machine:
    """One data folder. `run` drives mlpath in this process (the command line as CliRunner
    runs it, with this machine's environment); `start` in a process of its own, for what
    needs one: running beside another, or being killed."""

    def __init__(self, root: Path, name: str) -> None:
        self.name = name
        self.home = root / name

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env |= {"MLPATH_HOME": str(self.home), "NO_COLOR": "1", "COLUMNS": "120", "TZ": "UTC"}
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        return env

    def start(self, *args: str) -> forked.Running:
        """A process forked from one with mlpath imported (tests/forked.py), its output
        captured: a real process, without an interpreter's start-up."""
        return forked.Running(*args, env=self.env())

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        """A command, to its end, in this process: a process start costs more than most
        syncs, and the git that sync runs is real either way."""
        from typer.testing import CliRunner

        from mlpath.cli import app

        # The machine's environment exactly: what it has, and nothing of the test's GIT_*.
        env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("GIT_")}
        env |= self.env()
        try:  # click < 8.2 mixes stderr into stdout unless told not to
            runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
        except TypeError:
            runner = CliRunner()
        result = runner.invoke(app, list(args), env=env, prog_name="mlpath")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a traceback is a bug: show it, never a returncode
        done = subprocess.CompletedProcess(
            ["mlpath", *args], result.exit_code, result.stdout, result.stderr
        )
        if ok:
            assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done

    def join(self, remote: str, learner: str = "ada") -> subprocess.CompletedProcess[str]:
        return self.run("sync", "--remote", remote, "--learner", learner, "--name", self.name)

    def state(self) -> list[str]:
        """What must be byte-identical on every machine once all have synced."""
        shown = [self.run(*args).stdout for args in STATE]
        export = json.loads(self.run("export").stdout)
        export.pop("exported_at")
        return [*shown, json.dumps(export, sort_keys=True)]


def git(*args: str, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout


def bare(path: Path) -> str:
    git("init", "--quiet", "--bare", "--initial-branch=main", str(path))
    return str(path)


def tree(remote: str) -> list[str]:
    return git("--git-dir", remote, "ls-tree", "-r", "--name-only", "main").split()


def add_to(
    remote: str, work: Path, files: Mapping[str, bytes | str], link: str | None = None
) -> None:
    """Change a repository as a person (or an attacker) would: clone, write, commit, push."""
    if not work.exists():
        git("clone", "--quiet", remote, str(work))
    git("pull", "--quiet", cwd=work) if git("--git-dir", remote, "branch").strip() else None
    for name, data in files.items():
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode() if isinstance(data, str) else data)
    if link:
        (work / link).parent.mkdir(parents=True, exist_ok=True)
        (work / link).symlink_to("/etc/passwd")
    git("add", "-A", cwd=work)
    git("commit", "--quiet", "-m", "by hand", cwd=work)
    git("push", "--quiet", "origin", "HEAD:main", cwd=work)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Daemon:
    """`git daemon` with push enabled, on 127.0.0.1, serving one folder of bare repositories."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, name: str) -> str:
        return f"git://127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
                f"--base-path={self.base}", "--listen=127.0.0.1", f"--port={self.port}",
                str(self.base),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # `git daemon` runs git-daemon as a child: stop both
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("git daemon did not start")

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None


def events_in(remote: str) -> list[dict[str, Any]]:
    found = []
    for name in tree(remote):
        if name.endswith(".jsonl"):
            text = git("--git-dir", remote, "show", f"main:{name}")
            found += [json.loads(line) for line in text.splitlines()]
    return found
