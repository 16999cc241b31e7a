"""Finds actor mentions in a parsed article.

Four passes, each a general rule about how reporting names actors:
1. knowledge-base aliases (longest match first), including capitals as metonyms;
2. generic agents: a role noun with its modifiers ("rival militias", "Syrian army",
   "pro-Turkey formations"), country from a demonym in the phrase or the article context;
3. coreference-lite: "the jihadist group" binds to the last actor it describes, "the two
   actors" to the last two actors;
4. unknown named entities the NER tags as PERSON/ORG/NORP, kept so an analyst can add them.
Places named after a locative preposition ("in Damascus") are places, not actors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from khaldun.actors.kb import ActorEntry, AliasHit, KnowledgeBase, get_kb
from khaldun.config import load_yaml
from khaldun.model import ActorMention, ActorRef, PlaceMention, Span
from khaldun.nlp.loader import normalise_key

LOCATIVE_PREPS = frozenset(
    {
        "in",
        "at",
        "near",
        "inside",
        "across",
        "around",
        "outside",
        "within",
        "into",
        "from",
        "throughout",
        "towards",
        "toward",
        "to",
        "of",
        "north",
        "south",
        "east",
        "west",
        "via",
    }
)
DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
UNKNOWN_LABELS = {"PERSON": "UNK", "ORG": "UNK", "NORP": "UNK"}


@dataclass(frozen=True)
class AgentLexicon:
    nouns: dict[str, dict[str, object]]
    phoenix: dict[str, str]
    armed_modifiers: frozenset[str]
    affiliation_markers: frozenset[str]
    former_markers: frozenset[str]
    nationality_sector: str
    pair_descriptions: frozenset[str]


@cache
def agent_lexicon() -> AgentLexicon:
    raw = load_yaml("actors", "agents.yaml")
    phoenix = load_yaml("actors", "phoenix_agents.yaml")["agents"]
    return AgentLexicon(
        nouns={normalise_key(k): v for k, v in raw["nouns"].items()},
        phoenix={normalise_key(k): str(v) for k, v in phoenix.items()},
        armed_modifiers=frozenset(raw["armed_modifiers"]),
        affiliation_markers=frozenset(raw["affiliation_markers"]),
        former_markers=frozenset(raw["former_markers"]),
        nationality_sector=str(raw["nationality_sector"]),
        pair_descriptions=frozenset(normalise_key(p) for p in raw["pair_descriptions"]),
    )


def _span(doc: Doc, start: int, end: int) -> Span:
    first, last = doc[start], doc[end - 1]
    return Span(first.idx, last.idx + len(last.text), doc.text[first.idx : last.idx + len(last.text)])


def ref_for_entry(
    entry: ActorEntry,
    doc: Doc,
    start: int,
    end: int,
    day: date | None,
    via: str,
    metonym: bool = False,
    kb: KnowledgeBase | None = None,
) -> ActorRef:
    """An ActorRef for a KB entry; a capital used as metonym stands for the government."""
    span = _span(doc, start, end)
    if metonym and entry.state:
        gov_id = f"{entry.id}_GOV"
        gov = (kb or get_kb()).entries.get(gov_id)
        if gov is not None:
            return ActorRef(
                gov.name_on(day), gov.cameo, "kb", gov.id, gov.country, gov.sector, span, "metonym"
            )
        return ActorRef(
            f"Government of {entry.name}",
            f"{entry.cameo}GOV",
            "kb",
            entry.id,
            entry.country,
            "GOV",
            span,
            "metonym",
        )
    code = entry.code_on(day)
    sector = code[3:6] if entry.terms and len(code) >= 6 else entry.sector
    return ActorRef(entry.name_on(day), code, "kb", entry.id, entry.country, sector, span, via)


def is_locative(token: Token) -> bool:
    """True when the token names a place: object of a locative preposition, or appended to one."""
    node = token
    while node.dep_ in {"compound", "conj", "appos"} and node.head is not node:
        node = node.head
    if node.dep_ == "pobj" and node.head.lower_ in LOCATIVE_PREPS:
        # "war on Turkey" / "support of Russia" are actors; "in Damascus" is a place
        return node.head.lower_ != "of" or node.head.head.lower_ in {"north", "south", "east", "west"}
    return False


class ActorFinder:
    """Finds every actor mention of a document (see the module docstring for the passes)."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb or get_kb()
        self.agents = agent_lexicon()

    def kb_mentions(self, doc: Doc, day: date | None) -> list[ActorMention]:
        """Only the knowledge-base pass (the place stage uses it to keep actor names apart)."""
        return self._kb_mentions(doc, day, [False] * len(doc))

    def find(
        self,
        doc: Doc,
        day: date | None,
        focus_country: str | None,
        places: Sequence[PlaceMention] = (),
        kb_found: list[ActorMention] | None = None,
    ) -> list[ActorMention]:
        """All actor mentions; `kb_found` is the knowledge-base pass if already run."""
        taken = [False] * len(doc)
        if kb_found is None:
            kb_found = self._kb_mentions(doc, day, taken)
        else:
            for mention in kb_found:
                for k in range(mention.start, mention.end):
                    taken[k] = True
        generic = self._generic_mentions(doc, day, focus_country, taken, kb_found)
        # a name inside a role phrase ("US President", "UN peacekeepers", "pro-Turkey
        # militias") is part of that actor, not a second one
        mentions = [m for m in kb_found if not any(g.start <= m.start and m.end <= g.end for g in generic)]
        mentions += generic
        mentions += self._pair_mentions(doc, taken, mentions)
        mentions += self._unknown_mentions(doc, taken, places, day)
        return sorted(mentions, key=lambda m: m.start)

    # pass 1 ---------------------------------------------------------------------------------
    def _kb_mentions(self, doc: Doc, day: date | None, taken: list[bool]) -> list[ActorMention]:
        found: list[ActorMention] = []
        limit = self.kb.max_alias_tokens
        i = 0
        while i < len(doc):
            match = self._longest_alias(doc, i, limit)
            if match is None:
                i += 1
                continue
            end, hit = match
            head = doc[i:end].root
            if (hit.metonym or hit.entry.state) and is_locative(head):
                i = end
                continue
            start, via = i, "alias"
            if i > 0 and doc[i - 1].lower_ in {"former", "ex", "erstwhile"}:
                start, via = i - 1, "former-name"  # "the former al-Nusra Front": name history
            ref = ref_for_entry(hit.entry, doc, start, end, day, via, hit.metonym, self.kb)
            found.append(ActorMention(start, end, (ref,), hit.metonym))
            for k in range(start, end):
                taken[k] = True
            i = end
        return found

    def _longest_alias(self, doc: Doc, start: int, limit: int) -> tuple[int, AliasHit] | None:
        first = doc[start]
        if first.is_punct or first.is_space:
            return None
        # only spans starting with the first word of some alias can match (aliases are indexed
        # by it), and none longer than that alias's words plus hyphens and apostrophes
        head = normalise_key(first.text).split()
        most = self.kb.first_words.get(head[0]) if head else None
        if most is None:
            return None
        limit = min(limit, 2 * most + 1)
        for end in range(min(len(doc), start + limit), start, -1):
            if doc[end - 1].is_punct and end - 1 > start:
                continue
            span = doc[start:end]
            if "\n" in span.text:
                continue
            hits = self.kb.lookup(span.text)
            if not hits:
                continue
            capitalised = any(t.text[:1].isupper() for t in span)
            hits = [h for h in hits if capitalised or h.alias.islower()]
            if not hits:
                continue
            best = self._prefer(hits)
            return end, best
        return None

    @staticmethod
    def _prefer(hits: list[AliasHit]) -> AliasHit:
        """Among entries sharing an alias, prefer organisations over states, then the first."""
        return sorted(hits, key=lambda h: (h.entry.state, h.metonym))[0]

    # pass 2 ---------------------------------------------------------------------------------
    def _agent_info(self, doc: Doc, token: Token) -> tuple[int, dict[str, object]] | None:
        """The longest role phrase ending at `token` ("prime minister", "rebel commander"):
        curated agents.yaml first, then the Phoenix-derived table."""
        for width in (4, 3, 2, 1):
            first = token.i - width + 1
            if first < 0:
                continue
            key = normalise_key(doc[first : token.i + 1].text)
            info = self.agents.nouns.get(key)
            if info is None and key in self.agents.phoenix:
                info = {"sector": self.agents.phoenix[key][:3]}
            if info is not None:
                return first, info
        if token.tag_ in {"NNS", "NNPS"}:
            lemma = token.lemma_.lower()
            info = self.agents.nouns.get(lemma)
            if info is None and lemma in self.agents.phoenix:
                info = {"sector": self.agents.phoenix[lemma][:3]}
            if info is not None:
                return token.i, info
        return None

    def _generic_mentions(
        self,
        doc: Doc,
        day: date | None,
        focus: str | None,
        taken: list[bool],
        kb_mentions: list[ActorMention],
    ) -> list[ActorMention]:
        found: list[ActorMention] = []
        by_token = {k: m for m in kb_mentions for k in range(m.start, m.end)}
        for token in doc:
            if taken[token.i] or token.pos_ not in {"NOUN", "PROPN"}:
                continue
            if (
                token.dep_ == "compound"
                and token.pos_ == "PROPN"
                and token.head.pos_ == "PROPN"
                and not self._title_before_name(token)
            ):
                continue  # "Joint Military Commission" is a name, not "the military"
            if self._in_pair_description(doc, token):
                continue  # "the two actors" points back to actors named before (pass 3)
            hit = self._agent_info(doc, token) or self._nationality_noun(token)
            if hit is None:
                continue
            phrase_start, info = hit
            start = min(self._np_start(token), phrase_start)
            words = [doc[k] for k in range(start, token.i)]
            lowered = {w.lower_ for w in words}
            armed = bool(lowered & self.agents.armed_modifiers) or any(
                w.lower_.endswith("backed") for w in words
            )
            if info.get("weak") and not armed and not self._descriptor_entry(doc, start, token, kb_mentions):
                continue
            sector = str(info["sector"])
            if sector == "GOV" and lowered & self.agents.former_markers:
                sector = "ELI"  # "ousted President Akayev": a former official
            country, kb_modifier, affiliated = self._modifier_country(doc, words, by_token)
            end = self._name_after_title(doc, token, sector, taken)
            if country is None and kb_modifier is None:
                of_hit = self._of_country(doc[token.i : end], by_token)  # "president of Armenia"
                if of_hit is not None:
                    kb_modifier, end = of_hit
            if country is None and kb_modifier is None:
                country = self.kb.country_of_demonym(
                    token.text[:-1] if token.text.endswith("s") else token.text
                )
            if any(taken[k] for k in range(start, token.i)) and kb_modifier is None:
                start = phrase_start
            coref = None
            if doc[max(start - 1, 0)].lower_ in DETERMINERS or (
                start > 0 and doc[start].lower_ in DETERMINERS
            ):
                coref = self._descriptor_entry(doc, start, token, kb_mentions)
            span_start = start + 1 if doc[start].lower_ in DETERMINERS else start
            refs: list[ActorRef]
            if coref is not None:
                refs = [ref_for_entry(coref, doc, span_start, end, day, "coreference", kb=self.kb)]
            elif kb_modifier is not None and not kb_modifier.state and not affiliated:
                ref = ref_for_entry(kb_modifier, doc, span_start, end, day, "modifier", kb=self.kb)
                if kb_modifier.sector == "IGO":
                    ref = replace(ref, sector=sector)  # "UN peacekeepers": the UN's military
                refs = [ref]
            else:
                if kb_modifier is not None and kb_modifier.state and not affiliated:
                    country = kb_modifier.id
                own = country if country else (None if "foreign" in lowered else focus)
                span = _span(doc, span_start, end)
                via = "agent" if country else "agent+context"
                refs = [
                    ActorRef(span.text, f"{own or ''}{sector}", "generic", None, own, sector, span, via, 0.8)
                ]
                # "Hungarian and Romanian officials": every coordinated demonym shares the head
                for other in self._coordinated_countries(words, own):
                    refs.append(
                        ActorRef(
                            span.text, f"{other}{sector}", "generic", None, other, sector, span, "agent", 0.8
                        )
                    )
            found.append(ActorMention(span_start, end, tuple(refs)))
            for k in range(span_start, end):
                taken[k] = True
        return found

    def _in_pair_description(self, doc: Doc, token: Token) -> bool:
        return any(
            normalise_key(doc[max(token.i - width, 0) : token.i + 1].text) in self.agents.pair_descriptions
            for width in (1, 2)
        )

    def _nationality_noun(self, token: Token) -> tuple[int, dict[str, object]] | None:
        """ "Palestinians", "Algerians", "the Iraqi": a nationality used as a noun is its people."""
        if token.dep_ in {"amod", "compound"} or token.tag_ not in {"NNPS", "NNS", "NNP", "NN"}:
            return None
        text = token.text[:-1] if token.text.endswith("s") else token.text
        if self.kb.country_of_demonym(text) is None:
            return None
        return token.i, {"sector": self.agents.nationality_sector}

    def _of_country(
        self, phrase: SpacySpan, by_token: dict[int, ActorMention]
    ) -> tuple[ActorEntry, int] | None:
        """The state or organisation in "president of Armenia", "King Hassan of Morocco",
        and where the phrase then ends."""
        for node in phrase:
            for prep in node.children:
                if prep.dep_ != "prep" or prep.lower_ != "of":
                    continue
                for obj in prep.children:
                    mention = by_token.get(obj.i)
                    if obj.dep_ == "pobj" and mention is not None and mention.refs[0].actor_id:
                        entry = self.kb.entries.get(mention.refs[0].actor_id)
                        if entry is not None:
                            return entry, max(mention.end, phrase.end)
        return None

    def _title_before_name(self, token: Token) -> bool:
        """'President' in 'President Yoweri Museveni': a title, not part of an organisation name."""
        return token.ent_type_ != "PERSON" and token.head.ent_type_ == "PERSON"

    def _name_after_title(self, doc: Doc, head: Token, sector: str, taken: list[bool]) -> int:
        """End of "President Laurent Gbagbo": a person's name right after a title joins it."""
        end = head.i + 1
        if sector not in {"GOV", "MIL", "REB", "COP", "JUD", "LEG", "OPP", "ELI", "PTY", "IGO"}:
            return end
        while (
            end < len(doc) and doc[end].ent_type_ == "PERSON" and doc[end].pos_ == "PROPN" and not taken[end]
        ):
            end += 1
        return end

    def _coordinated_countries(self, words: list[Token], own: str | None) -> list[str]:
        others: list[str] = []
        for word in words:
            country = self.kb.country_of_demonym(word.text)
            coordinated = word.dep_ == "conj" or any(c.dep_ == "conj" for c in word.children)
            if country and coordinated and country != own and country not in others:
                others.append(country)
        return others

    def _np_start(self, head: Token) -> int:
        """Left edge of the noun phrase before its head: modifiers, and a stray conflict adjective."""
        start = head.i
        for child in head.lefts:
            if child.dep_ in {"amod", "compound", "nmod", "det", "nummod", "poss", "punct", "npadvmod"}:
                start = min(start, child.left_edge.i)
        doc = head.doc
        while start > 0 and doc[start - 1].lower_ in self.agents.armed_modifiers:
            start -= 1
        return start

    def _modifier_country(
        self, doc: Doc, words: list[Token], by_token: dict[int, ActorMention]
    ) -> tuple[str | None, ActorEntry | None, bool]:
        """Country from a demonym, or an actor named inside the phrase; and whether affiliated."""
        country: str | None = None
        kb_modifier: ActorEntry | None = None
        affiliated = False
        for index, word in enumerate(words):
            nxt = words[index + 1].lower_ if index + 1 < len(words) else ""
            after = words[index + 2].lower_ if index + 2 < len(words) else ""
            prev = words[index - 1].lower_ if index > 0 else ""
            before = words[index - 2].lower_ if index > 1 else ""
            marked = (
                prev in self.agents.affiliation_markers
                or before in self.agents.affiliation_markers
                or any(m in (nxt, after) or nxt.endswith(m) for m in self.agents.affiliation_markers)
            )
            demonym = self.kb.country_of_demonym(word.text)
            mention = by_token.get(word.i)
            if marked and (demonym or (mention and mention.refs[0].country)):
                affiliated = True
                continue
            if demonym:
                country = demonym
            elif mention is not None and mention.refs[0].actor_id:
                kb_modifier = self.kb.entries.get(mention.refs[0].actor_id)
                if kb_modifier is not None and kb_modifier.country:
                    country = kb_modifier.country
        return country, kb_modifier, affiliated

    def _descriptor_entry(
        self, doc: Doc, start: int, head: Token, kb_mentions: list[ActorMention]
    ) -> ActorEntry | None:
        """The last actor before `head` that the description fits ("the jihadist group")."""
        first = start + 1 if doc[start].lower_ in DETERMINERS else start
        key = normalise_key(doc[first : head.i + 1].text)
        candidates = {e.id for e in self.kb.descriptor_index.get(key, [])}
        if not candidates:
            return None
        for mention in sorted(kb_mentions, key=lambda m: -m.start):
            if mention.start < start and mention.refs[0].actor_id in candidates:
                return self.kb.entries[mention.refs[0].actor_id or ""]
        return None

    # pass 3 ---------------------------------------------------------------------------------
    def _pair_mentions(self, doc: Doc, taken: list[bool], earlier: list[ActorMention]) -> list[ActorMention]:
        found: list[ActorMention] = []
        for token in doc:
            if token.lower_ not in {"two", "both", "pair"} or taken[token.i]:
                continue
            for end in (token.i + 2, token.i + 1):
                if end > len(doc):
                    continue
                key = normalise_key(doc[token.i : end].text)
                with_the = normalise_key(doc[max(token.i - 1, 0) : end].text)
                if key in self.agents.pair_descriptions or with_the in self.agents.pair_descriptions:
                    states_only = "countr" in key or "government" in key
                    refs = self._last_distinct(earlier, token.i, 2, states_only)
                    if len(refs) == 2:
                        span = _span(doc, token.i, end)
                        found.append(
                            ActorMention(
                                token.i,
                                end,
                                tuple(
                                    ActorRef(
                                        r.name,
                                        r.code,
                                        r.kind,
                                        r.actor_id,
                                        r.country,
                                        r.sector,
                                        span,
                                        "coreference",
                                        0.8,
                                    )
                                    for r in refs
                                ),
                            )
                        )
                        for k in range(token.i, end):
                            taken[k] = True
                    break
        return found

    @staticmethod
    def _last_distinct(
        mentions: list[ActorMention], before: int, count: int, states_only: bool = False
    ) -> list[ActorRef]:
        """The last `count` distinct actors before a token ("the two countries": states only)."""
        refs: list[ActorRef] = []
        for mention in sorted(mentions, key=lambda m: -m.start):
            if mention.start >= before:
                continue
            for ref in mention.refs:
                is_state = ref.kind == "kb" and (ref.sector in (None, "GOV"))
                if states_only and not is_state:
                    continue
                if ref.kind != "unknown" and all(ref.key != r.key for r in refs):
                    refs.append(ref)
            if len(refs) >= count:
                break
        return list(reversed(refs[:count]))

    # pass 4 ---------------------------------------------------------------------------------
    def _unknown_mentions(
        self, doc: Doc, taken: list[bool], places: Sequence[PlaceMention], day: date | None
    ) -> list[ActorMention]:
        place_tokens = {k for p in places for k in range(p.start, p.end)}
        found: list[ActorMention] = []
        for ent in doc.ents:
            if ent.label_ not in UNKNOWN_LABELS:
                continue
            if any(taken[k] or k in place_tokens for k in range(ent.start, ent.end)):
                continue
            if ent.label_ == "NORP" or len(ent.text) < 3 or "\n" in ent.text:
                continue
            span = _span(doc, ent.start, ent.end)
            close = self.kb.fuzzy(ent.text)
            if close is not None:  # a misspelt known actor: "Hayat Tahrir al-Shaam", "Hezbolah"
                ref = ref_for_entry(close, doc, ent.start, ent.end, day, "fuzzy", kb=self.kb)
                found.append(ActorMention(ent.start, ent.end, (replace(ref, confidence=0.7),)))
                continue
            guess = "PER" if ent.label_ == "PERSON" else "ORG"
            ref = ActorRef(ent.text, "UNK", "unknown", None, None, guess, span, f"ner:{ent.label_}", 0.4)
            found.append(ActorMention(ent.start, ent.end, (ref,)))
        return found
