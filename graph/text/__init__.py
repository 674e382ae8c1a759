"""Text stages: reading and decoding, normalization, sentences."""
from graph.text.normalize import normalize
from graph.text.read import read_document, read_text
from graph.text.sentences import split_sentences

__all__ = ["normalize", "read_document", "read_text", "split_sentences"]
