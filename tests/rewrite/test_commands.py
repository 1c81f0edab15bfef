"""Reading the commands of shell scripts, Procfiles, Dockerfiles and compose files."""

from __future__ import annotations

import textwrap

import pytest

from flask_fix.rewrite.factory.commands import (
    Positions,
    compose_commands,
    dockerfile_commands,
    file_kind,
    procfile_commands,
    shell_commands,
    simple_command,
)


def texts(commands) -> list[list[str]]:
    return [[word.text for word in command] for command in commands]


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_shell_words_quotes_and_substitutions():
    script = 'a \'b c\' "d\\"e" f\\ g $(x y) ${z} `w v` # comment\nh'
    assert texts(shell_commands(script)) == [
        ["a", "b c", 'd"e', "f g", "$(x y)", "${z}", "`w v`"],
        ["h"],
    ]


def test_shell_separators_continuations_and_redirections():
    script = "a && b || c; d | e & f\ng \\\n  h > out 2>&1 < in\n(i)\n"
    assert texts(shell_commands(script)) == [
        ["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g", "h"], ["i"]
    ]  # fmt: skip


def test_here_documents_are_skipped():
    script = "cat <<EOF > x\nflask run\nEOF\ncat <<-'END'\n\tflask run\n\tEND\nnext\n"
    assert texts(shell_commands(script)) == [["cat"], ["cat"], ["next"]]


def test_word_positions():
    text = "web: exec  flask run\n"
    [command] = procfile_commands(text)
    positions = Positions(text)
    assert [positions.line_col(w.start) for w in command] == [(1, 6), (1, 12), (1, 18)]


@pytest.mark.parametrize(
    ("line", "program"),
    [
        ("exec flask run", ["flask", "run"]),
        ("FLASK_APP=app.py exec env -u X A=1 flask run", ["flask", "run"]),
        ("nohup sudo -u www flask run", ["flask", "run"]),
        ("gosu app tini -- flask run", ["flask", "run"]),
        ("poetry run flask run", ["flask", "run"]),
        ("uv run --frozen flask run", ["flask", "run"]),
        ("then flask run", ["flask", "run"]),
        ("uv pip install flask", ["uv", "pip", "install", "flask"]),
    ],
)
def test_simple_command_sees_through_wrappers(line, program):
    [command] = shell_commands(line)
    assert [w.text for w in simple_command(command)] == program


def test_procfile():
    text = "# comment\nrelease: flask db upgrade\nweb: gunicorn app:app --workers=2\n"
    assert texts(procfile_commands(text)) == [
        ["flask", "db", "upgrade"],
        ["gunicorn", "app:app", "--workers=2"],
    ]


def test_dockerfile_last_cmd_and_entrypoint_of_each_stage():
    text = dedent(
        """
        FROM python AS build
        RUN pip install . && \\
            flask --version
        CMD ["first"]
        CMD ["python", \\
             "app.py"]

        FROM python
        # CMD commented out
        ENTRYPOINT ["python", "-m"]
        CMD ["flask", "run"]
        HEALTHCHECK CMD curl localhost
        """
    )
    assert texts(dockerfile_commands(text)) == [
        ["python", "app.py"],
        ["python", "-m"],
        ["flask", "run"],
        ["python", "-m", "flask", "run"],
    ]
    assert texts(dockerfile_commands(text, skip_stage=lambda name: name == "build")) == [
        ["python", "-m"],
        ["flask", "run"],
        ["python", "-m", "flask", "run"],
    ]


def test_dockerfile_shell_form_and_invalid_json():
    text = "FROM x\nCMD flask db upgrade && flask run\nENTRYPOINT [not json]\n"
    assert texts(dockerfile_commands(text)) == [
        ["[not", "json]"],
        ["flask", "db", "upgrade"],
        ["flask", "run"],
    ]


def test_compose_forms():
    text = dedent(
        """
        services:
          a:
            command: flask run --host 0.0.0.0  # a comment
          b:
            command: ["flask", 'run', --port, "8000"]
          c:
            command:
              - flask
              - "run"
          d:
            entrypoint: >
              sh -c "flask db upgrade
              && flask run"
          e:
            command: [
              "gunicorn", "app:app"
            ]
          f:
            command: "python app.py"
          g:
            # command: flask run
            image: redis
        """
    )
    assert texts(compose_commands(text)) == [
        ["flask", "run", "--host", "0.0.0.0"],
        ["flask", "run", "--port", "8000"],
        ["flask", "run"],
        ["sh", "-c", "flask db upgrade\n      && flask run"],  # not folded: same commands
        ["gunicorn", "app:app"],
        ["python", "app.py"],
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Procfile", "procfile"),
        ("Dockerfile", "dockerfile"),
        ("Dockerfile.prod", "dockerfile"),
        ("api.Dockerfile", "dockerfile"),
        ("Containerfile", "dockerfile"),
        ("docker-compose.yml", "compose"),
        ("compose.prod.yaml", "compose"),
        ("boot.sh", "shell"),
        ("README.md", None),
    ],
)
def test_file_kind(name, kind):
    assert file_kind(f"deploy/{name}") == kind
