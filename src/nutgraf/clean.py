"""Mark news page furniture (datelines, bylines, promos, credits) so it stays out of key-point selection.

The cleaner never rewrites the text: it returns ``Furniture`` spans into ``article.text`` and later stages
treat the gaps between them as body regions. Each span is tight on its left edge and may swallow the
separator that follows (`` -- ``, `` . ``, ``\\xa0. ``, whitespace) so a region starts on a body word.

Speed (~110 µs/article on validation+test): the head of the article is matched with four anchored
patterns; each body rule runs only if one of its literal keywords is in the text (a C-speed substring
test), and then as one literal-prefixed ``finditer``. Rules were chosen and tuned with
``scripts/furniture_survey.py`` over every file in the shared CNN/DailyMail data (hit counts, read
samples, overlap with reference highlights); re-run it after changing a pattern. Precision beats recall
here: a false positive hides a real body sentence.
"""

from __future__ import annotations

import re

from nutgraf import webfurniture
from nutgraf.contracts import Article, CleanArticle, Furniture
from nutgraf.lang import language

__all__ = ["RULES", "TAIL_RULES", "FurnitureCleaner", "clean"]

# Trailing separator a furniture span may keep: dashes, a flattened-paragraph " . ", NBSP, whitespace.
_SEP = r"(?:[ \t\xa0]*\.{1,3}(?=\s|$))?\s*"

# ---------------------------------------------------------------------------------------------- head rules
# A place before a dateline: capitalized words and commas ("LONDON, England", "Port-au-Prince, Haiti",
# "Dar Es Salaam, Tanzania", "West of Baghdad, Iraq"). Other lower-case words would let a body sentence
# such as "Andreas Lubitz (above) had ..." through, so only a few connectors are allowed.
_PLACE = r"[A-Z][\w'.\-]*(?:,?[ \t]+(?:[A-Z][\w'.\-]*|of|de|del|la|el|al|es|du)){0,5},?[ \t]*"
# Outlets seen in the data with a " -- " dateline; any capitalized name is accepted when the dashes follow.
_OUTLET = r"[A-Z][\w.+&' ]{0,38}?"
# Outlets that also appear glued to the first word without dashes: "(The Hollywood Reporter)Stan ...".
# (Escaped spaces: the dateline pattern is compiled with re.VERBOSE.)
_GLUED_OUTLET = (
    r"The\ Hollywood\ Reporter|Billboard|Rolling\ Stone|WIRED|Wired|HLN(?:tv)?(?:\.com)?|"
    r"Kaiser\ Health\ News|EW(?:\.com)?|Mashable|[A-Z][\w]{1,20}\.com"
)
# The CNN family, in either case: "(CNN)", "( cnn )", "(CNN Student News)", "(CNNMoney)", "(CNNGo)",
# "(CNN Business)".
_CNN = r"(?:CNN|cnn)(?:[A-Z][\w.]*|\.com|[ \t]+(?:Student[ \t]+News|Money|Business))?"
_DASH = r"(?:[ \t\xa0]*(?:--|—|–)[ \t\xa0]*|[ \t\xa0]+-[ \t\xa0]+)"
# "(CNN Student News) -- May 5, 2010" lines carry the show date as well.
_SHOW_DATE = r"(?:[A-Z][a-z]+\.?[ \t]+\d{1,2},[ \t]+\d{4}(?=[ \t]*(?:\n|$)))?"

_DATELINE = re.compile(
    rf"""\s*(?:
        (?:{_PLACE})?\([ \t]*{_CNN}[ \t]*\)(?:{_DASH}{_SHOW_DATE}|[ \t\xa0]*)
      | (?:{_PLACE})?\([ \t]*{_OUTLET}[ \t]*\)(?:{_DASH})
      | \([ \t]*(?:{_GLUED_OUTLET})[ \t]*\)[ \t]*(?=[A-Z"“'])
    )\s*""",
    re.VERBOSE,
)

