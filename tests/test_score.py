"""The shared scorer on the bundled article's graph, run exactly as a user runs it (see ../shared/eval/README.md)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"


@pytest.fixture(scope="module")
def report(built_file, tmp_path_factory) -> dict:
    """score.py's JSON report for `kg build -o OUT.trig` of the bundled article."""
    needed = [SHARED / "eval" / "score.py", SHARED / "eval" / "gold" / "meta-2023.toml"]
    missing = [str(p.resolve()) for p in needed if not p.is_file()]
    if missing:
        pytest.fail(f"the shared scorer is not where the project expects it ({SHARED.resolve()}): "
                    f"missing {', '.join(missing)}. Check out the shared folder beside the repository.",
                    pytrace=False)
    trig = built_file(".trig")
    out = tmp_path_factory.mktemp("score") / "report.json"
    proc = subprocess.run(
        [sys.executable, "../shared/eval/score.py", "--gold", "../shared/eval/gold/meta-2023.toml",
         "--ontology", "ontology/", str(trig), "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, f"score.py exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    assert out.is_file(), f"score.py wrote no report:\n{proc.stdout}"
    return json.loads(out.read_text(encoding="utf-8"))


def test_entity_f1(report):
    e = report["entities"]
    assert e["f1"] >= 0.90, (f'entity F1 {e["f1"]} (P {e["precision"]}, R {e["recall"]}); '
                             f'missed {e["missed"]}, mistyped {e["mistyped"]}, '
                             f'false positives {e["false_positives"]}')


def test_wikidata_linking(report):
    link = report["entities"]["linking"]
    assert link["wrong"] == [], f'wrong Wikidata links: {link["wrong"]}'
    assert link["correct"] >= 12, (f'{link["correct"]}/{link["total"]} Wikidata ids right; '
                                   f'missing {link["missing"]}')


def test_no_duplicate_entities(report):
    assert report["entities"]["duplicates"] == []


def test_relations_found_and_typed(report):
    r = report["relations"]
    assert r["f1"] >= 0.75, f'relation F1 {r["f1"]}; missed {r["missed"]}, spurious {r["spurious_links"]}'
    assert r["typed"] >= 0.70 * r["typed_total"], f'typed {r["typed"]}/{r["typed_total"]}; untyped {r["untyped"]}'


def test_quantities_and_dates(report):
    assert report["quantities"]["recall"] >= 0.80, report["quantities"]["missed"]
    assert report["dated"]["recall"] >= 0.85, report["dated"]["missed"]
