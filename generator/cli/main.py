"""The command line: ``connectorsmith generate``, ``connectorsmith validate`` and ``connectorsmith templates export``.

Defaults come from the nearest ``[tool.connectorsmith]`` (``config.find_config``); template overrides
and their export are ``overrides``.

Exit codes: 0 ok; 1 invalid spec, stale output (``--check``), unsafe output or (with
``--fail-on-breaking``) a breaking change; 2 usage error.  Diagnostics go to stderr as
``path:line:column: error: message`` or ``path:line:column: warning[code]: message``; ``--ignore CODE``
silences a kind of warning, ``--targets`` chooses the outputs.
A spec whose output is current is skipped (``incremental``); several specs are
generated in worker processes (``--jobs``); ``--watch`` runs again, in this process,
whenever an input changes, with the memory of the runs before (``memory``).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .. import __version__
from ..diagnostics import CODES, Diagnostic, Severity, is_url, posix_path, shown_url
from ..pipeline import Result, connector_name, discover, generate, is_connector_folder
from ..render import targets as outputs
from ..reuse import incremental
from .config import Config, ConfigError, find_config
from .entry import tune_collector

if TYPE_CHECKING:
    from ..output.writer import Plan
    from ..reuse.memory import Memory

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_SPEC_DIR = Path("spec")
DEFAULT_OUT = Path("generated")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


_SPEC_HELP = "a spec file, a folder of specs, a Power Platform connector folder, or an http(s) URL (default: [tool.connectorsmith] specs, else every spec under spec/)"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="connectorsmith",
        description="Validate connector specs and generate clients and docs from them.",
        epilog="Defaults come from [tool.connectorsmith] in the nearest pyproject.toml (this folder or a parent, up to the repository root). "
        "Exit codes: 0 ok; 1 invalid spec, stale output (--check), unsafe output, (--fail-on-breaking) a breaking change or (--fail-on-change) a file written; 2 usage error.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"connectorsmith {__version__}", help="print connectorsmith's version and exit")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND", title="commands", help="what to do (COMMAND -h: its options)")
    gen = commands.add_parser(
        "generate",
        help="generate the client, docs and exports of each spec (default: every spec under spec/)",
        description="Validate each spec and write its Python client, Markdown reference page and exports into OUT/<name>/ "
        "(only files whose bytes change are written; files connectorsmith did not write are never replaced).",
    )
    gen.add_argument("specs", nargs="*", type=_spec_argument, metavar="SPEC", help=_SPEC_HELP)
    gen.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: [tool.connectorsmith] out, else generated/)")
    gen.add_argument("--check", action="store_true", help="write nothing; exit 1 with a diff if the output is stale")
    gen.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="a breaking change for code that uses the package is an error: exit 1, nothing written (--check too; default: [tool.connectorsmith] fail-on)",
    )
    gen.add_argument(
        "--fail-on-change",
        action="store_true",
        help="exit 1 when the run wrote or removed a file (it still writes them): a pre-commit hook then stops the commit, new files included",
    )
    gen.add_argument(
        "--watch",
        action="store_true",
        help="keep running: regenerate a spec when it (or --templates, or the configuration) changes; Ctrl-C stops",
    )
    val = commands.add_parser(
        "validate",
        help="report every problem of each spec; write nothing",
        description="Check each spec as generate would, report every problem of every kind at once, and write nothing.",
    )
    val.add_argument("specs", nargs="*", type=_spec_argument, metavar="SPEC", help=_SPEC_HELP)
    for sub in (gen, val):
        sub.add_argument("-v", "--verbose", action="store_true", help="say which configuration is used; generate: name every file changed or removed")
        sub.add_argument("--templates", type=Path, metavar="DIR", help="a folder whose files override the built-in templates of the same relative path (see: connectorsmith templates export)")
        sub.add_argument(
            "--ref-root", type=Path, metavar="DIR", help="the folder references to other files may reach (default: [tool.connectorsmith] ref-root, else each spec's own folder)"
        )
        sub.add_argument("--package-name", metavar="NAME", help="the Python package's name (one SPEC only; default: from the spec's name)")
        sub.add_argument("-j", "--jobs", type=_jobs, default=os.cpu_count() or 1, metavar="N", help="specs generated at once, in worker processes; 1 or more (default: every core)")
        sub.add_argument(
            "--lenient",
            action="store_true",
            help="read spec files as real-world input: repairable problems are warnings (always on for connector folders)",
        )
        sub.add_argument("--strict", action="store_true", help="every warning is an error: exit 1 and write nothing (for spec authors and CI)")
        sub.add_argument(
            "--ignore",
            type=_codes,
            action="extend",
            default=[],
            metavar="CODE",
            help="neither print nor count warnings of CODE (repeatable, or comma-separated; added to [tool.connectorsmith] ignore; see docs/warnings.md)",
        )
        sub.add_argument(
            "--targets",
            type=_targets,
            default=None,
            metavar="LIST",
            help=f"the outputs to make, comma-separated: {', '.join(outputs.NAMES)} (default: [tool.connectorsmith] targets, else every one for a "
            "Power Platform folder or a document with x-ms-* or x-connector-* keys, and all but powerplatform for a plain OpenAPI document)",
        )
    templates = commands.add_parser(
        "templates",
        help="the built-in templates, to override: templates export DIR",
        description="The Jinja2 templates connectorsmith renders with; a --templates folder overrides them file by file.",
    )
    actions = templates.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar="ACTION", title="actions", help="what to do with them")
    export = actions.add_parser(
        "export",
        help="copy every built-in template into DIR, to start overrides from",
        description="Copy every built-in template into DIR (made if missing). Files already there are never replaced: a DIR holding "
        "anything but identical copies is refused and nothing is written. Edit the ones to change, delete the others "
        "(an override is used even after an upgrade of connectorsmith changes the built-in one), and pass --templates DIR.",
    )
    export.add_argument("dir", type=Path, metavar="DIR", help="the folder to write the templates into: new, empty, or holding identical copies only")
    return parser


def _jobs(text: str) -> int:
    """-j N: a number of worker processes, 1 or more."""
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; give the number of worker processes (1 or more)") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{jobs} worker processes cannot generate anything; give 1 or more (default: every core)")
    return jobs


def _codes(text: str) -> list[str]:
    """--ignore CODE[,CODE...]: warning codes."""
    codes = [code.strip() for code in text.split(",") if code.strip()]
    unknown = [code for code in codes if code not in CODES]
    if unknown or not codes:
        raise argparse.ArgumentTypeError(f"unknown warning code{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown)) or repr(text)} (known: {', '.join(CODES)})")
    return codes


def _targets(text: str) -> outputs.Targets:
    """--targets python,docs: the outputs to make."""
    try:
        return outputs.parse(text.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _spec_argument(text: str) -> Path | str:
    """A SPEC of the command line: an http(s) URL stays text (a Path would fold its '//'), anything else is a path."""
    if is_url(text):
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 - it raises ValueError when out of range
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{text!r} is not a URL ({exc})") from None
        if not parts.hostname:
            raise argparse.ArgumentTypeError(f"{text!r} names no host")
        return text
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
        raise argparse.ArgumentTypeError(f"{text.partition('://')[0]}:// is not fetched: give an http:// or https:// URL, or a file")
    return Path(text)


def _shown(spec: Path | str) -> str:
    """A SPEC as the command line prints it: a URL without its user name and password."""
    return shown_url(spec) if isinstance(spec, str) else spec.as_posix()


def _specs(paths: list[Path | str], config: Config) -> list[Path | str]:
    """The specs of a run: those given, else the configuration's, else every spec under spec/ (of the
    configuration's folder when there is one, else of the working folder)."""
    paths = paths or list(config.specs)
    if paths:
        found: list[Path | str] = []
        for path in paths:
            found += discover(path) if isinstance(path, Path) and path.is_dir() and not is_connector_folder(path) else [path]
        return found
    folder = config.root / DEFAULT_SPEC_DIR
    if not folder.is_dir():
        if config.source is not None:
            raise _UsageError(f"no SPEC given, no specs in {config.source.as_posix()} [tool.connectorsmith] and no {folder.as_posix()}/ folder; name the specs or set specs")
        raise _UsageError("no SPEC given and no spec/ folder here; run from the project root, name the specs, or set specs in [tool.connectorsmith]")
    specs: list[Path | str] = [*discover(folder)]
    if not specs:
        raise _UsageError(f"no specs (*.yaml, *.yml, *.json) under {folder.as_posix()}/")
    return specs


