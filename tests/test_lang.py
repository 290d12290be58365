"""The languages: one lookup, English as its first entry, and every stage reading its word lists from there.

The last tests guard the layout (docs/architecture.md, "A language"): English's word lists live in
``nutgraf/lang/en.py`` and nowhere else, so that a second language is one new file, not a hunt through
every stage for the lists it must translate.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import math
import re
from pathlib import Path

import pytest

import nutgraf
import nutgraf.clean
import nutgraf.compress.model
import nutgraf.compress.rules
import nutgraf.compress.syntax
import nutgraf.faithful
import nutgraf.features
import nutgraf.learned.features
import nutgraf.segment
from nutgraf.errors import UnknownName, UsageError
from nutgraf.faithful import opener_issue
from nutgraf.lang import DEFAULT_LANGUAGE, LANGUAGES, Language, alternation, language
from nutgraf.lang.en import ENGLISH

SRC = Path(nutgraf.__file__).parent
LANG = SRC / "lang"
EN = language("en")


# ------------------------------------------------------------------------------------------ the lookup


def test_language_en_is_english() -> None:
    assert EN is ENGLISH
    assert isinstance(EN, Language)
    assert (EN.code, EN.name) == ("en", "English")
    assert language(" EN ") is ENGLISH


def test_the_default_language_is_registered() -> None:
    assert DEFAULT_LANGUAGE == "en"
    assert LANGUAGES[DEFAULT_LANGUAGE] is ENGLISH
    assert all(code == lang.code for code, lang in LANGUAGES.items())


def test_an_unknown_language_is_a_usage_error_that_lists_the_codes() -> None:
    with pytest.raises(UnknownName, match=r"Unknown language 'xx'\. Available: am, ar, .*en, .*zh") as info:
        language("xx")
    assert isinstance(info.value, UsageError)


def test_a_language_is_frozen() -> None:
    with pytest.raises(AttributeError):
        EN.code = "fr"  # type: ignore[misc]


def test_every_list_is_plain_words() -> None:
    """Sets of words where a stage looks a word up, tuples of phrases where it builds a pattern: nothing else,
    so a new language is data only."""
    groups = [EN, EN.segmentation, EN.openers, EN.compression]
    for group in groups:
        for field in dataclasses.fields(group):
            value = getattr(group, field.name)
            if field.type == "Words":
                assert isinstance(value, frozenset) and value, field.name
                assert all(isinstance(w, str) and w == w.strip() and " " not in w for w in value), field.name
            elif field.type == "Phrases":
                assert isinstance(value, tuple) and value, field.name
                assert all(isinstance(p, str) and p == " ".join(p.split()) for p in value), field.name
                assert len(set(value)) == len(value), field.name
            else:
                assert field.type in (
                    "str",
                    "str | None",
                    "bool",
                    "float",
                    "Segmentation",
                    "Openers",
                    "Compression",
                ), field.name


def test_alternation_keeps_the_order_and_spaces_phrases() -> None:
    assert alternation(("As a rule", "Often")) == r"As\s+a\s+rule|Often"
    assert alternation(("sheriff's",)) == "sheriff's"


# -------------------------------------------------------------------- the stages read the language's lists


def test_the_features_read_englishs_lists() -> None:
    assert nutgraf.features.STOPWORDS is EN.stopwords
    assert nutgraf.features._ENGLISH_MARKERS is EN.function_words
    lf = nutgraf.learned.features
    assert lf._EN is EN  # the cue columns read attribution verbs, cue words, ... from it


def test_the_segmenter_reads_englishs_abbreviations() -> None:
    seg, words = nutgraf.segment, EN.segmentation
    assert seg._ABBREVIATIONS is words


def test_the_cleaner_reads_englishs_small_words() -> None:
    assert nutgraf.clean._SMALL_WORDS is EN.title_small_words


def test_the_compressor_reads_englishs_lists() -> None:
    rules, syntax, model, words = (
        nutgraf.compress.rules,
        nutgraf.compress.syntax,
        nutgraf.compress.model,
        EN.compression,
    )
    assert rules._INSTITUTION is words.institutions
    assert syntax._WORDS is words
    assert model._FIRST_WORDS is words.unit_first_words
    assert model._FUNCTION is words.function_words
    first_columns = tuple(f for f in model.COMPRESS_FEATURES if f.startswith("first_"))
    assert first_columns == tuple(f"first_{w}" for w in words.unit_first_words)


def test_the_patterns_built_from_a_list_find_every_word_of_it() -> None:
    rules, syntax, words = nutgraf.compress.rules, nutgraf.compress.syntax, EN.compression
    assert all(rules.NEGATION.fullmatch(w) for w in words.negations)
    assert all(rules.NUMBER.fullmatch(w) for w in words.number_words)
    assert all(re.fullmatch(rules._SAY, w) for w in words.neutral_reporting_verbs)
    assert all(syntax._TIME_PHRASE.fullmatch(w) for w in (*EN.weekdays, *EN.months, *words.relative_days))
    assert all(syntax._REPORTING.fullmatch(w) for w in words.reporting_words)


def test_the_opener_checks_find_every_word_of_the_lists() -> None:
    openers = EN.openers
    for connective in openers.connectives:
        assert opener_issue(f"{connective} the council voted.") == nutgraf.faithful.Issue(
            "dangling_connective", connective
        )
    for pronoun in openers.pronouns:
        issue = opener_issue(f'"{pronoun} went home," she said.')
        assert issue is not None and (issue.code, issue.detail) == ("dangling_pronoun", pronoun)
    for noun in openers.epithet_nouns:
        issue = opener_issue(f"{openers.epithet_article} {noun} won.")
        assert issue is not None and issue.detail == f"{openers.epithet_article} {noun}"
    assert opener_issue("This year the council voted.") is None  # a determiner, not a subject


# ------------------------------------------------------------------------- English lives in lang/ only

MAX_LISTED_WORDS = 15
"""This many words in one list outside ``lang/`` make a word list that belongs to a language."""

# Words joined by "|" in a regular expression ("said|says|told", "officials?|kind\s+of").
_ALTERNATED = re.compile(r"(?:[A-Za-z]+(?:\\s\+[A-Za-z]+)*s?\??\|)+[A-Za-z]+(?:\\s\+[A-Za-z]+)*s?\??")


def _split_words(node: ast.AST) -> list[str]:
    """The words of ``"a b c".split()``: how the stages wrote their word lists."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "split"
        and not node.args
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        return [w for w in node.func.value.value.split() if w.isalpha()]
    return []


