"""What a one-server ``mcp-trust scan --tools-file`` costs as a whole process, against a bare
interpreter measured in the same run.

Run: ``python3 .ci/dev.py perf startup`` (plain script, not collected by pytest).

Each command runs ``--runs`` times in a fresh process; the figure is the CPU time (user +
system) of that child, median and best, read with ``getrusage(RUSAGE_CHILDREN)`` (CPU time
rather than wall time: the machine is shared). Commands:

- baseline: ``python -c "import json"`` (interpreter start and the stdlib JSON module);
- ours: ``mcp-trust scan --quiet --tools-file ONE_TOOL.json`` (argument parsing, reading the
  file, hashing, loading and checking the rules and the pinned model, detection, the table).

It also checks, in a fresh interpreter, that the tools-file path imports nothing of the MCP
SDK, anyio or httpx (they cost ~1.5 CPU-s and a saved list contacts no server).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_CPU_S = 0.3
HEAVY = ("mcp", "mcp_types", "anyio", "httpx")
ONE_TOOL = {
    "tools": [
        {
            "name": "get_forecast",
            "description": "Get the weather forecast for a city.",
            "inputSchema": {"type": "object", "properties": {"city": {"type": "string", "description": "City"}}},
        }
    ]
}


def child_cpu(argv: list[str], env: dict[str, str]) -> float:
    """CPU seconds (user + system) of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, check=True, capture_output=True, cwd=ROOT, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(argv: list[str], runs: int, env: dict[str, str]) -> dict[str, float]:
    child_cpu(argv, env)  # warm-up: writes the bytecode cache when one is allowed
    times = [child_cpu(argv, env) for _ in range(runs)]
    return {"median_cpu_s": statistics.median(times), "best_cpu_s": min(times)}


def environments(cache: Path) -> dict[str, dict[str, str]]:
    """As installed (bytecode cached, as pip does; the cache kept outside the checkout) and
    with no bytecode at all (PYTHONDONTWRITEBYTECODE: every module compiled on every run)."""
    base = {k: v for k, v in os.environ.items() if k not in {"PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX"}}
    return {
        "bytecode cached": {**base, "PYTHONPYCACHEPREFIX": str(cache)},
        "no bytecode": {**base, "PYTHONDONTWRITEBYTECODE": "1"},
    }


def heavy_imports(tools_file: Path) -> list[str]:
    """Modules of the MCP SDK, anyio or httpx that the tools-file scan imports."""
    probe = (
        "import sys\n"
        "from registry.cli import main\n"
        f"main(['scan', '--quiet', '--format', 'json', '--tools-file', {str(tools_file)!r}])\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return list(json.loads(done.stderr.strip().splitlines()[-1].replace("'", '"')))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("mcp-trust"))
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tools_file = Path(tmp) / "one-tool.json"
        tools_file.write_text(json.dumps(ONE_TOOL))
        heavy = heavy_imports(tools_file)
        print(f"MCP SDK, anyio or httpx modules imported by the tools-file path: {heavy or 'none'}")
        for name, env in environments(Path(tmp) / "pycache").items():
            baseline = measure([sys.executable, "-c", "import json"], args.runs, env)
            ours = measure([exe, "scan", "--quiet", "--tools-file", str(tools_file)], args.runs, env)
            ratio = ours["median_cpu_s"] / max(baseline["median_cpu_s"], 1e-3)
            print(
                f"[{name}] baseline python -c 'import json': median {baseline['median_cpu_s']:.3f} CPU-s;"
                f" mcp-trust scan --tools-file (1 tool): median {ours['median_cpu_s']:.3f} CPU-s,"
                f" best {ours['best_cpu_s']:.3f}; ratio {ratio:.1f}x ({args.runs} runs each)"
            )
            if name == "bytecode cached":
                ok = ours["median_cpu_s"] < TARGET_CPU_S
    print(f"target: < {TARGET_CPU_S} CPU-s with bytecode cached: {'met' if ok else 'NOT met'}")
    return 0 if ok and not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
