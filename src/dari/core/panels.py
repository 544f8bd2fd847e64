"""Sections that later apps add to an earlier app's page, so imports keep going one way.

The registry's organization page cannot import agreements, programs or outcomes (they depend on
the registry, not the reverse). Instead each later app registers a panel provider in its
``AppConfig.ready``; the page asks the registry of panels for what to show.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


PanelProvider = Callable[..., Panel | None]


class PanelRegistry:
    def __init__(self) -> None:
        self._providers: list[tuple[int, PanelProvider]] = []

    def register(self, order: int) -> Callable[[PanelProvider], PanelProvider]:
        def decorator(provider: PanelProvider) -> PanelProvider:
            self._providers.append((order, provider))
            self._providers.sort(key=lambda item: item[0])
            return provider

        return decorator

    def panels_for(self, request, obj) -> list[Panel]:
        panels = [provider(request, obj) for _order, provider in self._providers]
        return [panel for panel in panels if panel is not None]


organization_panels = PanelRegistry()
program_panels = PanelRegistry()
# Sections of the signed-in user's profile page; the provider is called as ``provider(request, user)``.
profile_panels = PanelRegistry()
# Links beside a list (its exports, an import); the provider is called as ``provider(request, name)``
# with the list's name ("organizations", "outcomes"), and the page asks with ``{% list_panels name %}``.
list_panels = PanelRegistry()
