"""Which route serves a URL written in code: Werkzeug's rule syntax, without Werkzeug.

`resolve_redirect` answers FLK102's question: is `redirect('/users/5?tab=posts')` (or an
f-string, `%`, `+` or `.format` URL) served by exactly one route of the project, and which
`url_for` arguments would build the same URL? Dynamic pieces of the URL arrive as `Hole`s;
each may stand for one whole rule variable.

Rules become regular expressions in which every variable also accepts a sentinel standing
for a hole (`\\x00<n>\\x00`), and in which no converter can match part of a sentinel; the
written URL, holes replaced by sentinels, must match the whole rule.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import keyword
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import TOO_DEEP_ERRORS
from .project import ProjectIndex
from .facts import Route

# characters a query key or value, or a fragment, may hold for url_for to write it unchanged
_PLAIN = re.compile(r"[A-Za-z0-9._~-]*")
# characters a literal path may hold for url_for to write it unchanged (Werkzeug quotes
# everything else, and a '%' in a literal would be encoded a second time)
_PATH_SAFE = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@/-]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HOLE = r"\x00\d+\x00"

# Werkzeug's rule syntax: <name>, <converter:name>, <converter(arguments):name>
_VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<arguments>.*?)\))?:)?"
    r"(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)
_CONVERTER_ARGUMENT = re.compile(
    r"""\s*(?:(?P<key>\w+)\s*=\s*)?
    (?P<value>[urUR]?"[^"]*"|[urUR]?'[^']*'|[\w.]+)\s*(?:,|$)""",
    re.VERBOSE,
)
# positional parameters of Werkzeug's converters, in order
_CONVERTER_PARAMETERS = {
    "default": ("minlength", "maxlength", "length"),
    "string": ("minlength", "maxlength", "length"),
    "int": ("fixed_digits", "min", "max", "signed"),
    "float": ("min", "max", "signed"),
    "path": (),
    "uuid": (),
}
_UUID = r"[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"


@dataclass(frozen=True)
class Hole:
    """A dynamic piece of a URL built in code: f'/u/{x}', '/u/%s' % x, '/u/' + x, ..."""

    index: int  # which expression (caller's numbering)


Value = str | int | float | Hole


@dataclass
class Resolution:
    status: str  # 'unique' | 'none' | 'ambiguous' | 'unsupported'
    reason: str = ""  # a sentence for the report
    route: Route | None = None
    # url_for keyword arguments: rule variables, query parameters, `_anchor`
    values: dict[str, Value] = field(default_factory=dict)
    candidates: list[str] = field(default_factory=list)  # nearest or competing routes
    # converter of each rule variable of `route` ('default', 'int', 'path', ...): a hole
    # bound to a converter that validates on build (int, float, any, uuid) may raise in
    # url_for where the literal URL gave a 404
    converters: dict[str, str] = field(default_factory=dict)


def resolve_redirect(
    index: ProjectIndex, pieces: Sequence[str | Hole], apps: frozenset[str] | None = None
) -> Resolution:
    """The route of the project a redirect to `pieces` lands on, and url_for's arguments;
    with `apps` (qualified names), among the routes those apps may serve only."""
    if not pieces or not isinstance(pieces[0], str):
        return Resolution("unsupported", "the URL does not start with literal text")
    start = pieces[0]
    if start.startswith("//") or _SCHEME.match(start) or not start.startswith("/"):
        return Resolution("unsupported", "an external or relative URL")

    holes: dict[str, Hole] = {}
    text_parts = []
    for piece in pieces:
        if isinstance(piece, Hole):
            sentinel = f"\x00{len(holes)}\x00"
            holes[sentinel] = piece
            text_parts.append(sentinel)
        elif "\x00" in piece:
            return Resolution("unsupported", "the URL holds a NUL character")
        else:
            text_parts.append(piece)
    text = "".join(text_parts)
    text, _, fragment = text.partition("#")
    path, has_query, query = text.partition("?")

    problem = _check_plain("fragment", fragment)
    if problem:
        return Resolution("unsupported", problem)
    query_values, problem = _parse_query(query) if has_query else ({}, None)
    if problem:
        return Resolution("unsupported", problem)
    if not _PATH_SAFE.fullmatch(re.sub(_HOLE, "", path)):
        return Resolution("unsupported", "the path holds characters url_for would percent-encode")
    resolution = _router(index, apps).resolve(path, holes, query_values, fragment)
    if resolution.status == "unique" and index.unindexed_route_modules:
        unknown = ", ".join(index.unindexed_route_modules[:3])
        return Resolution(
            "ambiguous",
            f"{resolution.reason}, but the routes of {unknown} are unknown (syntax newer "
            "than the Python running flask-fix)",
            route=resolution.route,
            candidates=[_describe(resolution.route)],
        )
    return resolution


