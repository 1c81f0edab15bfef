"""The removed APIs of the Flask stack, one row per old name: what replaces it, the release
that removed it and the release since which the replacement exists.

Data for the migration rules (FLK504, FLK7, FLK8), which import it. Every row was checked
against the releases themselves:
`bench/check_removed_apis.py` installs them in scratch folders under /tmp and asserts, per
row, that the old name works on the release before `removed_in` and fails on `removed_in`,
and that the new name works on `new_since` (and fails on the release before it, unless
`new_since` is the oldest release checked) and on today's release. `OLDEST_CHECKED` names,
per package, the oldest release checked (older ones were not tried); releases written
before Python 3.10 that import `collections.Mapping` & co. are imported with those names
put back, as the only way to look their names up on Python 3.11.

Names are written as they are imported: `werkzeug.secure_filename` is
`from werkzeug import secure_filename`, `werkzeug.contrib.fixers.ProxyFix` is
`from werkzeug.contrib.fixers import ProxyFix`. A row whose `kind` is ATTRIBUTE, CALL or
CONFIG names a use that is not an import (`Pagination = query.paginate(page, 20, False)`);
its spelling is descriptive and the bench checks it with its own snippet.

`level` says how a rule may apply the row:

- SAFE: the replacement exists on every release the old name worked on (as far back as
  `OLDEST_CHECKED`), so the rewrite is valid whatever the project pins;
- PINS: the replacement needs `new_since`; rewrite only when the project's requirements
  (or target version) allow nothing older, report otherwise;
- REPORT: no rewrite (no replacement, or one that behaves differently): the finding quotes
  `note`.

A replacement may itself be removed later (`werkzeug.url_quote` moved to
`werkzeug.urls.url_quote` in 0.15, which Werkzeug 3.0 removed): `final()` follows the chain.
"""

from __future__ import annotations

from dataclasses import dataclass

Release = tuple[int, ...]

# kinds
MOVED = "import-move"  # the same name under another module (`note` says if it differs)
RENAMED = "rename"  # another name (maybe in another module) does the same job
ATTRIBUTE = "attribute"  # an attribute or method of an object changed
CALL = "call"  # how a callable is called changed (positional -> keywords, ...)
CONFIG = "config"  # a configuration key
REMOVED = "removed"  # no replacement
KINDS = (MOVED, RENAMED, ATTRIBUTE, CALL, CONFIG, REMOVED)

# levels
SAFE, PINS, REPORT = "safe", "needs pins", "report"
LEVELS = (SAFE, PINS, REPORT)

#: the distribution that provides each top-level module named in the table
PACKAGES = {
    "flask": "flask",
    "werkzeug": "werkzeug",
    "jinja2": "jinja2",
    "markupsafe": "markupsafe",
    "itsdangerous": "itsdangerous",
    "flask_sqlalchemy": "flask-sqlalchemy",
    "sqlalchemy": "sqlalchemy",
    "flask_wtf": "flask-wtf",
    "wtforms": "wtforms",
    "wtforms_sqlalchemy": "wtforms-sqlalchemy",
    "flask_login": "flask-login",
    "flask_script": "flask-script",
    "flask_migrate": "flask-migrate",
    "flask_rq": "flask-rq",
    "cachelib": "cachelib",
    "flask_jwt_extended": "flask-jwt-extended",
    "flask_caching": "flask-caching",
}
#: replacements from the standard library (new_since is None for them)
STDLIB = frozenset({"urllib", "hmac", "html", "builtins"})

#: per package, the oldest release the bench checked: a `new_since` equal to it means
#: "at least since", the name may be older still
OLDEST_CHECKED: dict[str, Release] = {
    "flask": (0, 12, 5),
    "werkzeug": (0, 14, 1),
    "jinja2": (2, 11, 3),
    "markupsafe": (1, 1, 1),
    "itsdangerous": (0, 24),
    "flask-sqlalchemy": (2, 1),
    "sqlalchemy": (1, 3, 24),
    "flask-wtf": (0, 12),
    "wtforms": (2, 0),
    "flask-login": (0, 2, 11),
    "flask-script": (2, 0, 6),
    "flask-migrate": (2, 0, 0),
    "flask-rq": (0, 2),
    "cachelib": (0, 1),
    "wtforms-sqlalchemy": (0, 3),  # 0.1 and 0.2 import wtforms.compat (gone in WTForms 3)
    "flask-jwt-extended": (3, 25, 1),
    "flask-caching": (1, 9, 0),
}
#: the releases called "today" in RULES.md: every replacement exists on them
LATEST: dict[str, Release] = {
    "flask": (3, 1, 3),
    "werkzeug": (3, 1, 9),
    "jinja2": (3, 1, 6),
    "markupsafe": (3, 0, 3),
    "itsdangerous": (2, 2, 0),
    "flask-sqlalchemy": (3, 1, 1),
    "sqlalchemy": (2, 0, 44),
    "flask-wtf": (1, 2, 2),
    "wtforms": (3, 2, 1),
    "wtforms-sqlalchemy": (0, 4, 2),
    "flask-login": (0, 6, 3),
    "flask-migrate": (4, 1, 0),
    "flask-rq": (1, 0, 0),
    "cachelib": (0, 13, 0),
    "flask-jwt-extended": (4, 7, 4),
    "flask-caching": (2, 5, 1),
}


@dataclass(frozen=True)
class Removed:
    rule: str
    old: str
    new: str | None
    kind: str
    removed_in: tuple[str, Release]
    new_since: tuple[str, Release] | None
    level: str
    note: str = ""


def _w(old: str, new: str | None, kind: str, removed: Release, since: Release | None,
       level: str, note: str = "", rule: str = "FLK709") -> Removed:  # fmt: skip
    """A Werkzeug row."""
    return Removed(
        rule, old, new, kind, ("werkzeug", removed), None if since is None else
        ("werkzeug", since) if not new or new.split(".")[0] == "werkzeug" else
        (PACKAGES[new.split(".")[0]], since), level, note,
    )  # fmt: skip


