"""Loading plugins: built-ins from ``DEFAULT_PLUGINS``, others from entry points.

Third-party plugins are found through the ``dvc_score`` entry-point group.
Each entry point is loaded on its own: one that fails to import is reported by
name and version (``dvc-score plugins`` shows it) and the tool keeps working.

``DVC_SCORE_LOAD_PLUGINS`` restricts loading: unset loads every installed
plugin; a comma-separated list of distribution or entry-point names loads only
those; an empty string loads none (built-ins always load).
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pluggy

from dvc_score import hookspecs
from dvc_score.errors import UserError

ENTRY_POINT_GROUP = "dvc_score"
ENV_LOAD_PLUGINS = "DVC_SCORE_LOAD_PLUGINS"

DEFAULT_PLUGINS: tuple[str, ...] = (
    "dvc_score.builtins.scorers",
    "dvc_score.builtins.rulesets",
    "dvc_score.builtins.adapters",
    "dvc_score.builtins.reporters",
)


@dataclass
class PluginFailure:
    name: str
    distribution: str
    version: str
    error: str


@dataclass
class PluginState:
    manager: pluggy.PluginManager
    failures: list[PluginFailure] = field(default_factory=list)
    distributions: dict[str, tuple[str, str]] = field(default_factory=dict)


_state: PluginState | None = None


def get_plugin_manager() -> pluggy.PluginManager:
    return _get_state().manager


def plugin_failures() -> list[PluginFailure]:
    return list(_get_state().failures)


def _get_state() -> PluginState:
    global _state
    if _state is None:
        _state = _load(autoload=os.environ.get("DVC_SCORE_NO_AUTOLOAD") != "1")
    return _state


def reset(autoload: bool = True, extra: tuple[object, ...] = ()) -> pluggy.PluginManager:
    """Rebuild the manager (tests use ``autoload=False`` and register their own)."""
    global _state
    _state = _load(autoload=autoload)
    try:
        for plugin in extra:
            _state.manager.register(plugin)
        _state.manager.check_pending()
    except pluggy.PluginValidationError as error:
        for plugin in extra:
            if _state.manager.is_registered(plugin):
                _state.manager.unregister(plugin)
        raise UserError(f"plugins: {error} (known hooks: {', '.join(_known_hooks())})") from None
    from dvc_score import registry

    registry.clear_caches()
    return _state.manager


def _load(autoload: bool) -> PluginState:
    manager = pluggy.PluginManager("dvc_score")
    manager.add_hookspecs(hookspecs)
    state = PluginState(manager)
    for module_name in DEFAULT_PLUGINS:
        manager.register(importlib.import_module(module_name), name=module_name)
    if autoload:
        _load_entry_points(state)
    manager.check_pending()
    return state


def _allowed() -> set[str] | None:
    value = os.environ.get(ENV_LOAD_PLUGINS)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _load_entry_points(state: PluginState) -> None:
    allowed = _allowed()
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist
        dist_name = dist.metadata["Name"] if dist is not None else "?"
        version = dist.version if dist is not None else "?"
        if allowed is not None and not ({entry_point.name, dist_name} & allowed):
            continue
        try:
            plugin = entry_point.load()
            state.manager.register(plugin, name=entry_point.name)
        except Exception as error:  # a broken plugin must not take the tool down
            state.failures.append(
                PluginFailure(
                    entry_point.name, dist_name, version, f"{type(error).__name__}: {error}"
                )
            )
            continue
        unknown = _unknown_hooks(state.manager, plugin)
        if unknown:
            # check_pending() would raise for the whole tool; set this plugin aside instead.
            state.manager.unregister(plugin)
            problem = (
                f"implements unknown hook(s) {', '.join(unknown)};"
                f" known: {', '.join(_known_hooks())}"
            )
            state.failures.append(PluginFailure(entry_point.name, dist_name, version, problem))
            continue
        _guard(state.manager, plugin, f"{entry_point.name} ({dist_name} {version})")
        state.distributions[entry_point.name] = (dist_name, version)


def _known_hooks() -> list[str]:
    return sorted(name for name in vars(hookspecs) if name.startswith("dvc_score_"))


def _unknown_hooks(manager: pluggy.PluginManager, plugin: object) -> list[str]:
    """The hooks ``plugin`` implements that no spec declares (check_pending, for one plugin)."""
    return sorted(
        caller.name
        for caller in manager.get_hookcallers(plugin) or []
        if caller.spec is None
        and any(i.plugin is plugin and not i.optionalhook for i in caller.get_hookimpls())
    )


def _guard(manager: pluggy.PluginManager, plugin: object, label: str) -> None:
    """Make a third-party hook that raises fail as one line naming the plugin.

    Hooks run lazily (when a registry is first used), so without this a bug in
    any installed plugin would show the user a traceback from deep inside.
    """
    for caller in manager.get_hookcallers(plugin) or []:
        for impl in caller.get_hookimpls():
            if impl.plugin is plugin and not (impl.hookwrapper or impl.wrapper):
                # HookImpl.function is declared Final but is a plain slot.
                setattr(impl, "function", _guarded(impl.function, caller.name, label))  # noqa: B010


def _guarded(function: Callable[..., Any], hook: str, label: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except UserError:
            raise
        except Exception as error:
            raise UserError(
                f"plugin {label} failed in {hook}: {type(error).__name__}: {error}"
                f" (disable it with {ENV_LOAD_PLUGINS}; see `dvc-score plugins`)"
            ) from error

    return call


def describe_plugins() -> list[dict[str, Any]]:
    """Every registered plugin with its version and the hooks it implements."""
    state = _get_state()
    described = []
    for name, plugin in state.manager.list_name_plugin():
        if plugin is None:
            continue
        hooks = sorted(hook.name for hook in state.manager.get_hookcallers(plugin) or [])
        dist, version = state.distributions.get(name, _builtin_version(plugin))
        described.append(
            {"name": name, "distribution": dist, "version": version, "hooks": hooks, "status": "ok"}
        )
    for failure in state.failures:
        described.append(
            {
                "name": failure.name,
                "distribution": failure.distribution,
                "version": failure.version,
                "hooks": [],
                "status": f"failed to load: {failure.error}",
            }
        )
    return described


def _builtin_version(plugin: object) -> tuple[str, str]:
    from dvc_score import __version__

    if isinstance(plugin, ModuleType) and plugin.__name__.startswith("dvc_score."):
        return ("dvc-score (built-in)", __version__)
    return ("?", "?")