def _literal_words(node: ast.AST) -> list[str]:
    """The lower-case words of a set literal, or of a tuple or list literal that ``frozenset``/``set``
    builds a set from."""
    items: list[ast.expr] = []
    if isinstance(node, ast.Set):
        items = node.elts
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("frozenset", "set")
    ):
        arg = node.args[0] if node.args else None
        if isinstance(arg, ast.List | ast.Tuple):
            items = arg.elts
    strings = [e.value for e in items if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return [w for w in strings if w.isalpha() and w.islower()]


def _alternated_words(node: ast.AST) -> list[str]:
    """The longest run of words joined by ``|`` in a string constant (white space taken out, as a verbose
    pattern ignores it): a regular expression's word list."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return []
    text = re.sub(r"\s", "", node.value)
    return max((run.split("|") for run in _ALTERNATED.findall(text)), key=len, default=[])


def _word_lists(root: Path) -> list[str]:
    """Every list of ``MAX_LISTED_WORDS`` words or more in the modules under ``root`` outside ``lang/``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if (root / "lang") in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            words = _split_words(node) or _literal_words(node) or _alternated_words(node)
            if len(words) >= MAX_LISTED_WORDS:
                where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
                found.append(f"{where}: {len(words)} words ({', '.join(words[:4])}, ...)")
    return found


def test_no_stage_keeps_a_word_list_of_its_own() -> None:
    """Why: English's word lists (stopwords, cue words, abbreviations, the compressor's lists) live in
    ``nutgraf/lang/en.py`` and nowhere else, so that a second language is one new module beside it
    (docs/architecture.md, "A language"), not a hunt through every stage for the lists to translate.

    This fails when a module outside ``lang/`` defines a set of 15 or more words (``frozenset("a b
    ...".split())``, ``frozenset(("a", "b", ...))``, ``{"a", "b", ...}``) or a regular expression alternating
    as many (``(?:said|says|...)``). Put the list in the ``Language`` record (``lang/base.py``), fill it in
    ``lang/en.py``, and read it with ``nutgraf.lang.language("en")``; build the pattern with
    ``nutgraf.lang.alternation``."""
    assert _word_lists(SRC) == []


SHAPES = '''\
A = frozenset("wax wbx wcx wdx wex wfx wgx whx wix wjx wkx wlx wmx wnx wox".split())
B = frozenset(("wax", "wbx", "wcx", "wdx", "wex", "wfx", "wgx", "whx", "wix", "wjx", "wkx", "wlx", "wmx", "wnx", "wox"))
C = {"wax", "wbx", "wcx", "wdx", "wex", "wfx", "wgx", "whx", "wix", "wjx", "wkx", "wlx", "wmx", "wnx", "wox"}
D = r"\\b(?:wax|wbx|wcx|wdx|wex|wfx|wgx|whx|wix|wjx|wkx|wlx|wmx|wnx|wox)\\b"
E = r"""(?:
        Wax|Wbx|Wcx|Wdx|Wex|Wfx|Wgx|Whx
      | Wix|Wjx|Wkx|Wlx|Wmx|Wnx|Wox
    )"""
F = frozenset("wbx wcx wdx wex wfx wgx whx wix wjx wkx wlx wmx wnx wox".split())
'''


def test_the_word_list_guard_finds_the_shapes_lists_had(tmp_path: Path) -> None:
    """The guard is not vacuous: each shape the stages' word lists used to have is found (a list of 14
    words, F, is not)."""
    (tmp_path / "stage.py").write_text(SHAPES, encoding="utf-8")
    assert sorted(int(line.split(":")[1]) for line in _word_lists(tmp_path)) == [1, 2, 3, 4, 5]


def _nutgraf_imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "nutgraf":
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "nutgraf")
    return out