# Werkzeug 0.15 and 0.16 still answered `from werkzeug import X` for these names (0.16
# warned: "The import 'werkzeug.X' is deprecated and will be removed in Werkzeug 1.0");
# 1.0 removed them. The module each came from, as 0.16 listed it.
WERKZEUG_TOP_LEVEL: dict[str, tuple[str, ...]] = {
    "datastructures": (
        "Accept", "Authorization", "CallbackDict", "CharsetAccept", "CombinedMultiDict",
        "EnvironHeaders", "ETags", "FileMultiDict", "FileStorage", "Headers", "HeaderSet",
        "ImmutableDict", "ImmutableList", "ImmutableMultiDict", "ImmutableOrderedMultiDict",
        "ImmutableTypeConversionDict", "LanguageAccept", "MIMEAccept", "MultiDict",
        "OrderedMultiDict", "RequestCacheControl", "ResponseCacheControl",
        "TypeConversionDict", "WWWAuthenticate",
    ),
    "debug": ("DebuggedApplication",),
    "exceptions": ("abort", "Aborter"),
    "formparser": ("parse_form_data",),
    "http": (
        "cookie_date", "dump_cookie", "dump_header", "dump_options_header", "generate_etag",
        "http_date", "HTTP_STATUS_CODES", "is_entity_header", "is_hop_by_hop_header",
        "is_resource_modified", "parse_accept_header", "parse_authorization_header",
        "parse_cache_control_header", "parse_cookie", "parse_date", "parse_dict_header",
        "parse_etags", "parse_list_header", "parse_options_header", "parse_set_header",
        "parse_www_authenticate_header", "quote_etag", "quote_header_value",
        "remove_entity_headers", "remove_hop_by_hop_headers", "unquote_etag",
        "unquote_header_value",
    ),
    "local": ("Local", "LocalManager", "LocalProxy", "LocalStack", "release_local"),
    "middleware.dispatcher": ("DispatcherMiddleware",),
    "middleware.shared_data": ("SharedDataMiddleware",),
    "security": ("check_password_hash", "generate_password_hash"),
    "test": ("create_environ", "EnvironBuilder", "run_wsgi_app"),
    "urls": (
        "Href", "iri_to_uri", "uri_to_iri", "url_decode", "url_encode", "url_fix", "url_quote",
        "url_quote_plus", "url_unquote", "url_unquote_plus",
    ),
    "useragents": ("UserAgent",),
    "utils": (
        "append_slash_redirect", "ArgumentValidationError", "bind_arguments",
        "cached_property", "environ_property", "escape", "find_modules", "format_string",
        "header_property", "html", "HTMLBuilder", "import_string", "redirect",
        "secure_filename", "unescape", "validate_arguments", "xhtml",
    ),
    "wrappers.accept": ("AcceptMixin",),
    "wrappers.auth": ("AuthorizationMixin", "WWWAuthenticateMixin"),
    "wrappers.base_request": ("BaseRequest",),
    "wrappers.base_response": ("BaseResponse",),
    "wrappers.common_descriptors": (
        "CommonRequestDescriptorsMixin", "CommonResponseDescriptorsMixin",
    ),
    "wrappers.etag": ("ETagRequestMixin", "ETagResponseMixin"),
    "wrappers.response": ("ResponseStreamMixin",),
    "wrappers.user_agent": ("UserAgentMixin",),
    "wsgi": (
        "ClosingIterator", "extract_path_info", "FileWrapper", "get_current_url", "get_host",
        "LimitedStream", "make_line_iter", "peek_path_info", "pop_path_info", "responder",
        "wrap_file",
    ),
}  # fmt: skip
#: the oldest checked release that has each module of WERKZEUG_TOP_LEVEL
_WERKZEUG_MODULE_SINCE = {
    "middleware.dispatcher": (0, 15),
    "middleware.shared_data": (0, 15),
    "wrappers.accept": (0, 15),
    "wrappers.auth": (0, 15),
    "wrappers.base_request": (0, 15),
    "wrappers.base_response": (0, 15),
    "wrappers.common_descriptors": (0, 15),
    "wrappers.etag": (0, 15),
    "wrappers.response": (0, 15),
    "wrappers.user_agent": (0, 15),
}


TOP_LEVEL = "Werkzeug 1.0 removed the top-level re-exports"


def _werkzeug_top_level() -> list[Removed]:
    rows = []
    for module, names in WERKZEUG_TOP_LEVEL.items():
        since = _WERKZEUG_MODULE_SINCE.get(module, OLDEST_CHECKED["werkzeug"])
        level = SAFE if since == OLDEST_CHECKED["werkzeug"] else PINS
        for name in names:
            new = f"werkzeug.{module}.{name}"
            rows.append(_w(f"werkzeug.{name}", new, MOVED, (1, 0), since, level, TOP_LEVEL))
    return rows


