"""The examples in the docstrings of the pipeline's modules run and give what they show."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["graph", "graph.pipeline", "graph.text.normalize", "graph.text.sentences", "graph.text.dateline",
           "graph.extract.quantities", "graph.extract.dates"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0, f"{name} has no examples"
    assert failures == 0