def test_lang_sits_at_the_bottom_beside_the_contracts() -> None:
    for path in sorted(LANG.glob("*.py")):
        outside = {
            m for m in _nutgraf_imports(path) if m != "nutgraf.errors" and not m.startswith("nutgraf.lang")
        }
        assert outside == set(), f"{path.name} imports {outside}"


@pytest.mark.parametrize(
    "module",
    [
        "clean.py",
        "segment.py",
        "features.py",
        "faithful.py",
        "learned/features.py",
        "compress/rules.py",
        "compress/syntax.py",
        "compress/model.py",
    ],
)
def test_the_stages_that_read_words_import_lang(module: str) -> None:
    assert "nutgraf.lang" in _nutgraf_imports(SRC / module)


# ----------------------------------------------------------------------------- detection and the option

_SAMPLES = {
    "en": "The city council approved a plan on Tuesday to rebuild the sea wall, officials said. Work starts in "
    "March and will take two years, the mayor told reporters after the vote.",
    "id": "Pemerintah kota menyetujui rencana pembangunan kembali tanggul laut pada hari Selasa. Pekerjaan "
    "akan dimulai pada bulan Maret dan memakan waktu dua tahun, kata wali kota kepada wartawan.",
    "vi": "Hội đồng thành phố đã thông qua kế hoạch xây dựng lại đê biển vào thứ Ba. Công việc sẽ bắt đầu "
    "vào tháng Ba và kéo dài hai năm, thị trưởng cho biết sau cuộc bỏ phiếu.",
    "de": "Der Stadtrat hat am Dienstag einen Plan zum Wiederaufbau des Deiches gebilligt. Die Arbeiten "
    "beginnen im März und dauern zwei Jahre, sagte der Bürgermeister nach der Abstimmung.",
    "zh": "市议会周二批准了重建海堤的计划。市长在投票后对记者说，工程将于三月开始，为期两年。",
}


@pytest.mark.parametrize("code", sorted(_SAMPLES))
def test_the_detector_names_the_language_of_a_news_paragraph(code: str) -> None:
    from nutgraf.lang.detect import detect

    found = detect(_SAMPLES[code])
    assert found.code == code and not found.mixed


def test_the_detector_says_when_it_cannot_tell_and_survives_control_characters() -> None:
    from nutgraf.lang.detect import detect

    assert detect("1-0 2-1 3:3 ... 4/5").code is None
    assert detect("\x00\x01" + _SAMPLES["de"] + "\x7f\x85").code == "de"
    mixed = detect(_SAMPLES["en"] + " " + _SAMPLES["de"])
    assert {mixed.code, mixed.second} == {"en", "de"}