# Daily Mail bylines in the Hugging Face "flat" layout, where each header line became " . ":
# "By . Daily Mail Reporter . ", "By . Sam Webb and Dan Bloom . ", "By . John Smith . and . Jane Doe . ".
# These shapes are not in the shared data (its Daily Mail texts start at the body); they come from the
# full CNN/DailyMail 3.0.0 release and are covered by hand-built tests.
_NAME = r"[A-Z][^.|\n]{0,80}?"
_BYLINE = re.compile(
    rf"""\s*(?:
        By[ \t]+\.[ \t]+{_NAME}(?:[ \t]+\.[ \t]+(?:and|&)[ \t]+\.[ \t]+{_NAME})*[ \t]+\.(?=\s)
      | By[ \t]+[A-Z][A-Z'’\-]+(?:[ \t]+[A-Z][A-Z'’\-.]*){{0,3}}
        (?:[ \t]+(?:and|AND|&)[ \t]+[A-Z][A-Z'’\-]+(?:[ \t]+[A-Z][A-Z'’\-.]*){{0,3}})?
        (?=[ \t]*(?:\.[ \t]|\n|$|[ \t]+PUBLISHED|[ \t]+Last[ \t]updated))[ \t]*\.?
    )\s*""",
    re.VERBOSE,
)
_CLOCK = r"\d{1,2}:\d{2}(?:[ \t]*[AaPp]\.?[Mm]\.?)?"
_DATE = r"\d{1,2}(?:st|nd|rd|th)?[ \t]+[A-Z][a-z]+\.?,?[ \t]+\d{4}"
_TIMESTAMP = re.compile(
    rf"""\s*(?:
        (?:\|[ \t]*\.[ \t]*)?(?:PUBLISHED|UPDATED):[ \t]*\.?[ \t]*
        {_CLOCK}[ \t]+[A-Z]{{2,4}},[ \t]+{_DATE}[ \t]*\.?
      | Last[ \t]+updated[ \t]+at[ \t]+{_CLOCK}(?:[ \t]+[A-Z]{{2,4}})?[ \t]+on[ \t]+{_DATE}[ \t]*\.?
    )\s*""",
    re.VERBOSE,
)
# "Editor's note: ..." opening a story-form article runs to the end of its line. In flat text the note's
# end cannot be told from the body's start, so it is left alone there.
_EDITOR_NOTE = re.compile(r"\s*Editor['’]s [Nn]ote:[^\n]{1,600}\n\s*")

# The same datelines in lower-cased, PTB-tokenized archives (See et al.'s CNN/DailyMail): "washington ( cnn )
# --", "london , england ( cnn ) --", "-lrb- cnn -rrb- --". Lower-case words only, so cased text never takes
# this path (``_DATELINE`` reads it); 52% of the first 3,000 train_lower CNN stories open with a place before
# "( cnn )", which no cased rule matches (scripts/furniture_survey.py style count, 2026-11-29).
# Other outlets in the same form: the glued outlets above, lower-cased ("( ew.com )", "( the hollywood
# reporter )", "( mashable )"), and any parenthesized name followed by " --" ("( financial times ) --"); with
# the CNN family they open 52% of the train_lower stories (18,471 "( cnn )", 1,200+ other outlets).
_OPEN_LOWER = r"(?:\(|-lrb-)[ \t]*"
_CLOSE_LOWER = r"[ \t]*(?:\)|-rrb-)"
_DATELINE_LOWER = re.compile(
    r"\s*(?:[a-z][a-z'.\-]*[ \t]+(?:,[ \t]+)?){0,6}(?:"
    rf"{_OPEN_LOWER}(?:cnn(?:[ \t]+student[ \t]+news|money|go)?|{_GLUED_OUTLET.lower()}){_CLOSE_LOWER}"
    r"(?:[ \t]+--)?"
    rf"|{_OPEN_LOWER}[a-z][\w.+&' ]{{0,38}}?{_CLOSE_LOWER}[ \t]+--"
    r")[ \t]*"
)

# Daily Mail bylines in the same lower-cased form: "by . daily mail reporter . ", "by . sam webb and dan bloom
# . ", "by . jenny awford for mailonline . ". 6,866 of the 16,217 Daily Mail stories of train_lower open with
# one (2026-11-29); the cased rule above needs "By".
_BYLINE_LOWER = re.compile(
    r"\s*by[ \t]+\.[ \t]+[a-z][^.|\n]{0,80}?"
    r"(?:[ \t]+\.[ \t]+(?:and|&)[ \t]+\.[ \t]+[a-z][^.|\n]{0,80}?)*[ \t]+\.(?=\s)\s*"
)

