"""Benchmark of `kg serve` and `kg push`, each beside a baseline measured in the same run.

    python benchmarks/bench_serve.py                 # bundled briefing and 100k triples, 10 s per load
    python benchmarks/bench_serve.py --seconds 5 --clients 16

Part 1, catalogue queries: every catalogued query (parameters at their defaults, bound as constants, the
prologue of kg's prefixes written out) sent round-robin by 16 concurrent clients for a bounded time,
through kg serve's /sparql and through `oxigraph serve-read-only` on the same on-disk store; throughput and
p50/p99 latency of each. Both servers run at once and take the load in turns, 2 s each, so that the
machine's other work falls on both alike. Goals: kg serve >= 0.8x Oxigraph's throughput, p99 <= 1.5x
Oxigraph's. Beside each, the CPU time the server and the clients spent per request.

Part 2, entity pages: /id/SLUG as HTML for a sample of entities, 16 clients; goal p99 < 50 ms. Beside it,
for scale, the same entities' DESCRIBE through the Oxigraph server.

Part 3, kg push of the 100k dataset into a fresh `oxigraph serve` (a POST per graph, as none is there yet,
then the check: one COUNT query grouped by graph), and again into a server that holds the graphs already (a
PUT per graph, replacing each); beside them, the whole N-Quads file POSTed to the same server in one request,
and, for the stores kg knows no query endpoint of, the check by reading every graph back. Goal: < 5 s.

The clients are threads of this process with keep-alive connections (http.client); they share the
machine's cores with the server under test, the same for both servers. Files go to benchmarks/out/.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
OXIGRAPH = str(Path(PY).parent / "oxigraph")
sys.path.insert(0, str(ROOT / "benchmarks"))

SERVE = """
import sys
from pathlib import Path
from kg.project import Project
from kg.serve.app import Settings, create_app, run_app
settings = Settings()
run_app(create_app(Project(Path(sys.argv[1])), settings), settings, "127.0.0.1", 0,
        lambda url: print(url, flush=True))
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen) -> None:
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the server exited") from None
            time.sleep(0.05)
    raise RuntimeError("the server did not start")


