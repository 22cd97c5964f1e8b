"""The launchers' Streamlit options: a rerun must not pay for a full garbage collection of the models."""

import tomllib
from pathlib import Path

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
