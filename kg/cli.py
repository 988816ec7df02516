"""The kg command: a thin click layer over the library. Exit codes: 0 success, 1 a "no" answer
(does not conform, no path), 2 bad input or usage."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .errors import KgError
from .project import Project, find_project


class Failure(click.ClickException):
    """Bad input: one line on stderr, exit code 2."""

    exit_code = 2


class Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as e:
            raise Failure(str(e)) from None
        except OSError as e:
            raise Failure(f"{e.filename or ''}: {e.strerror or e}".lstrip(": ")) from None


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


def output_option(f):
    """-o/--output FILE: write there (atomically) instead of standard output."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write to FILE (atomically) instead of standard output.")(f)


def emit(data: bytes | str, output: Path | None) -> None:
    from .build import atomic_write

    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output is None:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
    else:
        atomic_write(output, raw)


@cli.command()
@click.pass_context
def build(ctx: click.Context) -> None:
    """Build the RDF dataset from data/ and ontology/ into build/.

    Writes build/kg.trig (every named graph), build/kg.nq, one Turtle file per graph in build/graphs/,
    and a stamp of the inputs. The same inputs give byte-identical files.

    Example: kg build
    """
    from .build import write_build

    project = get_project(ctx)
    built = write_build(project)
    rel = lambda p: p.relative_to(project.root) if p.is_relative_to(project.root) else p  # noqa: E731
    click.echo(f"Built {built.triples} triples in {len(built.graphs)} named graphs ({', '.join(built.graphs)}).")
    click.echo(f"Wrote {rel(built.trig)}, {rel(built.nquads)} and {rel(built.dir / 'graphs')}/*.ttl")


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
@click.option("-f", "--format", "fmt", default="turtle", show_default=True,
              help="Export format (see the list below).")
@output_option
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write the whole dataset (ontology and every briefing) in an RDF format.

    Formats: turtle, nt (triples, graphs merged); nquads, trig, jsonld (named graphs kept); xml.

    Example: kg export --format nt -o minhang.nt
    """
    from .build import load_built
    from .export import FORMATS, export_bytes

    if fmt not in FORMATS:
        raise Failure(f"unknown export format '{fmt}' (known: {', '.join(FORMATS)})")
    emit(export_bytes(load_built(get_project(ctx)), fmt), output)


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    main()