def _check_plain(what: str, text: str) -> str | None:
    if "\x00" in text:
        return f"the {what} is built at run time; url_for would encode it differently"
    if not _PLAIN.fullmatch(text):
        return f"the {what} {text!r} holds characters url_for would encode differently"
    return None


def _parse_query(query: str) -> tuple[dict[str, str], str | None]:
    if "\x00" in query:
        return {}, "a query value is built at run time; url_for would encode it differently"
    values: dict[str, str] = {}
    for item in query.split("&"):
        if not item:
            continue
        key, _, value = item.partition("=")
        problem = _check_plain("query parameter", key) or _check_plain("query value", value)
        if problem:
            return {}, problem
        if not key.isidentifier() or keyword.iskeyword(key):
            return {}, f"the query parameter {key!r} is not a Python identifier"
        if key.startswith("_") or key == "endpoint":
            return {}, f"the query parameter {key!r} clashes with url_for's own arguments"
        if key in values:
            return {}, f"the query parameter {key!r} is repeated"
        values[key] = value
    return values, None


# --- rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Variable:
    name: str
    converter: str
    # what a number converter checks besides its regex: fixed_digits, min, max
    checks: tuple[tuple[str, int | float | None], ...] = ()

    def convert(self, text: str) -> Value | None:
        """The value url_for takes for a literal the regex matched; None when the
        converter rejects it (Werkzeug's to_python raises ValidationError)."""
        if self.converter not in ("int", "float"):
            return text
        options = dict(self.checks)
        number = int(text) if self.converter == "int" else float(text)
        fixed_digits = options.get("fixed_digits")
        if fixed_digits and len(text) != fixed_digits:
            return None
        low, high = options.get("min"), options.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            return None
        return number


@dataclass(frozen=True)
class _CompiledRule:
    route: Route
    pattern: re.Pattern[str]
    variables: tuple[_Variable, ...]
    static: bool  # no variables, hence Werkzeug prefers it to any rule that has some
    # the rule is only partly known (url None: a prefix is unknown; a custom converter):
    # the pattern is a lenient approximation, good to say "might match", never "matches"
    lenient: bool


def _parse_arguments(text: str) -> tuple[list[object], dict[str, object]] | None:
    """Werkzeug's converter argument syntax: `length=2`, `'a', 'b'`, `signed=True`."""
    positional: list[object] = []
    named: dict[str, object] = {}
    position = 0
    while position < len(text):
        match = _CONVERTER_ARGUMENT.match(text, position)
        if match is None:
            return None
        raw = match["value"]
        value: object
        if raw[-1:] in "\"'":
            value = raw.lstrip("urUR")[1:-1]
        elif raw in ("True", "False", "None"):
            value = {"True": True, "False": False, "None": None}[raw]
        else:
            value = raw
            for number in (int, float):
                try:
                    value = number(raw)
                    break
                except ValueError:
                    pass
        if match["key"]:
            named[match["key"]] = value
        else:
            positional.append(value)
        position = match.end()
    return positional, named


