"""One vocabulary: ontology/kg.ttl, the KG namespace, the data files, the code's tables and the
viewer's styles name the same classes and properties; a misspelt name in any data file is a
one-line error, naming the file, the entry and the name, when the file loads. And the shapes
(ontology/shapes.ttl) refuse dates no calendar has and figures that are not finite."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

import graph

from graph.analysis.convert import ROLES
from graph.datafiles import bundled
from graph.errors import DataError
from graph.extract.candidates import load_name_rules, name_rules
from graph.extract.facts import fact_patterns, load_fact_patterns
from graph.extract.kb import load_kb
from graph.extract.quantities import QUANTITY_ROLES, load_quantity_rules, rules
from graph.rdf.namespaces import KG
from graph.rdf.ontology import vocabulary
from graph.rdf.validate import validate
from graph.view.style import STYLES, style_for

V = vocabulary()


def test_the_namespace_declares_exactly_the_ontologys_terms():
    in_ontology = {iri for iri in V.terms if iri.startswith(str(KG._NS))}
    in_code = {KG[name] for name in KG.__annotations__}
    assert in_ontology == in_code, (sorted(in_ontology - in_code), sorted(in_code - in_ontology))


def test_derived_sets_follow_the_class_and_property_trees():
    assert V.types_under(KG.Organization) == {"Organization", "Company", "OrganizationUnit", "University",
                                              "ResearchInstitute", "GovernmentAgency"}
    assert "Entity" not in V.entity_types and "Thing" not in V.entity_types and "Concept" in V.entity_types
    assert {"Release", "OpenSourcing", "Claim"} <= V.event_types and "RelationStatement" not in V.event_types
    assert {KG.Claim, KG.RelationStatement, KG.Layoff} <= V.fact_classes
    assert V.relations.isdisjoint(V.roles) and KG.developer in V.relations
    assert not {KG.mentionedIn, KG.evidence, KG.role} & (V.relations | V.roles)
    assert V.most_specific({KG.Organization, KG.Company, KG.Entity}) == KG.Company


def test_the_codes_tables_name_ontology_terms():
    assert set(ROLES) == V.roles
    assert all(V.terms[KG[prop]].kind == OWL.DatatypeProperty for prop in QUANTITY_ROLES.values())


def test_every_entity_class_has_a_style_and_every_style_a_class():
    assert set(STYLES) <= V.entity_types | V.event_types
    default = style_for("NoSuchClass", event=False)
    assert [t for t in sorted(V.entity_types) if style_for(t, event=False) == default] == []


def test_the_bundled_data_files_load_and_name_only_ontology_terms():
    kb = load_kb()
    assert {entry.type for entry in kb.entries.values()} <= V.entity_types
    slots, _, patterns = fact_patterns()
    assert all(kinds <= V.entity_types for kinds in slots.values())
    assert {p.event for p in patterns if p.event} <= V.event_types
    assert {edge[1] for p in patterns for edge in p.edges} <= V.names(V.relations)
    assert set(name_rules()["reference"]) <= V.entity_types and rules()["units"]


# ------------------------------------------------------------------ misspelt names, one file kind at a time

def _misspelt(tmp_path, name: str, old: str, new: str):
    """A copy of the bundled data file `name` with its first `old` replaced by `new` (the files'
    header comments hold examples: an `old` that starts a line misses them)."""
    text = bundled("patterns", name).read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _assert_one_line(error: DataError, *parts: str) -> None:
    message = str(error)
    assert "\n" not in message, message
    for part in parts:
        assert part in message, f"{part!r} not in: {message}"


def test_an_unknown_type_in_the_knowledge_base(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[[entity]]\nid = "acme"\ntype = "Compnay"\nen = "Acme"\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_kb((path,))
    _assert_one_line(info.value, str(path), "acme", "unknown entity type 'Compnay'", "did you mean 'Company'?")


@pytest.mark.parametrize("old, new, parts", [
    ('"有限公司" = "Company"', '"有限公司" = "Compnay"', ("[organization] suffixes '有限公司'", "'Compnay'")),
    ('"初创公司" = "Company"', '"初创公司" = "Person "', ("[latin] descriptors '初创公司'", "'Person '")),
    ('variant_types = ["AIModel"', 'variant_types = ["AiModel"', ("[product] variant_types", "'AiModel'")),
    ('"影业" = "Company"', '"影业" = "Compani"', ("[unit] cues '影业'", "'Compani'")),
    ("\nPerson = ['这位", "\nPersn = ['这位", ("[reference]", "'Persn'", "did you mean 'Person'?")),
])
def test_an_unknown_class_in_the_name_cues(tmp_path, old, new, parts):
    path = _misspelt(tmp_path, "names.toml", old, new)
    with pytest.raises(DataError) as info:
        load_name_rules(path)
    _assert_one_line(info.value, str(path), *parts)


@pytest.mark.parametrize("old, new, parts", [
    ('event = "Release"', 'event = "Relase"', ("pattern 'release.launch'", "unknown event class 'Relase'",
                                               "did you mean 'Release'?")),
    ('\nroles = { agent = "a", object = "b" }', '\nroles = { agnet = "a", object = "b" }',
     ("pattern 'release.open-source'", "unknown event role 'agnet'")),
    ('edges = [["b", "developer", "a"]]', 'edges = [["b", "develper", "a"]]',
     ("pattern 'release.open-source'", "unknown relation 'develper'")),
    ('ORG = ["Organization"]', 'ORG = ["Organisation"]', ("[slots] ORG", "unknown entity type 'Organisation'")),
    ("{b:WORK}", "{b:WROK}", ("pattern 'release.open-source'", "unknown slot type 'WROK'")),
    ('fallback = { a = "ORG" }', 'fallback = { a = "OGR" }', ("pattern 'release.open-source'", "'OGR'")),
    ('\nroles = { agent = "a", object = "b" }', '\nroles = { agent = "x", object = "b" }',
     ("pattern 'release.open-source'", "slot 'x' is neither captured")),
])
def test_an_unknown_name_in_the_fact_patterns(tmp_path, old, new, parts):
    path = _misspelt(tmp_path, "facts.toml", old, new)
    with pytest.raises(DataError) as info:
        load_fact_patterns(path)
    _assert_one_line(info.value, str(path), *parts)


def test_an_unknown_kind_of_unit_in_the_quantity_patterns(tmp_path):
    path = _misspelt(tmp_path, "quantities.toml", '"人" = ["COUNT", "person"]', '"人" = ["CONUT", "person"]')
    with pytest.raises(DataError) as info:
        load_quantity_rules(path)
    _assert_one_line(info.value, str(path), "units '人'", "unknown kind 'CONUT'")


def test_a_misspelt_name_is_one_line_from_the_command(tmp_path, run_kg):
    mine = tmp_path / "mine.toml"
    mine.write_text('[[entity]]\nid = "acme"\ntype = "Compnay"\nen = "Acme"\n', encoding="utf-8")
    proc = run_kg("build", "--kb", mine, "-o", tmp_path / "out.trig")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("kg: error: knowledge base") and "'Compnay'" in proc.stderr


# ------------------------------------------------------------------ the shapes check dates and figures

_EVENT = """
@prefix kg: <https://w3id.org/cnkg/ontology#> . @prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix schema: <https://schema.org/> .
<urn:s> a nif:Sentence ; nif:beginIndex "0"^^xsd:integer ; nif:endIndex "1"^^xsd:integer ;
    nif:anchorOf "x" ; nif:referenceContext <urn:doc> .