class _UsageError(Exception):
    pass


def _heeded(result: Result, ignore: frozenset[str]) -> list[Diagnostic]:
    """The diagnostics of ``result`` that are printed and counted: all but warnings of an ignored code."""
    return [d for d in result.diagnostics if not (d.severity is Severity.WARNING and d.code in ignore)]


def _report(results: list[Result], strict: bool = False, ignore: frozenset[str] = frozenset()) -> bool:
    """Print the diagnostics of ``results`` (but ignored warnings); whether none is an error. The results
    keep every diagnostic: the incremental cache remembers them all, for runs that ignore others."""
    ok = True
    for result in results:
        shown = _heeded(result, ignore)
        if strict:  # warnings are errors: the spec's author wants none
            shown = [d._replace(severity=Severity.ERROR) for d in shown]
        for diagnostic in shown:
            print(diagnostic.render(), file=sys.stderr)
        errors = sum(d.severity is Severity.ERROR for d in shown)
        if errors:
            ok = False
            print(f"{_shown(result.spec)}: {errors} error{'s' if errors != 1 else ''}; nothing written", file=sys.stderr)
    return ok


def _generate_all(
    jobs: list[tuple[Path | str, str | None]], args: argparse.Namespace, templates: Path | None, memory: Memory | None, targets: outputs.Targets | None
) -> Iterator[Result]:
    """Each spec generated, as it finishes: in worker processes (--jobs, default every core) when there
    are several (``memory``, of this process, is then not used)."""
    workers = min(args.jobs, len(jobs))
    if workers <= 1:
        for spec, package in jobs:
            yield generate(spec, lenient=args.lenient, package=package, templates=templates, memory=memory, ref_root=args.ref_root, targets=targets)
        return
    import concurrent.futures  # here: a run of one spec, or a no-op run, never pays for these imports
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no state of this one is shared
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context, initializer=tune_collector) as pool:
        futures = [
            pool.submit(generate, spec, lenient=args.lenient, package=package, templates=templates, ref_root=args.ref_root, targets=targets) for spec, package in jobs
        ]
        for future in concurrent.futures.as_completed(futures):
            yield future.result()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "templates":
        return _export_templates(args.dir)
    if getattr(args, "watch", False):
        if args.check:
            print("connectorsmith: error: --watch writes as files change; it cannot be combined with --check", file=sys.stderr)
            return EXIT_USAGE
        return _watch(args)
    return _run(args)


