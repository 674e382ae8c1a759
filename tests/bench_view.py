"""How fast the viewer is on large graphs: `python tests/bench_view.py [--sizes N ...]` (`make bench`).

For synthetic graphs of 500, 5,000 and 20,000 entities it reports the time to write the page
from the RDF graph (networkx conversion, layout, HTML) and, in headless chromium, the time
until the page is interactive (its first settled frame, counted from navigation start) and
the time a search takes to find and focus an entity. Targets: 5,000 entities interactive in
under 3 s; 20,000 load and can be searched.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from chromium import CHROMIUM, launch
from graph.rdf.mapping import fact_iri, sentence_iri
from graph.rdf.namespaces import DOC, ID, KG, NIF

SIZES = (500, 5_000, 20_000)
_TYPES = (KG.Company, KG.Person, KG.Software, KG.AIModel, KG.University, KG.Product, KG.Dataset, KG.Place)
_RELATIONS = (KG.partner, KG.developer, KG.worksFor, KG.isBasedOn, KG.owns, KG.comparedWith)


def synthetic_graph(n: int, *, seed: int = 0) -> Graph:
    """A graph shaped like the pipeline's: `n` entities with zh/en labels, about 1.5 relations per
    entity (a random tree plus random extra edges), each with a RelationStatement and an evidence
    sentence, and one Release event per ten entities."""
    rng = random.Random(seed)
    g = Graph()
    add = g.add
    doc = DOC["synthetic"]
    add((doc, RDF.type, KG.NewsArticle))
    entities = [ID[f"e{i}"] for i in range(n)]
    for i, e in enumerate(entities):
        add((e, RDF.type, _TYPES[i % len(_TYPES)]))
        add((e, RDFS.label, Literal(f"实体{i}", lang="zh")))
        add((e, RDFS.label, Literal(f"Entity {i}", lang="en")))
    pairs = [(i, rng.randrange(i)) for i in range(1, n)] + [tuple(rng.sample(range(n), 2)) for _ in range(n // 2)]
    for k, (a, b) in enumerate(pairs):
        sentence = URIRef(sentence_iri(doc, k))
        add((sentence, RDF.type, NIF.Sentence))
        add((sentence, NIF.anchorOf, Literal(f"实体{a}与实体{b}有关。")))
        add((sentence, NIF.beginIndex, Literal(k * 20, datatype=XSD.integer)))
        add((sentence, NIF.endIndex, Literal(k * 20 + 12, datatype=XSD.integer)))
        add((sentence, NIF.referenceContext, doc))
        p = _RELATIONS[k % len(_RELATIONS)]
        add((entities[a], p, entities[b]))
        statement = URIRef(fact_iri(doc, "statement", k))
        for triple in ((RDF.type, KG.RelationStatement), (RDF.subject, entities[a]), (RDF.predicate, p),
                       (RDF.object, entities[b]), (KG.evidence, sentence), (KG.extractedBy, Literal("synthetic"))):
            add((statement, *triple))
        if k % 10 == 0:
            event = URIRef(fact_iri(doc, "Release", k))
            for triple in ((RDF.type, KG.Release), (KG.agent, entities[b]), (KG.object, entities[a]),
                           (KG.evidence, sentence), (KG.date, Literal("2023", datatype=XSD.gYear))):
                add((event, *triple))
    return g


def open_page(browser, path: Path, *, timeout: float = 120.0):
    """Open the page in a new offline context and wait until it is interactive; return the page."""
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-ready]", state="attached", timeout=timeout * 1000)
    return page


@dataclass(frozen=True)
class Result:
    """One size's numbers (seconds; None where the browser was not run)."""
    entities: int
    nodes: int
    edges: int
    megabytes: float
    write: float
    interactive: float | None
    search: float | None


def run(sizes: tuple[int, ...], browser=None) -> list[Result]:
    """Write each size's page and, given a browser, time it there."""
    from graph.view import view

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            g = synthetic_graph(n)
            path = Path(tmp) / f"bench-{n}.html"
            start = time.perf_counter()
            net = view(g, lang="en")
            net.write_html(str(path))
            write = time.perf_counter() - start
            interactive = search = None
            if browser is not None:
                page = open_page(browser, path)
                interactive = page.evaluate("window.kgReady") / 1000
                target = n // 2
                search = page.evaluate(f"""() => {{
                    const t = performance.now();
                    const box = document.getElementById("search");
                    box.value = "Entity {target}";
                    box.dispatchEvent(new KeyboardEvent("keydown", {{key: "Enter"}}));
                    const selected = kg.network.getSelectedNodes();
                    if (selected.length !== 1 || kg.nodes.get(selected[0]).label !== "Entity {target}")
                        throw new Error("search did not focus Entity {target}");
                    return performance.now() - t;
                }}""") / 1000
                page.context.close()
            results.append(Result(n, len(net.nodes), len(net.edges), path.stat().st_size / 1e6, write,
                                  interactive, search))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tests/bench_view.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), metavar="N", help="entities per graph")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: timing the page writes only (apt-get install chromium for the browser times)")
        results = run(tuple(args.sizes))
    else:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = launch(p)
            results = run(tuple(args.sizes), browser)
            browser.close()
    print(f"{'entities':>8} {'nodes':>7} {'edges':>7} {'MB':>6} {'write s':>8} {'interactive s':>14} {'search ms':>10}")
    for r in results:
        shown = (f"{r.interactive:14.2f} {r.search * 1000:10.1f}" if r.interactive is not None
                 else f"{'-':>14} {'-':>10}")
        print(f"{r.entities:>8} {r.nodes:>7} {r.edges:>7} {r.megabytes:6.1f} {r.write:8.2f} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