# Outside English (the Summarizer knows the language before it cleans): an outlet or place and outlet before a
# spaced dash at the very start of the text, "Suara.com - ", "Jakarta, CNN Indonesia - - ", "JUARA.NET,
# BEIJING - ", "Rimanews - ": up to five capitalised words, 50 characters at most, that name an outlet or a
# place and outlet (a domain, a comma, capitals only, or one word: not "Bạch Công Khanh - Quán quân ...", a
# name and its apposition). 480 of the 663 IndoSum validation stories open so, and their human summaries leave
# the dateline out; 0 of the 2,277 Vietnamese ones. English plain text keeps its own rules; text extracted
# from a web page takes this one too ("DUBAI, United Arab Emirates — ").
_LEAD_DATELINE = re.compile(
    r"\s*(?P<d>[A-Z][\w.&]*(?:,?[ \t]+[A-Z][\w.&]*){0,4}[ \t]*(?:-[ \t]*-|--|—|–|-))[ \t]+(?=[A-Z“\"'‘])"
)
_LEAD_DATELINE_MAX = 50

_HEAD: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("note_editor", _EDITOR_NOTE),
    ("dateline_head", _DATELINE),
    ("dateline_lower", _DATELINE_LOWER),
    ("byline_head", _BYLINE),
    ("byline_lower", _BYLINE_LOWER),
    ("timestamp_head", _TIMESTAMP),
)

# ---------------------------------------------------------------------------------------------- body rules
# Body rules start with a literal keyword so the regex engine can skip ahead on its first character; the
# "at a sentence start" condition is checked in Python on the (few) matches, see ``_at_sentence_start``.

# The end of a furniture sentence: its full stop (or '!') before whitespace/end, or the end of its line.
_SE = r"(?:[.!]+(?=\s|$)|(?=\n|$))"
# The end of a headline (link text) that had no full stop: end of line, or the flat layout's " . ".
_HE = r"(?=[ \t\xa0]+\.(?:\s|$)|\n|$)"
# Sentence text that does not cross a sentence end ("U.S.A", "Mike M. Ahlers" are fine, "Jr. Smith" is not).
_ST = r"(?:[^.!?\n]|\.(?=\w)|(?<=\s[A-Z])\.)"

