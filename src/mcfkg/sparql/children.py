"""One-shot children of the store process (federated queries, upload parses): each answers once
on its pipe, or is stopped at its deadline; either way it is then killed and reaped."""

from __future__ import annotations

import multiprocessing.connection
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any


@dataclass(eq=False)
class Child:
    request: int
    deadline: float
    process: BaseProcess
    conn: multiprocessing.connection.Connection

    def end(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


def due(children: list[Any], ready: list[Any], now: float) -> list[Any]:
    """The children that answered (their pipe is in ``ready``) or ran out of time, taken out of ``children``.

    The caller reads each one's answer, if any, then calls :meth:`Child.end`.
    """
    found = [child for child in children if child.conn in ready or child.deadline <= now]
    for child in found:
        children.remove(child)
    return found


def pipes(children: list[Any]) -> list[multiprocessing.connection.Connection]:
    return [child.conn for child in children]


def next_deadline(children: list[Any]) -> float | None:
    return min((child.deadline for child in children), default=None)


def stop_all(children: list[Any]) -> None:
    for child in children:
        child.process.kill()
    children.clear()
