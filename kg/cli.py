"""The kg command: a thin click layer over the library. Exit codes: 0 success, 1 a "no" answer
(does not conform, no path), 2 bad input or usage, 130 interrupted (Ctrl-C), 141 standard output closed
early (``kg ... | head``: as a command killed by SIGPIPE, and as quietly)."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import click

from .errors import KgError, shown
from .project import Project, find_project

#: A command function, as a click option decorator takes and gives it back.
F = TypeVar("F", bound=Callable[..., Any])


class Failure(click.ClickException):
    """Bad input: one line on stderr, exit code 2."""

    exit_code = 2


class Interrupted(click.ClickException):
    """Ctrl-C: one line on stderr, exit code 130 (128 + SIGINT, as a shell reports it)."""

    exit_code = 130


class Group(click.Group):
    """Every command's errors become one line: bad input exit 2, Ctrl-C exit 130, a closed pipe quietly."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as e:
            raise Failure(str(e)) from None
        except KeyboardInterrupt:
            raise Interrupted("interrupted") from None
        except OSError as e:
            if e.errno == errno.EPIPE:
                _quiet_after_closed_pipe()
                ctx.exit(141)
            raise Failure(f"{e.filename or ''}: {e.strerror or e}".lstrip(": ")) from None


def _quiet_after_closed_pipe() -> None:
    """The reader of standard output has gone (``| head``): point stdout at /dev/null, so that the flush at
    exit does not fail once more (the recipe of Python's documentation, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file descriptor (an in-process runner): nothing to flush
        pass


@click.group(cls=Group)
@click.version_option(package_name="kg")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), envvar="KG_PROJECT",
              help="The project folder (with data/ and ontology/). Default: the working directory, else this checkout.")
@click.pass_context
def cli(ctx: click.Context, project: Path | None) -> None:
    """Turn government press briefings into an RDF knowledge graph and question it.

    Every command but build uses the built dataset and rebuilds it first when data/ or ontology/ changed.
    """
    ctx.obj = project


def get_project(ctx: click.Context) -> Project:
    root = ctx.find_root().obj
    return find_project(root)


def output_option(f: F) -> F:
    """-o/--output FILE: write there (atomically) instead of standard output."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write to FILE (atomically) instead of standard output.")(f)


def briefing_options(f: F) -> F:
    """--briefing SLUG (repeatable), --since and --until DAY: what those briefings state (kg.graphview.by_briefing)."""
    for option in reversed((
        click.option("--briefing", "briefings", metavar="SLUG", multiple=True,
                     help="Only what this briefing states (repeatable): its entities, relations and figures."),
        click.option("--since", metavar="YYYY-MM-DD", help="Only what briefings held on or after this day state."),
        click.option("--until", metavar="YYYY-MM-DD", help="Only what briefings held on or before this day state."),
    )):
        f = option(f)
    return f


def emit(data: bytes | str, output: Path | None) -> None:
    """Write ``data`` to standard output (``output`` None or ``-``) or to ``output``, through the one writer,
    kg.build.writing: a regular file atomically (keeping its mode; through a symlink to its target), a
    device or pipe directly. A streaming writer uses ``with kg.build.writing(path) as f:`` itself."""
    from .build import atomic_write

    raw = data.encode("utf-8") if isinstance(data, str) else data
    atomic_write(output if output is not None else Path("-"), raw)


@contextmanager
def output_stream(output: Path | None) -> Iterator[BinaryIO]:
    """Where a command streams its output: standard output as it is written; -o FILE through emit(), in one
    piece once all of it is there, so a failed or interrupted command leaves FILE as it was."""
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    import io

    buf = io.BytesIO()
    yield buf
    emit(buf.getvalue(), output)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback drawing a bar with counts on standard error when it is a terminal (and there is
    more than one step); None, and nothing drawn, when it is not."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: list[Any] = []

    def update(done: int, total: int) -> None:
        if not bars and total > 1:
            bars.append(click.progressbar(length=total, label=label, show_pos=True, show_eta=True, file=sys.stderr))
        if bars:
            bars[0].update(done - bars[0].pos)

    try:
        yield update
    finally:
        if bars:
            bars[0].render_finish()


