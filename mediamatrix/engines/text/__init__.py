"""Text normalisation for content checks, with an offset map back to the original.

Checks run on the normalised text; ``NormalizedText.original_span`` turns the spans they
find into spans of the text the user actually wrote.
"""

from .chinese import Converter, simplified_converter, to_simplified
from .cleanup import clean_whitespace
from .dates import DateTextError, excel_serial, parse_datetime
from .html import html_to_text
from .normalize import ENGINE_VERSION, NormalizedText, normalize, normalize_html
from .numbers import CountError, parse_count
from .offsets import OffsetMap, OffsetMapBuilder
from .sentences import Sentence, split_sentences
from .width import fold_width

__all__ = [
    "ENGINE_VERSION",
    "Converter",
    "CountError",
    "DateTextError",
    "NormalizedText",
    "OffsetMap",
    "OffsetMapBuilder",
    "Sentence",
    "clean_whitespace",
    "excel_serial",
    "fold_width",
    "html_to_text",
    "normalize",
    "normalize_html",
    "parse_count",
    "parse_datetime",
    "simplified_converter",
    "split_sentences",
    "to_simplified",
]
