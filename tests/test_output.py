"""-o FILE writes without destroying what FILE is: devices and pipes are written, not replaced; a file keeps
its mode; a symlink stays a symlink and its target gets the output; a full disk is one line (issue 12,
class 5). One writer does it all: kg.build.writing (atomic_write, and emit() in the CLI)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run
from kg.build import atomic_write
from kg.errors import KgError


@pytest.fixture(scope="module")
def tiny_built(tmp_path_factory) -> Path:
    from kgproc import tiny_project

    root = tiny_project(tmp_path_factory.mktemp("out") / "tiny")
    assert run(root, "build").exit_code == 0
    return root


def stats_to(root: Path, output: str):
    return run(root, "stats", "--json", "-o", output)


def test_dev_null_stays_a_device(tiny_built: Path):
    result = stats_to(tiny_built, "/dev/null")
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_disk_is_one_line_naming_the_file_and_enospc(tiny_built: Path):
    result = stats_to(tiny_built, "/dev/full")
    assert result.exit_code == 2
    assert result.stderr == "Error: /dev/full: cannot write the file: No space left on device (ENOSPC)\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    with pytest.raises(KgError, match=r"^/dev/full: cannot write the page: No space left on device \(ENOSPC\)$"):
        atomic_write(Path("/dev/full"), b"x" * 100_000, what="the page")


def test_dev_stdout_is_written_not_replaced(tiny_built: Path):
    cmd = [sys.executable, "-c", "from kg.cli import main; main()", "--project", str(tiny_built), "stats", "--json",
           "-o", "/dev/stdout"]
    out = subprocess.run(cmd, capture_output=True, check=True).stdout  # standard output is a pipe here
    assert b'"triples"' in out
    assert os.path.islink("/dev/stdout")


def test_a_fifo_is_written_not_replaced(tiny_built: Path, tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there, so the writer does not block
    try:
        assert stats_to(tiny_built, str(fifo)).exit_code == 0
        assert b'"triples"' in os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_an_existing_file_keeps_its_mode(tiny_built: Path, tmp_path: Path):
    secret = tmp_path / "stats.json"
    secret.write_text("old")
    secret.chmod(0o600)
    assert stats_to(tiny_built, str(secret)).exit_code == 0
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert '"triples"' in secret.read_text()


def test_a_symlink_is_written_through_to_its_target(tiny_built: Path, tmp_path: Path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "stats.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert stats_to(tiny_built, str(link)).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert '"triples"' in target.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real"]
    assert [p.name for p in (tmp_path / "real").iterdir()] == ["stats.json"]  # no temporary left behind


def test_dash_is_standard_output(tiny_built: Path, tmp_path: Path):
    result = run(tiny_built, "stats", "--json", "-o", "-")
    assert result.exit_code == 0
    assert '"triples"' in result.stdout
    assert not (Path.cwd() / "-").exists()
