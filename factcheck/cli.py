"""Command line: check, build, serve, schema."""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import CheckFailed, display_path
from .settings import Settings, load_settings

if TYPE_CHECKING:
    from .model import Site

ROOT = Path(__file__).resolve().parent.parent


def _settings(args: argparse.Namespace, drafts: bool = False) -> Settings:
    return load_settings(Path(args.config).resolve(), include_drafts=drafts)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every claim, entity and source file; report all problems."""
    from . import pipeline

    settings = _settings(args)
    try:
        site = pipeline.check(settings)
    except CheckFailed as failed:
        _print_problems(failed)
        return 1
    drafts = "" if settings.include_drafts else " (drafts not counted)"
    print(f"OK: {len(site.claims)} claims, {len(site.entities)} entities, {len(site.sources)} sources{drafts}.")
    from .sourcing import report_sources  # warnings only, unless --strict-sources

    return report_sources(sorted(settings.claims_dir.glob("*.yaml")), settings.root, settings.extra,
                          strict=args.strict_sources, github=os.environ.get("GITHUB_ACTIONS") == "true")


def _print_problems(failed: CheckFailed) -> None:
    print(failed.report(), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in failed.problems.sorted():
            print(problem.github_annotation())


def cmd_build(args: argparse.Namespace) -> int:
    """Check, then build the site strictly into a temporary folder and swap it into place."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from . import pipeline

    if args.drafts:
        os.environ["FACTCHECK_DRAFTS"] = "1"
    settings = _settings(args, drafts=args.drafts)
    try:
        site = pipeline.load(settings)  # fail fast with the contributor-facing report
    except CheckFailed as failed:
        _print_problems(failed)
        print("Nothing was built; the previous site is unchanged.", file=sys.stderr)
        return 1
    # Reproducible output: whatever MkDocs dates by the clock (the sitemap's gzip header, pages
    # without a date in the data) is dated by the newest change in the data instead.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(_newest_change(site)))
    _setup_logging(args.verbose)
    site_dir = Path(args.site_dir or (settings.root / "site")).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(site_dir.parent)
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=site_dir.parent))
    try:
        config = load_config(str(Path(args.config).resolve()), strict=not args.no_strict, site_dir=str(staging))
        _build(config, args.jobs)
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"Build failed: {exc}\nThe previous site is unchanged.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except Exception as exc:  # a broken template or theme: report it, keep the old site
        shutil.rmtree(staging, ignore_errors=True)
        if args.verbose:
            traceback.print_exc()
        where = _template_location(exc)
        print(f"Build failed: {type(exc).__name__}: {exc}{where}\n"
              "The previous site is unchanged. Run with -v for details.", file=sys.stderr)
        return 1
    _swap_into_place(staging, site_dir)
    print(f"Built {site_dir}")
    return 0


_STAGING_PREFIX = ".site-building-"


def _build(config, jobs: int) -> None:  # noqa: ANN001 - a MkDocsConfig
    """Run MkDocs' build; with jobs=2, on two processes (factcheck/parallel.py)."""
    from mkdocs.commands.build import build

    from .parallel import QuietDirty

    if jobs < 2:
        os.environ.pop("FACTCHECK_PARALLEL", None)
        build(config)
        return
    os.environ["FACTCHECK_PARALLEL"] = "1"
    quiet = QuietDirty()
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(quiet)
    try:
        build(config, dirty=True)  # "dirty": each process skips the other's pages; staging is fresh
    finally:
        logger.removeFilter(quiet)
        os.environ.pop("FACTCHECK_PARALLEL", None)


def _newest_change(site: Site) -> int:
    """Return the newest date in the data as a Unix time (midnight UTC), or 0 for a site with no claims."""
    from .corrections import last_changed

    days = [last_changed(claim) for claim in site.claims]
    if not days:
        return 0
    return int(dt.datetime.combine(max(days), dt.time(), tzinfo=dt.UTC).timestamp())


