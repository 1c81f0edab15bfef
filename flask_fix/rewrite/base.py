"""The shared rule base: what every rule module declares and how it reports.

A rule is a LibCST `BatchableCSTVisitor`: the engine runs every selected rule in one
traversal of a module wrapped once in `MetadataWrapper`, resolving only the metadata the
selected rules declare. A rule never reads files or the command line; it sees the parsed
module, the read-only `ProjectIndex` and the file's path, and calls `report()`.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, ClassVar, Mapping, Union

import libcst as cst
from libcst.metadata import MetadataWrapper

from ..model import FixLevel
from ..index.project import ProjectIndex
from ..meta.ruleinfo import DOC_SECTIONS, doc_sections, documentation_of

if TYPE_CHECKING:
    from ..index.triage import TriageModule

#: (module, name, asname) as in ``from module import name as asname``; name None
#: means ``import module as asname``; asname None means no ``as``.
ImportSpec = tuple[str, Union[str, None], Union[str, None]]


@dataclass(frozen=True)
class Example:
    """Code a rule must rewrite (or only report) — turned into tests.

    `after` is the exact expected output; None means the code must be reported and left
    unchanged. `unsafe` runs the example with --unsafe-fixes.
    """

    before: str
    after: str | None = None
    unsafe: bool = False


@dataclass(frozen=True)
class RuleContext:
    path: str
    index: ProjectIndex
    # the module the rules are walking (names.reaching_assignments reads its statements)
    module: cst.Module | None = field(default=None, compare=False)


@dataclass
class Fix:
    """Node replacements plus the imports they need (added) or free (removed if unused)."""

    replacements: Mapping[cst.CSTNode, cst.CSTNode]
    add_imports: tuple[ImportSpec, ...] = ()
    remove_unused_imports: tuple[ImportSpec, ...] = ()


@dataclass
class Report:
    code: str
    name: str
    node: cst.CSTNode
    message: str
    fix_level: FixLevel
    fix: Fix | None = field(default=None)


class RuleDocs:
    """What every rule declares, whatever it reads.

    The class docstring holds the rule's documentation in the sections of DOC_SECTIONS
    (each a line of its own ending in a colon); `--explain` prints it and the README's
    rule table is generated from `code`, `name`, `fix_level` and `summary`. What runs
    before or without LibCST reads a generated copy of these (flask_fix.meta.ruleinfo).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    fix_level: ClassVar[FixLevel]
    summary: ClassVar[str]

    @classmethod
    def documentation(cls) -> str:
        return documentation_of(cls)

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """The docstring split into its named sections."""
        return doc_sections(cls.documentation())


#: rule class -> the names of its visitor methods (Rule.get_visitors)
_VISITOR_NAMES: dict[type, tuple[str, ...]] = {}


