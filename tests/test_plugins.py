"""The plugin contract, as a plugin author and a user meet it.

Datasette's habit: a test fails when a hook is undocumented or unexercised,
so the contract cannot grow silently. Third-party plugins are simulated with
real (tiny) distributions on ``sys.path``: a ``*.dist-info`` folder with an
``entry_points.txt``, which is all ``importlib.metadata`` looks at.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import duckdb
import pytest
import typer

from dvc_score import hookimpl, hookspecs, plugins
from dvc_score.api import (
    TABLES,
    CountsInput,
    Dataset,
    ReadOptions,
    RejectLog,
    Reporter,
    ReportOptions,
    Result,
    Ruleset,
    UserError,
    create_empty,
)
from dvc_score.cli.main import build_app
from dvc_score.testing import run_cli

ROOT = Path(__file__).resolve().parents[1]
PLUGINS_DOC = ROOT / "docs" / "plugins.md"
EXAMPLE = ROOT / "tests" / "fixtures" / "plugin_example"

HOOKS = sorted(
    name
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(function, "dvc_score_spec")
)


@pytest.fixture(autouse=True)
def builtins_only() -> Iterator[None]:
    """Every test starts and ends with the built-in plugins alone."""
    plugins.reset(autoload=False)
    yield
    plugins.reset(autoload=False)


# --- Every hook documented and exercised ------------------------------------------


def test_there_are_hooks() -> None:
    assert "dvc_score_register_adapters" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_says_when_it_is_called(hook: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert "Called" in doc, f"{hook}: the docstring must say when the hook is called"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_in_the_plugin_guide(hook: str) -> None:
    assert f"### `{hook}`" in PLUGINS_DOC.read_text(encoding="utf-8"), (
        f"{hook} has no section in docs/plugins.md (run python tests/test_hook_docs.py)"
    )


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_implemented_by_the_test_plugin(hook: str) -> None:
    assert callable(getattr(EveryHook, hook, None)), (
        f"{hook}: implement it in EveryHook and test what it does"
    )


# --- A plugin implementing every hook ----------------------------------------------


class TinyAdapter:
    """Builds two units and three dossiers in DuckDB, whatever the path says."""

    name = "tiny"
    description = "A tiny in-memory province (tests)."
    produces: Literal["dataset", "counts"] = "dataset"

    def detect(self, path: Path) -> bool:
        return path.suffix == ".tiny"

    def read(
        self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
    ) -> Dataset | CountsInput:
        for table in TABLES.values():
            create_empty(con, table)
        con.execute(
            "INSERT INTO units (unit_code, unit_name, level, parent_code) VALUES"
            " ('P', 'Tỉnh Thử', 'province', NULL), ('P.S', 'Sở Tư pháp', 'department', 'P')"
        )
        con.execute(
            "INSERT INTO dossiers (dossier_id, unit_code, procedure_code, channel, received_at,"
            " due_at, finished_at, status) VALUES"
            " ('HS1', 'P.S', '1.1', 'online', '2026-08-03 08:00', '2026-08-10 17:00',"
            "  '2026-08-05 10:00', 9),"
            " ('HS2', 'P.S', '1.1', 'direct', '2026-08-04 08:00', '2026-08-06 17:00',"
            "  '2026-08-12 10:00', 9),"
            " ('HS3', 'P.S', '1.1', 'direct', '2026-08-04 09:00', '2026-08-07 17:00',"
            "  '2026-08-06 10:00', 10)"
        )
        return Dataset(con, str(path), "tiny:1", RejectLog(con))


def halfway(ratio: Decimal, points: Decimal, params: Mapping[str, Decimal]) -> Decimal:
    """Half the points whatever the ratio: easy to recognise in a result."""
    return points / 2


class UnitListReporter:
    name = "unitlist"
    description = "One line per unit: code, total, on-time score (tests)."
    binary = False

    def render(self, results: Sequence[Result], ruleset: Ruleset, options: ReportOptions) -> str:
        lines = []
        for unit in results[0].units:
            on_time = unit.indicators["timeliness.on_time"].score
            lines.append(f"{unit.unit.unit_code} {unit.total} {on_time}")
        return "\n".join(lines) + "\n"


PLUGIN_RULESET = """\
[ruleset]
id = "plugin2026"
version = "2026.1-test"
title_vi = "Bộ chỉ số thử"
title_en = "A plugin's ruleset"
extends = "national2026"

