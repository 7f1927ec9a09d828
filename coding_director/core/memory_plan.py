"""Which of the configured Ollama models fit in memory together, and the keep-alive that follows."""

from __future__ import annotations

from pathlib import Path

from coding_director.core.team import WARM_ORDER, Role

GB = 1024**3
#: Download sizes of the seed's models (Ollama library); loaded, a model needs about 1.4x this.
KNOWN_SIZES_GB = {
    "openhermes": 4.1,
    "openhermes:latest": 4.1,
    "openhermes:v2.5": 4.1,
    "mathstral:7b": 4.1,
    "deepseek-coder-v2:16b-lite-instruct-q4_0": 8.9,
    "codellama:13b": 7.4,
    "wizardcoder:13b-python": 7.4,
}
LOADED_FACTOR = 1.4


def model_size_gb(tag: str, pulled: dict[str, int] | None = None) -> float | None:
    """A model's download size: what its server reports (`/api/tags`), else the table above; None if unknown.

    The one source of sizes for `doctor`, the keep-alive plan and the benchmarks.
    """
    for name in (tag, tag if ":" in tag else f"{tag}:latest"):
        if pulled and pulled.get(name):
            return pulled[name] / GB
    return KNOWN_SIZES_GB.get(tag) or KNOWN_SIZES_GB.get(tag if ":" in tag else f"{tag}:latest")


def available_memory_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def keep_alive_plan(sizes_gb: dict[Role, float], available_gb: float) -> dict[Role, str]:
    """Keep-alive per role: the frequent roles that fit stay warm, the others unload after each answer."""
    loaded = {role: size * LOADED_FACTOR for role, size in sizes_gb.items()}
    if sum(loaded.values()) <= available_gb:
        return {role: ("-1" if role == "router" else "30m") for role in loaded}
    plan: dict[Role, str] = {}
    used = 0.0
    for role in WARM_ORDER:
        if role not in loaded:
            continue
        if used + loaded[role] <= available_gb:
            plan[role] = "-1" if role == "router" else "30m"
            used += loaded[role]
        else:
            plan[role] = "0"
    return plan


def memory_plan(sizes_gb: dict[Role, float], available_gb: float) -> list[str]:
    """How many models fit at once, and which keep-alive settings follow, in words."""
    loaded = {role: size * LOADED_FACTOR for role, size in sizes_gb.items()}
    total = sum(loaded.values())
    lines = [f"all {len(loaded)} models loaded need about {total:.0f} GB; {available_gb:.0f} GB is free"]
    if total <= available_gb:
        lines.append(f"they fit: OLLAMA_MAX_LOADED_MODELS={len(loaded)} and KEEP_ALIVE=30m keep every tier warm")
        return lines
    plan = keep_alive_plan(sizes_gb, available_gb)
    fitting = [r for r, keep in plan.items() if keep != "0"]
    cold = [r for r, keep in plan.items() if keep == "0"]
    warm = ", ".join(f"{r.upper()}_KEEP_ALIVE={plan[r]}" for r in fitting)
    unload = ", ".join(f"{r.upper()}_KEEP_ALIVE=0" for r in cold)
    lines.append(
        f"they do not all fit: set OLLAMA_MAX_LOADED_MODELS={max(len(fitting), 1)} on the server, "
        f"keep {', '.join(fitting) or 'none'} warm ({warm or 'none fits'}) "
        f"and unload {', '.join(cold)} after use ({unload}), or KEEP_ALIVE_PLAN=auto to do this for you"
    )
    return lines
