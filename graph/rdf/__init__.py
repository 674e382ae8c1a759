"""RDF: namespaces, the mapping from documents to quads, reading, writing, stores, validation."""
from graph.rdf.io import load_graph, open_graph, serialize, serialize_quads, write_atomic
from graph.rdf.mapping import article_quads
from graph.rdf.store import CorpusStore, open_store
from graph.rdf.validate import validate

__all__ = ["CorpusStore", "article_quads", "load_graph", "open_graph", "open_store", "serialize", "serialize_quads",
           "validate", "write_atomic"]
