"""Every format written parses back to the same graph, whatever characters the article holds.

Generated articles (Hypothesis) mix Chinese, Latin, digits, full-width forms, line and paragraph
separators (U+2028/2029), form feeds, vertical tabs, NEL, zero-width and right-to-left marks,
quotes and backslashes: all of it ends up in literals (nif:isString, nif:anchorOf) that every
serializer must escape; articles of facts add dates and figures as typed literals. Before the writers were pyoxigraph's, N-Triples split lines at U+2028.
"""
from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generated import article_quads_of, fact_articles, odd_articles
from graph.rdf.io import serialize_quads

FORMATS = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
           "nquads": ox.RdfFormat.N_QUADS, "json-ld": ox.RdfFormat.JSON_LD}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(odd_articles, fact_articles))
def test_every_format_parses_back_to_the_same_graph(text):
    quads = article_quads_of(text)
    assume(quads is not None)       # Hypothesis fails the test should too many be refused
    expected = set(quads)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    for name, fmt in FORMATS.items():
        data = serialize_quads(quads, name)
        parsed = list(ox.parse(data, format=fmt))
        if fmt.supports_datasets:
            assert set(parsed) == expected, name
        else:
            assert {ox.Triple(t.subject, t.predicate, t.object) for t in parsed} == triples, name


def test_json_ld_has_a_compact_context_keeps_graphs_and_reads_back_in_rdflib(bundled_graph):
    import json

    from rdflib import Dataset

    from graph.rdf.io import serialize
    from graph.rdf.namespaces import PREFIXES

    data = serialize(bundled_graph, "json-ld")
    tree = json.loads(data)
    assert tree["@context"] == PREFIXES
    graphs = {node["@id"] for node in tree["@graph"] if "@graph" in node}
    assert graphs == {"https://w3id.org/cnkg/graph/entities"} | {g for g in graphs if g.startswith("doc:")} and len(graphs) == 2
    assert '"kg:mentionedIn"' in data.decode() and "https://w3id.org/cnkg/ontology#" not in data.decode().split("@graph")[1]
    parsed = Dataset().parse(data=data, format="json-ld")
    assert set(parsed.quads()) == set(bundled_graph.quads()) and len(parsed) > 0
    assert serialize(parsed, "json-ld") == data
