"""Load the site: discover the files, apply the rules, assemble the model, link it.

Problems are collected, never raised one at a time: a contributor with three mistakes
sees three errors in one run. The model is built only when there are none.
"""

from __future__ import annotations

from .assemble import assemble
from .discover import Report, discover
from .history import last_changed
from .link import link
from .model import Site
from .problems import CheckFailed, Problems
from .rules import apply_rules
from .settings import Settings


def check(settings: Settings) -> Problems:
    """Return every problem in the input files (empty when all is well)."""
    problems = Problems()
    inputs = discover(settings, problems)
    apply_rules(inputs, settings, Report(problems))
    return problems


def load_site(settings: Settings, *, linked: bool = True) -> Site:
    """Check every input file, then assemble and link the model; raise CheckFailed with every problem.

    With linked=False no mentions are looked for and no git history is read: what
    `build.py check` needs, in a fraction of the time.
    """
    problems = Problems()
    inputs = discover(settings, problems)
    apply_rules(inputs, settings, Report(problems))
    if problems:
        raise CheckFailed(problems)
    history = last_changed(settings.root, "claims") if linked else {}
    entities, sources, claims = assemble(inputs, settings, history)
    return link(settings, entities, sources, claims, mentions=linked)
