"""The token store and how it is built: vocabulary, arrays, chunked parallel preparation, cache."""

from .executor import make_executor
from .prepare import prepare_store
from .tokens import StoreBuilder, TokenStore
from .vocabulary import VOCABULARY_COLUMNS, annotate_forms

__all__ = ["VOCABULARY_COLUMNS", "StoreBuilder", "TokenStore", "annotate_forms", "make_executor", "prepare_store"]
