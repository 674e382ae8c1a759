"""The viewer page: a pyvis Network that writes one self-contained HTML file.

pyvis's own template links Bootstrap and vis-network from CDNs even with
`cdn_resources="in_line"`, sets tooltips with innerHTML once any title contains "href", and
writes node ids into its select menu unescaped. This page uses pyvis's network model and its
bundled vis-network 9.1.2, but its own template (page.html): vis-network's JS and CSS are
inlined, all data sits in one `<script type="application/json">` block with `<`, `>`, `&` and
`'` escaped, the page's script renders text with textContent only, and a Content-Security-Policy
allows nothing but the page's own two scripts (by hash): no network, no inline handlers.
"""
from __future__ import annotations

import base64
import hashlib
import html
import webbrowser
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network

from graph.rdf.io import write_atomic
from graph.view.layout import radial_layout
from graph.view.model import ViewModel
from graph.view.style import UI

__all__ = ["PHYSICS_LIMIT", "ViewNetwork"]

# Above this many nodes the layout is computed here and the browser's physics is off.
PHYSICS_LIMIT = 400

_VIS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
_HERE = Path(__file__).parent


class ViewNetwork(Network):
    """A pyvis Network holding a `ViewModel`, written as the viewer page.

    `nodes`, `edges` and `options` are pyvis's (filled in bulk: pyvis's `add_edge` checks every
    existing edge, quadratic in their number). `write_html` writes the page atomically, and in
    Jupyter the network shows itself inline (a sandboxed iframe holding the page).
    """

    def __init__(self, model: ViewModel, *, height: str = "750px") -> None:
        super().__init__(height=height, width="100%", directed=True, cdn_resources="in_line", heading=model.title)
        self.model = model
        self.large = len(model.nodes) > PHYSICS_LIMIT
        nodes, edges = [dict(n) for n in model.nodes], [dict(e) for e in model.edges]
        if self.large:
            G = nx.Graph()
            G.add_nodes_from(n["id"] for n in nodes)
            G.add_edges_from((e["from"], e["to"]) for e in edges if e["mode"] != "folded")
            positions = radial_layout(G)
            for n in nodes:
                n["x"], n["y"] = positions[n["id"]]
            for e in edges:
                del e["label"]          # thousands of edge labels make every frame slow; titles remain
        self.nodes, self.edges = nodes, edges
        self.node_ids = [n["id"] for n in nodes]
        self.node_map = {n["id"]: n for n in nodes}
        self.options = _options(self.large)

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
        """The page as a string (pyvis's signature; `name`, `local` and `notebook` change nothing)."""
        m = self.model
        data = {"title": m.title, "lang": m.lang, "ui": UI[m.lang], "folded": m.folded, "physics": not self.large,
                "options": self.options, "types": m.types, "nodes": self.nodes, "edges": self.edges, "facts": m.facts}
        assets = _assets()
        csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
               f"script-src {_hash(assets['vis_js'])} {_hash(assets['viewer_js'])}")
        self.html = _template().render(title=m.title, lang=m.lang, ui=UI[m.lang], data=data, csp=csp,
                                       pyvis_version=pyvis.__version__, **assets)
        return self.html

    def write_html(self, name: str, local: bool = True, notebook: bool = False, open_browser: bool = False) -> None:
        """Write the page to `name` (atomically, UTF-8); open it in a browser when asked."""
        write_atomic(name, self.generate_html().encode("utf-8"))
        if open_browser:
            webbrowser.open(Path(name).resolve().as_uri())

    def _repr_html_(self) -> str:
        """Jupyter's inline view: the whole page in a sandboxed iframe (scripts yes, same origin no)."""
        return (f'<iframe srcdoc="{html.escape(self.generate_html(), quote=True)}" '
                f'style="width: 100%; height: {html.escape(str(self.height))}; border: 1px solid #ddd" '
                'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>')


def _options(large: bool) -> dict:
    """vis-network options: physics for small graphs; fixed positions and no edge curves for large ones."""
    return {
        "autoResize": True,
        "interaction": {"hover": not large, "tooltipDelay": 200, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large},
        "nodes": {"font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "width": 1,
                  "color": {"color": "#a0aab4", "highlight": "#d1242f", "hover": "#57606a"},
                  "font": {"size": 10, "color": "#57606a", "strokeWidth": 3, "align": "middle"},
                  "smooth": False if large else {"type": "dynamic"}},
        "layout": {"improvedLayout": not large, "randomSeed": 7},
        "physics": {"enabled": False} if large else {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 110, "avoidOverlap": 0.4},
            "stabilization": {"iterations": 400, "fit": True}},
    }


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _assets() -> dict[str, Markup]:
    """vis-network's JS and CSS (from the pyvis package) and the page's own, to be inlined."""
    files = {"vis_js": _VIS / "vis-network.min.js", "vis_css": _VIS / "vis-network.css",
             "viewer_js": _HERE / "viewer.js", "viewer_css": _HERE / "viewer.css"}
    return {key: Markup(path.read_text(encoding="utf-8")) for key, path in files.items()}


@lru_cache(maxsize=1)
def _template():
    env = Environment(loader=FileSystemLoader(_HERE), autoescape=True, keep_trailing_newline=True)
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    return env.get_template("page.html")