[indicators."timeliness.on_time"]
scoring = "halfway"
"""


class EveryHook:
    """A plugin implementing every hook in hookspecs (checked above)."""

    def __init__(self, ruleset_file: Path) -> None:
        self.ruleset_file = ruleset_file

    @hookimpl
    def dvc_score_register_adapters(self, register: Callable[[Any], None]) -> None:
        register(TinyAdapter())

    @hookimpl
    def dvc_score_register_rulesets(self, register: Callable[[Path], None]) -> None:
        register(self.ruleset_file)

    @hookimpl
    def dvc_score_register_scorers(self, register: Callable[[str, Any], None]) -> None:
        register("halfway", halfway)

    @hookimpl
    def dvc_score_register_reporters(self, register: Callable[[Reporter], None]) -> None:
        register(UnitListReporter())

    @hookimpl
    def dvc_score_register_commands(self, app: typer.Typer) -> None:
        @app.command("hello")
        def hello(name: str = "Hà Nội") -> None:
            """Say hello (a plugin's command)."""
            typer.echo(f"xin chào {name}")

        @app.command("refuse")
        def refuse() -> None:
            """Fail the way a plugin command should."""
            raise UserError("refuse: this plugin command always says no")


@pytest.fixture
def every_hook(tmp_path: Path) -> EveryHook:
    ruleset = tmp_path / "plugin2026.toml"
    ruleset.write_text(PLUGIN_RULESET, encoding="utf-8")
    plugin = EveryHook(ruleset)
    plugins.reset(autoload=False, extra=(plugin,))
    return plugin


def test_a_registered_adapter_ruleset_scorer_and_reporter_work_together(
    every_hook: EveryHook, tmp_path: Path
) -> None:
    data = tmp_path / "province.tiny"
    data.write_text("", encoding="utf-8")
    result = run_cli(
        ["run", "--data", str(data), "-r", "plugin2026", "-p", "2026-08", "-f", "unitlist"]
    )
    assert result.exit_code == 0, result.output
    # "halfway" gives 10 of 20 on-time points whatever the ratio (2 of 3 here).
    assert "P.S" in result.stdout
    assert all(line.endswith(" 10.00") for line in result.stdout.splitlines())


def test_the_adapter_is_detected_from_the_path(every_hook: EveryHook, tmp_path: Path) -> None:
    data = tmp_path / "province.tiny"
    data.write_text("", encoding="utf-8")
    result = run_cli(["run", "--data", str(data), "-p", "2026-08", "-f", "json"])
    assert result.exit_code == 0, result.output
    units = json.loads(result.stdout)["units"]
    assert [u["unit_code"] for u in units] == ["P", "P.S"]


def test_registered_things_are_listed(every_hook: EveryHook) -> None:
    assert "tiny" in run_cli(["adapters"]).stdout
    assert "unitlist" in run_cli(["reporters"]).stdout
    assert "plugin2026" in run_cli(["rulesets", "list"]).stdout


def test_a_plugin_command_appears_in_the_cli(every_hook: EveryHook) -> None:
    assert "hello" in run_cli(["--help"]).stdout
    result = run_cli(["hello", "--name", "Huế"])
    assert (result.exit_code, result.stdout) == (0, "xin chào Huế\n")


def test_a_plugin_command_reports_user_errors_in_one_line(every_hook: EveryHook) -> None:
    result = run_cli(["refuse"])
    assert result.exit_code == 2
    assert "refuse: this plugin command always says no" in result.stderr
    assert "Traceback" not in result.output


def test_plugins_json_lists_builtins_with_version_and_hooks() -> None:
    result = run_cli(["plugins", "--json"])
    assert result.exit_code == 0
    described = {p["name"]: p for p in json.loads(result.stdout)}
    for name in plugins.DEFAULT_PLUGINS:
        assert described[name]["status"] == "ok"
        assert described[name]["version"]
        assert described[name]["hooks"], name
    assert "dvc_score_register_adapters" in described["dvc_score.builtins.adapters"]["hooks"]


def test_a_plugin_implementing_an_unknown_hook_is_refused_clearly() -> None:
    class Misspelled:
        @hookimpl
        def dvc_score_register_adapter(self, register: Callable[[Any], None]) -> None:
            """Singular: not a hook."""

    with pytest.raises(UserError, match="dvc_score_register_adapter"):
        plugins.reset(autoload=False, extra=(Misspelled(),))


# --- Third-party plugins from entry points ------------------------------------------


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path where tests 'install' distributions."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv(plugins.ENV_LOAD_PLUGINS, raising=False)
    yield folder
    for name, module in list(sys.modules.items()):
        if str(folder) in str(getattr(module, "__file__", "") or ""):
            del sys.modules[name]


def install(site: Path, dist: str, version: str, module: str, source: str) -> None:
    """Write a distribution with one ``dvc_score`` entry point named after its module."""
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[dvc_score]\n{module} = {module}\n", encoding="utf-8")
    (site / f"{module}.py").write_text(source, encoding="utf-8")


def command_plugin(command: str) -> str:
    return (
        "import typer\nfrom dvc_score import hookimpl\n\n@hookimpl\n"
        "def dvc_score_register_commands(app):\n"
        f"    app.command({command!r})(lambda: typer.echo({command!r}))\n"
    )


def load_installed(monkeypatch: pytest.MonkeyPatch, only: str | None) -> None:
    if only is not None:
        monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, only)
    plugins.reset(autoload=True)


