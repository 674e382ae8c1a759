"""End-to-end `kg` on the bundled article: every output format, determinism, validate, stats, help."""
from __future__ import annotations

import os
import re

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF, RDFS, XSD

from graph.rdf.namespaces import KG

RDFLIB_FORMATS = {".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld"}
FORMAT_EXTENSIONS = tuple(RDFLIB_FORMATS)   # the same list conftest's cli_builds builds


def _value(term):
    """A typed literal by its value: Turtle writes "15"^^xsd:decimal as 15.0, the same number."""
    if isinstance(term, Literal) and term.datatype is not None and term.value is not None:
        return ("literal", term.datatype, term.value)
    return term


def _canonical(triples) -> set:
    return {(s, p, _value(o)) for s, p, o in triples}


def _triples(path) -> set:
    """The distinct triples of an RDF file (the union of its graphs, for quad formats)."""
    fmt = RDFLIB_FORMATS[path.suffix]
    if fmt in ("trig", "nquads", "json-ld"):      # JSON-LD keeps each article's named graph too
        ds = Dataset()
        ds.parse(path, format=fmt)
        return _canonical((s, p, o) for s, p, o, _ in ds.quads((None, None, None, None)))
    g = Graph()
    g.parse(path, format=fmt)
    return _canonical(g)


@pytest.fixture(scope="module")
def triples_by_format(built_file) -> dict[str, set]:
    return {ext: _triples(built_file(ext)) for ext in FORMAT_EXTENSIONS}


@pytest.mark.parametrize("ext", FORMAT_EXTENSIONS)
def test_build_writes_each_format(ext, cli_builds, built_file):
    out = built_file(ext)
    _, proc = cli_builds[ext]
    assert f"wrote {out}" in proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("ext", FORMAT_EXTENSIONS)
def test_every_format_holds_the_same_triples(ext, triples_by_format, bundled_graph):
    reference = triples_by_format[".trig"]
    assert len(reference) > 500, "the bundled article should give a sizeable graph"
    assert len(triples_by_format[ext]) == len(reference), \
        f"{ext}: {len(triples_by_format[ext])} distinct triples, .trig has {len(reference)}"
    assert triples_by_format[ext] == reference
    api = _canonical((s, p, o) for s, p, o, _ in bundled_graph.quads((None, None, None, None)))
    assert triples_by_format[ext] == api, "`kg build` and graph.build() disagree"


@pytest.mark.parametrize("ext", [".trig", ".nt", ".nq", ".ttl", ".jsonld"])
def test_build_is_byte_for_byte_reproducible(ext, built_file, run_kg, tmp_path):
    first = built_file(ext)
    # One more build with another hash seed than the first one's (random, unless the environment
    # fixes it): set and dict order must not leak into the output.
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    again = tmp_path / first.name
    proc = run_kg("build", "-o", again, "--quiet", cwd=tmp_path, env={"PYTHONHASHSEED": seed})
    assert proc.returncode == 0, proc.stderr
    assert again.read_bytes() == first.read_bytes(), f"builds with two hash seeds differ ({ext})"


