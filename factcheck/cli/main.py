"""The command line, `factcheck` (and `python build.py` in this repository): init, check, build, serve, new, schema, archive, links."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

from factcheck import __version__
from factcheck.cli.init import add_init_arguments, cmd_init
from factcheck.engines.mkdocs.engine import EngineChoiceError
from factcheck.model.problems import CheckFailed, display_path
from factcheck.render.i18n import untranslated_notice
from factcheck.settings import Settings, SettingsError, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(Path(args.config).resolve())
    notice = untranslated_notice(settings.interface, settings.language)
    if notice and not getattr(args, "_told", False):
        print(notice, file=sys.stderr)
        args._told = True
    return settings


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every claim, entity and source file; report all problems."""
    from factcheck.model.loader import check

    settings = _settings(args)
    inputs, problems = check(settings)
    if problems:
        _print_problems(CheckFailed(problems))
        return 1
    from factcheck.archiving.config import ArchiveSettingError, LinkSettingError, archive_config, links_config

    try:  # read only by `archive` and `links`; checked here so that every pull request sees a mistake
        archive_config(settings.extra)
        links_config(settings.extra)
    except (ArchiveSettingError, LinkSettingError) as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    published = sum(1 for claim in inputs.claims if claim.data.get("status") != "draft")
    print(
        f"OK: {published} claims, {len(inputs.entities)} entities, {len(inputs.sources)} sources (drafts not counted)."
    )
    from factcheck.model.headlines import report_headlines  # warnings only, even with --strict-sources
    from factcheck.model.sourcing import report_sources  # warnings only, unless --strict-sources

    github = os.environ.get("GITHUB_ACTIONS") == "true"  # CI's own variable: annotate the pull request
    code = report_sources(
        [(claim.path, claim.text, claim.doc) for claim in inputs.claims],
        settings.extra,
        strict=args.strict_sources,
        github=github,
    )
    report_headlines(inputs.claims, github=github)
    return code


