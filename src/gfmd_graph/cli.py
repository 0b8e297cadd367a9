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
def cite(files: Optional[list[Path]] = typer.Argument(None, help="Only these data files (default: all)."),
         check: bool = typer.Option(False, "--check", help="Only report statements without a reference; exit 1 if any."),
         narrow: bool = typer.Option(False, "--narrow", help="Also drop, from references citing several passages, "
                                                             "those that do not write the value out (when some do).")) -> None:
    """Give every fact-bearing statement of the curated files its source passage (OWL axiom annotations).

    Writes the references it can tell right after each subject's block and never changes one a
    curator wrote (except with --narrow); see docs/curation-guide.md, "A reference on every statement".
    Name files to touch only those (e.g. the ones you own while others edit the rest).
    """
    from collections import Counter

    from .statement_references import add_references, apply_narrowings, cite as propose, narrowings

    loaded = _load_or_exit()
    only = {f.resolve() for f in files or ()}
    missing = sorted(str(f) for f in only if not f.is_file())
    if missing:
        typer.echo(f"error: no such file: {', '.join(missing)}", err=True)
        raise typer.Exit(2)

    def chosen(path: Path) -> bool:
        return not only or path.resolve() in only

    if narrow and not check:
        items = [item for item in narrowings(loaded) if chosen(item.file)]
        count = _rewrite_files(items, lambda item: item.file, apply_narrowings)
        typer.echo(f"{len(items)} references narrowed in {count} files")
        loaded = _load_or_exit()
    proposals = [p for p in propose(loaded) if chosen(p.statement.file)]
    if check:
        for p in proposals:
            st = p.statement
            typer.echo(f"{st.file.relative_to(loaded.root)}: {st.subject} {st.predicate}: no reference", err=True)
        if proposals:
            raise typer.Exit(1)
        return
    count = _rewrite_files(proposals, lambda p: p.statement.file, add_references)
    counts = Counter(p.how for p in proposals)
    summary = ", ".join(f"{n} by {how}" for how, n in sorted(counts.items())) or "none needed"
    typer.echo(f"{len(proposals)} references added in {count} files ({summary})")


def _load_or_exit():
    """The project's ontology and data, or exit 2 naming the file and line that does not parse."""
    from .errors import GfmdError
    from .load import load_project

    try:
        return load_project(kinds=("ontology", "data"))
    except GfmdError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)


def _rewrite_files(items: list, file_of, change) -> int:
    """Apply ``change(graph, items_of_file)`` to each file the items name, rewrite it canonically; count them."""
    from .turtle_format import format_graph, parse_turtle

    by_file: dict = {}
    for item in items:
        by_file.setdefault(file_of(item), []).append(item)
    for path, file_items in sorted(by_file.items()):
        graph = parse_turtle(path.read_text(encoding="utf-8"), source=path)
        change(graph, file_items)
        own = {prefix: str(ns) for prefix, ns in graph.namespaces()}
        path.write_text(format_graph(graph, extra_prefixes=own), encoding="utf-8")
    return len(by_file)


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
          query_workers: int = typer.Option(None, "--query-workers", help="Query processes kept ready [GFMD_QUERY_WORKERS, 2]."),
          validate: Optional[bool] = typer.Option(None, "--validate/--no-validate", help="Run the gate first [GFMD_VALIDATE, on]."),
          log_level: str = typer.Option(None, "--log-level", help="Log level [GFMD_LOG_LEVEL, info].")) -> None:
    """Serve the graph: SPARQL endpoint, linked-data pages, downloads and the query editor.

    Every option mirrors a GFMD_* environment variable (see the README); the others
    (limits, allow-list, base IRI) are read from the environment.
    """
    import os

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
    # The web layer is loaded by name when the service starts: the library never imports it.
    import importlib

    importlib.import_module("gfmd_service.server").run()


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


new_app = typer.Typer(no_args_is_help=True, help="Add a skeleton resource to the right data file, then edit it by hand. "
                                                 "Missing fields are asked for when run in a terminal.")
app.add_typer(new_app, name="new")

_DOCUMENT = "Source document: its key (thematic-recollection-2017), file name or number (001)."
_LINES = "Lines of the source it comes from, 1-based: 12-15 (or 12)."
_FILE = "Data file to add it to (default: chosen from the document and the list it belongs to)."


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(value, option: str, text: str, *, default=None, required: bool = True, kind=str):
    """Return ``value``, else prompt for it in a terminal, else fail with exit 2 if it is required."""
    if value not in (None, ""):
        return value
    if _interactive():
        if default is None and not required:
            default = ""
        return typer.prompt(text, default=default, show_default=bool(default), type=kind) or None
    if required and default is None:
        typer.echo(f"error: missing {option}", err=True)
        raise typer.Exit(2)
    return default


