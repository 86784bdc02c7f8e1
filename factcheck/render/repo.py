"""Links into the site's repository (edit, view the source, history), from MkDocs' `repo_url` and `edit_uri`.

`edit_uri` names the docs folder's edit address, relative to `repo_url` (or a full URL), as
MkDocs reads it for the hand-written pages: `edit/main/content/` on GitHub,
`-/edit/main/content/` on GitLab, `_edit/main/content/` on Gitea, Forgejo and Codeberg. A
file outside the docs folder (a claim in `claims/`) is reached from there with `../`. The view
and history links are the edit link with its host's word for them; on a host whose edit
address has none of these shapes only the edit link is given. No `repo_url`, no links.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

# MkDocs' own default for an unset edit_uri (config_options.EditURI), so generated pages and
# hand-written pages agree.
_MKDOCS_DEFAULT = {
    "github.com": "edit/master/docs/",
    "gitlab.com": "edit/master/docs/",
    "bitbucket.org": "src/default/docs/",
}

# The edit address's shape -> (view, history) on that host; the first that matches is used.
_SHAPES = (
    ("/-/edit/", "/-/blob/", "/-/commits/"),  # GitLab
    ("/_edit/", "/src/branch/", "/commits/branch/"),  # Gitea, Forgejo, Codeberg
    ("/edit/", "/blob/", "/commits/"),  # GitHub (GitLab redirects these too)
    ("/src/", "/src/", None),  # Bitbucket: MkDocs' edit link there is the view
)


def default_edit_uri(repo_url: str) -> str:
    """MkDocs' default edit_uri for a repository address ('' where MkDocs has none)."""
    return _MKDOCS_DEFAULT.get(urlsplit(repo_url).netloc.lower(), "")


@dataclass(frozen=True)
class RepoLinks:
    """Edit, view and history links for a file of the project, by its path from the project root."""

    docs_base: str  # the docs folder's edit address, ending in /
    docs_from_root: str  # the docs folder, relative to the project root ("content")
    # path -> edit address: a claim page asks for its file's three links, its edit link twice.
    _edits: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def make(cls, repo_url: str, edit_uri: str, root: Path, docs_dir: Path) -> RepoLinks | None:
        if not repo_url or not edit_uri:
            return None
        base = urljoin(repo_url.rstrip("/") + "/", edit_uri if edit_uri.endswith("/") else edit_uri + "/")
        try:
            docs = docs_dir.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            docs = posixpath.relpath(docs_dir.resolve().as_posix(), root.resolve().as_posix())
        return cls(base, docs)

    def edit(self, path: str) -> str:
        """The edit address of a file (path from the project root: claims/x.yaml)."""
        found = self._edits.get(path)
        if found is None:
            rel = posixpath.relpath(path, self.docs_from_root)
            found = self._edits[path] = urljoin(self.docs_base, quote(rel))
        return found

    def _swap(self, path: str, which: int) -> str | None:
        edit = self.edit(path)
        head = urlsplit(edit)._replace(path="", query="", fragment="").geturl()
        for shape in _SHAPES:
            found = edit.find(shape[0], len(head))
            if found >= 0:
                word = shape[which]
                if word is None:
                    return None
                return edit[:found] + word + edit[found + len(shape[0]) :]
        return None

    def view(self, path: str) -> str | None:
        """The address where the file's current text is shown, where the host's shape is known."""
        return self._swap(path, 1)

    def history(self, path: str) -> str | None:
        """The address of the file's change history, where the host's shape is known."""
        return self._swap(path, 2)
