"""`python tools/measure_make_run.py`: time `make run` as a new user meets it, on a fresh clone of this checkout.

Clones the committed tree into a temporary folder, runs `make run` until the app says it is ready, stops it, and
runs it again (a restart with nothing new). Prints one JSON line: seconds to "ready", the longest stretch without
output, and how many command-line steps loaded the models. README's start-up figures come from it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _until_ready(clone: Path, env: dict[str, str]) -> dict[str, int]:
    started = last = time.perf_counter()
    server = subprocess.Popen(
        ["make", "run"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    silence, loads = 0.0, 0
    assert server.stdout is not None
    for line in server.stdout:
        now = time.perf_counter()
        silence, last = max(silence, now - last), now
        loads += "Loading the models" in line
        if "is ready at" in line:
            break
    took = time.perf_counter() - started
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=60)
    return {"seconds": round(took), "longest_silence_s": round(silence), "model_loads_before_serving": loads}


def main() -> None:
    env = dict(os.environ, PORT=os.environ.get("PORT", "8655"))
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "assist-console"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        first = _until_ready(clone, env)
        restart = _until_ready(clone, env)
    print(json.dumps({"first_run": first, "restart": restart}), file=sys.stdout)


if __name__ == "__main__":
    main()
