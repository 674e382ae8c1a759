"""The HTML viewer (`kg view`, `graph.view`): what the page holds, that it needs no network and
keeps the article's text as text, and the page itself in a real browser.

The browser tests drive Debian's chromium (/usr/bin/chromium) with Playwright, offline. Without
chromium they are skipped with a message saying so, except under CI (CI set), where they fail:
.ci/run installs it. Screenshots go to test-artifacts/ (git-ignored).
"""
from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from pyvis.network import Network
from rdflib.namespace import RDFS

import graph
from graph.analysis import to_networkx
from graph.errors import AnalysisError, EntityError, InputError
from graph.rdf.namespaces import NIF
from graph.view.model import view_model
from graph.view.page import PHYSICS_LIMIT

from bench_view import synthetic_graph
from chromium import CHROMIUM, launch

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
XSS_ARTICLE = Path(__file__).parent / "data" / "xss-article.txt"
LECUN = "https://w3id.org/cnkg/id/yann-lecun"
# Names the cues of tests/data/xss-article.txt must extract (《…》 titles, a “…”平台 name), markup and quotes kept.
HOSTILE_NAMES = ("<script>P=1</script>", "<img src=x onerror=P=2>", '"><svg onload=P=4>', "It's <i>",
                 "'&amp;<iframe src=x>", "<a href=# onclick=P=5>")
# Every element the page's own markup uses; anything else in the document came from the data.
PAGE_ELEMENTS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "div", "input", "ul", "label",
                 "span", "main", "aside", "p", "script"}


class _Page(HTMLParser):
    """The tags, attributes, script and style texts of a page, as an HTML parser reads them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: dict[str, list[str]] = {"script": [], "style": [], "title": []}
        self._open: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in self.texts else None

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open:
            self.texts[self._open].append(data)


def _data_block(page: str) -> str:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.DOTALL)
    assert match, "the page has no kg-data block"
    return match.group(1)


# ---------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def bundled_trig(built_file) -> Path:
    return built_file(".trig")


@pytest.fixture(scope="module")
def bundled_page(bundled_trig, run_kg, tmp_path_factory) -> Path:
    """`kg view` of the bundled article's graph, as `make run` writes it."""
    out = tmp_path_factory.mktemp("view") / "meta-2023.html"
    proc = run_kg("view", bundled_trig, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out}" in proc.stdout
    return out


@pytest.fixture(scope="module")
def bundled_model(bundled_trig):
    return view_model(graph.load_graph(bundled_trig))


@pytest.fixture(scope="module")
def xss_graph():
    return graph.build(XSS_ARTICLE)


@pytest.fixture(scope="module")
def xss_page(xss_graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("view") / "xss.html"
    graph.view(xss_graph).write_html(str(out))
    return out


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless and offline, in a fresh temporary profile (Playwright's launch)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: the viewer's browser tests need Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(message + "; under CI they must run (.ci/run installs it)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


class _Opened:
    """A page opened offline, with everything it logged, requested and raised."""

    def __init__(self, browser, path: Path, *, ready: bool = True, **context_options) -> None:
        self.context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900}, **context_options)
        self.page = self.context.new_page()
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri())
        if ready:
            self.page.wait_for_selector("body[data-ready]", state="attached", timeout=60_000)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def dom_position(self, node: int) -> tuple[float, float]:
        """Where node `node` is drawn, in page coordinates."""
        return tuple(self.js("""id => {
            const p = kg.network.canvasToDOM(kg.network.getPositions([id])[id]);
            const r = document.getElementById("graph").getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""", node))

    def search(self, text: str) -> None:
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")
        self.page.wait_for_timeout(500)       # the focus animation takes 300 ms

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser):
    opened = []

    def open_(path: Path, **options) -> _Opened:
        opened.append(_Opened(browser, path, **options))
        return opened[-1]
    yield open_
    for o in opened:
        o.close()


# ---------------------------------------------------------------------------------------- the page file

