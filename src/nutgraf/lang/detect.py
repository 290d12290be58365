"""Which language an article is in: Google's Compact Language Detector 2 (``pycld2``, its model compiled into
the wheel: nothing is downloaded), on the article's first ``SAMPLE`` characters.

Measured on whole articles (2026-11-29, 2,000 characters): 661 of 663 IndoSum validation articles ``id`` (2
``ms``), 2,274 of 2,277 Vietnamese validation articles ``vi``, 5,319 of 5,319 CNN/Daily Mail articles ``en``
(validation, the first 3,000 of validation_lower, test); under 0.1 ms per article on one core.

Codes are ISO 639-1 (CLD2's older ones mapped: ``iw`` -> ``he``, ``zh-Hant`` -> ``zh``, ...). A text CLD2 cannot
place, or one whose second language takes ``MIXED_SHARE`` of it or more, is reported as such, so that the
summarizer can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nutgraf.lang.codes import ISO_639_1

SAMPLE = 2000
"""Characters of the article read: a news article's language is settled in its first paragraphs (4,000 gave
the same answers on the validation files, at twice the time)."""
MIXED_SHARE = 30
"""A second language in this percentage of the text or more makes the text mixed."""

# CLD2's codes that are not ISO 639-1 (or not the current one), and variants of one language.
_CODES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro", "zh-Hant": "zh", "sh": "sr", "tl": "tl"}
# Characters CLD2 refuses as "invalid UTF-8" although they are valid: controls other than tab and newline.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Detection:
    """What the detector says about a text."""

    code: str | None
    """ISO 639-1 code of the main language; None when the detector cannot tell."""
    reliable: bool
    """CLD2's own judgement: enough text, and one language clearly ahead."""
    percent: int
    """Share of the text in the main language (0-100)."""
    second: str | None = None
    """The second language when the text is mixed (``MIXED_SHARE`` or more of it), else None."""

    @property
    def mixed(self) -> bool:
        return self.second is not None


def detect(text: str) -> Detection:
    """The language of ``text`` (its first ``SAMPLE`` characters)."""
    try:
        import pycld2
    except ImportError:  # pragma: no cover - a core dependency
        return Detection(None, False, 0)
    sample = _CONTROLS.sub(" ", text[:SAMPLE])
    try:
        reliable, _, found = pycld2.detect(sample)
    except pycld2.error:  # what it still cannot read (it says "invalid UTF-8"): undetermined, not a failure
        return Detection(None, False, 0)
    main = _code(found[0][1])
    if main is None:  # too little prose (a football line-up): CLD2's best effort, marked unreliable
        _, _, found = pycld2.detect(sample, bestEffort=True)
        main, reliable = _code(found[0][1]), False
        if main is None:
            return Detection(None, False, 0)
    seconds = (_code(c) for _, c, pct, _ in found[1:] if pct >= MIXED_SHARE)
    second = next((c for c in seconds if c is not None), None)
    return Detection(main, bool(reliable), int(found[0][2]), second if second != main else None)


def _code(cld2_code: str) -> str | None:
    code = _CODES.get(cld2_code, cld2_code)
    return code if code in ISO_639_1 else None  # CLD2's three-letter codes name languages without one
