"""The installed package has one import root: a user's own `state.py` or `graph.py` cannot shadow it."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the tracked files (setuptools writes build/ beside the sources)."""
    source = tmp_path_factory.mktemp("source")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in tracked.splitlines():
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out)]
    subprocess.run([*command, str(source)], check=True, capture_output=True, timeout=300)
    return next(out.glob("coding_director-*.whl"))


def test_the_wheel_installs_one_top_level_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"coding_director"}
    assert "coding_director/graph/__init__.py" in names
    assert "coding_director/prompts/lead_developer.md" in names
    assert "coding_director/nodes/router/data/router_model.json" in names
    assert not any(name.startswith("coding_director/standin") or "/standin.py" in name for name in names)


def test_a_users_own_state_and_graph_modules_do_not_shadow_it(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # The dependencies come from this venv's site-packages, added as a plain path (its editable
    # install of this repository is not activated that way), so only the wheel provides the package.
    deps = [p for p in site.getsitepackages() if p.startswith(sys.prefix)]
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "deps.pth").write_text("\n".join(deps) + "\n")
    project = tmp_path / "users_project"
    project.mkdir()
    for name in ("state", "graph", "nodes", "prompts"):
        (project / f"{name}.py").write_text(f"raise ImportError('the user module {name}.py was imported')\n")
    script = textwrap.dedent(
        """
        import coding_director
        from coding_director import build_graph
        from tests_fakes import team
        graph = build_graph(models=team(lead=["Use `git reset --soft HEAD~1`."]), checkpointer=None,
                            run_log=False, cache=False)
        result = graph.invoke({"messages": [("user", "How do I undo my last git commit?")]})
        print(coding_director.__file__)
        print(result["outcome"])
        """
    )
    (project / "tests_fakes.py").write_text((ROOT / "tests" / "fakes.py").read_text())
    done = subprocess.run(
        [str(python), "-c", script],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CODING_DIRECTOR_HOME": str(tmp_path / "data")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    location, outcome = done.stdout.split()[-2:]
    assert location.startswith(str(env_dir)), location  # the wheel, not this checkout
    assert outcome == "passed"
