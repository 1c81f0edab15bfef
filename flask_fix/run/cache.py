"""The run cache: what an earlier run learnt, reused when the files have not changed.

Four layers, each checked against the content of the files (a digest), never trusted on
file times alone:

- **files**: path -> (size, mtime_ns, digest). A file whose size and modification time are
  those recorded is taken to hold the recorded content without being read; any other file
  is read and hashed. A file modified within `RACY_SECONDS` of the run that recorded it
  could change again within the same clock tick, so its times are never trusted (git's
  "racily clean" problem): it is hashed on the next run.
- **scans**: path -> the scan phase's result (facts, triage, errors) for one digest, so an
  unchanged file is neither read nor parsed with `ast`.
- **fixes**: path -> the fix phase's result for one digest, one set of fix settings and
  the digests of the fields of its project's index the fix read (flask_fix.run.indexreads):
  a file is given to LibCST again when it changed or when what it read of the index
  changed (a route added in another module of its project changes what FLK102 reports
  here).
- **runs**: a whole run's results, replayed when every scanned file, every file the
  project transforms read and every folder they listed is unchanged: then nothing is
  parsed and the index is not even built.

Each entry is validated by content digests when used, so two runs writing the cache at
once (each file is replaced atomically) can lose entries but never mix them up, and a
cache that cannot be read is a miss.

The layers live in one folder per tool version and settings (`scan_key`, the current
folder). A run marks its folder used (its modification time) when it first reads it, and
a run that saves prunes the others: those unused for `STALE_AFTER`, and, beyond the
`KEEP_FOLDERS` most recently used, those unused for `IN_USE_GRACE` (a run still going
marked its folder when it started). A folder is first renamed away, atomically, then
deleted: a run still reading it finds its files or a miss, and one saving into it
creates it again. Temporary files a killed run left behind go the same way. The folder holds a `CACHEDIR.TAG` and a `.gitignore`
of `*`, as ruff's does. Entries are pickled and read back with an unpickler that builds
only flask-fix's own data classes (a cache folder from an untrusted checkout cannot run
code).
"""

from __future__ import annotations

import dataclasses
import enum
import glob
import hashlib
import importlib.util
import io
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..version import __version__
from ..model import ErrorKind, FileResult
from ..index.projectroot import project_root

if TYPE_CHECKING:
    from ..index.project import ProjectIndex

FOLDER_NAME = ".flask_fix_cache"
ENVIRONMENT_VARIABLE = "FLASK_FIX_CACHE_DIR"
#: files modified this close to the run that recorded them are hashed again next time
RACY_SECONDS = 2.0
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by flask-fix.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

_LAYERS = ("files", "scans", "fixes", "runs")
#: a settings folder unused this long is removed by the next run that saves
STALE_AFTER = 7 * 24 * 3600.0
#: at most this many settings folders are kept ...
KEEP_FOLDERS = 8
#: ... unless a run may still be using them: one marks its folder when it starts
IN_USE_GRACE = 3600.0
_LAYER_FOLDER = re.compile(r"[0-9a-f]{32}")
_TRASH_PREFIX = ".trash-"


def cache_folder(paths: Sequence[str], option: str | None = None) -> str:
    """Where the cache lives: `--cache-dir`, else $FLASK_FIX_CACHE_DIR, else
    `.flask_fix_cache` in the project root of the paths' common folder (the nearest folder
    holding pyproject.toml, setup.py, setup.cfg or .git), else in the current folder."""
    chosen = option or os.environ.get(ENVIRONMENT_VARIABLE)
    if chosen:
        return os.path.abspath(chosen)
    absolute = [os.path.abspath(p) for p in paths] or [os.getcwd()]
    common = os.path.commonpath(absolute)
    probe = common if not os.path.isdir(common) else os.path.join(common, "_")
    root = project_root(probe) or os.getcwd()
    return os.path.join(root, FOLDER_NAME)


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


# -- fingerprints ------------------------------------------------------------------------


def canonical_digest(value: object) -> bytes:
    """A digest of plain data (dataclasses, containers, scalars) that does not depend on
    set order or on this process's string hashing, unlike a pickle's bytes."""
    out = io.StringIO()
    _write_canonical(value, out)
    return content_digest(out.getvalue().encode("utf-8", "surrogatepass"))