# (name, pattern, must start a sentence). The name's prefix before "_" is the furniture kind. Article
# counts (all 11,210 shared articles) and precision checks are in scripts/furniture_survey.py's output.
RULES: tuple[tuple[str, str, bool], ...] = (
    # "Scroll down for video. " (745 articles), "SCROLL DOWN FOR VIDEO\xa0. ", "scroll down to video . ".
    (
        "promo_scroll",
        r"(?i:scroll[ \t]+down[ \t]+(?:for|to)[ \t]+(?:the[ \t]+)?"
        r"(?:videos?|full[ \t]+squad|recipes?|more|pictures?|photos?|gallery))\b" + _SEP,
        False,
    ),
    # Link headlines on their own line in story form, or ended by the flat " . ": "READ MORE: ...",
    # "Video: ...", "Opinion: ...", "Read this: ...". A headline ends without a full stop (or with ?/!),
    # so in flat text one that runs into a body sentence is not matched.
    (
        "promo_headline",
        r"(?:READ[ \t]+MORE|Read[ \t]+more|Read[ \t]+this|Video|Watch|Photos|Gallery|Interactive|"
        r"Opinion|Timeline|Quiz|Poll|iReport|Map|Related):[ \t]+(?:[^\n.!?]|[.!?](?=\S)){1,200}?"
        r"(?:[?!]|" + _HE + ")" + _SEP,
        True,
    ),
    # "Click here to help." / "Click here to access the transcript ...". A quote never starts with it.
    # Daily Mail glues the next body sentence on after a closing bracket ("... goal (below) Austin has"):
    # the promo then ends at the bracket.
    (
        "promo_click",
        r"(?:Click|CLICK)[ \t]+(?:here|HERE)\b(?:(?!\)[ \t]+[A-Z])" + _ST + r"){0,200}?"
        r"(?:\)(?=[ \t]+[A-Z])|" + _SE + r")\s*",
        True,
    ),
    # "Watch Anderson Cooper 360° weeknights 8pm ET." that precedes "For the latest from AC360° click here."
    (
        "promo_watch",
        r"Watch[ \t]"
        + _ST
        + r"{1,60}?[ \t](?:weeknights|weekdays|weekends|Sundays|Saturdays|nightly|Monday[ \t]through[ \t]\w+)"
        + r"[ \t]"
        + _ST
        + r"{1,30}?ET\.\s*",
        True,
    ),
    # Magazine footers: "See the original article at EW.com.", "Subscribe to WIRED magazine ... Click here!",
    # "For more mental_floss articles, visit mentalfloss.com".
    (
        "promo_magazine",
        r"(?:See[ \t]+(?:the[ \t]+)?(?:original|full)[ \t]+(?:article|story)[ \t]+at[ \t]+\S+?\.(?=\s|$)"
        r"|Subscribe[ \t]+(?:to|now)\b[^\n]{0,160}?"
        + _SE
        + r"(?:[ \t]+Click[ \t]+here!|[ \t]+That's[ \t]+like[ \t]+getting[^\n.]{1,40}\.)?"
        r"|For[ \t]+more[ \t]+\S+[ \t]+articles,[ \t]+visit[ \t]+\S+?" + _SE + r")\s*",
        True,
    ),
    # "E-mail to a friend" (185 train articles, the old CNN share bar), "Share this article".
    ("share_email", r"(?:E-mail|Email)[ \t]+to[ \t]+a[ \t]+friend\b[ \t\xa0]*\.?\s*", False),
    ("share_article", r"Share[ \t]+this[ \t]+(?:article|story)(?=[ \t\xa0]*(?:\n|$|[.|]))" + _SEP, True),
    # "Follow @CNNPhotos on Twitter to join ...", "Follow Jarrett Bellini on Twitter.", "Join us on
    # Facebook.com/CNNOpinion.", "Join the conversation on Facebook".
    (
        "share_follow",
        r"(?:Follow[ \t]+(?:@\w+|CNN[\w' ]{0,30}?|[A-Z][\w'.\-]*(?:[ \t]+[A-Z][\w'.\-]*){0,3})[ \t]+on[ \t]+"
        r"(?:Twitter|Facebook|Instagram)"
        r"|Join[ \t]+(?:us|the[ \t]+conversation)[ \t]+on[ \t]+Facebook)" + _ST + r"{0,80}?" + _SE + r"\s*",
        True,
    ),
    # "Additional reporting by Gwen Chen in Beijing" on its own line.
    ("credit_reporting", r"Additional[ \t]+reporting[ \t]+by[ \t][^\n]{1,120}?" + _SE + r"\s*", True),
    # "© 2011 Entertainment Weekly and Time Inc. All rights reserved.", "Copyright 2011 Wired.com.",
    # "TM & © 2010 Harpo Productions, Inc. All Rights Reserved.", "Entire contents of this article copyright".
    (
        "credit_copyright",
        r"(?:TM[ \t]+&[ \t]+)?(?:Copyright\b|COPYRIGHT\b|©"
        r"|Entire[ \t]+contents[ \t]+of[ \t]+this[ \t]+article[ \t]+copyright)"
        r"[^\n]{0,120}?(?:[Rr]eserved\b\.?|(?=[ \t]*(?:\n|$)))\s*",
        True,
    ),
    # "The opinions expressed in this commentary are solely those of David Frum."
    (
        "note_opinions",
        r"The[ \t]+(?:opinions|views)[ \t]+expressed[ \t]+in[ \t]+this[ \t]+(?:commentary|article|"
        r"column|piece)[ \t]+are[ \t]+(?:solely[ \t]+)?those[ \t]+of" + _ST + r"{1,120}?" + _SE + r"\s*",
        True,
    ),
    # Daily Mail photo labels: "Pictured: A real ticket from 2011." (one sentence).
    ("caption_pictured", r"Pictured:[ \t\xa0]+[A-Z\"'‘“]" + _ST + r"{0,200}?[.!?](?=\s|$)" + _SEP, True),
    # Magazine bylines closing a story: "By Lisa Kogan from Oprah.com © 2010" on its own line.
    (
        "byline_from",
        r"By[ \t]+[A-Z][\w.'’\-]*(?:[ \t]+[A-Z][\w.'’\-]*){1,3}[ \t]+from[ \t][^\n]{1,80}?(?=\n|$)\s*",
        True,
    ),
    # "Editor's note: An earlier version of this article ..." as a line of story-form text (after a line
    # break, so flat text, which has none, never loses its body to an open-ended note).
    ("note_editorline", r"(?<=\n)Editor['’]s [Nn]ote:[^\n]{1,600}(?=\n|$)\s*", False),
    # CNN transcripts: "THIS IS A RUSH TRANSCRIPT. THIS COPY MAY NOT BE IN ITS FINAL FORM AND MAY BE UPDATED."
    ("note_transcript", r"THIS IS A RUSH TRANSCRIPT\.[^\n]{0,100}?UPDATED\.\s*", False),
    # "Video courtesy of signaturefilmsphotography.com."
    ("credit_video", r"Video[ \t]+courtesy(?:[ \t]+of)?[ \t]*:?" + _ST + r"{1,80}?" + _SE + _SEP, True),
)

