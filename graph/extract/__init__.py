"""Extraction stages: mentions, entities, quantities and dates, facts."""
from graph.extract.entities import resolve_entities
from graph.extract.facts import extract_facts
from graph.extract.kb import KnowledgeBase, load_kb
from graph.extract.mentions import find_mentions
from graph.extract.quantities import find_quantities_and_dates

__all__ = ["KnowledgeBase", "extract_facts", "find_mentions", "find_quantities_and_dates", "load_kb",
           "resolve_entities"]