def _converter_regex(converter: str, arguments: str | None) -> tuple[str, tuple] | None:
    """The regex of a converter (never matching part of a hole sentinel) and the checks
    its to_python makes; None for a converter or arguments we do not know."""
    parsed = _parse_arguments(arguments or "")
    if parsed is None:
        return None
    positional, named = parsed
    if converter == "any":
        if named or not positional:
            return None
        return "(?:" + "|".join(re.escape(str(item)) for item in positional) + ")", ()
    parameters = _CONVERTER_PARAMETERS.get(converter)
    if parameters is None or len(positional) > len(parameters):
        return None
    options = dict(zip(parameters, positional))
    if set(named) - set(parameters) or set(named) & set(options):
        return None
    options.update(named)
    if not all(isinstance(value, (int, float, type(None))) for value in options.values()):
        return None
    if converter in ("default", "string"):
        length, low, high = (options.get(k) for k in ("length", "minlength", "maxlength"))
        if length is not None:
            return f"[^/\\x00]{{{int(length)}}}", ()
        if low is None and "minlength" in options:
            return None  # Werkzeug fails on it
        return f"[^/\\x00]{{{int(low or 1)},{'' if high is None else int(high)}}}", ()
    if converter == "path":
        return "[^/\\x00][^\\x00]*?", ()
    if converter == "uuid":
        return _UUID, ()
    number = r"\d+" if converter == "int" else r"\d+\.\d+"
    sign = "-?" if options.pop("signed", False) else ""
    return sign + number, tuple(sorted(options.items()))


def _compile_rule(route: Route) -> _CompiledRule | None:
    """None for a malformed rule (Flask would refuse it at start-up)."""
    if not route.rule_known:
        return _CompiledRule(route, re.compile(r"(?s).*"), (), False, True)
    known = route.url is not None
    # with an unknown prefix P, Flask serves P.rstrip('/') + '/' + rule.lstrip('/')
    rule = route.url if known else route.rule.lstrip("/")
    lenient = not known
    regex: list[str] = [] if known else ([r"(?s).*"] if not rule else [r"(?s:.*)/"])
    variables: list[_Variable] = []
    position = 0
    for match in _VARIABLE.finditer(rule):
        static = rule[position : match.start()]
        if "<" in static:
            return None
        regex.append(re.escape(static))
        converter = match["converter"] or "default"
        compiled = _converter_regex(converter, match["arguments"])
        if compiled is None:
            lenient = True
            converter_regex, checks = "[^\\x00]*?", ()
        else:
            converter_regex, checks = compiled
        regex.append(f"(?P<v{len(variables)}>{_HOLE}|{converter_regex})")
        variables.append(_Variable(match["name"], converter, checks))
        position = match.end()
    if "<" in rule[position:]:
        return None
    regex.append(re.escape(rule[position:]))
    names = [variable.name for variable in variables]
    if len(set(names)) != len(names):
        return None
    return _CompiledRule(
        route, re.compile("".join(regex)), tuple(variables), not variables, lenient
    )


@dataclass(frozen=True)
class _Match:
    rule: _CompiledRule
    values: dict[str, Value]
    exact: bool  # the path itself, not the one with its final slash added or removed


def _match(rule: _CompiledRule, path: str, holes: dict[str, Hole]) -> _Match | None:
    url = rule.route.url or rule.route.rule
    attempts = [(path, True)]
    if rule.lenient:
        attempts += [(path + "/", False), (path[:-1], False)]
    elif url.endswith("/") and not path.endswith("/"):
        # Werkzeug redirects to the rule with the slash (strict_slashes), or serves it
        attempts.append((path + "/", False))
    elif not rule.route.strict_slashes and path.endswith("/") and not url.endswith("/"):
        attempts.append((path[:-1], False))
    for candidate, exact in attempts:
        found = rule.pattern.fullmatch(candidate)
        if found is None:
            continue
        values: dict[str, Value] = {}
        for number, variable in enumerate(rule.variables):
            text = found[f"v{number}"]
            value = holes[text] if text in holes else variable.convert(text)
            if value is None:
                break
            values[variable.name] = value
        else:
            return _Match(rule, values, exact)
    return None


