"""Writing an `Answer`: a readable table, and the SPARQL 1.1 result formats (JSON, XML, CSV, TSV).

    >>> from rdflib import Literal, URIRef
    >>> answer = Answer("SELECT", ("org", "n"), ((URIRef("https://w3id.org/cnkg/id/meta"), Literal(2)),
    ...                                          (URIRef("https://w3id.org/cnkg/id/name/%E5%B0%8F%E5%B7%9D"), None)))
    >>> print(to_table(answer))
    org           n
    ------------  -
    id:meta       2
    id:name/小川
    (2 rows)
    >>> to_csv(answer).splitlines()
    ['org,n', 'https://w3id.org/cnkg/id/meta,2', 'https://w3id.org/cnkg/id/name/%E5%B0%8F%E5%B7%9D,']

The table is for a terminal, so control characters from the graph's text (escape sequences
that retitle the window or move the cursor, C1 controls, bidirectional overrides) are shown as
escapes, never sent; the other formats carry the text as the graph has it.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
import unicodedata
from decimal import Decimal
from urllib.parse import unquote
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.query.remote import json_term
from graph.query.sparql import PREFIXES, Answer
from graph.rdf.io import to_ox_term

__all__ = ["FORMATS", "display", "display_width", "format_answer", "printable", "to_csv", "to_json", "to_rdf",
           "to_table", "to_tsv", "to_xml", "write_output"]

FORMATS = ("table", "csv", "tsv", "json")
# C0 controls but the tab, C1 controls, DEL, and the bidirectional controls that reorder what a terminal shows.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def format_answer(answer: Answer, fmt: str = "table") -> str:
    """`answer` as text: table, csv, tsv or json (CONSTRUCT and DESCRIBE answers are Turtle)."""
    if answer.form == "CONSTRUCT":
        return to_rdf(answer, "turtle")
    if fmt == "json":
        return to_json(answer, indent=1)
    return {"table": to_table, "csv": to_csv, "tsv": to_tsv}[fmt](answer)


def display(term: Node | None) -> str:
    """A term as a person reads it: a prefixed, percent-decoded IRI or a literal's text.

    >>> display(URIRef("https://w3id.org/cnkg/ontology#Layoff")), display(Literal("2023-02", datatype=XSD.gYearMonth))
    ('kg:Layoff', '2023-02')
    >>> display(Literal("11000.0", datatype=XSD.decimal)), display(Literal("86.50", datatype=XSD.decimal))
    ('11000', '86.5')
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        best = max((ns for ns in PREFIXES.values() if text.startswith(ns) and len(text) > len(ns)),
                   key=len, default=None)
        if best is not None:
            prefix = next(p for p, ns in PREFIXES.items() if ns == best)
            return f"{prefix}:{unquote(text[len(best):])}"
        return f"<{text}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and isinstance(term.value, Decimal) and term.value.is_finite():
        return f"{term.value.normalize():f}"      # 11000.0 and 11000 are the same decimal
    return str(term)


def printable(text: str) -> str:
    r"""`text` safe to print on a terminal: each control character but the tab shown as its escape.

    >>> printable("Meta\x1b]0;pwned\x07 \u202eLLaMA\x9b")
    'Meta\\x1b]0;pwned\\x07 \\u202eLLaMA\\x9b'
    """
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def write_output(text: str, *, report: bool) -> None:
    r"""Write a command's output to stdout, ending in a line break.

    A report for people (`report=True`: tables, summaries) shows every control character of its
    lines as its escape (`printable`), so that text from a graph cannot drive the terminal; a data
    format (CSV, TSV, JSON, Turtle) keeps the text exactly, for the program that reads it.

    >>> write_output("Meta\x1b]0;pwned\x07\n杨立昆", report=True)
    Meta\x1b]0;pwned\x07
    杨立昆
    """
    if report:
        text = "\n".join(printable(line) for line in text.removesuffix("\n").split("\n"))
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters (CJK) take two, combining marks none.

    >>> display_width("Meta"), display_width("杨立昆"), display_width("Ａ")
    (4, 6, 2)
    """
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def to_table(answer: Answer, *, max_width: int = 60) -> str:
    """Columns aligned by display width; cells longer than `max_width` columns end in "…"."""
    if answer.form == "ASK":
        return "true" if answer.boolean else "false"
    header = [printable(v) for v in answer.variables]
    cells = [[_clip(printable(" ".join(display(t).split())), max_width) for t in row] for row in answer.rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = [_line(header, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(row, widths) for row in cells]
    count = len(answer.rows)
    lines.append(f"({count} row{'' if count == 1 else 's'}{', truncated' if answer.truncated else ''})")
    return "\n".join(lines)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths)).rstrip()


def _clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        used += display_width(c)
        if used > width - 1:
            break
        out.append(c)
    return "".join(out) + "…"


def to_json(answer: Answer, *, indent: int | None = None) -> str:
    """SPARQL 1.1 Query Results JSON (compact unless `indent` is given)."""
    if answer.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(answer.boolean)})
    bindings = [{v: json_term(t) for v, t in zip(answer.variables, row) if t is not None} for row in answer.rows]
    return json.dumps({"head": {"vars": list(answer.variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=indent)


def to_xml(answer: Answer) -> str:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
    out.append("</head>")
    if answer.form == "ASK":
        out.append(f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in answer.rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(answer.variables, row) if t is not None]
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype and term.datatype != XSD.string:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def to_csv(answer: Answer) -> str:
    """SPARQL 1.1 CSV: plain values (IRIs without brackets, literals without type or language)."""
    if answer.form == "ASK":
        return "true\r\n" if answer.boolean else "false\r\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow(["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row])
    return buffer.getvalue()


def to_tsv(answer: Answer) -> str:
    """SPARQL 1.1 TSV: terms in N-Triples syntax, so types and languages survive."""
    if answer.form == "ASK":
        return "true\n" if answer.boolean else "false\n"
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    lines += ["\t".join("" if t is None else str(to_ox_term(t)) for t in row) for row in answer.rows]
    return "\n".join(lines) + "\n"


def to_rdf(answer: Answer, fmt: str = "turtle") -> str:
    """The triples of a CONSTRUCT or DESCRIBE answer in an rdflib format (turtle, nt, xml, json-ld)."""
    g = Graph(bind_namespaces="none")      # only our prefixes: binding rdflib's thirty costs more than the rest
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for triple in answer.triples:
        g.add(triple)
    return g.serialize(format=fmt)
