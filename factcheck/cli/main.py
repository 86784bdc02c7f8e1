"""The command line, `factcheck` (and `python build.py` in this repository): init, check, build, serve, new, schema."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path

from factcheck import __version__
from factcheck.cli.init import add_init_arguments, cmd_init
from factcheck.model.problems import CheckFailed, display_path
from factcheck.settings import Settings, SettingsError, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(Path(args.config).resolve())


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every claim, entity and source file; report all problems."""
    from factcheck.model.loader import check

    settings = _settings(args)
    inputs, problems = check(settings)
    if problems:
        _print_problems(CheckFailed(problems))
        return 1
    published = sum(1 for claim in inputs.claims if claim.data.get("status") != "draft")
    print(
        f"OK: {published} claims, {len(inputs.entities)} entities, {len(inputs.sources)} sources (drafts not counted)."
    )
    from factcheck.model.sourcing import report_sources  # warnings only, unless --strict-sources

    return report_sources(
        [(claim.path, claim.text, claim.doc) for claim in inputs.claims],
        settings.extra,
        strict=args.strict_sources,
        github=os.environ.get("GITHUB_ACTIONS") == "true",  # CI's own variable: annotate the pull request
    )


def _print_problems(failed: CheckFailed, report: bool = True) -> None:
    if report:
        print(failed.report(), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":  # CI's own variable: annotate the pull request
        for problem in failed.problems.sorted():
            print(problem.github_annotation())


def cmd_build(args: argparse.Namespace) -> int:
    """Check, then build the site strictly into a staging folder and swap it into place."""
    from factcheck.engines.mkdocs.run import EngineFailed, build_site

    config_file = Path(args.config).resolve()
    site_dir = Path(args.site_dir or (config_file.parent / "site")).resolve()
    overrides = {}
    if args.site_url:
        overrides["site_url"] = args.site_url.rstrip("/") + "/"
    if args.repo_url:
        overrides["repo_url"] = args.repo_url.rstrip("/")
        overrides["repo_name"] = overrides["repo_url"].split("/", 3)[-1]
    _setup_logging(args.verbose)
    try:
        build_site(config_file, site_dir, strict=not args.no_strict, drafts=args.drafts, overrides=overrides)
    except EngineFailed as failed:
        if isinstance(failed.cause, CheckFailed):  # the problems were reported as the build's error
            _print_problems(failed.cause, report=False)
            print("Nothing was built; the previous site is unchanged.", file=sys.stderr)
        else:
            print(f"Build failed: {failed}\nThe previous site is unchanged.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a broken template or theme: report it, keep the old site
        if args.verbose:
            traceback.print_exc()
        where = _template_location(exc)
        print(
            f"Build failed: {type(exc).__name__}: {exc}{where}\n"
            "The previous site is unchanged. Run with -v for details.",
            file=sys.stderr,
        )
        return 1
    print(f"Built {site_dir}")
    return 0


def _template_location(exc: BaseException) -> str:
    """Return ' (file, line N)' for Jinja errors that carry a location, else ''."""
    name, line = getattr(exc, "filename", None) or getattr(exc, "name", None), getattr(exc, "lineno", None)
    return f" ({name}, line {line})" if name and line else ""


def _setup_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_factcheck", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._factcheck = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logger.propagate = False


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview the site with live reload, drafts included."""
    from factcheck.engines.mkdocs.run import serve_site

    _setup_logging(False)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    serve_site(Path(args.config).resolve(), args.dev_addr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schemas of the file formats, and the web editor's configuration, to schema/."""
    from factcheck.model.schema import write_schemas

    settings = _settings(args)
    target = settings.root / "schema"

    def write_all(folder: Path) -> list[Path]:
        written = write_schemas(folder, settings.scale)
        if settings.editor:  # the web editor's configuration, as the build writes it to /admin/config.yml
            from factcheck.editor.config import EDITOR_CONFIG_NAME, config_yaml

            path = folder / EDITOR_CONFIG_NAME
            text = config_yaml(settings)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            written.append(path)
        return written

    if args.check:  # compare with freshly generated schemas; change nothing
        with tempfile.TemporaryDirectory() as tmp:
            stale = [
                fresh.name
                for fresh in write_all(Path(tmp))
                if not (target / fresh.name).is_file() or (target / fresh.name).read_bytes() != fresh.read_bytes()
            ]
        for name in stale:
            print(f"schema/{name} is out of date: run `{args.run} schema` and commit it", file=sys.stderr)
        return 1 if stale else 0
    for path in write_all(target):
        print(path.relative_to(settings.root))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Create claims/<id>.yaml for a statement, with every field to fill in."""
    from factcheck.cli.scaffold import NewClaim, ScaffoldError, create_claim, git_author_name, slugify

    settings = _settings(args)
    statement = " ".join(args.statement.split())
    if not statement:
        print(f'new: give the statement to check, in quotes: {args.run} new "..."', file=sys.stderr)
        return 2
    new = NewClaim(
        statement=statement,
        claim_id=args.id or slugify(statement),
        claimant=args.claimant or "",
        source=args.source or "",
        verdict=args.verdict or "",
        author=args.author or git_author_name(settings.root) or "",
    )
    try:
        path = create_claim(settings.claims_dir, new, [v.key for v in settings.scale])
    except ScaffoldError as exc:
        print(f"new: {exc}", file=sys.stderr)
        return 1
    shown = display_path(path, Path.cwd())
    print(
        f"Created {shown} (a draft).\n"
        "Next steps:\n"
        f"  1. Fill in every empty field in {shown}; CONTRIBUTING.md explains each one.\n"
        f"  2. {args.run} check     lists what is still missing, with line numbers.\n"
        f"  3. {args.run} serve     previews it at http://127.0.0.1:8000 (drafts included).\n"
        "  4. Set `status: published`, commit, and open a pull request."
    )
    return 0


def main(argv: list[str] | None = None, *, prog: str = "factcheck", default_config: Path | None = None) -> int:
    """Run the command line; `default_config` is the mkdocs.yml used without -f (default: ./mkdocs.yml)."""
    parser = argparse.ArgumentParser(prog=prog, description="Check and build a fact-check microsite.")
    parser.add_argument(
        "-f", "--config", default=str(default_config or "mkdocs.yml"), help="path to mkdocs.yml (default: %(default)s)"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")
    p_init = sub.add_parser("init", help="start a new fact-check site in a folder")
    add_init_arguments(p_init)
    p_init.set_defaults(func=cmd_init)
    p_check = sub.add_parser("check", help="validate every claim, entity and source file")
    p_check.add_argument(
        "--strict-sources",
        action="store_true",
        help="fail on sourcing warnings (mirrors, thin or duplicated evidence, mangled URLs)",
    )
    p_check.set_defaults(func=cmd_check)
    p_build = sub.add_parser("build", help="check, then build the site strictly (the default)")
    p_build.add_argument("--site-dir", help="output folder (default: site/)")
    p_build.add_argument("--drafts", action="store_true", help="include draft claims (for previews only)")
    p_build.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    p_build.add_argument("--site-url", help="the published site's address (overrides site_url in mkdocs.yml)")
    p_build.add_argument("--repo-url", help="the repository's address (overrides repo_url in mkdocs.yml)")
    p_build.add_argument("-v", "--verbose", action="store_true")
    p_build.set_defaults(func=cmd_build)
    p_serve = sub.add_parser("serve", help="preview with live reload, drafts included")
    p_serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    p_serve.set_defaults(func=cmd_serve)
    p_schema = sub.add_parser("schema", help="write the JSON Schemas to schema/")
    p_schema.add_argument("--check", action="store_true", help="only report whether schema/ is up to date")
    p_schema.set_defaults(func=cmd_schema)
    p_new = sub.add_parser("new", help="create a claim file for a statement, ready to fill in")
    p_new.add_argument("statement", help="the claim to check, in quotes")
    p_new.add_argument("--id", help="file name and URL slug (default: made from the statement)")
    p_new.add_argument("--claimant", help="entity id of who made the claim")
    p_new.add_argument("--source", help="id of the source page where the claim was made")
    p_new.add_argument("--verdict", help="the rating, if already known")
    p_new.add_argument("--author", help="your name (default: git config user.name)")
    p_new.set_defaults(func=cmd_new)
    parser.set_defaults(
        func=cmd_build, site_dir=None, drafts=False, no_strict=False, verbose=False, site_url=None, repo_url=None
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    args.run = "python build.py" if prog == "build.py" else prog  # how messages name the command
    try:
        return int(args.func(args))
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; the previous site is unchanged.", file=sys.stderr)
        return 130
