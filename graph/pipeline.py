"""The pipeline: text -> normalized text -> sentences -> mentions -> entities -> facts -> RDF."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from rdflib import Dataset

from graph.extract import extract_facts, find_mentions, load_kb, resolve_entities
from graph.extract.kb import KnowledgeBase
from graph.model import Document
from graph.rdf.mapping import new_dataset, to_rdf
from graph.text import normalize, read_document, read_text, split_sentences

BUNDLED_ARTICLE = "meta-2023.txt"


def process(doc: Document, kb: KnowledgeBase | None = None, repair_spin: bool = True) -> Document:
    """Run every extraction stage over a document that `read_document` returned."""
    kb = kb if kb is not None else load_kb()
    doc = normalize(doc, repair_spin=repair_spin)
    doc = split_sentences(doc)
    doc = resolve_entities(doc, find_mentions(doc, kb), kb)
    return extract_facts(doc)


def bundled_article() -> Document:
    """The article shipped with the package (../shared/corpus/meta-2023.txt)."""
    data = (resources.files("graph") / "data" / BUNDLED_ARTICLE).read_bytes()
    return read_text(data, source=BUNDLED_ARTICLE)


def build(*inputs: str | Path, kb_files: tuple[str | Path, ...] = (), repair_spin: bool = True) -> Dataset:
    """Build the knowledge graph of the given articles (the bundled one when none is given).

    Each article becomes a named graph of its own; entities share IRIs across articles.

    >>> g = build()
    >>> len(g) > 1000
    True
    """
    kb = load_kb(tuple(kb_files))
    docs = [read_document(p) for p in inputs] if inputs else [bundled_article()]
    dataset = new_dataset()
    for doc in docs:
        to_rdf(process(doc, kb, repair_spin=repair_spin), dataset)
    return dataset
