"""Type stubs of the native module (Rust, pyo3). See the docstrings in ``voile``."""

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

__version__: str
LABELS: List[str]

PathLike = Union[str, "os.PathLike[str]"]
KeyLike = Union[bytes, str, "Key"]
Id = Union[str, int]

class VoileError(Exception): ...
class ConfigError(VoileError): ...
class MissingKeyError(ConfigError): ...
class ResourceError(VoileError): ...
class InputError(VoileError): ...

class Key:
    """A secret key; never printed, never pickled. Surrounding ASCII whitespace is ignored."""

    def __init__(self, key: Union[bytes, str]) -> None: ...
    @staticmethod
    def from_file(path: PathLike) -> "Key": ...
    @staticmethod
    def from_env(var: str = "VOILE_KEY") -> Optional["Key"]: ...
    @staticmethod
    def random() -> "Key": ...

class Span:
    """``text[start:end]`` (code points) is an identifier labelled ``label``."""

    start: int
    end: int
    label: str
    score: float
    source: str
    def __init__(
        self, start: int, end: int, label: str, score: float = 1.0, source: str = "user"
    ) -> None: ...
    @property
    def entity_type(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

class Replacement:
    """``result.text[start:end]`` replaced ``input[original_start:original_end]``."""

    start: int
    end: int
    label: str
    operator: str
    original_start: int
    original_end: int
    fallback: bool
    def to_dict(self) -> Dict[str, Any]: ...

class PseudoResult:
    text: str
    spans: List[Replacement]
    detected: List[Span]

class Pipeline:
    def __init__(
        self,
        config: Union[None, Mapping[str, Any], PathLike] = None,
        key: Optional[KeyLike] = None,
        *,
        key_file: Optional[PathLike] = None,
        key_env: Optional[str] = None,
    ) -> None: ...
    @staticmethod
    def from_env(
        config: Union[None, Mapping[str, Any], PathLike] = None, var: str = "VOILE_KEY"
    ) -> "Pipeline": ...
    def detect(
        self,
        text: str,
        patient: Optional[Mapping[str, Any]] = None,
        *,
        meta: Optional[Mapping[str, Any]] = None,
    ) -> List[Span]: ...
    def detect_batch(
        self,
        texts: Sequence[str],
        patients: Optional[Sequence[Optional[Mapping[str, Any]]]] = None,
        *,
        metas: Optional[Sequence[Optional[Mapping[str, Any]]]] = None,
    ) -> List[List[Span]]: ...
    def pseudonymise(
        self,
        text: str,
        id: Id,
        patient_id: Optional[Id] = None,
        *,
        patient: Optional[Mapping[str, Any]] = None,
        meta: Optional[Mapping[str, Any]] = None,
    ) -> PseudoResult: ...
    def pseudonymise_batch(
        self,
        texts: Sequence[str],
        ids: Sequence[Id],
        patient_ids: Optional[Sequence[Optional[Id]]] = None,
        *,
        patients: Optional[Sequence[Optional[Mapping[str, Any]]]] = None,
        metas: Optional[Sequence[Optional[Mapping[str, Any]]]] = None,
    ) -> List[PseudoResult]: ...
    def analyze(
        self,
        text: str,
        patient: Optional[Mapping[str, Any]] = None,
        *,
        meta: Optional[Mapping[str, Any]] = None,
    ) -> List[Span]: ...
    def anonymize(
        self,
        text: str,
        results: Sequence[Any],
        operators: Optional[Mapping[str, str]] = None,
        *,
        id: Optional[Id] = None,
        patient_id: Optional[Id] = None,
    ) -> PseudoResult: ...
    @property
    def config(self) -> Dict[str, Any]: ...
    @property
    def detectors(self) -> List[str]: ...
    @property
    def has_key(self) -> bool: ...
