"""The HTML graph viewer: one self-contained page (pyvis, vis-network inlined), safe to mail.

    >>> import graph
    >>> net = graph.view(graph.build(), lang="en", focus="LeCun", depth=1)
    >>> sorted(node["label"] for node in net.nodes if "iri" in node)
    ['FAIR', 'Meta', 'Turing Award', 'Yann LeCun']
    >>> net.write_html("lecun.html")            # doctest: +SKIP

In Jupyter, `net` on its own shows the page inline.

Only this package imports pyvis, and only when a page is made.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph

if TYPE_CHECKING:
    from graph.view.page import ViewNetwork

__all__ = ["view"]


def view(g: Graph, *, lang: str = "zh", fold_events: bool = True, focus: str | None = None, depth: int = 1,
         height: str = "750px") -> ViewNetwork:
    """The viewer of `g` as a pyvis network (shows inline in Jupyter; `.write_html(path)` writes the page).

    Parameters
    ----------
    g : rdflib.Graph or rdflib.Dataset
        A graph as `graph.build()` or `graph.load_graph()` return it.
    lang : "zh" or "en"
        The language of labels, falling back to the other one.
    fold_events : bool
        True (default): start with every event drawn as labelled edges between its participants;
        False: as a small node of its own. The page has a toggle either way.
    focus, depth : str, int
        Draw only the entities within `depth` steps of the entity with the name `focus`.
    height : str
        The height of the inline view in Jupyter (the written page fills the window).
    """
    from graph.view.model import view_model
    from graph.view.page import ViewNetwork

    return ViewNetwork(view_model(g, lang=lang, fold_events=fold_events, focus=focus, depth=depth), height=height)
