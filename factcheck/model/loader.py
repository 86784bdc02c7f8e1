"""Load the site: discover the files, apply the rules, assemble the model, link it.

Problems are collected, never raised one at a time: a contributor with three mistakes
sees three errors in one run. The model is built only when there are none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factcheck.model.discover import Inputs, KeptFiles, Report, discover
from factcheck.model.problems import CheckFailed, Problems
from factcheck.model.rules import apply_rules

if TYPE_CHECKING:
    from factcheck.model.objects import Site
    from factcheck.settings import Settings


class Kept:
    """What one process (the preview) keeps between two loads of the same site.

    Parsed files (by stat), each claim's mentions (by its text and the entity names), git's log
    (by HEAD), and the model objects made from the very same parsed files and objects. Every
    rule across files runs on the whole site every time, and the model is put together again
    (which objects are shown, every index between them) from those objects.
    """

    def __init__(self) -> None:
        from factcheck.model.assemble import KeptModel
        from factcheck.model.history import KeptLog
        from factcheck.model.link import KeptMentions  # as load_site imports it: `check` needs no Markdown

        self.files = KeptFiles()
        self.mentions = KeptMentions()
        self.log = KeptLog()
        self.model = KeptModel()


def check(settings: Settings, kept: Kept | None = None) -> tuple[Inputs, Problems]:
    """Read and check every input file; return what was read and every problem found (`build.py check`)."""
    problems = Problems()
    inputs = discover(settings, problems, kept.files if kept is not None else None)
    apply_rules(inputs, settings, Report(problems))
    return inputs, problems


def load_site(settings: Settings, *, linked: bool = True, kept: Kept | None = None) -> Site:
    """Check every input file, then assemble and link the model; raise CheckFailed with every problem.

    With linked=False no mentions are looked for and no git history is read. With `kept` (a
    preview's), unchanged files and mentions come from what the last load kept.
    """
    from factcheck.model.assemble import assemble
    from factcheck.model.history import last_changed
    from factcheck.model.link import link

    inputs, problems = check(settings, kept)
    if problems:
        raise CheckFailed(problems)
    history = last_changed(settings.root, "claims", kept.log if kept is not None else None) if linked else {}
    entities, sources, claims = assemble(inputs, settings, history, kept.model if kept is not None else None)
    return link(settings, entities, sources, claims, mentions=linked, kept=kept.mentions if kept is not None else None)