def _scaffold(build) -> None:
    from .paths import project_root
    from .scaffold import Project, ScaffoldError, write

    try:
        project = Project(project_root())
        written = write(build(project))
    except ScaffoldError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(written.block)
    rel = written.file.relative_to(project.root)
    typer.echo(f"added {written.iri} to {rel}:{written.line}; edit it, then run gfmd check", err=True)


@new_app.command("practice")
def new_practice(key: Optional[str] = typer.Option(None, "--key", help="practice:<key>; default pfp-<id> with --pfp-id."),
                 label: Optional[str] = typer.Option(None, "--label", help="Its name, as the source gives it."),
                 document: Optional[str] = typer.Option(None, "--document", help=_DOCUMENT),
                 lines: Optional[str] = typer.Option(None, "--lines", help=_LINES),
                 description: Optional[str] = typer.Option(None, "--description", help="The source's sentence(s), verbatim."),
                 pfp_id: Optional[str] = typer.Option(None, "--pfp-id", help="Platform for Partnerships entry number."),
                 focus_area: Optional[str] = typer.Option(None, "--focus-area", help="Focus area it is cited under, e.g. 2-2."),
                 implemented_by: Optional[list[str]] = typer.Option(None, "--implemented-by", help="State (PHL) or organization key; repeatable."),
                 file: Optional[Path] = typer.Option(None, "--file", help=_FILE)) -> None:
    """A practice (a Platform for Partnerships entry when --pfp-id is given)."""
    from . import scaffold

    key = _ask(key, "--key", "Key (practice:<key>)", default=f"pfp-{pfp_id}" if pfp_id else None)
    label = _ask(label, "--label", "Label")
    document = _ask(document, "--document", "Source document")
    lines = _ask(lines, "--lines", "Lines (e.g. 12-15)")
    _scaffold(lambda p: scaffold.practice(p, key=key, label=label, document=document, lines=lines,
                                          description=description, pfp_id=pfp_id, focus_area=focus_area,
                                          implemented_by=implemented_by or [], file=file))


@new_app.command("recommendation")
def new_recommendation(type: Optional[str] = typer.Option(None, "--type", help="policy-option, practical-action, key, "
                                                          "general, specific or sutherland."),
                       key: Optional[str] = typer.Option(None, "--key", help="rec:<key>, e.g. tr-2-2-po-9."),
                       text: Optional[str] = typer.Option(None, "--text", help="Its wording, verbatim."),
                       document: Optional[str] = typer.Option(None, "--document", help=_DOCUMENT),
                       lines: Optional[str] = typer.Option(None, "--lines", help=_LINES),
                       label: Optional[str] = typer.Option(None, "--label", help="Default: the text's first words."),
                       focus_area: Optional[str] = typer.Option(None, "--focus-area", help="The focus area listing it, e.g. 2-2."),
                       section: Optional[str] = typer.Option(None, "--section", help="The document section listing it."),
                       order: Optional[int] = typer.Option(None, "--order", help="1-based position in its list (default: next free)."),
                       number: Optional[str] = typer.Option(None, "--number", help="Its number as written."),
                       cited_year: Optional[list[int]] = typer.Option(None, "--cited-year", help="A year it cites; repeatable."),
                       cited_in: Optional[list[str]] = typer.Option(None, "--cited-in", help="Sutherland: cluster, focus area or section citing it; repeatable."),
                       file: Optional[Path] = typer.Option(None, "--file", help=_FILE)) -> None:
    """A recommendation, policy option or option for practical action, placed in its list."""
    from . import scaffold

    type = _ask(type, "--type", "Type (" + ", ".join(scaffold.RECOMMENDATION_TYPES) + ")")
    key = _ask(key, "--key", "Key (rec:<key>)")
    if type != "sutherland":
        text = _ask(text, "--text", "Text, verbatim")
        if not section:
            focus_area = _ask(focus_area, "--focus-area", "Focus area (empty for a section)", required=False)
        if not focus_area:
            section = _ask(section, "--focus-area or --section", "Section")
    document = _ask(document, "--document", "Source document")
    lines = _ask(lines, "--lines", "Lines (e.g. 12-15)")
    _scaffold(lambda p: scaffold.recommendation(p, type=type, key=key, text=text, document=document, lines=lines,
                                                label=label, order=order, focus_area=focus_area, section=section,
                                                number=number, cited_years=cited_year or [],
                                                cited_in=cited_in or [], file=file))


