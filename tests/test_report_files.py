"""``report`` writes files safely: no symlink followed, nothing replaced without
--force, every temporary file removed, a partial failure listed (issue 15, points 2, 8)."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import IO, Any

import pytest

from cxcost.cli import main
from cxcost.report.bundle import write_file

pytestmark = pytest.mark.slow  # each runs the report command: a few seconds

FORMATS = ["--formats", "html,xlsx"]
FILES = ["utility-report.html", "utility-workbook.xlsx"]


def _report(out: Path, *extra: str) -> list[str]:
    return ["report", "utility", "--out", str(out), *FORMATS, *extra]


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_a_symlink_at_the_old_temporary_name_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old code wrote OUT/.<file>.tmp and renamed it: a symlink planted there
    made it overwrite a file outside --out."""
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    for name in FILES:
        (out / f".{name}.tmp").symlink_to(outside)
    assert main(_report(out)) == 0
    assert outside.read_text() == "keep me"
    written = capsys.readouterr().out.split()
    assert sorted(Path(line).name for line in written) == FILES
    assert all(not (out / name).is_symlink() for name in FILES)


def test_a_symlink_at_the_final_name_is_refused_then_replaced_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / FILES[1]).symlink_to(outside)
    assert main(_report(out)) == 2
    err = capsys.readouterr().err
    assert "1 of the files exist already (utility-workbook.xlsx)" in err
    assert "--force" in err
    assert _names(out) == [FILES[1]]
    assert main(_report(out, "--force")) == 0
    assert outside.read_text() == "keep me"
    assert not (out / FILES[1]).is_symlink()
    assert (out / FILES[1]).read_bytes()[:2] == b"PK"


def test_existing_files_are_kept_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_report(tmp_path)) == 0
    (tmp_path / FILES[0]).write_text("my edits")
    capsys.readouterr()
    assert main(_report(tmp_path)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("error: --out: cannot write to ")
    assert "2 of the files exist already" in err
    assert (tmp_path / FILES[0]).read_text() == "my edits"
    assert main(_report(tmp_path, "--force")) == 0
    assert (tmp_path / FILES[0]).read_text().startswith("<!DOCTYPE html>")
    assert _names(tmp_path) == FILES


def test_a_full_disk_exits_1_listing_what_was_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old code exited 2 ("before anything is written") without listing the
    file it had written, and left a partial .tmp behind. Here the disk fills up
    half-way through the second file."""
    real_fdopen = os.fdopen
    opened: list[int] = []

    class FillsUp:
        def __init__(self, stream: IO[Any]) -> None:
            self.stream = stream

        def __enter__(self) -> FillsUp:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

        def write(self, data: bytes) -> int:
            self.stream.write(data[: len(data) // 2])
            self.stream.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(handle: int, mode: str = "r") -> object:
        stream = real_fdopen(handle, mode)
        if not os.readlink(f"/proc/self/fd/{handle}").startswith(str(tmp_path)):
            return stream
        opened.append(handle)
        return FillsUp(stream) if len(opened) > 1 else stream

    monkeypatch.setattr(os, "fdopen", fdopen)
    assert main(_report(tmp_path)) == 1
    out, err = capsys.readouterr()
    (first,) = [Path(line).name for line in out.split()]
    (second,) = set(FILES) - {first}
    assert err.strip() == (
        f"error: utility: {second} could not be written "
        "(No space left on device); the report stopped there"
    )
    assert _names(tmp_path) == [first]


@pytest.mark.parametrize("replace", [False, True])
def test_write_file_removes_its_temporary_file_on_any_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replace: bool
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "input/output error")

    monkeypatch.setattr(os, "replace" if replace else "link", broken)
    with pytest.raises(OSError, match="input/output error"):
        write_file(tmp_path / "a.bin", b"data", replace=replace)
    assert _names(tmp_path) == []


def test_write_file_never_replaces_without_being_asked(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        write_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert write_file(target, b"new", replace=True) == target
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == ["a.bin"]