def _export_templates(folder: Path) -> int:
    from ..render.overrides import ExportError, export

    try:
        written, identical = export(folder)
    except ExportError as exc:
        print(f"connectorsmith: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"connectorsmith: error: cannot write {posix_path(exc.filename or folder)}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    for rel in written:
        print(f"  wrote   {(folder / rel).as_posix()}")
    kept = f", {_count(len(identical), 'identical template')} already there" if identical else ""
    print(f"{folder.as_posix()}: {_count(len(written), 'template')} written{kept}")
    print(f"edit the ones to change, delete the others, then: connectorsmith generate --templates {folder.as_posix()}")
    return EXIT_OK


#: A pass of --watch runs with every object older than it frozen (gc.freeze): the collections its own
#: allocations trigger look at its objects only, not at the memory the passes before it left (on
#: Stripe, full collections over that memory were ~45 ms of a ~640 ms pass). What a pass drops of
#: that memory and only a collection can free (a cycle) is freed by a full collection after every
#: this many passes.
_FULL_COLLECTION = 8


def _watch(args: argparse.Namespace) -> int:
    """Generate, then again whenever a watched input changes, until interrupted.

    Watched: the spec files (and connector folders' files), the folders they were found in (a spec
    added or removed), the files the specs refer to (as of the last pass), --templates and the
    pyproject.toml that configures the run; polled every
    quarter second, and a change acted on once two polls find the same (a file being written is not
    read half-written). A pass is an ordinary run in this process, given the ``Memory`` of the passes
    before (memory.py): imports, compiled templates, and the work done on what did not change are
    reused. A pass that fails says why and the watch goes on; Ctrl-C stops it once the pass under
    way is done. connectorsmith's own code is the code it started with.
    """
    import signal
    import time

    from ..reuse.memory import Memory

    # Ctrl-C (SIGINT) asks to stop, and the watch stops between passes: a KeyboardInterrupt raised
    # wherever the interpreter happens to be can land where it is swallowed (a finalizer).
    stop: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: stop.append(number))
    try:
        memory = Memory()
        code = _run(args, memory)
        if code == EXIT_USAGE:
            return code
        before = _watched(args)
        print("watching for changes (Ctrl-C stops)", flush=True)
        settling: dict[str, tuple[int, int]] | None = None
        passes = 0
        while not stop:
            time.sleep(0.25)
            now = _watched(args)
            if now == before or now != settling:
                settling = None if now == before else now  # changed since the last poll: wait until it settles
                continue
            before, settling = now, None
            gc.freeze()  # see _FULL_COLLECTION
            try:
                _run(args, memory)
            finally:
                gc.unfreeze()
            passes += 1
            if passes % _FULL_COLLECTION == 0:
                gc.collect()
            sys.stdout.flush()
        return EXIT_OK
    finally:
        signal.signal(signal.SIGINT, previous)