# Rules whose keyword sits at the end of the sentence: found by the keyword, then matched from the start
# of its sentence (at most 400 characters back). (name, trigger, pattern from the sentence start).
TAIL_RULES: tuple[tuple[str, str, str], ...] = (
    # "CNN's John Smith and Jane Doe contributed to this report.", "-- CNN's Reza Sayah contributed to this
    # report.", "Journalist Ian Lee contributed to this report from Cairo", long lists of names (400 chars).
    (
        "credit_contributed",
        r"\b(?:contributed|reported)[ \t]+(?:to|for)[ \t]+this[ \t]+(?:report|story|article)",
        r"(?:--[ \t]*)?[A-Z]" + _ST + r"{0,400}?\b(?:contributed|reported)[ \t]+(?:to|for)[ \t]+this[ \t]+"
        r"(?:report|story|article)\b" + _ST + r"{0,120}?" + _SE + r"\s*",
    ),
    # "For the latest from AC360° click here.", "Get a FREE TRIAL issue of InStyle - CLICK HERE!",
    # "For another opinion, click here" ending its line.
    (
        "promo_clickend",
        r"\b(?:click|CLICK)[ \t]+(?:here|HERE)(?:[.!]|(?=[ \t]*(?:\n|$)))",
        r"[A-Z](?:[^.!?\n\"“”]|\.(?=\w)){0,160}?\b(?:click|CLICK)[ \t]+(?:here|HERE)"
        r"(?:[.!]+(?=\s|$)|(?=[ \t]*(?:\n|$)))\s*",
    ),
)

# Cheap substring pre-filters: a rule's regex runs only on texts holding one of its keywords. One combined
# alternation of all rules was measured 3x slower than this (CPython's re loses its literal-prefix scan on
# an alternation); most articles hold none of the keywords, so most rules cost one ``in`` test.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "promo_scroll": ("croll down", "CROLL DOWN", "croll Down"),
    "promo_headline": (": ",),
    "promo_click": ("Click here", "CLICK HERE", "Click Here"),
    "promo_watch": (" ET.",),
    "promo_magazine": ("See ", "Subscribe ", "For more "),
    "share_email": ("to a friend",),
    "share_article": ("Share this",),
    "share_follow": ("Follow ", "Join "),
    "credit_reporting": ("Additional reporting",),
    "credit_copyright": ("Copyright", "©", "copyright", "COPYRIGHT"),
    "note_opinions": (" expressed in this ",),
    "caption_pictured": ("Pictured:",),
    "credit_video": ("Video courtesy",),
    "byline_from": (" from ",),
    "note_editorline": ("s note:", "s Note:"),
    "note_transcript": ("RUSH TRANSCRIPT",),
    "credit_contributed": (" this report", " this story", " this article"),
    "promo_clickend": ("click here", "CLICK HERE", "Click here"),
}
_BODY = tuple((name, _KEYWORDS[name], re.compile(pattern), at_start) for name, pattern, at_start in RULES)
_TAIL = tuple(
    (name, _KEYWORDS[name], re.compile(trigger), re.compile(pattern)) for name, trigger, pattern in TAIL_RULES
)
_SENTENCE_END = re.compile(r"[!?\n]|(?<!\s[A-Z])\.(?!\w)")
_KIND = {
    name: name.split("_", 1)[0]
    for name in [
        "headline_title",
        *(r for r, _ in _HEAD),
        "dateline_lead",
        "web_furniture",
        *(r for r, _, _ in RULES),
        *(r for r, _, _ in TAIL_RULES),
    ]
}

