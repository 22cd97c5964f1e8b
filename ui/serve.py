"""`python -m ui.serve [--port N]`: start Assist Console with the models loading at once.

Prints "Assist Console is ready at …" only after the models are loaded, so the first ticket an agent
opens is as fast as the next. The upload limit and port come from Settings (KB_UPLOAD_MAX_MB, PORT),
so what the upload widgets say is what the server enforces.
"""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

from streamlit.web import bootstrap

from assist import AssistError, Settings, catch_up_similar, get_settings
from ui import warmup

APP = Path(__file__).parents[1] / "app.py"


def server_options(settings: Settings, *, port: int, address: str | None) -> dict[str, object]:
    """Streamlit's options for this server (the same as .streamlit/config.toml, for `streamlit run app.py`)."""
    return {
        "server_port": port,
        "server_address": address,
        "server_headless": True,
        "server_maxUploadSize": settings.kb_upload_max_mb,
        "server_fileWatcherType": "none",
        "server_runOnSave": False,
        "runner_postScriptGC": False,  # a full collection after every rerun cost each click 300 ms
        "browser_gatherUsageStats": False,
        # We print our own "ready at" line once the models are loaded. Streamlit's welcome would look up the
        # machine's external address on the internet, and offline print "Did not auto detect external IP".
        "logger_hideWelcomeMessage": True,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, help="Default: PORT from the environment (8501).")
    parser.add_argument("--address", default=None, help="Listen address (default: all interfaces).")
    options = parser.parse_args()
    try:  # refuse to start on invalid settings or an unusable database, as the command line does
        settings = get_settings()
        warmup.engine(settings)
    except AssistError as e:
        raise SystemExit(f"Error: {e}") from e
    port = options.port or settings.port
    print(f"Starting Assist Console on port {port}; loading the models…", flush=True)

    def ready(seconds: float) -> None:
        # The models live as long as the process: leave their ~570k objects out of every later garbage
        # collection (a full one walking them took 300 ms; see server_options).
        assistant = warmup.assistant(settings)
        if assistant.similar is not None:  # replies sent while the server was down (or seeded), before "ready"
            catch_up_similar(assistant.engine, assistant.similar)
        gc.collect()
        gc.freeze()
        status = assistant.knowledge_base.index_status()
        if status.problem:
            print(f"WARNING: {status.problem}", flush=True)
        print(f"Assist Console is ready at http://localhost:{port} (models loaded in {seconds:.0f} s)", flush=True)

    warmup.start(settings, on_ready=ready)
    flags = server_options(settings, port=port, address=options.address)
    bootstrap.load_config_options(flag_options=flags)
    bootstrap.run(str(APP), False, [], flags)


if __name__ == "__main__":
    main()