# Names that Werkzeug removed from the modules above after 1.0 (a top-level import of them
# goes through its row above, then one of these).
_URLS_REPLACEMENT = "urllib.parse"
WERKZEUG_LATER: list[Removed] = [
    _w("werkzeug.urls.url_quote", "urllib.parse.quote", RENAMED, (3, 0), None, REPORT,
       "quote(s, safe=\"/:$!'()*+,;\") quotes as Werkzeug 2.1-2.3 did (safe='/:' before)",
       rule="FLK708"),
    _w("werkzeug.urls.url_quote_plus", "urllib.parse.quote_plus", RENAMED, (3, 0), None,
       REPORT, "quote_plus(s, safe=\"$!'()*,;\") quotes as Werkzeug 2.1-2.3 did",
       rule="FLK708"),
    _w("werkzeug.urls.url_unquote", "urllib.parse.unquote", RENAMED, (3, 0), None, SAFE,
       "the same result for str", rule="FLK708"),
    _w("werkzeug.urls.url_unquote_plus", "urllib.parse.unquote_plus", RENAMED, (3, 0), None,
       REPORT, "unquote_plus rejects bytes, which url_unquote_plus took", rule="FLK708"),
    _w("werkzeug.urls.url_encode", "urllib.parse.urlencode", RENAMED, (3, 0), None, REPORT,
       "urlencode(pairs, doseq=True); url_encode dropped None values and took MultiDicts",
       rule="FLK708"),
    _w("werkzeug.urls.url_decode", "urllib.parse.parse_qsl", RENAMED, (3, 0), None, REPORT,
       "parse_qsl(s, keep_blank_values=True) in a MultiDict (url_decode returned one)",
       rule="FLK708"),
    _w("werkzeug.urls.url_parse", "urllib.parse.urlsplit", RENAMED, (3, 0), None, REPORT,
       "urlsplit's result has .hostname for .host, ._replace() for .replace()",
       rule="FLK708"),
    _w("werkzeug.urls.url_unparse", "urllib.parse.urlunsplit", RENAMED, (3, 0), None,
       REPORT, "takes the parts of a urlsplit result", rule="FLK708"),
    _w("werkzeug.urls.url_join", "urllib.parse.urljoin", RENAMED, (3, 0), None, SAFE,
       rule="FLK708"),
    _w("werkzeug.urls.url_fix", None, REMOVED, (3, 0), None, REPORT,
       "no replacement: quote the parts of the URL instead", rule="FLK708"),
    _w("werkzeug.urls.Href", None, REMOVED, (2, 1), None, REPORT,
       "build URLs with flask.url_for or urllib.parse.urlencode", rule="FLK708"),
    _w("werkzeug.security.safe_str_cmp", "hmac.compare_digest", RENAMED, (2, 1), None, SAFE,
       rule="FLK708"),
    _w("werkzeug.utils.escape", "markupsafe.escape", MOVED, (2, 1), (1, 1, 1), REPORT,
       "markupsafe.escape returns Markup and quotes ' too; werkzeug's escape returned str"),
    _w("werkzeug.utils.unescape", "html.unescape", MOVED, (2, 1), None, SAFE),
    _w("werkzeug.utils.format_string", None, REMOVED, (2, 1), None, REPORT,
       "string.Template(s).safe_substitute(context)"),
    _w("werkzeug.utils.html", None, REMOVED, (2, 1), None, REPORT, "HTMLBuilder: no replacement"),
    _w("werkzeug.utils.xhtml", None, REMOVED, (2, 1), None, REPORT, "HTMLBuilder: no replacement"),
    _w("werkzeug.utils.HTMLBuilder", None, REMOVED, (2, 1), None, REPORT, "no replacement"),
    _w("werkzeug.utils.validate_arguments", None, REMOVED, (2, 1), None, REPORT,
       "inspect.signature(f).bind(*args, **kwargs)"),
    _w("werkzeug.utils.bind_arguments", None, REMOVED, (2, 1), None, REPORT,
       "inspect.signature(f).bind(*args, **kwargs)"),
    _w("werkzeug.utils.ArgumentValidationError", None, REMOVED, (2, 1), None, REPORT,
       "inspect.Signature.bind raises TypeError"),
    _w("werkzeug.useragents.UserAgent", "werkzeug.user_agent.UserAgent", MOVED, (2, 1),
       (2, 0), REPORT, "the new UserAgent parses nothing: .browser, .platform are None; use"
       " the ua-parser package"),
    _w("werkzeug.wrappers.base_request.BaseRequest", "werkzeug.wrappers.Request", RENAMED,
       (2, 1), (0, 14, 1), SAFE, "Request is BaseRequest with the mixins"),
    _w("werkzeug.wrappers.base_response.BaseResponse", "werkzeug.wrappers.Response",
       RENAMED, (2, 1), (0, 14, 1), SAFE, "Response is BaseResponse with the mixins"),
    _w("werkzeug.wrappers.BaseRequest", "werkzeug.wrappers.Request", RENAMED, (2, 1),
       (0, 14, 1), SAFE),
    _w("werkzeug.wrappers.BaseResponse", "werkzeug.wrappers.Response", RENAMED, (2, 1),
       (0, 14, 1), SAFE),
    *(
        _w(f"werkzeug.wrappers.{module}.{mixin}", None, REMOVED, (2, 1), None, REPORT,
           "Request and Response include it since 2.0: drop the mixin")
        for module, mixins in {
            "accept": ("AcceptMixin",),
            "auth": ("AuthorizationMixin", "WWWAuthenticateMixin"),
            "common_descriptors": ("CommonRequestDescriptorsMixin",
                                   "CommonResponseDescriptorsMixin"),
            "etag": ("ETagRequestMixin", "ETagResponseMixin"),
            "response": ("ResponseStreamMixin",),
            "user_agent": ("UserAgentMixin",),
        }.items()
        for mixin in mixins
    ),
    _w("werkzeug.wrappers.json.JSONMixin", None, REMOVED, (2, 1), None, REPORT,
       "Request and Response have get_json()/json since 1.0: drop the mixin"),
    _w("werkzeug.http.cookie_date", "werkzeug.http.http_date", RENAMED, (2, 1), (0, 14, 1),
       REPORT, "http_date writes the date with spaces, not dashes"),
    _w("werkzeug.http.parse_authorization_header",
       "werkzeug.datastructures.Authorization.from_header",
       RENAMED, (3, 0), (2, 3), PINS, "request.authorization works on every release"),
    _w("werkzeug.http.parse_www_authenticate_header",
       "werkzeug.datastructures.WWWAuthenticate.from_header", RENAMED, (3, 0), (2, 3), PINS),
    _w("werkzeug.wsgi.extract_path_info", None, REMOVED, (2, 3), None, REPORT,
       "no replacement"),
    _w("werkzeug.wsgi.make_line_iter", None, REMOVED, (3, 0), None, REPORT,
       "no replacement: iterate over the stream's lines"),
    _w("werkzeug.wsgi.peek_path_info", None, REMOVED, (2, 3), None, REPORT, "no replacement"),
    _w("werkzeug.wsgi.pop_path_info", None, REMOVED, (2, 3), None, REPORT, "no replacement"),
    # werkzeug.contrib (removed in 1.0) and the WSGI middleware moved in 0.15
    _w("werkzeug.contrib.fixers.ProxyFix", "werkzeug.middleware.proxy_fix.ProxyFix", MOVED,
       (1, 0), (0, 15), PINS, "0.15's ProxyFix trusts one X-Forwarded-For hop (x_for=1)"),
    _w("werkzeug.wsgi.SharedDataMiddleware",
       "werkzeug.middleware.shared_data.SharedDataMiddleware", MOVED, (1, 0), (0, 15), PINS),
    _w("werkzeug.wsgi.DispatcherMiddleware",
       "werkzeug.middleware.dispatcher.DispatcherMiddleware", MOVED, (1, 0), (0, 15), PINS),
    _w("werkzeug.wsgi.ProxyMiddleware", "werkzeug.middleware.http_proxy.ProxyMiddleware",
       MOVED, (1, 0), (0, 15), PINS),
    _w("werkzeug.contrib.profiler.ProfilerMiddleware",
       "werkzeug.middleware.profiler.ProfilerMiddleware", MOVED, (1, 0), (0, 15), PINS),
    _w("werkzeug.contrib.lint.LintMiddleware", "werkzeug.middleware.lint.LintMiddleware",
       MOVED, (1, 0), (0, 15), PINS),
    _w("werkzeug.contrib.cache.SimpleCache", "cachelib.SimpleCache", MOVED, (1, 0), (0, 1),
       REPORT, "a new requirement: cachelib (or Flask-Caching)"),
    _w("werkzeug.contrib.cache.FileSystemCache", "cachelib.FileSystemCache", MOVED, (1, 0),
       (0, 1), REPORT, "a new requirement: cachelib (or Flask-Caching)"),
    _w("werkzeug.contrib.cache.RedisCache", "cachelib.RedisCache", MOVED, (1, 0), (0, 1),
       REPORT, "a new requirement: cachelib (or Flask-Caching)"),
    _w("werkzeug.contrib.cache.MemcachedCache", "cachelib.MemcachedCache", MOVED, (1, 0),
       (0, 1), REPORT, "a new requirement: cachelib (or Flask-Caching)"),
    _w("werkzeug.contrib.cache.NullCache", "cachelib.NullCache", MOVED, (1, 0), (0, 1),
       REPORT, "a new requirement: cachelib (or Flask-Caching)"),
    _w("werkzeug.contrib.securecookie.SecureCookie", None, REMOVED, (1, 0), None, REPORT,
       "no replacement: itsdangerous.URLSafeSerializer, or Flask's session"),
    _w("werkzeug.contrib.sessions.SessionStore", None, REMOVED, (1, 0), None, REPORT,
       "no replacement: Flask's session or Flask-Session"),
    _w("werkzeug.contrib.atom.AtomFeed", None, REMOVED, (1, 0), None, REPORT,
       "no replacement: the feedgen package or a template"),
    _w("werkzeug.contrib.wrappers.JSONRequestMixin", None, REMOVED, (1, 0), None, REPORT,
       "Request.get_json() (Werkzeug 1.0; Flask's Request always had it)"),
]