@new_app.command("summit")
def new_summit(year: Optional[int] = typer.Option(None, "--year", help="The year it was held (its key)."),
               document: Optional[str] = typer.Option(None, "--document", help=_DOCUMENT),
               lines: Optional[str] = typer.Option(None, "--lines", help=_LINES),
               label: Optional[str] = typer.Option(None, "--label", help="Default: GFMD Summit <year>."),
               chair: Optional[list[str]] = typer.Option(None, "--chair", help="Chair state (ISO alpha-3); repeatable."),
               place: Optional[str] = typer.Option(None, "--place", help="place:<city> key, e.g. manila."),
               ordinal: Optional[int] = typer.Option(None, "--ordinal", help="1 for GFMD I."),
               file: Optional[Path] = typer.Option(None, "--file", help=_FILE)) -> None:
    """A GFMD summit, keyed by its year."""
    from . import scaffold

    year = _ask(year, "--year", "Year", kind=int)
    document = _ask(document, "--document", "Source document")
    lines = _ask(lines, "--lines", "Lines (e.g. 12-15)")
    _scaffold(lambda p: scaffold.summit(p, year=int(year), document=document, lines=lines, label=label,
                                        chairs=chair or [], place=place, ordinal=ordinal, file=file))


@new_app.command("actor")
def new_actor(type: Optional[str] = typer.Option(None, "--type", help="person, un-body, international-organization, "
                                                 "civil-society, gfmd-body, government-agency, local-government, network, "
                                                 "private-sector, academic or regional-consultative-process."),
              key: Optional[str] = typer.Option(None, "--key", help="person:<key> or organization:<key>."),
              label: Optional[str] = typer.Option(None, "--label", help="The name, as the source gives it."),
              document: Optional[str] = typer.Option(None, "--document", help=_DOCUMENT),
              lines: Optional[str] = typer.Option(None, "--lines", help=_LINES),
              acronym: Optional[str] = typer.Option(None, "--acronym"),
              affiliation: Optional[str] = typer.Option(None, "--affiliation", help="A person's state or organization."),
              file: Optional[Path] = typer.Option(None, "--file", help=_FILE)) -> None:
    """A person or an organization."""
    from . import scaffold

    type = _ask(type, "--type", "Type (" + ", ".join(scaffold.ACTOR_TYPES) + ")")
    key = _ask(key, "--key", "Key")
    label = _ask(label, "--label", "Label")
    document = _ask(document, "--document", "Source document")
    lines = _ask(lines, "--lines", "Lines (e.g. 12-15)")
    _scaffold(lambda p: scaffold.actor(p, type=type, key=key, label=label, document=document, lines=lines,
                                       acronym=acronym, affiliation=affiliation, file=file))


@app.command()
def export(output: str = typer.Option("all", "--format", help="ttl, nt, nq, trig, jsonld, rdfxml, void or all."),
           out: str = typer.Option("dist", "--out", help="Folder to write into, or - for stdout (one format)."),
           base: Optional[str] = typer.Option(None, "--base", help="Service URL: adds the SPARQL endpoint and "
                                              "download links to the VoID description.")) -> None:
    """Write the merged graph (ontology + data) in RDF formats; the same data gives the same bytes."""
    from .export import FILE_NAMES, export_graph, write_exports

    formats = list(FILE_NAMES) if output == "all" else [output]
    if any(f not in FILE_NAMES for f in formats):
        typer.echo(f"error: unknown format {output!r}; use {', '.join(FILE_NAMES)} or all", err=True)
        raise typer.Exit(2)
    if out == "-" and len(formats) != 1:
        typer.echo("error: --out - writes a single format to stdout; choose it with --format", err=True)
        raise typer.Exit(2)
    loaded = _load_or_exit()
    if out == "-":
        typer.echo(export_graph(loaded, formats[0], base=base), nl=False)
        return
    for path in write_exports(loaded, Path(out), formats, base=base):
        typer.echo(f"wrote {path}", err=True)


