"""One side of a comparison: the curated Turtle of a project folder or of a git revision.

A revision is read with ``git ls-tree`` / ``git show`` into a temporary folder and loaded
with the same loader as ``gfmd check``; the folder is removed once it is parsed. Besides
the graph, a snapshot keeps where each subject's block starts (file and line), which
the canonical layout makes the line that begins with the subject's name.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GfmdError, GfmdSyntaxError
from .load import LoadedGraph, load_project, turtle_files

#: The folders a snapshot reads (the curated Turtle files of the project).
FOLDERS = ("ontology", "data", "shapes")

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.\-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_BLOCK_START = re.compile(r"^(<[^>\s]*>|[A-Za-z][\w.\-]*:[^\s;,]*|:[^\s;,]*)\s")


class SnapshotError(GfmdError):
    """A revision or folder that cannot be read (does not exist, is not a project, git fails)."""


@dataclass(frozen=True)
class Location:
    """Where a subject's block starts: file relative to the project root, 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Snapshot:
    """The loaded project of one side, its name and the block start of every subject."""

    name: str
    loaded: LoadedGraph
    revision: str | None = None
    blocks: dict[str, Location] = field(default_factory=dict)


def block_starts(text: str, file: str) -> dict[str, Location]:
    """The line at which each subject's block begins, by the subject's full IRI.

    >>> text = '@prefix summit: <https://w3id.org/gfmd/id/summit/> .\\n\\nsummit:2007 a <x:S> ;\\n    <x:p> 1 .\\n'
    >>> block_starts(text, "data/summits.ttl")
    {'https://w3id.org/gfmd/id/summit/2007': Location(file='data/summits.ttl', line=3)}
    """
    prefixes: dict[str, str] = {}
    starts: dict[str, Location] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        declared = _PREFIX.match(line)
        if declared:
            prefixes[declared.group(1) or ""] = declared.group(2)
            continue
        match = _BLOCK_START.match(line)
        if not match:
            continue
        token = match.group(1)
        if token.startswith("<"):
            iri = token[1:-1]
        else:
            prefix, _, local = token.partition(":")
            if prefix not in prefixes:
                continue
            iri = prefixes[prefix] + local.replace("\\", "")
        starts.setdefault(iri, Location(file, number))
    return starts


def _index_blocks(root: Path) -> dict[str, Location]:
    blocks: dict[str, Location] = {}
    for path in turtle_files(root, kinds=FOLDERS):
        rel = path.relative_to(root).as_posix()
        for iri, where in block_starts(path.read_text(encoding="utf-8"), rel).items():
            blocks.setdefault(iri, where)
    return blocks


def _load(root: Path, name: str, revision: str | None) -> Snapshot:
    return Snapshot(name=name, loaded=load_project(root, kinds=FOLDERS), revision=revision,
                    blocks=_index_blocks(root))


def read_folder(folder: Path, *, name: str | None = None) -> Snapshot:
    """Load a project folder (one holding ontology/, data/ or shapes/).

    Raises :class:`SnapshotError` when it is not such a folder, and
    :class:`~gfmd_graph.errors.GfmdSyntaxError` when a file does not parse.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SnapshotError(f"{folder} is neither a folder nor a git revision")
    if not any((folder / kind).is_dir() for kind in FOLDERS):
        raise SnapshotError(f"{folder} holds none of {', '.join(f + '/' for f in FOLDERS)}: not a project folder")
    return _load(folder.resolve(), name or str(folder), None)


def _git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise SnapshotError("git is not installed; compare two folders instead") from exc
    if done.returncode != 0:
        raise SnapshotError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


def resolve_revision(repo: Path, revision: str) -> str:
    """The commit a revision names, or :class:`SnapshotError` if it names none."""
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").strip()
    except SnapshotError:
        raise SnapshotError(f"{revision!r} is neither a folder nor a revision of the git repository at {repo}") from None


def read_revision(repo: Path, revision: str) -> Snapshot:
    """Load the project as it is in ``revision`` of the git repository holding the folder ``repo``."""
    commit = resolve_revision(repo, revision)
    prefix = _git(repo, "rev-parse", "--show-prefix").strip()
    listed = _git(repo, "ls-tree", "-r", "--name-only", "--full-tree", commit, "--",
                  *(f"{prefix}{kind}" for kind in FOLDERS))
    paths = [p for p in listed.splitlines() if p.endswith(".ttl") and p.count("/") == prefix.count("/") + 1]
    if not paths:
        raise SnapshotError(f"revision {revision} holds no Turtle file in {', '.join(f + '/' for f in FOLDERS)}")
    with tempfile.TemporaryDirectory(prefix="gfmd-diff-") as tmp:
        root = Path(tmp)
        for kind in FOLDERS:
            (root / kind).mkdir()
        for path in paths:
            blob = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"],
                                  capture_output=True, check=True).stdout
            (root / path[len(prefix):]).write_bytes(blob)
        try:
            return _load(root, revision, commit)
        except GfmdSyntaxError as exc:  # name the file as git does, not by the temporary folder
            where = Path(exc.file).resolve().relative_to(root.resolve()).as_posix() if exc.file else None
            raise GfmdSyntaxError(exc.message, file=f"{revision}:{where}" if where else revision,
                                  line=exc.line, column=exc.column) from None


def default_base(repo: Path) -> str:
    """The base a change is compared with when none is given.

    The merge base of HEAD with ``main`` (or ``origin/main``): what the branch changes.
    On ``main`` itself (the merge base is HEAD), ``HEAD~1``: what the last commit changed.
    """
    try:
        head = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip()
    except SnapshotError:
        raise SnapshotError(f"no BASE given and {repo} is not in a git repository with commits; "
                            "name the revisions or folders to compare") from None
    for main in ("main", "origin/main"):
        try:
            base = _git(repo, "merge-base", head, main).strip()
        except SnapshotError:
            continue
        if base and base != head:
            return base
        break
    try:
        resolve_revision(repo, "HEAD~1")
    except SnapshotError:
        raise SnapshotError("no BASE given and HEAD is the first commit: name the revision or folder "
                            "to compare with") from None
    return "HEAD~1"


def check_side(spec: str | None, repo: Path) -> None:
    """Raise :class:`SnapshotError` unless ``spec`` names a project folder or a revision (before loading either)."""
    if spec is None:
        spec = str(repo)
    if Path(spec).is_dir():
        if not any((Path(spec) / kind).is_dir() for kind in FOLDERS):
            raise SnapshotError(f"{spec} holds none of {', '.join(f + '/' for f in FOLDERS)}: not a project folder")
        return
    resolve_revision(repo, spec)


def read_side(spec: str | None, repo: Path) -> Snapshot:
    """A folder if ``spec`` names one, else a git revision; ``None`` is the working tree at ``repo``."""
    if spec is None:
        return read_folder(repo, name="working tree")
    if Path(spec).is_dir():
        return read_folder(Path(spec))
    return read_revision(repo, spec)