def _write_canonical(value: object, out: io.StringIO) -> None:
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        out.write(repr(value))
    elif isinstance(value, enum.Enum):
        out.write(f"{type(value).__name__}.{value.name}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.write(type(value).__qualname__ + "(")
        for field in dataclasses.fields(value):
            if field.compare:  # caches such as the compiled router are not facts
                out.write(field.name + "=")
                _write_canonical(getattr(value, field.name), out)
                out.write(",")
        out.write(")")
    elif isinstance(value, (list, tuple)):
        out.write("[" if isinstance(value, list) else "(")
        for item in value:
            _write_canonical(item, out)
            out.write(",")
        out.write("]" if isinstance(value, list) else ")")
    elif isinstance(value, (set, frozenset, dict)):
        items = value.items() if isinstance(value, dict) else ((item, None) for item in value)
        parts = []
        for key, item in items:
            part = io.StringIO()
            _write_canonical(key, part)
            if isinstance(value, dict):
                part.write(":")
                _write_canonical(item, part)
            parts.append(part.getvalue())
        out.write("{" + ",".join(sorted(parts)) + "}")
    else:
        raise TypeError(f"no canonical form for {type(value).__name__}")


#: the flask_fix package folder (this module is in its run/ folder)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _tool_fingerprint() -> bytes:
    """The tool's version and a digest of its code: a development checkout whose code
    changed without a version bump must not reuse results the old code computed, and a
    fresh install of the same code (new file times, as in CI) should reuse them. Every
    module of the package counts (the rules, the index, ...), not only this folder's, and
    so do Python's version and LibCST's: the fixes are LibCST's output."""
    package = _PACKAGE
    versions = f"{__version__} {sys.version} libcst {_libcst_version()}"
    digest = hashlib.blake2b(versions.encode(), digest_size=16)
    for folder, folders, names in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(n for n in names if n.endswith(".py")):
            digest.update(os.path.relpath(os.path.join(folder, name), package).encode())
            with open(os.path.join(folder, name), "rb") as file:
                digest.update(content_digest(file.read()))
    return digest.digest()


def _libcst_version() -> str:
    """The installed LibCST's version, without importing LibCST (a replayed run never
    loads it) or importlib.metadata (as slow to import): the name of the `.dist-info`
    folder installed beside the package, else importlib.metadata's answer."""
    spec = importlib.util.find_spec("libcst")
    if spec is not None and spec.submodule_search_locations:
        site = os.path.dirname(next(iter(spec.submodule_search_locations)))
        found = sorted(glob.glob(os.path.join(glob.escape(site), "libcst-*.dist-info")))
        if found:
            names = (os.path.basename(path) for path in found)
            return ",".join(name[len("libcst-") : -len(".dist-info")] for name in names)
    from importlib import metadata

    try:
        return metadata.version("libcst")
    except metadata.PackageNotFoundError:
        return "none"


# -- reading and writing -----------------------------------------------------------------


class _OwnDataUnpickler(pickle.Unpickler):
    """Builds flask-fix's data classes and enums and nothing else: unpickling a foreign
    object (a function, a class from another module) fails, and the cache is a miss."""

    def find_class(self, module: str, name: str) -> type:
        if module == "flask_fix" or module.startswith("flask_fix."):
            found = getattr(sys.modules.get(module), name, None)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)
            ):
                return found
        raise pickle.UnpicklingError(f"not a flask-fix data class: {module}.{name}")


def _load(path: str) -> dict:
    try:
        with open(path, "rb") as file:
            data = _OwnDataUnpickler(file).load()
    except Exception:  # missing, truncated, foreign or from another version: a miss
        return {}
    return data if isinstance(data, dict) else {}