def _row(rule: str, old: str, new: str | None, kind: str, removed: tuple[str, Release],
         since: Release | None, level: str, note: str = "") -> Removed:  # fmt: skip
    """A row whose replacement's package is the one of its top-level module."""
    new_since = None
    if since is not None:
        assert new is not None
        new_since = (PACKAGES.get(new.split(".")[0], removed[0]), since)
    return Removed(rule, old, new, kind, removed, new_since, level, note)


FLASK_ROWS = [
    _row("FLK701", "flask.ext", None, REMOVED, ("flask", (1, 0, 1)), None, REPORT,
         "flask.ext.foo is flask_foo (FLK701 rewrites each import); Flask 1.0 removed it from"
         " its source, but the 1.0 wheel still shipped flask/ext/, so it imports there"),
    _row("FLK702", "flask.Markup", "markupsafe.Markup", MOVED, ("flask", (3, 0)), (1, 1, 1),
         SAFE),
    _row("FLK702", "flask.escape", "markupsafe.escape", MOVED, ("flask", (3, 0)), (1, 1, 1),
         SAFE),
    _row("FLK708", "flask.safe_join", "werkzeug.utils.safe_join", MOVED, ("flask", (2, 1)),
         (2, 0), REPORT, "werkzeug's safe_join returns None where flask's raised NotFound"),
    _row("FLK708", "flask.helpers.safe_join", "werkzeug.utils.safe_join", MOVED,
         ("flask", (2, 1)), (2, 0), REPORT,
         "werkzeug's safe_join returns None where flask's raised NotFound"),
    _row("FLK704", "flask.json.JSONEncoder", "flask.json.provider.DefaultJSONProvider",
         RENAMED, ("flask", (2, 3)), (2, 2), REPORT,
         "subclass DefaultJSONProvider and set app.json = MyProvider(app)"),
    _row("FLK704", "flask.json.JSONDecoder", "flask.json.provider.DefaultJSONProvider",
         RENAMED, ("flask", (2, 3)), (2, 2), REPORT,
         "subclass DefaultJSONProvider and set app.json = MyProvider(app)"),
    _row("FLK706", "flask._app_ctx_stack", "flask.g", RENAMED, ("flask", (3, 0)), (0, 12, 5),
         REPORT, "store on g; the current app is current_app"),
    _row("FLK706", "flask._request_ctx_stack", "flask.g", RENAMED, ("flask", (3, 0)),
         (0, 12, 5), REPORT, "store on g; the request is request"),
    _row("FLK705", "flask.Flask.before_first_request", None, ATTRIBUTE, ("flask", (2, 3)),
         None, REPORT, "call the function once inside `with app.app_context():` at start-up"),
    _row("FLK707", "flask.Flask.env", "flask.Flask.debug", ATTRIBUTE, ("flask", (2, 3)),
         (0, 12, 5), REPORT, "ENV and FLASK_ENV are ignored: use debug / FLASK_DEBUG"),
    _row("FLK708", "flask.Config.from_json", "flask.Config.from_file", ATTRIBUTE,
         ("flask", (2, 1)), (2, 0), PINS, "from_file(f, load=json.load)"),
    _row("FLK703", "flask.send_file(attachment_filename=)", "flask.send_file(download_name=)",
         CALL, ("flask", (2, 2)), (2, 0), PINS, "also cache_timeout= -> max_age=,"
         " add_etags= -> etag=, send_from_directory(filename=) -> path="),
    _row("FLK803", "flask._compat", None, REMOVED, ("flask", (2, 0)), None, REPORT,
         "its removal is what breaks Flask-Script"),
]

