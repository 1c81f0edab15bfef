from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from flask_fix import sourceio
from flask_fix.model import ErrorKind
from flask_fix.sourceio import SourceError, decode_source, read_source, write_atomic

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def decode_error(data: bytes) -> SourceError:
    with pytest.raises(SourceError) as caught:
        decode_source(data)
    assert caught.value.kind is ErrorKind.DECODE
    return caught.value


# -- read_source ------------------------------------------------------------------


def test_read_source_returns_the_bytes_unchanged(tmp_path: Path) -> None:
    data = b"from flask import Flask\r\napp = Flask(__name__)\r\n"
    (tmp_path / "app.py").write_bytes(data)
    assert read_source(tmp_path / "app.py") == data


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: None, "No such file or directory"),
        (lambda path: path.mkdir(), "Is a directory"),
    ],
)
def test_read_source_reports_unreadable_paths(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "app.py"
    make(path)
    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert caught.value.kind is ErrorKind.READ
    assert caught.value.message == f"cannot read file: {reason}"
    assert caught.value.line is None


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root can read any file")
def test_read_source_reports_a_permission_error(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("x = 1\n")
    path.chmod(0)
    with pytest.raises(SourceError, match="cannot read file: Permission denied"):
        read_source(path)


def test_read_source_rejects_undecodable_files(tmp_path: Path) -> None:
    (tmp_path / "blob.py").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(SourceError, match="binary file, not Python source"):
        read_source(tmp_path / "blob.py")


# -- decode_source ----------------------------------------------------------------


def test_utf8_is_the_default() -> None:
    assert decode_source("name = 'café'\n".encode()) == ("name = 'café'\n", "utf-8")


def test_a_pep263_cookie_selects_the_encoding() -> None:
    data = b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n"
    text, encoding = decode_source(data)
    assert text == "# -*- coding: latin-1 -*-\nname = 'café'\n"
    assert text.encode(encoding) == data


def test_a_bom_is_dropped_from_the_text_and_restored_by_the_encoding() -> None:
    data = b"\xef\xbb\xbfx = 1\n"
    text, encoding = decode_source(data)
    assert (text, encoding) == ("x = 1\n", "utf-8-sig")
    assert text.encode(encoding) == data


def test_line_endings_are_kept() -> None:
    assert decode_source(b"a = 1\r\nb = 2\rc = 3\n")[0] == "a = 1\r\nb = 2\rc = 3\n"


def test_nul_bytes_mean_a_binary_file() -> None:
    error = decode_error(b"x = 1\n\x00\x01")
    assert error.message == "binary file, not Python source"


def test_an_invalid_byte_is_reported_with_its_line() -> None:
    error = decode_error(b"x = 1\ny = 2\nname = 'caf\xe9'\n")
    assert (error.message, error.line) == ("cannot decode as utf-8: invalid byte 0xe9", 3)


def test_an_invalid_byte_in_the_first_line_is_reported_the_same_way() -> None:
    error = decode_error(b"name = 'caf\xe9'\n")
    assert (error.message, error.line) == ("cannot decode as utf-8: invalid byte 0xe9", 1)


def test_a_cookie_that_does_not_match_the_bytes_is_reported() -> None:
    error = decode_error(b"# coding: ascii\nname = 'caf\xc3\xa9'\n")
    assert (error.message, error.line) == ("cannot decode as ascii: invalid byte 0xc3", 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"# coding: latin-99\n", "bad coding declaration: unknown encoding: latin-99"),
        (b"# coding: rot13\n", "bad coding declaration: rot13 is not a text encoding"),
        (b"\xef\xbb\xbf# coding: latin-1\n", "bad coding declaration: encoding problem: utf-8"),
    ],
)
def test_bad_coding_declarations_are_reported(data: bytes, message: str) -> None:
    assert decode_error(data).message == message


# -- write_atomic -----------------------------------------------------------------


def leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name != keep)


def test_write_atomic_replaces_the_bytes_exactly_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "manage.py"
    path.write_bytes(b"old\n")
    path.chmod(0o755)
    new = b"\xef\xbb\xbfimport sys\r\nprint(sys.argv)\r\n"
    write_atomic(path, new)
    assert path.read_bytes() == new
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert leftovers(tmp_path, keep="manage.py") == []


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "app.py"
    path.write_bytes(b"old\n")
    renamed = []
    real_replace = os.replace

    def replace(source, destination):
        renamed.append(source)
        real_replace(source, destination)

    monkeypatch.setattr(sourceio.os, "replace", replace)
    write_atomic(path, b"new\n")
    folder, name = os.path.split(renamed[0])
    assert folder == str(tmp_path)
    assert name.startswith(".") and "flask-fix" in name and not name.endswith(".py")


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch, failure: BaseException
) -> None:
    path = tmp_path / "app.py"
    path.write_bytes(b"original\n")

    def replace(source, destination):
        raise failure

    monkeypatch.setattr(sourceio.os, "replace", replace)
    with pytest.raises(type(failure)):
        write_atomic(path, b"new\n")
    assert path.read_bytes() == b"original\n"
    assert leftovers(tmp_path, keep="app.py") == []


def test_an_interrupt_while_writing_cleans_up(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "app.py"
    path.write_bytes(b"original\n")

    def fsync(descriptor):
        raise KeyboardInterrupt

    monkeypatch.setattr(sourceio.os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new\n")
    assert path.read_bytes() == b"original\n"
    assert leftovers(tmp_path, keep="app.py") == []


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real.py").write_bytes(b"old\n")
    (tmp_path / "link.py").symlink_to("real.py")
    write_atomic(tmp_path / "link.py", b"new\n")
    assert (tmp_path / "link.py").is_symlink()
    assert (tmp_path / "real.py").read_bytes() == b"new\n"
    assert leftovers(tmp_path, keep="real.py") == ["link.py"]


def test_a_missing_target_is_an_error_and_nothing_is_created(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "app.py", b"new\n")
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not RUNNING_AS_ROOT, reason="only root can give files away")
def test_root_keeps_the_owner_and_group(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_bytes(b"old\n")
    os.chown(path, 1234, 5678)
    path.chmod(0o640)
    write_atomic(path, b"new\n")
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o640)
