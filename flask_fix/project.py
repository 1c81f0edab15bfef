"""ProjectIndex: what the whole project declares, gathered with the stdlib `ast`.

One pass over every candidate file (in the engine's worker pool) turns each module into
`ModuleFacts`; `ProjectIndex.build` then links them: which blueprint is registered on which
app with which prefix, hence every route's full URL and endpoint. User code is never
imported or run.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportedName:
    """`local` in a module refers to `module`.`name` (name None: the module itself)."""

    local: str
    module: str
    name: str | None


@dataclass(frozen=True)
class AppObject:
    path: str
    module: str
    variable: str
    line: int


@dataclass(frozen=True)
class BlueprintObject:
    path: str
    module: str
    variable: str
    name: str | None  # None when the name is not a literal
    url_prefix: str | None
    line: int


@dataclass(frozen=True)
class Route:
    rule: str  # as written: '/user/<int:id>'
    url: str | None  # full rule with prefixes; None when a prefix is unknown
    endpoint: str | None  # 'admin.user'; None when not a literal
    methods: frozenset[str]
    view: str | None  # qualified name of the view function in its module
    path: str
    line: int
    blueprint: str | None = None
    strict_slashes: bool = True
    has_defaults: bool = False
    # registration order within the project, used to tell which rule url_for builds
    order: int = 0


@dataclass
class ModuleFacts:
    """What one module declares; produced per file, in a worker, from its `ast`."""

    path: str
    module: str
    imports: list[ImportedName] = field(default_factory=list)
    apps: list[AppObject] = field(default_factory=list)
    blueprints: list[BlueprintObject] = field(default_factory=list)
    # raw, unlinked facts; ProjectIndex.build resolves them across modules
    raw: dict = field(default_factory=dict)


@dataclass
class ProjectIndex:
    modules: dict[str, str] = field(default_factory=dict)  # path -> dotted module name
    apps: list[AppObject] = field(default_factory=list)
    blueprints: list[BlueprintObject] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    views: frozenset[tuple[str, str]] = frozenset()  # (path, qualified function name)
    app_importers: dict[str, list[ImportedName]] = field(default_factory=dict)

    def is_view(self, path: str, qualname: str) -> bool:
        return (path, qualname) in self.views


def module_facts(path: str, module: str, tree: ast.Module) -> ModuleFacts:
    raise NotImplementedError


def build_index(facts: list[ModuleFacts]) -> ProjectIndex:
    raise NotImplementedError
