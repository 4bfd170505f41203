"""voile: fast pseudonymisation of French clinical text.

Python bindings of the Rust engine (``voile`` facade crate): the same detectors, resolution
and keyed surrogates as the ``voile`` command-line tool, so the same text, ``meta`` and key
give the same spans and the same pseudonymised text.

    >>> import voile
    >>> p = voile.Pipeline(key_file="secret.key")          # or Pipeline.from_env() (VOILE_KEY)
    >>> p.detect("Mme Josiane LEFÈVRE, née le 12/04/1957")  # code-point offsets
    >>> p.pseudonymise("Mme Josiane LEFÈVRE ...", id="d1", patient_id="p1").text

Column helpers: :mod:`voile.pandas`, :mod:`voile.polars`, :mod:`voile.arrow`; Spark:
:mod:`voile.spark`. Resources (``gazetteers/``, ``models/``) are found in the source checkout
the wheel was built from, or in ``$VOILE_HOME``.
"""

from __future__ import annotations

import os
from typing import Optional, Union

from ._voile import (
    LABELS,
    ConfigError,
    InputError,
    Key,
    MissingKeyError,
    Pipeline,
    PseudoResult,
    Replacement,
    ResourceError,
    Span,
    VoileError,
    __version__,
)

__all__ = [
    "LABELS",
    "ConfigError",
    "InputError",
    "Key",
    "MissingKeyError",
    "Pipeline",
    "PseudoResult",
    "Replacement",
    "ResourceError",
    "Span",
    "VoileError",
    "__version__",
    "load_key",
]


def load_key(
    path: Union[str, "os.PathLike[str]", None] = None, *, env: Optional[str] = None
) -> Optional[Key]:
    """Read a key as ``voile pseudo`` does: from a file (``--key-file``) if ``path`` is
    given, else from environment variable ``env`` (default ``VOILE_KEY``). Returns ``None``
    when the variable is unset or blank; raises :class:`ConfigError` for an unreadable file
    or a key shorter than 16 bytes."""
    if path is not None and env is not None:
        raise ConfigError("give a key file or an environment variable, not both")
    if path is not None:
        return Key.from_file(os.fspath(path))
    return Key.from_env(env or "VOILE_KEY")
