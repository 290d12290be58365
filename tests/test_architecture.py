"""The layout's promises, checked on the source: no import cycle, stages import only earlier stages, the
contracts sit at the bottom, no function over 80 lines, and one definition of every option."""

from __future__ import annotations

import ast
import dataclasses
import sys
import tomllib
from pathlib import Path

import pytest

import nutgraf
from nutgraf.contracts import OPTION_SPECS, Options

SRC = Path(nutgraf.__file__).parent
ROOT = SRC.parent.parent
MAX_FUNCTION_LINES = 80


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str) -> set[str]:
    """Every nutgraf module ``module`` imports, at module level or inside a function (not under
    ``TYPE_CHECKING``, which never runs)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "nutgraf")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], base]).strip(".")
            if base.split(".")[0] == "nutgraf":
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    out.add(sub if sub in MODULES else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    out.discard(module)
    return {m for m in out if m in MODULES}


GRAPH = {m: _imports(m) for m in MODULES}


def test_there_is_no_import_cycle() -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(GRAPH[m]):
            if state.get(n) == 1:
                cycle = [*stack[stack.index(n) :], n]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)


def test_the_contracts_and_languages_sit_at_the_bottom() -> None:
    assert GRAPH["nutgraf.errors"] == set()
    assert GRAPH["nutgraf.contracts"] == {"nutgraf.errors"}
    languages = [m for m in MODULES if m.startswith("nutgraf.lang")]
    assert languages
    for module in languages:
        assert all(m == "nutgraf.errors" or m.startswith("nutgraf.lang") for m in GRAPH[module]), module


STAGES = ["ingest", "clean", "segment", "features", "score", "select", "compress", "render"]


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_never_imports_a_later_stage(stage: str) -> None:
    later = STAGES[STAGES.index(stage) + 1 :]
    own = [m for m in MODULES if m == f"nutgraf.{stage}" or m.startswith(f"nutgraf.{stage}.")]
    for module in own:
        for imported in GRAPH[module]:
            target = imported.split(".")[1]
            assert target not in later, f"{module} imports {imported}, a later stage"


def _long_functions() -> list[str]:
    out = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    out.append(f"{module}.{node.name}: {length} lines")
    return out


def test_no_function_is_longer_than_80_lines() -> None:
    assert _long_functions() == []


def test_every_options_field_has_one_spec_in_the_same_order() -> None:
    assert [s.name for s in OPTION_SPECS] == [f.name for f in dataclasses.fields(Options)]


def test_spacy_is_an_extra_not_a_core_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = " ".join(project["dependencies"]).lower()
    assert "spacy" not in core and "en-core-web" not in core
    assert any(d.startswith("spacy") for d in project["optional-dependencies"]["compress"])


def test_importing_nutgraf_and_summarizing_loads_no_parser() -> None:
    import subprocess

    code = (
        "import sys, nutgraf, nutgraf.cli, nutgraf.compress\n"
        "nutgraf.summarize(open(sys.argv[1]).read(), method='lead')\n"
        "assert 'spacy' not in sys.modules, 'spacy was imported'\n"
    )
    sample = ROOT / "examples" / "sample_article.txt"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(sample)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
