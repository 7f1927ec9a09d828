"""The notebooks run top to bottom on the embedded default, so they cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import HAS_EMBEDDED

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))

pytestmark = [
    pytest.mark.embedded,
    pytest.mark.skipif(not HAS_EMBEDDED, reason="needs the 'embedded' extra"),
    pytest.mark.skipif(importlib.util.find_spec("nbclient") is None, reason="needs the 'dev' extra"),
]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, monkeypatch, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("BACKEND", "embedded")  # no Ollama here: the embedded default
    monkeypatch.setenv("EMBEDDED_MAX_TOKENS", "160")
    notebook = nbformat.read(path, as_version=4)
    root = str(path.parent.parent)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": root}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    printed = "".join(o.get("text", "") for o in outputs)
    assert printed.strip(), "the notebook showed nothing"
    promises_a_plot = any("matplotlib" in cell.source for cell in notebook.cells if cell.cell_type == "code")
    if promises_a_plot:  # a plot drawn off-screen (the Agg backend, then plt.show()) shows nothing
        images = [o for o in outputs if "image/png" in o.get("data", {})]
        assert images, "the notebook draws a plot but its outputs hold no image"
