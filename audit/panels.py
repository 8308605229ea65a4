"""Panels that apps above audit add to the audit page, so that audit imports none of them
(docs/architecture.md): reports adds the XLSX export from ReportsConfig.ready().

A panel is a callable (request) -> dict with a "template" key (included on the page with the
dict as `panel`) or None to show nothing. It runs a fixed number of queries.
"""

from collections.abc import Callable

Panel = Callable[[object], dict | None]

_panels: list[Panel] = []


def register(panel: Panel) -> Panel:
    if panel not in _panels:
        _panels.append(panel)
    return panel


def panels_for(request) -> list[dict]:
    return [shown for shown in (panel(request) for panel in _panels) if shown]
