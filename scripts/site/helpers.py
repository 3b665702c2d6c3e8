"""Helper processes of `make serve`, which work while the server makes the pages: two that draw the charts an edit
changes and index the pages it changes (start_helpers), and validation's checker (scripts/site/serve.py). Each ends
itself when the server does, however the server ends.

vl-convert holds Python's lock for much of a drawing, and the theme's search indexing and the download checks' parsing
are pure Python: in threads of the server, each would hold up the pages being made beside it. A one-shot build starts
no helper and does all of it in its own process: its outputs are mostly in the build cache, and starting processes
would cost more than they save.
"""

import functools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scripts.site.cache import cached

HELPERS = 2  # a chart's wide and narrow drawings at once, say, or two pages' search entries

_helpers: list[ProcessPoolExecutor] = []


def start_helpers(ready: list[Callable[[], None]], processes: int = HELPERS) -> None:
    """Start the helper processes, each of which first runs `ready` (what its first task would otherwise wait for,
    such as vl-convert's JavaScript runtime: about a second)."""
    if _helpers:
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(processes, context, _started, (os.getpid(), ready))
    for _ in range(processes):
        pool.submit(int)  # a submission that finds no idle process starts one
    _helpers.append(pool)


def stop_helpers(wait: bool) -> None:
    """End the helper processes; wait: until they have ended (the server is about to restart in this process)."""
    for pool in _helpers:
        pool.shutdown(wait=wait, cancel_futures=True)
    _helpers.clear()


def helping() -> bool:
    return bool(_helpers)


def in_helper(function: Callable[..., Any], *arguments: Any) -> Any:
    """function(*arguments), done by a helper process; without helpers, or if one was killed, done here."""
    if _helpers:
        try:
            return _helpers[0].submit(function, *arguments).result()
        except BrokenProcessPool:
            pass
    return function(*arguments)


def cached_in_helper(kind: str, parts: list[Any], function: Callable[..., bytes], *arguments: Any) -> "Future[bytes]":
    """cached(kind, parts, …) begun now: the output from the build cache, or made by function(*arguments) in a helper
    (here, without helpers) and stored, while a thread of this process waits for it."""
    return _waiting(os.getpid()).submit(cached, kind, parts, lambda: in_helper(function, *arguments))


@functools.cache
def _waiting(process: int) -> ThreadPoolExecutor:
    """This process's threads that wait for helpers (a forked build of an edition starts its own: threads do not
    fork). Without helpers they do the work, as far as Python's lock lets them beside the pages."""
    return ThreadPoolExecutor(HELPERS, thread_name_prefix=f"waiting-{process}")


def helper_started(server: int) -> None:
    """Run first in each helper: Ctrl+C stops the server, which stops its helpers; a server that was killed leaves
    nothing else to end them, so each ends itself once its server is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def orphaned() -> None:
        while os.getppid() == server:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=orphaned, daemon=True).start()


def _started(server: int, ready: list[Callable[[], None]]) -> None:
    helper_started(server)
    for prepare in ready:
        prepare()
