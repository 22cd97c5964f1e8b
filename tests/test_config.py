from __future__ import annotations

from pathlib import Path

import pytest

from assist.config import Settings


def test_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "OPENAI_API_KEY", "CHROMA_HOST"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.openai_api_key is None and settings.chroma_host is None


def test_environment_overrides_and_secrets_stay_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/x")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    monkeypatch.setenv("ESCALATION_PRIORITY", "9")
    settings = Settings()
    assert settings.database_url == "postgresql://db/x"
    assert settings.escalation_priority == 9
    assert "sk-secret" not in repr(settings)


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PAGE_SIZE", raising=False)
    (tmp_path / ".env").write_text("PAGE_SIZE=50\n")
    assert Settings().page_size == 50


def test_out_of_range_threshold_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_MIN_CONFIDENCE", "1.5")
    with pytest.raises(ValueError, match="escalation_min_confidence"):
        Settings()


def test_survey_links_follow_the_port_the_app_runs_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect: survey links used port 8501 when the app ran on another PORT."""
    from assist.csat import survey_url

    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.setenv("PORT", "8600")
    assert survey_url("tok", Settings()) == "http://localhost:8600/survey?t=tok"
    monkeypatch.setenv("PUBLIC_URL", "https://support.example.com/")
    assert survey_url("tok", Settings()) == "https://support.example.com/survey?t=tok"


def test_the_server_config_watches_no_files_and_shows_no_tracebacks() -> None:
    """Defects: an idle server burned ~0.65 core watching .venv and data/; errors showed tracebacks."""
    import tomllib

    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none" and config["server"]["runOnSave"] is False
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["maxUploadSize"] == Settings.model_fields["kb_upload_max_mb"].default


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PUBLIC_URL", "help.lumen.app"),  # no scheme: links would be relative to the app
        ("HELP_CENTER_URL", "javascript:alert(1)"),
        ("WEBHOOK_URL", "ftp://hooks.lumen.app/in"),
        ("OPENAI_BASE_URL", "http://"),
        ("PUBLIC_URL", "https://help lumen.app"),
    ],
)
def test_an_address_setting_that_is_not_a_web_address_stops_every_entry_point(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    from assist.config import get_settings
    from assist.errors import ConfigError

    monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match=name):
        get_settings()


def test_base_addresses_are_kept_without_a_final_slash_and_empty_ones_are_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PUBLIC_URL", " https://support.lumen.app/ ")
    monkeypatch.setenv("HELP_CENTER_URL", "https://help.lumen.app/articles/")
    monkeypatch.setenv("WEBHOOK_URL", "")
    settings = Settings()
    assert settings.public_base_url == "https://support.lumen.app"
    assert settings.help_center_url == "https://help.lumen.app/articles"
    assert settings.webhook_url is None


def test_a_refused_address_is_named_but_never_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    """A webhook's path or a server's user:password may be a secret: the error names the setting only."""
    from assist.config import get_settings
    from assist.errors import ConfigError

    monkeypatch.setenv("WEBHOOK_URL", "htps://hooks.lumen.app/in/s3cr3t-token")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="WEBHOOK_URL") as refused:
        get_settings()
    assert "s3cr3t" not in str(refused.value)
