"""The ``gfmd`` command: thin composition of the library's subsystems.

Exit codes: 0 success; 1 the check found errors or files are not canonical;
2 bad usage or unparsable input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Work with the GFMD Knowledge Graph: format, check and query it.\n\n"
                       "Exit codes: 0 ok; 1 check failed (or files not canonical); 2 bad input or usage.")


@app.callback()
def _global_options(ctx: typer.Context,
                    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the summary of a failure; nothing on success."),
                    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also print INFO findings and the time of each stage.")) -> None:
    ctx.ensure_object(dict).update(quiet=quiet, verbose=verbose)


def _verbosity(ctx: typer.Context, quiet: bool, verbose: bool) -> tuple[bool, bool]:
    """Combine the global and the per-command --quiet/--verbose."""
    options = ctx.obj if isinstance(ctx.obj, dict) else {}
    quiet, verbose = quiet or options.get("quiet", False), verbose or options.get("verbose", False)
    if quiet and verbose:
        raise typer.BadParameter("--quiet and --verbose exclude each other")
    return quiet, verbose


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
def check(ctx: typer.Context,
          reason: bool = typer.Option(True, "--reason/--no-reason", help="Run the OWL reasoner (needs Java)."),
          output: Literal["table", "json", "tsv", "github"] = typer.Option(
              "table", "--format", help="table (grouped by file, on stderr); json, tsv or github "
                                          "(workflow annotations) on stdout."),
          strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the summary of a failure; nothing on success."),
          verbose: bool = typer.Option(False, "--verbose", "-v", help="Also print INFO findings and the time of each stage.")) -> None:
    """Parse every file, validate the data with SHACL, run the quality rules and reason with HermiT.

    Exit codes: 0 no errors; 1 the check failed (an ERROR, or a WARN with --strict); 2 bad input or usage.
    """
    from .paths import ontology_dir, project_root
    from .report import StageClock, check_project, format_timings, render

    quiet, verbose = _verbosity(ctx, quiet, verbose)
    root = project_root()
    if not ontology_dir(root).is_dir():
        typer.echo(f"error: {root} holds no ontology/ folder; run inside the project or set GFMD_ROOT", err=True)
        raise typer.Exit(2)
    report = check_project(root, reason=reason, clock=StageClock(progress=not quiet))
    text = render(report, output, verbose=verbose)
    if output != "table":
        if text:
            typer.echo(text)
    elif text and not quiet:
        typer.echo(text, err=True)
    if verbose and report.timings:
        typer.echo(format_timings(report), err=True)
    if not quiet or report.failed(strict):
        typer.echo(report.summary(strict), err=True)
    raise typer.Exit(report.exit_code(strict))


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


@app.command()
def serve(host: str = typer.Option(None, "--host", help="Interface to listen on [GFMD_HOST, 127.0.0.1]."),
          port: int = typer.Option(None, "--port", help="Port [GFMD_PORT, 8000]."),
          workers: int = typer.Option(None, "--workers", help="Service processes [GFMD_WORKERS, 1]."),
          store_url: str = typer.Option(None, "--store-url", help="Front an existing SPARQL server [GFMD_STORE_URL]."),
          query_timeout: float = typer.Option(None, "--query-timeout", help="Seconds per query [GFMD_QUERY_TIMEOUT, 10]."),
          query_workers: int = typer.Option(None, "--query-workers", help="Query processes [GFMD_QUERY_WORKERS, 2]."),
          validate: Optional[bool] = typer.Option(None, "--validate/--no-validate", help="Run the gate first [GFMD_VALIDATE, on]."),
          log_level: str = typer.Option(None, "--log-level", help="Log level [GFMD_LOG_LEVEL, info].")) -> None:
    """Serve the graph: SPARQL endpoint, linked-data pages, downloads and the query editor.

    Every option mirrors a GFMD_* environment variable (see the README); the others
    (limits, allow-list, base IRI) are read from the environment.
    """
    import os

    import uvicorn

    options = {"GFMD_HOST": host, "GFMD_PORT": port, "GFMD_WORKERS": workers, "GFMD_STORE_URL": store_url,
               "GFMD_QUERY_TIMEOUT": query_timeout, "GFMD_QUERY_WORKERS": query_workers,
               "GFMD_VALIDATE": None if validate is None else ("on" if validate else "off"),
               "GFMD_LOG_LEVEL": log_level}
    for name, value in options.items():
        if value is not None:
            os.environ[name] = str(value)
    host = os.environ.get("GFMD_HOST", "127.0.0.1")
    port = int(os.environ.get("GFMD_PORT", "8000"))
    typer.echo(f"serving the GFMD Knowledge Graph on http://{host}:{port}/ (SPARQL endpoint /sparql)", err=True)
    # The web layer is loaded by uvicorn from its import string: the library never imports it.
    uvicorn.run("gfmd_service.app:create_app", factory=True, host=host, port=port,
                workers=int(os.environ.get("GFMD_WORKERS", "1")),
                log_level=os.environ.get("GFMD_LOG_LEVEL", "info").lower())


@app.command()
def load(store: str = typer.Argument(..., help="Graph Store Protocol URL of the server, e.g. http://localhost:7878/store")) -> None:
    """Load the graph into an existing SPARQL server (one named graph per file, their union as the default graph).

    Then run ``gfmd serve --store-url <its query URL>`` to front it.
    """
    from .errors import GfmdError
    from .store import load_into_server

    try:
        counts = load_into_server(store)
    except GfmdError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    for name, size in counts.items():
        typer.echo(f"{name}\t{size} bytes", err=True)
    typer.echo(f"loaded {len(counts)} files into {store}", err=True)

@app.command()
def docs(out: Path = typer.Option(Path("build/docs"), "--out", help="Folder to write index.html into.")) -> None:
    """Write the HTML documentation of the ontology (classes, properties, shapes, examples)."""
    from .docs import write_docs
    from .errors import GfmdSyntaxError
    from .load import load_project

    try:
        loaded = load_project()
    except GfmdSyntaxError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(f"wrote {write_docs(loaded, out)}", err=True)


if __name__ == "__main__":  # pragma: no cover
    app()
