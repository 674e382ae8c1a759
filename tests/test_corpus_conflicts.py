"""Facts across articles: conflicts (independent stories or drifting copies), tolerances that
are data, reference facts with their sources, support counted by story, the corpus graph."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib.namespace import RDF

import graph
from graph.corpus import Fact, Figure, add_corpus_graph, examine, load_reference, load_rules
from graph.corpus.compare import dates_agree, disagreement, figures_agree
from graph.corpus.spinner import spin_copy
from graph.errors import DataError
from graph.rdf.namespaces import DOC, ID, KG, WD

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "graph" / "data" / "meta-2023.txt"
LAYOFFS = REPO / "tests" / "data" / "stories" / "meta-layoffs.txt"

# Two independent reports that disagree on PyTorch's year and on the head count of one layoff.
REPORT_A = """Meta的开源往事
2015年，Meta开源了PyTorch深度学习框架，很快在学术界流行起来。2022年11月，Meta宣布裁员1.1万人，这是公司历史上规模最大的一次裁员。
"""
REPORT_B = """回看Meta：从社交网络到人工智能
很多开发者都记得，2016年，Meta开源了PyTorch。此后这个框架逐步取代了不少竞争对手。另一方面，公司也在收缩：2022年11月，Meta宣布裁员1.2万人，员工士气受到打击。
"""


def _write(folder: Path, **texts: str) -> list[Path]:
    paths = []
    for name, text in texts.items():
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _between_articles(found) -> set[tuple]:
    return {(str(c.entity).rsplit("/", 1)[-1], c.fact.kind, c.property, c.kind, c.independent,
             tuple(sorted((_value(c.fact, c.property), _value(c.other, c.property)))))
            for c in found.conflicts if isinstance(c.other, Fact)}


def _value(fact: Fact, prop: str) -> str:
    return fact.date if prop == "date" else str(fact.figure(prop).value.normalize())


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory):
    return graph.build(*_write(tmp_path_factory.mktemp("two"), a=REPORT_A, b=REPORT_B))


@pytest.fixture(scope="module")
def drifting_copies(tmp_path_factory):
    """The bundled article, a spun copy of it that drifted (2016 for 2015, 1.2万 for 1.1万 laid off),
    and an independent report of the same layoffs."""
    text = BUNDLED.read_text(encoding="utf-8")
    drifted = text.replace("2015年,Meta开源了PyTorch", "2016年,Meta开源了PyTorch").replace("裁员1.1万人", "裁员1.2万人")
    assert drifted.count("2016年,Meta开源了PyTorch") == 1 and drifted.count("裁员1.2万人") == 1
    copy = spin_copy(drifted, rate=0.5, reorder=0.1, delete=0.1, seed=7)
    folder = tmp_path_factory.mktemp("drift")
    return graph.build(BUNDLED, *_write(folder, copy=copy), LAYOFFS)


@pytest.fixture(scope="module")
def copies_and_a_report(tmp_path_factory):
    """Two copies of the bundled article (one spun) and an independent report of Meta's layoffs."""
    copy = spin_copy(BUNDLED.read_text(encoding="utf-8"), rate=0.8, reorder=0.2, delete=0.1, seed=11)
    return graph.build(BUNDLED, *_write(tmp_path_factory.mktemp("copies"), copy=copy), LAYOFFS)


# ---------------------------------------------------------------- conflicts between articles


def test_two_reports_list_exactly_their_conflicting_year_and_head_count(two_reports):
    found = examine(two_reports)
    assert [len(s.articles) for s in found.stories] == [1, 1]
    assert _between_articles(found) == {
        ("pytorch", "OpenSourcing", "date", "DifferentDate", True, ("2015", "2016")),
        ("meta", "Layoff", "count", "DifferentValue", True, ("1.1E+4", "1.2E+4")),
    }
    # the 2015 report also contradicts the reference fact; the 2016 one agrees with it
    against = [(c.fact.date, c.other.source) for c in found.conflicts if not isinstance(c.other, Fact)]
    assert against == [("2015", WD.Q47509047)]
    assert any(f.date == "2016" and r.property == "releaseDate" for f, r in found.confirmations)


