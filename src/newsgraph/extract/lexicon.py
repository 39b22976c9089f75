"""Word lists shared by the extractors: honorifics, role nouns, reporting verbs, hedges.

Lower-case throughout; callers compare against lower-cased token text or lemmas.
"""

from __future__ import annotations

HONORIFICS = frozenset(
    {
        "mr",
        "mr.",
        "ms",
        "ms.",
        "mrs",
        "mrs.",
        "miss",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "sir",
        "dame",
        "lord",
        "lady",
    }
)
# Honorifics that tell the speaker's grammatical gender, used to match "he" / "she".
MALE_HONORIFICS = frozenset({"mr", "mr.", "sir", "lord"})
FEMALE_HONORIFICS = frozenset({"ms", "ms.", "mrs", "mrs.", "miss", "dame", "lady"})

# Heads of role descriptions: "the spokesman", "Foreign Minister Ana Ribeiro", "the North's leader".
ROLE_NOUNS = frozenset(
    {
        "minister",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "president",
        "premier",
        "leader",
        "chancellor",
        "secretary",
        "ambassador",
        "envoy",
        "official",
        "governor",
        "mayor",
        "senator",
        "chairman",
        "chairwoman",
        "chair",
        "chief",
        "director",
        "head",
        "commander",
        "general",
        "king",
        "queen",
        "prince",
        "emperor",
        "diplomat",
        "negotiator",
        "adviser",
        "advisor",
        "aide",
        "representative",
        "lawmaker",
        "legislator",
        "prosecutor",
        "judge",
        "economist",
        "analyst",
        "researcher",
        "professor",
        "executive",
        "ceo",
        "founder",
        "candidate",
        "nominee",
        "coach",
        "captain",
        "officer",
        "commissioner",
        "attorney",
        "lawyer",
        "counsel",
        "activist",
        "organiser",
        "organizer",
        "pope",
        "cardinal",
        "bishop",
        "sheikh",
        "ayatollah",
        "source",
        "sources",
        "officials",
        "spokespeople",
        "police",
        "witness",
        "witnesses",
        "residents",
        "experts",
    }
)
# Words that qualify a role but are not its head ("Foreign Minister", "Deputy Prime Minister").
ROLE_MODIFIERS = frozenset(
    {
        "deputy",
        "vice",
        "prime",
        "foreign",
        "defence",
        "defense",
        "finance",
        "trade",
        "interior",
        "health",
        "justice",
        "economy",
        "state",
        "chief",
        "senior",
        "former",
        "acting",
        "top",
        "press",
        "government",
        "ministry",
        "white",
        "house",
        "us",
        "u.s.",
        "then",
    }
)
# Role nouns whose referent is an organisation, not a person.
ORG_ROLE_NOUNS = frozenset(
    {
        "agency",
        "ministry",
        "government",
        "company",
        "firm",
        "group",
        "newspaper",
        "paper",
        "broadcaster",
        "network",
        "party",
        "council",
        "committee",
        "office",
        "department",
        "administration",
        "embassy",
        "bank",
        "army",
        "military",
        "police",
        "court",
        "union",
        "organisation",
        "organization",
        "commission",
        "station",
        "daily",
        "outlet",
        "service",
        "cabinet",
        "parliament",
        "regime",
        "coalition",
    }
)
NEWS_WORDS = frozenset(
    {
        "news",
        "agency",
        "press",
        "times",
        "post",
        "tribune",
        "herald",
        "journal",
        "daily",
        "broadcaster",
        "television",
        "tv",
        "radio",
        "telegraph",
        "gazette",
        "associated",
        "reuters",
        "afp",
        "kyodo",
        "nhk",
        "yonhap",
        "xinhua",
        "tass",
        "lusa",
        "efe",
        "ansa",
        "bbc",
        "cnn",
        "ap",
        "dpa",
        "interfax",
        "bernama",
        "antara",
        "pti",
        "kcna",
        "aljazeera",
        "al",
        "jazeera",
    }
)

