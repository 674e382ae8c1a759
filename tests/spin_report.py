"""Measure spin repair: recall on an annotated spun article, changes on clean text.

    python tests/spin_report.py [--spun ARTICLE ANNOTATIONS] [--clean CLEAN.txt]      (make spin-report)

Defaults are the bundled article with tests/data/spun-words-meta-2023.toml (every spun word
of the article, annotated by hand with its offset and original form) and
tests/data/clean-news-zh.txt (unspun news sentences written for this test). A spun word
counts as restored when a repair overlaps it and its restored form contains the original.
Targets: recall >= 90 %; on clean text fewer than 1 change per 2,000 characters.
"""
from __future__ import annotations

import argparse
import tomllib
from dataclasses import dataclass
from pathlib import Path

from graph.text.normalize import find_spin

_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class SpinReport:
    annotated: int
    restored: int
    wrong: int              # repairs on words nobody annotated as spun
    clean_chars: int
    clean_changes: int

    @property
    def recall(self) -> float:
        return self.restored / self.annotated if self.annotated else 0.0

    @property
    def changes_per_2000(self) -> float:
        return self.clean_changes * 2000 / self.clean_chars if self.clean_chars else 0.0


def measure(article: str, annotations: list[dict], clean: str) -> SpinReport:
    """Recall of `find_spin` on `article` against `annotations`, and its changes on `clean`."""
    repairs = find_spin(article)

    def covers(r, a) -> bool:
        return r.start < a["offset"] + len(a["spun"]) and a["offset"] < r.end

    restored = sum(any(covers(r, a) and a["original"] in r.original for r in repairs) for a in annotations)
    wrong = sum(not any(covers(r, a) for a in annotations) for r in repairs)
    return SpinReport(len(annotations), restored, wrong, len(clean), len(find_spin(clean)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spun", nargs=2, metavar=("ARTICLE", "ANNOTATIONS"),
                        default=[_ROOT / "graph" / "data" / "meta-2023.txt",
                                 _ROOT / "tests" / "data" / "spun-words-meta-2023.toml"])
    parser.add_argument("--clean", default=_ROOT / "tests" / "data" / "clean-news-zh.txt")
    args = parser.parse_args(argv)
    article = Path(args.spun[0]).read_text(encoding="utf-8")
    annotations = tomllib.loads(Path(args.spun[1]).read_text(encoding="utf-8"))["spun"]
    clean = Path(args.clean).read_text(encoding="utf-8")
    report = measure(article, annotations, clean)
    print(f"spun article   {report.restored}/{report.annotated} annotated spun words restored "
          f"({report.recall:.1%}; target >= 90%), {report.wrong} repairs of unannotated words")
    print(f"clean text     {report.clean_changes} changes in {report.clean_chars} characters "
          f"({report.changes_per_2000:.2f} per 2,000; target < 1)")
    return 0 if report.recall >= 0.9 and report.changes_per_2000 < 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
