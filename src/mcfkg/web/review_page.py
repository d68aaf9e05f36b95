"""The review pages: a new article's candidate facts, reviewed in the browser and ingested as one source.

- ``GET /review``: the reviews this server keeps (``Settings.review_dir``) and a form for a new article;
- ``POST /review`` (token): an article (``text/plain`` or ``text/html`` body with ``url``, ``title``,
  ``published``, ``publisher`` query parameters, or the page's form) goes through ``mcfkg extract`` in a
  child process; 303 to its review;
- ``GET /review/{id}``: the candidates sentence by sentence, the words that produced them marked, each
  with its kind, triples, rule, confidence and status, buttons to accept or reject and an edit form
  (HTML; JSON as ``mcfkg review FILE list --json``; the review file itself as ``application/trig``);
- ``POST /review/{id}/candidates`` (token): accept, reject, reset or edit (form or JSON);
- ``GET /review/{id}/check``: SHACL on the accepted candidates with the whole graph (``mcfkg review FILE
  check`` in a child process), each result shown beside the candidates it concerns;
- ``POST /review/{id}/ingest`` (token): the accepted candidates as one source, through ``mcfkg review
  FILE ingest --json`` in a child process, exactly as ``POST /sources`` runs ``mcfkg ingest``.

The token. Writes need the server's update token, as every write does: from a client as
``Authorization: Bearer <token>``; from the browser, whose pages are plain GETs, as the field
``token`` of the POST forms. It is never put in a URL or a cookie; the page's script sends the
form with ``fetch`` and swaps in the new list, so the token typed once stays in its field (and
only there) while the reviewer works through the candidates. Without a script every form still works,
the token typed with each. The review pages answer only on a server that takes writes.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mcfkg.config import Settings
from mcfkg.extract import accepted, review
from mcfkg.extract.model import Extraction
from mcfkg.graph import rebase
from mcfkg.sources.document import SOURCE_ID
from mcfkg.sparql.negotiation import HTML, NotAcceptable, choose
from mcfkg.web.auth import require_token
from mcfkg.web.errors import HttpError, bad_request, not_acceptable, the_server_is_read_only
from mcfkg.web.prefixes import sparql_prologue
from mcfkg.web.review_view import known_labels, term, view
from mcfkg.web.source_changes import _served, child_json, run_change, run_mcfkg
from mcfkg.web.templating import render, store_of, vocab_of

router = APIRouter()
JSON = "application/json"
TRIG = "application/trig"
ARTICLE_TYPES = {"text/plain": ".txt", "text/html": ".html"}
ACTIONS = {"accept": "accepted", "reject": "rejected", "reset": "pending"}
_NO_STORE = {"Cache-Control": "no-store"}  # a page a token was typed on, or a form's answer, is not cached


# --- access ---------------------------------------------------------------------------------------


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    if not settings.update_token:
        raise the_server_is_read_only()
    return settings


def _authorised(request: Request, form_token: str | None = None) -> None:
    require_token(request, form_token, "reviewing")


def _path(request: Request, review_id: str) -> Path:
    """The review file of ``review_id`` (a source id: no path can be smuggled in); 404 if there is none."""
    if not SOURCE_ID.match(review_id):
        raise HttpError(404, f"{review_id!r} is not a review id (lower-case letters, digits and hyphens)")
    path = _settings(request).review_dir / f"{review_id}.trig"
    if not path.is_file():
        raise HttpError(404, f"no review {review_id} on this server; GET /review lists them, POST /review "
                             "starts one from an article")
    return path


def _wants(request: Request, offers: tuple[str, ...]) -> str:
    try:
        return choose(request.headers.get("accept"), offers, "review")
    except NotAcceptable as exc:
        raise not_acceptable(str(exc)) from exc


def _is_form(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type in ("application/x-www-form-urlencoded", "multipart/form-data")



def _source_href(request: Request, extraction: Extraction) -> str | None:
    """The page of the source, once the served graph has it (after an ingest)."""
    vocab = vocab_of(request)
    iri = str(rebase(review.document_iri(extraction), vocab.base))
    query = sparql_prologue(vocab, ("mcf",)) + f"ASK {{ GRAPH ?g {{ <{iri}> a mcf:SourceDocument }} }}"
    answer = store_of(request).query(query, "application/sparql-results+json")
    return vocab.local_path(iri) if json.loads(answer.body).get("boolean") else None


def _page(request: Request, review_id: str, extraction: Extraction, status_code: int = 200, **context: object) -> Response:
    results: list[accepted.Violation] | None = context.pop("results", None)  # type: ignore[assignment]
    sentences = view(request, extraction, results)
    general = [r for r in results or [] if not r.candidates]
    publisher = extraction.article.publisher
    shown = term(publisher, known_labels(request, {str(publisher)}), vocab_of(request)) if publisher is not None else None
    response = render(request, "review.html", status_code=status_code, review_id=review_id, extraction=extraction,
                      sentences=sentences, counts=review.counts(extraction), results=results, general=general,
                      source_href=_source_href(request, extraction), publisher=shown, **context)
    response.headers.update(_NO_STORE)
    return response


async def _load(path: Path) -> Extraction:
    try:
        return await run_in_threadpool(review.load, path)
    except (OSError, ValueError) as exc:
        raise HttpError(500, f"the review file {path.name} cannot be read: {exc}") from None


# --- the list of reviews and a new article ---------------------------------------------------------


def _reviews(settings: Settings) -> list[tuple[str, str]]:
    folder = settings.review_dir
    files = sorted(folder.glob("*.trig"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.is_dir() else []
    return [(p.stem, datetime.fromtimestamp(p.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
            for p in files if SOURCE_ID.match(p.stem)]


@router.get("/review", summary="The reviews of extracted articles this server keeps, and a form for a new one")
async def reviews_page(request: Request) -> Response:
    settings = _settings(request)
    reviews = _reviews(settings)
    if _wants(request, (HTML, JSON)) == JSON:
        return JSONResponse({"reviews": [{"id": rid, "href": f"{vocab_of(request).mount}/review/{rid}",
                                          "modified": when} for rid, when in reviews]}, headers={"Vary": "Accept"})
    response = render(request, "review_list.html", reviews=reviews)
    response.headers.update({"Vary": "Accept", **_NO_STORE})
    return response


@router.post("/review", summary="Extract candidate facts from an article (text or HTML) for review")
async def new_review(
    request: Request,
    url: str | None = Query(None, description="Where the article was published"),
    title: str | None = Query(None, description="Its title (default: its headline)"),
    published: str | None = Query(None, description="Its publication date, YYYY-MM-DD"),
    publisher: str | None = Query(None, description="Its publisher: an IRI, mcfid:name or name"),
    source_id: str | None = Query(None, alias="id", description="The source's id (default: from its title and date)"),
) -> Response:
    settings = _settings(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if _is_form(request):
        form = await request.form()
        _authorised(request, str(form.get("token") or ""))
        text = str(form.get("article") or "")
        suffix = ".html" if str(form.get("format") or "") == "html" else ".txt"
        fields = {name: str(form.get(name) or "").strip() or None
                  for name in ("url", "title", "published", "publisher", "id")}
    else:
        _authorised(request)
        if media_type not in ARTICLE_TYPES:
            raise HttpError(415, f"an article is sent as text/plain or text/html (or the page's form), not "
                                 f"{media_type or '(no Content-Type)'}")
        text = (await request.body()).decode("utf-8", errors="replace")
        suffix = ARTICLE_TYPES[media_type]
        fields = {"url": url, "title": title, "published": published, "publisher": publisher, "id": source_id}
    if not text.strip():
        raise bad_request("the article is empty: send its text (or a saved page's HTML)")
    fields["id"] = fields["id"] or default_id(fields["title"] or headline(text, suffix == ".html"), fields["published"])
    served = _served(request)
    child_settings = served.configured  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory(prefix="mcfkg-review-article-") as folder:
        article = Path(folder) / f"article{suffix}"
        article.write_text(text, encoding="utf-8")
        out = Path(folder) / "review.trig"
        arguments = ["extract", str(article), "--out", str(out)]
        for name, value in fields.items():
            if value:
                arguments += [f"--{name}", value]
        code, stdout, err = await run_mcfkg(child_settings, arguments)
        if code != 0 or not out.is_file():
            message = err.decode(errors="replace").strip() or stdout.decode(errors="replace").strip()
            raise HttpError(400 if code == 2 else 500, f"the extraction failed: {message[-2000:]}")
        extraction = await _load(out)
        target = settings.review_dir / f"{extraction.source_id}.trig"
        href = f"{vocab_of(request).mount}/review/{extraction.source_id}"
        if target.exists():
            raise HttpError(409, f"a review of {extraction.source_id} exists already: {href}; finish it there "
                                 "(or remove its file from the review folder to start again)",
                            headers={"Location": href})
        target.parent.mkdir(parents=True, exist_ok=True)
        from mcfkg.sources.document import write_atomically

        write_atomically(target, out.read_bytes())
    request.state.outcome = "extracted"
    return RedirectResponse(href, status_code=303)


def headline(text: str, is_html: bool) -> str:
    """The article's headline as the id is made from: its first line of text (an HTML page's title or h1)."""
    if is_html:
        found = re.search(r"<(title|h1)[^>]*>(.*?)</\1>", text, flags=re.IGNORECASE | re.DOTALL)
        return html.unescape(re.sub(r"<[^>]+>", " ", found.group(2))) if found else ""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def default_id(title: str, published: str | None) -> str:
    """A source id from the title (its first words) and the publication date when given:
    ``Special Fund Was Granted`` of 2018-04-28 → ``special-fund-was-granted-2018-04-28``."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    date = (published or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        slug = f"{slug}-{date}" if slug else date
    return slug or "article"


