"""Load the site: discover the files, apply the rules, assemble the model, link it.

Problems are collected, never raised one at a time: a contributor with three mistakes
sees three errors in one run. The model is built only when there are none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factcheck.model.discover import Inputs, Report, discover
from factcheck.model.problems import CheckFailed, Problems
from factcheck.model.rules import apply_rules

if TYPE_CHECKING:
    from factcheck.model.objects import Site
    from factcheck.settings import Settings


def check(settings: Settings) -> tuple[Inputs, Problems]:
    """Read and check every input file; return what was read and every problem found (`build.py check`)."""
    problems = Problems()
    inputs = discover(settings, problems)
    apply_rules(inputs, settings, Report(problems))
    return inputs, problems


def load_site(settings: Settings, *, linked: bool = True) -> Site:
    """Check every input file, then assemble and link the model; raise CheckFailed with every problem.

    With linked=False no mentions are looked for and no git history is read.
    """
    from factcheck.model.assemble import assemble
    from factcheck.model.history import last_changed
    from factcheck.model.link import link

    inputs, problems = check(settings)
    if problems:
        raise CheckFailed(problems)
    history = last_changed(settings.root, "claims") if linked else {}
    entities, sources, claims = assemble(inputs, settings, history)
    return link(settings, entities, sources, claims, mentions=linked)