def _watched(args: argparse.Namespace) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every input a run reads, by path."""
    try:
        config = find_config(Path.cwd())
        specs = args.specs or config.specs or [config.root / DEFAULT_SPEC_DIR]
        roots = [*(s for s in specs if isinstance(s, Path)), config.source or Path("pyproject.toml")]  # a URL is not polled
        templates = args.templates or config.templates
    except ConfigError:
        roots, templates = [Path("pyproject.toml")], args.templates
    if templates is not None:
        roots.append(templates)
    roots += getattr(args, "inputs", [])  # the files the last run's specs referred to (bundle.py)
    found: dict[str, tuple[int, int]] = {}
    for root in roots:
        paths = [root, *root.rglob("*")] if root.is_dir() else [root]
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def _run(args: argparse.Namespace, memory: Memory | None = None) -> int:
    """One run of the command: every spec generated (or validated), written, summarized; ``memory``:
    what earlier runs of this process kept (--watch)."""
    try:
        config = find_config(Path.cwd())
        if args.verbose:
            print(_configuration(config))
        specs = _specs(list(args.specs), config)
        templates = args.templates or config.templates
        args.ref_root = args.ref_root or config.ref_root
        targets = args.targets if args.targets is not None else config.targets  # None: each spec's default
        ignore = frozenset(args.ignore) | config.ignore
        fail_on_breaking = getattr(args, "fail_on_breaking", False) or config.fail_on_breaking
        if templates is not None and not templates.is_dir():
            raise _UsageError(f"templates folder {templates.as_posix()} does not exist")
        if templates is not None:
            from ..render.overrides import unknown

            strays = unknown(templates)
            if strays:
                raise _UsageError(strays)
        if args.package_name and len(specs) != 1:
            raise _UsageError("--package-name names the package of one spec; give exactly one SPEC (or use package-names in [tool.connectorsmith])")
    except (_UsageError, ConfigError) as exc:
        print(f"connectorsmith: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "generate":
        args.out = args.out or config.out or config.root / DEFAULT_OUT
    if memory is not None:
        memory.next_run()
    missing = [s for s in specs if isinstance(s, Path) and not (s.is_file() or is_connector_folder(s))]
    if missing:
        print(f"connectorsmith: error: no such spec file: {_shown(missing[0])}", file=sys.stderr)
        return EXIT_USAGE
    names: dict[str, Path | str] = {}
    for spec in specs:
        name = connector_name(spec)
        if name in names:
            print(f"connectorsmith: error: {_shown(spec)} and {_shown(names[name])} would both generate {name}/", file=sys.stderr)
            return EXIT_USAGE
        names[name] = spec
    fingerprints: dict[Path | str, str] = {}
    skipped: dict[str, int] = {}  # connector name -> files it has, all current
    done: dict[Path | str, Result] = {}
    jobs: list[tuple[Path | str, str | None]] = []
    for name, spec in names.items():
        package = args.package_name or config.package_names.get(name)
        current = None
        if args.command == "generate" and isinstance(spec, Path):  # a URL is fetched and generated every time
            fingerprints[spec] = incremental.fingerprint(spec, lenient=args.lenient, package=package, templates=templates, ref_root=args.ref_root, targets=targets)
            current = incremental.unchanged(args.out, name, fingerprints[spec])
        if current is not None:  # what this run would write is there, byte for byte: not generated again
            done[spec] = Result(spec, name, diagnostics=current[0])
            done[spec].inputs = ((str(spec), ""), *current[2])
            skipped[name] = current[1]
        else:
            jobs.append((spec, package))
    progress = sys.stderr.isatty() and len(jobs) > 1
    for index, result in enumerate(_generate_all(jobs, args, templates, memory, targets), 1):
        done[result.spec] = result
        if progress:
            print(f"\r\x1b[K[{index}/{len(jobs)}] {result.name}", end="", file=sys.stderr, flush=True)
    results = [done[spec] for spec in specs]
    args.inputs = [Path(location) for r in results for location, _ in r.inputs[1:] if not is_url(location)]  # for --watch
    if progress:
        print("\r\x1b[K", end="", file=sys.stderr, flush=True)
    if not _report(results, args.strict or config.strict, ignore):
        return EXIT_FAILED
    if args.command == "validate":
        for result in results:
            print(f"{_shown(result.spec)}: ok ({len(result.connector.operations) if result.connector else 0} operations)")
        return EXIT_OK
    if len(skipped) == len(results):  # every output is current, byte for byte: nothing to plan or lock
        if args.check:
            print(f"{args.out.as_posix()}: up to date")
        else:
            _summary(results, skipped, None, args, ignore)
        return EXIT_OK
    from ..output.writer import (  # stage 5: here, as the stages are imported by generate()
        WriteError,
        locked,
        plan,
        write,
    )

    try:
        if not args.check and args.out.exists() and not args.out.is_dir():
            raise WriteError(f"refusing to write into {args.out.as_posix()}: it is a file, not a folder")
        if not args.check:
            args.out.mkdir(parents=True, exist_ok=True)
        with locked(args.out, exclusive=not args.check):
            # The public API of the Python package, kept in the manifest to tell breaking changes (no package, no API).
            apis = {r.name: r.api for r in results if r.api is not None}
            sources = {r.name: {location: digest for location, digest in r.inputs if is_url(location)} for r in results if is_url(r.spec)}
            todo = plan(args.out, {r.name: r.files for r in results if r.name not in skipped}, apis, sources)
            if "url-changed" not in ignore:
                for url in todo.refetched:
                    print(f"connectorsmith: warning[url-changed]: {url} changed since the last run", file=sys.stderr)
            if fail_on_breaking and todo.breaking:  # fail-on = ["breaking"]: an error, never ignored
                for change in todo.breaking:
                    print(f"connectorsmith: error[breaking-change]: breaking change for code that uses the package: {change}", file=sys.stderr)
                print(f"connectorsmith: {_count(len(todo.breaking), 'breaking change')} (fail-on breaking); nothing written", file=sys.stderr)
                return EXIT_FAILED
            if "breaking-change" not in ignore:
                for change in todo.breaking:
                    print(f"connectorsmith: warning[breaking-change]: breaking change for code that uses the package: {change}", file=sys.stderr)
            if "edited-by-hand" not in ignore:
                for rel in todo.reverted:
                    what = "would replace" if args.check else "replaces"
                    print(f"connectorsmith: warning[edited-by-hand]: {(args.out / rel).as_posix()} was edited by hand; this run {what} it", file=sys.stderr)
                for rel in todo.removed_edited:
                    what = "would remove" if args.check else "removes"
                    print(f"connectorsmith: warning[edited-by-hand]: {(args.out / rel).as_posix()} was edited by hand; this run {what} it", file=sys.stderr)
            if "target-dropped" not in ignore:
                for line in _dropped(results, todo.removes, args.out):
                    print(f"connectorsmith: warning[target-dropped]: {line}", file=sys.stderr)
            if args.check:
                if todo.clean:
                    print(f"{args.out.as_posix()}: up to date")
                    return EXIT_OK
                sys.stdout.write(todo.diff())
                print(f"{args.out.as_posix()} is stale: run 'connectorsmith generate' (or 'make generate')", file=sys.stderr)
                return EXIT_FAILED
            write(todo)
    except WriteError as exc:
        print(f"connectorsmith: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:  # reading what is there, or making the folder
        print(f"connectorsmith: error: cannot use {posix_path(exc.filename or args.out)}: {exc.strerror or exc}; nothing was changed", file=sys.stderr)
        return EXIT_FAILED
    for result in results:
        if result.name in skipped:
            continue
        manifest = todo.manifests.get(PurePosixPath(result.name))
        if manifest is not None and result.spec in fingerprints:
            incremental.remember(args.out, result.name, fingerprints[result.spec], manifest, result.diagnostics, result.inputs[1:])
    _summary(results, skipped, todo, args, ignore)
    if getattr(args, "fail_on_change", False) and (todo.writes or todo.removes):
        print(f"connectorsmith: {_count(len(todo.writes) + len(todo.removes), 'file')} written or removed (--fail-on-change)", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _dropped(results: list[Result], removes: list[PurePosixPath], out: Path) -> list[str]:
    """A line per output of a connector whose target the last run made and this one does not: its files,
    all generated, are removed (``removes``); the manifest tells them, not the folder's contents."""
    from ..render.renderer import target_of

    made = {r.name: r.targets for r in results}
    counts: dict[tuple[str, str, outputs.Target], int] = {}
    for rel in removes:
        target = target_of(rel)
        if target is not None and rel.parts[0] in made and target not in made[rel.parts[0]]:
            key = (rel.parts[0], rel.parts[1], target)
            counts[key] = counts.get(key, 0) + 1
    return [
        f"{(out / name / part).as_posix()}: {_count(n, 'file')} removed: the {target.value} target is not among this run's targets"
        for (name, part, target), n in sorted(counts.items(), key=lambda item: item[0][:2])
    ]


