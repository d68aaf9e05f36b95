"""Store calls on a thread with a large stack: more room for Oxigraph's recursion.

Oxigraph parses and evaluates queries recursively, and a stack overflow kills the whole process.
``safety.check_nesting`` refuses operations that could overflow an 8 MiB stack (a main thread's);
running them on :data:`STACK_BYTES` instead multiplies the room left, about 8-fold (measured:
see ``safety.MAX_ELEMENTS``), against shapes no lexical bound foresaw.

The stack is reserved address space, touched only as deep as a query goes. RLIMIT_DATA
(``sandbox.limit_memory``) counts it all the same, so the limit is raised by its size: the
operations keep their whole ``process_memory_mb``. Where the thread cannot be started at all,
the call runs on the caller's thread (with the smaller stack the limits were set for).
"""

from __future__ import annotations

import os
import resource
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

STACK_BYTES = 64 * 2**20

T = TypeVar("T")

_executor: tuple[int, ThreadPoolExecutor | None] = (0, None)  # (pid, its large-stack thread; None: could not start)
_lock = threading.Lock()


def _start_executor() -> ThreadPoolExecutor | None:
    """One thread with a :data:`STACK_BYTES` stack (the size applies to threads started while it is set),
    and this process's data limit, if it has one, raised by as much (see the module docstring)."""
    soft, hard = limits = resource.getrlimit(resource.RLIMIT_DATA)
    if soft != resource.RLIM_INFINITY:
        raised = soft + STACK_BYTES if hard == resource.RLIM_INFINITY else min(soft + STACK_BYTES, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (raised, hard))
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mcfkg-large-stack")
    previous = threading.stack_size(STACK_BYTES)
    try:
        executor.submit(int).result()  # starts the thread now, with the large stack
    except RuntimeError:  # "can't start new thread"
        executor.shutdown(wait=False)
        resource.setrlimit(resource.RLIMIT_DATA, limits)
        return None
    finally:
        threading.stack_size(previous)
    return executor


def on_large_stack(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` on this process's large-stack thread (started on first use), its value or its error.

    One thread per process, reused: starting a thread costs about a millisecond here, handing it
    a call some 30 microseconds. A forked child starts its own (it inherits no threads).
    """
    global _executor
    with _lock:
        pid, executor = _executor
        if pid != os.getpid():
            executor = _start_executor()
            _executor = (os.getpid(), executor)
    if executor is None:
        return function(*args)
    return executor.submit(function, *args).result()