@app.command()
def stats(output: str = typer.Option("table", "--format", help="table, json or markdown (the class table and editorial notes of data/README.md).")) -> None:
    """Count instances per class, resources per source document and file, and data-quality issues."""
    from .stats import class_table_markdown, collect_stats, editorial_notes_markdown, stats_tables

    if output not in ("table", "json", "markdown"):
        typer.echo(f"error: unknown format {output!r}; use table, json or markdown", err=True)
        raise typer.Exit(2)
    loaded = _load_or_exit()
    counted = collect_stats(loaded)
    if output == "json":
        import json

        typer.echo(json.dumps(counted.as_dict(), indent=2, ensure_ascii=False))
        return
    if output == "markdown":
        typer.echo(class_table_markdown(counted) + "\n" + editorial_notes_markdown(loaded), nl=False)
        return
    from rich.console import Console

    console = Console()
    for table in stats_tables(counted):
        console.print(table)


@app.command()
def diff(base: Optional[str] = typer.Argument(None, help="Git revision or project folder to compare from "
                                              "[the merge base with main; HEAD~1 on main itself]."),
         head: Optional[str] = typer.Argument(None, help="Git revision or project folder to compare to [the working tree]."),
         output: str = typer.Option("text", "--format", help="text, markdown (a pull-request comment) or json."),
         changelog: Optional[str] = typer.Option(None, "--changelog", metavar="VERSION",
                                                 help="Print a CHANGELOG.md section '## VERSION' instead.")) -> None:
    """Report what changed in the graph between two git revisions or project folders, by resource.

    Reads only the curated Turtle of ontology/, data/ and shapes/; a revision is read with git
    from the repository holding the project (GFMD_ROOT or the current checkout).
    """
    from .diff import compute_diff, render_changelog, render_json, render_markdown, render_text
    from .errors import GfmdError
    from .paths import project_root
    from .snapshot import check_side, default_base, read_side

    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    if output not in renderers:
        typer.echo(f"error: unknown format {output!r}; use text, markdown or json", err=True)
        raise typer.Exit(2)
    repo = project_root()
    try:
        base = base or default_base(repo)
        check_side(base, repo)
        check_side(head, repo)
        base_side, head_side = read_side(base, repo), read_side(head, repo)
    except GfmdError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    changes = compute_diff(base_side, head_side)
    typer.echo(render_changelog(changes, changelog) if changelog else renderers[output](changes), nl=False)


@app.command()
def search(query: str = typer.Argument(..., help="Words, a label, an acronym or a code such as 10.7."),
           lang: str = typer.Option("en", "--lang", help="Language of the labels shown (ar, zh, en, fr, ru, es); "
                                    "matches in it rank first. Every language is searched."),
           kind: Optional[str] = typer.Option(None, "--kind", help="Only resources of this class or a subclass "
                                              "(e.g. Practice, gfmd:State, 'SDG target')."),
           limit: int = typer.Option(10, "--limit", help="At most this many hits (1-100)."),
           offset: int = typer.Option(0, "--offset", help="Skip this many hits first."),
           output: str = typer.Option("text", "--format", help="text or json.")) -> None:
    """Find resources by label, acronym, notation or text, in any of the graph's languages.

    Ranked: the whole label, acronym or code first, then labels starting with the query, then
    labels holding every word, then descriptions. Case and accents are ignored.
    """
    from .search import LANGUAGES, SearchIndex, SearchInputError, check_input

    try:
        query = check_input(query, limit, offset)
    except SearchInputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    if lang not in LANGUAGES:
        typer.echo(f"error: unknown language {lang!r}; use one of {', '.join(LANGUAGES)}", err=True)
        raise typer.Exit(2)
    if output not in ("text", "json"):
        typer.echo(f"error: unknown format {output!r}; use text or json", err=True)
        raise typer.Exit(2)
    index = SearchIndex(_load_or_exit().merged())
    hits = index.search(query, languages=(lang,), kind=kind, limit=limit, offset=offset)
    if output == "json":
        import json

        typer.echo(json.dumps({"query": query, "lang": lang, "kind": kind, "hits": [h.as_dict() for h in hits]},
                              ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("no match", err=True)
    for hit in hits:
        typer.echo(f"{hit.compact}  [{hit.kind}]  {hit.label}")
        typer.echo(f"    {hit.field}{'@' + hit.lang if hit.lang else ''} ({hit.rank}): {_marked(hit)}")


def _marked(hit) -> str:
    """The snippet of a hit with its matches between brackets."""
    out, last = [], 0
    for start, end in hit.highlights:
        out.append(hit.snippet[last:start] + "[" + hit.snippet[start:end] + "]")
        last = end
    return "".join(out) + hit.snippet[last:]


if __name__ == "__main__":  # pragma: no cover
    app()
