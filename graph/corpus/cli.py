"""The `kg` subcommands of this stage (registered by graph/cli.py).

    kg stories GRAPH|STORE ... [--format text|json]     articles that tell the same story
    kg conflicts GRAPH|STORE ... [--format text|json]   facts that disagree, across articles or with reference facts
    kg corpus GRAPH|STORE ... -o OUT.trig               the corpus graph (stories, conflicts, support) as RDF

GRAPH is RDF files or folders of them; STORE is the folder of an Oxigraph store, opened read-only.
"""
from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import TYPE_CHECKING

from rdflib import URIRef

if TYPE_CHECKING:
    from graph.corpus.conflicts import Conflict
    from graph.corpus.read import Article, Fact


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add this stage's subcommands to the `kg` parser."""
    listings = (
        ("stories", _stories, "list the articles that tell the same story",
         "Group the articles of a corpus that tell the same story (copies, spun and lightly edited "
         "copies) and list each group with its articles and their dates, largest first."),
        ("conflicts", _conflicts, "list facts that disagree across articles or with reference facts",
         "List the conflicts of a corpus: facts of two articles that give the same property of the same "
         "thing different values (saying whether the articles are independent stories or copies of "
         "one), and facts that contradict a reference fact of the knowledge base, with its source."),
        ("corpus", _corpus, "write the corpus graph: stories, conflicts, confirmations, support counts",
         "Write what `kg stories` and `kg conflicts` find, with the confirmations by reference facts and "
         "the number of independent stories behind every fact, as the named graph "
         "https://w3id.org/cnkg/graph/corpus (load it with the articles: kg ask conflicts A.trig OUT.trig)."),
    )
    for name, run, summary, description in listings:
        p = subparsers.add_parser(name, help=summary, description=description)
        p.add_argument("graphs", nargs="+", metavar="GRAPH|STORE", help="RDF files or folders, or an Oxigraph store's folder")
        if name == "corpus":
            p.add_argument("-o", "--output", required=True, help="output file; format from its extension (.trig, .nq …)")
        else:
            p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: %(default)s)")
        p.set_defaults(run=run)


def _stories(args: argparse.Namespace) -> int:
    from graph.corpus.read import as_store, open_corpus
    from graph.corpus.stories import stories
    from graph.query.results import write_output

    found = stories(as_store(open_corpus(*args.graphs)))
    if args.format == "json":
        rows = [{"story": str(s.iri), "original": str(s.original.iri) if s.original else None,
                 "articles": [{"article": str(a.iri), "title": a.title, "published": a.published,
                               "derivedFrom": str(s.original.iri) if a in s.derived else None} for a in s.articles]}
                for s in found]
        write_output(json.dumps(rows, ensure_ascii=False, indent=1), report=False)
        return 0
    lines = [f"{len(found)} stories, {sum(len(s.articles) for s in found)} articles"]
    for n, story in enumerate(found, 1):
        count = len(story.articles)
        lines.append(f"story {n} · {count} article{'s' if count > 1 else ''} · {str(story.iri).rsplit('/', 1)[-1]}")
        for a in story.articles:
            note = ("  earliest copy" if a == story.original else
                    f"  copy of {_doc(story.original.iri)}" if a in story.derived else "")
            lines.append(f"  {a.published or '(no date)':<10}  {_doc(a.iri)}  {a.title}{note}")
    write_output("\n".join(lines), report=True)
    return 0


def _conflicts(args: argparse.Namespace) -> int:
    from graph.corpus.conflicts import examine
    from graph.corpus.read import as_store, labels, open_corpus
    from graph.query.results import write_output

    g = as_store(open_corpus(*args.graphs))
    found = examine(g)
    names = labels(g)
    articles = {a.iri: a for story in found.stories for a in story.articles}
    rows = [_conflict(c, articles, names) for c in found.conflicts]
    if args.format == "json":
        write_output(json.dumps(rows, ensure_ascii=False, indent=1), report=False)
        return 0
    independent = sum(1 for c in found.conflicts if c.independent)
    copies = sum(1 for c in found.conflicts if c.independent is False)
    lines = [f"{len(rows)} conflicts: {independent} between independent stories, {copies} between copies of one "
             f"story, {len(rows) - independent - copies} with reference facts"]
    for row in rows:
        between = {True: "independent stories", False: "copies of one story", None: "reference fact"}[row["independent"]]
        what = f"{row['fact']} {row['date']}" if row["date"] and row["property"] != "date" else row["fact"]
        lines.append(f"{row['label']} · {what} · {row['property']} · {_KINDS[row['kind']]} · {between}")
        for side in row["sides"]:
            if "reference" in side:
                wikidata = f", Wikidata {side['wikidataProperty']}" if side["wikidataProperty"] else ""
                lines.append(f"  {side['value']:<16}  reference: {side['source']}{wikidata}")
            else:
                lines.append(f"  {side['value']:<16}  {_doc(URIRef(side['article']))}  {side['published'] or '(no date)'}"
                             f"  {side['title']}")
                lines.append(f"  {'':<16}  “{side['sentence']}”")
    write_output("\n".join(lines), report=True)
    return 0


def _corpus(args: argparse.Namespace) -> int:
    from graph.corpus.mapping import corpus_dataset
    from graph.corpus.read import as_store, open_corpus
    from graph.rdf.io import format_for, serialize, write_atomic

    fmt = format_for(args.output)
    dataset = corpus_dataset(as_store(open_corpus(*args.graphs)))
    write_atomic(args.output, serialize(dataset, fmt))
    print(f"wrote {args.output} ({len(dataset)} triples)")
    return 0


_KINDS = {"DifferentValue": "different value", "DifferentDate": "different date", "DifferentUnit": "different unit"}


def _conflict(c: Conflict, articles: dict[URIRef, Article], names: dict[URIRef, str]) -> dict:
    from graph.corpus.read import Fact

    sides = []
    for side in (c.fact, c.other):
        if isinstance(side, Fact):
            article = articles.get(side.article)
            sides.append({"value": _value(side, c.property, names), "fact": str(side.iri), "article": str(side.article),
                          "title": article.title if article else "", "published": article.published if article else None,
                          "sentence": side.sentence, "begin": side.begin, "end": side.end})
        else:
            sides.append({"value": " | ".join(names.get(v, str(v)) if isinstance(v, URIRef) else _number(v)
                                              for v in side.values),
                          "reference": f"{side.entity} {side.property}", "source": str(side.source),
                          "wikidataProperty": side.wikidata_property})
    return {"entity": str(c.entity), "label": names.get(c.entity, str(c.entity)), "fact": c.fact.kind,
            "date": c.fact.date, "property": c.property, "kind": c.kind, "independent": c.independent,
            "sides": sides}


def _value(fact: Fact, prop: str, names: dict[URIRef, str]) -> str:
    if prop == "date":
        return fact.date or ""
    figure = fact.figure(prop)
    if figure is not None:
        return _number(figure.value) + (f" {figure.unit}" if figure.unit else "")
    return " | ".join(names.get(e, str(e)) for e in sorted(fact.entities("object")))


def _number(value: Decimal | str) -> str:
    return value if isinstance(value, str) else f"{value.normalize():,f}"


def _doc(iri: URIRef) -> str:
    from graph.query.results import display

    return display(iri)
