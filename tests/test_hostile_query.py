"""Hostile and careless queries (issue 12, classes 1, 2, 3, 7 and 8): each bad input inline, each answer one
line and an exit code; no connection, no crash, no hang, nothing half-written."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import run

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 10^12 rows: runs for hours


def one_line(result, code: int, expected: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.stderr
    assert len(result.stderr.rstrip("\n").splitlines()) == 1, result.stderr
    assert expected in result.stderr, result.stderr


# --- 1. queries do not reach the network ---------------------------------------------------------------

@pytest.fixture
def listener():
    """A local TCP server on a free port that records whether anyone connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                received.append(conn.recv(65536) or b"<connected>")
            except OSError:
                received.append(b"<connected>")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join()
    server.close()


def test_service_is_refused_and_nothing_connects(built_project: Path, listener, tmp_path: Path):
    port, received = listener
    q = f"SELECT * WHERE {{\n  SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    one_line(run(built_project, "query", "-e", q, "--timeout", "5"), 2,
             "<expr>:2:3: SERVICE would send the query to another server")
    check = built_project / "queries" / "999_remote-violation.rq"
    check.write_text(f"#+ summary: s\n#+ description: d\n#+ tags: t\n{q}\n")
    try:
        one_line(run(built_project, "queries", "--check"), 2, "999_remote-violation.rq:5:3: SERVICE")
    finally:
        check.unlink()
    assert received == []
    # a SERVICE in a string or a comment is text, not a request
    quiet = run(built_project, "query", "-e", 'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" } # SERVICE', "-f", "csv")
    assert quiet.exit_code == 0, quiet.output


def test_allow_service_lets_it_through(built_project: Path, listener):
    port, received = listener
    q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    result = run(built_project, "query", "-e", q, "--allow-service", "--timeout", "5")
    assert result.exit_code == 2  # the listener answers nothing useful
    assert received  # so the refusal above is what kept the request from being sent


@pytest.mark.parametrize("update", ["INSERT DATA { <a:b> <a:c> <a:d> }", "DELETE WHERE { ?s ?p ?o }",
                                    "DROP ALL", "CLEAR DEFAULT", "LOAD <http://example.org/data.ttl>",
                                    "CREATE GRAPH <a:g>", "ADD DEFAULT TO <a:g>", "MOVE <a:g> TO <a:h>",
                                    "COPY <a:g> TO <a:h>"])
def test_sparql_update_is_not_run(built_project: Path, update: str):
    one_line(run(built_project, "query", "-e", update), 2,
             f"<expr>:1:1: kg does not run SPARQL Update ({update.split()[0]})")


# --- 2. runaway queries: --timeout, Ctrl-C, streaming -----------------------------------------------------

def kg(project: Path, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg.cli", "--project", str(project), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def test_timeout_stops_a_runaway_query(built_project: Path):
    p = kg(built_project, "query", "-e", CROSS, "--timeout", "1")
    _, err = p.communicate(timeout=60)
    assert p.returncode == 2
    assert err.decode().splitlines() == [
        "Error: <expr>: the query ran longer than the time limit of 1 s and was stopped (--timeout SECONDS sets it)"]


def test_ctrl_c_ends_a_runaway_query_at_once(built_project: Path, tmp_path: Path):
    out_file = tmp_path / "rows.csv"
    p = kg(built_project, "query", "-e", CROSS, "-o", str(out_file))
    # wait until the query runs (the worker thread exists), then interrupt
    import time

    time.sleep(3)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=30)
    assert p.returncode == 130
    assert err.decode().splitlines() == ["Error: interrupted"]
    assert not out_file.exists() and os.listdir(tmp_path) == []  # nothing half-written


