"""The record of a language: every word list, cue word and abbreviation a stage reads, grouped by the stage that
reads it. ``lang/<code>.py`` fills one in; ``nutgraf.lang.language(code)`` finds it.

Kept apart from ``lang/__init__.py`` so that a language module can build its record without importing the
lookup that imports it. Plain data only: sets where a stage asks "is this word in the list", tuples where a
stage builds a regular expression from the list (their order is the alternation's order, so a pattern built
from them is the one the stage always compiled).
"""

from __future__ import annotations

from dataclasses import dataclass

Words = frozenset[str]
"""Words looked up one at a time: ``word in words``."""

Phrases = tuple[str, ...]
"""Words or phrases (words separated by single spaces) that a stage joins into a regular expression, in
order."""


@dataclass(frozen=True, slots=True)
class Segmentation:
    """What the sentence segmenter (``segment.py``) knows of abbreviations and sentence openers, as written
    (case matters)."""

    titles: Words
    """Titles before a name ("Mr", "Sen"): never a sentence end when a capitalised word follows."""
    sometimes_final: Words
    """Abbreviations that often end a sentence too ("Inc", "Calif"): an end only before a sentence opener."""
    numeric: Words
    """Abbreviations that take a number ("No", "Vol"): not an end when a digit follows."""
    starters: Words
    """Words that typically open a sentence: after an ambiguous abbreviation they mean a new one."""
    time_continuations: Words
    """After a clock abbreviation ("a.m."): words that continue the time expression ("EST", "Monday")."""
    clock_abbreviations: Words
    """Clock abbreviations, without their last full stop ("a.m", "P.M")."""


@dataclass(frozen=True, slots=True)
class Openers:
    """Sentence openers that lean on the sentence before (``faithful.py``), as they open a sentence
    (capitalised)."""

    pronouns: Phrases
    """Personal and possessive pronouns whose referent comes from an earlier sentence ("He", "Their")."""
    demonstratives: Phrases
    """Demonstratives that count only as a subject ("This is"), not as a determiner ("This year")."""
    demonstrative_verbs: Phrases
    """The verbs after a demonstrative that make it a subject ("is", "was", "means")."""
    connectives: Phrases
    """Discourse connectives that point back to a contrast or cause ("But", "On the other hand")."""
    epithet_article: str
    """The article of an epithet ("The" in "The pair")."""
    epithet_nouns: Phrases
    """Nouns that re-name someone introduced earlier after the article ("pair", "former", "striker")."""


@dataclass(frozen=True, slots=True)
class Compression:
    """What the compressor (``compress/``) knows of words: which units may go, which words must stay."""

    # --- compress/rules.py: the units found without a parser
    negations: Phrases
    """Negation words (a unit holding one never goes); the "n't" clitic is the rules' own pattern."""
    number_words: Phrases
    """Numbers in words, cardinal and ordinal (a unit holding one never goes)."""
    neutral_reporting_verbs: Phrases
    """Reporting verbs whose attribution tail may go (", police said")."""
    source_words: Phrases
    """Lower-case words of an inverted source (", said police spokesman John Smith")."""
    institutions: Words
    """Speakers whose attribution may go: an institution on the record ("police", "ministry")."""
    unsourced_words: Phrases
    """Words that keep an attribution tail: an anonymous or interested source, or a second clause."""
    relative_pronouns: Phrases
    """Openers of a relative clause between commas (", who leads the diocese,")."""
    appositive_determiners: Phrases
    """Openers of an appositive between commas (", a spokesman for the agency,")."""
    lead_openers: Phrases
    """First words of a leading time or place phrase ("On Tuesday, "), capitalised."""
    hedged_openers: Phrases
    """Openers that scope a claim ("As a rule", "In some cases"): a leading phrase that starts so stays."""
    dated_nouns: Phrases
    """Nouns of a date besides the months ("year", "summer"): a leading time that scopes a number stays."""
    softeners: Phrases
    """Hedges and attributions ("perhaps", "kind of", "said"): a parenthetical or clause holding one stays."""
    clause_openers: Phrases
    """Openers of a trailing subordinate or participle clause (", as the storm moved north.")."""
    verbs_after_appositive: Phrases
    """Words of the main clause's verb after an appositive ("said", "has"); the rules add any "-ed" word."""
    intro_prepositions: Phrases
    """Prepositions of an introductory phrase before a unit ("In", "Despite"), capitalised."""
    day_parts: Phrases
    """Parts of a day after a weekday ("Monday night")."""
    # --- compress/syntax.py: the constituents of a parse
    titles: Words
    """Job titles that may go before a full name ("Prime Minister David Cameron" -> "David Cameron")."""
    saying_verbs: Words
    """Verbs of saying or knowing whose "that" may go ("said that he" -> "said he")."""
    safe_adverbs: Words
    """Adverbs that may go on their own ("also", "now")."""
    adjunct_prepositions: Words
    """Prepositions of time and place whose phrase is an adjunct ("during lunch hour")."""
    place_prepositions: Words
    """Prepositions whose phrase may go only when it names a place or a time ("in March")."""
    time_nouns: Words
    """Nouns of time that a place preposition's phrase may name ("in the morning")."""
    relative_days: Phrases
    """Days named from today ("yesterday")."""
    time_deictics: Phrases
    """Words before a period that make a time phrase ("last", "earlier this")."""
    time_periods: Phrases
    """Periods after such a word ("week", "summer", "morning")."""
    protected: Words
    """Hedges and scope words: a constituent holding one as an adverb stays ("allegedly", "only")."""
    dangling: Words
    """Words that would dangle just before a cut ("the", "and", "rather")."""
    argument_prepositions: Words
    """Prepositions that usually head an argument, not an adjunct ("of", "to")."""
    conditions: Words
    """Marks of a clause that conditions or limits the main one ("if", "unless")."""
    time_verbs: Words
    """Verbs whose time noun is their object or complement ("spent Monday")."""
    reporting_words: Phrases
    """Words of attribution: an adverbial clause or phrase holding one stays ("as they've told police")."""
    period_nouns: Phrases
    """Periods that, with a number in the sentence, keep a time phrase ("50 ships this year"); matched
    inside words."""
    # --- compress/model.py: the model's features (changing these changes its columns: retrain it)
    unit_first_words: Phrases
    """The first words the model has a column for (``first_<word>``), in column order."""
    said_words: Phrases
    """Words of attribution for the model's ``has_said`` column."""
    function_words: Words
    """Words that do not count when the model measures how much the article repeats a unit's words."""


