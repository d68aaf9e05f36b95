"""scripts/diagram.py: the model diagram is generated from the ontology and docs/model.md is up to date,
with the datatype properties (their values' shape from the SHACL shapes) and the query patterns."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path


from mcfkg.config import PROJECT_ROOT, Settings
from mcfkg.graph import load_graph
from mcfkg.vocab import Vocab
from mcfkg.web.model_docs import PATTERNS, pattern_examples
from mcfkg.web.query_ui import Example

spec = importlib.util.spec_from_file_location("diagram", PROJECT_ROOT / "scripts" / "diagram.py")
diagram = importlib.util.module_from_spec(spec)
spec.loader.exec_module(diagram)


def render(settings: Settings, patterns: Sequence[Example] = ()) -> str:
    """docs/model.md as the script writes it for ``settings``' ontology and shapes."""
    ontology, shapes = (load_graph(settings.ontology_dir / name) for name in ("mcf.ttl", "shapes.ttl"))
    return diagram.render(ontology, Vocab(), shapes, patterns)


def test_diagram_shows_labels_subclasses_reused_classes_and_properties(pipeline_settings: Settings) -> None:
    page = render(pipeline_settings)
    mermaid = page.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert 'class Enterprise["enterprise"]' in mermaid
    assert "Organization <|-- Enterprise" in mermaid
    assert "org_Organization <|-- Organization" in mermaid and 'class org_Organization["org:Organization"]' in mermaid
    assert "Enterprise --> Product : tier-1 supplier for" in mermaid
    assert "Fund : +amount decimal" in mermaid
    assert "| `mcf:tierOneSupplierFor` | tier-1 supplier for | `mcf:Enterprise` | `mcf:Product` | `mcf:hasTierOneSupplier` |" in page


def test_check_flags_a_stale_page(pipeline_settings: Settings, tmp_path: Path) -> None:
    out, readme = tmp_path / "model.md", tmp_path / "README.md"
    readme.write_text(f"{diagram.README_BEGIN}\n{diagram.README_END}\n", encoding="utf-8")
    args = ["--ontology", str(pipeline_settings.ontology_dir / "mcf.ttl"), "--shapes", str(pipeline_settings.ontology_dir / "shapes.ttl"),
            "--out", str(out), "--readme", str(readme)]
    assert diagram.main([*args, "--check"]) == 1
    assert diagram.main(args) == 0
    assert diagram.main([*args, "--check"]) == 0
    assert "Enterprise --> Product : tier-1 supplier for" in readme.read_text(encoding="utf-8")


def test_docs_model_md_and_the_readme_diagram_are_up_to_date_with_the_ontology() -> None:
    assert diagram.main(["--check"]) == 0, "run: python scripts/diagram.py"


def test_readme_core_diagram_replaces_only_the_marked_block() -> None:
    readme = f"intro\n{diagram.README_BEGIN}\nold\n{diagram.README_END}\noutro\n"
    assert diagram.with_core_diagram(readme, "new") == f"intro\n{diagram.README_BEGIN}\nnew\n{diagram.README_END}\noutro\n"


def test_datatype_properties_are_documented_with_the_shape_of_their_values() -> None:
    """Reused number properties are documented beside ours, each value's shape read from the SHACL shapes."""
    page = render(Settings())
    section = page.split("## Datatype properties", 1)[1].split("## Query patterns", 1)[0]
    min_value = section.split("### `schema:minValue`", 1)[1].split("###", 1)[0]
    assert "- values on `schema:MonetaryAmount`: `xsd:decimal`, ≥ 0, at most one" in min_value
    assert "- values on `schema:QuantitativeValue`: at most one" in min_value
    assert "In mcfkg: The lower bound" in min_value and "- example: 'more than 20 sectors'" in min_value
    bound = section.split("### `mcf:bound`", 1)[1].split("###", 1)[0]
    assert '- values on subjects of `schema:minValue`: one of "exclusive", "inclusive", exactly one' in bound
    for term in ("schema:value", "schema:currency", "schema:unitText", "mcf:statedCount", "mcf:prizeCount", "mcf:qualifier",
                 "schema:maxValue", "mcf:maxBound", "mcf:approximateValue", "schema:unitCode"):
        assert f"### `{term}`" in section, term


def test_every_query_pattern_has_one_example_on_the_page() -> None:
    """The page teaches each pattern with a query of queries/ (which test_competency runs with its answer)."""
    settings = Settings()
    patterns = pattern_examples(settings.queries_dir)
    assert [e.pattern for e in patterns] == list(PATTERNS)
    page = render(settings, patterns)
    for example in patterns:
        assert f"(`queries/{example.name}.rq`)" in page and example.title in page
        assert "```sparql\nPREFIX" in page.split(example.title, 1)[1]