JINJA_ROWS = [
    _row("FLK710", "jinja2.Markup", "markupsafe.Markup", MOVED, ("jinja2", (3, 1)),
         (1, 1, 1), SAFE),
    _row("FLK710", "jinja2.escape", "markupsafe.escape", MOVED, ("jinja2", (3, 1)),
         (1, 1, 1), SAFE),
    _row("FLK710", "jinja2.contextfilter", "jinja2.pass_context", RENAMED, ("jinja2", (3, 1)),
         (3, 0), PINS),
    _row("FLK710", "jinja2.contextfunction", "jinja2.pass_context", RENAMED,
         ("jinja2", (3, 1)), (3, 0), PINS),
    _row("FLK710", "jinja2.evalcontextfilter", "jinja2.pass_eval_context", RENAMED,
         ("jinja2", (3, 1)), (3, 0), PINS),
    _row("FLK710", "jinja2.evalcontextfunction", "jinja2.pass_eval_context", RENAMED,
         ("jinja2", (3, 1)), (3, 0), PINS),
    _row("FLK710", "jinja2.environmentfilter", "jinja2.pass_environment", RENAMED,
         ("jinja2", (3, 1)), (3, 0), PINS),
    _row("FLK710", "jinja2.environmentfunction", "jinja2.pass_environment", RENAMED,
         ("jinja2", (3, 1)), (3, 0), PINS),
    _row("FLK710", "jinja2.ext.autoescape", None, REMOVED, ("jinja2", (3, 1)), None, REPORT,
         "built in since Jinja 2.9: drop it from the extensions"),
    _row("FLK710", "jinja2.ext.with_", None, REMOVED, ("jinja2", (3, 1)), None, REPORT,
         "built in since Jinja 2.9: drop it from the extensions"),
]

ITSDANGEROUS_ROWS = [
    _row("FLK711", "itsdangerous.TimedJSONWebSignatureSerializer", None, REMOVED,
         ("itsdangerous", (2, 1)), None, REPORT,
         "no drop-in replacement: URLSafeTimedSerializer (expiry at loads(max_age=)) or"
         " PyJWT; the token format changes and issued tokens become invalid"),
    _row("FLK711", "itsdangerous.JSONWebSignatureSerializer", None, REMOVED,
         ("itsdangerous", (2, 1)), None, REPORT,
         "no drop-in replacement: URLSafeSerializer or PyJWT; the token format changes"),
    _row("FLK711", "itsdangerous.jws", None, REMOVED, ("itsdangerous", (2, 1)), None, REPORT,
         "the JWS serializers' module"),
]

SQLALCHEMY_ROWS = [
    _row("FLK504", "flask_sqlalchemy.get_debug_queries",
         "flask_sqlalchemy.record_queries.get_recorded_queries", RENAMED,
         ("flask-sqlalchemy", (3, 1)), (3, 0), PINS,
         "needs SQLALCHEMY_RECORD_QUERIES = True; a query's .context is .location"),
    _row("FLK504", "flask_sqlalchemy.Model", "flask_sqlalchemy.model.Model", MOVED,
         ("flask-sqlalchemy", (3, 1)), (2, 3), PINS),
    _row("FLK504", "flask_sqlalchemy.BaseQuery", "flask_sqlalchemy.query.Query", RENAMED,
         ("flask-sqlalchemy", (3, 1)), (3, 0), PINS),
    _row("FLK504", "flask_sqlalchemy.SignallingSession", "flask_sqlalchemy.session.Session",
         RENAMED, ("flask-sqlalchemy", (3, 1)), (3, 0), REPORT,
         "a deprecated alias in 3.0; the new class's constructor takes db, not db and app"),
    _row("FLK504", "flask_sqlalchemy.BaseQuery.paginate(page, per_page, error_out)",
         "flask_sqlalchemy.BaseQuery.paginate(page=, per_page=, error_out=)", CALL,
         ("flask-sqlalchemy", (3, 0)), (2, 1), SAFE,
         "keyword-only from 3.0; keywords work on every 2.x"),
    _row("FLK504", "SQLALCHEMY_COMMIT_ON_TEARDOWN", None, CONFIG, ("flask-sqlalchemy", (3, 1)),
         None, REPORT, "deprecated in 3.0: commit explicitly in the views"),
    _row("FLK504", "SQLALCHEMY_NATIVE_UNICODE", None, CONFIG, ("flask-sqlalchemy", (3, 0)),
         None, REPORT, "set the driver's encoding in the URL or SQLALCHEMY_ENGINE_OPTIONS"),
    _row("FLK504", "SQLALCHEMY_POOL_SIZE", "SQLALCHEMY_ENGINE_OPTIONS", CONFIG,
         ("flask-sqlalchemy", (3, 0)), (2, 4), PINS, "{'pool_size': n}"),
    _row("FLK504", "sqlalchemy.Binary", "sqlalchemy.LargeBinary", RENAMED,
         ("sqlalchemy", (1, 4)), (1, 3, 24), SAFE, "db.Binary -> db.LargeBinary"),
]