def _template_location(exc: BaseException) -> str:
    """Return ' (file, line N)' for Jinja errors that carry a location, else ''."""
    name, line = getattr(exc, "filename", None) or getattr(exc, "name", None), getattr(exc, "lineno", None)
    return f" ({name}, line {line})" if name and line else ""


def _remove_stale_staging(folder: Path) -> None:
    """Delete staging folders left by builds that were killed (their process no longer exists)."""
    for path in folder.glob(f"{_STAGING_PREFIX}*"):
        pid = path.name[len(_STAGING_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap_into_place(new: Path, target: Path) -> None:
    """Replace target with new so that at every instant target is either the old or the new site."""
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old site
        return
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=target.parent))
        old.rmdir()
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


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
    os.environ["FACTCHECK_DRAFTS"] = "1"
    from mkdocs.commands.serve import serve

    _setup_logging(False)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    serve(config_file=str(Path(args.config).resolve()), dev_addr=args.dev_addr, livereload=True)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schemas of the file formats to schema/."""
    from .schema import write_schemas

    settings = _settings(args)
    target = settings.root / "schema"
    if args.check:  # compare with freshly generated schemas; change nothing
        with tempfile.TemporaryDirectory() as tmp:
            stale = [fresh.name for fresh in write_schemas(Path(tmp), settings.scale)
                     if not (target / fresh.name).is_file()
                     or (target / fresh.name).read_bytes() != fresh.read_bytes()]
        for name in stale:
            print(f"schema/{name} is out of date: run `python build.py schema` and commit it", file=sys.stderr)
        return 1 if stale else 0
    for path in write_schemas(target, settings.scale):
        print(path.relative_to(settings.root))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Create claims/<id>.yaml for a statement, with every field to fill in."""
    from .scaffold import NewClaim, ScaffoldError, create_claim, git_author_name, slugify

    settings = _settings(args)
    statement = " ".join(args.statement.split())
    if not statement:
        print("new: give the statement to check, in quotes: python build.py new \"...\"", file=sys.stderr)
        return 2
    new = NewClaim(
        statement=statement, claim_id=args.id or slugify(statement), claimant=args.claimant or "",
        source=args.source or "", verdict=args.verdict or "",
        author=args.author or git_author_name(settings.root) or "",
    )
    try:
        path = create_claim(settings.claims_dir, new, [v.key for v in settings.scale])
    except ScaffoldError as exc:
        print(f"new: {exc}", file=sys.stderr)
        return 1
    shown = display_path(path, Path.cwd())
    print(f"Created {shown} (a draft).\n"
          "Next steps:\n"
          f"  1. Fill in every empty field in {shown}; CONTRIBUTING.md explains each one.\n"
          "  2. python build.py check     lists what is still missing, with line numbers.\n"
          "  3. python build.py serve     previews it at http://127.0.0.1:8000 (drafts included).\n"
          "  4. Set `status: published`, commit, and open a pull request.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description="Check and build the fact-check site.")
    parser.add_argument("-f", "--config", default=str(ROOT / "mkdocs.yml"), help="path to mkdocs.yml")
    sub = parser.add_subparsers(dest="command")
    p_check = sub.add_parser("check", help="validate every claim, entity and source file")
    p_check.add_argument("--strict-sources", action="store_true",
                         help="fail on sourcing warnings (mirrors, thin or duplicated evidence, mangled URLs)")
    p_check.set_defaults(func=cmd_check)
    p_build = sub.add_parser("build", help="check, then build the site strictly (the default)")
    p_build.add_argument("--site-dir", help="output folder (default: site/)")
    p_build.add_argument("--drafts", action="store_true", help="include draft claims (for previews only)")
    p_build.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    p_build.add_argument("-j", "--jobs", type=int, choices=(1, 2), default=2,
                         help="processes that build pages (default 2; the output is the same)")
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
    parser.set_defaults(func=cmd_build, site_dir=None, drafts=False, no_strict=False, verbose=False, jobs=2)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("Interrupted; the previous site is unchanged.", file=sys.stderr)
        return 130
