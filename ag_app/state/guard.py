"""Event arguments are checked against the handler's annotations before the handler runs.

A websocket client can call any handler by name with any JSON: a list where a form dict is
expected, ``"²"`` or ``2**63`` where an index is expected, a dict where a text is expected. Every
state of the application inherits :class:`GuardedState`, which wraps each public handler of the
class: texts and forms are made to fit their annotation (see :func:`_accepts`), and a number, flag
or file list of the wrong type refuses the event with a Russian message in the state's ``error``
var (when it has one) without running the handler. Ids, page numbers and counts inside the texts
are then parsed by the handlers through :mod:`ag_app.domain.numbers`.
"""

import functools
import inspect
import logging
import types
import typing
from collections.abc import Callable
from typing import Any

import reflex as rx

from ag_app.i18n import message

logger = logging.getLogger(__name__)

_GUARDED = "_ag_arguments_guarded"


def _accepts(annotation: Any, value: Any) -> tuple[bool, Any]:
    """Whether ``value`` may be passed for ``annotation``, and the value to pass.

    Texts and forms are made to fit, so the handler's own checks answer with their own message:
    anything sent for a text becomes its text (``None`` → «None», which names nothing); a non-dict
    sent for a form becomes an empty form and a form value that is neither text nor a flag becomes
    its text. Numbers, flags and lists of files of the wrong type are refused.
    """
    if annotation is Any or annotation is inspect.Parameter.empty:
        return True, value
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in typing.get_args(annotation):
            return True, value
        for option in typing.get_args(annotation):
            if option is not type(None):
                ok, converted = _accepts(option, value)
                if ok:
                    return True, converted
        return False, value
    if annotation is str:
        return True, value if isinstance(value, str) else str(value)
    if annotation is bool:
        return isinstance(value, bool), value
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool), value
    if annotation is dict or origin is dict:
        if not isinstance(value, dict):
            return True, {}
        return True, {str(k): v if isinstance(v, str | bool) else str(v) for k, v in value.items()}
    if annotation is list or origin is list:
        args = typing.get_args(annotation)
        item_type = args[0] if args else Any
        ok = isinstance(value, list) and all(_accepts(item_type, item)[0] for item in value)
        return ok, value
    if isinstance(annotation, type):
        return isinstance(value, annotation), value
    return True, value


def _hints(fn: Callable) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn)
    except (NameError, TypeError):
        logger.warning("Event handler %s: annotations not resolvable, arguments unchecked", fn.__qualname__)
        return {}


def _guard(fn: Callable) -> Callable:
    """``fn`` with its arguments checked; a refused call sets ``error`` and returns nothing."""
    signature = inspect.signature(fn)
    hints: dict[str, Any] | None = None

    def checked(state: rx.State, args: tuple, kwargs: dict) -> tuple[tuple, dict] | None:
        nonlocal hints
        if hints is None:
            hints = _hints(fn)
        try:
            bound = signature.bind(state, *args, **kwargs)
        except TypeError:
            return _refuse(state, fn)
        for name, value in list(bound.arguments.items())[1:]:
            ok, converted = _accepts(hints.get(name, Any), value)
            if not ok:
                return _refuse(state, fn)
            bound.arguments[name] = converted
        return bound.args[1:], bound.kwargs

    if inspect.isasyncgenfunction(fn):

        @functools.wraps(fn)
        async def async_gen_wrapper(self, *args, **kwargs):
            if (call := checked(self, args, kwargs)) is not None:
                async for item in fn(self, *call[0], **call[1]):
                    yield item

        wrapper: Callable = async_gen_wrapper
    elif inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(self, *args, **kwargs):
            if (call := checked(self, args, kwargs)) is not None:
                return await fn(self, *call[0], **call[1])
            return None

        wrapper = async_wrapper
    elif inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen_wrapper(self, *args, **kwargs):
            if (call := checked(self, args, kwargs)) is not None:
                yield from fn(self, *call[0], **call[1])

        wrapper = gen_wrapper
    else:

        @functools.wraps(fn)
        def sync_wrapper(self, *args, **kwargs):
            if (call := checked(self, args, kwargs)) is not None:
                return fn(self, *call[0], **call[1])
            return None

        wrapper = sync_wrapper
    setattr(wrapper, _GUARDED, True)
    return wrapper


def _refuse(state: rx.State, fn: Callable) -> None:
    logger.info("Event %s refused: arguments of the wrong type", fn.__qualname__)
    if "error" in state.base_vars:
        state.error = message("event.arguments_invalid")
    return None


class GuardedState(rx.State, mixin=True):
    """Every state of the application: its handlers' arguments are type-checked (see the module)."""

    def __init_subclass__(cls, mixin: bool = False, **kwargs: Any) -> None:
        for name, value in list(vars(cls).items()):
            if (
                inspect.isfunction(value)
                and not name.startswith("_")
                and not getattr(value, _GUARDED, False)
                and len(inspect.signature(value).parameters) > 1
            ):
                setattr(cls, name, _guard(value))
        super().__init_subclass__(mixin=mixin, **kwargs)
