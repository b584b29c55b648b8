"""What the core's process pools (import thumbnails, export page pictures) share: how their
workers start, and that they end with the app.

Start: never as a fork of the app itself, which would copy Qt's and Python's threads' locks
mid-use. Where there is one (Linux, macOS), from one fork server: a quiet interpreter that
imports the pools' modules (Pillow, pillow-heif, OpenCV) once and stays up; a worker forked
from it starts in a few hundredths of a second of CPU instead of the 0.5 s a spawned one takes
to import it all. Each pool adds its module to what the server preloads, never in place of
another's. Elsewhere (Windows), spawn.

End: a worker waits for its next job on a pipe whose writing end it holds itself, so when the
app is killed (kill -9, a crash, the task manager) nothing ever wakes it, and the fork server
stays up with it (the worker holds the pipe that tells the server the app is alive). Measured
here: after `kill -9` of an import, both workers (135 MB each) and the server were still running
an hour later. So each worker watches its parent's sentinel (`multiprocessing.parent_process()`:
a pipe that reaches end-of-file, or on Windows the app's process handle) on a daemon thread and
exits as soon as the app is gone; the server then ends on its own.

Exit of the process that owns a pool: a multiprocessing child (a benchmark's or a caller's own
worker running an import) joins its children at exit *before* Python's own shutdown of
executors would tell the workers to stop, so it waited for them forever. Every pool is
therefore shut down by a multiprocessing finalizer, which runs first; and its workers are
daemonic, so what is still running at that exit is terminated, not waited for (once in four
runs of the scaling benchmark, two idle workers never took their stop from the queue).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import util
from typing import Any, cast

from app.evidence.errors import (
    DamagedFile,
    DecompressionBomb,
    EmptyFile,
    InputError,
    UnreadableFile,
    UnsafeStoredPath,
    UnsupportedFormat,
)
from app.evidence.i18n import Text
from app.evidence.memory import limit_heap_growth

_ERRORS: dict[str, type[InputError]] = {
    cls.__name__: cls
    for cls in (
        InputError,
        EmptyFile,
        UnsupportedFormat,
        UnreadableFile,
        DamagedFile,
        DecompressionBomb,
        UnsafeStoredPath,
    )
}
WireError = tuple[str, Any, str | None]
"""An error as a worker sends it back: (its InputError class, or "" for any other error; its
message; the file it is about). A whole exception may not pickle (an InputError's path is not
among its args, a decoder's own exception may not pickle at all)."""

_LIVE: weakref.WeakSet[Executor] = weakref.WeakSet()
_at_exit: util.Finalize | None = None


def new_pool(
    workers: int, module: str, initializer: Callable[..., object], *initargs: object
) -> ProcessPoolExecutor:
    """A process pool of `workers` whose jobs live in `module`, started as `pool_context` says
    and shut down when this process exits (`end_at_exit`)."""
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=cast(multiprocessing.context.BaseContext, _Daemonic(pool_context(module))),
        initializer=initializer,
        initargs=initargs,
    )
    end_at_exit(executor)
    return executor


class _DaemonSpawn(multiprocessing.context.SpawnProcess):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.daemon = True


_DAEMONIC: dict[str, type[multiprocessing.process.BaseProcess]] = {"spawn": _DaemonSpawn}
if hasattr(multiprocessing.context, "ForkServerProcess"):  # POSIX

    class _DaemonForkServer(multiprocessing.context.ForkServerProcess):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.daemon = True

    _DAEMONIC["forkserver"] = _DaemonForkServer


class _Daemonic:
    """A start method as `context` is, whose processes are daemonic (module-level classes, so a
    spawned or forked worker can unpickle its own process object)."""

    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        self._context = context
        self.Process = _DAEMONIC[context.get_start_method()]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def pool_context(module: str) -> multiprocessing.context.BaseContext:
    """The start method for a pool whose jobs live in `module` (its `__name__`)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    from multiprocessing import forkserver

    # read when the server starts, once: a pool that comes later, after the server started,
    # gets its module imported in each worker instead
    server = getattr(forkserver, "_forkserver", None)
    preload = list(getattr(server, "_preload_modules", None) or [])
    if module not in preload:
        context.set_forkserver_preload([*preload, module])
    return context


def processes_allowed() -> bool:
    """False in a frozen build: its executable would start the whole app again in each worker
    (it does not call multiprocessing.freeze_support)."""
    return not getattr(sys, "frozen", False)


def cores() -> int:
    """The cores this process may run on (a pool's default size)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity call here (Windows, macOS)
        return os.cpu_count() or 1


def worker_ready() -> bool:
    """A trivial job: a worker that returns it has started."""
    return True


def start_worker(level: int, handler: logging.Handler) -> None:
    """A worker's start: its log lines to `handler`, large buffers back to the OS, and an end
    when the app ends."""
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    limit_heap_growth()
    end_with_parent()


def end_with_parent() -> bool:
    """Exit this process as soon as the process that started it is gone; False when it has no
    parent to watch (it is not a multiprocessing child)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return False
    threading.Thread(
        target=_exit_after, args=(parent,), name="end-with-parent", daemon=True
    ).start()
    return True


def _exit_after(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # waits on the sentinel: end-of-file or the handle, never a poll
    os._exit(0)


def end_at_exit(executor: Executor) -> None:
    """Shut `executor` down (its workers told to stop) when this process exits, before
    multiprocessing joins the children of a process that is itself a multiprocessing child:
    without it, that exit waits forever for workers nobody told to stop. A worker still busy
    then is daemonic and terminated."""
    global _at_exit
    _LIVE.add(executor)
    if _at_exit is None:
        # before the queues' own exit finalizers (priority 10), which stop the threads that
        # would send the workers their stop
        _at_exit = util.Finalize(None, _shutdown_all, exitpriority=100)


def _shutdown_all() -> None:
    for executor in list(_LIVE):  # the stop is sent; a worker still busy is terminated next
        executor.shutdown(wait=False, cancel_futures=True)


def error_to_wire(error: BaseException, unknown: type[InputError] = InputError) -> WireError:
    """`error` as plain data; an InputError subclass not listed here goes as `unknown`."""
    if not isinstance(error, InputError):
        return "", str(error), None
    message = error.args[0] if error.args else str(error)
    if not isinstance(message, str | Text):
        message = str(message)
    name = type(error).__name__
    return (name if name in _ERRORS else unknown.__name__), message, error.path


def error_from_wire(wire: WireError) -> Exception:
    """The error a worker sent back, rebuilt in the app (a RuntimeError for a non-InputError)."""
    name, message, where = wire
    if not name:
        return RuntimeError(message)
    return _ERRORS.get(name, InputError)(message, where)
