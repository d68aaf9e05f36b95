"""``mcfkg dump`` and ``mcfkg restore``: the whole on-disk store to one file and back.

A dump holds every quad of the store: each source's graphs with their provenance, the build's
inferences, and the graphs clients wrote over HTTP. Restoring it builds a new store beside the
target and renames it into place, so a crash leaves the old store or the new one. Sources whose
files are missing from ``data/sources/`` (say, on a new machine) are written back from their
graphs, so the files under ``data/`` and the store agree again; ``mcfkg build`` (or the next
``mcfkg serve``) then rebuilds ``dist/`` from them.
"""

from __future__ import annotations

import gzip
import shutil
import time
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox
from rdflib import RDF, XSD, Literal, URIRef
from rdflib import BNode as RdfBNode

from mcfkg.config import Settings
from mcfkg.graph import source_files
from mcfkg.sources.document import IncomingSource, Quad, read_quads, write_atomically
from mcfkg.vocab import CANONICAL_BASE, Vocab

FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}


class BackupError(Exception):
    """A dump or restore that cannot be done; the message says what to do instead."""


def _format(path: Path) -> tuple[ox.RdfFormat, bool]:
    """The RDF format of a dump file by its extension (``.nq`` or ``.trig``, optionally ``.gz``)."""
    compressed = path.suffix == ".gz"
    suffix = Path(path.stem).suffix if compressed else path.suffix
    if suffix not in FORMATS:
        raise BackupError(f"{path}: name the dump .nq or .trig (optionally .gz), e.g. backup.nq.gz")
    return FORMATS[suffix], compressed


def _open(store_path: Path) -> ox.Store:
    try:
        return ox.Store(str(store_path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise BackupError(f"{store_path} is in use by a running server; stop it first, or read the whole dataset "
                              "from it: GET /rdf-graph-store with 'Accept: application/n-quads'") from None
        raise BackupError(f"cannot open the store {store_path}: {exc}") from None


def dump(store_path: Path, out: Path) -> int:
    """Write every quad of the store at ``store_path`` to ``out``; the number of quads."""
    if not (store_path / "CURRENT").is_file():
        raise BackupError(f"{store_path} is not an on-disk store (give the directory of `mcfkg serve --store`)")
    fmt, compressed = _format(out)
    store = _open(store_path)
    temp = out.with_name(f".{out.name}.tmp")
    with (gzip.open(temp, "wb") if compressed else open(temp, "wb")) as stream:
        store.dump(cast(IO[bytes], stream), format=fmt)
    count = len(store)
    del store
    temp.replace(out)
    return count


def restore(settings: Settings, dump_file: Path, store_path: Path, replace: bool) -> tuple[int, list[Path]]:
    """Load ``dump_file`` as the store at ``store_path``; the quads loaded and the source files written back."""
    fmt, compressed = _format(dump_file)
    if store_path.exists() and any(store_path.iterdir()) and not replace:
        raise BackupError(f"{store_path} already holds a store; pass --replace to replace it (it is removed only "
                          "once the restored one is complete)")
    fresh = store_path.with_name(f".{store_path.name}.restoring-{int(time.time())}")
    store = ox.Store(str(fresh))
    try:
        with (gzip.open(dump_file, "rb") if compressed else open(dump_file, "rb")) as stream:
            store.load(cast(IO[bytes], stream), format=fmt)
        quads = list(store)
        store.flush()
        del store
    except (OSError, SyntaxError) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise BackupError(f"{dump_file}: {exc}; nothing was restored") from None
    written = _write_back_sources(settings, quads)
    if store_path.exists():
        retired = store_path.with_name(f".{store_path.name}.replaced-{int(time.time())}")
        store_path.rename(retired)
        fresh.rename(store_path)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        fresh.rename(store_path)
    return len(quads), written


def _write_back_sources(settings: Settings, quads: list[ox.Quad]) -> list[Path]:
    """Write ``data/sources/<id>.trig`` for each source of the dump that no file under data/ holds."""
    vocab = Vocab(CANONICAL_BASE)
    served = Vocab(settings.base_iri)
    described = {s for path in source_files(settings) for s, p, o, _ in read_quads(path)
                 if p == RDF.type and o == vocab.MCF.SourceDocument}
    documents = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)
                 and q.predicate.value == str(RDF.type) and q.object == ox.NamedNode(str(served.MCF.SourceDocument))}
    written = []
    for iri in sorted(documents):
        canonical = URIRef(CANONICAL_BASE + iri.removeprefix(settings.base_iri))
        source_id = str(canonical).removeprefix(str(vocab.ID))
        if canonical in described or source_id == str(canonical):
            continue
        own = (str(served.GRAPH[source_id]), str(vocab.GRAPH[source_id]))
        mine = {_to_rdflib(q, settings.base_iri) for q in quads
                if isinstance(q.graph_name, ox.NamedNode)
                and any(q.graph_name.value == g or q.graph_name.value.startswith(g + "/") for g in own)}
        target = settings.data_dir / "sources" / f"{source_id}.trig"
        write_atomically(target, IncomingSource(canonical, source_id, mine).trig())
        written.append(target)
    return written


def _to_rdflib(quad: ox.Quad, base: str) -> Quad:
    """A pyoxigraph quad as rdflib terms, its IRIs moved back to the canonical base (as data/ is written)."""
    def term(node: object) -> object:
        if isinstance(node, ox.NamedNode):
            return URIRef(CANONICAL_BASE + node.value.removeprefix(base) if node.value.startswith(base) else node.value)
        if isinstance(node, ox.BlankNode):
            return RdfBNode(node.value)
        assert isinstance(node, ox.Literal)
        if node.language:
            return Literal(node.value, lang=node.language)
        if node.datatype.value == str(XSD.string):
            return Literal(node.value)
        return Literal(node.value, datatype=URIRef(node.datatype.value))

    return (term(quad.subject), term(quad.predicate), term(quad.object), term(quad.graph_name))  # type: ignore[return-value]
