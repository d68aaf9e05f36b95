"""Refuse XML documents that declare entities: the "billion laughs" defence for every RDF/XML input.

A DTD's internal subset may declare entities that refer to one another: eight nested levels of
ten references each turn a 1.4 KB RDF/XML body into 10^8 copies of a word, and drove the store
process to 23 GB. RDF needs no entities (they only abbreviate text), so a document that declares
one is refused before any parser sees it: graph store uploads, ``--data`` files and the files a
build reads alike. The sender expands the entities and sends the plain document instead.

The check reads bytes, not decoded text, so no encoding can hide a declaration: in every
encoding an XML parser here may read (UTF-8 and every ASCII-compatible one, UTF-16, UTF-32;
with or without a byte-order mark) ``<!ENTITY`` is one of the byte strings below, at any offset.
"""

from __future__ import annotations

_DECLARATION = "<!ENTITY"
_ENCODED = frozenset(_DECLARATION.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))

REFUSAL = ("DTD entity declarations (<!ENTITY ...>) are refused, as they can expand a small document into "
           "gigabytes: expand the entities and drop the DOCTYPE (e.g. `xmllint --noent --dropdtd FILE`), "
           "then try again")


def declares_entities(document: bytes) -> bool:
    """Whether an XML document declares an entity, in whatever encoding it is written."""
    return any(encoded in document for encoded in _ENCODED)
