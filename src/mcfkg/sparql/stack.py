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

import resource
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

STACK_BYTES = 64 * 2**20

T = TypeVar("T")


def on_large_stack(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` on a new thread with a :data:`STACK_BYTES` stack, its value or its error.

    Meant for a process's long-running loop (a query worker's), called once: starting the thread
    costs about a millisecond. This process's data limit, if it has one, is raised by the stack's
    size (see the module docstring).
    """
    soft, hard = limits = resource.getrlimit(resource.RLIMIT_DATA)
    if soft != resource.RLIM_INFINITY:
        raised = soft + STACK_BYTES if hard == resource.RLIM_INFINITY else min(soft + STACK_BYTES, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (raised, hard))
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mcfkg-large-stack")
    previous = threading.stack_size(STACK_BYTES)  # applies to threads started while it is set
    try:
        future = executor.submit(function, *args)  # starts the thread now, with the large stack
    except RuntimeError:  # "can't start new thread"
        resource.setrlimit(resource.RLIMIT_DATA, limits)
        return function(*args)
    finally:
        threading.stack_size(previous)
    try:
        return future.result()
    finally:
        executor.shutdown(wait=False)