class _Router:
    """The project's GET rules, compiled once per index.

    Only GET rules matter for building too: url_for (method None) first tries the
    endpoint's rules that allow GET, in registration order (MapAdapter._partial_build).
    """

    def __init__(self, routes: list[Route]) -> None:
        self.rules: list[_CompiledRule] = []
        self.other_methods: list[_CompiledRule] = []  # rules without GET, for messages
        self.by_endpoint: dict[tuple[str | None, str], list[_CompiledRule]] = defaultdict(list)
        # for a rule that is not a literal (`org_scoped_rule('/login')`), the rules written
        # inside it, each compiled as the whole rule and as the end of one: which route a
        # message names first (never whether to rewrite)
        self.written_inside: dict[int, tuple[tuple[_CompiledRule, ...], ...]] = {}
        for route in sorted(routes, key=lambda route: route.order):
            compiled = _compile_rule(route)
            if compiled is None:
                continue
            if not route.rule_known:
                self.written_inside[id(compiled)] = _rules_written_inside(route)
            if route.methods and "GET" not in route.methods:
                self.other_methods.append(compiled)  # a redirect is followed with GET
                continue
            self.rules.append(compiled)
            if route.endpoint is not None:
                self.by_endpoint[route.app, route.endpoint].append(compiled)

    def resolve(
        self, path: str, holes: dict[str, Hole], query: dict[str, str], fragment: str
    ) -> Resolution:
        matches = [m for rule in self.rules if (m := _match(rule, path, holes))]
        if not matches:
            written = _display(path, holes)
            reason = f"no route of the project serves GET {written}"
            if any(_match(rule, path, holes) for rule in self.other_methods):
                reason += " (a route serves it for other methods only)"
            return Resolution("none", reason, candidates=self.nearest(written))
        if not holes:
            # Werkzeug tries static path parts first: a rule without variables matching
            # the path as written wins over every rule with variables
            static = [m for m in matches if m.rule.static and m.exact and not m.rule.lenient]
            if static:
                matches = static + [m for m in matches if m.rule.lenient]
        # for messages: the routes most likely to serve the URL first
        closeness = {id(m): self.closeness(m, path, holes) for m in matches}
        ranked = sorted(matches, key=lambda m: closeness[id(m)])
        competitors = [_describe(m.rule.route) for m in ranked]
        uncertain = [m for m in ranked if not _is_definite(m.rule)]
        if uncertain:
            named = uncertain[0]
            route, why = named.rule.route, _why_uncertain(named.rule.route)
            if named is not ranked[0]:
                reason = f"{_describe(route)} may also serve this URL ({why})"
            elif closeness[id(named)][0] == _SERVES:
                reason = f"{_describe(route)} would serve this URL, but {why}"
            else:
                reason = f"{_describe(route)} may serve this URL ({why})"
            return Resolution("ambiguous", reason, candidates=competitors)
        # the same URL and endpoint in several apps: url_for builds it alike in each
        served = {(m.rule.route.url, m.rule.route.endpoint) for m in matches}
        if len(served) > 1:
            return Resolution(
                "ambiguous", f"{len(served)} routes serve this URL", candidates=competitors
            )
        chosen = matches[0]
        route = chosen.rule.route
        converters = {variable.name: variable.converter for variable in chosen.rule.variables}
        values: dict[str, Value] = dict(chosen.values)
        for name in values:
            if keyword.iskeyword(name) or name == "endpoint" or name.startswith("_"):
                return Resolution(
                    "unsupported",
                    f"the rule variable {name!r} cannot be passed to url_for as a keyword",
                    route=route,
                )
        for name in query:
            if name in values:
                return Resolution(
                    "unsupported",
                    f"the query parameter {name!r} clashes with a variable of {route.url}",
                    route=route,
                )
        values.update(query)
        if fragment:
            values["_anchor"] = fragment
        for match in matches:
            problem = self.build_problem(match.rule, set(values) - {"_anchor"})
            if problem:
                return Resolution("ambiguous", problem, route=route, candidates=competitors)
        return Resolution(
            "unique",
            f"served by {_describe(route)}",
            route=route,
            values=values,
            converters=converters,
        )

    def build_problem(self, rule: _CompiledRule, keys: set[str]) -> str | None:
        """Why url_for(endpoint, **values) might not build this rule, or None."""
        route = rule.route
        if route.has_defaults:
            return f"{_describe(route)} has default values; url_for may build another URL"
        for earlier in self.by_endpoint.get((route.app, route.endpoint), ()):
            if earlier.route.order >= route.order:
                break
            if earlier.lenient or earlier.route.has_defaults:
                return (
                    f"endpoint {route.endpoint!r} has another rule, {_describe(earlier.route)}, "
                    "which url_for may build instead"
                )
            if {variable.name for variable in earlier.variables} <= keys:
                return (
                    f"url_for({route.endpoint!r}) builds {earlier.route.url}, the endpoint's "
                    f"first rule, not {route.url}"
                )
        return None

    def closeness(self, match: _Match, path: str, holes: dict[str, Hole]) -> tuple[int, ...]:
        """How likely a matching rule is to serve the URL, lowest first: a rule known in
        full that matches as written, then with its final slash changed, one with an
        unknown prefix or converter, one computed from a rule written inside it that
        matches, one with nothing written inside, one whose rules written inside do not
        match. Then: matching as written before matching with the final slash changed,
        static rules before rules with variables (Werkzeug prefers them); among rules
        written inside, the one with the most literal text (`/invite/<token>` before
        `/<path:path>`), as the whole rule before after an unknown prefix."""
        rule = match.rule
        if rule.route.rule_known:
            if not rule.lenient:
                return (_SERVES if match.exact else _SERVES_WITH_SLASH), int(not rule.static)
            return _PARTLY_KNOWN, int(not match.exact), int(not rule.static)
        written = self.written_inside.get(id(rule), ())
        fitting = [
            (-_literal_length(compiled), int(after_prefix), int(not found.exact))
            for inner in written
            for after_prefix, compiled in enumerate(inner)
            if (found := _match(compiled, path, holes))
        ]
        if fitting:
            return _WRITTEN_INSIDE_FITS, *min(fitting)
        return (_NOTHING_WRITTEN if not written else _WRITTEN_INSIDE_DIFFERS), 1, 1, 1

    def nearest(self, written: str) -> list[str]:
        described = {}
        for rule in self.rules:
            if rule.route.url is not None:
                described.setdefault(rule.route.url, _describe(rule.route))
        close = difflib.get_close_matches(written, list(described), n=3, cutoff=0.4)
        return [described[url] for url in close]


