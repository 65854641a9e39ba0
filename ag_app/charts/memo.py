"""Figures built once per distinct data.

Building a Plotly figure costs tens of milliseconds (property validation), while «Статистика» shows
the same published breakdowns to every visitor. :func:`remembered` keeps the figures of the most
recently used arguments, found by the arguments' ``repr`` (the DTOs are dataclasses, so equal data
gives an equal key). A remembered figure is shared: callers must not change it.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
F = TypeVar("F")


def remembered(maxsize: int = 64) -> Callable[[Callable[P, F]], Callable[P, F]]:
    """Decorate a pure figure builder so equal arguments reuse the figure built before."""

    def decorate(build: Callable[P, F]) -> Callable[P, F]:
        figures: OrderedDict[str, F] = OrderedDict()
        lock = threading.Lock()

        @wraps(build)
        def cached(*args: P.args, **kwargs: P.kwargs) -> F:
            key = repr((args, sorted(kwargs.items())))
            with lock:
                if key in figures:
                    figures.move_to_end(key)
                    return figures[key]
            figure = build(*args, **kwargs)
            with lock:
                figures[key] = figure
                while len(figures) > maxsize:
                    figures.popitem(last=False)
            return figure

        return cached

    return decorate
