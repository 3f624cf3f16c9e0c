"""A baseline to compare with: another data folder, or the data as it was at a git revision.

The baseline is built, validated and loaded into a throw-away embedded database of its own, and
analyzed there, so its findings come from the same engine and rules as the current ones.
"""
from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from ..errors import InputError, Location
from ..settings import Settings


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout
    except FileNotFoundError as exc:
        raise InputError("git is not installed; give --baseline a data folder instead") from exc
    except subprocess.CalledProcessError as exc:
        raise InputError(f"git {' '.join(args)}: {exc.stderr.decode('utf-8', 'replace').strip()}",
                         Location(file=str(cwd))) from exc


def resolve_revision(revision: str, repo: Path) -> str:
    """The commit a revision names, as 40 hex digits, so that what reaches ``git archive`` is never
    user text: ``--baseline=-o<file>`` would otherwise be an option of git's (and truncate the file)."""
    if not revision or revision.startswith("-") or any(ord(ch) < 32 for ch in revision):
        raise InputError(f"--baseline {revision!r} is neither a data folder nor a git revision")
    try:
        sha = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], repo)
    except InputError as exc:
        raise InputError(f"--baseline {revision!r} is neither a data folder nor a git revision",
                         Location(file=str(repo))) from exc
    sha_text = sha.decode("ascii", "replace").strip()
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha_text):
        raise InputError(f"--baseline {revision!r} does not name one commit", Location(file=str(repo)))
    return sha_text


@contextmanager
def baseline_settings(settings: Settings, baseline: str) -> Iterator[Settings]:
    """Settings for the baseline data, with a temporary database; cleaned up afterwards."""
    with tempfile.TemporaryDirectory(prefix="itu-graph-baseline-") as tmp:
        tmp_path = Path(tmp)
        candidate = Path(baseline)
        if candidate.is_dir():
            data_dirs = [candidate]
        else:
            data_dirs = []
            for directory in settings.data_dirs:
                directory = Path(directory).resolve()
                top = Path(_git(["rev-parse", "--show-toplevel"], directory if directory.is_dir() else directory.parent)
                           .decode().strip())
                relative = directory.relative_to(top).as_posix()
                archive = _git(["archive", "--format=tar", resolve_revision(baseline, top), "--", relative], top)
                target = tmp_path / "data" / str(len(data_dirs))
                with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                    tar.extractall(target, filter="data")
                data_dirs.append(target / relative)
        yield replace(settings, data_dirs=data_dirs, db_path=tmp_path / "baseline.db", store="falkordb",
                      graph_name="baseline")
