"""``POST /sources`` and ``DELETE /sources/{id}``: ingest and retract over HTTP, for a token holder.

Each runs the very command the CLI runs (``mcfkg ingest|retract --json``) in a child process, so
the validation, reconciliation, atomic write and rebuild are the same code, a rebuild's CPU never
blocks the event loop, and a change past ``source_change_timeout_s`` is killed with nothing
written (the source file is renamed into place only after the whole graph conforms). The answer
comes once the store serves the new build (``ServedBuild.refresh``), so a client reads its write.

Status codes: 201 ingested (``Location``: the source's page), 200 unchanged or retracted, 400
unusable input, 404 no such source, 409 a decision is needed (names or IDs shared with existing
entities: repeat with ``same-as=NEW=EXISTING`` or ``distinct=NEW``) or another version is
ingested, 422 SHACL violations (each with focus node, path and message), 503 too slow.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import tempfile
from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from mcfkg.config import Settings
from mcfkg.sparql.sandbox import die_with_parent
from mcfkg.vocab import CANONICAL_BASE, Vocab
from mcfkg.web.auth import require_write_access
from mcfkg.web.errors import HttpError, bad_request, unsupported_media_type

router = APIRouter()

# The RDF a source may arrive in, by media type, and the file extension the ingest reads it by.
SOURCE_MEDIA_TYPES = {
    "application/trig": ".trig",
    "application/n-quads": ".nq",
    "text/turtle": ".ttl",
    "application/ld+json": ".jsonld",
}
_STATUS = {"ingested": 201, "unchanged": 200, "retracted": 200, "missing": 404, "unusable": 400}


def _served(request: Request) -> object:
    served = request.app.state.build
    if served is None:
        raise HttpError(409, "this server serves RDF files given with --data, not the graph built from data/; "
                             "sources can be ingested and retracted only where it serves the build")
    return served


def _confine(memory_mb: int) -> None:
    """In the child, before it runs: die with the server, and allocate at most ``memory_mb``."""
    die_with_parent()
    resource.setrlimit(resource.RLIMIT_DATA, (memory_mb << 20, memory_mb << 20))


def _child_env(settings: Settings) -> dict[str, str]:
    """The settings a child ``mcfkg`` needs to change the same data/ and dist/ as this server."""
    return {**os.environ, "MCFKG_DATA_DIR": str(settings.data_dir), "MCFKG_DIST_DIR": str(settings.dist_dir),
            "MCFKG_ONTOLOGY_DIR": str(settings.ontology_dir), "MCFKG_BASE_IRI": settings.base_iri}


async def run_mcfkg(settings: Settings, arguments: list[str]) -> tuple[int, bytes, bytes]:
    """Run ``mcfkg ARGUMENTS`` in a confined child process for ``settings``' data/ and dist/: its exit
    code, stdout and stderr. Past ``source_change_timeout_s`` it is killed (503); so is it when the
    request is abandoned. Shared by the source changes and the review pages (:mod:`.review_page`)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "mcfkg", *arguments, env=_child_env(settings),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        preexec_fn=lambda: _confine(settings.source_change_memory_mb))
    try:
        async with asyncio.timeout(settings.source_change_timeout_s):
            out, err = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise HttpError(503, f"the change took longer than {settings.source_change_timeout_s:g} s "
                             "(source_change_timeout_s) and was stopped; nothing was changed") from None
    except BaseException:  # the client left or the server stops: the change stops with it, nothing written
        process.kill()
        await process.wait()
        raise
    return process.returncode or 0, out, err


def child_json(settings: Settings, out: bytes, err: bytes) -> dict:
    """The one JSON object a child ``mcfkg ... --json`` printed; a 503 (memory) or 500 when there is none."""
    try:
        return json.loads(out)
    except ValueError:
        if b"MemoryError" in err:
            raise HttpError(503, f"the change needed more than {settings.source_change_memory_mb} MB "
                                 "(source_change_memory_mb) and was stopped; nothing was changed") from None
        raise HttpError(500, f"the change failed: {err.decode(errors='replace')[-2000:]}") from None


async def run_change(request: Request, arguments: list[str]) -> tuple[dict, int, dict[str, str]]:
    """Run ``mcfkg ARGUMENTS --json`` (an ingest or retract) for the served build and take the new build:
    the change (``Change.as_dict``, plus ``store`` once served), its HTTP status and headers."""
    served = _served(request)
    refusal = request.app.state.store.read_only  # a store taking no updates could never take the new build
    if refusal:
        raise HttpError(403, refusal)
    settings = served.configured  # type: ignore[attr-defined]
    _, out, err = await run_mcfkg(settings, [*arguments, "--json"])
    change = child_json(settings, out, err)
    status = _STATUS.get(change["status"], 409)
    if change["status"] == "refused" and change["violations"]:
        status = 422
    headers = {}
    if change["status"] in ("ingested", "unchanged", "retracted"):
        change["store"] = await served.refresh()  # type: ignore[attr-defined]
    if change["status"] == "ingested":  # the CLI names the source under the canonical base; we serve ours
        iri = settings.base_iri + change["source"].removeprefix(CANONICAL_BASE)
        headers["Location"] = Vocab(settings.base_iri).local_path(iri) or iri
    request.state.outcome = change["status"]
    return change, status, headers


async def _run(request: Request, arguments: list[str]) -> Response:
    """Run ``mcfkg ARGUMENTS --json`` for the served build, take the new build, answer from the outcome."""
    change, status, headers = await run_change(request, arguments)
    return JSONResponse(change, status_code=status, headers=headers)


@router.post("/sources", summary="Ingest one source (RDF in the project's conventions)")
async def ingest_source(
    request: Request,
    same_as: list[str] = Query([], alias="same-as", description="NEW=EXISTING: a new entity is this existing one"),
    distinct: list[str] = Query([], description="NEW: a new entity whose name matches an existing one is not it"),
) -> Response:
    require_write_access(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    suffix = SOURCE_MEDIA_TYPES.get(media_type)
    if suffix is None:
        raise unsupported_media_type(f"a source is sent as one of {', '.join(SOURCE_MEDIA_TYPES)}, not "
                                     f"{media_type or '(no Content-Type)'}")
    body = await request.body()  # cut at max_upload_bytes by the BodyLimit middleware
    if not body.strip():
        raise bad_request("the body is empty: send the source's RDF")
    with tempfile.TemporaryDirectory(prefix="mcfkg-posted-source-") as folder:
        path = Path(folder) / f"posted{suffix}"
        path.write_bytes(body)
        arguments = ["ingest", str(path)]
        for value in same_as:
            arguments += ["--same-as", value]
        for value in distinct:
            arguments += ["--distinct", value]
        return await _run(request, arguments)


@router.delete("/sources/{source_id}", summary="Retract one source and everything that rested only on it")
async def retract_source(request: Request, source_id: str,
                         force: bool = Query(False, description="also retract a shipped source")) -> Response:
    require_write_access(request)
    return await _run(request, ["retract", source_id, *(["--force"] if force else [])])