_WTFORMS_SQLALCHEMY = "a new requirement: WTForms-SQLAlchemy (0.3, the first for WTForms 3)"
WTFORMS_ROWS = [
    _row("FLK801", "flask_wtf.Form", "flask_wtf.FlaskForm", RENAMED, ("flask-wtf", (1, 0)),
         (0, 13), PINS, "from 1.0 flask_wtf.Form still imports, but it is wtforms.Form:"
         " no validate_on_submit, hidden_tag or CSRF (AttributeError at use)"),
    _row("FLK801", "flask_wtf.form.Form", "flask_wtf.FlaskForm", RENAMED,
         ("flask-wtf", (1, 0)), (0, 13), PINS, "from 1.0 it is wtforms.Form, as flask_wtf.Form"),
    _row("FLK801", "flask_wtf.csrf.CsrfProtect", "flask_wtf.csrf.CSRFProtect", RENAMED,
         ("flask-wtf", (1, 0)), (0, 14), PINS),
    _row("FLK801", "flask_wtf.CsrfProtect", "flask_wtf.CSRFProtect", RENAMED,
         ("flask-wtf", (1, 0)), (0, 14), PINS),
    _row("FLK801", "wtforms.TextField", "wtforms.StringField", RENAMED, ("wtforms", (3, 0)),
         (2, 0), SAFE),
    _row("FLK801", "wtforms.fields.TextField", "wtforms.fields.StringField", RENAMED,
         ("wtforms", (3, 0)), (2, 0), SAFE),
    _row("FLK801", "wtforms.fields.simple.TextField", "wtforms.fields.simple.StringField",
         RENAMED, ("wtforms", (3, 0)), (2, 0), SAFE),
    _row("FLK801", "wtforms.validators.Required", "wtforms.validators.DataRequired", RENAMED,
         ("wtforms", (3, 0)), (2, 0), SAFE),
    _row("FLK801", "wtforms.validators.required", "wtforms.validators.DataRequired", RENAMED,
         ("wtforms", (3, 0)), (2, 0), SAFE),
    *(
        _row("FLK801", f"wtforms.fields.html5.{name}", f"wtforms.fields.{name}", MOVED,
             ("wtforms", (3, 0)), (3, 0), PINS,
             "WTForms 3.0 moved the HTML5 fields into wtforms.fields: no release has both"
             " (on 2.x wtforms.fields.DateField, DecimalField, IntegerField and"
             " DateTimeField are other classes, rendered as type=text)")
        for name in ("DateField", "DateTimeField", "DateTimeLocalField", "DecimalField",
                     "DecimalRangeField", "EmailField", "IntegerField", "IntegerRangeField",
                     "SearchField", "TelField", "URLField")
    ),
    _row("FLK801", "wtforms.compat.text_type", "builtins.str", RENAMED, ("wtforms", (3, 0)),
         None, SAFE),
    _row("FLK801", "wtforms.compat.string_types", "builtins.str", RENAMED,
         ("wtforms", (3, 0)), None, SAFE, "a tuple (str,) where it is used in isinstance"),
    _row("FLK801", "wtforms.compat.iteritems", None, REMOVED, ("wtforms", (3, 0)), None,
         REPORT, "d.items()"),
    _row("FLK801", "wtforms.ext.sqlalchemy.fields.QuerySelectField",
         "wtforms_sqlalchemy.fields.QuerySelectField", MOVED, ("wtforms", (3, 0)), (0, 3),
         REPORT, _WTFORMS_SQLALCHEMY),
    _row("FLK801", "wtforms.ext.sqlalchemy.fields.QuerySelectMultipleField",
         "wtforms_sqlalchemy.fields.QuerySelectMultipleField", MOVED, ("wtforms", (3, 0)),
         (0, 3), REPORT, _WTFORMS_SQLALCHEMY),
    _row("FLK801", "wtforms.ext.sqlalchemy.orm.model_form", "wtforms_sqlalchemy.orm.model_form",
         MOVED, ("wtforms", (3, 0)), (0, 3), REPORT,
         _WTFORMS_SQLALCHEMY),
    _row("FLK801", "wtforms.ext.csrf", None, REMOVED, ("wtforms", (3, 0)), None, REPORT,
         "wtforms.csrf (since 2.0) or Flask-WTF's CSRF"),
    _row("FLK801", "wtforms.validators.Email()", None, CALL, ("wtforms", (2, 3)), None, REPORT,
         "from 2.3 Email() raises unless the email-validator package is installed"),
]

LOGIN_ROWS = [
    _row("FLK802", "flask_login.UserMixin.is_authenticated()",
         "flask_login.UserMixin.is_authenticated", ATTRIBUTE, ("flask-login", (0, 3)),
         (0, 3), PINS, "a property since 0.3 (on 0.2 the attribute is a bound method, always"
         " true); a user class's own is_authenticated method"
         " must become a property too"),
    _row("FLK802", "flask_login.UserMixin.is_active()", "flask_login.UserMixin.is_active",
         ATTRIBUTE, ("flask-login", (0, 3)), (0, 3), PINS,
         "a property since 0.3; login_user reads user.is_active without calling it"),
    _row("FLK802", "flask_login.UserMixin.is_anonymous()",
         "flask_login.UserMixin.is_anonymous", ATTRIBUTE, ("flask-login", (0, 3)), (0, 3),
         PINS, "a property since 0.3"),
]

SCRIPT_ROWS = [
    _row("FLK803", "flask_script.Manager", "flask.cli.FlaskGroup", RENAMED, ("flask", (2, 0)),
         (0, 12, 5), REPORT, "Flask-Script no longer imports on Flask 2.0 (flask._compat):"
         " @app.cli.command() and click options; a FlaskGroup keeps"
         " `python manage.py <command>` working (FLK803 rewrites it)"),
    _row("FLK803", "flask_migrate.MigrateCommand", None, REMOVED, ("flask-migrate", (3, 0)),
         None, REPORT, "`flask db ...` replaces `python manage.py db ...`"),
]

