"""schema.org JSON-LD: ClaimReview (and MediaReview) for claim pages, the publisher for the home page.

Everything here is built from the same model the pages are rendered from, so the structured
data says what the page says. `script()` is the only way JSON-LD reaches a page: it escapes
the JSON so that no contributor text can end the <script> element or open a comment.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from factcheck.render.format import MEDIA_AUTHENTICITY
from factcheck.render.text import plain_text

if TYPE_CHECKING:
    from factcheck.model.objects import Claim, Entity
    from factcheck.publish.publisher import Publisher
    from factcheck.settings import Settings

CONTEXT = "https://schema.org"

# Source types (content/sources front matter) -> schema.org types of the appearance.
APPEARANCE_TYPES = {
    "article": "NewsArticle",
    "video": "VideoObject",
    "post": "SocialMediaPosting",
    "report": "Report",
    "interview": "CreativeWork",
    "statement": "CreativeWork",
    "document": "DigitalDocument",
}
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class _Unusual(Exception):
    """A value the quick writer leaves to json.dumps: a key that is not text, a float that is not finite, another type."""


_encode_str = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.encode_basestring


def _indented(value: Any, out: list[str], indent: str) -> None:
    """Append value as json.dumps(value, ensure_ascii=False, indent=1) writes it, at this depth (its type tests, in its order)."""
    if isinstance(value, str):
        out.append(_encode_str(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float) and math.isfinite(value):
        out.append(float.__repr__(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = indent + " "
        first = True
        for item in value:
            out.append(("[" if first else ",") + inner)
            first = False
            _indented(item, out, inner)
        out.append(indent + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = indent + " "
        first = True
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            out.append(("{" if first else ",") + inner + _encode_str(key) + ": ")
            first = False
            _indented(item, out, inner)
        out.append(indent + "}")
    else:
        raise _Unusual


def dumps(data: Any) -> str:
    """json.dumps(data, ensure_ascii=False, indent=1), the same text a few times faster.

    The standard library's encoder is its pure-Python one whenever it indents; JSON-LD is
    written into every claim page, so it is written here, and json.dumps takes any value
    this does not expect (tests/test_fast_paths.py compares the two).
    """
    out: list[str] = []
    try:
        _indented(data, out, "\n")
    except _Unusual:
        return json.dumps(data, ensure_ascii=False, indent=1)
    return "".join(out)


def script(data: dict[str, Any]) -> Markup:
    """Return a <script type="application/ld+json"> element that no text inside can break out of."""
    text = dumps(data)
    for char, escaped in _ESCAPES.items():
        text = text.replace(char, escaped)
    # Safe: after the replacements the JSON holds no '<', '>' or '&', so it cannot end the
    # element, start a comment or form a character reference; it parses back to the same data.
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')  # noqa: S704


def organization(publisher: Publisher) -> dict[str, Any]:
    """The publisher as an author/publisher value (name and URL, as search engines want).

    A NewsMediaOrganization: the Organization type on which schema.org defines the policies
    the home page lists (verificationFactCheckingPolicy and the others).
    """
    org: dict[str, Any] = {"@type": "NewsMediaOrganization", "name": publisher.name, "url": publisher.url}
    if publisher.logo:
        org["logo"] = {"@type": "ImageObject", "url": publisher.logo}
    return org


def publisher_graph(settings: Settings, publisher: Publisher) -> dict[str, Any]:
    """Return the home page's NewsMediaOrganization and WebSite, with the publishing policy pages."""
    home = settings.address("index.md")
    org = {"@id": home + "#organization", **organization(publisher)}
    if publisher.same_as:
        org["sameAs"] = list(publisher.same_as)
    for prop, url in publisher.policies:
        org[prop] = url
    website = {
        "@type": "WebSite",
        "@id": home + "#website",
        "url": home,
        "name": settings.site_name,
        "inLanguage": settings.language,
        "publisher": {"@id": home + "#organization"},
    }
    if settings.site_description:
        website["description"] = settings.site_description
    return {"@context": CONTEXT, "@graph": [org, website]}


