"""`coding-director doctor`: why a setup does or does not work, without reading code."""

from __future__ import annotations

from dataclasses import dataclass, field

from coding_director.core.backends.embedded import embedded_available
from coding_director.core.backends.ollama import has_model, probe_ollama
from coding_director.core.memory_plan import GB, KNOWN_SIZES_GB, available_memory_bytes, memory_plan
from coding_director.core.settings import ROLES, Role, Settings
from coding_director.nodes.validation.sandbox import sandbox_status

#: The general chain: if none of these can answer, nothing can.
ANSWERING_ROLES: tuple[Role, ...] = ("lead", "senior", "principal")


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    can_answer: bool = True

    def ok(self, text: str) -> None:
        self.lines.append(f"  ✓ {text}")

    def warn(self, text: str) -> None:
        self.lines.append(f"  ! {text}")

    def bad(self, text: str) -> None:
        self.lines.append(f"  ✗ {text}")

    def head(self, text: str) -> None:
        self.lines.append(text)


def diagnose(settings: Settings) -> Report:
    report = Report()
    report.head("Backend")
    report.ok(f"BACKEND={settings.backend}")
    embedded_ok, embedded_why = embedded_available()
    uses_ollama = settings.backend in ("auto", "ollama")
    reachable_urls: dict[str, list[str]] = {}
    answering = False
    if uses_ollama:
        report.head("Ollama")
        urls = sorted({settings.base_url_for(role) for role in ROLES})
        for url in urls:
            reachable, why, pulled = probe_ollama(url)
            if reachable:
                report.ok(f"{why}; {len(pulled)} model(s) pulled")
                reachable_urls[url] = pulled
            else:
                (report.bad if settings.backend == "ollama" else report.warn)(why)
        report.head("Models")
        sizes: dict[Role, float] = {}
        for role in ROLES:
            tag = settings.role(role).model
            url = settings.base_url_for(role)
            if url not in reachable_urls:
                report.warn(f"{role:<9} {tag}: its server {url} is not reachable")
                continue
            if has_model(reachable_urls[url], tag):
                report.ok(f"{role:<9} {tag}")
                answering |= role in ANSWERING_ROLES
            else:
                report.bad(f"{role:<9} {tag} is not pulled: run `ollama pull {tag}`")
            sizes[role] = KNOWN_SIZES_GB.get(tag, 0.0)
        free = available_memory_bytes()
        known = {r: s for r, s in sizes.items() if s}
        if known and free:
            report.head("Memory")
            for line in memory_plan(known, free / GB):
                report.warn(line) if "do not" in line else report.ok(line)
    report.head("Embedded backend")
    if embedded_ok:
        report.ok("llama-cpp-python and SmolLM2-135M-Instruct are installed")
    else:
        (report.bad if settings.backend == "embedded" else report.warn)(embedded_why)
    report.head("Sandbox (runs the code answers contain)")
    sandbox_ok, sandbox_why = sandbox_status()
    if settings.sandbox == "unsafe-limits":
        report.bad("SANDBOX=unsafe-limits: generated code runs WITHOUT isolation, as this user (limits only)")
    elif sandbox_ok:
        report.ok(sandbox_why)
    else:
        report.bad(f"{sandbox_why}; until then no generated code is run: answers get static checks only")
    report.head("Files")
    for label, path in (("memory", settings.memory_file), ("run log", settings.run_log_file)):
        if path.exists():
            report.ok(f"{label}: {path} ({path.stat().st_size / 1024:.0f} KiB)")
        else:
            report.ok(f"{label}: {path} (not created yet)")
    if settings.backend == "ollama":
        report.can_answer = answering
    elif settings.backend == "embedded":
        report.can_answer = embedded_ok
    else:
        report.can_answer = answering or embedded_ok
    report.head("")
    if report.can_answer and settings.backend == "auto" and not answering:
        report.head("Ready on the embedded model: Ollama cannot answer here (see above).")
    elif report.can_answer:
        report.head("Ready: this setup can answer requests.")
    else:
        report.head("Not ready: no tier of this setup can answer. Fix the ✗ lines above.")
    return report
