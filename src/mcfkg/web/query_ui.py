"""The query UI at ``/``: YASGUI from our own static files, our prefixes, the example queries.

The examples are the competency questions in ``queries/*.rq``; each file starts with
``# title:`` and ``# description:`` comment lines, which name it in the list (and a
``# pattern:`` line on the examples the model's documentation teaches with). Without
JavaScript the page still lists every example; choosing one fills a plain form that posts to
``/sparql``. The files name IRIs under the canonical base; a deployment under another base
serves them rewritten to its own, or they would match nothing in its rebased data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mcfkg.vocab import CANONICAL_BASE
from mcfkg.web.prefixes import prefixes
from mcfkg.web.templating import render, settings_of, vocab_of

router = APIRouter()


@dataclass(frozen=True)
class Example:
    """One example query of ``queries/``: its file stem, title, description and text, and the query
    pattern it is the documented example of (see ``mcfkg.web.model_docs.PATTERNS``), if any."""

    name: str
    title: str
    description: str
    query: str
    pattern: str = ""

    @property
    def query_string(self) -> str:
        """The query UI's query string choosing this example: run at once with JavaScript, in the plain form without."""
        return "?" + urlencode({"example": self.name})


def read_example(path: Path, base: str = CANONICAL_BASE) -> Example:
    """An example query from its file, its IRIs moved to ``base``; ``# title:`` names it (else the file name)."""
    text = path.read_text(encoding="utf-8").replace(CANONICAL_BASE, base)
    meta: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line.lstrip("# ").partition(":")
        if sep and key.strip().lower() in ("title", "description", "pattern"):
            meta[key.strip().lower()] = value.strip()
    return Example(path.stem, meta.get("title", path.stem.replace("-", " ")), meta.get("description", ""), text,
                   meta.get("pattern", ""))


def examples(queries_dir: Path, base: str = CANONICAL_BASE) -> list[Example]:
    """Every ``*.rq`` in ``queries_dir`` under ``base``, in file-name order (the files are numbered)."""
    return [read_example(p, base) for p in sorted(queries_dir.glob("*.rq"))]


@router.get("/", response_class=HTMLResponse, summary="The query UI (YASGUI) with example queries")
def query_page(request: Request) -> HTMLResponse:
    vocab = vocab_of(request)
    listed = examples(settings_of(request).queries_dir, vocab.base)
    config = {
        "endpoint": f"{vocab.mount}/sparql",
        "root": vocab.mount,
        "base": vocab.base,
        "prefixes": prefixes(vocab),
        "examples": [asdict(e) for e in listed],
    }
    chosen = next((e for e in listed if e.name == request.query_params.get("example")), None)
    prefill = chosen.query if chosen else request.query_params.get("query", "")
    return render(request, "query.html", examples=listed, ui_config=config, prefill=prefill)