PERSON_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
THING_PRONOUNS = frozenset({"it", "its"})
# Relative pronouns: a source as written ("which notes that …") whose speaker is the noun before it.
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# Relative and demonstrative words that never name a speaker on their own.
NON_SPEAKERS = frozenset({"who", "which", "that", "this", "these", "those", "what", "i", "we", "you", "one"})
# Words that head a label before a colon ("UPDATE:", "Editor's note:") rather than a speaker's name.
COLON_LABELS = frozenset(
    {"note", "update", "updated", "correction", "clarification", "editor", "photo", "video", "watch",
     "related", "read", "source", "sources", "credit", "q", "a", "transcript", "breaking", "exclusive",
     "analysis"}
)  # fmt: skip

# Verbs that report speech whatever their complement: the ones that introduce an attribution nested in
# another's content ("Reuters reported that the minister said …").
STRONG_SPEECH_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "state",
        "announce",
        "claim",
        "insist",
        "warn",
        "note",
        "explain",
        "write",
        "report",
        "confirm",
        "deny",
        "argue",
        "acknowledge",
        "admit",
        "declare",
        "tweet",
        "predict",
        "reply",
        "respond",
    }
)
# Reporting verbs (lemmas): the strong ones and those that report speech only with a complement. "add" and
# "continue" carry quotes in wire copy ("he added").
SPEECH_VERBS = STRONG_SPEECH_VERBS | frozenset(
    {
        "continue",
        "suggest",
        "urge",
        "comment",
        "stress",
        "post",
        "promise",
        "vow",
        "complain",
        "assert",
        "allege",
        "maintain",
        "contend",
        "recall",
        "reiterate",
        "emphasise",
        "emphasize",
        "concede",
        "caution",
        "observe",
        "remark",
        "quip",
        "mention",
        "disclose",
        "reveal",
        "indicate",
        "pledge",
        "boast",
        "testify",
        "ask",
        "answer",
        "conclude",
        "describe",
        "estimate",
        "believe",
        "think",
        "hope",
        "fear",
        "agree",
        "accuse",
        "criticise",
        "criticize",
        "praise",
        "call",
        "demand",
        "question",
        "quote",
        "cite",
        "signal",
        "forecast",
        "counter",
        "retort",
        "shout",
        "whisper",
        "joke",
        "learn",
        "show",
        "find",
        "underline",
        "highlight",
        "point",
    }
)
# Verbs that are only reporting verbs with a clausal complement or a quote ("call" is not speech in
# "called the meeting"; "show"/"find" are reports of studies).
WEAK_SPEECH_VERBS = frozenset(
    {
        "believe",
        "think",
        "hope",
        "fear",
        "agree",
        "accuse",
        "criticise",
        "criticize",
        "praise",
        "call",
        "demand",
        "question",
        "describe",
        "estimate",
        "signal",
        "forecast",
        "show",
        "find",
        "learn",
        "point",
        "ask",
        "continue",
        "conclude",
        "highlight",
        "underline",
        "indicate",
        "observe",
        "mention",
        "quote",
        "cite",
    }
)
# Passive hedges: "are thought to have met", "is believed to", "is said to", "reportedly".
HEDGE_VERBS = frozenset(
    {
        "think",
        "believe",
        "say",
        "report",
        "understand",
        "expect",
        "rumour",
        "rumor",
        "suppose",
        "allege",
        "consider",
        "presume",
        "assume",
        "know",
    }
)
# Adverbs that report what others say. "Apparently" and "seemingly" are the writer's own inference, not a
# report: PolNeAR marks none of them as a cue.
HEDGE_ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "supposedly"})
# Modals of possibility: "may have fired" does not assert the firing.
HEDGE_MODALS = frozenset({"may", "might", "could"})
# Verbs of appearance, hedging the infinitive they take: "appears to have fired", "seems to be planning".
APPEARANCE_VERBS = frozenset({"appear", "seem"})
