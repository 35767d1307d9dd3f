"""Shared helpers for the benchmarks: paths, machine description, output files."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))
OUT = ROOT / "benchmarks" / "out"
EVAL_PY = os.environ.get("NEWSWEAVE_EVAL_PYTHON", str(ROOT.parent / ".venv-eval" / "bin" / "python"))
PY = sys.executable


def machine() -> str:
    """One line: CPU model, cores, memory, OS, Python."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def write_result(name: str, data: dict, markdown: str) -> None:
    """benchmarks/out/NAME.json and NAME.md (run_all.py merges the .md files)."""
    OUT.mkdir(parents=True, exist_ok=True)
    data = {"date": stamp(), "machine": machine(), **data}
    (OUT / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    head = f"_Measured {data['date']} on {data['machine']}._\n\n"
    (OUT / f"{name}.md").write_text(head + markdown.strip() + "\n", encoding="utf-8")


def newsweave_cmd() -> str:
    """The installed CLI next to this Python."""
    exe = Path(PY).with_name("newsweave")
    return str(exe) if exe.exists() else f"{PY} -m newsweave.cli"


def run_eval(script: str, args: list[str], timeout: int = 7200) -> dict:
    """Run one of ../shared/eval/*.py and return its JSON (all but the last line)."""
    cmd = [EVAL_PY, str(SHARED / "eval" / script), *args]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if res.returncode != 0:
        raise SystemExit(f"{script} failed ({res.returncode}):\n{res.stderr[-3000:]}")
    lines = res.stdout.strip().splitlines()
    try:
        return json.loads("\n".join(lines[:-1]))
    except json.JSONDecodeError:
        return json.loads(res.stdout)
