"""The Python API for bots and editors: fix a string without touching the disk
(`fix_code`), or check files and folders as `flask-fix --check` does (`check_paths`)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .index import project
from .run.cache import RunCache, cache_folder
from .codemods import python_rules, select_rules, unknown_codes
from .config import FileConfig, find_config, load_config, merge
from .run.engine import SourceFailure, fix_source
from .model import TOO_DEEP_ERRORS, TOO_DEEP_MESSAGE, ErrorKind, FileError, Finding
from .run.parsing import parse_module
from .index.project import ProjectIndex
from .output.report import Tally, json_document
from .run.settings import Mode, Settings, cache_keys
from .run.start import run
from .run.projectconfig import with_project_configs
from .run.selection import Shard, select_files
from .sourceio import SourceError, decode_source


@dataclass(frozen=True)
class CodeResult:
    source: str
    findings: list[Finding]
    remaining: list[Finding]


def fix_code(
    source: str,
    *,
    path: str = "<string>",
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    unsafe: bool = False,
    index: ProjectIndex | None = None,
    flask_version: tuple[int, ...] | None = None,
    requirements: Mapping[str, tuple[int, ...] | None] | None = None,
) -> CodeResult:
    """Apply the selected rules to `source` and return the new code and the findings.

    Without `index`, the project is this one module (its own routes and views).
    `flask_version` is the lowest Flask the project allows (see `flask_fix.index.pins`): rewrites
    needing a newer one are only reported; None keeps the index's (unknown: current).
    `requirements` are the packages the project declares, each with the lowest release it
    allows (`{"werkzeug": (0, 14), "email-validator": None}`, see `ProjectIndex.requirements`);
    None keeps the index's (nothing declared).
    `source` is text; bytes that did not decode may travel in it as surrogate escapes
    (`bytes.decode("utf-8", "surrogateescape")`), and come back the same way.

    Raises `engine.SourceFailure` when the code cannot be processed, as the command
    reports a file: `kind` is `ErrorKind.SYNTAX` (a syntax error, Python 2 code, code
    nested too deeply), `ErrorKind.DECODE` (bytes its encoding cannot decode, an unknown
    coding cookie) or `ErrorKind.INTERNAL` (a fix produced invalid code); `message` is
    the command's message, `line` the 1-based line when known, else None.
    """
    data = source.encode("utf-8", "surrogateescape")
    try:  # as the command reads a file, with its messages; newer Python is fixed
        decode_source(data)
        tree = parse_module(data, path)
        if index is None:
            index = project.one_module_index(path, project.module_name_of_path(path), tree, data)
    except SourceError as exc:
        raise SourceFailure(exc.kind, exc.message, exc.line) from None
    if flask_version is not None:
        index = dataclasses.replace(index, flask_version=tuple(flask_version))
    if requirements is not None:
        index = dataclasses.replace(index, requirements=dict(requirements))
    try:
        result = fix_source(
            data,
            path,
            python_rules(select_rules(tuple(select), tuple(ignore))),
            index,
            unsafe_fixes=unsafe,
            want_edits=True,
        )
    except TOO_DEEP_ERRORS:  # a rule recursing too deep, as runner.fix_file reports it
        raise SourceFailure(ErrorKind.SYNTAX, TOO_DEEP_MESSAGE) from None
    new_source = result.new_source.decode("utf-8", "surrogateescape")
    return CodeResult(new_source, result.findings, result.remaining)


@dataclass(frozen=True)
class CheckReport:
    """What `flask-fix --check --output-format json` prints, as objects."""

    version: str
    files_checked: int
    findings: list[Finding]  # by path then line; positions in the files as they are
    errors: list[FileError]  # files that could not be read or parsed
    exit_code: int  # the command's: 0 clean, 1 findings, 2 errors, 3 both

    def to_json(self) -> dict:
        """The JSON document of the README's contract."""
        return json_document(self.version, self.files_checked, self.findings, self.errors)


def check_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    unsafe: bool | None = None,
    config: str | os.PathLike[str] | None = None,
    shard: str | None = None,
    jobs: int = 0,
    cache_dir: str | os.PathLike[str] | None = None,
) -> CheckReport:
    """Check files and folders as `flask-fix --check PATHS` does; nothing is written.

    `select`/`ignore`/`unsafe` layer over the configuration as the command-line flags do
    (`unsafe=None`: as configured). `config`: a configuration file; None finds the nearest
    pyproject.toml with a [tool.flask-fix] table, as the command does. `shard`: "2/4".
    `cache_dir`: keep a cache there (flask_fix.run.cache); None: no cache. Raises ValueError
    for an unknown rule code or a bad shard, `flask_fix.config.ConfigError` for a bad
    configuration.
    """
    from .version import __version__

    names = [os.fspath(p) for p in paths] or ["."]
    select, ignore = tuple(c.upper() for c in select), tuple(c.upper() for c in ignore)
    unknown = unknown_codes(select + ignore)
    if unknown:
        raise ValueError(f"unknown rule code or prefix: {', '.join(unknown)}")
    found = load_config(os.fspath(config)) if config is not None else find_config(names)

    def settings_from(found: FileConfig | None) -> Settings:
        options = merge(found, select=select, ignore=ignore, unsafe_fixes=unsafe, exclude=())
        return Settings(
            select=options.select,
            ignore=options.ignore,
            unsafe_fixes=options.unsafe_fixes,
            mode=Mode.CHECK,
            want_edits=True,
            jobs=jobs,
            exclude=options.exclude,
            exclude_root=options.exclude_root,
            per_file_ignores=options.per_file_ignores,
            target_flask_version=options.target_flask_version,
        )

    settings = settings_from(found)
    parsed_shard = Shard.parse(shard) if shard is not None else None
    files = select_files(
        names,
        exclude=settings.exclude,
        other_names=settings.text_file_patterns(),
        anchor=settings.exclude_root,
        shard=parsed_shard,
    )
    if config is None:  # each project follows its own nearest configuration
        settings, files = with_project_configs(
            names, settings, files, found, settings_from, (), parsed_shard
        )
    cache = None
    if cache_dir is not None:
        cache = RunCache(cache_folder(names, os.fspath(cache_dir)), **cache_keys(settings))
    tally = Tally()
    findings: list[Finding] = []
    errors = list(files.errors)
    for error in errors:
        tally.add_error(error)
    for result in run(files.files, settings, index_files=files.index_files, cache=cache):
        tally.add(result, writing=False)
        findings.extend(result.findings)
        if result.error is not None:
            errors.append(result.error)
    if cache is not None:
        cache.save()
    return CheckReport(__version__, len(files.files), findings, errors, tally.exit_code())