class Rule(RuleDocs, cst.BatchableCSTVisitor):
    """A rule over Python modules: a LibCST visitor run in the engine's one batched
    traversal; subclasses fill the class attributes below and call `report()`."""

    #: the file is parsed for this rule only if one of these byte strings occurs in it
    triggers: ClassVar[tuple[bytes, ...]]
    #: and, if not empty, the module must call something by one of these names (the
    #: last component: `dumps` for `json.dumps(...)`); checked on the stdlib ast
    called_names: ClassVar[frozenset[str]] = frozenset()
    #: and, if not empty, the module must import (anywhere in it) one of these top-level
    #: modules: the rule resolves names through imports, so without one it finds nothing
    required_imports: ClassVar[frozenset[str]] = frozenset()
    #: and each of these byte strings must occur: words any code the rule reports spells
    #: (`request` for a rule about Flask's request object, however it is imported)
    required_words: ClassVar[tuple[bytes, ...]] = ()
    #: code that must stay unchanged and produce no finding
    valid: ClassVar[tuple[str, ...]] = ()
    #: code that must be rewritten (or reported)
    invalid: ClassVar[tuple[Example, ...]] = ()
    #: the part of the rule that reads other files (FLK601 reads Procfiles and
    #: Dockerfiles too): a TextRule with the same code and name, not registered on its
    #: own; selecting, listing and documenting this rule covers it
    text_part: ClassVar[type[TextRule] | None] = None
    #: the part of the rule that rewrites other files across the project (FLK802's
    #: templates): a ProjectTransform with the same code and name, run with the project
    #: transforms, not registered on its own
    project_part: ClassVar[type[ProjectTransform] | None] = None

    # positions are the engine's business: it resolves them only for files with findings
    METADATA_DEPENDENCIES = ()

    def __init__(self, context: RuleContext) -> None:
        super().__init__()
        self.context = context
        self.reports: list[Report] = []

    @contextmanager
    def resolve(self, wrapper: MetadataWrapper) -> Iterator[None]:
        """The metadata this rule declares, each resolved on its first `get_metadata`
        (LibCST resolves them all before the traversal): a file where every rule's
        questions about names are answered without scope analysis
        (flask_fix.rewrite.names) never pays for ScopeProvider. The wrapper keeps what
        it resolved, so every rule of the traversal shares one resolution per file."""
        self.metadata = _LazyMetadata(wrapper, self.get_inherited_dependencies())
        try:
            yield
        finally:
            self.metadata = {}

    def get_visitors(self) -> Mapping[str, Callable]:
        """LibCST's answer (this rule's visit_ and leave_ methods), with the names looked
        up once per class: LibCST runs `inspect.getmembers` on every instance, for every
        file and pass, which cost about 5% of the fix phase."""
        names = _VISITOR_NAMES.get(type(self))
        if names is None:
            names = _VISITOR_NAMES[type(self)] = tuple(super().get_visitors())
        return {name: getattr(self, name) for name in names}

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        fix_level: FixLevel | None = None,
        fix: Fix | None = None,
    ) -> None:
        level = FixLevel.REPORT if fix is None else (fix_level or self.fix_level)
        self.reports.append(Report(self.code, self.name, node, message, level, fix))

    @classmethod
    def call_could_fire(cls, call: ast.Call) -> bool:
        """Stdlib-ast triage of one call named in `called_names`: False only when the
        rule surely finds nothing in it (a cheap look at its shape, no name resolution)."""
        return True

    @classmethod
    def module_could_fire(cls, module: TriageModule) -> bool:
        """Stdlib-ast triage of the whole module, once the cheaper checks passed: False
        only when the rule surely finds nothing in it (e.g. no `try` around a commit)."""
        return True

    @classmethod
    def could_fire_in(cls, path: str, index: ProjectIndex) -> bool:
        """Project-level triage, once the index is built: False only when the rule surely
        finds nothing in the module at `path` (e.g. a rule about views, and no views)."""
        return True


class _LazyMetadata(Mapping):
    """A rule's metadata by provider, resolved through `wrapper` when first read."""

    def __init__(self, wrapper: MetadataWrapper, providers: Collection[type]) -> None:
        self.wrapper = wrapper
        self.providers = providers

    def __contains__(self, provider: object) -> bool:
        return provider in self.providers

    def __getitem__(self, provider: type) -> Mapping[cst.CSTNode, object]:
        if provider not in self.providers:
            raise KeyError(provider)
        return self.wrapper.resolve(provider)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[type]:
        return iter(self.providers)

    def __len__(self) -> int:
        return len(self.providers)


@dataclass(frozen=True)
class TextFinding:
    """A finding of a text rule: 1-based line and columns (end exclusive)."""

    line: int
    column: int
    end_column: int
    message: str


@dataclass(frozen=True)
class TextExample:
    """A file a text rule must report on `lines` (1-based); none: must stay silent."""

    filename: str
    text: str
    lines: tuple[int, ...] = ()
    #: Python files of the project, (path, source), indexed for rules that need the index
    project: tuple[tuple[str, str], ...] = ()


