"""`tracuu serve`: waitress in this process or pre-forked, run so that idle or slow clients
cannot lock everyone out.

waitress reads requests asynchronously (threads only run the app), so what idle connections
exhaust is its connection limit: by default 100 connections, idle ones closed after 120 s,
checked every 30 s — 105 idle sockets stopped a single process answering anyone for two
minutes. Here the limit follows the open-file limit (raised to its hard limit, up to
MAX_CONNECTIONS), an idle connection is closed after IDLE_TIMEOUT_S, checked every second,
and poll() replaces select(), which cannot watch descriptors above 1024.

A client that keeps sending a byte now and then is not idle; on a public network put a
buffering proxy (nginx, Caddy) in front, as the README says.
"""

from __future__ import annotations

from pathlib import Path

from tracuu import pipeline
from tracuu.cli_support import UserError, open_index, say

MAX_CONNECTIONS = 4096
IDLE_TIMEOUT_S = 10  # a keep-alive client simply reconnects after this
RESERVED_FDS = 256  # index segments, SQLite, logs: never given to connections
FALLBACK_FDS = 1024


def waitress_options(threads: int) -> dict:
    """Keyword arguments for waitress.serve / waitress.create_server."""
    return {
        "threads": threads,
        "ident": "tracuu",
        "connection_limit": connection_limit(),
        "channel_timeout": IDLE_TIMEOUT_S,
        "cleanup_interval": 1,
        "asyncore_use_poll": True,
    }


def connection_limit() -> int:
    """As many connections as this process may open files for, keeping RESERVED_FDS."""
    return max(100, min(MAX_CONNECTIONS, _raise_open_file_limit() - RESERVED_FDS))


def _raise_open_file_limit() -> int:
    """The soft RLIMIT_NOFILE, first raised towards the hard one (no privilege needed)."""
    try:
        import resource
    except ImportError:  # not POSIX
        return FALLBACK_FDS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_CONNECTIONS + RESERVED_FDS
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft if soft != resource.RLIM_INFINITY else wanted


# -- `tracuu serve` (and the demo's serving) -------------------------------------------
def cmd_serve(args) -> int:
    from indexer import open_engine

    return serve(
        args.data_dir,
        args.host,
        args.port,
        threads=args.threads,
        workers=args.workers,
        open_engine=open_engine,
    )


def serve(
    data_dir: Path, host: str, port: int, *, threads: int = 8, workers: int = 1, open_engine=None
) -> int:
    """Serve with waitress: in this process (workers=1), or pre-forked (tracuu.prefork).
    workers=0 means one per CPU core."""
    from tracuu import prefork

    if workers == 0:
        workers = prefork.cpu_count()
    if workers > 1 and not prefork.can_fork():
        say("Lưu ý: hệ điều hành này không hỗ trợ fork: chỉ chạy 1 tiến trình phục vụ.")
        workers = 1
    if workers == 1:
        import waitress

        app = _app(data_dir, open_engine)
        say(f"tracuu đang phục vụ tại http://{host}:{port}  (Ctrl+C để dừng)")
        waitress.serve(app, host=host, port=port, **waitress_options(threads))
        return 0
    return _serve_prefork(data_dir, host, port, threads, workers, open_engine)


def _app(data_dir: Path, open_engine):
    from search_app.app import create_app

    engine = open_index(data_dir, open_engine) if open_engine else None
    config = {"DATA_DIR": str(data_dir), "ENGINE": engine, **pipeline.archive_views(data_dir)}
    return create_app(config)


def _check_index(data_dir: Path, open_engine) -> None:
    """Fail before forking, with the engine's own message, when the index cannot be used.

    Only a broken index is opened here: opening a healthy one would start the engine's
    threads (Whoosh's warm-up, tantivy's pools) in the parent, and a process with threads
    must not fork. A worker that still fails to open it is handled by the supervisor."""
    from indexer import index_status

    _index_dir, problem = index_status(data_dir)
    if problem:
        open_index(data_dir, open_engine).close()  # raises UserError unless fixed meanwhile


def _serve_prefork(data_dir: Path, host: str, port: int, threads: int, workers: int, open_engine):
    from tracuu import prefork

    if open_engine:
        _check_index(data_dir, open_engine)
    # Imported once here, so the workers share these modules' memory copy-on-write.
    import waitress  # noqa: F401

    from search_app import app  # noqa: F401

    try:
        sock = prefork.bind(host, port)
    except OSError as exc:
        raise UserError(f"không mở được cổng {port} trên {host}: {exc.strerror}") from None
    with sock:
        bound_port = sock.getsockname()[1]
        say(
            f"tracuu đang phục vụ tại http://{host}:{bound_port} với {workers} tiến trình  "
            "(Ctrl+C để dừng)"
        )
        try:
            prefork.Supervisor(sock, workers, _worker_main(data_dir, threads, open_engine)).run()
        except prefork.WorkersFailing as exc:
            say(f"tracuu: {exc}")
            return 1
    say("Đã dừng.")
    return 0


def _worker_main(data_dir: Path, threads: int, open_engine):
    """What each forked worker runs: its own engine and app, waitress on the shared socket."""

    def run(sock) -> None:
        import logging

        import waitress

        try:
            app = _app(data_dir, open_engine)
        except UserError as exc:
            say(f"tracuu: {exc}")
            raise SystemExit(2) from None
        logging.basicConfig()  # as waitress.serve does: its warnings reach stderr
        waitress.create_server(app, sockets=[sock], **waitress_options(threads)).run()

    return run
