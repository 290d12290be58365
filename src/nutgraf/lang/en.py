"""English: every word list, cue word and abbreviation nutgraf's stages read, in one place.

Each list keeps the note on where it came from and how it was tuned; re-run what the note names after changing
one. Lists that feed a model's columns (the learned scorer's cues, the compressor model's first words) change
that model's features: they need a new feature version and a retrained model.
"""

from __future__ import annotations

from nutgraf.lang.base import Compression, Language, Openers, Segmentation


def _words(text: str) -> tuple[str, ...]:
    """Words separated by white space, in order."""
    return tuple(text.split())


def _set(text: str) -> frozenset[str]:
    """Words separated by white space, for lookups."""
    return frozenset(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    """Phrases separated by commas, in order, each with single spaces between its words."""
    return tuple(" ".join(phrase.split()) for phrase in text.split(","))


# ------------------------------------------------------------------------------- shared: features, clean

# A compact English stopword list (function words only). Used to keep similarity on content words and to
# tell English text from other languages.
STOPWORDS = _set(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    said says say s t would've it's he's she's they're we're i'm don't didn't doesn't won't can't isn't wasn't
    weren't aren't"""
)

# Function words that are very frequent in English and rare elsewhere; their share of tokens separates
# English from other languages well (English news prose: 0.35-0.5; French/German/Spanish: < 0.08).
FUNCTION_WORDS = _set(
    """the of and to in is was that for on with as by at from are be this have has had it he she they not but
    which were been"""
)

WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
MONTHS = _words("January February March April May June July August September October November December")

# The small words of a Title Case headline (clean._title_case).
TITLE_SMALL_WORDS = _set(
    """a an the and or nor but of to in on at by for with from as is vs v via into onto over per than
    up"""
)

# ---------------------------------------------------------------------------------- the learned scorer's cues
# Lower-cased; read by nutgraf.learned.features (a change needs a new FEATURE_VERSION and a retrained model).

ATTRIBUTION_VERBS = _set(
    "said says told added stated explained claimed announced reported according insisted warned "
    "confirmed revealed admitted tweeted wrote"
)
FIRST_PERSON = _set("i me my we our us you your")
PRONOUN_STARTS = _set("he she it they this that these those his her their its we i you there")
CONNECTIVE_STARTS = _set(
    "but however and also meanwhile still yet so then instead moreover furthermore besides although though "
    "while because nevertheless nonetheless otherwise thus therefore later earlier"
)
CUE_WORDS = _set(
    "killed dead died death arrested charged police official officials authorities president government "
    "announced investigation accused court percent million billion first new will won lost attack crash "
    "sentenced suspect victim victims injured found report study"
)
TIME_WORDS = _set("monday tuesday wednesday thursday friday saturday sunday yesterday today tonight")

# ----------------------------------------------------------------------------------------- the segmenter
# Tuned against the Pragmatic Segmenter golden rules and the 250 ``sentence_lines`` articles of
# ``cnndm/test.jsonl.gz`` (used only as segmentation gold); re-run ``tests/test_segment.py`` and
# ``benchmarks/segmenters.py`` after changing any of them.

SEGMENTATION = Segmentation(
    # Titles before a name: never a sentence end when a capitalised word follows.
    titles=_set(
        "Mr Mrs Ms Messrs Mmes Dr Drs Prof Gen Gens Sen Sens Rep Reps Gov Govs Lt Col Sgt Capt Cmdr Cdr Adm "
        "Maj Rev Revd Hon Pres Supt Det Insp Cpl Pvt Pte Brig Fr Msgr Cllr Atty Amb Spc Mt Mts Ft vs Vs v "
        "Mme Mlle Sra Sgts"
    ),
    # Abbreviations that often end a sentence too: a sentence end only when a typical sentence opener follows.
    sometimes_final=_set(
        "Inc Corp Co co Ltd Jr Sr Bros etc St st Ave Rd Blvd Ln Sq Assn Dept Univ Govt Intl Esq Plc plc LLC "
        "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Tue Tues Wed Thu Thur Thurs Fri "
        "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky Md Mich Minn Mo Mont Neb Nev Okla Ore "
        "Pa Tenn Tex Va Vt Wis Wyo Wash Mass"
    ),
    # Abbreviations that take a number: not a sentence end when a digit follows.
    numeric=_set(
        "No no Nos nos p pp Vol vol Vols Fig fig Figs Art art Ch ch Sec sec Sect Para para Op op Ed ed Tel tel "
        "Ext ext approx Approx ca est Est Rm Hwy Rt Rte N° Nr nr Pg pg Ex ex Gr gr"
    ),
    # Words that typically open an English sentence. After an ambiguous abbreviation ("U.S.", "Co.", an
    # initial) a capitalised word from this list means a new sentence ("I live in the U.S. How about you?").
    starters=_set(
        "The A An He She It They We I You This That These Those There Their His Her Its Our My Your But And Or "
        "So Yet If In On At As For With By From To After Before When While Where What Who Whom Why How Which "
        "Although Though Since Because Then Now However Meanwhile Also Still Some Many Most All One No Not Did "
        "Do Does Is Are Was Were Can Could Will Would Should Has Have Had Please Here Each Every Both Neither "
        "Other Another Such Later Earlier Today Yesterday Instead Despite During Under Over Among Only Even "
        "Just Yes Nor Whether Until Unless Once Thus Indeed Perhaps Maybe Police Officials"
    ),
    # After "a.m."/"p.m.": words that continue the time expression rather than start a sentence.
    time_continuations=_set(
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun "
        "ET EST EDT CT CST CDT MT MST MDT PT PST PDT GMT BST UTC CET CEST AEST AEDT HKT JST IST Eastern Central "
        "Pacific Mountain Local Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec January February March "
        "April June July August September October November December Today Tomorrow Tonight"
    ),
    clock_abbreviations=frozenset(("a.m", "p.m", "A.M", "P.M")),
)

# --------------------------------------------------------------------------- faithfulness: leaning openers

OPENERS = Openers(
    # Personal and demonstrative pronouns whose referent must come from an earlier sentence. "This"/"That"
    # only count when they stand alone as a subject ("This is", "That was"), not as determiners ("This year").
    pronouns=_words("He She They His Her Their Them Him It Its We Our These Those"),
    demonstratives=_words("This That"),
    demonstrative_verbs=_words("is was has had means meant comes came will would could should may might"),
    # Discourse connectives that point back to a contrast or a cause in the sentence before.
    connectives=_phrases(
        """But, However, And, Also, Yet, Still, So, Meanwhile, Instead, Moreover, Furthermore, Nevertheless,
        Nonetheless, Therefore, Thus, Besides, Otherwise, Then, Likewise, Similarly, Indeed, Consequently, Hence,
        Plus, Even so, In addition, By contrast, In contrast, On the other hand, As a result, Despite this,
        Because of this, After that, Before that, At the same time, In turn, For his part, For her part,
        The same, The latter, The former, Such"""
    ),
    # Epithets that re-name someone introduced earlier: "The 39-year-old", "The pair", "The former champion".
    epithet_article="The",
    epithet_nouns=_words(
        """pair couple duo trio star singer actor actress player striker midfielder defender goalkeeper manager
        boss coach veteran youngster teenager mother father mum dad former latter victim suspect officer
        businessman businesswoman billionaire millionaire politician lawmaker senator congressman president
        minister chief company firm group club side team boy girl"""
    ),
)

# ----------------------------------------------------------------------------------------- the compressor
# The units, the blind and validation reads that tuned them (docs/compression-read) and the golden table
# (tests/golden/compress_cases.jsonl): re-run tests/test_compress.py after changing any list.

COMPRESSION = Compression(
    # Words a unit may never take away: negations change the meaning.
    negations=_words("not no never nobody nothing none neither nor without cannot nowhere"),
    # Numbers, in digits or in words: a key point's numbers are never cut.
    number_words=_words(
        """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
        seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds
        thousand thousands million millions billion billions trillion trillions dozen dozens half first second
        third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth twentieth hundredth thousandth
        millionth once twice thrice zero"""
    ),
    # Neutral reporting verbs only: the blind read (docs/compression-read) showed that dropping "according
    # to", "reported" or "warned" turns a claim into a flat fact.
    neutral_reporting_verbs=_words(
        "said says say told tells added adds announced explained confirmed stated noted"
    ),
    # ", said police spokesman John Smith": the inverted tail names only a source.
    source_words=_words(
        """the a an of for and police official officials spokesman spokeswoman spokesperson authorities officer
        officers chief director minister president secretary agency department ministry government company
        group report statement source sources lawyer lawyers attorney attorneys prosecutor prosecutors
        investigator investigators"""
    ),
    # Whose word a tail may drop: an institution's, on the record. A named person's claim, an anonymous
    # source's, an activist group's or an expert's keeps its attribution (the validation read,
    # docs/compression-read).
    institutions=_set(
        "police authorities officials officers investigators prosecutors statement report spokesman spokeswoman "
        "spokesperson ministry department agency company government military office service coroner sheriff's "
        "center centre council court commission embassy committee bureau administration command navy army"
    ),
    unsourced_words=_words(
        """source sources activist activists group groups witnesses expert experts analyst analysts observer
        observers monitor monitors insider insiders but and yet so or while although"""
    ),
    relative_pronouns=_words("who whom whose which where"),
    appositive_determiners=_words("a an the his her their its"),
    # "On Tuesday, " / "Earlier this month, " / "In 2009, " at the start, before a capitalised word.
    lead_openers=_words(
        """On In At Earlier Last This Late Early During After Since Before Later Meanwhile Now Today Yesterday
        Overnight Across Around Outside Inside Speaking As While When Despite Following Under Amid Within Until"""
    ),
    # Openers that scope the claim ("As a rule, Biden does better"): without them it says more than the source.
    hedged_openers=_phrases(
        """As a rule, In general, Generally, Usually, Often, For now, So far, At least, At times, In some cases,
        In most cases, In many cases, In rare cases, In theory, In practice, Until now, Under"""
    ),
    dated_nouns=_words("year month week season summer winter spring fall autumn"),
    softeners=_phrases(
        """kind of, sort of, maybe, perhaps, probably, possibly, apparently, reportedly, allegedly, said, says,
        say, told, tell, tells, according, claimed, claims"""
    ),
    # ", as the storm moved north." / ", leaving 12 dead." / ", including two children.": a trailing
    # subordinate or participle clause, to the end of the sentence.
    clause_openers=_words(
        """as after while when before because since although though including leaving making saying adding
        prompting sparking despite amid with where following forcing causing"""
    ),
    # After an appositive comes the verb of the main clause ("John Smith, a spokesman, said"); anything else
    # is more likely a list.
    verbs_after_appositive=_words(
        "said says told tells has had have was is were are will would could can did does do may might must "
        "should also still now"
    ),
    intro_prepositions=_words("In On At With From After Before Despite"),
    day_parts=_words("morning afternoon evening night"),
    # The last word of a title that may go before a full name ("Prime Minister David Cameron" -> "David
    # Cameron"). Never "suspect", "victim" or "alleged": those are what the sentence says of the person.
    titles=_set(
        "president minister secretary senator sen. rep. representative gov. governor mayor judge justice gen. "
        "general col. lt. sgt. officer chief ceo chairman chairwoman director spokesman spokeswoman ambassador "
        "commissioner attorney prosecutor sheriff coach manager captain striker midfielder defender goalkeeper "
        "star singer actress actor rapper model host anchor author writer journalist reporter photographer "
        "pilot owner founder leader chancellor premier king queen prince princess bishop archbishop cardinal "
        "rev. dr. prof. professor lawmaker congressman congresswoman politician footballer player boxer "
        "designer chef comedian producer entrepreneur businessman businesswoman"
    ),
    saying_verbs=_set(
        "said says say told tells believe believes believed think thinks thought announced found claimed "
        "reported know knew showed shows suggest suggests suggested added argued insisted noted warned"
    ),
    safe_adverbs=_set(
        "also now recently currently eventually finally later earlier previously initially officially publicly "
        "immediately quickly subsequently ultimately meanwhile today yesterday tonight shortly soon "
        "originally additionally separately"
    ),
    # The prepositions of time and place whose phrases are adjuncts ("during lunch hour", "at a bank").
    adjunct_prepositions=_set(
        "in at during near outside inside across throughout after before amid following within"
    ),
    # Prepositions of place and state ("in", "at"): their phrase may go only when it names a place or a time
    # ("in Falls Church", "at a Wells Fargo bank", "in March"); "in foster care", "in the news" or "in his
    # class" carry the sentence's meaning (validation reads, docs/compression-read).
    place_prepositions=_set("in at within inside outside near across throughout"),
    time_nouns=_set(
        "morning afternoon evening night day weekend week month year season spring summer fall autumn winter "
        "hour hours minutes moment time"
    ),
    # A time noun phrase ("Monday", "Tuesday night", "last week", "earlier this month"), never "every day".
    relative_days=_words("today yesterday tonight"),
    time_deictics=_phrases("last, this, next, earlier this, later this"),
    time_periods=_words(
        "week weekend month year season spring summer fall autumn winter morning afternoon evening night"
    ),
    # Hedges and scope words: without them a sentence claims something else.
    protected=_set(
        "allegedly reportedly apparently possibly probably likely nearly almost only just about around "
        "approximately roughly even still yet already former alleged suspected accused would-be potential "
        "proposed planned fake false so-called acting interim late deputy vice assistant more less most least "
        "very too so enough barely hardly scarcely merely mostly partly largely entirely fully partially "
        "again"
    ),
    # A word left just before a cut that would dangle ("the", "and", "rather than").
    dangling=_set(
        "a an the of to in on at for with by from as than rather and or but nor so that this these those its his "
        "her their our my your right just shortly soon straight even only well far long both either neither "
        "later earlier ago minutes hours days weeks months years decades century centuries"
    ),
    # Prepositions that usually head an argument, not an adjunct.
    argument_prepositions=_set("of to into onto from with than like unto as"),
    # Marks of a clause that limits or conditions the main one ("if", "while the state appeals"), of a for-to
    # clause that is a complement ("cleared the path for X to begin"), or of the event itself ("died when the
    # typhoon hit").
    conditions=_set(
        "if unless until whether once provided lest than while although though whereas except for so when"
    ),
    # Verbs whose time noun is their object or complement ("spent Monday", "became Wednesday").
    time_verbs=_set(
        "spend spends spent spending take takes took taking last lasts lasted wait waited become becomes became "
        "is was be been being are were remain remains remained"
    ),
    reporting_words=_words("said says say told tells tell according claimed claims alleged reported"),
    period_nouns=_words("year month week season decade century"),
    # The compressor model's first-word columns, learned from CNN highlights (scripts/train_compressor.py).
    unit_first_words=_words(
        """in on at for with by from to after before during as while when since because who which where into
        over under against amid despite near across through and but including according like"""
    ),
    said_words=_words("said says told according"),
    function_words=_set(
        "the a an of to in and or for on at by with from as is was were be been are that this it its he she "
        "they his her their has had have will would said says"
    ),
)

# ------------------------------------------------------------------------------- web-page furniture
# Words of the promo, share, sign-up and credit lines that trafilatura keeps from a page (``webfurniture``);
# one column of its detector counts them (retrain it with ``make web-furniture`` after a change).
WEB_FURNITURE_WORDS = _phrases(
    """subscribe, subscription, sign up, signing up, signup, newsletter, follow us, follow the, share this,
    share on, read more, related, topic, topics, tag, tags, filed under, click here, advertisement, sponsored,
    comment, comments, copyright, all rights reserved, cookie, cookies, privacy, terms of, login, log in,
    register, download, posted, updated, published, photo, image, credit, getty, video, watch, listen, podcast,
    email, whatsapp, facebook, twitter, instagram, linkedin, youtube, app, more from, recommended, trending,
    popular"""
)

ENGLISH = Language(
    code="en",
    name="English",
    stopwords=STOPWORDS,
    function_words=FUNCTION_WORDS,
    weekdays=WEEKDAYS,
    months=MONTHS,
    title_small_words=TITLE_SMALL_WORDS,
    attribution_verbs=ATTRIBUTION_VERBS,
    first_person=FIRST_PERSON,
    pronoun_starts=PRONOUN_STARTS,
    connective_starts=CONNECTIVE_STARTS,
    cue_words=CUE_WORDS,
    time_words=TIME_WORDS,
    segmentation=SEGMENTATION,
    openers=OPENERS,
    compression=COMPRESSION,
    web_furniture_words=WEB_FURNITURE_WORDS,
    learned=True,
)
