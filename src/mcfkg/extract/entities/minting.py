"""IRIs for new entities: a slug of the label, never one the build, the source or this extraction
already uses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rdflib import URIRef

from mcfkg.extract.entities.patterns import ID
from mcfkg.extract.gazetteer import Gazetteer
from mcfkg.extract.model import Mention


def slugify(label: str) -> str:
    """``label`` as an IRI segment: ASCII letters and digits in lower case, words joined by ``-``."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]s\b", "s", ascii_text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug or "entity"


def used_iris(minted: dict, gazetteer: Gazetteer | None = None) -> set[URIRef]:
    """Every IRI minted so far in this extraction (and, with ``gazetteer``, the graph's own)."""
    used = {value.iri if isinstance(value, Mention) else value for value in minted.values()}
    return used | set(gazetteer.entries) if gazetteer is not None else used


def reserve_iris(minted: dict, iris: Iterable[URIRef]) -> None:
    """Record ``iris`` as taken in ``minted``, so :func:`mint_iri` never returns one: the source's own IRI
    (an entity named like the article would otherwise be minted onto the document that names it) and the
    graph's IRIs that have no name, which the gazetteer does not list."""
    for iri in iris:
        minted["@" + str(iri)] = iri


def mint_iri(label: str, minted: dict, gazetteer: Gazetteer | None = None, *, reserve: bool = True) -> URIRef:
    """A new IRI ``mcfid:<slug of label>`` that neither the graph nor this extraction uses yet; with
    ``reserve`` it is recorded in ``minted`` (under ``"@<slug>"``) so no later call returns it again."""
    used = used_iris(minted, gazetteer)
    base = slugify(label)
    slug, n = base, 1
    while ID[slug] in used:
        n += 1
        slug = f"{base}-{n}"
    if reserve:
        minted["@" + slug] = ID[slug]
    return ID[slug]