def _save(path: str, data: dict) -> None:
    """Replace `path` atomically: a concurrent run reads the old file or the new one."""
    folder = os.path.dirname(path)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")
    try:
        with os.fdopen(descriptor, "wb") as file:
            pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _prepare(folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    tag = os.path.join(folder, "CACHEDIR.TAG")
    if not os.path.exists(tag):
        with open(tag, "w") as file:
            file.write(CACHEDIR_TAG)
    ignore = os.path.join(folder, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w") as file:
            file.write("# Created by flask-fix automatically.\n*\n")


# -- the cache of one run ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FileStamp:
    size: int
    mtime_ns: int
    digest: bytes
    trusted: bool  # False: modified too close to the recording run (hash it again)


@dataclasses.dataclass(frozen=True)
class ScanEntry:
    digest: bytes
    module: str
    scan: object  # runner.ScanResult


@dataclasses.dataclass(frozen=True)
class FixEntry:
    digest: bytes
    # the index fields the fix read, each with its digest then
    index_reads: tuple[tuple[str, bytes], ...]
    result: FileResult


class IndexDigests:
    """Digests of one ProjectIndex's fields, each computed once, when first asked for."""

    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self._digests: dict[str, bytes] = {}

    def __call__(self, name: str) -> bytes:
        if name not in self._digests:
            self._digests[name] = canonical_digest(getattr(self.index, name))
        return self._digests[name]


@dataclasses.dataclass(frozen=True)
class RunEntry:
    tree_key: bytes
    # what the project transforms read beyond the scanned files, and the folders they
    # listed (with a digest of the listing)
    read_files: tuple[tuple[str, bytes | None], ...]
    listed_folders: tuple[tuple[str, bytes], ...]
    results: tuple[FileResult, ...]


class RunCache:
    """The cache as one run sees it: loaded lazily, layer by layer, saved when changed.

    `scan_key` names what the scan phase's results depend on besides the files (the tool,
    the rules selected, per-file-ignores, the current folder: paths are shown relative to
    it); `run_key` adds everything else in the settings (mode, unsafe fixes, edits).
    """

    def __init__(self, folder: str, scan_key: object, run_key: object) -> None:
        self.folder = folder
        tool = _tool_fingerprint()
        scan_id = canonical_digest((tool, os.getcwd(), scan_key)).hex()
        self.layer_folder = os.path.join(folder, scan_id)
        self.run_key = canonical_digest(run_key)
        self.started = time.time()
        self._layers: dict[str, dict] = {}
        self._dirty: set[str] = set()
        self.digests: dict[str, bytes | None] = {}
        self.stats: dict[str, os.stat_result] = {}
        self._listed: dict[str, bytes] = {}
        # files the project transforms read beyond the scanned ones (templates)
        self.transform_reads: set[str] = set()

    def _layer(self, name: str) -> dict:
        if name not in self._layers:
            if not self._layers:
                _mark_used(self.layer_folder)
            self._layers[name] = _load(os.path.join(self.layer_folder, name + ".pickle"))
        return self._layers[name]

    def _changed(self, name: str) -> None:
        self._dirty.add(name)

    # files

    def digest_of(self, path: str) -> bytes | None:
        """The digest of `path`'s content (None: unreadable), from its recorded stamp when
        size and modification time match and the stamp is trusted, else by reading it."""
        if path in self.digests:
            return self.digests[path]
        stamps = self._layer("files")
        try:
            stat = os.stat(path)
        except OSError:
            self.digests[path] = None
            return None
        self.stats[path] = stat
        stamp = stamps.get(path)
        if (
            isinstance(stamp, FileStamp)
            and stamp.trusted
            and (stamp.size, stamp.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
        ):
            self.digests[path] = stamp.digest
            return stamp.digest
        try:
            with open(path, "rb") as file:
                digest = content_digest(file.read())
        except OSError:
            self.digests[path] = None
            return None
        trusted = stat.st_mtime < self.started - RACY_SECONDS
        new = FileStamp(stat.st_size, stat.st_mtime_ns, digest, trusted)
        if stamp != new:
            stamps[path] = new
            self._changed("files")
        self.digests[path] = digest
        return digest

    def unchanged_since_stamp(self, path: str) -> bool:
        """Whether `path` still has the size and time it had when its digest was taken
        (a file changed while the run read it must not be recorded)."""
        before = self.stats.get(path)
        try:
            now = os.stat(path)
        except OSError:
            return False
        return before is not None and (before.st_size, before.st_mtime_ns) == (
            now.st_size,
            now.st_mtime_ns,
        )

    # scans

    def scans(
        self,
        paths: Sequence[str],
        module_name: Callable[[str], str],
        scan_misses: Callable[[list[str]], Iterable],
    ) -> Iterator:
        """Scan results for `paths`, in order: recorded ones for unchanged files, the
        others from `scan_misses` (given the missing paths, in order)."""
        entries = self._layer("scans")
        found: dict[str, object] = {}
        for path in paths:
            digest = self.digest_of(path)
            entry = entries.get(path)
            if (
                digest is not None
                and isinstance(entry, ScanEntry)
                and entry.digest == digest
                and entry.module == module_name(path)
            ):
                found[path] = entry.scan
        misses = [p for p in paths if p not in found]
        fresh = iter(scan_misses(misses)) if misses else iter(())
        for path in paths:
            if path in found:
                yield found[path]
                continue
            scan = next(fresh)
            self._record_scan(path, scan, module_name(path))
            yield scan

    def _record_scan(self, path: str, scan, module: str) -> None:
        digest = self.digests.get(path)
        error = getattr(scan, "error", None)
        if digest is None or (error is not None and error.kind is ErrorKind.READ):
            return  # unreadable now, perhaps not next time
        if not self.unchanged_since_stamp(path):
            return
        self._layer("scans")[path] = ScanEntry(digest, module, scan)
        self._changed("scans")

    # fixes

    def fixes(
        self,
        items: Sequence[tuple],
        index_for: Callable[[str], ProjectIndex | None] | None,
        fix_key: object,
        fix_misses: Callable[[list[tuple]], Iterable[FileResult]],
        keep: Callable[[FileResult], bool],
    ) -> Iterator[FileResult]:
        """Fix results for `items` ((path, codes) or (path, codes, new source)), in order:
        recorded ones where the file, the codes and the settings are those recorded and
        every field of the file's project index (`index_for(path)`) the recorded fix read
        is unchanged; the others from `fix_misses`. Items carrying a project transform's
        new source are never cached, nor is a file whose `index_for` is None (nothing
        when `index_for` is None). `keep(result)`: whether a fresh result may be
        recorded."""
        entries = self._layer("fixes") if index_for is not None else {}
        digests: dict[int, IndexDigests] = {}  # id(index) -> its digests

        def digests_for(path: str) -> IndexDigests | None:
            index = index_for(path) if index_for is not None else None
            if index is None:
                return None
            if id(index) not in digests:
                digests[id(index)] = IndexDigests(index)
            return digests[id(index)]

        found: dict[int, FileResult] = {}
        keys: dict[int, tuple] = {}
        for number, item in enumerate(items):
            path, codes, *rewritten = item
            digest = self.digests.get(path)
            digest_of_field = digests_for(path)
            if rewritten or digest is None or digest_of_field is None:
                continue
            key = canonical_digest((fix_key, codes))
            keys[number] = key
            entry = entries.get(path, {}).get(key)
            if (
                isinstance(entry, FixEntry)
                and entry.digest == digest
                and all(digest_of_field(name) == was for name, was in entry.index_reads)
            ):
                found[number] = dataclasses.replace(entry.result)
        misses = [item for number, item in enumerate(items) if number not in found]
        fresh = iter(fix_misses(misses)) if misses else iter(())
        for number, item in enumerate(items):
            if number in found:
                yield found[number]
                continue
            result = next(fresh)
            digest_of_field = digests_for(item[0]) if number in keys else None
            if (
                digest_of_field is not None
                and result.index_reads is not None
                and keep(result)
                and self.unchanged_since_stamp(item[0])
            ):
                reads = tuple((name, digest_of_field(name)) for name in sorted(result.index_reads))
                record = FixEntry(self.digests[item[0]], reads, dataclasses.replace(result))
                self._layer("fixes").setdefault(item[0], {})[keys[number]] = record
                self._changed("fixes")
            yield result

    # whole runs

    def listing(self, list_folder: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
        """`list_folder`, recording each folder's listing (for the run's dependencies)."""

        def recorded(folder: str) -> list[str]:
            names = list_folder(folder)
            self._listed[folder] = canonical_digest(names)
            return names

        return recorded

    def tree_key(
        self, paths: Sequence[str], wanted: Iterable[str], projects: tuple[list[str], list[str]]
    ) -> bytes:
        """The key of a run over `paths` (reporting on `wanted`): their contents, the
        settings, and `projects`: the project roots and the files their pins are read
        from (by content too)."""
        roots, declarations = projects
        digests = [self.digest_of(path) for path in paths]
        declared = [(path, self.digest_of(path)) for path in declarations]
        return canonical_digest(
            (list(zip(paths, digests)), sorted(wanted), roots, declared, self.run_key)
        )

    def replay(
        self, tree_key: bytes, list_folder: Callable[[str], list[str]]
    ) -> list[FileResult] | None:
        """The recorded results of a run over exactly these files, or None."""
        entry = self._layer("runs").get(self.run_key)
        if not isinstance(entry, RunEntry) or entry.tree_key != tree_key:
            return None
        for path, digest in entry.read_files:
            if self.digest_of(path) != digest:
                return None
        for folder, listed in entry.listed_folders:
            try:
                if canonical_digest(list_folder(folder)) != listed:
                    return None
            except OSError:
                return None
        return [dataclasses.replace(result) for result in entry.results]

    def record_run(
        self, tree_key: bytes, results: Sequence[FileResult], read_files: Iterable[str]
    ) -> None:
        """Remember a complete run's results (a run that wrote files is not replayable:
        the files it read are gone)."""
        if any(r.written or (r.error and r.error.kind is ErrorKind.READ) for r in results):
            return
        reads = tuple((path, self.digest_of(path)) for path in sorted(read_files))
        entry = RunEntry(
            tree_key,
            reads,
            tuple(sorted(self._listed.items())),
            tuple(dataclasses.replace(r) for r in results),
        )
        self._layer("runs")[self.run_key] = entry
        self._changed("runs")

    # saving

    def save(self) -> None:
        """Write the layers that changed (nothing at all when nothing did). Entries of
        files that no longer exist are dropped. Never fails: a cache that cannot be
        written is only a slower next run."""
        if not self._dirty:
            return
        try:
            _prepare(self.folder)
            os.makedirs(self.layer_folder, exist_ok=True)
            for name in sorted(self._dirty):
                layer = self._layers[name]
                if name != "runs":
                    for path in [p for p in layer if p not in self.digests]:
                        if not os.path.exists(path):
                            del layer[path]
                _save(os.path.join(self.layer_folder, name + ".pickle"), layer)
            prune(self.folder, self.layer_folder)
        except OSError:
            pass
        self._dirty.clear()


# -- pruning -----------------------------------------------------------------------------


def _mark_used(layer_folder: str) -> None:
    try:
        os.utime(layer_folder)
    except OSError:
        pass  # not created yet, or not ours to touch: it is only an older-looking folder


def prune(folder: str, current: str, now: float | None = None) -> None:
    """Remove the settings folders of `folder` (the cache) that no run uses any more, and
    the temporary files killed runs left in `current` (see the module's docstring)."""
    now = time.time() if now is None else now
    used: list[tuple[float, str]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(_TRASH_PREFIX):
                _remove(entry.path, now)  # left by a run killed while pruning
            elif _LAYER_FOLDER.fullmatch(entry.name) and entry.path != current:
                try:
                    used.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
                except OSError:
                    continue
    used.sort(reverse=True)
    for rank, (mtime, path) in enumerate(used, start=2):  # the current folder is first
        idle = now - mtime
        if idle > STALE_AFTER or (rank > KEEP_FOLDERS and idle > IN_USE_GRACE):
            _remove(path, now)
    with os.scandir(current) as entries:
        for entry in entries:
            if entry.name.startswith(".tmp-") and _idle(entry, now) > IN_USE_GRACE:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass


def _idle(entry: os.DirEntry, now: float) -> float:
    try:
        return now - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


def _remove(path: str, now: float) -> None:
    """Rename `path` out of the way (atomic: no run sees it half deleted), then delete it."""
    parent, name = os.path.split(path)
    trash = path
    if not name.startswith(_TRASH_PREFIX):
        trash = os.path.join(parent, f"{_TRASH_PREFIX}{name}-{os.getpid()}-{now:.0f}")
        try:
            os.rename(path, trash)
        except OSError:
            return  # gone already (another run pruned it), or not ours to move
    shutil.rmtree(trash, ignore_errors=True)