def test_page_references_nothing_remote(bundled_page, xss_page):
    for path in (bundled_page, xss_page):
        text = path.read_text(encoding="utf-8")
        page = _Page(text)
        for tag, attrs in page.tags:
            assert tag != "link", f"{path.name}: a <link> element: {attrs}"
            assert not (tag == "script" and "src" in attrs), f"{path.name}: a script loaded from {attrs['src']}"
            for name, value in attrs.items():
                assert not re.match(r"\s*(https?:)?//", value or ""), f"{path.name}: <{tag} {name}={value!r}>"
        styles = "".join(page.texts["style"])
        assert "@import" not in styles and "@font-face" not in styles
        assert set(re.findall(r"url\(\s*['\"]?([a-z]+):", styles)) <= {"data"}, "a stylesheet loads a remote url()"
        assert "@version 9.1.2" in "".join(page.texts["script"]), "vis-network is not inlined"
        csp = [a["content"] for tag, a in page.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert csp and "default-src 'none'" in csp[0], "the page has no Content-Security-Policy"


def test_hostile_names_reach_the_graph(xss_graph):
    labels = {str(o) for o in xss_graph.objects(None, RDFS.label)}
    assert set(HOSTILE_NAMES) <= labels
    text = str(next(xss_graph.objects(None, NIF.isString)))
    assert "<b onmouseover=P=3>" in text and "onerror=document.title='pwned'" in text


def test_page_holds_text_only_as_escaped_json(xss_page, xss_graph):
    text = xss_page.read_text(encoding="utf-8")
    block = _data_block(text)
    assert not set("<>&'") & set(block), "the data block holds raw markup characters"
    data = json.loads(block)
    names = {name for n in data["nodes"] if "names" in n for name in n["names"]}
    assert set(HOSTILE_NAMES) <= names
    evidence = [ev["text"] for f in data["facts"] for ev in f["evidence"]]
    assert any("<b onmouseover=P=3>" in t for t in evidence)
    page = _Page(text)
    assert {tag for tag, _ in page.tags} <= PAGE_ELEMENTS
    assert sum(tag == "script" for tag, _ in page.tags) == 3
    assert "".join(page.texts["title"]) == data["title"] and "<script>" in data["title"]


def test_page_is_written_the_same_twice(bundled_graph, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    graph.view(bundled_graph).write_html(str(first))
    graph.view(bundled_graph).write_html(str(second))
    assert first.read_bytes() == second.read_bytes()


# ---------------------------------------------------------------------------------------- what it shows

def test_labels_follow_the_language_with_fallback(bundled_graph):
    G = to_networkx(bundled_graph)
    zh, en = view_model(bundled_graph, lang="zh"), view_model(bundled_graph, lang="en")
    for model, lang, other in ((zh, "label_zh", "label_en"), (en, "label_en", "label_zh")):
        by_iri = {n["iri"]: n for n in model.nodes if "iri" in n}
        assert by_iri.keys() == set(G)
        for iri, d in G.nodes(data=True):
            assert by_iri[iri]["label"] == (d[lang] or d[other])
            assert d["label_zh"] is None or d["label_zh"] in by_iri[iri]["names"]
    assert {n["label"] for n in zh.nodes if n.get("iri") == LECUN} == {"杨立昆"}
    assert {n["label"] for n in en.nodes if n.get("iri") == LECUN} == {"Yann LeCun"}
    assert "任职于" in {e["label"] for e in zh.edges} and "works for" in {e["label"] for e in en.edges}
    assert {t["label"] for t in zh.types} >= {"人物", "公司"} and {t["label"] for t in en.types} >= {"person", "company"}
    assert any(G.nodes[iri]["label_zh"] is None for iri in G), "no entity to show the fallback"


def test_events_are_nodes_and_folded_edges(bundled_graph):
    model = view_model(bundled_graph, fold_events=False)
    events = [n for n in model.nodes if "fact" in n]
    unfolded = to_networkx(bundled_graph, fold_events=False)
    assert len(events) == sum(d["kind"] == "event" for _, d in unfolded.nodes(data=True)) > 10
    modes = {e["mode"] for e in model.edges}
    assert modes == {"both", "events", "folded"}
    folded_labels = {e["label"] for e in model.edges if e["mode"] == "folded"}
    assert {"开源", "发布"} <= {part for label in folded_labels for part in label.split(" · ")}
    assert model.folded is False and view_model(bundled_graph).folded is True
    legend = {t["key"]: t for t in model.types}
    assert legend["Person"]["count"] == 4 and legend["Layoff"]["event"] is True
    assert len({(t["color"], t["shape"]) for t in model.types if not t["event"]}) == \
        sum(not t["event"] for t in model.types), "two entity classes look alike"


def test_every_fact_has_its_sentence_and_offsets(bundled_graph):
    article = str(next(bundled_graph.objects(None, NIF.isString)))
    model = view_model(bundled_graph)
    assert model.facts
    for fact in model.facts:
        assert fact["evidence"], fact
        for ev in fact["evidence"]:
            assert article[ev["begin"]:ev["end"]] == ev["text"]
    lecun = next(n for n in model.nodes if n.get("iri") == LECUN)
    assert lecun["wikidata"] == "Q3571662" and {"Yann LeCun", "杨立昆"} <= set(lecun["names"])
    assert {model.facts[i]["kind"] for i in lecun["facts"]} >= {"worksFor", "award"}


def test_focus_draws_the_ego_graph(bundled_graph):
    folded = to_networkx(bundled_graph)
    for depth in (0, 1, 2):
        model = view_model(bundled_graph, focus="LeCun", depth=depth)
        entities = {n["iri"] for n in model.nodes if "iri" in n}
        assert entities == set(nx.ego_graph(folded, LECUN, radius=depth, undirected=True))
        ids = {n["id"] for n in model.nodes if "iri" in n}
        assert all(role[1] in ids for fact in model.facts for role in fact["roles"])
    assert len(view_model(bundled_graph, focus="杨立昆", depth=1).nodes) == \
        len(view_model(bundled_graph, focus="LeCun", depth=1).nodes)


@pytest.mark.parametrize("focus, error, message", [("没有这个人", EntityError, "no entity is labelled '没有这个人'"),
                                                   ("LeCu", EntityError, "no entity is labelled"),    # a part of a name names nothing
                                                   ("元宇宙", AnalysisError, "concepts are left out")])
def test_focus_errors_are_one_line(bundled_graph, focus, error, message):
    with pytest.raises(error, match=message) as info:
        view_model(bundled_graph, focus=focus)
    assert "\n" not in str(info.value)


def test_view_command_errors(bundled_trig, run_kg, tmp_path):
    for args, message in ((["--focus", "没有这个人"], "no entity is labelled"), (["--depth", "-1"], "--depth")):
        out = tmp_path / "x.html"
        proc = run_kg("view", bundled_trig, "-o", out, *args)
        assert proc.returncode == 2 and proc.stderr.startswith("kg: error: ") and message in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and not out.exists()
    proc = run_kg("view", bundled_trig, "-o", tmp_path / "x.txt")
    assert proc.returncode == 2 and "must be an .html file" in proc.stderr


def test_python_api_returns_a_pyvis_network(bundled_graph, tmp_path, monkeypatch):
    net = graph.view(bundled_graph, lang="en")
    assert isinstance(net, Network)
    assert net.num_nodes() == len(net.nodes) and net.num_edges() == len(net.edges)
    inline = net._repr_html_()
    assert inline.startswith("<iframe srcdoc=") and "<script" not in inline and 'sandbox="allow-scripts' in inline
    monkeypatch.chdir(tmp_path)
    net.write_html("page.html")
    assert (tmp_path / "page.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"], "pyvis's lib/ folder was copied"


def test_large_graphs_are_built_in_bulk_with_a_fixed_layout(monkeypatch):
    def quadratic(*args, **kwargs):
        raise AssertionError("pyvis's add_node/add_edge used: quadratic for large graphs")
    monkeypatch.setattr(Network, "add_edge", quadratic)
    monkeypatch.setattr(Network, "add_node", quadratic)
    net = graph.view(synthetic_graph(PHYSICS_LIMIT * 2), lang="en")
    assert len(net.nodes) > PHYSICS_LIMIT and net.options["physics"] == {"enabled": False}
    positions = {(n["x"], n["y"]) for n in net.nodes}
    assert len(positions) == len(net.nodes), "two nodes share a position"
    assert all("label" not in e and e["title"] for e in net.edges)
    small = graph.view(synthetic_graph(PHYSICS_LIMIT // 4))
    assert small.options["physics"].get("enabled", True)
    assert all("x" not in n for n in small.nodes)


def test_language_must_be_known(bundled_graph):
    with pytest.raises(InputError, match="language"):
        view_model(bundled_graph, lang="fr")


# ---------------------------------------------------------------------------------------- in chromium

def test_bundled_page_in_chromium(open_page, bundled_page, bundled_model):
    o = open_page(bundled_page)
    assert not o.errors and not [m for m in o.console if m[0] in ("error", "warning")], o.console + o.errors
    assert all(url.startswith("file://") for url in o.requests), o.requests
    m = bundled_model
    assert o.js("[kg.nodes.length, kg.edges.length]") == [len(m.nodes), len(m.edges)]
    entities = [n for n in m.nodes if "fact" not in n]
    shown_edges = [e for e in m.edges if e["mode"] in ("both", "folded")]
    assert o.js("[kg.nodeView.length, kg.edgeView.length]") == [len(entities), len(shown_edges)]
    o.screenshot("viewer-meta-2023.png")

    o.page.fill("#search", "LeCun")
    assert "杨立昆" in o.page.inner_text("#results")
    o.search("LeCun")
    lecun = next(n["id"] for n in m.nodes if n.get("iri") == LECUN)
    assert o.js("kg.network.getSelectedNodes()") == [lecun]
    # the focus animation ends on his node (waited for, not timed: a busy machine is slower)
    o.page.wait_for_function("""id => { const c = kg.network.getViewPosition(), p = kg.network.getPositions([id])[id];
                                        return Math.abs(c.x - p.x) < 1 && Math.abs(c.y - p.y) < 1; }""",
                             arg=lecun, timeout=10_000)
    panel = o.page.inner_text("#panel")
    assert "杨立昆" in panel and "Yann LeCun" in panel and "Q3571662" in panel
    evidence = o.js("Array.from(document.querySelectorAll('#panel blockquote.evidence'), q => q.textContent)")
    facts = [m.facts[i] for i in next(n for n in m.nodes if n["id"] == lecun)["facts"]]
    assert evidence and set(evidence) <= {ev["text"] for f in facts for ev in f["evidence"]}
    ev = facts[0]["evidence"][0]
    assert f"{ev['begin']}–{ev['end']}" in panel
    assert o.js("document.querySelector('#panel a').href") == "https://www.wikidata.org/wiki/Q3571662"
    o.screenshot("viewer-meta-2023-lecun.png")


def test_clicks_filters_and_the_event_toggle(open_page, bundled_page, bundled_model):
    o = open_page(bundled_page)
    m = bundled_model
    meta = next(n for n in m.nodes if n.get("iri") == "https://w3id.org/cnkg/id/meta")
    o.page.mouse.click(*o.dom_position(meta["id"]))
    assert o.page.inner_text("#panel h2").strip().endswith("Meta")

    edge = next(e for e in m.edges if e["mode"] == "both" and e["label"] == "任职于")
    x, y = o.js("""id => {
        const p = kg.network.canvasToDOM(kg.network.body.edges[id].edgeType.getPoint(0.5));
        const r = document.getElementById("graph").getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", edge["id"])
    o.page.mouse.click(x + 2, y + 2)
    assert o.js("kg.network.getSelectedEdges()") == [edge["id"]]
    assert o.page.inner_text("#panel h2") == "任职于"
    assert o.js("document.querySelectorAll('#panel blockquote.evidence').length") >= 1

    o.page.check("#fold")                     # already checked: events are folded
    o.page.uncheck("#fold")
    assert o.js("kg.nodeView.length") == len(m.nodes)
    assert o.js("kg.edgeView.get().every(e => e.mode !== 'folded')")
    o.page.uncheck("#legend input[data-type=Person]")
    persons = sum(n["type"] == "Person" for n in m.nodes)
    assert o.js("kg.nodeView.length") == len(m.nodes) - persons
    assert o.js("kg.nodeView.get().every(n => n.type !== 'Person')")
    o.screenshot("viewer-meta-2023-events.png")
    o.search("Zuckerberg")                    # a hidden type comes back when searched for
    assert o.js("kg.nodeView.length") == len(m.nodes)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_hostile_text_is_shown_as_text(open_page, xss_page, bypass_csp):
    o = open_page(xss_page, bypass_csp=bypass_csp)
    data = json.loads(_data_block(xss_page.read_text(encoding="utf-8")))
    ids = [n["id"] for n in data["nodes"]]
    o.page.uncheck("#fold")
    # lay the nodes out on a grid, so that none covers another, with edges hidden (their labels
    # could cover a node), then hover each: vis-network shows its title as a tooltip (at once:
    # its delay is for people, not for this test)
    o.js("""ids => { kg.network.setOptions({edges: {hidden: true}, interaction: {tooltipDelay: 0}});
                     ids.forEach((id, i) => kg.network.moveNode(id, (i % 6) * 170, Math.floor(i / 6) * 130));
                     kg.network.fit({animation: false});
                     // zoom out a little: a node in a corner would sit under the page's overlays
                     kg.network.moveTo({scale: kg.network.getScale() * 0.7}); }""", ids)
    o.page.wait_for_timeout(300)
    tooltips = []
    for node in ids:
        tooltip = ""
        for attempt in range(40):       # the tooltip shows after a hover event, later on a busy machine
            x, y = o.dom_position(node)  # read again: the layout may still be settling
            o.page.mouse.move(x + (attempt % 2), y)
            o.page.wait_for_timeout(75)
            tooltip = o.js("""() => { const t = document.querySelector('.vis-tooltip');
                                     return t && t.style.visibility !== 'hidden' ? t.innerText : ''; }""")
            if tooltip:
                break
        tooltips.append(tooltip)
    for name in HOSTILE_NAMES:
        o.search(name)
        assert o.page.inner_text("#panel h2").strip().endswith(name)
        assert any(t.startswith(name) for t in tooltips), (name, tooltips)
    o.search("Yann LeCun")
    assert "<b onmouseover=P=3>" in o.page.inner_text("#panel")
    assert "<img src=y onerror=document.title='pwned'>" in o.page.inner_text("#panel")
    o.screenshot(f"viewer-xss-{'escaping-alone' if bypass_csp else 'with-csp'}.png")
    assert o.js("typeof window.P") == "undefined", "text from the article ran as script"
    assert o.js("document.title") == data["title"]
    assert o.js("document.querySelectorAll('img, svg, iframe, a[onclick], b, i').length") == 0
    assert o.js("document.scripts.length") == 3 and not o.dialogs
    assert not o.errors and not [m for m in o.console if m[0] == "error"], o.console + o.errors
    assert all(url.startswith("file://") for url in o.requests), o.requests


def test_inline_notebook_view_runs_in_its_iframe(open_page, bundled_graph, tmp_path):
    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><html><body>" + graph.view(bundled_graph)._repr_html_() + "</body></html>",
                    encoding="utf-8")
    o = open_page(host, ready=False)
    frame = o.page.frames[1]
    frame.wait_for_selector("body[data-ready]", state="attached", timeout=60_000)
    assert frame.evaluate("kg.nodes.length") == len(graph.view(bundled_graph).nodes)
    assert not o.errors and not [m for m in o.console if m[0] == "error"], o.console + o.errors


def test_empty_graph_gives_a_working_page(open_page, tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("<https://w3id.org/cnkg/doc/x> a <https://w3id.org/cnkg/ontology#NewsArticle> .\n",
                     encoding="utf-8")
    page = tmp_path / "empty.html"
    graph.view(graph.load_graph(empty)).write_html(str(page))
    o = open_page(page)
    assert o.js("[kg.nodes.length, kg.edges.length]") == [0, 0]
    o.search("anything")
    assert not o.errors
