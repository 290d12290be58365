from __future__ import annotations

import pytest

from nutgraf.faithful import opener_issue, quote_issue


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He said the talks would resume on Monday.", "dangling_pronoun"),
        ("She was taken to hospital with minor injuries.", "dangling_pronoun"),
        ("They argued that the plan was too expensive.", "dangling_pronoun"),
        ('"It was terrible," he said.', "dangling_pronoun"),
        ("This is the most important vote of the year.", "dangling_pronoun"),
        ("But the chief engineer told the council it would not last.", "dangling_connective"),
        ("However, officials said the bridge would stay closed.", "dangling_connective"),
        ("And on Thursday the manager paid tribute to the players.", "dangling_connective"),
        ("Meanwhile, the rebels advanced on the capital.", "dangling_connective"),
        ("The 39-year-old paid tribute to the players.", "dangling_epithet"),
        ("The pair were married in 2010.", "dangling_epithet"),
    ],
)
def test_opener_issue_flags_dependent_openings(text: str, code: str) -> None:
    issue = opener_issue(text)
    assert issue is not None
    assert issue.code == code


@pytest.mark.parametrize(
    "text",
    [
        "The Harbor City Council voted 7-2 on Tuesday night to rebuild the seawall.",
        "This year the festival drew 40,000 visitors.",
        "Hermione Granger is a fictional character.",
        "Theresa May said the election would be held in June.",
        "Butler University won the game 70-61.",
        "Andrew Cuomo signed the bill on Friday.",
        "The mayor said the bridge would reopen.",
        "Italy's prime minister resigned.",
    ],
)
def test_opener_issue_leaves_self_contained_sentences_alone(text: str) -> None:
    assert opener_issue(text) is None


@pytest.mark.parametrize(
    ("text", "unbalanced"),
    [
        ('"We will rebuild," the mayor said.', False),
        ("“We will rebuild,” the mayor said.", False),
        ('"We will rebuild. We will not wait.', True),
        ("“We will rebuild.", True),
        ("He said , `` we will rebuild . ''", False),
        ("He said , `` we will rebuild .", True),
        ("The players' union said it would appeal.", False),
    ],
)
def test_quote_issue_detects_unbalanced_double_quotes(text: str, unbalanced: bool) -> None:
    assert (quote_issue(text) is not None) is unbalanced


@pytest.mark.parametrize(
    "text", ["Then-President Barack Obama signed the bill.", "So-called experts disagreed."]
)
def test_opener_issue_ignores_hyphenated_compounds(text: str) -> None:
    assert opener_issue(text) is None
