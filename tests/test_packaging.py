"""cxcost installs as a package: wheel contents, a ``cxcost`` command that works outside
the checkout, and a lock of every transitive dependency (issue 14)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)")


def _pins(name: str) -> dict[str, str]:
    """Package -> version of every ``name==version`` line of a requirements file."""
    pins = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel from a copy of its sources (no build/ in the checkout)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "requirements.in"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "cxcost", source / "cxcost", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(out), str(source)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("cxcost-*.whl")
    return built


def test_the_wheel_ships_the_presets_the_cli_and_a_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        metadata = next(n for n in names if n.endswith("METADATA"))
        scripts = archive.read(entry_points).decode()
        requires = [
            line.removeprefix("Requires-Dist: ")
            for line in archive.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist: ")
        ]
    shipped = {p.name for p in (ROOT / "cxcost" / "data" / "presets").glob("*.json")}
    assert len(shipped) >= 5
    assert {f"cxcost/data/presets/{name}" for name in shipped} <= names
    assert {"cxcost/cli/__init__.py", "cxcost/cli/report.py", "cxcost/ui/app.py"} <= names
    catalogs = {f"cxcost/locale/{language}/LC_MESSAGES/cxcost.po" for language in ("en", "nb")}
    assert catalogs <= names
    assert "cxcost = cxcost.__main__:run" in scripts
    direct = [
        line.strip()
        for line in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert requires == direct


@pytest.mark.slow
def test_the_installed_command_works_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    """``pip install`` the wheel into a fresh environment (its dependencies from this
    one's site-packages), then ``cxcost evaluate us-ecommerce`` from another folder."""
    environment = tmp_path / "venv"
    venv.create(environment, system_site_packages=True, with_pip=True)
    python = environment / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = [str(environment / "bin" / "cxcost"), "evaluate", "us-ecommerce", "--format", "json"]
    done = subprocess.run(
        command, cwd=elsewhere, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    where = subprocess.run(
        [str(python), "-c", "import cxcost; print(cxcost.__file__)"],
        cwd=elsewhere, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert str(environment) in where
    in_checkout = subprocess.run(
        [sys.executable, "-m", "cxcost", "evaluate", "us-ecommerce", "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    ).stdout  # fmt: skip
    assert json.loads(done.stdout) == json.loads(in_checkout)


def test_the_lock_pins_every_package_and_agrees_with_the_direct_pins() -> None:
    runtime, dev = _pins("requirements.txt"), _pins("requirements-dev.txt")
    for lock, inputs in (
        (runtime, ("requirements.in",)),
        (dev, ("requirements.in", "requirements-dev.in")),
    ):
        for name in inputs:
            for package, version in _pins(name).items():
                assert lock.get(package) == version, f"{name}: {package}=={version} not locked"
    # The test lock installs the very runtime versions the app's lock does.
    assert {p: v for p, v in dev.items() if p in runtime} == runtime
    # Transitive dependencies are locked too: far more packages than the direct pins.
    assert len(runtime) > 3 * len(_pins("requirements.in"))
