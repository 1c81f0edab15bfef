"""The commands that Procfiles, Dockerfiles, compose files and shell scripts run.

Text rules (report only) want to know what a deployment file starts: each reader below
turns a file into `Command`s, the argument vectors a shell (or Docker, or Compose) would
pass to `execve`, every word with its position in the file. Enough of the shell grammar
is modelled to find simple commands soundly: quotes, backslash escapes and line
continuations, comments, the operators that separate commands (`;`, `&&`, `||`, `|`, `&`,
newlines, parentheses), redirections (dropped from the words) and here-documents
(skipped). Variables, globs and substitutions are kept as written, never expanded.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from dataclasses import dataclass
from collections.abc import Callable


@dataclass(frozen=True)
class Word:
    """One word of a command: its text with quotes and escapes removed, and where its
    source text starts and ends (offsets into the file's text, end exclusive)."""

    text: str
    start: int
    end: int


Command = tuple[Word, ...]


class Positions:
    """Offsets into a text as 1-based (line, column) pairs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def line_end(self, line: int) -> int:
        """Offset just past the last non-blank character of a 1-based line."""
        start = self.line_starts[line - 1]
        end = self.text.find("\n", start)
        end = len(self.text) if end == -1 else end
        return start + len(self.text[start:end].rstrip())


# --- the shell ---------------------------------------------------------------------

_SEPARATORS = ("&&", "||", ";;", "|&", ";", "|", "&", "(", ")", "\n")
_REDIRECTION = re.compile(r"[0-9]*(<<-|<<<|<<|>>|>&|<&|>\||<>|>|<)")
# shell keywords and grouping words that may come before a simple command
_KEYWORDS = frozenset({"then", "else", "elif", "do", "if", "while", "until", "!", "{", "time"})


def shell_commands(text: str, start: int = 0, end: int | None = None) -> list[Command]:
    """The simple commands of the shell code in `text[start:end]`, in order."""
    return _ShellReader(text, start, len(text) if end is None else end).read()


class _ShellReader:
    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.i, self.end = text, start, end
        self.commands: list[Command] = []
        self.words: list[Word] = []
        self.heredocs: list[tuple[str, bool]] = []  # (delimiter, strip leading tabs)

    def read(self) -> list[Command]:
        text = self.text
        while self.i < self.end:
            c = text[self.i]
            if text.startswith("\\\n", self.i):
                self.i += 2
            elif c in " \t\r":
                self.i += 1
            elif c == "#":
                newline = text.find("\n", self.i, self.end)
                self.i = self.end if newline == -1 else newline
            elif (separator := self._separator()) is not None:
                self._finish_command()
                self.i += len(separator)
                if separator == "\n" and self.heredocs:
                    self._skip_heredocs()
            elif (redirection := _REDIRECTION.match(text, self.i, self.end)) is not None:
                self.i = redirection.end()
                self._skip_blanks()
                target = self._word()
                if redirection.group(1) in ("<<", "<<-") and target is not None:
                    self.heredocs.append((target.text, redirection.group(1) == "<<-"))
            else:
                word = self._word()
                if word is not None:
                    self.words.append(word)
                else:
                    self.i += 1
        self._finish_command()
        return self.commands

    def _separator(self) -> str | None:
        return next((s for s in _SEPARATORS if self.text.startswith(s, self.i)), None)

    def _finish_command(self) -> None:
        if self.words:
            self.commands.append(tuple(self.words))
            self.words = []

    def _skip_blanks(self) -> None:
        while self.i < self.end and self.text[self.i] in " \t":
            self.i += 1

    def _skip_heredocs(self) -> None:
        for delimiter, strip_tabs in self.heredocs:
            while self.i < self.end:
                newline = self.text.find("\n", self.i, self.end)
                stop = self.end if newline == -1 else newline
                line = self.text[self.i : stop]
                self.i = stop + 1 if newline != -1 else self.end
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    break
        self.heredocs = []

    def _word(self) -> Word | None:
        """Read one word at `self.i` (quotes removed, substitutions kept as written)."""
        text, start = self.text, self.i
        out: list[str] = []
        while self.i < self.end:
            c = text[self.i]
            if c in " \t\r\n;&|()<>":
                break
            if c == "\\":
                if text.startswith("\\\n", self.i):
                    self.i += 2
                    continue
                out.append(text[self.i + 1 : self.i + 2])
                self.i += 2
            elif c == "'":
                close = text.find("'", self.i + 1, self.end)
                close = self.end if close == -1 else close
                out.append(text[self.i + 1 : close])
                self.i = close + 1
            elif c == '"':
                self.i += 1
                while self.i < self.end and text[self.i] != '"':
                    if text[self.i] == "\\" and self.i + 1 < self.end:
                        following = text[self.i + 1]
                        if following == "\n":
                            self.i += 2
                            continue
                        if following in '"\\$`':
                            out.append(following)
                            self.i += 2
                            continue
                    out.append(text[self.i])
                    self.i += 1
                self.i += 1
            elif text.startswith("$(", self.i) or text.startswith("${", self.i):
                close = _matching(text, self.i + 1, self.end)
                out.append(text[self.i : close])
                self.i = close
            elif c == "`":
                close = text.find("`", self.i + 1, self.end)
                close = self.end if close == -1 else close + 1
                out.append(text[self.i : close])
                self.i = close
            else:
                out.append(c)
                self.i += 1
        self.i = min(self.i, self.end)
        if self.i == start:
            return None
        return Word("".join(out), start, self.i)


def _matching(text: str, opening: int, end: int) -> int:
    """Offset just past the bracket closing the one at `opening` (`(` or `{`)."""
    pairs = {"(": ")", "{": "}"}
    open_char = text[opening]
    close_char = pairs[open_char]
    depth = 0
    for i in range(opening, end):
        if text[i] == open_char:
            depth += 1
        elif text[i] == close_char:
            depth -= 1
            if depth == 0:
                return i + 1
    return end


# options of those wrappers that take a value (`sudo -u www`)
_WRAPPER_VALUE_OPTIONS = {
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-U"}),
    "exec": frozenset({"-a"}),
    "env": frozenset({"-u", "-C", "-S"}),
}


def simple_command(command: Command) -> Command:
    """The command without what only prepares it: leading `NAME=value` assignments,
    shell keywords (`then`, `do`...), and wrappers that run the rest of the line (`exec`,
    `env`, `nohup`, `sudo`, `gosu user`, `tini --`, `poetry run`...)."""
    words = list(command)
    while words:
        first = words[0].text
        name = os.path.basename(first)
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", first, re.DOTALL) or first in _KEYWORDS:
            words.pop(0)
        elif name in ("exec", "nohup", "command", "env", "sudo", "tini", "dumb-init", "stdbuf"):
            words.pop(0)
            # their own options (an option's value too, for the ones that take one)
            while words and (
                words[0].text.startswith("-") or (name == "env" and "=" in words[0].text)
            ):
                option = words.pop(0).text
                if option == "--":
                    break
                if option in _WRAPPER_VALUE_OPTIONS.get(name, ()):
                    words[:1] = []
        elif name in ("gosu", "su-exec") and len(words) > 1:
            words[:2] = []
        elif (
            name in ("poetry", "pipenv", "uv", "pdm", "hatch")
            and len(words) > 1
            and (words[1].text == "run")
        ):
            words[:2] = []
            while words and words[0].text.startswith("-"):
                words.pop(0)
        else:
            break
    return tuple(words)


# --- Procfile ------------------------------------------------------------------------

_PROCESS = re.compile(r"^([A-Za-z0-9_-]+)[ \t]*:", re.MULTILINE)


def procfile_commands(text: str) -> list[Command]:
    """Each process type's command (`web: gunicorn app:app`), run by a shell."""
    commands: list[Command] = []
    for match in _PROCESS.finditer(text):
        newline = text.find("\n", match.end())
        commands += shell_commands(text, match.end(), len(text) if newline == -1 else newline)
    return commands


# --- Dockerfile ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Instruction:
    keyword: str  # upper case
    start: int  # offset of the arguments
    end: int

    def arguments(self, text: str) -> str:
        return text[self.start : self.end]


def _dockerfile_instructions(text: str) -> list[_Instruction]:
    """Logical instructions, continuation lines joined (comment lines inside skipped)."""
    if re.match(r"(?:\s*#\s*\w+\s*=.*\n)*\s*#\s*escape\s*=\s*`", text, re.IGNORECASE):
        return []  # a Windows-style escape character: not modelled
    instructions = []
    lines = text.splitlines(keepends=True)
    offset = 0
    i = 0
    while i < len(lines):
        line, line_start = lines[i], offset
        offset += len(line)
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        end = line_start + len(line.rstrip("\r\n"))
        while text[line_start:end].rstrip().endswith("\\") and i < len(lines):
            following = lines[i]
            offset += len(following)
            i += 1
            if following.strip().startswith("#") or not following.strip():
                continue
            end = offset - len(following) + len(following.rstrip("\r\n"))
        keyword = re.match(r"\s*([A-Za-z]+)", text[line_start:end])
        if keyword is None:
            continue
        instructions.append(_Instruction(keyword.group(1).upper(), line_start + keyword.end(), end))
    return instructions


def _json_strings(text: str, start: int, end: int) -> Command | None:
    """The exec form `["flask", "run"]`: its strings with their positions, or None when
    the text is not a JSON array of strings (Docker then runs it as shell form)."""
    raw = text[start:end].replace("\\\n", "  ")
    try:
        values = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    words = []
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"', raw):
        words.append(Word(json.loads(match.group()), start + match.start(), start + match.end()))
    return tuple(words) if len(words) == len(values) else None


def dockerfile_commands(
    text: str, skip_stage: Callable[[str], bool] = lambda name: False
) -> list[Command]:
    """What each build stage's image runs: its last `ENTRYPOINT` and its last `CMD`, and,
    when both are in exec form, the two joined (Docker passes CMD to the ENTRYPOINT).
    Shell forms run through `/bin/sh -c`; their commands come from the shell reader.
    Stages named (`FROM image AS name`) so that `skip_stage(name)` is true are left out."""
    commands: list[Command] = []
    stages: list[dict[str, _Instruction]] = [{}]
    skipped: set[int] = set()  # indexes of the stages left out
    for instruction in _dockerfile_instructions(text):
        if instruction.keyword == "FROM":
            stages.append({})
            named = re.search(r"\s[Aa][Ss]\s+(\S+)\s*$", instruction.arguments(text))
            if named and skip_stage(named.group(1)):
                skipped.add(len(stages) - 1)
        elif instruction.keyword in ("CMD", "ENTRYPOINT"):
            stages[-1][instruction.keyword] = instruction
    for number, stage in enumerate(stages):
        if number in skipped:
            continue
        exec_forms: dict[str, Command] = {}
        for keyword in ("ENTRYPOINT", "CMD"):
            instruction = stage.get(keyword)
            if instruction is None:
                continue
            words = _json_strings(text, instruction.start, instruction.end)
            if words is None:
                commands += shell_commands(text, instruction.start, instruction.end)
            elif words:
                exec_forms[keyword] = words
                commands.append(words)
        if len(exec_forms) == 2:
            commands.append(exec_forms["ENTRYPOINT"] + exec_forms["CMD"])
    return commands


# --- compose files -------------------------------------------------------------------

_COMPOSE_KEY = re.compile(r"^([ \t]*)(command|entrypoint)[ \t]*:[ \t]*", re.MULTILINE)


def compose_commands(text: str) -> list[Command]:
    """The `command:` and `entrypoint:` of each service, in their YAML forms: a string
    (split into words as Compose does, with shell quoting), a flow sequence
    `["flask", "run"]`, a block sequence of `- item` lines, or a block scalar (`>`, `|`).
    A string holding shell operators is read as shell code (as `sh -c` would)."""
    commands: list[Command] = []
    for match in _COMPOSE_KEY.finditer(text):
        indent = len(match.group(1).expandtabs())
        value_end = _line_end(text, match.end())
        value = text[match.end() : value_end]
        body = _strip_yaml_comment(value)
        if body.startswith("["):
            commands += _flow_sequence(text, match.end(), indent)
        elif not body.strip():
            items = _block_sequence(text, value_end + 1, indent)
            if items:
                commands.append(items)
        elif body[0] in "|>":
            start, end = _block_scalar(text, value_end + 1, indent)
            commands += shell_commands(text, start, end)
        elif body[0] in "'\"":
            close = _closing_quote(text, match.end())
            commands += shell_commands(text, match.end() + 1, close)
        else:
            commands += shell_commands(text, match.end(), match.end() + len(body))
    return commands


def _line_end(text: str, offset: int) -> int:
    newline = text.find("\n", offset)
    return len(text) if newline == -1 else newline


def _strip_yaml_comment(value: str) -> str:
    """A plain YAML value without its trailing ` # comment`."""
    quote = None
    for i, c in enumerate(value):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"" and (i == 0 or value[i - 1] in " [,"):
            quote = c
        elif c == "#" and (i == 0 or value[i - 1] in " \t"):
            return value[:i].rstrip()
    return value.rstrip()


def _closing_quote(text: str, opening: int) -> int:
    quote = text[opening]
    i = opening + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text.startswith("''", i):
                i += 2
                continue
            return i
        i += 1
    return len(text)


def _scalar_word(text: str, start: int, end: int) -> Word | None:
    """One YAML scalar item (`flask`, `"run"`, `'--host=0.0.0.0'`) as a word."""
    while start < end and text[start] in " \t\r\n":
        start += 1
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    if start == end:
        return None
    raw = text[start:end]
    if raw[0] == '"' and raw.endswith('"') and len(raw) > 1:
        try:
            return Word(json.loads(raw), start, end)
        except ValueError:
            return Word(raw[1:-1], start, end)
    if raw[0] == "'" and raw.endswith("'") and len(raw) > 1:
        return Word(raw[1:-1].replace("''", "'"), start, end)
    return Word(raw, start, end)


def _flow_sequence(text: str, opening: int, indent: int) -> list[Command]:
    """`["flask", "run"]`, possibly over several lines; items split on commas."""
    words: list[Word] = []
    i = opening + 1
    item_start = i
    while i < len(text):
        c = text[i]
        if c in "'\"":
            i = _closing_quote(text, i) + 1
            continue
        if c == "#" and text[i - 1] in " \t\n":
            i = _line_end(text, i)
            continue
        if c in ",]":
            word = _scalar_word(text, item_start, i)
            if word is not None:
                words.append(word)
            if c == "]":
                break
            item_start = i + 1
        i += 1
    return [tuple(words)] if words else []


def _block_sequence(text: str, start: int, indent: int) -> Command:
    """The `- item` lines under a key (indented more, or as much: YAML allows both)."""
    words: list[Word] = []
    for line_start, line in _following_lines(text, start):
        stripped = line.lstrip(" \t")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        column = len(line) - len(stripped)
        if column < indent or not (stripped.startswith("- ") or stripped.strip() == "-"):
            break
        item = line_start + column + 1
        end = item + len(_strip_yaml_comment(text[item : line_start + len(line)]))
        word = _scalar_word(text, item, end)
        if word is not None:
            words.append(word)
    return tuple(words)


def _block_scalar(text: str, start: int, indent: int) -> tuple[int, int]:
    """The range of a `>`/`|` block scalar's lines (indented more than its key)."""
    end = start
    for line_start, line in _following_lines(text, start):
        if line.strip() and len(line) - len(line.lstrip(" \t")) <= indent:
            break
        end = line_start + len(line)
    return min(start, len(text)), end


def _following_lines(text: str, start: int):
    while start < len(text):
        end = _line_end(text, start)
        yield start, text[start:end]
        start = end + 1


# --- which reader ---------------------------------------------------------------------


def file_kind(path: str) -> str | None:
    """'procfile', 'dockerfile', 'compose' or 'shell' from a file's name."""
    name = os.path.basename(path)
    lower = name.lower()
    if lower.startswith("procfile"):
        return "procfile"
    if lower.startswith(("dockerfile", "containerfile")) or lower.endswith(".dockerfile"):
        return "dockerfile"
    if lower.endswith((".yml", ".yaml")) and lower.startswith(("docker-compose", "compose")):
        return "compose"
    if lower.endswith(".sh"):
        return "shell"
    return None


def file_commands(
    path: str, text: str, skip_stage: Callable[[str], bool] = lambda name: False
) -> list[Command]:
    kind = file_kind(path)
    if kind == "procfile":
        return procfile_commands(text)
    if kind == "dockerfile":
        return dockerfile_commands(text, skip_stage)
    if kind == "compose":
        return compose_commands(text)
    if kind == "shell":
        return shell_commands(text)
    return []


# --- what a deployment file is for (FLK601, FLK603) ------------------------------------

# a file whose name or folder says it is for development, tests or documentation
DEV_TOKENS = frozenset(
    {"dev", "develop", "development", "local", "test", "tests", "testing", "ci", "e2e"}
    | {"example", "examples", "docs", "devcontainer", "sample", "samples", "demo"}
)
# folders holding what does not deploy (a folder named so above the project is a miss)
DEV_FOLDERS = frozenset(
    {"devcontainer", "ci", "test", "tests", "testing", "e2e", "example", "examples"}
    | {"docs", "sample", "samples"}
)
SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh"})


def is_dev_name(name: str) -> bool:
    """A file or stage name marked for development (`Procfile.dev`, `start-local.sh`)."""
    return bool(set(re.split(r"[^a-z0-9]+", name.lower())) & DEV_TOKENS)


def is_dev_file(path: str) -> bool:
    folders = os.path.normpath(path).split(os.sep)[:-1]
    return is_dev_name(os.path.basename(path)) or any(
        folder.lower().lstrip(".") in DEV_FOLDERS for folder in folders
    )


def dash_c_script(words: Command) -> Word | None:
    """The script of `sh -c 'script'` (options such as `-e` or `-ec` may come first)."""
    for i, word in enumerate(words[1:], 1):
        if not word.text.startswith("-"):
            return None
        if "c" in word.text[1:] and not word.text.startswith("--"):
            return words[i + 1] if i + 1 < len(words) else None
    return None
