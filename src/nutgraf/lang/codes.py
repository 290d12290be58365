"""Language codes and names: every ISO 639-1 code (what ``--lang`` takes) and the English names of the
languages a reader is most likely to meet (for messages)."""

from __future__ import annotations

import re
from collections.abc import Mapping

ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
    ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io
    is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr
    ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si
    sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh
    yi yo za zh zu""".split()
)
"""Every ISO 639-1 code."""

UNSPACED_LETTERS = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f"
)
"""The letters of the scripts written without spaces between words, as a regular-expression class body:
Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar (Korean spaces its words). Word counts, ROUGE tokens and
the segmenter's line joins treat each of them as a word of its own."""

UNSPACED_WORDS_PER_LETTER = 0.5
"""English-sized words per letter of an unspaced script, for a language without its own figure."""

UNSPACED = re.compile(f"[{UNSPACED_LETTERS}]")
"""One letter of an unspaced script."""


def rough_word_count(text: str, per_letter: float = UNSPACED_WORDS_PER_LETTER) -> int:
    """English-sized words in a text of any script: words between spaces, and each letter of an unspaced script
    ``per_letter`` of a word (a language's own figure, else ``UNSPACED_WORDS_PER_LETTER``: "only 17 words" of
    a Chinese page of 2,000 characters would be wrong)."""
    tokens = text.split()
    letters = len(UNSPACED.findall(text))
    if not letters:
        return len(tokens)
    spaced = sum(1 for t in tokens if UNSPACED.search(t) is None)
    return spaced + round(letters * per_letter)


def declared_language(metadata: Mapping[str, str]) -> str | None:
    """The language a record declares in its ``language`` (or ``lang``) field, when that is an ISO 639-1
    code (in any case), else None."""
    for key in ("language", "lang"):
        code = metadata.get(key, "").strip().lower()
        if code in ISO_639_1:
            return code
    return None


NAMES = {
    "am": "Amharic", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "kk": "Kazakh",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "mr": "Marathi", "ms": "Malay", "my": "Burmese",
    "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil",
    "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
    "zh": "Chinese",
}  # fmt: skip
"""English names of the languages a reader is most likely to meet, for messages (the rest go by code)."""
