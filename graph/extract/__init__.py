"""Extraction stages: mentions, entities, facts."""
from graph.extract.entities import resolve_entities
from graph.extract.facts import extract_facts
from graph.extract.kb import KnowledgeBase, load_kb
from graph.extract.mentions import find_mentions

__all__ = ["KnowledgeBase", "extract_facts", "find_mentions", "load_kb", "resolve_entities"]