# --- one review -----------------------------------------------------------------------------------


@router.get("/review/{review_id}", summary="The candidates of one review, sentence by sentence")
async def review_page(request: Request, review_id: str) -> Response:
    path = _path(request, review_id)
    wanted = _wants(request, (HTML, JSON, TRIG))
    if wanted == TRIG:
        return Response(path.read_bytes(), media_type=TRIG, headers={"Vary": "Accept", **_NO_STORE})
    extraction = await _load(path)
    if wanted == JSON:
        return JSONResponse(_as_json(extraction), headers={"Vary": "Accept", **_NO_STORE})
    response = await run_in_threadpool(_page, request, review_id, extraction)
    response.headers["Vary"] = "Accept"
    return response


def _as_json(extraction: Extraction) -> dict[str, object]:
    ids = review.candidate_ids(extraction)
    return {"source": extraction.source_id, "title": extraction.article.title, "counts": review.counts(extraction),
            "candidates": [{"id": cid, "status": c.status, "kind": c.kind, "confidence": c.confidence, "rule": c.rule,
                            "paragraph": c.sentence.paragraph, "sentence": c.sentence.number,
                            "text": c.sentence.text, "evidence": [s.text for s in c.evidence], "note": c.note,
                            "triples": [[review.short_name(n) for n in t] for t in c.triples]}
                           for cid, c in zip(ids, extraction.candidates)]}


