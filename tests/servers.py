"""Real servers for the tests: `kg serve` and the Oxigraph server as processes on free local ports, and a
small HTTP client. Every process started here is stopped by the fixture that started it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

KG = [sys.executable, "-c", "from kg.cli import main; main()"]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 30.0) -> Reply:
    """One request; an HTTP error status is a Reply too, not an exception."""
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return Reply(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        return Reply(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


def get(url: str, accept: str | None = None, **headers: str) -> Reply:
    return http("GET", url, headers={**({"Accept": accept} if accept else {}), **headers})


class KgServer:
    """``kg --project ROOT serve --port 0 ARGS`` in a process; ``url`` is read from its first line."""

    def __init__(self, root: Path, *args: str, env: dict[str, str] | None = None):
        self.root = root
        self.proc = subprocess.Popen([*KG, "--project", str(root), "serve", "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, **(env or {})})
        assert self.proc.stdout is not None
        self.banner = self.proc.stdout.readline()
        m = re.search(r" on (http://\S+/) ", self.banner)
        if not m:
            self.stop()
            raise RuntimeError(
                f"kg serve did not start: {self.banner!r} {self.proc.stderr.read() if self.proc.stderr else ''}"
            )
        self.url = m[1]

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str]:
        """Stop the server as Ctrl-C does; its exit code and standard error."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        err = self.proc.stderr.read() if self.proc.stderr else ""
        for f in (self.proc.stdout, self.proc.stderr):
            if f:
                f.close()
        return self.proc.returncode, err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve`` (read-write) on a free port with its data in ``location``."""

    def __init__(self, location: Path):
        exe = Path(sys.executable).parent / "oxigraph"
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(exe), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"oxigraph did not start: {self.proc.stderr.read() if self.proc.stderr else b''!r}"
                    ) from None
                time.sleep(0.05)

    def counts(self) -> dict[str, int]:
        """Triples per named graph, asked of the server's SPARQL endpoint."""
        import json
        from urllib.parse import quote

        q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        r = get(f"{self.url}/query?query={quote(q)}", "application/sparql-results+json")
        assert r.status == 200, r.text
        return {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(r.body)["results"]["bindings"]}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()
