"""GeoNames features for our places, from the GeoNames search web service.

GeoNames publishes no SPARQL endpoint, so places are looked up with its full-text search,
``GET {service}/searchJSON?q=NAME&maxRows=N&username=USER``, which answers
``{"totalResultsCount": n, "geonames": [{"geonameId", "name", "toponymName", "countryName",
"adminName1", "fcl", "fcode", ...}]}``. A refusal (unknown user, credits used up, bad
parameter) comes back with HTTP 200 as ``{"status": {"message", "value"}}``, so the body is
checked, not just the status line. Every request is bounded in time and size; every failure is
an :class:`~mcfkg.link.endpoint.EndpointError` that says what to do next.

The service asks each caller to register a username; the shared ``demo`` user runs out of
credits within minutes, so GeoNames is asked only when ``MCFKG_GEONAMES_USERNAME`` is set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from rdflib import Literal

from mcfkg.link.endpoint import USER_AGENT, EndpointError, read_bounded, url_problem

GN = "https://sws.geonames.org/"
GEONAMES_SERVICE = "https://secure.geonames.org"
REGISTER = ("register a free account at https://www.geonames.org/login, enable its free web services, "
            "and set MCFKG_GEONAMES_USERNAME to it")
# The service's error codes (its "webservice exception" page): 10 the user is unknown or not enabled,
# 18/19/20 its daily, hourly or weekly credits are used up.
AUTHORIZATION, CREDITS = {10}, {18, 19, 20}

# Our class (local name in mcf:) -> the GeoNames feature kinds ("class.code" prefixes) it may be.
# A prefecture-level city of China is both a populated place (P.PPLA2) and a second-level division
# (A.ADM2). Places of ours with no rule here (Region, ScienceCity ...) are searched without one.
FEATURE_RULES: dict[str, tuple[str, ...]] = {
    "City": ("P.PPL", "A.ADM2", "A.ADM3"),
    "Province": ("A.ADM1",),
    "Country": ("A.PCL",),
}
# Of the places we know an entity is in, GeoNames names these for every feature: the first-level
# division (adminName1) and the country. The others (a city a district is in) cannot be compared.
COMPARABLE_PLACES = {"Province": "admin_name1", "Country": "country_name"}


def search_url(service: str) -> str:
    """The ``searchJSON`` operation of the service at ``service`` (its base URL)."""
    return service.rstrip("/") + "/searchJSON"


def geoname_iri(geoname_id: int) -> str:
    """The GeoNames IRI of a feature, as the project writes it: ``https://sws.geonames.org/<id>/``."""
    return f"{GN}{geoname_id}/"


@dataclass(frozen=True)
class Feature:
    """One feature of a GeoNames search answer: its names, where it lies, and what kind of place it is."""

    geoname_id: int
    name: str
    toponym_name: str
    country_name: str
    admin_name1: str
    feature: str  # "class.code", e.g. "P.PPLA2"

    @property
    def iri(self) -> str:
        return geoname_iri(self.geoname_id)

    @property
    def labels(self) -> list[Literal]:
        """Its English name and its name in the local language's Latin transcription, as English labels."""
        return [Literal(text, lang="en") for text in dict.fromkeys((self.name, self.toponym_name)) if text]

    def fits(self, classes: list[str]) -> bool | None:
        """Whether its kind fits one of our classes; None when none of them has a rule."""
        kinds = [kind for name in classes for kind in FEATURE_RULES.get(name, ())]
        return any(self.feature.startswith(kind) for kind in kinds) if kinds else None


@dataclass(frozen=True)
class GeoNamesClient:
    """The ``searchJSON`` operation of a GeoNames web service (GeoNames' own, or a stand-in of it)."""

    url: str
    username: str
    timeout_s: float = 20.0
    max_response_bytes: int = 5_000_000

    def search(self, name: str, max_rows: int = 10) -> list[Feature]:
        """The features whose names match ``name``, in the service's order of relevance."""
        params = {"q": name, "maxRows": str(max_rows), "username": self.username}
        endpoint = search_url(self.url)
        try:
            with (
                httpx.Client(timeout=self.timeout_s, follow_redirects=False) as client,
                client.stream("GET", endpoint, params=params, headers={"User-Agent": USER_AGENT}) as response,
            ):
                body = read_bounded(response, self.max_response_bytes, self.url)
        except httpx.TimeoutException as exc:
            raise EndpointError(f"GeoNames service {self.url} did not answer within {self.timeout_s:g} s "
                                f"({type(exc).__name__}). Try again later, or unset MCFKG_GEONAMES_USERNAME "
                                "to propose Wikidata candidates only.") from exc
        except httpx.HTTPError as exc:
            raise EndpointError(f"Cannot reach GeoNames service {self.url}: "
                                f"{str(exc).rstrip('.') or type(exc).__name__}. Are you offline? Pass "
                                "--geonames-service URL, or unset MCFKG_GEONAMES_USERNAME to skip GeoNames.") from exc
        if response.status_code != 200:
            snippet = body[:300].decode("utf-8", "replace").strip()
            raise EndpointError(f"GeoNames service {self.url} answered HTTP {response.status_code}: {snippet}")
        return self._features(body)

    def _features(self, body: bytes) -> list[Feature]:
        try:
            doc = json.loads(body)
        except ValueError:
            doc = None
        if isinstance(doc, dict) and isinstance(doc.get("status"), dict):
            raise self._refusal(doc["status"])
        rows = doc.get("geonames") if isinstance(doc, dict) else None
        if not isinstance(rows, list):
            raise EndpointError(f"GeoNames service {self.url} did not answer a searchJSON result "
                                "(no \"geonames\" list); is it a GeoNames web service?")
        return [feature for row in rows if isinstance(row, dict) and (feature := _feature(row)) is not None]

    def _refusal(self, status: dict) -> EndpointError:
        message, code = str(status.get("message", "")).strip(), status.get("value")
        said = f"GeoNames service {self.url} refused the search as user {self.username!r}: {message} (code {code})"
        if code in AUTHORIZATION or (code in CREDITS and self.username == "demo"):
            return EndpointError(f"{said}. The shared 'demo' user is rate-limited: {REGISTER}.")
        if code in CREDITS:
            return EndpointError(f"{said}. Try again when the credits renew, or use another username.")
        return EndpointError(f"{said}.")


def _feature(row: dict) -> Feature | None:
    """A feature from one row of the answer; None for a row without a usable geonameId."""
    try:
        geoname_id = int(row.get("geonameId"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if geoname_id <= 0:
        return None
    text = {key: str(row.get(key) or "") for key in ("name", "toponymName", "countryName", "adminName1",
                                                     "fcl", "fcode")}
    return Feature(geoname_id, text["name"], text["toponymName"], text["countryName"], text["adminName1"],
                   f"{text['fcl']}.{text['fcode']}")


def service_problem(url: str) -> str | None:
    """Why ``url`` cannot be a GeoNames service base URL (it must be http(s) with no query), or None."""
    problem = url_problem(url)
    if problem is None and (urlsplit(url).query or urlsplit(url).path.rstrip("/").endswith("searchJSON")):
        return (f"must be the service's base URL (such as {GEONAMES_SERVICE}), without searchJSON or a query, "
                f"got {url!r}")
    return problem
