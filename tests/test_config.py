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
