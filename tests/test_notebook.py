"""The tour notebook runs top to bottom (nbclient) and shows the network page inline."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "tour.ipynb"


def test_tour_notebook_runs_and_shows_the_page_inline(built_project: Path, monkeypatch):
    pytest.importorskip("ipykernel", reason="the notebook needs a Jupyter kernel: pip install -e '.[test]'")
    from nbclient import NotebookClient

    monkeypatch.setenv("KG_PROJECT", str(built_project))  # the kernel inherits it: the notebook reads a private copy
    nb = nbformat.read(NOTEBOOK, as_version=4)
    resources = {"metadata": {"path": str(NOTEBOOK.parent)}}
    NotebookClient(nb, timeout=180, kernel_name="python3", resources=resources).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    frames = [o for o in outputs if '<iframe sandbox="allow-scripts" srcdoc=' in o.get("data", {}).get("text/html", "")]
    assert len(frames) == 2
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Degree centrality" in text and "Huawei" in text