<urn:doc> a kg:NewsArticle ; schema:name "x" ; nif:isString "x" ;
    kg:contentHash "sha256:0000000000000000000000000000000000000000000000000000000000000000" .
<urn:e> a kg:Layoff ; kg:evidence <urn:s> ; kg:extractedBy "test" ; %s .
"""


@pytest.mark.parametrize("values, conforms", [
    ('kg:date "2023-02-28"^^xsd:date', True), ('kg:date "2024-02-29"^^xsd:date', True),
    ('kg:date "2000-02-29"^^xsd:date', True), ('kg:date "2023-12"^^xsd:gYearMonth', True),
    ('kg:date "2023"^^xsd:gYear', True), ('kg:count "11000"^^xsd:integer', True), ('kg:amount "7.5"^^xsd:decimal', True),
    ('kg:date "2023-02-31"^^xsd:date', False), ('kg:date "2023-02-29"^^xsd:date', False),
    ('kg:date "1900-02-29"^^xsd:date', False), ('kg:date "2023-13"^^xsd:gYearMonth', False),
    ('kg:amount "INF"^^xsd:decimal', False), ('kg:quantity "NaN"^^xsd:decimal', False),
    ('kg:percentage "-Infinity"^^xsd:decimal', False)])
def test_only_calendar_dates_and_finite_figures_conform(values, conforms):
    result, report = validate(Graph().parse(data=_EVENT % values, format="turtle"))
    assert result is conforms, report


def test_an_impossible_publish_date_does_not_conform():
    g = Graph().parse(data=_EVENT % 'kg:date "2023"^^xsd:gYear', format="turtle")
    g.parse(data='<urn:doc> <https://schema.org/datePublished> "2023-13-45"^^<http://www.w3.org/2001/XMLSchema#date> .',
            format="turtle")
    assert not validate(g)[0]


# ---------------------------------------------------------------- files that stand on their own

# The datatypes of OWL 2's datatype map that our data uses; any other must be declared in kg.ttl.
_OWL2_DATATYPES = {XSD.string, XSD.integer, XSD.decimal, XSD.boolean, RDF.langString}
_BUILT_IN = (str(RDF), str(RDFS), str(OWL), str(XSD), str(KG._NS))


def _terms_used(g) -> tuple[set, set]:
    """(terms, datatypes): the predicates and classes a dataset uses, and its literals' datatypes."""
    terms, datatypes = set(), set()
    for _s, p, o, _g in g.quads((None, None, None, None)):
        terms.add(p)
        if p == RDF.type:
            terms.add(o)
        if isinstance(o, Literal) and not o.language:
            datatypes.add(o.datatype or XSD.string)
    return terms, datatypes


