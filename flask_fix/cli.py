"""The `flask-fix` command: argument parsing and output only."""

from __future__ import annotations

import json
import signal
import sys
from contextlib import nullcontext
from typing import TYPE_CHECKING

import click

from .version import __version__
from .config import ConfigError, FileConfig, find_config, load_config, merge
from .output.formats import FORMATS, FORMATS_WITH_EDITS, file_lines, render, source_lines
from .model import ErrorKind, FileError
from .output.report import Tally, rule_statistics, statistics_lines, text_lines
from .meta.ruleinfo import all_rules, rule_by_code, unknown_codes
from .run.projectconfig import with_project_configs
from .run.selection import FileSelection, Shard, select_files
from .run.cache import ENVIRONMENT_VARIABLE, FOLDER_NAME, RunCache, cache_folder

if TYPE_CHECKING:
    from .output.interactive import Review
from .run.settings import Mode, Settings, cache_keys
from .run.start import run

#: show a progress bar only when there is enough work for one to be worth seeing
PROGRESS_MIN_FILES = 200


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--diff", "diff", is_flag=True, help="Write nothing; print a unified diff.")
@click.option("--check", "check", is_flag=True, help="Write nothing; list every finding.")
@click.option(
    "--unsafe-fixes/--no-unsafe-fixes",
    default=None,
    help="Also apply fixes marked unsafe (overrides the configuration file).",
)
@click.option("--select", multiple=True, help="Rule codes or prefixes to run (FLK1, FLK101).")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to skip.")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
@click.option(
    "--output-format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="json: the contract for bots; sarif: SARIF 2.1.0 (code scanning); github: "
    "workflow-command annotations; rdjson: reviewdog's format (suggested changes).",
)
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (0: one per core).")
@click.option("-q", "--quiet", is_flag=True, help="Print only findings and errors.")
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    help="Read [tool.flask-fix] from FILE instead of the nearest pyproject.toml.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print how many findings each rule has (and how many it can fix), not the findings.",
)
@click.option(
    "--shard",
    metavar="I/N",
    help="Report on shard I of N of the files (split by a hash of their paths); every "
    "shard still indexes the whole project.",
)
@click.option(
    "--interactive",
    is_flag=True,
    help="Show each hunk of the patch and write only those you accept (y/n/a/q/?).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--cache-dir",
    metavar="DIR",
    help=f"Keep the cache in DIR (default: ${ENVIRONMENT_VARIABLE}, else "
    f"{FOLDER_NAME} in the project root).",
)
@click.version_option(__version__, prog_name="flask-fix")
def main(
    paths: tuple[str, ...],
    diff: bool,
    check: bool,
    unsafe_fixes: bool | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...],
    list_rules: bool,
    explain: str | None,
    output_format: str,
    jobs: int,
    quiet: bool,
    config_file: str | None,
    statistics: bool,
    shard: str | None,
    interactive: bool,
    no_cache: bool,
    cache_dir: str | None,
) -> None:
    """Find Flask mistakes and fix the ones that can be fixed soundly.

    PATHS are files or folders (default: the current folder); `-` reads code from
    standard input and writes the fixed code to standard output.
    """
    if list_rules:
        for rule in all_rules():
            click.echo(f"{rule.code}  {rule.name:<28} {rule.fix_level.value:<9} {rule.summary}")
        sys.exit(0)
    if explain:
        rule = rule_by_code(explain)
        if rule is None:
            _fail(f"unknown rule code: {explain}")
        click.echo(f"{rule.code} {rule.name} (fix: {rule.fix_level.value})\n")
        click.echo(rule.documentation())
        sys.exit(0)
    if diff and check:
        _fail("--diff and --check cannot be combined")
    if interactive:
        _check_interactive(diff or check, output_format, statistics, paths)
    select, ignore = _codes(select), _codes(ignore)
    unknown = unknown_codes(select + ignore)
    if unknown:
        _fail(f"unknown rule code or prefix: {', '.join(unknown)}")
    try:
        config = load_config(config_file) if config_file else find_config(paths or (".",))
    except ConfigError as exc:
        _fail(str(exc))
    # --interactive computes the patch as --diff does, then writes the accepted hunks
    mode = Mode.DIFF if diff or interactive else Mode.CHECK if check else Mode.FIX

    def settings_from(found: FileConfig | None) -> Settings:
        """The settings a configuration gives, the command line layered over it."""
        options = merge(
            found, select=select, ignore=ignore, unsafe_fixes=unsafe_fixes, exclude=tuple(exclude)
        )
        return Settings(
            select=options.select,
            ignore=options.ignore,
            unsafe_fixes=options.unsafe_fixes,
            mode=mode,
            want_edits=output_format in FORMATS_WITH_EDITS,
            jobs=jobs,
            exclude=options.exclude,
            exclude_root=options.exclude_root,
            per_file_ignores=options.per_file_ignores,
            target_flask_version=options.target_flask_version,
        )

    settings = settings_from(config)
    if statistics and output_format not in ("text", "json"):
        _fail("--statistics prints text or json, not " + output_format)
    parsed_shard = None
    if shard is not None:
        try:
            parsed_shard = Shard.parse(shard)
        except ValueError as exc:
            _fail(str(exc))
    if paths == ("-",):
        sys.exit(_run_stdin(settings, output_format))
    if "-" in paths:
        _fail("`-` (standard input) cannot be combined with other paths")
    # SIGTERM unwinds like Ctrl-C: workers are stopped, temporary files removed
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        files = _files(paths or (".",), settings, parsed_shard)
        if not config_file:  # each project follows its own nearest configuration
            try:
                settings, files = with_project_configs(
                    paths or (".",), settings, files, config, settings_from, tuple(exclude),
                    parsed_shard,
                )  # fmt: skip
            except ConfigError as exc:
                _fail(str(exc))
        cache = None if no_cache else _open_cache(paths or (".",), settings, cache_dir)
        review = _review() if interactive else None
        code = _run_paths(files, settings, output_format, quiet, cache, statistics, review)
    except KeyboardInterrupt:
        click.echo("flask-fix: interrupted; every file is either untouched or fully fixed", err=True)
        code = 130
    sys.exit(code)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _check_interactive(
    other_mode: bool, output_format: str, statistics: bool, paths: tuple[str, ...]
) -> None:
    if other_mode:
        _fail("--interactive cannot be combined with --diff or --check")
    if output_format != "text" or statistics:
        _fail("--interactive shows the patch as text: drop --output-format and --statistics")
    if "-" in paths:
        _fail("--interactive cannot review code read from standard input")
    if not sys.stdin.isatty():
        _fail(
            "--interactive asks about each hunk on a terminal, and standard input is not "
            "one; use --diff to review the patch, then apply it"
        )


