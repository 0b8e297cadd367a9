"""SDG goals and targets, GCM objectives and states carry their labels in the six UN languages, from the
reference data and never translated here."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from gfmd_graph.namespaces import GFMD

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
UN_LANGUAGES = {"ar", "en", "es", "fr", "ru", "zh"}


def _titles(folder: str) -> dict[str, str]:
    titles = {}
    for part in ("goals", "targets"):
        data = yaml.safe_load((REFERENCE / "sdg" / "open-sdg-translations" / folder / f"global_{part}.yml")
                              .read_text("utf-8"))
        titles.update({k: " ".join(str(v).split()) for k, v in data.items() if v})
    return titles


@pytest.fixture(scope="module")
def data(project):
    return project.merged(kinds=("data",))


def _labels(graph, iri, prop=SKOS.prefLabel) -> dict[str, str]:
    return {label.language: str(label) for label in graph.objects(iri, prop)}


@pytest.mark.parametrize("code", ["10", "10.7", "10.c", "8.8", "17.18"])
def test_sdg_labels_in_six_languages_as_the_reference_writes_them(data, code):
    iri = URIRef(f"http://metadata.un.org/sdg/{code}")
    labels = _labels(data, iri)
    assert set(labels) == UN_LANGUAGES
    key = code.replace(".", "-") + "-title"
    for lang, folder in {"fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh": "zh-Hans"}.items():
        assert labels[lang] == _titles(folder)[key]


def test_sdg_goal_short_names_are_alternative_labels(data):
    alt = {(l.language, str(l)) for l in data.objects(URIRef("http://metadata.un.org/sdg/10"), SKOS.altLabel)}
    assert ("fr", _titles("fr")["10-short"]) in alt and ("zh", _titles("zh-Hans")["10-short"]) in alt


def test_every_sdg_goal_and_target_has_six_languages(data):
    for cls in (GFMD.SDGGoal, GFMD.SDGTarget):
        for iri in data.subjects(None, cls):
            assert set(_labels(data, iri)) == UN_LANGUAGES, iri


def test_gcm_objective_labels_follow_the_official_translations(data):
    rows = {int(r["objective"]): r for r in csv.DictReader(open(REFERENCE / "gcm" / "gcm-objectives.csv",
                                                                    encoding="utf-8"))}
    for n, row in rows.items():
        labels = _labels(data, URIRef(f"https://w3id.org/gfmd/id/gcm-objective/{n}"))
        assert "en" in labels
        for lang in ("fr", "es"):
            assert labels.get(lang) == (row[f"title_{lang}"] or None), (n, lang)


def test_states_are_named_in_six_languages(data):
    labels = _labels(data, URIRef("https://w3id.org/gfmd/id/state/PHL"), RDFS.label)
    assert set(labels) == UN_LANGUAGES
    assert labels["fr"] == "Philippines (les)" and labels["es"] == "Filipinas"