@router.post("/review/{review_id}/candidates", summary="Accept, reject, reset or edit candidates")
async def change_candidates(request: Request, review_id: str) -> Response:
    form = await request.form() if _is_form(request) else None
    kind, minimum = None, None
    _authorised(request, str(form.get("token") or "") if form is not None else None)
    path = _path(request, review_id)
    if form is not None:
        action, ids, edits = _from_form(form)
    else:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise bad_request("send a form, or JSON: {\"action\": \"accept\", \"ids\": [\"p1/s2/c1\"]}") from None
        if not isinstance(body, dict):
            raise bad_request("the JSON body is one object: {\"action\": ..., \"ids\": [...], \"edits\": {...}}")
        action, ids, edits = str(body.get("action") or ""), [str(i) for i in body.get("ids") or []], \
            {k: str(v) for k, v in (body.get("edits") or {}).items() if v not in (None, "")}
        kind, minimum = body.get("kind"), body.get("min_confidence")
        if minimum is not None and not isinstance(minimum, (int, float)):
            raise bad_request("min_confidence is a number from 0 to 1")

    def apply(extraction: Extraction) -> list[str]:
        if action not in (*ACTIONS, "edit"):
            raise review.ReviewError(f"action {action!r}: use accept, reject, reset or edit")
        if action == "edit":
            if len(ids) != 1:
                raise review.ReviewError("an edit concerns exactly one candidate")
            iri, entity = edits.get("iri"), edits.get("entity")
            if iri and "=" in iri and not entity:  # OLD=NEW names the entity to rename
                entity, iri = (part.strip() for part in iri.split("=", 1))
            review.edit(extraction, ids[0], subject=iri, predicate=edits.get("predicate"),
                        obj=edits.get("value"), type=edits.get("type"), entity=entity)
            return ids
        chosen = ids
        if form is None and (kind or minimum is not None):
            chosen = review.select(extraction, ids, kind, float(minimum) if minimum is not None else None)
        if not chosen:
            raise review.ReviewError("no candidate chosen: tick some, or give their ids")
        return review.set_status(extraction, chosen, ACTIONS[action])

    try:
        changed = await run_in_threadpool(review.change, path, apply)
    except review.ReviewError as exc:
        refusal = f"{exc}. Nothing was changed."
        if form is None:
            raise bad_request(refusal) from None
        extraction = await _load(path)
        return await run_in_threadpool(lambda: _page(request, review_id, extraction, 400, notice=refusal))
    request.state.outcome = f"{action} {len(changed)}"
    if form is None:
        extraction = await _load(path)
        return JSONResponse({"action": action, "changed": changed, "counts": review.counts(extraction)},
                            headers=_NO_STORE)
    anchor = "#c-" + ids[0].replace("/", "-") if len(ids) == 1 else ""
    return RedirectResponse(f"{vocab_of(request).mount}/review/{review_id}{quote(anchor, safe='#-')}", status_code=303)