_JWT4 = ("flask-jwt-extended", (4, 0))
_TWO_ARGUMENTS = "the callback takes (jwt_header, jwt_data), not "
#: Flask-JWT-Extended 4.0 folded the decorators and verify_* functions into
#: jwt_required(optional=, fresh=, refresh=) and verify_jwt_in_request(...), which take
#: no view function: a CALL row's rewrite is the call (FLK804 makes it, not the engine)
JWT_ROWS = [
    _row("FLK804", "flask_jwt_extended.jwt_required(fn)", "flask_jwt_extended.jwt_required()(fn)",
         CALL, _JWT4, (4, 0), PINS, "`@jwt_required` becomes `@jwt_required()`: on 4.0 the bare"
         " decorator replaces the view by a decorator (TypeError on every request)"),
    *(
        _row("FLK804", f"flask_jwt_extended.{old}", f"flask_jwt_extended.{new}", CALL, _JWT4,
             (4, 0), PINS, note)
        for old, new, note in (
            ("jwt_optional", "jwt_required(optional=True)", ""),
            ("fresh_jwt_required", "jwt_required(fresh=True)", ""),
            ("jwt_refresh_token_required", "jwt_required(refresh=True)", ""),
            ("verify_jwt_in_request_optional", "verify_jwt_in_request(optional=True)", ""),
            ("verify_fresh_jwt_in_request", "verify_jwt_in_request(fresh=True)", ""),
            ("verify_jwt_refresh_token_in_request", "verify_jwt_in_request(refresh=True)", ""),
        )
    ),
    _row("FLK804", "flask_jwt_extended.get_raw_jwt", "flask_jwt_extended.get_jwt", RENAMED,
         _JWT4, (4, 0), PINS, "from 4.0 the identity claim is 'sub' by default, no longer"
         " 'identity'"),
    _row("FLK804", "flask_jwt_extended.get_raw_jwt_header", "flask_jwt_extended.get_jwt_header",
         RENAMED, _JWT4, (4, 0), PINS),
    _row("FLK804", "flask_jwt_extended.get_jwt_claims", "flask_jwt_extended.get_jwt", RENAMED,
         _JWT4, (4, 0), REPORT, "from 4.0 the claims are at the top level of get_jwt(), no"
         " longer under 'user_claims' (JWT_USER_CLAIMS is gone): read get_jwt()['role'], and"
         " tokens issued before carry them nested"),
    _row("FLK804", "flask_jwt_extended.JWTManager.user_claims_loader",
         "flask_jwt_extended.JWTManager.additional_claims_loader", ATTRIBUTE, _JWT4, (4, 0),
         REPORT, "the claims it returns go to the top level of the token, no longer under"
         " 'user_claims': what reads them (get_jwt_claims) changes with it"),
    _row("FLK804", "flask_jwt_extended.JWTManager.user_loader_callback_loader",
         "flask_jwt_extended.JWTManager.user_lookup_loader", ATTRIBUTE, _JWT4, (4, 0), REPORT,
         _TWO_ARGUMENTS + "the identity: the identity is jwt_data['sub']"),
    _row("FLK804", "flask_jwt_extended.JWTManager.user_loader_error_loader",
         "flask_jwt_extended.JWTManager.user_lookup_error_loader", ATTRIBUTE, _JWT4, (4, 0),
         REPORT, _TWO_ARGUMENTS + "the identity"),
    _row("FLK804", "flask_jwt_extended.JWTManager.token_in_blacklist_loader",
         "flask_jwt_extended.JWTManager.token_in_blocklist_loader", ATTRIBUTE, _JWT4, (4, 0),
         REPORT, _TWO_ARGUMENTS + "the decoded token; JWT_BLACKLIST_ENABLED and"
         " JWT_BLACKLIST_TOKEN_CHECKS are gone: the callback runs for every token"),
    _row("FLK804", "flask_jwt_extended.JWTManager.claims_verification_loader",
         "flask_jwt_extended.JWTManager.token_verification_loader", ATTRIBUTE, _JWT4, (4, 0),
         REPORT, _TWO_ARGUMENTS + "the user claims"),
    _row("FLK804", "flask_jwt_extended.JWTManager.claims_verification_failed_loader",
         "flask_jwt_extended.JWTManager.token_verification_failed_loader", ATTRIBUTE, _JWT4,
         (4, 0), REPORT, "the callback takes (jwt_header, jwt_data), not no argument"),
]

#: Flask-Caching 1.10 took a backend class's name as CACHE_TYPE (`SimpleCache`, resolved in
#: flask_caching.backends) and deprecated the lowercase factory functions; 2.5 removed
#: them (`ImportStringError: import_string() failed for 'flask_caching.backends.simple'`)
CACHE_TYPES = {
    "null": "NullCache", "simple": "SimpleCache", "filesystem": "FileSystemCache",
    "redis": "RedisCache", "redissentinel": "RedisSentinelCache",
    "rediscluster": "RedisClusterCache", "memcached": "MemcachedCache",
    "saslmemcached": "SASLMemcachedCache", "spreadsaslmemcached": "SpreadSASLMemcachedCache",
}  # fmt: skip
CACHING_ROWS = [
    *(
        _row("FLK805", f"CACHE_TYPE='{old}'", f"CACHE_TYPE='{new}'", CONFIG,
             ("flask-caching", (2, 5)), (1, 10), PINS)
        for old, new in CACHE_TYPES.items()
    ),
    _row("FLK805", "CACHE_TYPE='gaememcached'", "CACHE_TYPE='MemcachedCache'", CONFIG,
         ("flask-caching", (2, 5)), (1, 10), PINS, "gaememcached was memcached"),
    _row("FLK805", "CACHE_TYPE='uwsgi'",
         "CACHE_TYPE='flask_caching.contrib.uwsgicache.UWSGICache'", CONFIG,
         ("flask-caching", (2, 5)), (1, 10), PINS),
]

