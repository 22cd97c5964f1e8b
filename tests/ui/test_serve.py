"""The launchers' Streamlit options: a rerun must not pay for a full garbage collection of the models."""

import tomllib
from pathlib import Path

import pytest
from streamlit import config

from assist.config import Settings
from ui.serve import server_options

ROOT = Path(__file__).parents[2]


def test_neither_launcher_collects_every_generation_after_each_rerun() -> None:
    # With the models loaded a full collection took 300 ms, paid by every click (py-spy under `bench browser`).
    flags = server_options(Settings(), port=8600, address="127.0.0.1")
    options = {name.replace("_", ".", 1): value for name, value in flags.items()}
    assert set(options) <= set(config.get_config_options()), "an option Streamlit does not know is ignored"
    assert options["runner.postScriptGC"] is False
    file = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert file["runner"]["postScriptGC"] is False


def test_the_upload_limit_the_widgets_state_is_the_one_the_server_enforces() -> None:
    flags = server_options(Settings(KB_UPLOAD_MAX_MB=3), port=8600, address=None)
    assert flags["server_maxUploadSize"] == 3


def test_starting_asks_the_internet_nothing_and_prints_no_debugging_hints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect (issue 34): `make run` printed "Did not auto detect external IP… debugging hints" (Streamlit
    looked up the machine's address on the internet to show an "External URL")."""
    from streamlit.web import bootstrap

    asked: list[str] = []
    monkeypatch.setattr(bootstrap.net_util, "get_external_ip", lambda: asked.append("external ip"))
    try:
        for name, value in server_options(Settings(), port=8600, address=None).items():
            if value is not None:  # as Streamlit's launcher reads its flags: None means "not given"
                config.set_option(name.replace("_", ".", 1), value, where_defined="test")
        bootstrap._print_url(False)
    finally:
        config._config_options = None  # the next reader parses the defaults and config.toml again
    assert asked == [] and "debugging hints" not in capsys.readouterr().out
