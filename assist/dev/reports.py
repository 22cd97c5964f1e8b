"""Write benchmark and evaluation results to reports/ (JSON for machines, markdown for people)."""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPORTS = Path("reports")


def _header(title: str) -> list[str]:
    return [
        f"# {title}",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'} "
        f"({platform.machine()}, Python {platform.python_version()}).",
        "",
    ]


def write(name: str, title: str, rows: list[dict[str, Any]], *, folder: Path = REPORTS) -> tuple[Path, Path]:
    """reports/<name>.json (one object per result) and reports/<name>.md (a table per result)."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path, md_path = folder / f"{name}.json", folder / f"{name}.md"
    json_path.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    lines = _header(title)
    for row in rows:
        label = row.get("bench") or row.get("eval") or "result"
        extra = f" ({row['data']})" if "data" in row else f" ({row['mode']})" if "mode" in row else ""
        lines += [f"## {label}{extra}", "", "| figure | value |", "|---|---|"]
        lines += [
            f"| {key} | {json.dumps(value) if isinstance(value, dict | list) else value} |"
            for key, value in row.items()
            if key not in ("bench", "eval")
        ]
        lines.append("")
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return json_path, md_path
