"""The layers of DESIGN.md: imports point down only.

app.py -> cxcost/ui (streamlit) -> cxcost/report (no streamlit) -> the model (cxcost/*.py).
Checked twice: statically, by parsing every file's imports (including imports inside
functions and ``importlib.import_module("...")`` with a literal name), and dynamically,
by importing the model and the exports in a fresh interpreter.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cxcost"
# The command line (cxcost/cli/ and cxcost/__main__.py) sits at the top of the stack,
# like app.py: it imports the model and the report layer, and nothing imports it.
ENTRY_POINTS = {"__main__.py"}
MODEL_MODULES = (
    "scenario",
    "queueing",
    "channels",
    "quality",
    "churn",
    "costs",
    "evaluate",
    "compare",
    "optimize",
    "uncertainty",
    "presets",
    "calibrate",
)


def _module_name(path: Path) -> str:
    """Dotted name of a module file or package folder under ROOT ("" for ROOT)."""
    if path == ROOT:
        return ""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved to absolute names."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path.parent)
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _import_call_module(node: ast.AST) -> str | None:
    """ "x" of ``importlib.import_module("x")``, ``import_module("x")`` or
    ``__import__("x")``; None for any other node."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
        return None
    func = node.func
    if (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id in {"import_module", "__import__"}
    ):
        return str(node.args[0].value)
    return None


def _imports_in(source: str, package: str) -> set[str]:
    """Imports of ``source``, a module in ``package``, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif (called := _import_call_module(node)) is not None:
            found.add(called)
    return found


def _imports_any(imports: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in imports for p in packages if name == p or name.startswith(p + ".")
    )


def _files(folder: Path, recursive: bool = True) -> list[Path]:
    return sorted(folder.rglob("*.py") if recursive else folder.glob("*.py"))


# Packages of the model layer (scenario I/O in parts); their modules count as model files.
MODEL_PACKAGES = ("presets", "calibrate")


def _model_files() -> list[Path]:
    top = [p for p in _files(PACKAGE, recursive=False) if p.name not in ENTRY_POINTS]
    return top + [p for name in MODEL_PACKAGES for p in _files(PACKAGE / name)]


def _stem(path: Path) -> str:
    """A model file's name in MODEL_MODULES: the package's for its ``__init__``."""
    return path.parent.name if path.name == "__init__.py" else path.stem


def test_the_import_parser_sees_every_form() -> None:
    source = (
        "import streamlit as st\n"
        "from ..ui import widgets\n"
        "from . import charts\n"
        "def later():\n"
        "    import importlib\n"
        "    importlib.import_module('cxcost.ui.app')\n"
        "    __import__('plotly')\n"
    )
    found = _imports_in(source, "cxcost.report")
    assert {"streamlit", "cxcost.ui", "cxcost.ui.widgets", "cxcost.report.charts"} <= found
    assert {"cxcost.ui.app", "plotly"} <= found
    assert _imports_any(found, ("cxcost.ui",)) == [
        "cxcost.ui",
        "cxcost.ui.app",
        "cxcost.ui.widgets",
    ]


def test_model_modules_are_all_present() -> None:
    names = {_stem(p) for p in _model_files()}
    assert set(MODEL_MODULES) <= names


def test_nothing_outside_the_ui_imports_streamlit() -> None:
    checked = [p for p in _files(PACKAGE) if "ui" not in p.relative_to(PACKAGE).parts[:1]]
    assert {_stem(p) for p in checked} >= set(MODEL_MODULES)
    offenders = {
        str(p.relative_to(ROOT)): _imports_any(_imports(p), ("streamlit",)) for p in checked
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_model_imports_neither_report_nor_ui() -> None:
    checked = _model_files()
    assert {_stem(p) for p in checked} >= set(MODEL_MODULES)
    offenders = {
        str(p.relative_to(ROOT)): _imports_any(_imports(p), ("cxcost.report", "cxcost.ui"))
        for p in checked
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_report_does_not_import_the_ui() -> None:
    checked = _files(PACKAGE / "report")
    offenders = {
        str(p.relative_to(ROOT)): _imports_any(_imports(p), ("cxcost.ui", "streamlit"))
        for p in checked
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_model_and_exports_loads_no_streamlit() -> None:
    modules = [f"cxcost.{name}" for name in MODEL_MODULES]
    modules += [_module_name(p) for p in _files(PACKAGE / "report")]
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'"
        " or m.startswith('cxcost.ui'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_app_is_a_thin_entry_point() -> None:
    app = ROOT / "app.py"
    source = app.read_text(encoding="utf-8")
    assert len(source.splitlines()) < 40
    imports = _imports(app)
    cxcost_imports = _imports_any(imports, ("cxcost",))
    assert _files(PACKAGE / "ui"), "cxcost/ui is missing"
    assert cxcost_imports, "app.py does not call cxcost.ui"
    assert all(name.startswith("cxcost.ui") for name in cxcost_imports), cxcost_imports
    tree = ast.parse(source)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]


def test_nothing_below_the_cli_imports_it() -> None:
    """report -> cli was a cycle (report/cli.py imported cxcost.cli); no exemption now."""
    below = [
        p for p in _files(PACKAGE) if p.relative_to(PACKAGE).parts[0] not in ("cli", "__main__.py")
    ]
    assert {p.relative_to(PACKAGE).parts[0] for p in below} >= {"report", "ui", "evaluate.py"}
    offenders = {
        str(p.relative_to(ROOT)): _imports_any(_imports(p), ("cxcost.cli",)) for p in below
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_cli_imports_model_and_report_only() -> None:
    checked = _files(PACKAGE / "cli")
    assert {p.stem for p in checked} >= {"__init__", "common", "model", "report"}
    offenders = {
        str(p.relative_to(ROOT)): _imports_any(_imports(p), ("cxcost.ui", "streamlit"))
        for p in checked
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("command", [["presets"], ["validate", "us-ecommerce"], ["schema"]])
def test_model_commands_load_no_export_or_app_stack(command: list[str]) -> None:
    """The report stack (plotly, fpdf, openpyxl, kaleido) and streamlit load only when
    a command needs them: ``report`` imports them when it runs."""
    script = (
        "import json, runpy, sys\n"
        f"sys.argv = ['cxcost', *{command!r}]\n"
        "try:\n"
        "    runpy.run_module('cxcost', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'plotly', 'streamlit', 'kaleido', 'fpdf', 'openpyxl', 'pandas'}\n"
        "print(json.dumps(sorted(heavy & {m.split('.')[0] for m in sys.modules})), "
        "file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []


# Scenario I/O in parts: each module imports only those before it, so the package
# reads top to bottom without cycles.
PRESET_LAYERS = (
    "problems",
    "parsing",
    "migrations",
    "scenarios",
    "files",
    "overrides",
    "links",
    "translations",
    "sources",
)


def test_the_preset_modules_import_in_one_direction() -> None:
    folder = PACKAGE / "presets"
    assert {p.stem for p in _files(folder)} == {*PRESET_LAYERS, "__init__"}
    for index, name in enumerate(PRESET_LAYERS):
        imported = _imports_any(_imports(folder / f"{name}.py"), ("cxcost.presets",))
        siblings = {module.split(".")[2] for module in imported}
        later = siblings - set(PRESET_LAYERS[:index])
        assert later == set(), f"presets/{name}.py imports {sorted(later)}"