def timeout_option(default: float | None, says: str) -> Callable[[F], F]:
    """--timeout SECONDS: stop a query that runs longer (exit code 2)."""
    return click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=default, metavar="SECONDS",
                        show_default=default is not None, help=f"Stop a query that runs longer than SECONDS. {says}")


def allow_service_option(f: F) -> F:
    """--allow-service: let SERVICE reach the servers it names."""
    return click.option("--allow-service", is_flag=True,
                        help="Let SERVICE send the query to the server it names (refused by default: a query copied "
                             "from the web should not make requests on your behalf).")(f)


@cli.command()
@click.option("--reviewed-only", is_flag=True,
              help="Leave out what kg draft proposed (each briefing's draft.yaml); the other commands keep "
                   "leaving it out until a build without this option.")
@click.pass_context
def build(ctx: click.Context, reviewed_only: bool) -> None:
    """Build the RDF dataset from data/ and ontology/ into build/.

    Writes build/kg.trig (every named graph), build/kg.nq, one Turtle file per graph in build/graphs/,
    and a stamp of the inputs. The same inputs give byte-identical files. Says how the registry's
    entities (data/entities/) are shared among the briefings, and warns of one that no briefing names.
    Drafted items (data/annotations/SLUG/draft.yaml) are included, marked as drafted, unless
    --reviewed-only.

    Example: kg build --reviewed-only
    """
    from .build import write_build

    project = get_project(ctx)
    with _progress("Building briefings") as progress:
        built = write_build(project, reviewed_only=reviewed_only, progress=progress)

    def rel(p: Path) -> Path:
        return p.relative_to(project.root) if p.is_relative_to(project.root) else p

    out = built.dir  # the documented paths, symlinks into the generation just written
    click.echo(f"Built {built.triples} triples in {len(built.graphs)} named graphs ({', '.join(built.graphs)}).")
    click.echo(f"Wrote {rel(out / 'kg.trig')}, {rel(out / 'kg.nq')} and {rel(out / 'graphs')}/*.ttl")
    if built.sharing is not None and built.sharing.registry:
        click.echo(f"Registry: {built.sharing.summary()}")
        for e in built.sharing.unnamed():
            where = f"{shown(e.loc.path)}:{e.loc.line}: " if e.loc else ""
            click.echo(f"Warning: {where}registry entity '{e.id}' is named by no briefing "
                       "(mention it in a briefing's annotations, or remove it)", err=True)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--slug", help="The briefing's name (default: from the file name), like aurelport-2024-03-12.")
@click.option("--date", metavar="YYYY-MM-DD", help="The day the briefing was held (default: a page's date).")
@click.option("--title", help="Its title (default: a page's title, or a text's first line).")
@click.option("--publisher", metavar="ID", help="Who published it: an entity id of the registry (data/entities/).")
@click.option("--url", help="Where it was published (default: a page's own address).")
@click.option("--series", help="The series it belongs to.")
@click.option("--number", type=int, help="Its number in the series.")
@click.option("--language", help="Its language, a BCP 47 tag (default: en).")
@click.pass_context
def add(ctx: click.Context, file: Path, slug: str | None, date: str | None, title: str | None,
        publisher: str | None, url: str | None, series: str | None, number: int | None,
        language: str | None) -> None:
    """Add a new briefing: a .txt (copied byte-for-byte) or a saved .html/.htm page (its main text).

    Writes data/briefings/SLUG.txt and SLUG.meta.yaml, prints the slug and what it could not find. Never
    overwrites a briefing; bad input is one line, exit code 2, and nothing written. Next: kg draft SLUG.

    Example: kg add larkmoor.txt --date 2024-03-12 --publisher aurelport-information-office
    """
    from .add import add_briefing

    project = get_project(ctx)
    added = add_briefing(project, file, slug=slug, date=date, title=title, publisher=publisher, url=url,
                         series=series, number=number, language=language)
    click.echo(added.slug)
    for path in (added.text_path, added.meta_path):
        click.echo(f"wrote {shown(path)}" + (f" ({added.sentences} sentences)" if path == added.text_path else ""))
    for key, came_from in added.sources.items():
        click.echo(f"{key}: from {came_from}")
    for line in added.missing:
        click.echo(f"not found: {line}")


