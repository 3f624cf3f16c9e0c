"""The ``itu-graph`` command: a thin layer over :mod:`itu_graph.pipeline` and friends.

Errors from the library are mapped to exit codes here and only here (see ``errors.EXIT_CODES``).
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import click

from . import pipeline
from .errors import EXIT_CODES, ItuGraphError, ParameterError, ValidationFailed
from .files import write_atomic
from .output import render, terminal_safe, to_json
from .settings import Settings, default_db_path

EXIT_HELP = "\n".join(f"  {code}  {meaning}" for meaning, code in EXIT_CODES.items())


class Ctx:
    """What every command shares: settings and how loud to be."""

    def __init__(self, settings: Settings, verbose: int, quiet: bool):
        self.settings = settings
        self.verbose = verbose
        self.quiet = quiet

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(terminal_safe(message), err=True)

    def debug(self, message: str) -> None:
        if self.verbose and not self.quiet:
            click.echo(terminal_safe(message), err=True)

    def progress(self, label: str):
        """A progress callback that draws only on a terminal (and stays quiet in pipes)."""
        if self.quiet or not sys.stderr.isatty():
            return None
        last = {"t": 0.0}

        def tick(stage: str, done: int) -> None:
            now = time.monotonic()
            if now - last["t"] > 0.1:
                last["t"] = now
                click.echo(f"\r{label}: {stage} {done:,}".ljust(60), err=True, nl=False)
        return tick

    def end_progress(self) -> None:
        if not self.quiet and sys.stderr.isatty():
            click.echo("\r" + " " * 60 + "\r", err=True, nl=False)


pass_ctx = click.make_pass_decorator(Ctx)


def _set_shacl_engine(click_ctx, _param, value):
    if value:
        shared = click_ctx.find_object(Ctx)
        shared.settings = replace(shared.settings, shacl_engine=value)


def shacl_option(func):
    """For the commands that validate: which SHACL engine runs the shapes."""
    return click.option("--shacl-engine", type=click.Choice(["auto", "oxigraph", "pyshacl"]),
                        envvar="ITU_GRAPH_SHACL_ENGINE", expose_value=False, callback=_set_shacl_engine,
                        help="SHACL engine: set-based on pyoxigraph (auto falls back to pySHACL for shapes it "
                             "cannot evaluate) or pySHACL, the reference [env ITU_GRAPH_SHACL_ENGINE; "
                             "default: auto].")(func)


def data_options(func):
    func = click.option("--ontology", "ontology_dir", type=click.Path(path_type=Path, file_okay=False),
                        envvar="ITU_GRAPH_ONTOLOGY", help="Ontology folder (itu.ttl, shapes.ttl) [default: shipped].")(func)
    func = click.option("--data", "data_dirs", multiple=True, type=click.Path(path_type=Path),
                        envvar="ITU_GRAPH_DATA", help="Data folder or file; repeat for several [default: shipped ITU data].")(func)
    return func


def _refuse_data(click_ctx, _param, value):
    if value:
        from .errors import ParameterError
        name = click_ctx.command_path.removeprefix(click_ctx.find_root().info_name + " ").strip()
        raise ParameterError(f"`{name}` reads the store, not data folders: load the data first with "
                             f"`itu-graph load --data {value[0]}`, then run `{name}` (with the same --db/--graph)")
    return value


def reads_store(func):
    """For commands that read the store: a --data given by habit gets an answer that says so."""
    return click.option("--data", multiple=True, expose_value=False, hidden=True, callback=_refuse_data,
                        is_eager=True)(func)


def apply_data_options(ctx: Ctx, data_dirs, ontology_dir) -> Settings:
    settings = ctx.settings
    if data_dirs:
        settings = replace(settings, data_dirs=list(data_dirs))
    if ontology_dir:
        settings = replace(settings, ontology_dir=ontology_dir)
    ctx.settings = settings
    return settings


def format_option(choices=("table", "json"), default="table"):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format; json is for scripts.")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=f"""\b
Examples:
  itu-graph demo                    build, validate, load, analyze, report and draw the ITU graph
  itu-graph validate --data my-org/ check another organization's data
  itu-graph load && itu-graph cypher "MATCH (d:Division) RETURN d.name, d.name_zh"
  itu-graph --store neo4j load      load into the Neo4j at $NEO4J_URI