def _configuration(config: Config) -> str:
    """What -v says of the configuration a run uses."""
    if config.source is None:
        return "configuration: none (no [tool.connectorsmith] in a pyproject.toml here or in a parent folder up to the repository root)"
    return f"configuration: [tool.connectorsmith] of {config.source.as_posix()}"


def _summary(results: list[Result], skipped: dict[str, int], todo: Plan | None, args: argparse.Namespace, ignore: frozenset[str] = frozenset()) -> None:
    """A line per spec (files changed, unchanged, warnings; with -v, each file), then the total."""
    for result in results:
        written, removed, unchanged = todo.summary(result.name) if todo and result.name not in skipped else ([], [], skipped[result.name])
        warnings = sum(d.severity is Severity.WARNING for d in _heeded(result, ignore))
        print(f"{result.name}: {_count(len(written) + len(removed), 'file')} changed, {unchanged} unchanged, {_count(warnings, 'warning')}")
        if args.verbose:
            for rel in written:
                print(f"  wrote   {(args.out / rel).as_posix()}")
            for rel in removed:
                print(f"  removed {(args.out / rel).as_posix()}")
    changed = len(todo.writes) + len(todo.removes) if todo else 0
    print(f"{args.out.as_posix()}: {_count(changed, 'file')} changed, {(len(todo.unchanged) if todo else 0) + sum(skipped.values())} unchanged")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