def test_copies_that_drift_apart_conflict_as_copies_of_one_story(drifting_copies):
    found = examine(drifting_copies)
    assert [len(s.articles) for s in found.stories] == [2, 1]
    assert _between_articles(found) == {
        ("pytorch", "OpenSourcing", "date", "DifferentDate", False, ("2015", "2016")),
        ("meta", "Layoff", "count", "DifferentValue", False, ("1.1E+4", "1.2E+4")),
        # the drifted head count also disagrees with the independent report of the layoffs
        ("meta", "Layoff", "count", "DifferentValue", True, ("1.1E+4", "1.2E+4")),
    }


def test_two_copies_and_one_independent_report_are_two_sources(copies_and_a_report):
    found = examine(copies_and_a_report)
    assert [len(s.articles) for s in found.stories] == [2, 1]
    layoffs = [f for f in found.facts if f.kind == "Layoff" and f.date == "2022-11"]
    assert len(layoffs) == 3 and {f.figure("count").value for f in layoffs} == {11000}
    assert {found.support[f.iri] for f in layoffs} == {graph.corpus.Support(stories=2, articles=3)}
    # a fact only the copies state has one independent source, whatever the number of copies
    pytorch = [f for f in found.facts if f.kind == "OpenSourcing" and ID.pytorch in f.entities("object")]
    assert len(pytorch) == 2 and {found.support[f.iri] for f in pytorch} == {graph.corpus.Support(1, 2)}
    assert not [c for c in found.conflicts if isinstance(c.other, Fact)]


# ---------------------------------------------------------------- tolerances are data


def test_rounding_and_precision_tolerances():
    tol = load_rules().tolerance
    assert figures_agree(Decimal("7e11"), Decimal("6.9e11"), tol)            # 近7000亿 and 6900亿
    assert figures_agree(Decimal("1.3e10"), Decimal("13000000000.000001"), tol)
    assert not figures_agree(Decimal(11000), Decimal(12000), tol)           # 1.1万 and 1.2万
    assert not figures_agree(Decimal(10000), Decimal(11000), tol)           # 1万 and 1.1万: 9 % apart
    assert figures_agree(Decimal(10000), Decimal(10400), tol)               # 1万 rounds 1.04万
    assert dates_agree("2023", "2023-02", tol) and dates_agree("2023-02-24", "2023-02", tol)
    assert not dates_agree("2023-01", "2023-02", tol) and not dates_agree("2015", "2016-09/2017-01", tol)
    assert dates_agree("2017", "2016-09/2017-01", tol)


def test_a_different_currency_is_a_different_unit():
    tol = load_rules().tolerance

    def spending(currency: str) -> Fact:
        return Fact(DOC["x/" + currency], "MarketValueChange", DOC.x, "", 0, 0, roles=(("agent", ID.meta),),
                    date="2022", figures=(Figure("amount", Decimal("7e11"), currency),))

    assert disagreement(spending("USD"), spending("CNY"), "amount", tol) == "DifferentUnit"
    assert disagreement(spending("USD"), spending("USD"), "amount", tol) is None


def test_the_tolerance_comes_from_the_rules_file(two_reports, tmp_path):
    text = (REPO / "graph/data/corpus/compare.toml").read_text(encoding="utf-8")
    loose = tmp_path / "loose.toml"
    loose.write_text(text.replace("relative = 0.02", "relative = 0.1"), encoding="utf-8")
    found = examine(two_reports, rules=load_rules(loose))
    assert {c.property for c in found.conflicts if isinstance(c.other, Fact)} == {"date"}   # 1.1万 ~ 1.2万 now


