"""The ``gfmd`` command: thin composition of the library's subsystems.

Exit codes: 0 success; 1 the check found errors or files are not canonical;
2 bad usage or unparsable input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Work with the GFMD Knowledge Graph: format, check and query it.")


@app.command()
def fmt(files: Optional[list[Path]] = typer.Argument(None, help="Turtle files (default: every project file)."),
        check: bool = typer.Option(False, "--check", help="Only report files that are not canonical; exit 1 if any.")) -> None:
    """Rewrite Turtle files in the canonical layout (or check that they are)."""
    from .errors import GfmdSyntaxError
    from .load import turtle_files
    from .turtle_format import format_file

    paths = files or turtle_files()
    changed = []
    for path in paths:
        try:
            if format_file(path, check=check):
                changed.append(path)
        except GfmdSyntaxError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2)
    for path in changed:
        typer.echo(f"{'not canonical' if check else 'reformatted'}: {path}", err=True)
    if check and changed:
        raise typer.Exit(1)


@app.command()
def check(reason: bool = typer.Option(True, "--reason/--no-reason", help="Run the OWL reasoner (needs Java)."),
          output: str = typer.Option("table", "--format", help="table, json or tsv."),
          strict: bool = typer.Option(False, "--strict", help="Fail on warnings too.")) -> None:
    """Parse every file, validate the data with SHACL and reason over it with HermiT."""
    from .checks import run_checks

    results = run_checks(reason=reason)
    if output == "json":
        typer.echo(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    elif output == "tsv":
        typer.echo("Level\tRule\tFile\tLine\tSubject\tProperty\tValue\tMessage")
        for r in results:
            typer.echo("\t".join(str(x if x is not None else "") for x in r.as_dict().values()))
    else:
        for r in results:
            typer.echo(r.line_text(), err=True)
        errors = sum(r.level == "ERROR" for r in results)
        warnings = sum(r.level == "WARN" for r in results)
        typer.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    failing = [r for r in results if r.level == "ERROR" or (strict and r.level == "WARN")]
    if failing:
        raise typer.Exit(1)


@app.command()
def query(name: str = typer.Argument(..., help="A named query (e.g. cq/cq02-gcm-objectives), a .rq file, or SPARQL text."),
          param: Optional[list[str]] = typer.Option(None, "--param", "-p", help="A parameter as NAME=VALUE (repeatable)."),
          output: str = typer.Option("table", "--format", help="table, csv, tsv, json or xml for SELECT/ASK; "
                                     "ttl, nt, jsonld or rdfxml for CONSTRUCT/DESCRIBE (table prints Turtle).")) -> None:
    """Run a named query, a query file or a SPARQL string over the graph."""
    from .errors import GfmdError
    from .query import GraphStore, is_graph_result, parse_assignments, resolve_query, serialize_result, to_python

    try:
        text = resolve_query(name).bind(parse_assignments(param or []))
        result = GraphStore().query(text)
        if output == "table" and not is_graph_result(result):
            from rich.console import Console
            from rich.table import Table

            if not hasattr(result, "variables"):  # ASK
                typer.echo("true" if bool(result) else "false")
                return
            columns = [v.value for v in result.variables]
            table = Table(*columns)
            for solution in result:
                table.add_row(*(str(to_python(solution[c]) if solution[c] is not None else "") for c in columns))
            Console().print(table)
            return
        data = serialize_result(result, "ttl" if output == "table" else output)
    except GfmdError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(data if data.endswith(b"\n") else data + b"\n", nl=False)


if __name__ == "__main__":  # pragma: no cover
    app()
