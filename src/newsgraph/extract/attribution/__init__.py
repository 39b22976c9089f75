"""Attribution: who said what, according to whom.

:func:`find_attributions_and_claims` works in three steps:

1. **Roles.** A CRF trained on PolNeAR (:mod:`newsgraph.extract.roles`) tags every token as part of a source,
   a cue or a content, the way PolNeAR annotates them: cues are verb groups, nouns or phrases ("said", "has
   repeatedly called for", "according to", "in the eyes of"), contents include their complementiser
   ("that …") and their quote marks, sources include their modifiers.
2. **Assembly.** Each cue takes the source and contents that belong to it: those its parse links to it, else
   the nearest in its sentence, then in its paragraph. A content with no cue of its own continues the
   nearest attribution before it (a quote running on into the next paragraph, a "floating" quote).
3. **Resolution.** The source becomes a speaker entity of the article (names, surnames with honorifics,
   role descriptions, pronouns); the speaker's role is recorded; reporting chains (``via``) come from "X was
   quoted as saying by Y", "X quoted Y as saying", "X told Kyodo News", and from attributions nested in
   another's content ("Reuters reported that the minister said …"), which rules add because PolNeAR
   annotates only the outer one.

A content whose cue has no source ("officials are thought to have met", "it is expected that …") is a claim,
not an attribution: it is returned apart, with no speaker.

The package is split by job: :mod:`.spans` (shared pieces), :mod:`.speakers`, :mod:`.contents`,
:mod:`.chains`, :mod:`.claims` and :mod:`.assembly`, which runs them.
"""

from newsgraph.extract.attribution.assembly import find_attributions, find_attributions_and_claims

__all__ = ["find_attributions", "find_attributions_and_claims"]