def _person_or_org(entity: Entity, settings: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {
        "@type": "Person" if entity.type == "person" else "Organization",
        "name": entity.name,
        "url": settings.address(entity.src_uri),
    }
    if entity.wikidata_url:
        out["sameAs"] = entity.wikidata_url
    return out


def appearance(claim: Claim, settings: Settings) -> dict[str, Any] | None:
    """Where the claim was made, as a schema.org CreativeWork (None if it has no URL at all)."""
    app = claim.appearance
    if app.source is not None:
        src = app.source
        url = src.url or settings.address(src.src_uri)
        work: dict[str, Any] = {
            "@type": APPEARANCE_TYPES.get(src.type or "", "CreativeWork"),
            "url": url,
            "headline": src.title,
        }
        if src.publisher:
            work["publisher"] = {"@type": "Organization", "name": src.publisher}
        if src.date:
            work["datePublished"] = src.date.isoformat()
        if src.archive_url:
            work["archivedAt"] = src.archive_url
        return work
    if app.url:
        work = {"@type": "CreativeWork", "url": app.url, "headline": app.title or app.url}
        if app.publisher:
            work["publisher"] = {"@type": "Organization", "name": app.publisher}
        if app.date:
            work["datePublished"] = app.date.isoformat()
        if app.archive_url:
            work["archivedAt"] = app.archive_url
        return work
    return None


def claim_url(claim: Claim, settings: Settings) -> str:
    return settings.address(claim.src_uri)


def claim_review(claim: Claim, settings: Settings, publisher: Publisher) -> dict[str, Any]:
    """Return the ClaimReview of a claim page."""
    url = claim_url(claim, settings)
    verdict = claim.verdict
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label, "name": verdict.label}
    if verdict.rating is not None:
        # A verdict off the numeric scale (unproven) carries its label and no number.
        rating.update(ratingValue=verdict.rating, bestRating=settings.best_rating, worstRating=settings.worst_rating)
    if verdict.definition:
        rating["ratingExplanation"] = verdict.definition
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": _person_or_org(claim.claimant, settings),
        "datePublished": claim.claim_date.isoformat(),
    }
    work = appearance(claim, settings)
    if work is not None:
        item["appearance"] = work
        item["firstAppearance"] = work
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "@id": url + "#claimreview",
        "url": url,
        "headline": claim.headline,
        "claimReviewed": claim.headline,
        "reviewBody": plain_text(claim.summary),
        "datePublished": claim.published.isoformat(),
        "dateModified": claim.last_changed.isoformat(),
        "inLanguage": settings.language,
        "author": organization(publisher),
        "publisher": organization(publisher),
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if claim.authors:
        review["creator"] = [{"@type": "Person", "name": name} for name in claim.authors]
    if claim.media is not None and claim.media.verified:
        review["associatedMediaReview"] = {"@id": url + "#mediareview"}
    return review


def media_review(claim: Claim, settings: Settings, publisher: Publisher) -> dict[str, Any] | None:
    """Return the MediaReview of a claim about a video or an image, linked to its ClaimReview.

    Only what was verified is published: an unverified video or image gets none, and the item's
    creator is who first published it (`media.publisher`), never the claimant who repeated it.
    """
    media = claim.media
    if media is None or not media.verified:
        return None
    url = claim_url(claim, settings)
    shown: dict[str, Any] = {
        "@type": "VideoObject" if media.type == "video" else "ImageObject",
        "contentUrl": media.url,
    }
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "MediaReview",
        "@id": url + "#mediareview",
        "url": url,
        "datePublished": claim.published.isoformat(),
        "dateModified": claim.last_changed.isoformat(),
        "author": organization(publisher),
        "mediaAuthenticityCategory": MEDIA_AUTHENTICITY[media.authenticity][0],
        "itemReviewed": {"@type": "MediaReviewItem", "mediaItemAppearance": [shown]},
        "associatedClaimReview": {"@id": url + "#claimreview"},
    }
    if media.publisher:
        review["itemReviewed"]["creator"] = {"@type": "Organization", "name": media.publisher}
    if media.original_url:
        review["originalMediaLink"] = media.original_url
    if media.original_context:
        review["originalMediaContextDescription"] = media.original_context
    return review
