"""What ``mcfkg extract ARTICLE`` does and prints, and its exit codes.

It reads the article (plain text, or a saved HTML page), builds the gazetteer from the current build
(``dist/mcfkg.nq``, built first when stale, so the names of every source are known), runs
:func:`mcfkg.extract.pipeline.extract`, and writes the review file (TriG) with a table beside it
(``.md`` and ``.csv``, same name). ``--link`` asks the endpoint of ``mcfkg link``
(``MCFKG_LINK_ENDPOINT``) for Wikidata candidates of the new names, and, when ``MCFKG_GEONAMES_USERNAME``
is set, the GeoNames search service (``MCFKG_GEONAMES_SERVICE``) for candidates of the new places; nothing
else goes online.

Exit codes: 0 written; 2 the article, an option or the build is unusable (nothing written); 3 ``--link``
could not use the endpoint (nothing written).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from rdflib import URIRef
from rich.markup import escape

from mcfkg.config import Settings
from mcfkg.tables import TextTable, console, print_table
from mcfkg.vocab import CANONICAL_BASE, Vocab

EXIT_UNUSABLE, EXIT_ENDPOINT = 2, 3
KINDS = ("entity", "relation", "amount", "count", "percentage", "area", "date")


class UsageError(ValueError):
    """An option or the article that cannot be used; the message says what to give instead."""


def _error(message: str) -> None:
    console(stderr=True).print(f"[bold red]error:[/] {escape(message)}")


def default_source_id(article_path: Path) -> str:
    """A source id from the file name: ``Mianyang MCF Article.txt`` → ``mianyang-mcf-article``."""
    slug = re.sub(r"[^a-z0-9]+", "-", article_path.stem.lower()).strip("-")
    return (slug or "article")[:100].strip("-")


def parse_publisher(value: str) -> URIRef:
    """``mcfid:x``, ``x`` (an id) or a full IRI (under the canonical base or the configured one)."""
    text = value.strip().strip("<>")
    vocab = Vocab(CANONICAL_BASE)
    if text.startswith("mcfid:"):
        text = str(vocab.ID) + text[len("mcfid:"):]
    elif re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
        text = str(vocab.ID) + text
    if not re.match(r"^https?://\S+$", text):
        raise UsageError(f"--publisher {value!r}: give the publisher's IRI or its mcfid: name, e.g. mcfid:mianyang-drc")
    return URIRef(text)


def parse_published(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--published {value!r}: give the publication date as YYYY-MM-DD") from None


def table_paths(out: Path) -> tuple[Path, Path]:
    """Where the tables go beside the review file: ``x.review.trig`` → ``x.review.md``, ``x.review.csv``."""
    stem = out.with_suffix("") if out.suffix.lower() == ".trig" else out
    return stem.with_name(stem.name + ".md"), stem.with_name(stem.name + ".csv")


def load_gazetteer(settings: Settings, announce=None):  # noqa: ANN001, ANN201 - a Gazetteer and a set of IRIs
    """The gazetteer of the current build (built first when stale), and every IRI under ``id/`` the build
    uses (in the canonical base, as the review file writes them), so none is minted again."""
    from mcfkg.dist import dump_path, ensure_build
    from mcfkg.extract.gazetteer import Gazetteer
    from mcfkg.graph import load_dataset

    ensure_build(settings, announce or (lambda message: console(stderr=True).print(escape(message))))
    dataset = load_dataset([dump_path(settings)], settings.base_iri)
    ours, canonical = str(Vocab(settings.base_iri).ID), str(Vocab(CANONICAL_BASE).ID)
    taken = {URIRef(canonical + node[len(ours):]) for quad in dataset.quads((None, None, None, None))
             for node in quad if isinstance(node, URIRef) and node.startswith(ours)}
    return Gazetteer.from_dataset(dataset, base_iri=settings.base_iri), taken


def extract_command(settings: Settings, article_path: Path, out: Path | None, url: str | None, title: str | None,
                    published: str | date | None, publisher: str | None, link: bool,
                    source_id: str | None = None) -> int:
    """Write the review file of ``article_path`` and its tables; print what was found."""
    from mcfkg.sources.document import SOURCE_ID

    try:
        source_id = source_id or default_source_id(article_path)
        if not SOURCE_ID.match(source_id):
            raise UsageError(f"--id {source_id!r}: a source id is lower-case letters, digits and '-', "
                             "starting with a letter or digit")
        when = parse_published(published)
        by = parse_publisher(publisher) if publisher else None
        if url is not None and not re.match(r"^https?://\S+$", url.strip()):
            raise UsageError(f"--url {url!r}: give the address the article was published at (http:// or https://)")
        if not article_path.is_file():
            raise UsageError(f"no article {article_path}: give a plain-text file or a saved HTML page")
    except UsageError as exc:
        _error(str(exc))
        return EXIT_UNUSABLE
    out = out or Path(f"{source_id}.review.trig")

    from mcfkg.extract.text import read_article

    try:
        article = read_article(article_path, title=title, url=url.strip() if url else None, published=when,
                               publisher=by)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        _error(f"cannot read {article_path}: {exc}")
        return EXIT_UNUSABLE
    if not article.sentences:
        _error(f"{article_path} has no text to extract from")
        return EXIT_UNUSABLE

    from mcfkg.build import BuildFailed
    from mcfkg.graph import LoadError

    try:
        gazetteer, taken = load_gazetteer(settings)
    except (LoadError, BuildFailed, OSError) as exc:
        _error(f"cannot build the graph whose names the extraction needs: {exc}")
        return EXIT_UNUSABLE
    if by is not None and by not in gazetteer.entries:
        console(stderr=True).print(escape(f"warning: the publisher {by} is not an entity of the graph; "
                                          "`mcfkg review ... check` will ask for it"))

    from mcfkg.extract.pipeline import extract

    linker = None
    if link:
        from mcfkg.extract.entities import propose_links
        from mcfkg.link.commands import GEONAMES_OFF, geonames_client
        from mcfkg.link.endpoint import SparqlClient

        client = SparqlClient(settings.link_endpoint, timeout_s=settings.link_timeout_s)
        geonames = geonames_client(settings)
        if geonames is None:
            console(stderr=True).print(escape(f"note: {GEONAMES_OFF}"))

        def linker(mentions):  # noqa: ANN001, ANN202
            return propose_links(mentions, gazetteer, client, geonames)

    from mcfkg.link.endpoint import EndpointError

    try:
        extraction = extract(article, gazetteer, source_id, link=linker, taken=taken)
    except EndpointError as exc:
        _error(f"{exc} (the endpoints are MCFKG_LINK_ENDPOINT and, for places, MCFKG_GEONAMES_SERVICE; run without "
               "--link to extract offline). Nothing was written.")
        return EXIT_ENDPOINT

    from mcfkg.extract.review_file import write_review, write_table

    markdown, csv_path = table_paths(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_review(extraction, out)
        write_table(extraction, markdown)
        write_table(extraction, csv_path)
    except OSError as exc:
        _error(f"cannot write {out}: {exc.strerror or exc}; choose another file with --out")
        return EXIT_UNUSABLE
    print_summary(extraction, out, markdown, csv_path)
    return 0


def print_summary(extraction, out: Path, markdown: Path, csv_path: Path) -> None:  # noqa: ANN001
    """Candidates per kind, the notes, the files written and what to do next."""
    kinds = Counter(c.kind for c in extraction.candidates)
    sentences = {(c.sentence.paragraph, c.sentence.number) for c in extraction.candidates}
    table = TextTable(("kind", "candidates"), title=f"mcfkg extract {extraction.source_id}: "
                      f"{len(extraction.candidates)} candidates from {len(sentences)} of "
                      f"{len(extraction.article.sentences)} sentences")
    for kind in KINDS:
        if kinds.get(kind):
            table.add_row(kind, str(kinds[kind]))
    new = sum(1 for c in extraction.candidates if c.kind == "entity")
    table.caption = f"{new} new entities proposed; known names resolved to the graph's IRIs need no candidate."
    out_console = console()
    print_table(table, out_console)
    if extraction.notes:
        notes = TextTable(("unresolved",), title=f"{len(extraction.notes)} notes")
        for note in extraction.notes:
            notes.add_row(note)
        print_table(notes, out_console)
    for path in (out, markdown, csv_path):
        out_console.print(f"wrote {escape(str(path))}")
    out_console.print(escape(f"next: mcfkg review {out} list (or the review page of `mcfkg serve`)"))
