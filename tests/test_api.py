"""The public surface: each module's `__all__` is pinned here, so that a change to what a module
offers is a decision a diff shows, not an accident. Packages re-export a sorted `__all__`."""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import tempfile
from pathlib import Path

import pytest

import graph

PUBLIC = {
    "graph": ["AnalysisError", "DataError", "EntityError", "InputError", "KGError", "OutputError", "QueryError", "ask", "build", "bundled_article", "load_graph", "process", "read_document", "sparql", "to_networkx", "validate", "view"],
    "graph.analysis": ["Analysis", "AnalysisError", "Ranked", "Step", "analyze", "communities", "entity_node", "export", "for_gephi", "pagerank", "rank", "shortest_chain", "to_networkx", "weighted"],
    "graph.analysis.cli": ["add_commands"],
    "graph.analysis.convert": ["ROLES", "literal_number", "to_networkx"],
    "graph.analysis.export": ["EXPORT_FORMATS", "export", "for_gephi"],
    "graph.analysis.measures": ["Analysis", "Ranked", "analyze", "communities", "pagerank", "rank", "weighted"],
    "graph.analysis.paths": ["AnalysisError", "Step", "entity_node", "shortest_chain"],
    "graph.bench_sizes": ["SIZES", "generated_text", "measure"],
    "graph.corpus": ["Article", "CORPUS", "CORPUS_GRAPH", "Conflict", "Fact", "Figure", "Findings", "ReferenceFact", "Story", "Support", "add_corpus_graph", "conflicts", "corpus_dataset", "corpus_graph", "examine", "group_articles", "load_reference", "load_rules", "open_corpus", "stories"],
    "graph.corpus.compare": ["FIGURES", "ReferenceProperty", "Rule", "Rules", "Tolerance", "date_span", "dates_agree", "disagreement", "figures_agree", "identity", "load_rules", "rule_for", "says"],
    "graph.corpus.conflicts": ["Conflict", "Findings", "Support", "conflicts", "examine"],
    "graph.corpus.mapping": ["CORPUS", "CORPUS_GRAPH", "add_corpus_graph", "corpus_dataset", "corpus_graph", "findings_graph", "reference_iri", "story_iri"],
    "graph.corpus.marks": ["fact_marks"],
    "graph.corpus.read": ["ROLES", "Article", "Fact", "Figure", "articles", "as_store", "entity_types", "facts", "is_kb_entity", "labels", "open_corpus"],
    "graph.corpus.reference": ["ReferenceFact", "check", "load_reference"],
    "graph.corpus.spinner": ["FOOTERS", "spin_copy", "spin_words"],
    "graph.corpus.stories": ["Story", "group_articles", "sentence_overlap", "stories"],
    "graph.datafiles": ["bundled", "read_toml"],
    "graph.errors": ["AnalysisError", "DataError", "EntityError", "InputError", "KGError", "OutputError", "QueryError", "QueryRefused", "RemoteError"],
    "graph.extract": ["KnowledgeBase", "extract_facts", "find_mentions", "find_quantities_and_dates", "load_kb", "resolve_entities"],
    "graph.extract.candidates": ["CONCEPT_TYPES", "Candidate", "GENERIC_TYPES", "HAN", "ORGANIZATION_TYPES", "Occupancy", "PERSON_TYPES", "PLACE_TYPES", "compiled", "continues_latin", "latin_boundary", "load_name_rules", "name_key", "name_rules", "non_overlapping", "occurrences"],
    "graph.extract.dates": ["FUTURE_SLACK", "month_of", "reference_date", "shifted", "year_of"],
    "graph.extract.discover": ["acronym_organizations", "discover_names", "given_name_start", "organization_units", "publisher_mentions", "titles"],
    "graph.extract.entities": ["kb_entity", "language_of", "resolve_entities"],
    "graph.extract.facts": ["Pattern", "extract_facts", "fact_patterns", "load_fact_patterns"],
    "graph.extract.kb": ["KBEntry", "KnowledgeBase", "is_case_sensitive", "load_kb", "match_key"],
    "graph.extract.mentions": ["extend_versions", "find_mentions", "find_references", "match_kb"],
    "graph.extract.quantities": ["QUANTITY_ROLES", "article_year", "find_dates", "find_quantities", "find_quantities_and_dates", "load_quantity_rules"],
    "graph.ingest": ["ARTICLE_SUFFIXES", "BuildReport", "Failure", "build_corpus", "extract_article", "list_inputs"],
    "graph.model": ["DateSpan", "Document", "Entity", "Event", "Evidence", "Label", "Mention", "Quantity", "QuantitySpan", "Relation", "Sentence", "iso_date"],
    "graph.pipeline": ["BUNDLED_ARTICLE", "build", "bundled_article", "process", "stages"],
    "graph.query": ["Answer", "PREFIXES", "Parameter", "QueryError", "Question", "ask", "get_question", "query", "questions", "resolve_entity", "to_store"],
    "graph.query.guard": ["MAX_DEPTH", "MAX_TOKENS", "Seen", "group_start", "on_allowed_host", "query_form", "refusal", "scan"],
    "graph.query.questions": ["PARAMETER_TYPES", "Parameter", "Question", "ask", "get_question", "parameter_terms", "questions", "resolve_entity"],
    "graph.query.results": ["FORMATS", "display", "display_width", "format_answer", "printable", "to_csv", "to_json", "to_rdf", "to_table", "to_tsv", "to_xml", "write_output"],
    "graph.query.server": ["Limits", "WorkerPool", "make_app", "negotiate", "serve"],
    "graph.query.kept": ["answer_on_store", "dated_between", "keep_answers", "kept_answer"],
    "graph.query.http": ["Client", "Reply", "credentials", "retry_delays"],
    "graph.query.push": ["PushSummary", "graph_url", "push"],
    "graph.query.remote": ["Endpoint", "json_term", "remote_query", "term_from_json", "with_bindings"],
    "graph.query.sparql": ["BASE_IRI", "MAX_TIMEOUT", "PREFIXES", "Answer", "QueryError", "check_timeout", "on_large_stack", "query", "to_store"],
    "graph.rdf": ["CorpusStore", "article_quads", "load_graph", "open_graph", "open_store", "serialize", "serialize_quads", "validate", "write_atomic"],
    "graph.rdf.io": ["FORMATS", "format_for", "from_oxigraph", "load_graph", "open_entity_layer", "open_graph", "serialize", "serialize_nquads", "serialize_quads", "to_oxigraph", "write_atomic"],
    "graph.rdf.entity_index": ["FACT_ROLES", "FIGURE_ROLES", "INDEX_FILE", "EntityIndex", "entity_rows"],
    "graph.rdf.mapping": ["ENTITIES_GRAPH", "ArticleQuads", "article_quads", "content_hash", "date_literal", "document_iri", "entity_iri", "entity_quads", "fact_iri", "fact_iris", "mention_iri", "number_parts", "sentence_iri"],
    "graph.rdf.namespaces": ["DOC", "GRAPH", "ID", "ITSRDF", "KG", "NIF", "PREFIXES", "WD", "WDT"],
    "graph.rdf.ontology": ["Term", "Vocabulary", "ontology_graph", "read_turtle", "vocabulary"],
    "graph.rdf.store": ["ANSWERS", "SOURCES_GRAPH", "CorpusStore", "StoredArticle", "is_store", "open_store", "stored_article"],
    "graph.rdf.validate": ["shapes_graph", "validate"],
    "graph.text": ["normalize", "read_document", "read_text", "split_sentences"],
    "graph.text.dateline": ["dateline_day", "dateline_rules", "lede_year", "published_date"],
    "graph.text.html": ["Page", "extract_article", "looks_like_html"],
    "graph.text.normalize": ["Change", "Repair", "Substitution", "apply_repairs", "find_spin", "fold_characters", "load_spin_lexicon",
                             "normalize", "restore_text"],
    "graph.text.read": ["MAX_SIZE", "decode", "read_bytes", "read_document", "read_text"],
    "graph.text.sentences": ["MAX_SENTENCE_CHARS", "split_sentences"],
    "graph.view": ["view"],
    "graph.view.cli": ["add_commands"],
    "graph.view.layout": ["radial_layout"],
    "graph.view.model": ["ViewModel", "view_model"],
    "graph.view.page": ["PHYSICS_LIMIT", "ViewNetwork"],
    "graph.view.style": ["LANGUAGES", "STYLES", "Style", "UI", "style_for"],
}