class Server:
    def __init__(self, kind: str, project: Path, store: Path):
        self.kind = kind
        if kind == "kg":
            self.proc = subprocess.Popen([PY, "-c", SERVE, str(project)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
            url = self.proc.stdout.readline().strip()
            self.port = int(url.rsplit(":", 1)[1].strip("/"))
            self.query_path = "/sparql"
        else:
            self.port = free_port()
            self.proc = subprocess.Popen(
                [OXIGRAPH, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{self.port}"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self.query_path = "/query"
        wait_for(self.port, self.proc)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) process ``pid`` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(port: int, requests: list[tuple[str, str, bytes | None, dict]], clients: int, seconds: float) -> dict:
    """``clients`` threads sending ``requests`` (method, path, body, headers) round-robin for ``seconds``."""
    return summary(*timed(port, requests, clients, seconds))


def turns(servers: list[tuple[int, int, list]], clients: int, seconds: float, turn: float = 2.0) -> list[dict]:
    """Load on each of ``servers`` (port, pid, requests) in turns of ``turn`` seconds until each has had
    ``seconds``; each one's figures over all its turns, with the CPU its server and the clients used."""
    got = [([], 0.0, 0, 0.0, 0.0) for _ in servers]
    done = 0.0
    while done < seconds - 1e-9:
        step = min(turn, seconds - done)
        for k, (port, pid, requests) in enumerate(servers):
            server0, client0 = cpu_seconds(pid), sum(os.times()[:2])
            latencies, elapsed, errors = timed(port, requests, clients, step)
            lat, el, err, server, client = got[k]
            got[k] = (lat + latencies, el + elapsed, err + errors, server + cpu_seconds(pid) - server0,
                      client + sum(os.times()[:2]) - client0)
        done += step
    out = []
    for latencies, elapsed, errors, server, client in got:
        r = summary(latencies, elapsed, errors)
        r["server_cpu_ms"], r["client_cpu_ms"] = 1000 * server / len(latencies), 1000 * client / len(latencies)
        out.append(r)
    return out


def timed(port: int, requests: list[tuple[str, str, bytes | None, dict]], clients: int,
          seconds: float) -> tuple[list[float], float, int]:
    """The latencies of the requests ``clients`` threads sent in ``seconds``, the time taken, the errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, i = [], offset
        while time.monotonic() < stop_at:
            method, path, body, headers = requests[i % len(requests)]
            i += 1
            t = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
                if r.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append(time.perf_counter() - t)
            if not ok:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(k * 7,)) for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.monotonic() - started, errors[0]


def summary(latencies: list[float], elapsed: float, errors: int) -> dict:
    latencies = sorted(latencies)

    def pick(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": pick(0.50),
        "p99_ms": pick(0.99),
        "mean_ms": statistics.fmean(latencies) * 1000,
    }


def catalogue_requests(store_dir: Path, path: str) -> list[tuple[str, str, bytes, dict]]:
    import pyoxigraph as ox

    from kg.catalogue import load_catalogue
    from kg.prefixes import prologue
    from kg.query import bind, bind_params

    store = ox.Store.read_only(str(store_dir))
    out = []
    for q in load_catalogue(ROOT / "queries"):
        if q.is_check:
            continue
        text = prologue() + bind(q.text, bind_params(store, q.params, [], q.name))
        out.append(
            (
                "POST",
                path,
                text.encode(),
                {
                    "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json, text/turtle;q=0.9",
                },
            )
        )
    return out


def entities(store_dir: Path, n: int = 200) -> list[str]:
    import pyoxigraph as ox

    from kg.prefixes import PREFIXES

    store = ox.Store.read_only(str(store_dir))
    rows = store.query("SELECT DISTINCT ?e WHERE { ?e skos:prefLabel ?l } ORDER BY ?e", prefixes=PREFIXES)
    iris = [r[0].value for r in rows]
    step = max(1, len(iris) // n)
    return [i.removeprefix(PREFIXES["kgr"]) for i in iris[::step]][:n]


def row(name: str, r: dict, base: dict | None = None) -> str:
    line = f"  {name:<34}{r['rps']:>9.1f}{r['p50_ms']:>10.1f}{r['p99_ms']:>10.1f}{r['requests']:>9}{r['errors']:>7}"
    if "server_cpu_ms" in r:
        line += f"{r['server_cpu_ms']:>10.2f}{r['client_cpu_ms']:>10.2f}"
    if base:
        line += f"   throughput {r['rps'] / base['rps']:.2f}x, p99 {r['p99_ms'] / base['p99_ms']:.2f}x"
    return line


HEADER = f"  {'':<34}{'req/s':>9}{'p50 ms':>10}{'p99 ms':>10}{'requests':>9}{'errors':>7}"
CPU_HEADER = HEADER + f"{'server':>10}{'clients':>10}  (CPU ms per request)"


def bench_dataset(name: str, project: Path, store_dir: Path, clients: int, seconds: float) -> dict:
    print(f"\n== {name}: catalogue queries, {clients} clients, {seconds:g} s each, in turns of 2 s")
    print(CPU_HEADER)
    ox_server, kg_server = Server("oxigraph", project, store_dir), Server("kg", project, store_dir)
    try:
        ox_reqs = catalogue_requests(store_dir, ox_server.query_path)
        reqs = [(m, kg_server.query_path, b, h) for m, _, b, h in ox_reqs]
        load(ox_server.port, ox_reqs, clients, 1.0)  # warm-up
        load(kg_server.port, reqs, clients, 1.0)
        base, kg = turns([(ox_server.port, ox_server.proc.pid, ox_reqs), (kg_server.port, kg_server.proc.pid, reqs)],
                         clients, seconds)
        ox_server.stop()
        print(row("oxigraph serve-read-only (baseline)", base))
        print(row("kg serve /sparql", kg, base))
        print(
            f"  goals: throughput >= 0.80x ({'met' if kg['rps'] >= 0.8 * base['rps'] else 'NOT met'}), "
            f"p99 <= 1.50x ({'met' if kg['p99_ms'] <= 1.5 * base['p99_ms'] else 'NOT met'})"
        )
        slugs = entities(store_dir)
        pages = [("GET", f"/id/{s}", None, {"Accept": "text/html"}) for s in slugs]
        load(kg_server.port, pages, clients, 1.0)
        page = load(kg_server.port, pages, clients, seconds)
    finally:
        kg_server.stop()
        ox_server.stop()
    ox_server = Server("oxigraph", project, store_dir)
    try:
        from urllib.parse import quote

        from kg.prefixes import PREFIXES

        kgr = PREFIXES["kgr"]
        describes = [
            ("GET", "/query?query=" + quote(f"DESCRIBE <{kgr}{s}>"), None, {"Accept": "text/turtle"}) for s in slugs
        ]
        described = load(ox_server.port, describes, clients, seconds)
    finally:
        ox_server.stop()
    print(f"\n== {name}: entity pages, {len(slugs)} entities, {clients} clients")
    print(HEADER)
    print(row("oxigraph DESCRIBE (for scale)", described))
    print(row("kg serve /id/SLUG as HTML", page))
    print(f"  goal: p99 < 50 ms ({'met' if page['p99_ms'] < 50 else 'NOT met'})")
    return {"oxigraph": base, "kg": kg, "pages": page, "describe": described}


def scaled_project(triples: int) -> tuple[Path, Path]:
    """A project folder whose build/current is a generation of the scaled dataset (benchmarks/bench_query.py)."""
    from bench_query import scaled_dataset

    from kg.build import write_store

    nq = scaled_dataset(triples)
    root = OUT / f"serve-{triples}"
    gen = root / "build" / "gen-bench"
    if not (gen / "oxigraph").is_dir():
        shutil.rmtree(root, ignore_errors=True)
        gen.mkdir(parents=True)
        write_store(nq, gen / "oxigraph")
        shutil.copyfile(nq, gen / "kg.nq")
        (gen / "stamp.json").write_text(json.dumps({"triples": nq.read_bytes().count(b"\n")}))
        os.symlink("gen-bench", root / "build" / "current")
        shutil.copytree(ROOT / "queries", root / "queries")
    return root, gen


def bench_push(root: Path, gen: Path) -> dict:
    import urllib.request

    import pyoxigraph as ox

    from kg.push import _read_back, graphs_of, push

    print("\n== kg push of the 100k dataset into a fresh oxigraph serve")
    store = ox.Store.read_only(str(gen / "oxigraph"))
    graphs = graphs_of(store)

    def post_all(url: str) -> int:
        body = (gen / "kg.nq").read_bytes()
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/n-quads"})
        urllib.request.urlopen(request).read()
        return body.count(b"\n")

    def kg_push(url: str) -> int:
        return push(store, url, graphs, nquads=gen / "kg.nq").triples

    def read_back(url: str) -> int:
        return sum(_read_back(url, g, {}, 60.0, []) for g in graphs)

    # (what, what is done first and not timed, what is timed)
    hows = [
        ("one POST of the whole N-Quads file (baseline)", None, post_all),
        ("kg push (POST each new graph; one COUNT)", None, kg_push),
        ("kg push again (PUT each graph; one COUNT)", kg_push, kg_push),
        ("every graph read back (the check without SPARQL)", kg_push, read_back),
    ]
    results = {}
    for how, before, timed in hows:
        data = OUT / "push-target"
        shutil.rmtree(data, ignore_errors=True)
        port = free_port()
        proc = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(data), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(port, proc)
            url = f"http://127.0.0.1:{port}/store"
            if before is not None:
                before(url)
            server0, t = cpu_seconds(proc.pid), time.perf_counter()
            n = timed(url)
            seconds, server = time.perf_counter() - t, cpu_seconds(proc.pid) - server0
        finally:
            proc.terminate()
            proc.wait()
            shutil.rmtree(data, ignore_errors=True)
        results[how] = {"seconds": seconds, "server_cpu_s": server}
        print(f"  {how:<52}{seconds:>7.2f} s  (server CPU {server:.2f} s; {n:,} triples)")
    for how in [h for h, _, _ in hows[1:3]]:
        print(f"  goal: < 5 s for {how.split(' (')[0]}: {'met' if results[how]['seconds'] < 5 else 'NOT met'}")
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="seconds of load per server and dataset")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--scale", type=int, default=100_000, help="triples of the scaled dataset")
    args = ap.parse_args()
    print(f"kg serve benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    subprocess.run(
        [PY, "-c", "from kg.cli import main; main()", "build"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    from kg.build import current_generation

    results = {}
    gen = current_generation(ROOT / "build")
    assert gen is not None
    results["bundled"] = bench_dataset("bundled briefing", ROOT, gen / "oxigraph", args.clients, args.seconds)
    root, scaled = scaled_project(args.scale)
    results[str(args.scale)] = bench_dataset(
        f"{args.scale:,} triples", root, scaled / "oxigraph", args.clients, args.seconds
    )
    results["push"] = bench_push(root, scaled)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "serve-results.json").write_text(json.dumps(results, indent=2))
    print(f"\nfigures written to {(OUT / 'serve-results.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
