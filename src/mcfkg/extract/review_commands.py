"""What ``mcfkg review REVIEW.trig list|accept|reject|edit|check|ingest`` print, and their exit codes.

Exit codes: 0 done (``check``: the accepted set conforms with the whole graph); 1 refused (``check``:
SHACL violations; ``ingest``: violations, names waiting for a decision, nothing accepted); 2 the
review file, a candidate id or an edit is unusable, and nothing changed. ``accept``, ``reject`` and
``edit`` rewrite the review file in one piece (:func:`mcfkg.extract.review.change`); ``ingest``
writes the accepted candidates to a temporary TriG file and runs ``mcfkg ingest`` on it, printing
its outcome the same way (``--json``: one JSON object, ``Change.as_dict``).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from rich.markup import escape
from rich.text import Text

from mcfkg.config import Settings
from mcfkg.extract import accepted, review
from mcfkg.extract.model import Extraction
from mcfkg.graph import LoadError
from mcfkg.tables import TextTable, console, print_table

EXIT_REFUSED, EXIT_UNUSABLE = 1, 2


def _error(message: str) -> None:
    console(stderr=True).print(f"[bold red]error:[/] {escape(message)}")


def _say(message: str) -> None:
    console().print(escape(message))


def _unusable(path: Path, exc: Exception) -> int:
    if isinstance(exc, FileNotFoundError):
        _error(f"no review file {path}; `mcfkg extract ARTICLE` writes one")
    elif isinstance(exc, OSError):
        _error(f"cannot read or write {path}: {exc.strerror or exc}")
    else:
        _error(f"{exc}\nNothing was changed.")
    return EXIT_UNUSABLE


def _read(path: Path) -> Extraction:
    return review.load(path)


def _tally(extraction: Extraction) -> str:
    counts = review.counts(extraction)
    return ", ".join(f"{n} {status}" for status, n in counts.items())


def triples_text(candidate: object) -> str:
    """A candidate's triples as short lines, ``s p o`` each, sorted."""
    return "\n".join(sorted(" ".join(review.short_name(n) for n in t) for t in candidate.triples))  # type: ignore[attr-defined]


def list_command(path: Path, status: str | None, kind: str | None, as_json: bool) -> int:
    """Every candidate (or those of ``status``/``kind``): id, status, kind, confidence, rule, triples, words."""
    try:
        extraction = _read(path)
    except (OSError, ValueError, LoadError) as exc:
        return _unusable(path, exc)
    ids = review.candidate_ids(extraction)
    rows = [(cid, c) for cid, c in zip(ids, extraction.candidates)
            if (status is None or c.status == status) and (kind is None or c.kind == kind)]
    if as_json:
        sys.stdout.write(json.dumps({
            "source": extraction.source_id, "title": extraction.article.title, "counts": review.counts(extraction),
            "candidates": [{"id": cid, "status": c.status, "kind": c.kind, "confidence": c.confidence, "rule": c.rule,
                            "paragraph": c.sentence.paragraph, "sentence": c.sentence.number,
                            "triples": [[review.short_name(n) for n in t] for t in c.triples],
                            "evidence": [s.text for s in c.evidence], "note": c.note} for cid, c in rows]},
            ensure_ascii=False) + "\n")
        return 0
    table = TextTable(("id", "status", "kind", "confidence", "rule", "triples", "words"),
                      title=f"review of {extraction.source_id}: {extraction.article.title}",
                      caption=f"{len(rows)} candidate(s) listed; {_tally(extraction)}")
    styles = {"accepted": "green", "rejected": "red"}
    for cid, c in rows:
        table.add_row(cid, Text(c.status, style=styles.get(c.status, "")), c.kind, f"{c.confidence:.2f}", c.rule,
                      triples_text(c), " … ".join(s.text for s in c.evidence))
    print_table(table, console())
    return 0