def _review() -> Review:
    from .output.interactive import Review

    return Review(ask=_ask, show=click.echo)


def _ask(question: str) -> str:
    click.echo(question, nl=False)
    line = sys.stdin.readline()
    return line if line else "q"  # end of input: stop asking, apply nothing more


def _fail(message: str) -> None:
    click.echo(f"flask-fix: error: {message}", err=True)
    sys.exit(2)


def _open_cache(paths: tuple[str, ...], settings: Settings, option: str | None) -> RunCache:
    return RunCache(cache_folder(paths, option), **cache_keys(settings))


def _files(paths: tuple[str, ...], settings: Settings, shard: Shard | None) -> FileSelection:
    return select_files(
        paths,
        exclude=settings.exclude,
        other_names=settings.text_file_patterns(),
        anchor=settings.exclude_root,
        shard=shard,
    )


def _run_paths(
    files: FileSelection,
    settings: Settings,
    output_format: str,
    quiet: bool,
    cache: RunCache | None = None,
    statistics: bool = False,
    review: Review | None = None,
) -> int:
    writing = settings.mode is Mode.FIX
    tally = Tally()
    index_files = files.index_files
    for error in files.errors:
        tally.add_error(error)
    findings, errors = [], list(files.errors)
    stdout = sys.stdout.buffer
    # with --statistics, findings are counted, not listed
    as_text = output_format == "text" and not statistics
    if output_format == "text":
        for error in files.errors:
            click.echo(error.describe(), err=True)
    to_scan = len(files.files) + len(index_files)
    show_progress = (
        not quiet and review is None and sys.stderr.isatty() and to_scan >= PROGRESS_MIN_FILES
    )
    progress = (
        click.progressbar(length=to_scan, label="flask-fix", file=sys.stderr)
        if show_progress
        else nullcontext()
    )
    with progress as bar:
        on_scanned = bar.update if show_progress else None
        results = run(
            files.files, settings, on_scanned=on_scanned, index_files=index_files, cache=cache
        )
        for result in results:
            tally.add(result, writing)
            if not as_text:
                findings.extend(result.remaining if writing else result.findings)
                if result.error:
                    errors.append(result.error)
                    if output_format == "text":
                        click.echo(result.error.describe(), err=True)
                continue
            if review is not None:
                problem = review.review(result.path, result.diff) if result.diff else None
                if problem is not None:
                    error = FileError(result.path, ErrorKind.INTERNAL, problem)
                    tally.add_error(error)
                    click.echo(error.describe(), err=True)
                if result.error is not None:
                    click.echo(result.error.describe(), err=True)
                continue
            if result.diff:
                stdout.write(result.diff)
                stdout.flush()
            # in --diff mode stdout carries only the patch
            to_stderr = result.error is not None or settings.mode is Mode.DIFF
            for line in text_lines(result, writing, settings.unsafe_fixes):
                click.echo(line, err=to_stderr)
    if cache is not None:
        cache.save()
    if statistics:
        counts = rule_statistics(findings, settings.unsafe_fixes)
        if output_format == "json":
            click.echo(json.dumps([c.as_json() for c in counts], indent=2))
        else:
            for line in statistics_lines(counts):
                click.echo(line)
    elif not as_text:
        output = render(output_format, __version__, len(files.files), findings, errors, file_lines)
        click.echo(output, nl=False)
    if review is not None:
        click.echo(review.summary(), err=True)
    elif not quiet:
        click.echo(tally.summary(writing), err=True)
    if tally.stopped is not None:
        files = "file" if tally.unfinished == 1 else "files"
        click.echo(
            f"flask-fix: error: the run stopped: {tally.stopped}; "
            f"{tally.unfinished} {files} not finished, each named above",
            err=True,
        )
    return tally.exit_code(diff_only=settings.mode is Mode.DIFF and review is None)


def _run_stdin(settings: Settings, output_format: str) -> int:
    from .output.textdiff import unified_diff
    from .run.runner import fix_stdin

    source = sys.stdin.buffer.read()
    new_source, result = fix_stdin(source, settings)
    tally = Tally()
    tally.add(result, settings.mode is Mode.FIX)
    if output_format != "text":
        findings = result.remaining if settings.mode is Mode.FIX else result.findings
        errors = [result.error] if result.error else []
        lines = source_lines(new_source if settings.mode is Mode.FIX else source)
        output = render(output_format, __version__, 1, findings, errors, lambda _: lines)
        click.echo(output, nl=False)
        return tally.exit_code(diff_only=settings.mode is Mode.DIFF)
    stdout = sys.stdout.buffer
    if settings.mode is Mode.FIX:
        stdout.write(new_source)
    elif settings.mode is Mode.DIFF and result.changed:
        stdout.write(unified_diff(source, new_source, "-"))
    to_stderr = settings.mode is not Mode.CHECK or result.error is not None
    for line in text_lines(result, settings.mode is Mode.FIX, settings.unsafe_fixes):
        click.echo(line, err=to_stderr)
    return tally.exit_code(diff_only=settings.mode is Mode.DIFF)
