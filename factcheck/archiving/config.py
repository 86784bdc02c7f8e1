"""The settings of `archive` and `links`: `extra.factcheck.archive` and `extra.factcheck.links` in mkdocs.yml.

Read by the two commands, and by `check`, so that a mistake there is found on every pull
request rather than by the weekly run. Nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from factcheck.settings import SettingsError

DEFAULT_ENDPOINT = "https://web.archive.org"
_ARCHIVE_KEYS = ("endpoint", "captures_per_minute", "poll_seconds")


class ArchiveSettingError(SettingsError):
    """A value under extra.factcheck.archive that cannot be used (the message says what is allowed)."""


@dataclass(frozen=True)
class ArchiveConfig:
    endpoint: str = DEFAULT_ENDPOINT
    captures_per_minute: float = 6.0
    poll_seconds: float = 5.0


def archive_config(extra_factcheck: Mapping[str, Any]) -> ArchiveConfig:
    """Read `extra.factcheck.archive` of mkdocs.yml; raise ArchiveSettingError naming the fix."""
    where = "extra.factcheck.archive"
    raw = extra_factcheck.get("archive") if isinstance(extra_factcheck, Mapping) else None
    if raw is None:
        return ArchiveConfig()
    if not isinstance(raw, Mapping):
        raise ArchiveSettingError(f"mkdocs.yml: {where} must be a mapping with the keys {', '.join(_ARCHIVE_KEYS)}")
    for key in raw:
        if key not in _ARCHIVE_KEYS:
            raise ArchiveSettingError(f"mkdocs.yml: {where}.{key} is not a setting; use {', '.join(_ARCHIVE_KEYS)}")
    endpoint = raw.get("endpoint", DEFAULT_ENDPOINT)
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        raise ArchiveSettingError(f"mkdocs.yml: {where}.endpoint: {endpoint!r} is not allowed: give an http(s) address")
    numbers = {}
    for key, low, high in (("captures_per_minute", 1, 600), ("poll_seconds", 0, 600)):
        value = raw.get(key, getattr(ArchiveConfig, key))
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high
        if not ok and isinstance(value, str):
            try:
                value, ok = float(value), low <= float(value) <= high
            except ValueError:
                ok = False
        if not ok:
            raise ArchiveSettingError(
                f"mkdocs.yml: {where}.{key}: {value!r} is not allowed: give a number from {low} to {high}"
            )
        numbers[key] = float(value)
    return ArchiveConfig(endpoint.rstrip("/"), numbers["captures_per_minute"], numbers["poll_seconds"])


_LINKS_KEYS = ("timeout", "per_host", "retries", "workers")


class LinkSettingError(SettingsError):
    """A value under extra.factcheck.links that cannot be used."""


@dataclass(frozen=True)
class LinkConfig:
    timeout: float = 20.0  # seconds for each request
    per_host: int = 2  # requests at one time to one host
    retries: int = 2  # more tries after a timeout or a 5xx
    workers: int = 8  # requests at one time in all


def links_config(extra_factcheck: Mapping[str, Any]) -> LinkConfig:
    """Read `extra.factcheck.links` of mkdocs.yml; raise LinkSettingError naming the fix."""
    where = "extra.factcheck.links"
    raw = extra_factcheck.get("links") if isinstance(extra_factcheck, Mapping) else None
    if raw is None:
        return LinkConfig()
    if not isinstance(raw, Mapping):
        raise LinkSettingError(f"mkdocs.yml: {where} must be a mapping with the keys {', '.join(_LINKS_KEYS)}")
    values: dict[str, Any] = {}
    limits = {"timeout": (0.1, 300), "per_host": (1, 16), "retries": (0, 10), "workers": (1, 64)}
    for key, value in raw.items():
        if key not in limits:
            raise LinkSettingError(f"mkdocs.yml: {where}.{key} is not a setting; use {', '.join(_LINKS_KEYS)}")
        low, high = limits[key]
        whole = key != "timeout"
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high
        if whole and not isinstance(value, int):
            ok = False
        if not ok:
            kind = "a whole number" if whole else "a number of seconds"
            raise LinkSettingError(
                f"mkdocs.yml: {where}.{key}: {value!r} is not allowed: give {kind} from {low} to {high}"
            )
        values[key] = value
    return LinkConfig(**values)
