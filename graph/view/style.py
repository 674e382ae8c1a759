"""How the page looks: a colour and a shape per class, and the page's words in each language."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LANGUAGES", "STYLES", "Style", "UI", "style_for"]

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Style:
    """A class's colour and vis-network shape; `glyph` draws the same shape in the legend."""
    color: str
    shape: str
    size: int = 16

    @property
    def glyph(self) -> str:
        return _GLYPHS[self.shape]


_GLYPHS = {"dot": "●", "square": "■", "triangle": "▲", "triangleDown": "▼", "diamond": "◆", "star": "★",
           "hexagon": "⬢"}

# Entities: organizations are squares, people dots, places triangles, things made hexagons,
# works and awards stars. Events and claims are small diamonds and squares. Keys are classes of
# ontology/kg.ttl (a test checks it); every entity class has a style of its own.
STYLES = {
    "Company": Style("#1f77b4", "square"),
    "Organization": Style("#6baed6", "square"),
    "OrganizationUnit": Style("#17becf", "square"),
    "University": Style("#3f51b5", "square"),
    "ResearchInstitute": Style("#5c6bc0", "square"),
    "GovernmentAgency": Style("#0d47a1", "square"),
    "Person": Style("#d62728", "dot"),
    "Place": Style("#2ca02c", "triangle"),
    "Country": Style("#2e7d32", "triangle"),
    "City": Style("#66bb6a", "triangle"),
    "Product": Style("#ff7f0e", "hexagon"),
    "Software": Style("#9467bd", "hexagon"),
    "AIModel": Style("#e377c2", "hexagon"),
    "Dataset": Style("#8c564b", "hexagon"),
    "CreativeWork": Style("#bcbd22", "star"),
    "Award": Style("#f2b701", "star"),
    "Concept": Style("#7f7f7f", "dot", 10),
    "Claim": Style("#c994c7", "square", 7),
    "Measurement": Style("#bdbdbd", "diamond", 7),
}
_EVENT = Style("#fdae6b", "diamond", 8)
_OTHER = Style("#97c2fc", "dot")


def style_for(type_key: str, event: bool) -> Style:
    """The style of a class (a local name such as "Company"); unknown events and entities get a default."""
    return STYLES.get(type_key, _EVENT if event else _OTHER)


# The page's own words; {placeholders} are filled in by the page's script.
UI = {
    "zh": {
        "search": "搜索实体（任一名称）", "fold": "把事件折叠为边", "legend": "类型", "facts": "事实",
        "names": "别名", "evidence": "证据", "noFacts": "没有记录的事实。", "subject": "主语", "object": "宾语",
        "offsets": "原文字符 {begin}–{end}", "counts": "{nodes} 个节点 · {edges} 条边",
        "hint": "点击节点或边查看详情：类型、Wikidata、事实和证据句。",
        "conflict": "冲突", "confirmed": "参考事实确认", "copies": "同一报道的转载", "independent": "独立报道",
        "sources": "{stories} 个独立来源 · {articles} 篇文章",
    },
    "en": {
        "search": "Search entities (any name)", "fold": "Fold events into edges", "legend": "Types", "facts": "Facts",
        "names": "Also known as", "evidence": "Evidence", "noFacts": "No facts recorded.", "subject": "subject",
        "object": "object", "offsets": "characters {begin}–{end}", "counts": "{nodes} nodes · {edges} edges",
        "hint": "Click a node or an edge for its details: type, Wikidata, facts and evidence sentences.",
        "conflict": "Conflict", "confirmed": "Confirmed by reference", "copies": "a copy of the same story",
        "independent": "an independent story", "sources": "{stories} independent sources · {articles} articles",
    },
}
