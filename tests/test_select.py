from __future__ import annotations

from nutgraf.contracts import Article, Document, Options, Sentence
from nutgraf.features import sentence_features
from nutgraf.select import select


def make_doc(*sentences: str) -> Document:
    """A document whose sentences are joined by single spaces, with exact offsets."""
    text = " ".join(sentences)
    out = []
    pos = 0
    for i, s in enumerate(sentences):
        out.append(Sentence(text=s, start=pos, end=pos + len(s), paragraph=0, index=i))
        pos += len(s) + 1
    return Document(article=Article(id="t", text=text), sentences=tuple(out))


LEAD_SCORES = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4)

SIX = (
    "The city council approved a new seawall plan on Tuesday night.",
    "Construction of the barrier will begin in March next year.",
    "Residents of the east side packed the chamber to hear the vote.",
    "The state will pay thirty million dollars of the total cost.",
    "Engineers found cracks in dozens of places along the old wall.",
    "An independent panel will review the costs every six months.",
)


def run(doc: Document, scores: tuple[float, ...], **kw: object) -> tuple[list[int], list[str]]:
    feats = sentence_features(doc)
    highlights, notices = select(doc, feats, scores, Options(**kw))  # type: ignore[arg-type]
    return [i for h in highlights for i in h.sentences], [n.code for n in notices]


def test_select_takes_top_k_by_score_in_document_order() -> None:
    doc = make_doc(*SIX)
    picked, notices = run(doc, (0.1, 0.9, 0.2, 0.8, 0.3, 0.7), k=3)
    assert picked == [1, 3, 5]
    assert notices == []


def test_select_orders_by_score_when_asked() -> None:
    doc = make_doc(*SIX)
    feats = sentence_features(doc)
    highlights, _ = select(doc, feats, (0.1, 0.9, 0.2, 0.8, 0.3, 0.7), Options(k=3, order="score"))
    assert [h.sentences[0] for h in highlights] == [1, 3, 5]
    assert [h.rank for h in highlights] == [1, 2, 3]
    highlights, _ = select(doc, feats, (0.1, 0.7, 0.2, 0.8, 0.3, 0.9), Options(k=3, order="score"))
    assert [h.sentences[0] for h in highlights] == [5, 3, 1]


def test_select_breaks_score_ties_by_position() -> None:
    doc = make_doc(*SIX)
    picked, _ = run(doc, (0.5,) * 6, k=2)
    assert picked == [0, 1]


def test_select_spans_reproduce_the_text() -> None:
    doc = make_doc(*SIX)
    feats = sentence_features(doc)
    highlights, _ = select(doc, feats, LEAD_SCORES, Options(k=4))
    for h in highlights:
        assert "".join(doc.article.text[s:e] for s, e in h.spans) == h.text


def test_select_warns_when_the_article_has_fewer_usable_sentences() -> None:
    doc = make_doc(SIX[0], "Too short.", SIX[1])
    picked, notices = run(doc, (0.9, 0.8, 0.7), k=3)
    assert picked == [0, 2]
    assert notices == ["fewer_key_points"]


def test_select_word_budget_never_cuts_a_sentence() -> None:
    doc = make_doc(*SIX)
    feats = sentence_features(doc)
    highlights, _ = select(doc, feats, LEAD_SCORES, Options(max_words=25))
    assert sum(len(h.text.split()) for h in highlights) <= 25
    assert all(h.text in SIX for h in highlights)
    assert len(highlights) == 2  # 11 + 10 words; the third (12) would exceed 25


def test_select_char_budget_skips_what_does_not_fit_and_goes_on() -> None:
    doc = make_doc("A very long opening sentence " + "that goes on and on " * 8 + "until it ends.", *SIX[1:])
    feats = sentence_features(doc)
    highlights, _ = select(doc, feats, LEAD_SCORES, Options(max_chars=130))
    assert highlights
    assert 0 not in [h.sentences[0] for h in highlights]
    assert sum(len(h.text) for h in highlights) <= 130


def test_select_drops_a_near_duplicate_sentence() -> None:
    doc = make_doc(
        SIX[0],
        "The city council approved the new seawall plan late on Tuesday night.",
        SIX[1],
        SIX[2],
    )
    picked, _ = run(doc, (0.9, 0.8, 0.7, 0.6), k=3)
    assert picked == [0, 2, 3]


def test_select_replaces_a_dangling_pronoun_with_the_next_clean_sentence() -> None:
    doc = make_doc(
        SIX[0], SIX[1], SIX[2], "He said the barrier would protect six hundred homes.", SIX[4], SIX[5]
    )
    picked, notices = run(doc, (0.9, 0.8, 0.1, 0.85, 0.5, 0.4), k=3)
    assert picked == [0, 1, 4]
    assert notices == ["dangling_pronoun"]


def test_select_keeps_a_pronoun_whose_referent_is_the_key_point_before_it() -> None:
    doc = make_doc(
        "Mayor Elena Ruiz defended the seawall plan at the council meeting.",
        "She said the barrier would protect six hundred homes.",
        *SIX[1:4],
    )
    picked, notices = run(doc, (0.9, 0.85, 0.8, 0.2, 0.1), k=3)
    assert picked == [0, 1, 2]
    assert notices == []


