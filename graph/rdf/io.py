"""Read and write graphs: format from the file extension, atomic writes, sorted output."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from graph.errors import InputError, OutputError

FORMATS = {".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld"}
_QUAD_FORMATS = {"trig", "nquads"}


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"{path}: unknown RDF format {suffix!r} (use one of {', '.join(FORMATS)})")
    return FORMATS[suffix]


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """Serialize deterministically: same graph, same bytes (line formats are sorted)."""
    if fmt in _QUAD_FORMATS:
        data = dataset.serialize(format=fmt, encoding="utf-8")
    else:
        union = Graph()
        for prefix, ns in dataset.namespaces():
            union.bind(prefix, ns, override=True)
        for s, p, o, _ in sorted(dataset.quads((None, None, None, None))):
            union.add((s, p, o))
        data = union.serialize(format=fmt, encoding="utf-8")
    if fmt in ("nt", "nquads"):
        lines = sorted(set(data.decode("utf-8").splitlines()) - {""})
        data = ("\n".join(lines) + "\n").encode("utf-8")
    elif fmt == "json-ld":
        data = _sorted_json(data)
    return data


def _sorted_json(data: bytes) -> bytes:
    """rdflib's JSON-LD follows set order; sort nodes and values so the bytes repeat."""
    def canonical(value):
        if isinstance(value, dict):
            return {k: canonical(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [canonical(v) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return value

    tree = canonical(json.loads(data))
    return json.dumps(tree, sort_keys=True, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written output."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o666 & ~_umask())     # mkstemp makes 0600; an output is a normal file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def load_graph(*paths: str | Path) -> Dataset:
    """Load RDF files (or folders of them) into one Dataset."""
    dataset = Dataset(default_union=True)
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix.lower() in FORMATS)
        elif p.exists():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file")
    if not files:
        raise InputError(f"{', '.join(map(str, paths))}: no RDF files found")
    for f in files:
        fmt = FORMATS.get(f.suffix.lower(), "turtle")
        try:
            if fmt in _QUAD_FORMATS:
                dataset.parse(f, format=fmt)
            else:
                dataset.graph(f.resolve().as_uri()).parse(f, format=fmt)
        except Exception as exc:  # rdflib raises many parser-specific types
            raise InputError(f"{f}: not valid {fmt}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    return dataset