def test_every_summary_carries_its_language_and_says_what_it_could_not_do() -> None:
    from nutgraf import Summarizer
    from nutgraf.ingest import from_text

    english = Summarizer()(from_text(_SAMPLES["en"] * 2, "en"))
    assert isinstance(english, nutgraf.Summary) and english.language == "en"
    assert not [w for w in english.warnings if w.code == "language"]
    german = Summarizer()(from_text(_SAMPLES["de"] * 2, "de"))
    assert isinstance(german, nutgraf.Summary) and german.language == "de"
    assert any(w.code == "language" and "German" in w.message for w in german.warnings)
    forced = Summarizer(language="id")(from_text(_SAMPLES["en"] * 2, "x"))
    assert isinstance(forced, nutgraf.Summary) and forced.language == "id"
    unknown = Summarizer()(from_text("Xq zv 7. Bbq rr 8. Zzk pp 9. " * 3, "u"))
    assert isinstance(unknown, nutgraf.Summary | nutgraf.Rejection)
    with pytest.raises(nutgraf.OptionError, match="ISO 639-1"):
        Summarizer(language="xx")
    with pytest.raises(nutgraf.OptionError, match="language"):
        nutgraf.Options(language="German")


def test_a_records_language_field_is_taken_over_detection() -> None:
    from nutgraf import Summarizer
    from nutgraf.ingest.jsonl import parse_record

    record = json.dumps({"id": "r", "text": _SAMPLES["en"] * 2, "language": "id"})
    result = Summarizer()(parse_record(record, "r"))
    assert isinstance(result, nutgraf.Summary) and result.language == "id"


def test_words_are_counted_in_english_sized_words_in_every_script() -> None:
    from nutgraf.features import word_count

    english = "The council approved the plan on Tuesday."
    assert word_count(english) == word_count(english, "en") == 7
    vietnamese = "Hội đồng thành phố đã thông qua kế hoạch xây dựng lại đê biển vào thứ Ba."
    assert (
        word_count(vietnamese, "vi")
        == math.ceil(len(vietnamese.split()) * LANGUAGES["vi"].words_per_unit)
        < 18
    )
    chinese = "市议会周二批准了重建海堤的计划。"
    assert word_count(chinese, "zh") >= 5 and word_count(chinese) == 1  # English rules see one "word"
    assert LANGUAGES["ms"].code == "id"  # Malay reads Indonesian's file


def test_outside_english_a_text_without_a_usable_sentence_falls_back_to_its_clauses() -> None:
    """A Vietnamese caption run of 150 syllables has no sentence a key point may be; its clauses, as spans of
    the text, are the candidates then. English keeps its no_sentences error."""
    from nutgraf import Summarizer
    from nutgraf.ingest import from_text

    clause = "Hàng ngàn người xếp hàng chờ kiểm tra an ninh vào trung tâm hội nghị quốc gia sáng nay"
    text = ", ".join([clause] * 8) + "."
    result = Summarizer(language="vi")(from_text(text, "vi"))
    assert isinstance(result, nutgraf.Summary) and result.highlights
    for h in result.highlights:
        assert "".join(text[s:e] for s, e in h.spans) == h.text and len(h.text.split()) < 100
    english = "word " * 120 + "end."
    rejected = Summarizer(language="en")(from_text(english, "en"))
    assert isinstance(rejected, nutgraf.Rejection) and rejected.reason == "no_sentences"


def test_a_chinese_web_page_is_not_refused_for_writing_no_spaces() -> None:
    """The HTML body check counts words before the language is known: a letter of an unspaced script is half
    a word, so a Chinese article of 60 characters is 30 words, not one."""
    from nutgraf.ingest import from_html
    from nutgraf.lang import rough_word_count

    body = "中国国家主席今天在北京会见了来访的法国总统。双方就两国关系和共同关心的国际问题深入交换了意见。"
    second = "会谈结束后，两国元首共同出席了合作文件签字仪式。"
    page = f"<html><body><article><p>{body}</p><p>{second}</p></article></body></html>"
    article = from_html(page, "zh")
    assert isinstance(article, nutgraf.Article) and article.text.startswith(body)
    assert rough_word_count(body) == round(sum(1 for c in body if "\u4e00" <= c <= "\u9fff") * 0.5)
    assert rough_word_count("The council met on Tuesday.") == 5
    stub = from_html("<html><body><article><p>市议会。</p></article></body></html>", "stub")
    assert isinstance(stub, nutgraf.Rejection) and stub.reason == "no_article"