def test_select_prefers_replacing_a_dangling_connective_over_joining() -> None:
    doc = make_doc(
        SIX[0], SIX[1], "Officials had warned of the danger for years.", "But the council waited a decade."
    )
    picked, notices = run(doc, (0.9, 0.8, 0.1, 0.7), k=3)
    assert picked == [0, 1, 2]
    assert notices == ["dangling_connective"]


def test_select_brings_in_the_sentence_a_connective_depends_on_when_nothing_else_is_left() -> None:
    doc = make_doc(
        SIX[0],
        "The city council approved the new seawall plan late on Tuesday night.",  # redundant with the first
        "But the council waited a whole decade before acting.",
    )
    picked, notices = run(doc, (0.9, 0.1, 0.8), k=2)
    # Sentence 2 is too close to sentence 1 to stand as a key point of its own, so nothing is left to
    # replace sentence 3: sentence 2 is joined to it instead.
    assert picked == [0, 1, 2]
    assert notices == ["dangling_connective"]
    feats = sentence_features(doc)
    highlights, _ = select(doc, feats, (0.9, 0.1, 0.8), Options(k=2))
    assert len(highlights) == 2
    assert highlights[1].sentences == (1, 2)
    assert highlights[1].text == doc.article.text[doc.sentences[1].start : doc.sentences[2].end]


def test_select_only_warns_when_repair_is_off() -> None:
    doc = make_doc(SIX[0], SIX[1], SIX[2], "He said the barrier would protect six hundred homes.", SIX[4])
    picked, notices = run(doc, (0.9, 0.8, 0.1, 0.85, 0.5), k=3, repair=False)
    assert picked == [0, 1, 3]
    assert notices == ["dangling_pronoun"]


def test_select_replaces_a_sentence_with_an_unbalanced_quote() -> None:
    doc = make_doc(SIX[0], '"We will not wait for another storm to hit us.', SIX[2], SIX[3])
    picked, notices = run(doc, (0.9, 0.8, 0.7, 0.6), k=3)
    assert picked == [0, 2, 3]
    assert notices == ["unbalanced_quotes"]


def test_select_fills_k_with_a_held_back_sentence_when_nothing_else_is_left() -> None:
    doc = make_doc(SIX[0], "The council approved the seawall plan after a long debate on Tuesday.", SIX[1])
    picked, notices = run(doc, (0.9, 0.8, 0.7), k=3)
    assert picked == [0, 1, 2]
    assert notices == []


def test_select_never_repeats_a_key_point_to_reach_k() -> None:
    doc = make_doc(SIX[0], SIX[0], SIX[0], SIX[1])
    picked, notices = run(doc, (0.9, 0.8, 0.7, 0.6), k=3)
    assert picked == [0, 3]
    assert notices == ["fewer_key_points"]


def test_select_char_budget_counts_a_joined_key_point_whole() -> None:
    doc = make_doc(
        SIX[0],
        "The city council approved the new seawall plan late on Tuesday night.",
        "But the council waited a whole decade before acting.",
    )
    feats = sentence_features(doc)
    for limit in (60, 100, 130, 200):
        highlights, _ = select(doc, feats, (0.9, 0.1, 0.8), Options(k=2, max_chars=limit))
        assert sum(len(h.text) for h in highlights) <= limit


def test_select_never_joins_a_sentence_it_rejected_nor_uses_a_sentence_twice() -> None:
    doc = make_doc(
        '"This is a quote that goes on for a while," he said.',
        '"And another one follows here today," she said.',
        '"Yet a third quote is in this article now," they said.',
        '"He did it again and again and again," it said.',
    )
    feats = sentence_features(doc)
    for k in (1, 2, 3, 4):
        highlights, _ = select(doc, feats, (0.4, 0.9, 0.8, 0.7), Options(k=k))
        used = [i for h in highlights for i in h.sentences]
        assert len(used) == len(set(used))


def test_select_score_order_puts_a_dependent_key_point_after_its_referent() -> None:
    doc = make_doc(
        "Mayor Elena Ruiz defended the seawall plan at the council meeting.",
        "She said the barrier would protect six hundred homes.",
        *SIX[1:3],
    )
    feats = sentence_features(doc)
    highlights, _ = select(doc, feats, (0.5, 0.9, 0.8, 0.1), Options(k=3, order="score"))
    # By score: 1, 2, 0; but sentence 1 ("She said...") leans on sentence 0, so it follows it.
    assert [h.sentences for h in highlights] == [(2,), (0,), (1,)]
    assert [h.rank for h in highlights] == [2, 3, 1]


def test_select_does_not_flag_the_articles_first_sentence() -> None:
    doc = make_doc("The couple married in Paris in front of two hundred guests.", SIX[1], SIX[2])
    picked, notices = run(doc, (0.9, 0.8, 0.7), k=3)
    assert picked == [0, 1, 2]
    assert notices == []


def test_repairs_stop_after_a_bounded_number_of_rounds() -> None:
    import random

    from nutgraf import summarize
    from nutgraf.select import MAX_REPAIRS

    rng = random.Random(0)
    vocab = [f"w{j}" for j in range(5000)]
    # Every sentence leans on one the reader will not see: each would cost a repair round.
    text = " ".join("He said " + " ".join(rng.sample(vocab, 8)) + "." for _ in range(MAX_REPAIRS * 10))
    result = summarize(text)
    codes = [w.code for w in result.warnings if w.code != "language"]  # the w-words are no language
    assert codes[-1] == "repairs_stopped" and len(codes) == MAX_REPAIRS + 1