def test_build_quiet_prints_nothing(run_kg, tmp_path):
    proc = run_kg("build", "-o", tmp_path / "q.nt", "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert (tmp_path / "q.nt").stat().st_size > 0


def test_unknown_output_extension_is_a_one_line_error(run_kg, tmp_path):
    proc = run_kg("build", "-o", "x.xyz", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error:"), proc.stderr
    assert ".xyz" in lines[0]
    assert not (tmp_path / "x.xyz").exists()
    assert list(tmp_path.iterdir()) == []


def test_validate_accepts_the_built_graph(run_kg, built_file):
    proc = run_kg("validate", built_file(".trig"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "conforms" in proc.stdout


def _entity_with_label(g: Graph):
    """The first entity (sorted by IRI) that carries an rdfs:label."""
    for s in sorted(set(g.subjects(RDFS.label))):
        if any(str(t).startswith(str(KG._NS)) for t in g.objects(s, RDF.type)):
            return s
    raise AssertionError("no labelled entity in the built graph")


def test_validate_rejects_an_entity_without_label(run_kg, built_file, tmp_path):
    g = Graph()
    g.parse(built_file(".ttl"), format="turtle")
    entity = _entity_with_label(g)
    g.remove((entity, RDFS.label, None))
    assert not list(g.objects(entity, RDFS.label))
    broken = tmp_path / "unlabelled.ttl"
    g.serialize(broken, format="turtle")

    proc = run_kg("validate", broken)

    assert proc.returncode == 1, f"exit {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    assert "conforms: the graph passes" not in proc.stdout
    assert str(entity) in proc.stdout, f"the report should name {entity}:\n{proc.stdout[:2000]}"


def test_stats_counts_triples_and_entities(run_kg, built_file):
    trig = built_file(".trig")
    proc = run_kg("stats", trig)
    assert proc.returncode == 0, proc.stderr
    assert "triples" in proc.stdout and "entities" in proc.stdout
    triples = int(re.search(r"^triples\s+(\d+)$", proc.stdout, re.M).group(1))
    entities = int(re.search(r"^entities\s+(\d+)$", proc.stdout, re.M).group(1))
    ds = Dataset()
    ds.parse(trig, format="trig")
    assert triples == len(list(ds.quads((None, None, None, None))))
    assert entities > 0


SUBCOMMANDS = ("build", "validate", "stats", "normalize")


def test_top_level_help(run_kg):
    proc = run_kg("--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: kg")
    for name in SUBCOMMANDS:
        assert name in proc.stdout


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_subcommand_help(run_kg, command):
    proc = run_kg(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"usage: kg {command}")
    assert proc.stderr == ""


def test_output_file_has_ordinary_permissions(run_kg, tmp_path):
    import os
    import stat
    out = tmp_path / "g.ttl"
    assert run_kg("build", "-o", out, "--quiet").returncode == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_default_output_is_named_after_the_input(run_kg, tmp_path):
    article = tmp_path / "news.txt"
    article.write_text("谷歌发布了Gemini。", encoding="utf-8")
    result = run_kg("build", article, "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "news.trig").is_file()


# ------------------------------------------------------------------ graphs with malformed literals

@pytest.fixture(scope="module")
def malformed_graph(bundled_graph, tmp_path_factory):
    """The bundled graph as N-Triples with values that do not fit their datatype: a claim's date
    "2023-02-31"^^xsd:date, an amount "lots"^^xsd:decimal, a year "Y2023"^^xsd:gYear and a mention's
    nif:beginIndex "abc"^^xsd:integer (one mention that no fact's evidence points into)."""
    from graph.rdf.namespaces import NIF

    g = Graph()
    for s, p, o, _ in bundled_graph.quads((None, None, None, None)):
        g.add((s, p, o))
    claim = min(g.subjects(RDF.type, KG.Claim))
    evidence = set(g.objects(None, KG.evidence))
    mention = min(s for s in g.subjects(RDF.type, NIF.Phrase) if g.value(s, NIF.sentence) not in evidence)
    figure = min(g.subjects(KG.amount, None))
    year = min(s for s, o in g.subject_objects(KG.date) if o.datatype == XSD.gYear and s != claim)
    for subject, prop, value in ((claim, KG.date, Literal("2023-02-31", datatype=XSD.date)),
                                 (figure, KG.amount, Literal("lots", datatype=XSD.decimal)),
                                 (year, KG.date, Literal("Y2023", datatype=XSD.gYear)),
                                 (mention, NIF.beginIndex, Literal("abc", datatype=XSD.integer))):
        g.remove((subject, prop, None))
        g.add((subject, prop, value))
    path = tmp_path_factory.mktemp("malformed") / "malformed.nt"
    path.write_bytes(g.serialize(format="nt", encoding="utf-8"))
    return path


@pytest.mark.parametrize("command", ["stats", "validate", "query", "analyze", "path", "export", "view"])
def test_malformed_literals_give_at_most_one_line_and_no_traceback(command, malformed_graph, run_kg, tmp_path):
    args = {"stats": [], "validate": [], "analyze": [], "path": ["Meta", "LLaMA"],
            "query": ["SELECT ?d WHERE { ?c kg:date ?d } ORDER BY ?d"],
            "export": ["-o", tmp_path / "out.graphml"], "view": ["-o", tmp_path / "out.html"]}[command]
    out = run_kg(command, malformed_graph, *args)
    assert out.stderr.count("\n") <= 1 and "Traceback" not in out.stderr, out.stderr
    assert out.returncode in (0, 1, 2) and (out.returncode != 2 or out.stderr.startswith("kg: error: ")), out.stderr
    if command == "validate":       # the report names every malformed value
        assert out.returncode == 1 and out.stderr == ""
        for value in ('"2023-02-31"', '"lots"', '"Y2023"', '"abc"'):
            assert value in out.stdout, value
    if command in ("stats", "query"):
        assert out.returncode == 0 and out.stderr == ""
    if command == "query":
        assert "2023-02-31" in out.stdout


# ------------------------------------------------------------------ terminal controls in the graph's text

HOSTILE = "Meta\x1b]0;pwned\x07\x9b2J\u202egnp.exe"
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


@pytest.fixture(scope="module")
def hostile_graph(bundled_graph, tmp_path_factory):
    """The bundled graph with terminal controls in Meta's labels and the article's title, and a
    claim without evidence (a SHACL violation) whose IRI holds them too."""
    from rdflib import URIRef
    from rdflib.namespace import SDO

    g = Graph()
    for s, p, o, _ in bundled_graph.quads((None, None, None, None)):
        g.add((s, p, o))
    meta = URIRef("https://w3id.org/cnkg/id/meta")
    for label in list(g.objects(meta, RDFS.label)):
        g.remove((meta, RDFS.label, label))
        g.add((meta, RDFS.label, Literal(HOSTILE, lang=label.language)))
    article = next(g.subjects(RDF.type, KG.NewsArticle))
    g.set((article, SDO.name, Literal(HOSTILE)))
    claim = URIRef(f"{article}/Claim/\u202egnp.exe")
    g.add((claim, RDF.type, KG.Claim))
    g.add((claim, KG.claimText, Literal(HOSTILE)))
    path = tmp_path_factory.mktemp("hostile") / "hostile.nt"
    path.write_bytes(g.serialize(format="nt", encoding="utf-8"))
    return path


@pytest.mark.parametrize("command", ["analyze", "path", "stories", "validate"])
def test_reports_show_terminal_controls_of_the_graph_as_escapes(command, hostile_graph, run_kg):
    args = {"path": ["https://w3id.org/cnkg/id/meta", "LLaMA"]}.get(command, [])
    out = run_kg(command, hostile_graph, *args)
    assert out.returncode == (1 if command == "validate" else 0), out.stderr
    assert not _CONTROLS.search(out.stdout + out.stderr), repr(out.stdout[:2000])
    escaped = r"Claim/\u202egnp.exe" if command == "validate" else r"Meta\x1b]0;pwned\x07\x9b2J\u202egnp.exe"
    assert escaped in out.stdout, out.stdout[:2000]


@pytest.mark.parametrize("command", [["stories"], ["query", "--engine", "oxigraph"]])
def test_an_iri_that_rdf_does_not_allow_is_a_one_line_error(command, tmp_path, run_kg):
    """rdflib reads an IRI with a C1 control; Oxigraph, which these commands use, refuses it."""
    path = tmp_path / "bad-iri.nt"
    path.write_text('<https://w3id.org/cnkg/id/a\x9b> <https://w3id.org/cnkg/ontology#p> "x" .\n', encoding="utf-8")
    out = run_kg(*command, path, *(["ASK {}"] if command[0] == "query" else []))
    assert out.returncode == 2
    assert re.fullmatch(r"kg: error: <https://w3id\.org/cnkg/id/a\\x9b>: not valid RDF \(.+\)\n", out.stderr), out.stderr


@pytest.mark.parametrize("command", [["build"], ["export", "GRAPH"], ["view", "GRAPH"], ["corpus", "GRAPH"]])
def test_an_output_that_is_a_folder_is_a_one_line_error(command, trig, run_kg, tmp_path):
    folder = tmp_path / {"build": "out.trig", "export": "out.graphml", "view": "out.html", "corpus": "out.trig"}[command[0]]
    folder.mkdir()
    out = run_kg(*[str(trig) if a == "GRAPH" else a for a in command], "-o", folder)
    assert out.returncode == 2
    assert out.stderr == f"kg: error: {folder}: is a folder, not a file\n"
    assert list(folder.iterdir()) == []
