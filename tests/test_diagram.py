"""scripts/diagram.py: the model diagram is generated from the ontology and docs/model.md is up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from mcfkg.config import PROJECT_ROOT, Settings
from mcfkg.graph import load_graph
from mcfkg.vocab import Vocab

spec = importlib.util.spec_from_file_location("diagram", PROJECT_ROOT / "scripts" / "diagram.py")
diagram = importlib.util.module_from_spec(spec)
spec.loader.exec_module(diagram)


def test_diagram_shows_labels_subclasses_reused_classes_and_properties(pipeline_settings: Settings) -> None:
    page = diagram.render(load_graph(pipeline_settings.ontology_dir / "mcf.ttl"), Vocab())
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
    args = ["--ontology", str(pipeline_settings.ontology_dir / "mcf.ttl"), "--out", str(out), "--readme", str(readme)]
    assert diagram.main([*args, "--check"]) == 1
    assert diagram.main(args) == 0
    assert diagram.main([*args, "--check"]) == 0
    assert "Enterprise --> Product : tier-1 supplier for" in readme.read_text(encoding="utf-8")


def test_docs_model_md_and_the_readme_diagram_are_up_to_date_with_the_ontology() -> None:
    assert diagram.main(["--check"]) == 0, "run: python scripts/diagram.py"


def test_readme_core_diagram_replaces_only_the_marked_block() -> None:
    readme = f"intro\n{diagram.README_BEGIN}\nold\n{diagram.README_END}\noutro\n"
    assert diagram.with_core_diagram(readme, "new") == f"intro\n{diagram.README_BEGIN}\nnew\n{diagram.README_END}\noutro\n"