def described(name: str) -> dict[str, Any]:
    listed = json.loads(run_cli(["plugins", "--json"]).stdout)
    return next(p for p in listed if p["name"] == name)


def test_an_installed_plugin_is_loaded_with_its_version(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(site, "dvc-score-greet", "1.2.3", "dvc_greet", command_plugin("greet"))
    load_installed(monkeypatch, "dvc-score-greet")
    assert run_cli(["greet"]).stdout == "greet\n"
    plugin = described("dvc_greet")
    assert (plugin["distribution"], plugin["version"], plugin["status"]) == (
        "dvc-score-greet",
        "1.2.3",
        "ok",
    )
    assert plugin["hooks"] == ["dvc_score_register_commands"]


def test_a_plugin_that_fails_to_import_is_reported_and_the_tool_keeps_working(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(site, "dvc-score-broken", "0.3.1", "dvc_broken", "import no_such_module_anywhere\n")
    install(site, "dvc-score-greet", "1.2.3", "dvc_greet", command_plugin("greet"))
    load_installed(monkeypatch, "dvc-score-broken,dvc-score-greet")
    plugin = described("dvc_broken")
    assert (plugin["distribution"], plugin["version"]) == ("dvc-score-broken", "0.3.1")
    assert plugin["status"].startswith("failed to load: ModuleNotFoundError")
    table = run_cli(["plugins"])
    assert table.exit_code == 0 and "dvc-score-broken" in table.stdout
    assert run_cli(["greet"]).stdout == "greet\n"
    assert run_cli(["adapters"]).exit_code == 0


def test_an_installed_plugin_with_an_unknown_hook_is_reported_not_fatal(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (
        "from dvc_score import hookimpl\n\n@hookimpl\n"
        "def dvc_score_register_widgets(register):\n    pass\n"
    )
    install(site, "dvc-score-widgets", "2.0", "dvc_widgets", source)
    load_installed(monkeypatch, "dvc-score-widgets")
    plugin = described("dvc_widgets")
    assert plugin["status"].startswith("failed to load")
    assert "dvc_score_register_widgets" in plugin["status"]
    assert run_cli(["adapters"]).exit_code == 0


def test_an_installed_plugin_with_a_wrong_argument_is_reported(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (
        "from dvc_score import hookimpl\n\n@hookimpl\n"
        "def dvc_score_register_adapters(registr):\n    pass\n"
    )
    install(site, "dvc-score-typo", "0.1", "dvc_typo", source)
    load_installed(monkeypatch, "dvc_typo")
    assert "registr" in described("dvc_typo")["status"]
    assert run_cli(["adapters"]).exit_code == 0


def test_a_plugin_hook_that_raises_is_one_line_naming_the_plugin(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (
        "from dvc_score import hookimpl\n\n@hookimpl\n"
        "def dvc_score_register_adapters(register):\n    raise RuntimeError('boom')\n"
    )
    install(site, "dvc-score-boom", "0.9", "dvc_boom", source)
    load_installed(monkeypatch, "dvc-score-boom")
    result = run_cli(["adapters"])
    assert result.exit_code == 2
    assert "dvc_boom" in result.stderr and "dvc-score-boom 0.9" in result.stderr
    assert "boom" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("only", "commands"),
    [
        (None, {"alpha", "beta"}),
        ("dvc-score-alpha", {"alpha"}),
        ("dvc_beta", {"beta"}),
        ("", set()),
    ],
)
def test_dvc_score_load_plugins_restricts_loading(
    site: Path, monkeypatch: pytest.MonkeyPatch, only: str | None, commands: set[str]
) -> None:
    install(site, "dvc-score-alpha", "1.0", "dvc_alpha", command_plugin("alpha"))
    install(site, "dvc-score-beta", "1.0", "dvc_beta", command_plugin("beta"))
    load_installed(monkeypatch, only)
    available = set(typer.main.get_command(build_app()).commands)  # type: ignore[attr-defined]
    assert available & {"alpha", "beta"} == commands
    assert {"run", "adapters"} <= available  # built-ins always load


def test_builtins_load_even_when_every_plugin_is_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    load_installed(monkeypatch, "")
    names = {p["name"] for p in json.loads(run_cli(["plugins", "--json"]).stdout)}
    assert set(plugins.DEFAULT_PLUGINS) <= names


# --- The worked example of docs/plugins.md ------------------------------------------

EXAMPLE_FILES = (
    "pyproject.toml",
    "src/dvc_score_motcua/__init__.py",
    "tests/test_motcua.py",
)


@pytest.mark.parametrize("relative", EXAMPLE_FILES)
def test_the_guide_shows_the_example_files_verbatim(relative: str) -> None:
    text = (EXAMPLE / relative).read_text(encoding="utf-8")
    assert text in PLUGINS_DOC.read_text(encoding="utf-8"), (
        f"docs/plugins.md must show tests/fixtures/plugin_example/{relative} as it is"
    )


def test_the_example_declares_its_entry_point() -> None:
    import tomllib

    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["dvc_score"] == {"motcua": "dvc_score_motcua"}


EXAMPLE_TESTS = re.findall(
    r"^def (test_\w+)\(", (EXAMPLE / "tests" / "test_motcua.py").read_text("utf-8"), re.M
)


@pytest.fixture
def example_tests(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The example's test module, importable as in its own repository."""
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    spec = importlib.util.spec_from_file_location(
        "test_motcua", EXAMPLE / "tests" / "test_motcua.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("dvc_score_motcua", None)


def test_the_example_has_tests() -> None:
    assert len(EXAMPLE_TESTS) >= 3


@pytest.mark.parametrize("name", EXAMPLE_TESTS)
def test_the_example_plugin_passes_its_own_tests(
    example_tests: ModuleType, name: str, tmp_path: Path
) -> None:
    # In-process (a second pytest would cost seconds); what its autouse
    # fixture does, done here: register the plugin alone.
    plugins.reset(autoload=False, extra=(example_tests.dvc_score_motcua,))
    test = getattr(example_tests, name)
    wanted = inspect.signature(test).parameters
    test(**({"tmp_path": tmp_path} if "tmp_path" in wanted else {}))
