"""scripts/derive_glossary_terms.py turns the OntoCraft registry's terms into glossary groups."""

import importlib.util
import json
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("derive", ROOT / "scripts" / "derive_glossary_terms.py")
derive_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(derive_module)

REGISTRY = "ontocraft_check/data/registry/"


def _wheel(path: Path, domains: dict[str, list[dict]], licence: str = "CC BY 4.0") -> Path:
    manifest = {
        "registry": "OntoCraft 한국 산업 용어 등록부",
        "registry_en": "OntoCraft Korean Industry Term Registry",
        "publisher": "OntoCraft",
        "license": licence,
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": "출처: OntoCraft 한국 산업 용어 등록부(OntoCraft), CC BY 4.0.",
        "uri_template": "https://w3id.org/ontocraft/terms/{id}",
        "snapshot": "2026-10-10",
        "domains": [{"id": name, "file": f"{name}.json"} for name in domains],
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(REGISTRY + "manifest.json", json.dumps(manifest))
        for name, terms in domains.items():
            domain = {"license": licence, "domain": {"id": name}, "terms": terms}
            archive.writestr(REGISTRY + f"{name}.json", json.dumps(domain))
    return path


def test_terms_become_groups_without_short_or_ambiguous_spellings(tmp_path):
    wheel = _wheel(
        tmp_path / "ontocraft_check-0.8.0-py3-none-any.whl",
        {
            "maritime": [
                {"id": "ship", "ko": "선박", "en": "ship", "alt": ["배", "선박류"]},
                {"id": "survey", "ko": "선박검사", "en": "ship survey", "alt": ["검사"]},
                {"id": "quay-wall", "ko": "안벽", "en": "quay wall", "alt": ["케이", "부두 벽"]},
                {"id": "demurrage", "ko": "체선료", "en": "demurrage (vessel)", "alt": ["CT", "임플란트"]},
            ],
            "maint": [{"id": "inspection", "ko": "점검", "en": "inspection", "alt": ["검사"]}],
            "onto": [{"id": "ontology", "ko": "온톨로지", "en": "Ontology", "alt": []}],
        },
    )
    derived = derive_module.derive(wheel, hand_written=[["임플란트", "implant"]])
    groups = {group["id"]: (group["heads"], group["alternatives"]) for group in derived["groups"]}
    assert groups == {
        # 배: one syllable; 케이: an alternative of two; 검사: given to two terms; CT: two letters;
        # 임플란트: the hand-written glossary's (a dental implant there); onto: not an industry.
        "maritime/ship": (["선박", "ship"], ["선박류"]),
        "maritime/survey": (["선박검사", "ship survey"], []),
        "maritime/quay-wall": (["안벽", "quay wall"], ["부두 벽"]),
        "maritime/demurrage": (["체선료", "demurrage"], []),
        "maint/inspection": (["점검", "inspection"], []),
    }
    assert derived["licence"] == "CC BY 4.0" and derived["attribution"].startswith("출처: OntoCraft")
    assert derived["source"]["as_bundled_in"].startswith("PyPI package ontocraft_check-0.8.0")


def test_a_registry_file_under_another_licence_is_refused(tmp_path):
    wheel = _wheel(tmp_path / "x.whl", {"port": []}, licence="CC BY-NC 4.0")
    with pytest.raises(SystemExit, match="CC BY-NC 4.0"):
        derive_module.derive(wheel, hand_written=[])