# A plain-text headline: a first line of at most 20 words with no sentence punctuation at its end, followed
# by a line break ("Council Approves Seawall Plan\n\nHARBOR CITY (AP) -- ..."). Flat text has no line break,
# so it never loses its first sentence to this rule.
_HEADLINE_MAX_WORDS = 20
_ENDS_SENTENCE = re.compile(r"[.!?…:;,。！？][\"'”’)\]]*$")


def _other_furniture_at(text: str, start: int) -> bool:
    """Whether a first line is a dateline, byline or promo ("Read more: ...") rather than a headline."""
    for _, pattern in _HEAD:
        m = pattern.match(text, start)
        if m is not None and m.end() > _skip_space(text, m.start(), m.end()):
            return True
    return any(pattern.match(text, start) for _, _, pattern, _ in _BODY)


_QUOTES = str.maketrans("‘’“”–—", "''\"\"--")
# What sites put between a headline and their own name in <title>: "Headline - Site", "Headline | Site".
_SITE_SUFFIX = re.compile(r"\s*[-|–—:·•]\s*\S")


def _same_headline(line: str, title: str) -> bool:
    """A body line that is the page title, or the title without the site name the page appends to it."""
    a = line.translate(_QUOTES).casefold()
    b = " ".join(title.split()).translate(_QUOTES).casefold()
    if a == b:
        return True
    return len(a.split()) >= 3 and b.startswith(a) and _SITE_SUFFIX.match(b, len(a)) is not None


def _headline(text: str, title: str | None) -> tuple[int, int] | None:
    """The span of a headline at the top of the text: a first line repeating the title (HTML extraction puts
    the <h1> in the body), or a short Title Case first line without sentence punctuation."""
    start = _skip_space(text, 0, len(text))
    end = text.find("\n", start)
    if end < 0:
        if title is None:
            return None
        end = len(text)
    line = " ".join(text[start:end].split())
    if not line:
        return None
    found = bool(title) and _same_headline(line, title or "")
    if not found and end < len(text):
        # Only a line that a line break ends (flat text has no headline line to find), and only in Title
        # Case: a sentence-case line without a full stop is as often a lead sentence that lost its
        # punctuation (the shared data's one-sentence-per-line articles have such leads), and leaving a real
        # lead out costs more than keeping a headline in.
        found = (
            len(line.split()) <= _HEADLINE_MAX_WORDS and not _ENDS_SENTENCE.search(line) and _title_case(line)
        )
    return (start, end) if found else None


# The words a Title Case headline leaves in lower case ("of", "the"): English's (``nutgraf.lang.en``).
_SMALL_WORDS = language("en").title_small_words


def _title_case(line: str) -> bool:
    """Headline capitalisation: at least three quarters of the words that are not small words start with a
    capital letter (``Council Approves $48 Million Seawall Plan``)."""
    words = [w for w in line.split() if w[:1].isalpha() and w.lower() not in _SMALL_WORDS]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) * 4 >= len(words) * 3


