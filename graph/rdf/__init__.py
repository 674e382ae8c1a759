"""RDF: namespaces, the mapping from documents to triples, reading, writing, validation."""
from graph.rdf.io import load_graph, serialize, write_atomic
from graph.rdf.mapping import to_rdf
from graph.rdf.validate import validate

__all__ = ["load_graph", "serialize", "to_rdf", "validate", "write_atomic"]