def _modules() -> list[str]:
    return ["graph"] + sorted(m.name for m in pkgutil.walk_packages(graph.__path__, "graph."))


def test_every_declared_public_surface_is_pinned():
    declared = {name: list(module.__all__) for name in _modules()
                if hasattr(module := importlib.import_module(name), "__all__")}
    assert declared == PUBLIC


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_name_exists_and_packages_sort_theirs(name):
    module = importlib.import_module(name)
    assert [n for n in module.__all__ if not hasattr(module, n)] == []
    if hasattr(module, "__path__"):
        assert module.__all__ == sorted(module.__all__)


# The modules of the pipeline, its vocabulary, analysis and viewer (the others have owners of their own).
DOCUMENTED = [n for n in sorted(PUBLIC) if n.startswith(("graph.extract", "graph.text", "graph.model", "graph.pipeline",
                                                         "graph.rdf.ontology", "graph.analysis", "graph.view",
                                                         "graph.datafiles", "graph.bench_sizes"))]


@pytest.mark.parametrize("name", DOCUMENTED)
def test_public_functions_have_a_docstring_and_type_hints(name):
    module = importlib.import_module(name)
    for attr in module.__all__:
        value = inspect.unwrap(getattr(module, attr))      # through lru_cache
        if inspect.isfunction(value) and value.__module__ == name:
            signature = inspect.signature(value)
            assert (value.__doc__ or "").strip(), f"{name}.{attr} has no docstring"
            assert signature.return_annotation is not signature.empty, f"{name}.{attr} has no return type"
            assert all(p.annotation is not p.empty for p in signature.parameters.values()), f"{name}.{attr}"


