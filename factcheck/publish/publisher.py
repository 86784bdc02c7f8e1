"""Who publishes the site: `extra.factcheck.publisher` in mkdocs.yml, with defaults.

```yaml
extra:
  factcheck:
    publisher:
      name: Example Fact Check          # default: site_name
      url: https://example.org/         # default: site_url
      logo: assets/logo.png             # optional: a file under docs_dir, or a URL
      same_as: [https://github.com/example]     # optional: profiles elsewhere
      publishing_principles: methodology.md     # each: a page under docs_dir, or a URL
      corrections_policy: corrections-policy.md
      verification_policy: methodology.md
      ownership_funding: about.md
```

The four policy pages default to the names shown, when such a page exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from factcheck.render.format import absolute

if TYPE_CHECKING:
    from factcheck.settings import Settings

# Config key -> (schema.org property of the publishing NewsMediaOrganization, default page).
POLICY_PAGES = {
    "publishing_principles": ("publishingPrinciples", "methodology.md"),
    "corrections_policy": ("correctionsPolicy", "corrections-policy.md"),
    "verification_policy": ("verificationFactCheckingPolicy", "methodology.md"),
    "ownership_funding": ("ownershipFundingInfo", "about.md"),
}


@dataclass(frozen=True)
class Publisher:
    """The organisation behind the site, as machines see it."""

    name: str
    url: str
    logo: str | None
    same_as: tuple[str, ...]
    policies: tuple[tuple[str, str], ...]  # (schema.org property, absolute URL)


def _is_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def publisher_for(settings: Settings) -> Publisher:
    """Read the publisher from the settings, filling in defaults."""
    raw: dict[str, Any] = settings.extra.get("publisher") or {}
    if not isinstance(raw, dict):
        raw = {}
    policies = []
    for key, (prop, default) in POLICY_PAGES.items():
        value = raw.get(key)
        if value is None:
            value = default if (settings.docs_dir / default).is_file() else None
        if not value:
            continue
        value = str(value)
        policies.append((prop, value if _is_url(value) else settings.address(value)))
    logo = raw.get("logo")
    if logo:
        logo = str(logo) if _is_url(str(logo)) else absolute(settings.site_url, str(logo))
    same_as = raw.get("same_as") or []
    if isinstance(same_as, str):
        same_as = [same_as]
    return Publisher(
        name=settings.publisher_name,
        url=settings.publisher_url or absolute(settings.site_url, ""),
        logo=logo or None,
        same_as=tuple(str(s) for s in same_as),
        policies=tuple(policies),
    )
