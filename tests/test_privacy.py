"""Nothing phones home: telemetry is off and indexing + search open no outside connection."""

from __future__ import annotations

import os

import pytest

from assistant.chroma_client import open_client
from assistant.privacy import OFFLINE_ENV, disable_telemetry


def test_offline_switches_are_set_by_entry_points(monkeypatch):
    for key in OFFLINE_ENV:
        monkeypatch.delenv(key, raising=False)
    disable_telemetry()
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert os.environ["ANONYMIZED_TELEMETRY"] == "False"
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_chroma_client_has_telemetry_off(settings):
    client = open_client(settings.index)
    assert client.get_settings().anonymized_telemetry is False


def test_gradio_analytics_off_after_entry_point(monkeypatch):
    monkeypatch.delenv("GRADIO_ANALYTICS_ENABLED", raising=False)
    disable_telemetry()
    from gradio import analytics

    assert analytics.analytics_enabled() is False


@pytest.mark.slow
def test_index_and_search_make_no_outside_connection(settings, sample_corpus, make_index, network_guard):
    from assistant.retrieval import search
    from assistant.sync import sync_corpus

    index = make_index(settings)
    sync_corpus(index, settings)
    search(index, "Ai chủ trì hội nghị?", k=3)
    assert network_guard.attempts == []
