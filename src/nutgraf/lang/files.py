"""The languages after English: one TOML file each in ``lang/data``, read into a ``Language`` on first use.

A file holds what the stages need to treat a text in that language by its own rules::

    name = "German"
    word_unit = "space"          # or "syllable" (Vietnamese), "char" (Chinese, Japanese, Thai)
    words_per_unit = 0.7         # English-sized words per syllable or letter (syllable and char units)
    question_marks = ""          # besides "?": Greek's ";"
    sentence_marks = ""          # other marks that end a sentence before a space: Armenian's ":"
    full_stop = true             # whether "." ends a sentence (not in Armenian)
    model = "gbdt-xx-v1.json.gz" # the learned scorer's model for this language, in nutgraf/data
    ordinal_numbers = true       # "am 3. Oktober": a number's full stop is an ordinal, not an end
    stopwords = "der die das ..."
    [cues]                       # the learned scorer's cue words (lower-cased; English's when left out)
    attribution_verbs = "sagte sagt erklärte"
    [segmentation]               # abbreviations, as written (see ``base.Segmentation``)
    titles = "Dr Prof Hr Fr"
    sometimes_final = "usw bzw"
    numeric = "Nr S Abs"

Lists are strings of words separated by white space; whatever a file leaves out is empty.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

from nutgraf.lang.base import Language, Segmentation, plain_language

_SEGMENTATION_FIELDS = tuple(Segmentation.__dataclass_fields__)

SHARED = {"ms": "id"}
"""Languages read by another's file: Malay by Indonesian's (CLD2 names some Indonesian news Malay, and the
two share their spelling, abbreviations and function words)."""


class Languages(Mapping[str, Language]):
    """English, and every language with a file in ``lang/data``, by code; files are read on first use."""

    def __init__(self, english: Language) -> None:
        self._loaded: dict[str, Language] = {english.code: english}
        folder = resources.files("nutgraf.lang") / "data"
        self._files = {
            entry.name.removesuffix(".toml"): entry
            for entry in folder.iterdir()
            if entry.name.endswith(".toml")
        }
        self._codes = sorted({english.code, *self._files})
        self._lock = threading.Lock()

    def __getitem__(self, code: str) -> Language:
        code = SHARED.get(code, code) if SHARED.get(code) in self._files else code
        found = self._loaded.get(code)
        if found is not None:
            return found
        entry = self._files[code]  # KeyError for a language without a file, as a mapping should
        with self._lock:
            if code not in self._loaded:
                self._loaded[code] = _read(code, tomllib.loads(entry.read_text(encoding="utf-8")))
            return self._loaded[code]

    def __contains__(self, code: object) -> bool:
        if isinstance(code, str) and SHARED.get(code) in self._files:
            return True
        return code in self._loaded or code in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


_CUE_FIELDS = (
    "attribution_verbs",
    "first_person",
    "pronoun_starts",
    "connective_starts",
    "cue_words",
    "time_words",
)
"""The learned scorer's cue lists a file may give (lower-cased words; see ``base.Language``)."""


def _read(code: str, data: dict[str, Any]) -> Language:
    seg = data.get("segmentation", {})
    cues = data.get("cues", {})
    segmentation = Segmentation(
        **{name: frozenset(str(seg.get(name, "")).split()) for name in _SEGMENTATION_FIELDS}
    )
    return plain_language(
        code,
        str(data["name"]),
        frozenset(str(data.get("stopwords", "")).lower().split()),
        segmentation,
        word_unit=str(data.get("word_unit", "space")),
        words_per_unit=float(data.get("words_per_unit", 1.0)),
        question_marks=str(data.get("question_marks", "")),
        sentence_marks=str(data.get("sentence_marks", "")),
        full_stop=bool(data.get("full_stop", True)),
        learned=bool(data.get("model")),
        model=str(data["model"]) if data.get("model") else None,
        ordinal_numbers=bool(data.get("ordinal_numbers", False)),
        **{name: frozenset(str(cues[name]).lower().split()) for name in _CUE_FIELDS if name in cues},
    )