class FurnitureCleaner:
    """Find page furniture in an article. Stateless: one instance is safe to share across threads."""

    def __call__(self, article: Article, language: str | None = None) -> CleanArticle:
        """The article's furniture; ``language`` (ISO 639-1; None: English) adds the rules of other
        languages' news (a lead dateline without parentheses). Text extracted from a web page also gets the
        lines the learned detector (``nutgraf.webfurniture``) judges page furniture."""
        web = article.metadata.get("input_format") == "html"
        rules = self.find_rules(article.text, article.title, language, web)
        if web:
            rules = _with_web_lines(
                rules, webfurniture.web_furniture(article.text, article.title, article.page)
            )
        furniture = tuple(Furniture(_KIND[rule], s, e) for rule, s, e in rules)
        return CleanArticle(article=article, furniture=furniture)

    def find_rules(
        self, text: str, title: str | None = None, language: str | None = None, web: bool = False
    ) -> list[tuple[str, int, int]]:
        """``(rule name, start, end)`` for every furniture span of ``text``, sorted and non-overlapping.

        The rule name (``"promo_scroll"``) starts with the furniture kind; the survey script uses it.
        """
        found: list[tuple[str, int, int]] = []
        pos = 0
        headline = _headline(text, title)
        if headline is not None and not _other_furniture_at(text, headline[0]):
            found.append(("headline_title", *headline))
            pos = headline[1]
        # Head rules in order, each tried once where the previous one ended; a second timestamp
        # ("PUBLISHED ... | UPDATED ...") may follow the first.
        for rule, pattern in _HEAD:
            for _ in range(2 if rule == "timestamp_head" else 1):
                m = pattern.match(text, pos)
                if m is None:
                    break
                start = _skip_space(text, m.start(), m.end())
                if start < m.end():
                    found.append((rule, start, m.end()))
                pos = m.end()
        if (web or (language is not None and language != "en")) and pos == 0:
            lead = _LEAD_DATELINE.match(text)
            if lead is not None and _names_an_outlet(lead.group("d")):
                found.append(("dateline_lead", lead.start("d"), lead.end()))
                pos = lead.end()
        head_end = pos
        body: list[tuple[str, int, int]] = []
        for rule, keywords, pattern, at_start in _BODY:
            if not any(k in text for k in keywords):
                continue
            for m in pattern.finditer(text, head_end):
                if not at_start or _at_sentence_start(text, m.start()):
                    body.append((rule, m.start(), m.end()))
        for rule, keywords, trigger, pattern in _TAIL:
            if not any(k in text for k in keywords):
                continue
            for m in trigger.finditer(text, head_end):
                sentence = _sentence_start_before(text, m.start(), max(head_end, m.start() - 401))
                if sentence is None:
                    continue
                t = pattern.match(text, sentence)
                if t is not None and t.end() >= m.end():
                    body.append((rule, sentence, t.end()))
        if body:
            body.sort(key=lambda r: (r[1], -r[2]))
            end = head_end
            for rule, start, stop in body:
                if start >= end:  # drop a span overlapping one already kept (earlier, or longer)
                    found.append((rule, start, stop))
                    end = stop
        return found


def _with_web_lines(
    rules: list[tuple[str, int, int]], lines: list[tuple[int, int]]
) -> list[tuple[str, int, int]]:
    """The rules' spans and the furniture lines that overlap none of them, in order."""
    if not lines:
        return rules
    kept = [("web_furniture", s, e) for s, e in lines if not any(s < re_ and rs < e for _, rs, re_ in rules)]
    return sorted(rules + kept, key=lambda r: r[1])


def _names_an_outlet(dateline: str) -> bool:
    """Whether a lead "X - " names an outlet or a place and outlet, not a person and an apposition."""
    name = dateline.rstrip(" \t-–—")
    words = name.replace(",", " ").split()
    return len(dateline) <= _LEAD_DATELINE_MAX and (
        "." in name or "," in name or name.isupper() or len(words) == 1
    )


def _at_sentence_start(text: str, i: int) -> bool:
    """True at the start of the text or of a line, or after sentence punctuation and a space."""
    j = i - 1
    while j >= 0 and text[j] in " \t\xa0":
        j -= 1
    if j < 0 or text[j] == "\n":
        return True
    if j == i - 1:  # no space before: inside a word
        return False
    if text[j] in "'\"”’)" and j > 0:
        j -= 1
    return text[j] in ".!?"


def _sentence_start_before(text: str, i: int, floor: int) -> int | None:
    """The start of the sentence holding position ``i``, if it begins at or after ``floor``."""
    last = None
    for m in _SENTENCE_END.finditer(text, floor, i):
        last = m
    if last is None:
        if floor > 0 and not _at_sentence_start(text, floor):
            return None
        start = floor
    else:
        start = last.end()
        while start < i and text[start] in "'\"”’)":  # a quote or bracket closing the previous sentence
            start += 1
    start = _skip_space(text, start, i)
    return start if _at_sentence_start(text, start) else None


def _skip_space(text: str, start: int, end: int) -> int:
    """Move ``start`` past leading whitespace so a span starts on the furniture itself."""
    while start < end and text[start].isspace():
        start += 1
    return start


clean = FurnitureCleaner()
