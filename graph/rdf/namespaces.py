"""Vocabularies as code: a typo in a term raises at import time instead of minting a bad IRI."""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

__all__ = ["DOC", "GRAPH", "ID", "ITSRDF", "KG", "NIF", "PREFIXES", "WD", "WDT"]

ID = Namespace("https://w3id.org/cnkg/id/")          # entities: stable across documents
DOC = Namespace("https://w3id.org/cnkg/doc/")        # documents and what hangs off them
GRAPH = Namespace("https://w3id.org/cnkg/graph/")    # named graphs shared by a corpus (entities, sources)
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")


class KG(DefinedNamespace):
    """The project's ontology (ontology/kg.ttl)."""
    _fail = True
    _NS = Namespace("https://w3id.org/cnkg/ontology#")

    # named entities
    Entity: URIRef
    Organization: URIRef
    Company: URIRef
    OrganizationUnit: URIRef
    University: URIRef
    ResearchInstitute: URIRef
    GovernmentAgency: URIRef
    Person: URIRef
    Place: URIRef
    Country: URIRef
    City: URIRef
    Product: URIRef
    CreativeWork: URIRef
    Software: URIRef
    AIModel: URIRef
    Dataset: URIRef
    Award: URIRef
    Concept: URIRef
    # relations
    developer: URIRef
    owns: URIRef
    worksFor: URIRef
    founder: URIRef
    chiefExecutive: URIRef
    parentOrganization: URIRef
    isBasedOn: URIRef
    award: URIRef
    partner: URIRef
    alumniOf: URIRef
    comparedWith: URIRef
    evaluatedOn: URIRef
    uses: URIRef
    customerOf: URIRef
    hostedOn: URIRef
    mentionedIn: URIRef
    mergeRule: URIRef
    mentionCount: URIRef
    # events and n-ary nodes
    Event: URIRef
    Release: URIRef
    OpenSourcing: URIRef
    ProductLaunch: URIRef
    Layoff: URIRef
    SharePriceChange: URIRef
    MarketValueChange: URIRef
    FinancialResult: URIRef
    Partnership: URIRef
    Investment: URIRef
    Acquisition: URIRef
    Spending: URIRef
    Founding: URIRef
    Appointment: URIRef
    Departure: URIRef
    Listing: URIRef
    FundingRound: URIRef
    AcquisitionApproach: URIRef
    Sale: URIRef
    RegulatoryAction: URIRef
    Investigation: URIRef
    ExportControl: URIRef
    ImportBan: URIRef
    Fine: URIRef
    Approval: URIRef
    EvaluationResult: URIRef
    Measurement: URIRef
    Claim: URIRef
    RelationStatement: URIRef
    role: URIRef
    agent: URIRef
    object: URIRef
    participant: URIRef
    benchmark: URIRef
    investor: URIRef
    leadInvestor: URIRef
    venue: URIRef
    claimant: URIRef
    about: URIRef
    date: URIRef
    period: URIRef
    duration: URIRef
    count: URIRef
    amount: URIRef
    currency: URIRef
    percentage: URIRef
    quantity: URIRef
    unitText: URIRef
    qualifier: URIRef
    direction: URIRef
    claimText: URIRef
    roleName: URIRef
    statedFor: URIRef
    # documents and provenance
    NewsArticle: URIRef
    contentHash: URIRef
    restoredText: URIRef
    evidence: URIRef
    extractedBy: URIRef
    SourceFile: URIRef
    sourcePath: URIRef
    fileHash: URIRef
    article: URIRef
    # corpus: stories, conflicts, reference facts (graph/corpus/)
    Story: URIRef
    story: URIRef
    supportingStories: URIRef
    supportingArticles: URIRef
    Conflict: URIRef
    conflictingFact: URIRef
    disputedProperty: URIRef
    concerning: URIRef
    disagreement: URIRef
    Disagreement: URIRef
    DifferentValue: URIRef
    DifferentDate: URIRef
    DifferentUnit: URIRef
    independentSources: URIRef
    ReferenceFact: URIRef
    referenceProperty: URIRef
    wikidataProperty: URIRef
    confirmedBy: URIRef
    releaseDate: URIRef
    foundingDate: URIRef
    parameterCount: URIRef


class NIF(DefinedNamespace):
    """NIF 2.0 Core: strings, sentences and phrases with character offsets."""
    _fail = True
    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")

    Context: URIRef
    Sentence: URIRef
    Phrase: URIRef
    isString: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    referenceContext: URIRef
    sentence: URIRef


class ITSRDF(DefinedNamespace):
    """ITS 2.0 in RDF: the link from a phrase to the entity it names."""
    _fail = True
    _NS = Namespace("http://www.w3.org/2005/11/its/rdf#")

    taIdentRef: URIRef


# The prefixes every serialization binds and every query declares (a query's own PREFIX lines win).
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS), "nif": str(NIF._NS), "itsrdf": str(ITSRDF._NS), "schema": str(SDO._NS),
    "rdfs": str(RDFS._NS), "rdf": str(RDF._NS), "owl": str(OWL._NS), "skos": str(SKOS._NS),
    "xsd": str(XSD._NS), "wd": str(WD), "wdt": str(WDT), "id": str(ID), "doc": str(DOC), "prov": str(PROV._NS),
}