def status_command(path: Path, ids: list[str], status: str, kind: str | None, min_confidence: float | None) -> int:
    """``accept`` / ``reject`` (or ``reset``, back to pending): the named candidates (``all``), filtered."""
    if not ids and kind is None and min_confidence is None:
        _error(f"name the candidates to mark {status}: ids as `list` shows them (p1/s2/c1), `all`, or "
               "--kind / --min-confidence; nothing was changed")
        return EXIT_UNUSABLE

    def mark(extraction: Extraction) -> tuple[list[str], list[str], str]:
        chosen = review.select(extraction, ids, kind, min_confidence)
        return chosen, review.set_status(extraction, chosen, status), _tally(extraction)

    try:
        chosen, changed, tally = review.change(path, mark)
    except (OSError, ValueError, LoadError) as exc:
        return _unusable(path, exc)
    unchanged = len(chosen) - len(changed)
    _say(f"{status} {len(changed)} candidate(s){': ' + ', '.join(changed) if changed else ''}"
         f"{f' ({unchanged} already {status})' if unchanged else ''}; now {tally}")
    return 0


def edit_command(path: Path, candidate_id: str, type_: str | None, iri: str | None, value: str | None,
                 predicate: str | None, entity: str | None) -> int:
    """``edit ID --type/--iri/--value``: see :func:`mcfkg.extract.review.edit`."""
    if iri and "=" in iri and entity is None:  # --iri OLD=NEW names the entity to rename
        entity, iri = (part.strip() for part in iri.split("=", 1))
    try:
        edited = review.change(path, lambda extraction: (review.edit(
            extraction, candidate_id, subject=iri, predicate=predicate, obj=value, type=type_, entity=entity)))
    except (OSError, ValueError, LoadError) as exc:
        return _unusable(path, exc)
    _say(f"{candidate_id} ({edited.status}): {edited.note}")
    print_table(TextTable(("triple",), [(line,) for line in triples_text(edited).splitlines()], show_header=False),
                console())
    return 0


def check_command(settings: Settings, path: Path, same_as: list[str], as_json: bool) -> int:
    """SHACL on the accepted candidates with the whole graph; each result beside its candidates."""
    try:
        extraction = _read(path)
        results = accepted.check(extraction, settings, same_as)
    except (OSError, ValueError, LoadError) as exc:
        return _unusable(path, exc)
    violations = sum(r.severity == "Violation" for r in results)
    how_many = review.counts(extraction)["accepted"]
    if as_json:
        sys.stdout.write(json.dumps({"source": extraction.source_id, "accepted": how_many, "conforms": not violations,
                                     "results": [r.as_dict() for r in results]}, ensure_ascii=False) + "\n")
        return EXIT_REFUSED if violations else 0
    if results:
        table = TextTable(("severity", "candidates", "focus node", "path", "value", "message"),
                          title="SHACL results on the accepted candidates with the whole graph")
        for r in results:
            table.add_row(Text(r.severity, style="red" if r.severity == "Violation" else "yellow"),
                          " ".join(r.candidates) or "(the source)", r.focus_label or r.focus, r.path, r.value, r.message)
        print_table(table, console())
    if violations:
        _error(f"the {how_many} accepted candidate(s) of {extraction.source_id} do not conform with the graph: "
               f"{violations} violation(s); edit or reject the candidates listed and check again")
        return EXIT_REFUSED
    _say(f"the {how_many} accepted candidate(s) of {extraction.source_id} conform with the graph"
         f"{f' ({len(results)} warning(s) or note(s))' if results else ''}; `mcfkg review {path} ingest` adds them")
    return 0


def ingest_command(settings: Settings, path: Path, same_as: list[str], distinct: list[str], as_json: bool) -> int:
    """The accepted candidates as one source, through ``mcfkg ingest`` (same checks, same output)."""
    from mcfkg.sources.changes import Change
    from mcfkg.sources.commands import ingest_command as ingest

    try:
        extraction = _read(path)
        data = accepted.source_trig(extraction)
    except (OSError, ValueError, LoadError) as exc:
        return _unusable(path, exc)
    if not review.counts(extraction)["accepted"]:
        refusal = Change("refused", f"no candidate of {extraction.source_id} is accepted; accept some "
                                    f"(`mcfkg review {path} accept ...`) and ingest again. Nothing was written.")
        if as_json:
            sys.stdout.write(json.dumps(refusal.as_dict(), ensure_ascii=False) + "\n")
        else:
            _error(refusal.message)
        return refusal.exit_code
    with tempfile.TemporaryDirectory(prefix="mcfkg-review-ingest-") as folder:
        source = Path(folder) / f"{extraction.source_id}.trig"
        source.write_bytes(data)
        return ingest(settings, source, same_as, distinct, as_json)


__all__ = ["check_command", "edit_command", "ingest_command", "list_command", "status_command"]