# ------------------------------------------------------------------ house rules checked on the source

PACKAGE = Path(graph.__file__).parent
MAX_FUNCTION_LINES = 50


def _function_lengths(path: Path) -> list[tuple[str, int]]:
    """(name and line, lines without the docstring) of every function and method of a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0]
            docstring = (first.end_lineno - first.lineno + 1 if isinstance(first, ast.Expr)
                         and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str) else 0)
            found.append((f"{node.name} (line {node.lineno})", node.end_lineno - node.lineno + 1 - docstring))
    return found


def test_the_length_counter_leaves_docstrings_out():
    source = 'def f():\n    """One.\n\n    Two.\n    """\n    return 1\n'
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.py"
        path.write_text(source, encoding="utf-8")
        assert _function_lengths(path) == [("f (line 1)", 2)]


def test_no_function_is_longer_than_fifty_lines_outside_its_docstring():
    long = {f"{path.relative_to(PACKAGE.parent)}: {name}": n for path in sorted(PACKAGE.rglob("*.py"))
            for name, n in _function_lengths(path) if n > MAX_FUNCTION_LINES}
    assert long == {}


def test_the_package_holds_no_test_helpers():
    """Test helpers (browsers, reports over tests/data) live in tests/; the package never reads tests/."""
    helpers = [str(path.relative_to(PACKAGE)) for path in sorted(PACKAGE.rglob("*.py"))
               if re.search(r"""["']tests/|\bplaywright\b|\bpytest\b|\bhypothesis\b""", path.read_text(encoding="utf-8"))]
    assert helpers == []
