"""The pipeline: text -> normalized text -> sentences -> mentions -> entities -> quantities and
dates -> facts -> RDF. `stages` is the one list of the extraction stages, in order."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path

from rdflib import Dataset

from graph.errors import InputError
from graph.extract import extract_facts, find_mentions, find_quantities_and_dates, load_kb, resolve_entities
from graph.extract.kb import KnowledgeBase
from graph.model import Document
from graph.text import normalize, read_text, split_sentences

__all__ = ["BUNDLED_ARTICLE", "build", "bundled_article", "process", "stages"]

BUNDLED_ARTICLE = "meta-2023.txt"

Stage = Callable[[Document], Document]


def stages(kb: KnowledgeBase, repair_spin: bool = True) -> tuple[Stage, ...]:
    """The extraction stages in order, each a function `Document -> Document` (options bound).

    Each stage's docstring says what it reads and what it writes; every field a stage reads
    is written by `read_document` or by a stage before it.

    >>> [getattr(s, "func", s).__name__ for s in stages(load_kb())]
    ['normalize', 'split_sentences', 'find_mentions', 'resolve_entities', 'find_quantities_and_dates', 'extract_facts']
    """
    return (partial(normalize, repair_spin=repair_spin), split_sentences, partial(find_mentions, kb=kb),
            partial(resolve_entities, kb=kb), find_quantities_and_dates, extract_facts)


def process(doc: Document, kb: KnowledgeBase | None = None, repair_spin: bool = True) -> Document:
    """Run every extraction stage over a document that `read_document` returned.

    >>> doc = process(read_text("2023年2月,Meta发布了LLaMA。"))
    >>> [(e.kind, dict(e.roles), e.date) for e in doc.facts if hasattr(e, "kind")]
    [('Release', {'agent': 'meta', 'object': 'llama'}, '2023-02')]
    """
    for stage in stages(kb if kb is not None else load_kb(), repair_spin):
        doc = stage(doc)
    return doc


def bundled_path() -> Path:
    """The file of the article shipped with the package (a copy of ../shared/corpus/meta-2023.txt)."""
    return Path(str(resources.files("graph") / "data" / BUNDLED_ARTICLE))


def bundled_article() -> Document:
    """The article shipped with the package, read."""
    return read_text(bundled_path().read_bytes(), source=BUNDLED_ARTICLE)


def build(*inputs: str | Path, kb_files: tuple[str | Path, ...] = (), repair_spin: bool = True) -> Dataset:
    """Build the knowledge graph of the given articles (the bundled one when none is given).

    Each article becomes a named graph of its own; what each entity is (types, labels, Wikidata
    id) is stated once, in the entities graph, and entities share IRIs across articles. For
    thousands of articles, use `graph.ingest.build_corpus` with a store on disk.

    Raises InputError for the first input that cannot be read.

    >>> g = build()
    >>> len(g) > 1000
    True
    """
    from graph.ingest import build_corpus
    from graph.rdf.io import from_oxigraph
    from graph.rdf.store import CorpusStore

    store = CorpusStore()
    paths = [str(Path(p).resolve()) for p in inputs] or [str(bundled_path())]
    report = build_corpus(list(dict.fromkeys(paths)), store, jobs=1, kb_files=tuple(map(str, kb_files)),
                          repair_spin=repair_spin, progress=False)
    if report.failures:
        raise InputError(report.failures[0].message)
    return from_oxigraph(store.oxigraph.quads_for_pattern(None, None, None))