def test_a_misspelt_name_in_the_rules_is_refused(tmp_path):
    text = (REPO / "graph/data/corpus/compare.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('class = "Layoff"', 'class = "Layof"'), encoding="utf-8")
    with pytest.raises(DataError, match="unknown class 'Layof'"):
        load_rules(bad)


# ---------------------------------------------------------------- reference facts


def test_the_bundled_article_disagrees_with_two_reference_facts(bundled_graph):
    found = examine(bundled_graph)
    against = {(str(c.entity).rsplit("/", 1)[-1], c.property, c.kind, c.fact.date, c.other.values, str(c.other.source),
                c.other.wikidata_property) for c in found.conflicts}
    assert against == {
        ("pytorch", "date", "DifferentDate", "2015", ("2016-09/2017-01",), str(WD.Q47509047), "P577"),
        ("dinov2", "date", "DifferentDate", "2023-05", ("2023-04",), "https://arxiv.org/abs/2304.07193", "P577"),
    }
    confirmed = {(str(r.entity).rsplit("/", 1)[-1], r.property) for _, r in found.confirmations}
    assert {("llama", "releaseDate"), ("segment-anything", "releaseDate"), ("meta", "founder"),
            ("yann-lecun", "award"), ("pytorch", "developer")} <= confirmed


def test_sizes_of_one_model_family_agree_and_other_sizes_conflict(tmp_path):
    g = graph.build(*_write(tmp_path, a="一\nMeta的LLaMA模型拥有70亿参数。Vicuna拥有70亿参数。",
                            b="二\nMeta的LLaMA模型拥有650亿参数。Vicuna拥有130亿参数。",
                            c="三\n有报道称LLaMA拥有1750亿参数。"))
    found = examine(g)
    between = {(str(c.entity).rsplit("/", 1)[-1], tuple(sorted((_value(c.fact, "quantity"), _value(c.other, "quantity")))))
               for c in found.conflicts if isinstance(c.other, Fact)}
    # LLaMA 7B and 65B are two sizes the reference lists; Vicuna has no reference; 175B is no LLaMA size
    assert between == {("vicuna", ("1.3E+10", "7E+9")), ("llama", ("1.75E+11", "6.5E+10")), ("llama", ("1.75E+11", "7E+9"))}
    against = [(c.fact.figure("quantity").value, str(c.other.source)) for c in found.conflicts
               if not isinstance(c.other, Fact)]
    assert against == [(Decimal("175000000000"), "https://arxiv.org/abs/2302.13971")]


@pytest.mark.parametrize("entry, message", [
    ('[no-such-thing]\nreleaseDate = { value = "2020", wikidata = "P577" }', "no knowledge-base entity"),
    ('[llama]\nreleaseDate = { value = "2023-02" }', "give a source"),
    ('[llama]\nreleaseDate = { value = "Feb 2023", source = "https://arxiv.org/abs/2302.13971" }', "a date is ISO"),
    ('[llama]\ndeveloper = { values = ["metaa"], source = "https://arxiv.org/abs/2302.13971" }', "not a knowledge-base id"),
    ('[llama]\nreleased = { value = "2023-02", source = "https://arxiv.org/abs/2302.13971" }', "unknown property"),
])
def test_a_broken_reference_file_is_refused(tmp_path, entry, message):
    path = tmp_path / "reference.toml"
    path.write_text(entry + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_reference(path)


def test_every_bundled_reference_fact_has_a_source():
    facts = load_reference()
    assert len(facts) >= 50
    for ref in facts.values():
        assert str(ref.source).startswith(("http://www.wikidata.org/entity/Q", "https://arxiv.org/abs/", "https://crfm."))
        assert ref.wikidata_property is None or ref.wikidata_property.startswith("P")


# ---------------------------------------------------------------- the corpus graph


def test_the_corpus_graph_keeps_every_fact_and_passes_the_shapes(drifting_copies):
    g = graph.build(BUNDLED)
    before = set(g.quads((None, None, None, None)))
    add_corpus_graph(g)
    assert before <= set(g.quads((None, None, None, None)))        # nothing dropped, only added
    conforms, report = graph.validate(add_corpus_graph(drifting_copies))
    assert conforms, report
    conflicts = set(drifting_copies.subjects(RDF.type, KG.Conflict))
    assert len(conflicts) == len(examine(drifting_copies).conflicts)
    for c in conflicts:
        assert len(set(drifting_copies.objects(c, KG.conflictingFact))) == 2
    independent = {drifting_copies.value(c, KG.independentSources).toPython() for c in conflicts
                   if drifting_copies.value(c, KG.independentSources) is not None}
    assert independent == {True, False}