def test_rows_stream_and_a_closed_pipe_ends_quietly(built_project: Path):
    """`kg query ... | head -1`: the rows stream (a cross product is never collected) and the closed pipe
    ends kg quietly, as for any command-line tool."""
    for fmt in ("csv", "tsv", "json"):
        p = kg(built_project, "query", "-e", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "-f", fmt)
        first = p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read()
        p.wait(timeout=60)
        assert first.strip(), fmt
        assert err == b"", err
        assert p.returncode == 141, fmt
    p = kg(built_project, "queries")
    p.stdout.close()
    assert p.wait(timeout=60) in (0, 141) and p.stderr.read() == b""


# --- 3. deep nesting and huge queries: one line, no segmentation fault ------------------------------------

DEEP = {
    "parentheses": "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
    "groups": "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000,
    "brackets": "SELECT * WHERE { ?s ?p " + "[ ?p " * 10_000 + "]" * 10_000 + " }",
}


@pytest.mark.parametrize("case", sorted(DEEP))
def test_deep_nesting_is_one_line(built_project: Path, tmp_path: Path, case: str):
    path = tmp_path / "deep.rq"
    path.write_text(DEEP[case])
    p = kg(built_project, "query", str(path))
    _, err = p.communicate(timeout=120)
    assert p.returncode == 2, err
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}:1:"), err
    assert lines[0].endswith(": nested deeper than 200 levels of (), [] and {}")


def test_a_megabyte_query_is_one_line(built_project: Path, tmp_path: Path):
    path = tmp_path / "long.rq"
    path.write_text("SELECT * WHERE { BIND(1 AS ?o) FILTER(" + " || ".join(["?o = 1"] * 100_000) + ") }")
    p = kg(built_project, "query", str(path))
    _, err = p.communicate(timeout=120)
    assert p.returncode == 2
    expected = f"Error: {path}:1:100001: the query is 1,000,037 characters long; kg reads at most 100,000"
    assert err.decode().splitlines() == [expected]


def test_long_chains_under_the_bound_do_not_crash(built_project: Path, tmp_path: Path):
    """Under the size bound, chains that overflowed the default 8 MiB stack run on the worker's deep one.

    10,000 terms already kill a process that evaluates them on its main thread; the engine's time grows with
    the square of the chain (3.6 s at 10,000 terms, 34 s at 30,000 here), so the test stays just above that."""
    path = tmp_path / "chain.rq"
    path.write_text("SELECT * WHERE { BIND(" + "+".join(["1"] * 12_000) + " AS ?x) }")
    p = kg(built_project, "query", str(path), "-f", "csv")
    out, err = p.communicate(timeout=120)
    assert (p.returncode, out) == (0, b"x\r\n12000\r\n"), err


# --- 7. SPARQL mistakes: the right position, one line --------------------------------------------------

MISTAKES = {
    "misspelt-select": ("# a comment\nSELEC ?s WHERE { ?s ?p ?o }",
                        "<expr>:2:1: SPARQL syntax error: expected SELECT, CONSTRUCT, DESCRIBE or ASK, not 'SELEC'"),
    "unknown-function": ("PREFIX f: <http://example.org/f#>\nSELECT * WHERE { ?s ?p ?o FILTER(f:nope(?o)) }",
                         "<expr>:2:34: unknown function <http://example.org/f#nope>"),
    "unknown-prefix-in-call": ("SELECT * WHERE { ?s ?p ?o FILTER(foo:bar(?o)) }",
                               "<expr>:1:34: unknown prefix 'foo:' (declare it: PREFIX foo: <...>)"),
    "invalid-utf8-expr": ("SELECT * WHERE { ?s ?p \"caf\udce9\" }", "<expr>:1:28: not UTF-8 text (byte 0xe9)"),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_sparql_mistakes_are_one_line_at_the_right_place(built_project: Path, case: str):
    text, expected = MISTAKES[case]
    result = run(built_project, "query", "-e", text)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == f"Error: {expected}" or expected in result.stderr.splitlines()[0]


def test_invalid_utf8_parameter_is_one_line(built_project: Path):
    one_line(run(built_project, "query", "-e", "SELECT * WHERE { ?s ?p ?_x }", "-p", "x", "caf\udce9"), 2,
             "<expr>: parameter 'x': not UTF-8 text (character 4)")