# how likely a matching rule is to serve a URL (see `_Router.closeness`)
_SERVES, _SERVES_WITH_SLASH, _PARTLY_KNOWN = 0, 1, 2
_WRITTEN_INSIDE_FITS, _NOTHING_WRITTEN, _WRITTEN_INSIDE_DIFFERS = 3, 4, 5


def _rules_written_inside(route: Route) -> tuple[tuple[_CompiledRule, ...], ...]:
    """The string literals starting with '/' in a rule that is not a literal
    (`org_scoped_rule('/invite/<token>')`), each compiled as the whole rule and as the end
    of a rule after an unknown prefix."""
    try:
        tree = ast.parse(route.rule, mode="eval")
    except (SyntaxError, ValueError, *TOO_DEEP_ERRORS):
        return ()
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if not node.value.startswith("/"):
            continue
        whole = dataclasses.replace(route, rule=node.value, url=node.value, rule_known=True)
        ending = dataclasses.replace(whole, url=None)
        compiled = [c for c in (_compile_rule(whole), _compile_rule(ending)) if c is not None]
        if len(compiled) == 2:
            found.append(tuple(compiled))
    return tuple(found)


def _literal_length(rule: _CompiledRule) -> int:
    """How much of a rule is literal text: the more, the more specific the rule."""
    return len(_VARIABLE.sub("", rule.route.rule))


def _is_definite(rule: _CompiledRule) -> bool:
    route = rule.route
    return (
        not rule.lenient and route.certain and route.url is not None and route.endpoint is not None
    )


def _why_uncertain(route: Route) -> str:
    if not route.rule_known:
        return "its rule is not a literal"
    if route.url is None:
        return "its URL prefix is not a literal"
    if route.endpoint is None:
        return "its endpoint name is not a literal"
    if not route.certain:
        return "its blueprint, app or options could not be followed"
    return "its rule uses a converter we do not know"


def _describe(route: Route) -> str:
    return f"{route.url or route.rule} ({route.endpoint or 'unknown endpoint'})"


def _display(path: str, holes: dict[str, Hole]) -> str:
    for sentinel in holes:
        path = path.replace(sentinel, "{}")
    return path


def _router(index: ProjectIndex, apps: frozenset[str] | None = None) -> _Router:
    """The compiled rules of the project (`apps` None), or of the routes those apps may
    serve: theirs, and those whose app is unknown. Built once per index and app set."""
    routers = index.router
    if not isinstance(routers, dict):
        routers = index.router = {}
    if apps not in routers:
        routes = index.routes if apps is None else [r for r in index.routes if r.app in apps or r.app is None]
        routers[apps] = _Router(routes)
    return routers[apps]