@dataclass(frozen=True, slots=True)
class Language:
    """One language's word lists, cue words and abbreviations, for every stage that reads words."""

    code: str
    """The lookup key (``"en"``)."""
    name: str
    """The name for people (``"English"``)."""
    stopwords: Words
    """Function words: similarity runs on the other words (``features.content_terms``)."""
    function_words: Words
    """Very frequent function words that are rare in other languages: their share of a text's words tells
    this language from others (``features.english_share``)."""
    weekdays: Phrases
    """The days of the week, capitalised as in running text."""
    months: Phrases
    """The months, capitalised as in running text."""
    title_small_words: Words
    """Words a Title Case headline leaves in lower case ("of", "the"), lower-cased (``clean.py``)."""
    # The learned scorer's cue columns (``learned/features.py``); lower-cased words. Changing a list
    # changes the features: it needs a new ``FEATURE_VERSION`` and a retrained model.
    attribution_verbs: Words
    """Attribution verbs ("said", "told"): whether and where a sentence attributes."""
    first_person: Words
    """First- and second-person pronouns: a share of them marks a quotation."""
    pronoun_starts: Words
    """A sentence's first word that leans on the sentence before ("he", "this")."""
    connective_starts: Words
    """A sentence's first word that connects to the sentence before ("but", "meanwhile")."""
    cue_words: Words
    """News cue words ("killed", "announced", "million"): their share marks a newsworthy sentence."""
    time_words: Words
    """Days and days named from today: a sentence's reference to when."""
    segmentation: Segmentation
    openers: Openers
    compression: Compression
    web_furniture_words: Phrases = ()
    """Words of web-page furniture ("newsletter", "sign up", "share this"): a column of the web-furniture
    detector (``webfurniture``); changing them changes its features, so retrain it (make web-furniture)."""
    learned: bool = False
    """Whether the learned scorer has a model trained on this language (else it uses English's)."""
    model: str | None = None
    """The file in ``nutgraf/data`` of the learned scorer's model for this language (None: English's)."""
    words_per_unit: float = 1.0
    """English-sized words per syllable or letter, for a ``word_unit`` of ``syllable`` or ``char`` (a word
    between spaces is one word): the selector's word limits (5 to 80 words a key point) and budgets count in
    English-sized words."""
    word_unit: str = "space"
    """What a word count counts: ``space`` (words between spaces), ``syllable`` (Vietnamese writes every
    syllable apart: the same count, scaled by ``words_per_unit``), ``char`` (Chinese, Japanese, Thai write
    no spaces: each letter of those scripts counts ``words_per_unit`` of a word)."""
    question_marks: str = ""
    """Characters that end a question in this language besides ``?`` (Greek's ``;``)."""
    sentence_marks: str = ""
    """Other characters that end a sentence before a space in this language's writing (Armenian typed with
    ``:`` for its full stop ``։``)."""
    full_stop: bool = True
    """Whether ``.`` ends a sentence (in Armenian it is a colon-like pause, not an end)."""
    ordinal_numbers: bool = False
    """Whether a full stop after a number makes it an ordinal ("am 3. Oktober", "den 3. maj"): then a
    number's full stop ends a sentence only when a word follows that cannot continue one."""


def plain_language(
    code: str, name: str, stopwords: Words, segmentation: Segmentation, **more: object
) -> Language:
    """A language with its stopwords and segmentation rules and nothing of English's cue words, openers or
    compression word lists (those stages fall back to English's for now): what a language needs to be
    segmented and selected by its own rules."""
    empty: Words = frozenset()
    values: dict[str, object] = {
        "code": code,
        "name": name,
        "stopwords": stopwords,
        "function_words": empty,
        "weekdays": (),
        "months": (),
        "title_small_words": empty,
        "attribution_verbs": empty,
        "first_person": empty,
        "pronoun_starts": empty,
        "connective_starts": empty,
        "cue_words": empty,
        "time_words": empty,
        "segmentation": segmentation,
        "openers": Openers((), (), (), (), "", ()),
        "compression": Compression(*([()] * len(Compression.__dataclass_fields__))),  # type: ignore[arg-type]
    }
    values.update(more)
    return Language(**values)  # type: ignore[arg-type]