@cli.command()
@click.argument("data", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def validate(ctx: click.Context, data: Path | None) -> None:
    """Check the built dataset (or the RDF file DATA) against the SHACL shapes and every span against its text.

    DATA may be TriG, N-Quads, Turtle, N-Triples, JSON-LD or RDF/XML, by its extension.
    Exit code 0: conforms; 1: does not conform; 2: error (as pySHACL documents).

    Example: kg validate
    """
    from .build import load_built
    from .validate import load_rdf, load_shapes, validate_dataset

    project = get_project(ctx)
    ds = load_built(project) if data is None else load_rdf(data)
    report = validate_dataset(ds, load_shapes(project.shapes_file))
    click.echo(report.text())
    ctx.exit(report.exit_code)


@cli.command()
@click.option("-f", "--format", "fmt", default=None,
              help="Export format (see the list below). Default: from the -o extension, else turtle.")
@output_option
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write the whole dataset (ontology and every briefing) in an RDF format.

    Formats: turtle, nt (triples, graphs merged); nquads, trig, jsonld (named graphs kept); xml;
    graphml (the entity network, for Gephi and other network tools).

    Example: kg export --format nt -o minhang.nt
    """
    from .build import load_built
    from .export import export_bytes, export_format, format_for_path

    fmt = fmt or format_for_path(output)
    export_format(fmt)  # an unknown format fails before the dataset is loaded
    emit(export_bytes(load_built(get_project(ctx)), fmt), output)


# --- questioning the graph: kg query, kg queries, kg describe, kg search (kg/query.py and friends) ------

@cli.command()
@click.argument("query", required=False)
@click.option("-e", "--expr", metavar="SPARQL", help="The query text itself, instead of a name or a file.")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="Bind parameter NAME (the variable ?_NAME) to VALUE, as an RDF term. Repeatable.")
@click.option("-f", "--format", "fmt", metavar="FORMAT",
              help="table, csv, tsv, json, xml, markdown (SELECT, ASK); turtle, nt, jsonld, rdfxml (CONSTRUCT, "
                   "DESCRIBE). "
                   "Default: table on a terminal, else csv; turtle for graphs; from the -o extension when given.")
@output_option
@click.option("--limit", type=click.IntRange(min=0), help="Return at most N rows (or triples).")
@timeout_option(None, "Default: no limit (Ctrl-C stops any query at once).")
@allow_service_option
@click.option("--time", "timed", is_flag=True, help="Print the elapsed time to standard error.")
@click.pass_context
def query(ctx: click.Context, query: str | None, expr: str | None, params: tuple[tuple[str, str], ...],
          fmt: str | None, output: Path | None, limit: int | None, timeout: float | None, allow_service: bool,
          timed: bool) -> None:
    """Run a SPARQL query on the built dataset: a catalogued query by NAME (see kg queries), a .rq FILE,
    -e TEXT, or standard input (QUERY '-' or none).

    Triple patterns see every named graph; the prefixes kg, kgr, rdfs, skos, org, schema, prov, nif, qb,
    sdmx-*, unit, time, ... are declared for you. Parameters are bound as RDF terms, never pasted into the
    text. Rows are written as they come (csv, tsv, json). kg query answers queries only: no SPARQL Update,
    and no SERVICE unless --allow-service. Exit code: 0 success (an ASK that is true); 1 an ASK that is
    false; 2 bad input or a timeout; 130 Ctrl-C.

    Example: kg query linked-to-zone -p zone "Greater Neo Bay" --format markdown
    """
    import time

    from .catalogue import decode_text, load_query
    from .query import query_with_params
    from .results import check_format, default_format, format_for_path, write_result
    from .store import open_store

    started = time.perf_counter()
    project = get_project(ctx)
    if expr is not None and query is not None:
        raise Failure("give a query NAME or FILE, or -e TEXT, not both")
    if expr is not None:
        text, source = expr, "<expr>"
    elif query is None or query == "-":
        if query is None and sys.stdin.isatty():
            raise Failure("no query: give a NAME (see kg queries), a .rq FILE, -e TEXT, or '-' for standard input")
        text, source = decode_text(sys.stdin.buffer.read(), "<stdin>"), "<stdin>"
    else:
        text, source = load_query(query, project.queries_dir)
    store = open_store(project)
    opened = time.perf_counter()
    answer = query_with_params(store, text, list(params), source=source, limit=limit, timeout=timeout,
                               allow_service=allow_service)
    ran = time.perf_counter()
    name = fmt or (output is not None and format_for_path(output, answer.kind)) or \
        default_format(answer.kind, output is None and sys.stdout.isatty())
    writer = check_format(name, answer.kind)
    with output_stream(output) as out:
        write_result(answer, writer, out, store)
    if timed:
        def ms(a: float, b: float) -> str:
            return f"{(b - a) * 1000:.1f} ms"

        click.echo(f"time: {ms(started, time.perf_counter())} (open store {ms(started, opened)}, "
                   f"query {ms(opened, ran)}, output {ms(ran, time.perf_counter())})", err=True)
    if answer.kind == "ask" and not answer.boolean:
        ctx.exit(1)


@cli.command()
@click.argument("slug")
@click.option("-f", "--format", "fmt", metavar="FORMAT", help="table, csv, tsv, json or markdown (as kg query).")
@click.pass_context
def review(ctx: click.Context, slug: str, fmt: str | None) -> None:
    """List what kg draft proposed for briefing SLUG, least sure first, each with its sentence.

    Reviewing is moving an item out of data/annotations/SLUG/draft.yaml into a curated file (dropping its
    confidence and rule). This is the catalogue query drafted-items.

    Example: kg review aurelport-larkmoor-2024-03-12
    """
    ctx.invoke(query, query="drafted-items", params=(("briefing", slug),), fmt=fmt)


@cli.command()
@click.option("--tag", help="Only the queries with this tag.")
@click.option("-v", "--verbose", is_flag=True, help="Show each query's description and parameters in full.")
@click.option("--check", is_flag=True, help="Run every *-violation query; exit 1 if any returns a row.")
@timeout_option(60.0, "With --check: for each query.")
@allow_service_option
@click.pass_context
def queries(ctx: click.Context, tag: str | None, verbose: bool, check: bool, timeout: float,
            allow_service: bool) -> None:
    """List the query catalogue (queries/NNN_slug.rq): name, parameters and summary.

    With --check, run the *-violation queries, which must return no rows. Exit code: 0 all pass; 1 a check
    returned rows; 2 bad input.

    Example: kg queries --tag figures
    """
    from .catalogue import load_catalogue

    project = get_project(ctx)
    catalogue = [q for q in load_catalogue(project.queries_dir) if tag is None or tag in q.tags]
    if check:
        from .query import run_checks
        from .store import open_store

        store = open_store(project)
        failed = 0
        for q, result in run_checks(store, catalogue, timeout=timeout, allow_service=allow_service):
            rows = result.rows
            failed += bool(rows)
            click.echo(f"{'FAIL' if rows else 'ok  '} {q.name}" + (f": {len(rows)} rows" if rows else ""))
            for row in rows[:10]:
                click.echo("       " + "  ".join("" if t is None else str(t) for t in row))
        ctx.exit(1 if failed else 0)
    width = max((len(q.name) for q in catalogue), default=0)
    for q in catalogue:
        params = " ".join(f"{p.name}={p.default}" if p.default else f"{p.name}=?" for p in q.params)
        click.echo(f"{q.number:03d}  {q.name:<{width}}  {q.summary}" + (f"  [{params}]" if params else ""))
        if verbose:
            click.echo(f"     {q.description}")
            for p in q.params:
                default = f", default {p.default}" if p.default else ", required"
                click.echo(f"     -p {p.name} VALUE: {p.help or p.type} ({p.type}{default})")
            click.echo(f"     tags: {', '.join(q.tags)}\n")


@cli.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as JSON instead of writing draft.yaml.")
@click.pass_context
def draft(ctx: click.Context, slug: str, as_json: bool) -> None:
    """Propose annotations for briefing SLUG: data/annotations/SLUG/draft.yaml.

    Every item carries its verbatim quote, a confidence (0-1) and the rule that proposed it; entities the
    project knows are referred to by their ids. Refuses to overwrite a reviewed file; replaces its own
    earlier draft. Exit 2 on bad input.

    Example: kg draft aurelport-larkmoor-2024-03-12
    """
    from .draft.draft import as_json as proposal_json
    from .draft.draft import draft_briefing, write_draft

    project = get_project(ctx)
    proposal = draft_briefing(project, slug)
    if as_json:
        click.echo(proposal_json(proposal), nl=False)
        return
    target = write_draft(project, proposal)
    if proposal.is_empty():
        click.echo(f"{shown(target)}: no sentence the rules recognise: an empty draft")
    else:
        click.echo(f"{shown(target)}: {len(proposal.entities)} entities, {len(proposal.figures)} figures, "
                   f"{len(proposal.relations)} relations proposed")


@cli.command()
@click.argument("draft_file", metavar="DRAFT", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("curated", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores, misses and extras as JSON.")
@click.pass_context
def score(ctx: click.Context, draft_file: Path, curated: Path, as_json: bool) -> None:
    """Precision, recall and F1 of DRAFT (a draft.yaml) against the annotation folder CURATED, per kind.

    Example: kg score data/annotations/x/draft.yaml reviewed/x
    """
    import json

    from .annotations import load_registry
    from .score import render
    from .score import score as score_draft

    result = score_draft(draft_file, curated, load_registry(get_project(ctx).entities_dir))
    click.echo(json.dumps(result, indent=2) if as_json else render(result), nl=as_json)


@cli.command()
@click.argument("entity")
@click.pass_context
def describe(ctx: click.Context, entity: str) -> None:
    """Everything the graph says of ENTITY, each fact with the sentence behind it.

    ENTITY is a label, an alias, a prefixed name (kgr:huawei) or an IRI, in any case. Shows its types,
    its relations grouped by property with the related entities' labels, and its figures with units
    and periods. When nothing matches, suggests the closest names.

    Example: kg describe "Greater Neo Bay"
    """
    from .lookup import describe as describe_entity
    from .lookup import find_entity, render_description
    from .store import open_store

    store = open_store(get_project(ctx))
    click.echo(render_description(describe_entity(store, find_entity(store, entity))), nl=False)


@cli.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most N entities.")
@click.pass_context
def search(ctx: click.Context, text: str, limit: int) -> None:
    """Entities whose label or alias matches TEXT (case-insensitive), best match first, with their type
    and one line of the sentence that names them. Exit code 1 when nothing matches.

    Example: kg search "neo bay"
    """
    from .lookup import render_hits
    from .lookup import search as search_entities
    from .store import open_store

    hits = search_entities(open_store(get_project(ctx)), text, limit)
    if not hits:
        click.echo(f"no entity matches '{text}'", err=True)
        ctx.exit(1)
    click.echo(render_hits(hits), nl=False)


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the page to FILE (default: build/viz.html in the project; '-' for standard output).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser afterwards.")
@click.option("--focus", metavar="ENTITY", help="Only the neighbourhood of this entity (id, name or alias).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="With --focus: how many relations away from the entity to go.")
@click.option("--type", "types", metavar="TYPE", multiple=True,
              help="Only entities of this ontology class or its subclasses (repeatable): Enterprise, Place, ...")
@click.option("--sector", "sectors", metavar="SECTOR", multiple=True,
              help="Only this sector and the entities related to it (repeatable).")
@briefing_options
@click.pass_context
def viz(ctx: click.Context, output: Path | None, open_page: bool, focus: str | None, depth: int,
        types: tuple[str, ...], sectors: tuple[str, ...], briefings: tuple[str, ...], since: str | None,
        until: str | None) -> None:
    """Write an interactive network page of the entities: one self-contained HTML file that works offline.

    Nodes are entities, coloured and shaped by type (legend on the page), the most connected labelled
    first. Hover over an entity to preview its type, facts, figures and the briefing sentences behind
    them; click to pin it. --type and --sector keep the relations of what they select and show its
    direct neighbours dimmed. --briefing, --since and --until keep what those briefings state. The page
    has a search box, a type filter (and a briefing filter when it shows more than one briefing) and zoom
    controls of its own.

    Example: kg viz --focus huawei --depth 2 -o huawei.html --open
    """
    from .graphview import load_view
    from .viz import page_for

    project = get_project(ctx)
    page = page_for(load_view(project), focus, depth, types, sectors, briefings=briefings, since=since, until=until)
    if output is not None and str(output) == "-":
        emit(page.html, None)
        return
    path = output or project.build_dir / "viz.html"
    page.write(path)
    neighbours = f", {page.context} neighbours" if page.context else ""
    click.echo(f"Wrote {shown(path)} ({page.nodes} entities{neighbours}, {page.edges} relations).")
    if open_page:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@output_option
@click.pass_context
def stats(ctx: click.Context, as_json: bool, output: Path | None) -> None:
    """Count the dataset: triples, entities by type, facts by kind, figures, and the share of facts traced
    to a sentence of a briefing.

    Example: kg stats --json
    """
    from .analytics import stats as dataset_stats
    from .analytics import stats_text
    from .graphview import entity_view
    from .store import open_store

    store = open_store(get_project(ctx))
    s = dataset_stats(store, entity_view(store))
    emit(_json(s) if as_json else stats_text(s), output)


@cli.command()
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Show the top N entities.")
@briefing_options
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the Louvain community detection.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@output_option
@click.pass_context
def analyze(ctx: click.Context, top: int, briefings: tuple[str, ...], since: str | None, until: str | None,
            seed: int, as_json: bool, output: Path | None) -> None:
    """Network analytics of the entity graph: degree and betweenness centrality (top N), connected
    components and Louvain communities, and with more than one briefing each briefing's part of it.
    --briefing, --since and --until analyse what those briefings state.

    Example: kg analyze --top 5 --since 2024-01-01
    """
    from .analytics import analyze as analyze_view
    from .analytics import analyze_text
    from .graphview import by_briefing, load_view

    a = analyze_view(by_briefing(load_view(get_project(ctx)), briefings, since, until)[0], top, seed)
    emit(_json(a) if as_json else analyze_text(a), output)


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Show at most N paths.")
@click.pass_context
def path(ctx: click.Context, source: str, target: str, limit: int) -> None:
    """The shortest paths between two entities (id, name or alias), as entity -relation-> entity chains.

    Exit code 1 when no path links them.

    Example: kg path huawei "Minhang District"
    """
    from .analytics import format_path, paths
    from .graphview import load_view

    found = paths(load_view(get_project(ctx)), source, target, limit)
    if not found:
        click.echo(f"No path between '{source}' and '{target}'.")
        ctx.exit(1)
    for steps in found:
        click.echo(format_path(steps) or f"'{source}' and '{target}' are the same entity.")


# --- sharing the graph: kg serve, kg push (kg/serve/, kg/push.py) ------------------------------------

@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (0.0.0.0 or :: for every interface: only behind a firewall or proxy).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (0: any free one, printed at start).")
@timeout_option(30.0, "Per query.")
@click.option("--limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Answer at most N rows (or triples) per query; a cut answer says so in X-Kg-Truncated.")
@click.option("--concurrency", type=click.IntRange(min=1), default=4, show_default=True,
              help="Evaluate at most N queries at once; the others wait their turn.")
@click.option("--cors", metavar="ORIGIN",
              help="Let pages from ORIGIN (https://app.example.com) read answers in a browser.")
@click.option(
    "--client-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Answer 408 to a client that takes longer to send its request.",
)
@click.option(
    "--base",
    metavar="URL",
    help="The public address of the server behind a proxy (https://data.example.com/kg/): linked-data "
    "documents and links use it instead of the dataset's base IRI.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: float,
    limit: int,
    concurrency: int,
    cors: str | None,
    client_timeout: float,
    base: str | None,
) -> None:
    """Serve the built dataset over HTTP until Ctrl-C: a read-only SPARQL 1.1 endpoint at /sparql, every
    entity at /id/SLUG (HTML for a browser, Turtle or JSON-LD by Accept), each named graph at /graph/NAME,
    and the network page with a query form at /.

    Binds to 127.0.0.1 unless --host says otherwise. SPARQL Update, LOAD and SERVICE are refused. A new
    build (kg build in another shell) is picked up by the next request. Exit code: 2 bad input (a port in
    use); 130 stopped by Ctrl-C.

    Example: kg serve --port 8000
    """
    from .prefixes import BASE_SYNTAX
    from .serve import Settings
    from .serve import serve as run_server

    if base is not None and not BASE_SYNTAX.fullmatch(base if base.endswith("/") else base + "/"):
        raise Failure(f"--base: '{base}' is not an http(s) URL (e.g. https://data.example.com/kg/)")
    settings = Settings(
        timeout=timeout, limit=limit, concurrency=concurrency, cors=cors, base=base, client_timeout=client_timeout
    )
    run_server(get_project(ctx), settings, host, port, announce=lambda s: click.echo(s))


@cli.command()
@click.argument("url")
@click.option(
    "--graph",
    "graphs",
    metavar="NAME",
    multiple=True,
    help="Push only this named graph (ontology, a briefing's slug, kgg:NAME or an IRI). Repeatable.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be pushed, and push nothing.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a store that does not answer a request within SECONDS.",
)
@click.option(
    "--sparql",
    metavar="URL",
    help="The store's SPARQL query endpoint, where the check counts the graphs (default: the one beside URL's "
    "form for Oxigraph, Fuseki and GraphDB; else each graph is read back).",
)
@click.pass_context
def push(ctx: click.Context, url: str, graphs: tuple[str, ...], dry_run: bool, timeout: float,
         sparql: str | None) -> None:
    """Write every named graph into the triple store at URL (its SPARQL 1.1 Graph Store endpoint), one PUT
    per graph, so a second push replaces rather than duplicates (a POST for a graph the store does not hold
    yet); then check that the store holds as many
    triples per graph as kg (one COUNT query, or each graph read back when the store has no query endpoint
    kg knows of).

    URL forms: Oxigraph server http://HOST:7878/store; Fuseki http://HOST:3030/DATASET/data; GraphDB
    http://HOST:7200/repositories/REPO/rdf-graphs/service. Credentials: KG_PUSH_TOKEN (bearer), else
    KG_PUSH_AUTH (user:password), else ~/.netrc; never on the command line. Exit code 2 when the store
    refuses, times out or answers garbage (the message names the graphs already pushed).

    Example: kg push http://localhost:7878/store
    """
    from .build import ensure_built
    from .push import credentials, graphs_of
    from .push import push as push_graphs
    from .store import open_store

    project = get_project(ctx)
    store = open_store(project)
    chosen = graphs_of(store, graphs)
    done = push_graphs(
        store,
        url,
        chosen,
        auth=None if dry_run else credentials(url),
        timeout=timeout,
        dry_run=dry_run,
        progress=lambda s: click.echo(s),
        nquads=ensure_built(project).nquads,
        sparql=sparql,
    )
    if dry_run:
        n = len(done.graphs)
        click.echo(f"dry run: {done.triples:,} triples in {n} graph{'s' if n != 1 else ''}; nothing was sent")
        return
    n = len(done.stored)
    how = f"counted at {done.counted_at}" if done.counted_at else "read back"
    click.echo(
        f"checked: the store holds {sum(done.stored.values()):,} triples in {n} graph{'s' if n != 1 else ''}, "
        f"as kg does ({how}; {done.seconds:.2f} s)"
    )


def _json(data: dict) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    main()
