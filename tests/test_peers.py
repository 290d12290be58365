from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import pytest

from nutgraf.contracts import UnknownName
from nutgraf.evaluate.peers import PEER_NAMES, PeerUnavailable, load_peer, peer_note

ARTICLE = (
    "The city council approved a $40 million seawall on Tuesday after a storm flooded the harbor.\n\n"
    "Mayor Ana Ruiz said the barrier would protect 12,000 homes along the east shore. "
    "Construction of the seawall will begin in March and take three years. "
    "Engineers found cracks in dozens of places along the old harbor wall last spring. "
    '"We cannot wait for the next storm," Ruiz told reporters outside city hall.\n\n'
    "The state will pay half of the cost, and the council will borrow the rest. "
    "Some residents of the harbor district said the plan came too late for their homes. "
    "An independent panel will review the seawall's costs every six months."
)


def _in_order(text: str, picked: list[str]) -> bool:
    pos = 0
    for s in picked:
        i = text.find(s, pos)
        if i < 0:
            return False
        pos = i + len(s)
    return True


@pytest.fixture(scope="module", params=PEER_NAMES)
def peer_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def test_peer_names_are_the_four_peers() -> None:
    assert set(PEER_NAMES) == {"sumy-lexrank", "sumy-textrank", "sumy-lsa", "lede"}


def test_old_module_path_reexports_the_peers() -> None:
    from nutgraf import errors, peers
    from nutgraf.evaluate import peers as moved

    for name in ("PEER_NAMES", "INSTALL_LINE", "Peer", "PeerUnavailable", "load_peer", "peer_note"):
        assert getattr(peers, name) is getattr(moved, name), name
    assert PeerUnavailable is errors.PeerUnavailable


def test_peer_returns_k_substrings_in_document_order(peer_name: str) -> None:
    picked = load_peer(peer_name)(ARTICLE, 3)
    assert len(picked) == 3
    assert all(s and s in ARTICLE for s in picked)
    assert _in_order(ARTICLE, picked)


def test_peer_is_deterministic_across_calls_and_loads(peer_name: str) -> None:
    peer = load_peer(peer_name)
    first = peer(ARTICLE, 4)
    assert peer(ARTICLE, 4) == first
    assert load_peer(peer_name)(ARTICLE, 4) == first


def test_peer_returns_fewer_for_short_text(peer_name: str) -> None:
    text = "The mayor resigned on Tuesday after a long career. Her deputy takes over the office next week."
    picked = load_peer(peer_name)(text, 3)
    assert 1 <= len(picked) <= 2
    assert all(s in text for s in picked)


@pytest.mark.parametrize(
    "text",
    [
        "The mayor resigned on Tuesday after a long career in city politics.",
        "the mayor resigned on tuesday her deputy takes over and the council will vote on a budget next week",
    ],
    ids=["one_sentence", "no_punctuation"],
)
def test_peer_returns_the_single_sentence_of_a_one_sentence_text(peer_name: str, text: str) -> None:
    assert load_peer(peer_name)(text, 3) == [text]


def test_peer_returns_nothing_for_empty_text(peer_name: str) -> None:
    assert load_peer(peer_name)("  \n\n ", 3) == []


def test_peer_keeps_repeated_sentences_apart(peer_name: str) -> None:
    text = "Rain fell. Rain fell. The river rose over its banks. Rain fell. Officials told residents to go."
    picked = load_peer(peer_name)(text, 3)
    assert len(picked) <= 3
    assert _in_order(text, picked)


def test_peer_rejects_k_below_one(peer_name: str) -> None:
    with pytest.raises(ValueError, match="k must be a positive number"):
        load_peer(peer_name)(ARTICLE, 0)


def test_unknown_peer_raises_unknown_name_listing_choices() -> None:
    expected = "Unknown peer 'x'. Available: lede, sumy-lexrank, sumy-lsa, sumy-textrank"
    with pytest.raises(UnknownName) as exc:
        load_peer("x")
    assert str(exc.value) == expected
    with pytest.raises(UnknownName, match="Available: lede, sumy-lexrank"):
        peer_note("x")


def test_peer_note_names_the_installed_version(peer_name: str) -> None:
    package = "lede" if peer_name == "lede" else "sumy"
    note = peer_note(peer_name)
    assert f"{package} {metadata.version(package)}" in note
    assert "\n" not in note


def test_importing_peers_does_not_import_sumy_or_lede() -> None:
    code = (
        "import sys, nutgraf.peers, nutgraf.evaluate; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sumy', 'lede', 'nltk', 'numpy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("name", "package"),
    [("sumy-lexrank", "sumy"), ("sumy-textrank", "sumy"), ("sumy-lsa", "sumy"), ("lede", "lede")],
)
def test_missing_package_raises_peer_unavailable_with_install_line(
    monkeypatch: pytest.MonkeyPatch, name: str, package: str
) -> None:
    for module in [m for m in sys.modules if m.startswith(f"{package}.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, package, None)
    with pytest.raises(PeerUnavailable) as exc:
        load_peer(name)
    assert "pip install 'nutgraf[eval]'" in str(exc.value)
    assert f"{package!r}" in str(exc.value)


def test_sumy_peer_without_numpy_raises_peer_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)
    with pytest.raises(PeerUnavailable, match=r"'numpy'.*pip install 'nutgraf\[eval\]'"):
        load_peer("sumy-lexrank")


def test_lede_peer_matches_lede_summarize_at_the_same_length() -> None:
    """Top-k by lede's ranking is what lede's own greedy selector picks given exactly their length."""
    import lede

    picked = load_peer("lede")(ARTICLE, 3)
    budget = sum(map(len, picked)) + len(picked) - 1
    assert lede.summarize(ARTICLE, max_length=budget).summary == " ".join(picked)


def test_lede_peer_maps_sentences_back_when_lede_drops_nul() -> None:
    text = (
        "The mayor\x00 resigned on Tuesday after ten years. Her deputy takes over the office today. "
        "The council will vote on the budget next week. Markets in the city fell sharply on the news."
    )
    picked = load_peer("lede")(text, 4)
    assert len(picked) == 4
    assert picked[0] == "The mayor\x00 resigned on Tuesday after ten years."
    assert all(s in text for s in picked)