def _from_form(form: object) -> tuple[str, list[str], dict[str, str]]:
    """The change a page's form asks for: its button ``do`` (``accept p1/s2/c1``, ``accept selected``,
    ``edit p1/s2/c1``) or ``action`` with ticked ``ids``; an edit's fields are ``type:ID``, ``iri:ID``, ``value:ID``."""
    do = str(form.get("do") or "").strip()  # type: ignore[attr-defined]
    action, _, target = do.partition(" ")
    if not do:
        action, target = str(form.get("action") or ""), "selected"  # type: ignore[attr-defined]
    ids = [str(i) for i in form.getlist("ids")] if target == "selected" else [target]  # type: ignore[attr-defined]
    edits = {}
    if action == "edit":
        for name in ("type", "iri", "value", "predicate", "entity"):
            value = str(form.get(f"{name}:{target}") or "").strip()  # type: ignore[attr-defined]
            if value:
                edits[name] = value
    return action, ids, edits


@router.get("/review/{review_id}/check", summary="SHACL on the accepted candidates with the whole graph")
async def check_review(request: Request, review_id: str) -> Response:
    path = _path(request, review_id)
    wanted = _wants(request, (HTML, JSON))
    settings = _served(request).configured  # type: ignore[attr-defined]
    code, out, err = await run_mcfkg(settings, ["review", str(path), "check", "--json"])
    outcome = child_json(settings, out, err)
    if code == 2 or "results" not in outcome:
        raise HttpError(500, f"the check failed: {err.decode(errors='replace')[-2000:]}")
    request.state.outcome = "conforms" if outcome["conforms"] else "violations"
    if wanted == JSON:
        return JSONResponse(outcome, headers={"Vary": "Accept", **_NO_STORE})
    results = [accepted.Violation(r["focus"], r["focus_label"], r["path"], r["value"], r["message"], r["severity"],
                                tuple(r["candidates"])) for r in outcome["results"]]
    extraction = await _load(path)
    return await run_in_threadpool(lambda: _page(request, review_id, extraction, results=results,
                                                 checked=outcome))


@router.post("/review/{review_id}/ingest", summary="Ingest the accepted candidates as one source")
async def ingest_review(request: Request, review_id: str) -> Response:
    same_as: list[str] = request.query_params.getlist("same-as")
    distinct: list[str] = request.query_params.getlist("distinct")
    form = await request.form() if _is_form(request) else None
    _authorised(request, str(form.get("token") or "") if form is not None else None)
    path = _path(request, review_id)
    if form is not None:
        same_as += [str(v) for v in form.getlist("same-as") if str(v).strip()]
        distinct += [str(v) for v in form.getlist("distinct") if str(v).strip()]
        for name, value in form.multi_items():  # the decision form: decide:NEW = same | distinct
            if name.startswith("decide:") and "=" in name[7:]:
                new, existing = name[7:].split("=", 1)
                if value == "same":
                    same_as.append(f"{new}={existing}")
                elif value == "distinct":
                    distinct.append(new)
    wanted = HTML if form is not None else _wants(request, (JSON, HTML))
    arguments = ["review", str(path), "ingest"]
    for value in same_as:
        arguments += ["--same-as", value.strip()]
    for value in distinct:
        arguments += ["--distinct", value.strip()]
    change, status, headers = await run_change(request, arguments)
    if wanted == JSON:
        return JSONResponse(change, status_code=status, headers=headers)
    extraction = await _load(path)
    response = await run_in_threadpool(lambda: _page(request, review_id, extraction, status, ingested=change,
                                                     source_location=headers.get("Location")))
    response.headers.update(headers)
    return response