def _print_problems(failed: CheckFailed, report: bool = True) -> None:
    if report:
        print(failed.report(), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":  # CI's own variable: annotate the pull request
        for problem in failed.problems.sorted():
            print(problem.github_annotation())


def cmd_build(args: argparse.Namespace) -> int:
    """Check, then build the site strictly into a staging folder and swap it into place."""
    engine = _engine(args)
    from factcheck.engines.mkdocs.run import EngineFailed, build_site
    from factcheck.pipeline import site_dir_refusal
    from factcheck.publish.staging import overlap

    config_file = Path(args.config).resolve()
    settings = _settings(args)
    site_dir = Path(args.site_dir).resolve() if args.site_dir else settings.output_dir
    clash = overlap(site_dir, settings.root, settings.inputs())
    if clash:  # refused before anything is written (the build refuses it too: this names the option)
        setting, fix = (
            ("--site-dir", "--site-dir site") if args.site_dir else ("site_dir in mkdocs.yml", "site_dir: site")
        )
        raise SettingsError(site_dir_refusal(setting, site_dir, clash, fix))
    overrides = {}
    if args.site_url:
        overrides["site_url"] = args.site_url.rstrip("/") + "/"
    if args.repo_url:
        overrides["repo_url"] = args.repo_url.rstrip("/")
        overrides["repo_name"] = overrides["repo_url"].split("/", 3)[-1]
    _setup_logging(args.verbose, engine)
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


def _engine(args: argparse.Namespace) -> str:
    """Choose the engine before anything imports it (--engine; by default MkDocs, else ProperDocs)."""
    from factcheck.engines.mkdocs.engine import select

    return select(args.engine)


def _setup_logging(verbose: bool, engine: str = "mkdocs") -> None:
    if engine != "mkdocs":  # ProperDocs logs as properdocs.*: the adapter's mkdocs.* loggers go through it
        legacy = logging.getLogger("mkdocs")  # as under ProperDocs' own command (shown, and counted by strict)
        legacy.parent, legacy.propagate = logging.getLogger(engine), True
        legacy.setLevel(logging.NOTSET)
    logger = logging.getLogger(engine)
    if not any(getattr(h, "_factcheck", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._factcheck = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logger.propagate = False


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview the site, drafts included: rebuild on every change, show a failed build's problems on every page."""
    engine = _engine(args)
    from factcheck.cli.preview import Live, Preview, watched
    from factcheck.engines.mkdocs.live import build_live

    config_file = Path(args.config).resolve()
    settings = _settings(args)
    host, _, port = args.dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise SettingsError(f"--dev-addr: {args.dev_addr!r} is not allowed: give host:port, such as 127.0.0.1:8000")

    # The web editor at /admin/ saves into this checkout through a local backend, for the whole session.
    from factcheck.editor import start_local_backend

    editor = start_local_backend(settings) if settings.editor else None
    backend = editor.url if editor is not None else ""

    def build(site_dir: Path, site_url: str) -> Live:
        return build_live(
            config_file, site_dir, strict=True, drafts=True, overrides={"site_url": site_url}, editor_backend=backend
        )

    def inputs() -> list[Path]:
        try:
            return watched(load_settings(config_file), config_file)
        except SettingsError:  # a broken mkdocs.yml: keep watching what was watched
            return watched(settings, config_file)

    def data() -> list[Path]:  # what an update takes in without a full build: the fact-check files
        return [settings.claims_dir, settings.entities_dir, settings.sources_dir]

    _setup_logging(False, engine)
    try:
        preview = Preview(
            build,
            inputs,
            settings.root,
            host.strip("[]"),
            int(port),
            out=lambda line: print(line, flush=True),
            data=data,
        )
    except OSError as exc:
        print(f"serve: cannot listen on {args.dev_addr}: {exc.strerror}; choose another with -a", file=sys.stderr)
        return 1

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a stop asked by another program cleans up like Ctrl+C

    signal.signal(signal.SIGTERM, stop)
    try:
        preview.serve()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        if editor is not None:
            editor.stop()
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
        command=args.run,
        guide="CONTRIBUTING.md" if (settings.root / "CONTRIBUTING.md").is_file() else "schema/claim.schema.json",
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
        f"  1. Fill in every empty field in {shown}; {new.guide} explains each one.\n"
        f"  2. {args.run} check     lists what is still missing, with line numbers.\n"
        f"  3. {args.run} serve     previews it at http://127.0.0.1:8000 (drafts included).\n"
        "  4. Set `status: published`, commit, and open a pull request.\n"
        f"  5. {args.run} archive   saves a copy of every page you cite in the Internet Archive and adds its\n"
        "     archive_url; the scheduled workflow does it after merging."
    )
    return 0


def _checked_inputs(args: argparse.Namespace, command: str):  # type: ignore[no-untyped-def]
    """The site's files, read and checked; None (after printing the problems) when any has a problem."""
    from factcheck.model.loader import check

    settings = _settings(args)
    inputs, problems = check(settings)
    if problems:
        _print_problems(CheckFailed(problems))
        print(f"{command}: nothing was done; fix the problems above first (`{args.run} check`).", file=sys.stderr)
        return settings, None
    return settings, inputs


def cmd_archive(args: argparse.Namespace) -> int:
    """Request an archived copy of every cited page without one; write each archive_url line."""
    from factcheck.archiving.archive import run_archive
    from factcheck.archiving.config import archive_config
    from factcheck.archiving.spn import SavePageNow

    settings, inputs = _checked_inputs(args, "archive")
    if inputs is None:
        return 1
    config = archive_config(settings.extra)  # a bad setting is a SettingsError: main() reports it
    # The keys come from the environment only (a CI secret), never from a file in the repository.
    access, secret = os.environ.get("IA_ACCESS_KEY") or None, os.environ.get("IA_SECRET_KEY") or None
    if bool(access) != bool(secret):
        print("archive: set both IA_ACCESS_KEY and IA_SECRET_KEY, or neither (anonymous captures)", file=sys.stderr)
        return 2
    client = SavePageNow(config.endpoint, access, secret, poll_seconds=config.poll_seconds)
    if not args.dry_run:
        who = "with access keys" if client.authenticated else "anonymously (no IA_ACCESS_KEY/IA_SECRET_KEY)"
        print(f"Archiving at {config.endpoint}, {who}, at most {config.captures_per_minute:g} captures a minute.")
    outcome = run_archive(settings, inputs, client, config, dry_run=args.dry_run, out=sys.stdout)
    return outcome.exit_code


def cmd_links(args: argparse.Namespace) -> int:
    """Check every cited address; print a table, write a JSON report; --strict fails on dead pages without a copy."""
    from factcheck.archiving.config import links_config
    from factcheck.archiving.links import check_links, print_table, write_markdown
    from factcheck.archiving.links import write_report as write_links_report

    settings, inputs = _checked_inputs(args, "links")
    if inputs is None:
        return 1
    config = links_config(settings.extra)  # a bad setting is a SettingsError: main() reports it
    results = check_links(inputs, config)
    print_table(results, sys.stdout)
    if args.report:
        write_links_report(results, Path(args.report))
        print(f"Report written to {args.report}")
    if args.markdown:
        write_markdown(results, Path(args.markdown))
    if args.record:
        from factcheck.archiving.links import record_dead

        for line in record_dead(settings.root, results):
            print(line)
    unsaved = [r for r in results if r.dead and not r.archive_url]
    if unsaved:
        print(
            f"{len(unsaved)} dead page(s) without an archived copy"
            + ("; --strict makes that fail." if args.strict else "."),
            file=sys.stderr,
        )
    return 1 if args.strict and unsaved else 0


def main(argv: list[str] | None = None, *, prog: str = "factcheck", default_config: Path | None = None) -> int:
    """Run the command line; `default_config` is the mkdocs.yml used without -f (default: ./mkdocs.yml)."""
    parser = argparse.ArgumentParser(prog=prog, description="Check and build a fact-check microsite.")
    parser.add_argument(
        "-f", "--config", default=str(default_config or "mkdocs.yml"), help="path to mkdocs.yml (default: %(default)s)"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--engine",
        choices=("mkdocs", "properdocs"),
        help="the engine that builds and serves: MkDocs 1.6 or ProperDocs, its maintained fork (default: MkDocs if "
        "installed)",
    )
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
    p_build.add_argument("--site-dir", help="output folder (default: site_dir in mkdocs.yml, else site/)")
    p_build.add_argument("--drafts", action="store_true", help="include draft claims (for previews only)")
    p_build.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    p_build.add_argument("--site-url", help="the published site's address (overrides site_url in mkdocs.yml)")
    p_build.add_argument("--repo-url", help="the repository's address (overrides repo_url in mkdocs.yml)")
    p_build.add_argument("-v", "--verbose", action="store_true")
    p_build.set_defaults(func=cmd_build)
    p_serve = sub.add_parser("serve", help="preview with live reload, drafts included")
    p_serve.add_argument(
        "-a",
        "--dev-addr",
        default="127.0.0.1:8000",
        help="host:port to serve on (port 0: a free one) (default: %(default)s)",
    )
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
    p_archive = sub.add_parser("archive", help="request an archived copy of every cited page without one")
    p_archive.add_argument(
        "--dry-run", action="store_true", help="list what would be requested and written; change nothing"
    )
    p_archive.set_defaults(func=cmd_archive)
    p_links = sub.add_parser("links", help="check that every cited page still answers")
    p_links.add_argument("--report", metavar="FILE", help="write the results as JSON to FILE")
    p_links.add_argument(
        "--markdown", metavar="FILE", help="write the dead and redirected pages as Markdown (an issue's text)"
    )
    p_links.add_argument("--strict", action="store_true", help="exit 1 if a dead page has no archived copy")
    p_links.add_argument("--record", action="store_true", help="add `link_status: dead` where a dead page is cited")
    p_links.set_defaults(func=cmd_links)
    parser.set_defaults(
        func=cmd_build, site_dir=None, drafts=False, no_strict=False, verbose=False, site_url=None, repo_url=None
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    args.run = "python build.py" if prog == "build.py" else prog  # how messages name the command
    if sys.platform == "win32" and args.func is not cmd_init:
        print(
            f"{args.run}: Windows is not supported natively (the search indexer runs through /bin/sh and POSIX "
            "process groups): run it inside WSL, the Windows Subsystem for Linux (see CONTRIBUTING.md)",
            file=sys.stderr,
        )
        return 2
    try:
        return int(args.func(args))
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except EngineChoiceError as exc:
        print(f"Engine: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; the previous site is unchanged.", file=sys.stderr)
        return 130