class TextRule(RuleDocs):
    """A rule over files that are not Python (Procfile, Dockerfile, shell scripts):
    report only. It gets each file whose name matches `file_patterns` as text."""

    fix_level = FixLevel.REPORT
    #: fnmatch patterns on the file's name
    file_patterns: ClassVar[tuple[str, ...]]
    examples: ClassVar[tuple[TextExample, ...]] = ()
    #: True: `check` reads `self.index` (None outside a run), so the runner checks the
    #: file once the project is indexed rather than while scanning
    needs_index: ClassVar[bool] = False

    def __init__(self, index: ProjectIndex | None = None) -> None:
        self.index = index

    def check(self, path: str, text: str) -> list[TextFinding]:
        raise NotImplementedError


# --- project transforms ------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFinding:
    """A finding of a project transform, in one file of the project (1-based positions).

    `has_fix`: the transform rewrites what it found (at `fix_level`); False for a report,
    e.g. a project too irregular to convert, with the reason in `message`.
    """

    code: str
    name: str
    path: str
    line: int
    column: int
    message: str
    fix_level: FixLevel
    has_fix: bool = False
    end_line: int | None = None
    end_column: int | None = None


@dataclass
class TransformResult:
    """New text for every file a project transform changes (Python modules, templates),
    and its findings. Texts are given only when the context asked to apply."""

    new_texts: dict[str, bytes] = field(default_factory=dict)
    findings: list[ProjectFinding] = field(default_factory=list)


@dataclass(frozen=True)
class ProjectContext:
    """What a project transform sees: the index, and the files through `read` (the text
    as earlier transforms left it) and `files_under` (every file below a folder, for
    templates; empty when the folder does not exist). `apply` is False when the fix
    level does not apply (no --unsafe-fixes) or with --check: then report only;
    `fix_enabled` tells these two apart.

    `suppressed(code, path, line)`: whether the user turned `code` off there
    (`per-file-ignores`, `# flask-fix: skip-file`, or, when `line` is given, a `# noqa` /
    `# flask-fix: ignore[...]` comment on that line). A transform must neither report
    nor rewrite what is suppressed; when its rewrite cannot leave such a place alone, it
    reports why and changes nothing."""

    index: ProjectIndex
    read: Callable[[str], bytes]
    files_under: Callable[[str], list[str]]
    apply: bool
    suppressed: Callable[[str, str, int | None], bool] = lambda code, path, line=None: False
    #: False when the run could not apply the transform's fix even when writing (an
    #: unsafe fix without --unsafe-fixes): a report that costs little is enough
    fix_enabled: bool = True
    #: --unsafe-fixes: a transform whose fixes are safe or unsafe case by case (FLK802's
    #: templates, unsafe only past the project's pins) applies the unsafe ones only then
    unsafe_fixes: bool = False


@dataclass(frozen=True)
class ProjectExample:
    """A small project (path -> text) a transform must rewrite into `after` (every file
    of the project afterwards; files not listed must not exist), or, with `after` None,
    only report and leave unchanged. `unsafe`: run with --unsafe-fixes."""

    before: Mapping[str, str]
    after: Mapping[str, str] | None = None
    unsafe: bool = True


class ProjectTransform(RuleDocs):
    """A cross-module rewrite (the app factory): it receives the ProjectIndex once the
    scan phase built it, and returns new text for several files at once. The runner
    runs it in the parent process before the per-file phase; the files it changes then
    go through the per-file rules as rewritten (see flask_fix/run/transforms.py)."""

    #: projects that must stay unchanged and produce no finding of this rule
    valid: ClassVar[tuple[Mapping[str, str], ...]] = ()
    examples: ClassVar[tuple[ProjectExample, ...]] = ()

    @classmethod
    def could_fire(cls, index: ProjectIndex) -> bool:
        """False only when the transform surely finds nothing in this project."""
        return True

    def transform(self, context: ProjectContext) -> TransformResult:
        raise NotImplementedError