def test_the_ontology_declares_every_term_and_datatype_the_data_uses(bundled_graph):
    from graph.corpus import add_corpus_graph

    ontology = Graph().parse(data=bundled("ontology", "kg.ttl").read_text(encoding="utf-8"), format="turtle")
    declared = set(ontology.subjects(RDF.type, None))
    terms, datatypes = _terms_used(add_corpus_graph(graph.build()))
    foreign = {t for t in terms if not str(t).startswith(_BUILT_IN)}
    assert foreign and foreign <= declared, sorted(foreign - declared)
    assert {XSD.gYear, XSD.gYearMonth, XSD.date} <= datatypes
    assert datatypes - _OWL2_DATATYPES <= set(ontology.subjects(RDF.type, RDFS.Datatype))
    used_in_ontology = {o for o in ontology.objects() if isinstance(o, URIRef) and "schema.org" in str(o)}
    assert used_in_ontology <= declared, sorted(used_in_ontology - declared)


def test_the_shapes_target_the_classes_of_the_ontology_tree():
    shapes = Graph().parse(data=bundled("ontology", "shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    kgs = "https://w3id.org/cnkg/shapes#"
    targets = lambda shape: set(shapes.objects(URIRef(kgs + shape), SH.targetClass))  # noqa: E731
    assert targets("EntityShape") == set(V.entity_classes)
    assert targets("EventShape") == set(V.below(KG.Event)) | {KG.Claim}     # claims carry dates and figures too