\b
Exit codes:
{EXIT_HELP}

Default database: {default_db_path()}""")
@click.option("--store", type=click.Choice(["falkordb", "neo4j"]), envvar="ITU_GRAPH_STORE", default="falkordb",
              show_default=True, help="Graph store: embedded FalkorDB-lite or a Neo4j server.")
@click.option("--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), envvar="ITU_GRAPH_DB",
              help="FalkorDB-lite database file [env ITU_GRAPH_DB; default shown below].")
@click.option("--graph", "graph_name", envvar="ITU_GRAPH_GRAPH", default="itu_graph", show_default=True,
              help="Graph name inside the FalkorDB-lite database.")
@click.option("--neo4j-uri", envvar="NEO4J_URI", help="bolt://, neo4j://, +s, +ssc URI [env NEO4J_URI].")
@click.option("--neo4j-database", envvar="NEO4J_DATABASE", help="Neo4j database [env NEO4J_DATABASE].")
@click.option("-v", "--verbose", count=True, help="Say more (repeat for more).")
@click.option("-q", "--quiet", is_flag=True, help="Only results and errors.")
@click.version_option(package_name="itu-graph")
@click.pass_context
def cli(click_ctx, store, db_path, graph_name, neo4j_uri, neo4j_database, verbose, quiet):
    """itu-graph: a knowledge graph of how an organization coordinates itself.

    Builds the RDF dataset (ontology + data), validates it with SHACL, loads it into a graph
    store and answers the Coordination Committee's questions with Cypher.

    Neo4j credentials come from NEO4J_USERNAME and NEO4J_PASSWORD (or a prompt); they are
    never printed.
    """
    import os
    settings = Settings.from_env(store=store, db_path=db_path, graph_name=graph_name,
                                 neo4j_uri=neo4j_uri, neo4j_database=neo4j_database)
    if settings.store == "neo4j" and not settings.neo4j_password and sys.stdin.isatty() \
            and not os.environ.get("CI"):
        settings.neo4j_password = click.prompt("Neo4j password", hide_input=True, err=True)
    click_ctx.obj = Ctx(settings, verbose, quiet)


# ---------------------------------------------------------------------------------- build
@cli.command()
@data_options
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the dataset (TriG, or N-Quads for .nq).")
@pass_ctx
def build(ctx, data_dirs, ontology_dir, output):
    """Build one RDF dataset from the ontology and the data, superclasses inferred.

    \b
    Examples:
      itu-graph build -o itu.trig
      itu-graph build --data data/ --data more-data/ -o all.nq
    """
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    dataset = pipeline.build_dataset(settings)
    ctx.info(f"built {len(dataset.quads):,} triples (+{len(dataset.inferred):,} inferred) "
             f"from {len(dataset.files)} file(s)")
    if output:
        dataset.write(output, "nquads" if output.suffix in (".nq", ".nquads") else "trig")
        ctx.info(f"wrote {output}")


# ---------------------------------------------------------------------------------- validate
@cli.command()
@data_options
@shacl_option
@format_option(("text", "json"), "text")
@click.option("--warnings/--no-warnings", default=True, help="List completeness warnings too.")
@pass_ctx
def validate(ctx, data_dirs, ontology_dir, fmt, warnings):
    """Validate the data against the ontology and its SHACL shapes.

    Exit 0 when the data conforms, 1 on violations, 2 when the input is unusable (syntax or
    encoding errors, with file, line and column).

    \b
    Examples:
      itu-graph validate
      itu-graph validate --data my-org/ --format json
    """
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    dataset = pipeline.build_dataset(settings)
    report = pipeline.validate_dataset(dataset, engine=settings.shacl_engine)
    if fmt == "json":
        click.echo(to_json(report.as_dict()))
    else:
        for problem in report.by_location():
            if problem.severity == "Violation" or warnings:
                click.echo(terminal_safe(str(problem)))
        ctx.info(f"{'conforms' if report.conforms else 'does not conform'}: "
                 f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)")
    if not report.conforms:
        sys.exit(ValidationFailed.exit_code)


# ---------------------------------------------------------------------------------- stats
@cli.command()
@data_options
@format_option()
@pass_ctx
def stats(ctx, data_dirs, ontology_dir, fmt):
    """Entities per class, relationships per type, labels per language, coverage per source.

    \b
    Examples:
      itu-graph stats
      itu-graph stats --format json | jq .entities_per_label
    """
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    figures = pipeline.statistics(pipeline.build_dataset(settings))
    if fmt == "json":
        click.echo(to_json(figures))
        return
    click.echo(f"{figures['entities']} entities, {figures['relationships']} relationships, "
               f"{figures['triples']} distinct triples in {figures['quads']} statements of sources "
               f"(+{figures['inferred_triples']} inferred), {figures['source_remarks']} source remarks")
    click.echo(f"entities with English and Chinese names: {figures['entities_with_en_and_zh']}")
    share = figures["triples_in_url_graphs"] / figures["triples"] if figures["triples"] else 0
    click.echo(f"triples stated by at least one public web source (a named graph with a URL): "
               f"{figures['triples_in_url_graphs']} ({share:.1%})")
    click.echo(f"coordination mechanisms with participants, topics, lead and mandate on record: "
               f"{figures['mechanisms_described']} of {figures['mechanisms']}")
    for title, key, col in (("Entities per class (with superclasses)", "entities_per_label", "class"),
                            ("Relationships per type", "relationships_per_type", "type"),
                            ("Names per language", "labels_per_language", "language"),
                            ("Entities per confidence mark", "confidence", "confidence")):
        click.echo(f"\n{title}")
        click.echo(render([col, "count"], [{col: k, "count": v} for k, v in figures[key].items()], "table"))
    incomplete = [c for c in figures["mechanism_coverage"] if c["missing"]]
    if incomplete:
        click.echo("\nMechanisms the record does not yet describe (lead and mandate: a fact, an inherited one, "
                   "or a source remark)")
        click.echo(render(["mechanism", "missing"], [{"mechanism": c["id"], "missing": ", ".join(c["missing"])}
                                                    for c in incomplete], "table"))
    click.echo("\nCoverage per source")
    click.echo(render(["source", "entities", "triples"],
                      [{"source": k, **v} for k, v in figures["sources"].items()], "table"))


# ---------------------------------------------------------------------------------- load
@cli.command()
@data_options
@shacl_option
@click.option("--force", is_flag=True, help="Load despite SHACL violations (never despite unusable input).")
@format_option()
@pass_ctx
def load(ctx, data_dirs, ontology_dir, force, fmt):
    """Build, validate and sync the graph into the store (only the differences are written).

    A second load of the same data changes nothing; entities and relationships that
    disappeared from the data are deleted; nodes without :Resource are never touched.

    \b
    Examples:
      itu-graph load
      itu-graph --db /tmp/itu.db load --format json
      NEO4J_URI=neo4j+s://xxxx.databases.neo4j.io itu-graph --store neo4j load
    """
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    result = pipeline.load(settings, force=force, progress=ctx.progress("load"))
    ctx.end_progress()
    c = result.counts
    if fmt == "json":
        click.echo(to_json({"store": result.store, **c.as_dict(),
                            "violations": len(result.report.violations),
                            "warnings": len(result.report.warnings)}))
    else:
        click.echo(f"loaded into {result.store}")
        click.echo(f"nodes: {c.nodes_created} created, {c.nodes_updated} updated, {c.nodes_deleted} deleted "
                   f"({c.nodes_total} in the data)")
        click.echo(f"relationships: {c.relationships_created} created, {c.relationships_updated} updated, "
                   f"{c.relationships_deleted} deleted ({c.relationships_total} in the data)")


# ---------------------------------------------------------------------------------- export
@cli.command()
@click.option("--format", "fmt", type=click.Choice(list(pipeline.EXPORT_FORMATS)), default="trig", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File to write [default: stdout].")
@data_options
@pass_ctx
def export(ctx, fmt, output, data_dirs, ontology_dir):
    """Read the store back into RDF (TriG, Turtle, N-Quads or JSON-LD).

    \b
    Examples:
      itu-graph export --format ttl -o itu-from-store.ttl
    """
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    data = pipeline.serialize_quads(pipeline.export_quads(settings), fmt)
    if output:
        write_atomic(output, data)
        ctx.info(f"wrote {output}")
    else:
        click.echo(data.decode("utf-8"), nl=False)


# ---------------------------------------------------------------------------------- cypher
def _echo_rows(text: str) -> None:
    """Rows to stdout; CSV to a terminal loses its escape sequences like the table does (JSON
    escapes control characters itself, and a pipe gets the values as they are)."""
    click.echo(terminal_safe(text) if sys.stdout.isatty() else text)


def parse_params(pairs) -> dict:
    """``name=value`` pairs; values are JSON when they parse as JSON, else strings."""
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"parameter {pair!r} is not name=value")
        try:
            params[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            params[name.strip()] = value
    return params


@cli.command()
@click.argument("query")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter (JSON or text).")
@format_option(("table", "json", "csv"))
@click.option("--write", is_flag=True, help="Allow the statement to write (read-only otherwise).")
@reads_store
@pass_ctx
def cypher(ctx, query, params, fmt, write):
    """Run an ad-hoc Cypher statement on the store, read-only unless --write.

    \b
    Examples:
      itu-graph cypher "MATCH (d:Division) RETURN d.id, d.name_zh ORDER BY d.id"
      itu-graph cypher "MATCH (n:Resource {id: \\$id}) RETURN n.name" -p id=isc-tf --format json
    """
    from .store import open_store
    import contextlib
    with open_store(ctx.settings) as store:
        with store.write_lock() if write else contextlib.nullcontext():
            result = store.run(query, parse_params(params), write=write)
    _echo_rows(render(result.columns, result.rows, fmt))
    if write:
        changed = {k: v for k, v in result.counters.items() if v}
        if changed:
            ctx.info(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in changed.items()))


# ---------------------------------------------------------------------------------- query
@cli.group()
def query():
    """The named query library (queries/*.cypher): list, show, run.

    \b
    Examples:
      itu-graph query list
      itu-graph query show mechanisms-for-topic
      itu-graph query run units-of-sector -p sector=itu-d --format csv
    """


@query.command("list")
@format_option()
@click.option("--category", help="Only this category (structure, coordination, overlap, alignment, ...).")
def query_list(fmt, category):
    """List the queries with their titles and parameters."""
    from .queries import load_queries
    rows = [{"name": q.name, "category": q.category, "title": q.title,
             "params": ", ".join(p.name for p in q.params)}
            for q in load_queries().values() if not category or q.category == category]
    click.echo(render(["name", "category", "title", "params"], rows, fmt))


@query.command("show")
@click.argument("name")
def query_show(name):
    """Print a query with its header (paste it into Neo4j Browser)."""
    from .queries import get_query
    click.echo(get_query(name).path.read_text(encoding="utf-8").rstrip())


@query.command("run")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter (JSON or text).")
@format_option(("table", "json", "csv"))
@reads_store
@pass_ctx
def query_run(ctx, name, params, fmt):
    """Run a named query on the store, read-only, with checked parameters."""
    from .queries import get_query, run_query
    from .store import open_store
    q = get_query(name)
    with open_store(ctx.settings) as store:
        result = run_query(store, q, parse_params(params))
    _echo_rows(render(result.columns, result.rows, fmt))


# ---------------------------------------------------------------------------------- analyze
@cli.command()
@format_option(("table", "json"))
@click.option("--rule", "rules", multiple=True, help="Only this rule (repeatable); default: all.")
@click.option("--min-severity", type=click.Choice(["low", "medium", "high"]), default="low", show_default=True)
@click.option("--today", help="Judge due dates against this day (YYYY-MM-DD) [default: today].")
@click.option("--include-unverified", is_flag=True, help="Keep findings about facts marked unverified.")
@click.option("--no-write-back", is_flag=True, help="Do not write the network metrics to the store.")
@reads_store
@pass_ctx
def analyze(ctx, fmt, rules, min_severity, today, include_unverified, no_write_back):
    """Find where coordination is not yet "as one": gap rules and network metrics.

    Reads the store (load first); it does not take --data. Rules: uncoordinated-overlap,
    partial-coordination, unaligned-activity, uncovered-strategy-element, regional-gap,
    missing-owner, missing-mandate, overdue-mandate, broker-dependency, silo, probable-duplicate
    (see docs/analysis.md). A finding is a gap only where the graph records the facts it rests on
    (completeness statements); otherwise it is a question to verify, listed apart with the fact
    that would settle it. Metrics (betweenness, Burt's constraint and
    effective size, E-I index, Gould-Fernandez brokerage, articulation points, communities)
    are written back to the store as node properties.

    \b
    Examples:
      itu-graph analyze
      itu-graph analyze --rule uncoordinated-overlap --format json
      itu-graph analyze --min-severity high --today 2026-12-31
    """
    from .analysis import analyze as run_analysis
    result = run_analysis(ctx.settings, rules=list(rules) or None, min_severity=min_severity, today=today,
                          include_unverified=include_unverified, write_back=not no_write_back)
    if fmt == "json":
        click.echo(to_json(result.as_dict()))
        return
    rows = [{"id": f.id, "severity": f.severity, "rule": f.rule, "title": f.title, "sources": len(f.sources)}
            for f in result.findings]
    click.echo(render(["id", "severity", "rule", "title", "sources"], rows, "table"))
    if result.questions:
        click.echo("\nQuestions to verify (the record is silent; not gaps):")
        questions = [{"id": f.id, "rule": f.rule, "question": f.title, "to settle": "; ".join(f.to_settle[:2])}
                     for f in result.questions]
        click.echo(render(["id", "rule", "question", "to settle"], questions, "table"))
    summary = result.summary()
    ctx.info("gaps: " + ", ".join(f"{v} {k}" for k, v in summary["by_severity"].items()) +
             " | " + ", ".join(f"{k} {v}" for k, v in summary["by_rule"].items()) +
             f" | questions to verify: {summary['questions']}" +
             (f" | {len(result.dismissed)} dismissed by the Committee" if result.dismissed else ""))


# ---------------------------------------------------------------------------------- report
@cli.command()
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["html", "md", "json", "docx"]), default=None,
              help="Output format [default: from the file name, else html].")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write [default: report-LANG.FORMAT in the current folder].")
@click.option("--baseline", help="Data folder or git revision of the last review, to show what changed.")
@click.option("--today", help="Judge due dates against this day (YYYY-MM-DD) [default: today].")
@shacl_option
@reads_store
@pass_ctx
def report(ctx, lang, fmt, output, baseline, today):
    """Write the gap report for the Coordination Committee (HTML, Markdown, JSON or Word).

    Reads the store (load first); everything it says about the data comes from the store.

    Summary, what changed since a baseline, division x topic heatmap, strategy alignment
    matrix, findings with evidence and sources, brokerage and silo metrics, data completeness
    and the method.

    \b
    Examples:
      itu-graph report -o out/report.html
      itu-graph report --lang zh --format docx -o 报告.docx
      itu-graph report --baseline HEAD~5 -o changes.md
    """
    from .report import build_report, write_report
    fmt = fmt or (output.suffix.lstrip(".") if output and output.suffix.lstrip(".") in ("html", "md", "json", "docx") else "html")
    output = output or Path(f"report-{lang}.{fmt}")
    data = build_report(ctx.settings, lang=lang, baseline=baseline, today=today)
    write_report(data, output, fmt)
    ctx.info(f"wrote {output} ({data.summary['findings']} findings, {fmt}, {lang})")


# ---------------------------------------------------------------------------------- viz
@cli.command()
@click.option("--format", "fmt", type=click.Choice(["html", "graphml", "gexf", "json"]), default=None,
              help="Output format [default: from the file name, else html].")
@click.option("--view", type=click.Choice(["network", "entities"]), default="network", show_default=True,
              help="network: the coordination network the metrics run on (agents and the mechanisms that tie "
                   "them, grouped); entities: every entity and relationship.")
@click.option("--focus", help="Draw only the neighbourhood of this entity id.")
@click.option("--depth", type=int, default=1, show_default=True, help="Hops around --focus.")
@click.option("--type", "types", multiple=True, help="Only entities of this class (Cypher label; repeatable).")
@click.option("--sector", "--division", "sectors", multiple=True,
              help="Only entities of this division (a Sector in ITU's data; id; repeatable); "
                   "in the network view, of this group.")
@click.option("--findings/--no-findings", default=True, show_default=True,
              help="Run the analysis and mark the entities of its findings (gaps and questions to verify).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--title", default=None, help="Page title for HTML.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True)
@reads_store
@pass_ctx
def viz(ctx, fmt, view, focus, depth, types, sectors, findings, lang, title, output):
    """Export the network: offline interactive HTML, GraphML, GEXF or node-link JSON.

    Reads the store (load, then analyze for the metrics; without them betweenness is computed).

    The default view is the coordination network: agents and the mechanisms that tie them,
    each group in its own region, sized by betweenness, gaps ringed by severity and questions
    to verify dashed; click a node for its names, class, group, metrics, findings and sources.
    `--view entities` draws every entity. The HTML is one file with no external requests;
    every name is shown as text.

    \b
    Examples:
      itu-graph viz -o out/network.html
      itu-graph viz --lang zh -o out/network-zh.html
      itu-graph viz --view entities --focus isc-tf --depth 2 -o isc-tf.html
      itu-graph viz --view entities --type Sector --type CoordinationMechanism -o mechanisms.graphml
    """
    from .viz import export_graph
    from .viz.graph import check_types, filter_graph, mark_findings, read_graph
    from .viz.network import read_network_view
    from .store import open_store
    fmt = fmt or (output.suffix.lstrip(".") if output.suffix.lstrip(".") in ("html", "graphml", "gexf", "json") else "html")
    with open_store(ctx.settings) as store:
        ontology = pipeline.load_ontology(ctx.settings)
        if view == "network":
            check_types(ontology, list(types))
            graph = filter_graph(read_network_view(store, ontology, lang=lang), focus=focus, depth=depth,
                                 types=list(types), sectors=list(sectors))
        else:
            graph = read_graph(store, ontology, focus=focus, depth=depth, types=list(types), sectors=list(sectors),
                               lang=lang)
        if findings:
            from .analysis import analyze as run_analysis
            analysis = run_analysis(ctx.settings, store=store, write_back=False)
            mark_findings(graph, analysis.findings, analysis.questions)
    default_title = "Coordination network" if lang == "en" else "协调网络"
    export_graph(graph, output, fmt, **({"title": title or default_title, "lang": lang} if fmt == "html" else {}))
    ctx.info(f"wrote {output} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships, {fmt})")


# ---------------------------------------------------------------------------------- ingest
class _ScanByDefault(click.Group):
    """`ingest FILE...` scans; `ingest accept REVIEW.yaml` accepts."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["scan", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_ScanByDefault)
def ingest():
    """Read the organization's documents (.txt .md .html .docx .pdf, any UN language) into reviewed facts.

    `ingest FILE...` finds mentions of known entities (every label and acronym, every
    language), document symbols and references to resolutions and decisions, and candidates
    for new entities, and writes a review file. Nothing enters the data until
    `ingest accept REVIEW.yaml` writes the accepted lines as a new source file.

    \b
    Examples:
      itu-graph ingest C24-35.docx -o review.yaml
      itu-graph ingest seed.txt --id doc-itu-as-one-report-2024 -o seed-review.yaml
      itu-graph ingest accept review.yaml --out-dir data/itu/ingested
    """


@ingest.command("scan")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--lang", type=click.Choice(["auto", "ar", "zh", "en", "fr", "ru", "es"]), default="auto", show_default=True)
@click.option("--id", "doc_id", help="Id of the document entity (one file); an existing id adds to that document.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Review file [default: stdout].")
@data_options
@pass_ctx
def ingest_scan(ctx, files, lang, doc_id, output, data_dirs, ontology_dir):
    """Scan documents and write a review file."""
    from .ingest.scan import review_yaml, scan_documents
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    review = scan_documents(settings, list(files), lang=lang, doc_id=doc_id)
    text = review_yaml(review)
    if output:
        write_atomic(output, text)
        for doc in review["documents"]:
            ctx.info(f"{doc['document']['file']}: {doc['document']['language']}, {len(doc['mentions'])} entities mentioned, "
                     f"{len(doc['citations'])} citations, {len(doc['candidates'])} candidates -> {output}")
    else:
        click.echo(text, nl=False)


@ingest.command("accept")
@click.argument("review", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where the new source files go [default: DATA/ingested].")
@click.option("--namespace", help="IRI namespace for new entities [default: that of the data].")
@data_options
@shacl_option
@pass_ctx
def ingest_accept(ctx, review, out_dir, namespace, data_dirs, ontology_dir):
    """Write the accepted lines of a review file as new source files, then validate."""
    from .ingest import accept_review
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    for path in accept_review(settings, review, out_dir=out_dir, namespace=namespace):
        ctx.info(f"wrote {path}")


# ---------------------------------------------------------------------------------- findings
@cli.group()
def findings():
    """Triage by the Coordination Committee: review the findings, accept the decisions.

    `findings review` writes the open findings with empty decision fields: confirm, dismiss
    (reason and source required) or assign an action (owner and due date). `findings accept`
    checks the decisions and writes them as a new source file (one named graph per review);
    after `load`, analyze leaves dismissed findings out while their evidence is unchanged,
    marks them reopened when it changes, and follows assigned actions as mandates.

    \b
    Examples:
      itu-graph findings review -o review.yaml
      itu-graph findings accept review.yaml && itu-graph load && itu-graph analyze
    """


@findings.command("review")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Review file to write (YAML).")
@click.option("--rule", "rules", multiple=True, help="Only this rule (repeatable); default: all.")
@click.option("--min-severity", type=click.Choice(["low", "medium", "high"]), default="low", show_default=True)
@click.option("--today", help="Judge due dates against this day (YYYY-MM-DD) [default: today].")
@click.option("--include-unverified", is_flag=True, help="Keep findings about facts marked unverified.")
@click.option("--all", "include_decided", is_flag=True, help="List confirmed and assigned findings too.")
@click.option("--force", is_flag=True, help="Overwrite an existing review file (its decisions are lost).")
@data_options
@pass_ctx
def findings_review(ctx, output, rules, min_severity, today, include_unverified, include_decided, force,
                    data_dirs, ontology_dir):
    """Write the open findings of the store for the Committee's decisions.

    \b
    Examples:
      itu-graph findings review -o review.yaml
      itu-graph findings review --min-severity high --today 2026-12-31 -o high.yaml
    """
    from .analysis import analyze as run_analysis
    from .analysis.review import review_document, review_yaml
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    if output.exists() and not force:
        raise ParameterError(f"{output} exists: it may hold decisions; use --force to overwrite it")
    result = run_analysis(settings, rules=list(rules) or None, min_severity=min_severity, today=today,
                          include_unverified=include_unverified, write_back=False)
    review = review_document(result, include_decided=include_decided, include_unverified=include_unverified)
    write_atomic(output, review_yaml(review))
    ctx.info(f"wrote {output}: {len(review['findings'])} finding(s) to decide"
             + (f" ({len(result.dismissed)} dismissed before, evidence unchanged)" if result.dismissed else ""))


@findings.command("accept")
@click.argument("review", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where the decisions file goes [default: the organization's data folder/triage].")
@data_options
@shacl_option
@pass_ctx
def findings_accept(ctx, review, out_dir, data_dirs, ontology_dir):
    """Check the decisions of a review file and write them as a new source file, then validate.

    Exit 2 (nothing written) when the file is not a review, a decision lacks what it needs, names
    an unknown finding or owner, or a date is not YYYY-MM-DD.
    """
    from .analysis.review import accept_review
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    path = accept_review(settings, review, out_dir=out_dir)
    ctx.info(f"wrote {path}; run `itu-graph load` so that analyze honours the decisions")


# ---------------------------------------------------------------------------------- demo
@cli.command()
@data_options
@shacl_option
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("out"),
              show_default=True, help="Folder for the dataset, report and visualization.")
@pass_ctx
def demo(ctx, data_dirs, ontology_dir, out_dir):
    """The main job on the embedded engine: build, validate, load, analyze, report, draw.

    \b
    Examples:
      itu-graph demo
      itu-graph --db /tmp/demo.db demo -o /tmp/itu-out
    """
    from .demo import run_demo
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    run_demo(settings, out_dir, echo=click.echo, progress=ctx.progress("load"))


# ---------------------------------------------------------------------------------- store
@cli.group()
def store():
    """The embedded engine of a FalkorDB-lite database.

    \b
    Examples:
      itu-graph store stop
      itu-graph --db /tmp/mine/itu.db store stop
    """


@store.command("stop")
@pass_ctx
def store_stop(ctx):
    """Stop the database's engine (one left running by a killed session, say).

    Only a process verified to be this database's own engine is stopped, and not while a
    session is writing (exit 4). Sessions that only read lose their connection.
    """
    from .store.falkordb import FalkorLiteStore
    if ctx.settings.store != "falkordb":
        raise ParameterError("`store stop` is for the embedded FalkorDB-lite; a Neo4j server is stopped by its owner")
    stopped = FalkorLiteStore(ctx.settings.db_path, ctx.settings.graph_name).stop_engine()
    ctx.info(f"stopped the engine of {ctx.settings.db_path}" if stopped else f"no engine running for {ctx.settings.db_path}")


# ---------------------------------------------------------------------------------- docs
@cli.command()
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("docs"),
              show_default=True)
@data_options
@pass_ctx
def docs(ctx, out_dir, data_dirs, ontology_dir):
    """Regenerate docs/schema.md from the ontology (tests keep it in sync)."""
    from .docs import schema_markdown
    settings = apply_data_options(ctx, data_dirs, ontology_dir)
    path = write_atomic(out_dir / "schema.md", schema_markdown(pipeline.load_ontology(settings)))
    ctx.info(f"wrote {path}")


def _secrets() -> list[str]:
    """What must never be printed: the Neo4j password, from the environment or the URI."""
    import os
    found = [os.environ.get("NEO4J_PASSWORD") or ""]
    for uri in (os.environ.get("NEO4J_URI") or "", *(a.partition("=")[2] or a for a in sys.argv if "://" in a)):
        try:
            from .store.neo4j import split_uri
            _bare, user, password = split_uri(uri)
            found += [password or "", uri.rpartition("@")[0] if "@" in uri else ""]
        except ItuGraphError:
            pass
    return sorted({s for s in found if len(s) >= 3}, key=len, reverse=True)


def _say(message: str) -> None:
    """An error message, with secrets masked and escape sequences removed."""
    for secret in _secrets():
        message = message.replace(secret, "***")
    click.echo(terminal_safe(message), err=True)


def main(argv=None) -> None:
    """Entry point: run the CLI and turn every error into a message and an exit code; no
    traceback reaches the user (an unforeseen error is exit 2 with its type and message)."""
    try:
        cli.main(args=argv, prog_name="itu-graph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            click.echo(exc.ctx.get_usage() + f"\nTry '{exc.ctx.command_path} -h' for help.\n", err=True)
        _say(f"Error: {exc.format_message()}" if exc.exit_code == 2 else exc.format_message())
        sys.exit(2 if exc.exit_code == 2 else exc.exit_code)
    except ValidationFailed as exc:
        report = exc.report
        if report is not None:
            for problem in report.by_location(report.violations)[:50]:
                _say(str(problem))
        _say(f"error: {exc}")
        sys.exit(exc.exit_code)
    except ItuGraphError as exc:
        _say(f"error: {exc}")
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("aborted", err=True)
        sys.exit(130)
    except MemoryError:
        _say("error: out of memory (an input larger than this machine can take)")
        sys.exit(ItuGraphError.exit_code)
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        _say(f"error: {where}{exc.strerror or exc}")
        sys.exit(ItuGraphError.exit_code)
    except Exception as exc:  # a bug or an input nobody foresaw: a message, never a traceback
        _say(f"error: unexpected {type(exc).__name__}: {exc} (please report this)")
        sys.exit(ItuGraphError.exit_code)


if __name__ == "__main__":
    main()