#: Flask-RQ 0.2's module functions (flask_rq.py), gone from 1.0.0, whose package exports
#: only the `RQ` class: a queue comes from the extension object (`rq.get_queue(name)`,
#: `rq.queue`), which reads other settings (`RQ_CONNECTION`, `RQ_QUEUES` for 0.2's
#: `RQ_DEFAULT_HOST`/`_PORT`/`_DB`/`_PASSWORD`/`_URL`)
_RQ = (
    "the package is the extension object only now: keep the one `RQ()` makes (`rq = RQ()` "
    "beside the app's other extensions, `rq.init_app(app)`) and "
)
RQ_ROWS = [
    _row("FLK806", "flask_rq.get_queue", None, REMOVED, ("flask-rq", (1, 0)), None, REPORT,
         _RQ + "call `rq.get_queue(name)` (or `rq.queue`); its settings are `RQ_CONNECTION`"
         " and `RQ_QUEUES`, not `RQ_DEFAULT_URL`/`_HOST`/`_PORT`/`_DB`/`_PASSWORD`"),
    _row("FLK806", "flask_rq.get_connection", None, REMOVED, ("flask-rq", (1, 0)), None,
         REPORT, _RQ + "use the queue's connection (`rq.get_queue(name).connection`)"),
    _row("FLK806", "flask_rq.get_worker", None, REMOVED, ("flask-rq", (1, 0)), None, REPORT,
         _RQ + "call `rq.make_worker([names])`, or run `flask rq worker`"),
    _row("FLK806", "flask_rq.get_server_url", None, REMOVED, ("flask-rq", (1, 0)), None,
         REPORT, _RQ + "the connection settings are `RQ_CONNECTION` (a URL or a dict)"),
    _row("FLK806", "flask_rq.config_value", None, REMOVED, ("flask-rq", (1, 0)), None,
         REPORT, _RQ + "read `app.config` (`RQ_CONNECTION`, `RQ_QUEUES`)"),
    _row("FLK806", "flask_rq.job", None, REMOVED, ("flask-rq", (1, 0)), None, REPORT,
         _RQ + "decorate with `@rq.job` (`@rq.job(queue=name)`), and enqueue with the"
         " function's `enqueue(...)`"),
]

ROWS: tuple[Removed, ...] = (
    *_werkzeug_top_level(),
    *WERKZEUG_LATER,
    *FLASK_ROWS,
    *JINJA_ROWS,
    *ITSDANGEROUS_ROWS,
    *SQLALCHEMY_ROWS,
    *WTFORMS_ROWS,
    *LOGIN_ROWS,
    *SCRIPT_ROWS,
    *JWT_ROWS,
    *CACHING_ROWS,
    *RQ_ROWS,
)
BY_OLD: dict[str, Removed] = {row.old: row for row in ROWS}


def final(old: str) -> Removed | None:
    """The row of `old`, with `new` the end of its chain of replacements (each of which
    may itself have been removed): `werkzeug.url_quote` -> `urllib.parse.quote`. The
    level is the most careful level met on the way; None when `old` has no row."""
    row = BY_OLD.get(old)
    if row is None:
        return None
    seen = {old}
    result = row
    while result.new is not None and result.new in BY_OLD:
        step = BY_OLD[result.new]
        if step.old in seen:
            raise ValueError(f"cycle in the removed APIs at {step.old}")
        seen.add(step.old)
        level = max(result.level, step.level, key=LEVELS.index)
        note = "; ".join(n for n in (result.note, step.note) if n)
        result = Removed(row.rule, old, step.new, _kind(old, step.new, row.kind),
                         row.removed_in, step.new_since, level, note)  # fmt: skip
    return result


def _kind(old: str, new: str | None, kind: str) -> str:
    if kind not in (MOVED, RENAMED):
        return kind
    if new is None:
        return REMOVED
    return MOVED if old.rpartition(".")[2] == new.rpartition(".")[2] else RENAMED


def _top(name: str) -> str:
    return name.split(".")[0]


def problems(rows: tuple[Removed, ...] | list[Removed]) -> list[str]:
    """What is wrong with a table of rows (empty when it is well-formed)."""
    found = []
    seen: set[str] = set()
    olds = {row.old for row in rows}
    for row in rows:
        where = row.old
        if where in seen:
            found.append(f"{where}: two rows")
        seen.add(where)
        if not (row.rule.startswith("FLK") and row.rule[3:].isdigit() and len(row.rule) == 6):
            found.append(f"{where}: rule {row.rule!r}")
        if row.kind not in KINDS:
            found.append(f"{where}: kind {row.kind!r}")
        if row.level not in LEVELS:
            found.append(f"{where}: level {row.level!r}")
        for label, version in (("removed_in", row.removed_in), ("new_since", row.new_since)):
            if version is None:
                continue
            package, release = version
            if package not in PACKAGES.values() or not release or not all(
                isinstance(part, int) and part >= 0 for part in release
            ):
                found.append(f"{where}: {label} {version!r}")
        if row.new == row.old:
            found.append(f"{where}: replaced by itself")
        if row.kind == REMOVED and row.new is not None:
            found.append(f"{where}: removed, yet replaced by {row.new}")
        if row.kind in (MOVED, RENAMED) and row.new is None:
            found.append(f"{where}: {row.kind} to nothing")
        if row.new is None:
            if row.new_since is not None:
                found.append(f"{where}: no replacement, yet a new_since")
            if row.level != REPORT:
                found.append(f"{where}: no replacement can only be reported")
            continue
        stdlib = _top(row.new) in STDLIB
        if stdlib != (row.new_since is None):
            found.append(f"{where}: new_since must be given exactly when {row.new} is not"
                         " the standard library's")  # fmt: skip
        if row.kind == MOVED and (
            row.old.rpartition(".")[2] != row.new.rpartition(".")[2]
            or row.old.rpartition(".")[0] == row.new.rpartition(".")[0]
        ):
            found.append(f"{where}: a move keeps the name and changes the module")
        if row.kind == RENAMED and row.old.rpartition(".")[2] == row.new.rpartition(".")[2]:
            found.append(f"{where}: a rename changes the name")
        if row.new_since is None:
            continue
        package, since = row.new_since
        if row.kind in (MOVED, RENAMED) and PACKAGES.get(_top(row.new)) != package:
            found.append(f"{where}: new_since names {package}, not {row.new}'s package")
        if package == row.removed_in[0] and since > row.removed_in[1]:
            found.append(f"{where}: the replacement came after the removal")
        oldest = OLDEST_CHECKED.get(package)
        if row.level == SAFE and (oldest is None or since > oldest):
            found.append(f"{where}: safe, yet the replacement needs {package} {since}")
        if row.level == PINS and oldest is not None and since <= oldest:
            found.append(f"{where}: needs pins, yet {row.new} is in every release checked")
    for row in rows:  # chains end, and never come back
        chain, name = [row.old], row.new
        while name in olds:
            if name in chain:
                found.append(f"{row.old}: a cycle through {name}")
                break
            chain.append(name)
            name = next(r.new for r in rows if r.old == name)
    return found
