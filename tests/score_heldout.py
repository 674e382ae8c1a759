"""Score held-out articles with the shared scorer and print one line per article.

    python tests/score_heldout.py [FOLDER ...] [--json FILE]

Builds each article of the folders (default: every tests/data/heldout*/) with `kg build`,
scores it against its gold file (same stem, .toml) and prints entity P/R/F1, relation P/R/F1
and typed share, quantity and date recall, and the overall score; then the means.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCORER = REPO.parent / "shared" / "eval" / "score.py"


def score(article: Path, out_dir: Path) -> dict:
    out = out_dir / f"{article.stem}.trig"
    build = subprocess.run([sys.executable, "-m", "graph.cli", "build", str(article), "-o", str(out), "--quiet"],
                           cwd=REPO, capture_output=True, text=True)
    if build.returncode != 0:
        raise SystemExit(f"{article}: kg build failed: {build.stderr.strip()}")
    report = out_dir / f"{article.stem}.json"
    subprocess.run([sys.executable, str(SCORER), "--gold", str(article.with_suffix(".toml")), "--ontology",
                    str(REPO / "ontology"), str(out), "--json", str(report)], cwd=REPO, check=True,
                   capture_output=True)
    return json.loads(report.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--json", type=Path, help="write every report here")
    args = parser.parse_args()
    folders = args.folders or sorted((REPO / "tests" / "data").glob("heldout*"))
    articles = sorted(p for f in folders for p in f.iterdir() if p.suffix in (".txt", ".html"))
    rows, reports = [], {}
    print(f"{'article':34} {'ent P':>6} {'R':>5} {'F1':>5} {'rel P':>6} {'R':>5} {'F1':>5} {'typed':>6} "
          f"{'qty R':>6} {'date R':>6} {'overall':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for article in articles:
            r = score(article, Path(tmp))
            reports[article.name] = r
            e, rel = r["entities"], r["relations"]
            typed = rel.get("typed_recall") or 0.0
            row = (e["precision"], e["recall"], e["f1"], rel["precision"], rel["recall"], rel["f1"], typed,
                   r["quantities"]["recall"], r["dated"]["recall"], r["overall"])
            rows.append(row)
            print(f"{article.name:34} " + " ".join(f"{v:>{w}.3f}" for v, w in zip(row, (6, 5, 5, 6, 5, 5, 6, 6, 6, 7))))
    means = [sum(col) / len(col) for col in zip(*rows)]
    print(f"{'mean':34} " + " ".join(f"{v:>{w}.3f}" for v, w in zip(means, (6, 5, 5, 6, 5, 5, 6, 6, 6, 7))))
    if args.json:
        args.json.write_text(json.dumps(reports, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
