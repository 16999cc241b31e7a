"""The PLOVER event coder: triggers → arguments → modality → place and time → events.

Deterministic rules over the dependency parse, each a general fact about how news tells events:
- a verb in the lexicon is an event unless it only describes a noun ("militias opposed to");
- a noun in the lexicon is an event only when a verb asserts it ("a swap took place", "there
  were clashes", "resumed attacks"); a bare noun ("HTS-Damascus dialogue") asserts nothing;
- "the first attempt in this regard" stands for the event told just before, and "the second
  in X" repeats it at another place;
- "Both have been blocked" takes the events just told as what was acted on;
- an event with no actor in its sentence takes the actors of the sentence before;
- modality climbs the chain of governing verbs: try → attempted, want/plan/purpose-to →
  future, would/could/must → hypothetical, not/never/without → negated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from khaldun.events import numbers
from khaldun.events.lexicon import Lexicon, Trigger, get_lexicon
from khaldun.events.ontology import Ontology, get_ontology
from khaldun.model import (
    UNKNOWN_WHEN,
    ActorMention,
    ActorRef,
    Article,
    Event,
    Modality,
    Place,
    PlaceMention,
    Span,
    TimeMention,
    When,
)
from khaldun.places.finder import SPECIFICITY

SUBCLAUSE_DEPS = frozenset({"advcl", "ccomp", "relcl", "acl", "parataxis", "csubj"})
INHERIT_TIME_DEPS = frozenset({"advcl", "xcomp", "ccomp", "pcomp", "prep", "pobj", "acomp", "relcl"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
TARGET_PREPS = frozenset({"against", "on", "upon", "at", "with", "to", "toward", "towards", "targeting"})
EVENT_PRONOUNS = frozenset({"both", "they", "these", "them", "it", "this", "those", "each"})
RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom"})
PERSONAL_PRONOUNS = frozenset({"it", "they", "he", "she"})
# Violence and protest are worth recording even when the report names no party ("an
# explosion hit the market"); other types are not events without someone acting.
PARTYLESS_TYPES = frozenset({"ASSAULT", "PROTEST"})
SERIES_NOUNS = frozenset({"round", "series", "wave", "spate", "string", "day", "week", "number"})
DESIRE_VERBS = frozenset({"want", "hope", "wish", "seek", "need", "mean", "consider", "expect"})
REFUSABLE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
DEMAND = Trigger(lemma="say", pos="verb", type="REQUEST", cameo="100")
DYADIC_TYPES = frozenset({"COOPERATE", "SUPPORT", "AID", "CONSULT"})
# Verbs that only govern another event ("want to attack"): never events themselves.
NOT_EVENTS_THEMSELVES = frozenset(
    {"want", "hope", "wish", "need", "mean", "consider", "expect", "seek", "try"}
)
ORDINALS = frozenset({"second", "third", "fourth", "another", "other", "latest", "next", "last"})
MODALITY_RANK: dict[str, int] = {
    "negated": 0,
    "hypothetical": 1,
    "future": 2,
    "reported": 3,
    "attempted": 4,
    "asserted": 5,
}


@dataclass
class Draft:
    """An event being built; becomes an `Event` at the end."""

    trigger: Token
    entry: Trigger
    anchor: Token  # the verb (or noun) whose clause holds the event's arguments
    sentence: SpacySpan
    actors: list[ActorRef] = field(default_factory=list)
    recipients: list[ActorRef] = field(default_factory=list)
    place: Place | None = None
    when: When = UNKNOWN_WHEN
    modality: Modality = "asserted"
    evidence: list[Span] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    confidence: float = 0.9
    elaborated: bool = False
    anaphoric: bool = False
    antecedents: list[Draft] = field(default_factory=list)
    dropped: bool = False
    purpose: bool = False  # future only as the purpose of another act ("to resume trade")
    modal_cues: frozenset[str] = frozenset()  # every modality cue found, not only the strongest


def lemma_candidates(token: Token) -> list[str]:
    """The parser's lemma, then forms undone by regular suffix rules: the small model
    lemmatises "staged" as "stag"; "stage" is found by removing the "d"."""
    text = token.lower_
    found = [token.lemma_.lower()]
    for suffix, replacement in (
        ("ied", "y"),
        ("ed", "e"),
        ("ed", ""),
        ("d", ""),
        ("ing", "e"),
        ("ing", ""),
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
    ):
        if text.endswith(suffix) and len(text) > len(suffix) + 2:
            found.append(text[: -len(suffix)] + replacement)
    return list(dict.fromkeys(found))


def lemma_in(token: Token, table: Collection[str]) -> str | None:
    """The first lemma candidate of the token that the table knows."""
    return next((c for c in lemma_candidates(token) if c in table), None)


def _char_span(token: Token) -> Span:
    return Span(token.idx, token.idx + len(token.text), token.text)


def _sent_span(sent: SpacySpan) -> Span:
    text = sent.text.rstrip()
    return Span(sent.start_char, sent.start_char + len(text), text)


class EventCoder:
    """Codes the events of one parsed article from its actor, place and time mentions."""

    def __init__(self, lexicon: Lexicon | None = None, ontology: Ontology | None = None) -> None:
        self.lex = lexicon or get_lexicon()
        self.onto = ontology or get_ontology()

    # public -----------------------------------------------------------------------------------
    def code(
        self,
        doc: Doc,
        article: Article,
        actors: Sequence[ActorMention],
        places: Sequence[PlaceMention],
        times: Sequence[TimeMention],
    ) -> list[Event]:
        actor_at = {k: m for m in actors for k in range(m.start, m.end)}
        place_at = {k: m for m in places for k in range(m.start, m.end)}
        focus = self._focus_place(places)
        drafts: list[Draft] = []
        sentences = list(doc.sents)
        for index, sent in enumerate(sentences):
            previous = [d for d in drafts if d.sentence.start < sent.start]
            context_actors = self._context_actors(sentences, index, actor_at)
            sent_drafts: list[Draft] = []
            for token in sent:
                for draft in self._drafts_for(token, sent, actor_at, previous):
                    self._fill(draft, actor_at, place_at, times, context_actors, previous)
                    if not draft.dropped:
                        sent_drafts.extend(self._split_by_antecedent(draft))
            # "gave them help", "launched an attack": the verb carries the noun's event, not its own
            anchors = {d.anchor.i for d in sent_drafts if d.trigger is not d.anchor}
            sent_drafts = [d for d in sent_drafts if not (d.trigger is d.anchor and d.trigger.i in anchors)]
            drafts.extend(self._merge_same_sentence(sent_drafts))
        events = []
        for draft in drafts:
            if draft.elaborated:
                continue
            if draft.place is None and focus is not None:
                draft.place = replace(focus, source="article")
                draft.confidence -= 0.1
            if draft.when.text is None and article.published is not None:
                draft.when = article_time(article.published)
            events.append(self._to_event(draft, article))
        return events

    # triggers ---------------------------------------------------------------------------------
    def _drafts_for(
        self, token: Token, sent: SpacySpan, actor_at: dict[int, ActorMention], previous: list[Draft]
    ) -> list[Draft]:
        if token.tag_.startswith("VB") and token.pos_ in {"VERB", "AUX"}:
            entry = self._verb_entry(token) or self._reported_demand(token)
            if entry is None or token.i in actor_at:
                return []
            return [Draft(token, entry, token, sent, evidence=[_char_span(token)])]
        if token.pos_ in {"NOUN", "PROPN"} and token.i not in actor_at:
            return self._noun_drafts(token, sent, previous)
        return []

    def _reported_demand(self, token: Token) -> Trigger | None:
        """ "Russia said Sudan must return the helicopter": the statement is a demand."""
        if token.lemma_.lower() not in self.lex.demand_reporting_verbs:
            return None
        for clause in token.children:
            if clause.dep_ == "ccomp" and any(
                c.dep_ == "aux" and c.lower_ in {"must", "should"} for c in clause.children
            ):
                return DEMAND
        return None

    def _verb_entry(self, token: Token) -> Trigger | None:
        lemma = (
            lemma_in(token, self.lex.verbs) or lemma_in(token, self.lex.derived_verbs) or token.lemma_.lower()
        )
        if lemma in self.lex.attempt_verbs or lemma in NOT_EVENTS_THEMSELVES:
            return None
        if token.dep_ in self.lex.attribute_deps and token.tag_ in {"VBN", "VBG"}:
            return None  # "militias opposed to", "tariffs imposed on": a description
        heads = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass", "attr", "xcomp"}]
        objects = {c.lemma_.lower() for c in heads}
        # "captured dozens of towns", "provided $2 million in assistance": the noun after
        # "of"/"in" says what was captured or given
        objects |= {
            g.lemma_.lower()
            for c in heads
            for p in c.children
            if p.lower_ in {"of", "in"}
            for g in p.children
            if g.dep_ == "pobj"
        }
        # a particle ("call off", "keep … out"), or a preposition right after the verb ("call for")
        particles = {
            c.lower_
            for c in token.children
            if c.dep_ == "prt" or (c.dep_ == "prep" and (c.i == token.i + 1 or c.lower_ == "out"))
        }
        curated = self._first_fitting(self.lex.verbs.get(lemma, ()), objects, particles)
        if curated is not None or lemma in self.lex.no_own_event:
            return None if curated is None or curated.type == "NONE" else curated
        # the broad CAMEO table only where the curated lexicon has no fitting sense
        derived = self._first_fitting(self.lex.derived_verbs.get(lemma, ()), objects, particles)
        return None if derived is None or derived.type == "NONE" else derived

    @staticmethod
    def _first_fitting(entries: Sequence[Trigger], objects: set[str], particles: set[str]) -> Trigger | None:
        """The first entry whose conditions hold (constrained entries come first)."""
        for entry in entries:
            if entry.objects and not (objects & entry.objects):
                continue
            if entry.objects_exclude and objects & entry.objects_exclude:
                continue
            if entry.particle and entry.particle not in particles:
                continue
            return entry
        return None

    def _noun_drafts(self, token: Token, sent: SpacySpan, previous: list[Draft]) -> list[Draft]:
        lemma = token.lemma_.lower()
        framed = token.dep_ == "compound" and token.head.lemma_.lower() in self.lex.frame_nouns
        # "launched a mediation effort": the frame noun's verb asserts the compound's event
        predicate = self._occurrence_predicate(token.head if framed else token)
        if predicate is None:
            return []
        if lemma in self.lex.anaphoric_nouns:
            return self._anaphoric_drafts(token, predicate, sent, previous)
        entries = self.lex.nouns.get(lemma) or self.lex.nouns.get(token.lower_)
        if not entries:
            return []
        compounds = {c.lemma_.lower() for c in token.children if c.dep_ in {"compound", "amod", "nmod"}}
        entry = next((e for e in entries if not e.compounds or compounds & e.compounds), None)
        if entry is None:
            return []
        return [Draft(token, entry, predicate, sent, evidence=[_char_span(token), _char_span(predicate)])]

    def _occurrence_predicate(self, noun: Token) -> Token | None:
        """The verb asserting a nominal event, or None when nothing asserts it."""
        node = noun
        while node.dep_ == "conj" and node.head.pos_ in {"NOUN", "PROPN"}:
            node = node.head
        # "a new round of joint exercises", "a wave of attacks": the counted noun carries the verb
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.lemma_.lower() in SERIES_NOUNS:
            node = node.head.head
        for child in node.children:
            # "an agreement the two sides reached": the noun is the object of its relative clause
            if (
                (
                    child.dep_ == "relcl"
                    or (child.dep_ == "acl" and any(c.dep_ == "nsubj" for c in child.children))
                )
                and child.lemma_.lower() in self.lex.occurrence_verbs
                and not any(c.dep_ == "dobj" and c.lower_ not in RELATIVE_PRONOUNS for c in child.children)
            ):
                return child
        if (
            node.dep_ == "pobj"
            and node.head.lower_ == "on"
            and node.head.head.lemma_.lower() in self.lex.journey_verbs
        ):
            return node.head.head  # "arrived in Amman on a visit"
        if node.dep_ not in {"nsubj", "nsubjpass", "dobj", "attr"}:
            return None
        verb = node.head
        verb_lemma = lemma_in(verb, self.lex.occurrence_verbs)
        if verb_lemma is None:
            return None
        required = self.lex.occurrence_verbs[verb_lemma]
        children = {c.lower_ for c in verb.children}
        if verb_lemma == "be":
            return verb if "there" in children and node.dep_ == "attr" else None
        if required and not (children & set(required)):
            return None
        if verb_lemma == "take" and node.dep_ != "nsubj":
            return None
        return verb

    def _anaphoric_drafts(
        self, noun: Token, predicate: Token, sent: SpacySpan, previous: list[Draft]
    ) -> list[Draft]:
        """'The first attempt in this regard took place in X (and the second in Y)'."""
        antecedent = next(
            (
                d
                for d in reversed(previous)
                if d.modality in {"asserted", "attempted"}
                and not d.anaphoric
                and d.sentence.start >= sent.start - 80
            ),
            None,
        )
        if antecedent is None:
            return []
        antecedent.elaborated = True
        modality: Modality = (
            "attempted" if self.lex.anaphoric_nouns[noun.lemma_.lower()] == "attempted" else "asserted"
        )
        base = Draft(
            noun,
            antecedent.entry,
            predicate,
            sent,
            list(antecedent.actors),
            list(antecedent.recipients),
            modality=modality,
            anaphoric=True,
            evidence=[_char_span(noun), _char_span(predicate), *antecedent.evidence],
            notes=[f"refers back to '{antecedent.trigger.text}'"],
            confidence=0.8,
        )
        drafts = [base]
        for conj in predicate.children:
            if conj.dep_ == "conj" and conj.pos_ in {"ADJ", "NOUN", "NUM"} and conj.lower_ in ORDINALS:
                copy = Draft(
                    conj,
                    antecedent.entry,
                    conj,
                    sent,
                    list(antecedent.actors),
                    list(antecedent.recipients),
                    modality=modality,
                    anaphoric=True,
                    evidence=[_char_span(conj), *antecedent.evidence],
                    notes=[f"elided repetition of '{noun.text}'"],
                    confidence=0.75,
                )
                copy.when = When(None, None, "unknown")
                drafts.append(copy)
        return drafts

    # arguments --------------------------------------------------------------------------------
    def _fill(
        self,
        draft: Draft,
        actor_at: dict[int, ActorMention],
        place_at: dict[int, PlaceMention],
        times: Sequence[TimeMention],
        context_actors: list[ActorRef],
        previous: list[Draft],
    ) -> None:
        self._modality(draft)
        if not draft.anaphoric:
            sources, targets, antecedents = self._arguments(draft, actor_at, previous)
            draft.actors = sources
            draft.recipients = targets
            if not draft.actors and self._has_thing_subject(draft, actor_at):
                draft.dropped = True  # "the highways meet", "markets rallied": no actor acts
                return
            if not draft.actors and context_actors and not draft.entry.derived:
                draft.actors = context_actors[:2] if draft.entry.symmetric else context_actors[:1]
                draft.notes.append("actors from the previous sentence")
                draft.confidence -= 0.2
            if antecedents:
                draft.recipients = _unique(draft.recipients + [a for d in antecedents for a in d.actors])
                draft.notes.append("acts on the events told just before")
                draft.antecedents = antecedents
        if draft.entry.derived and not (
            draft.actors and (draft.recipients or draft.entry.type not in DYADIC_TYPES)
        ):
            # a verb of the broad CAMEO table needs an actor, and for cooperation a partner too
            # (CAMEO files everyday verbs such as "increase" or "serve" under cooperation)
            draft.dropped = True
            return
        if not draft.actors and not draft.recipients and draft.entry.type not in PARTYLESS_TYPES:
            draft.dropped = True  # PLOVER codes no event without an actor or a recipient
            return
        if draft.entry.symmetric and not draft.recipients:
            # "X and Y swapped prisoners", "clashes between opposing groups": every party is
            # actor and recipient. "X clashed with Y" keeps the order the text gives.
            draft.recipients = list(draft.actors)
        self._place(draft, place_at)
        if draft.when is UNKNOWN_WHEN:
            draft.when = self._time(draft, times)

    def _arguments(
        self, draft: Draft, actor_at: dict[int, ActorMention], previous: list[Draft]
    ) -> tuple[list[ActorRef], list[ActorRef], list[Draft]]:
        trigger, anchor = draft.trigger, draft.anchor
        sources: list[ActorRef] = []
        targets: list[ActorRef] = []
        antecedents: list[Draft] = []
        if trigger.pos_ in {"NOUN", "PROPN"}:
            # "clashes between X and Y" and "clashes broke out between X and Y" alike
            carriers = list(trigger.children)
            if anchor is not trigger:
                carriers += [c for c in anchor.children if c.dep_ == "prep"]
            for child in carriers:
                if child.dep_ in {"compound", "poss", "amod", "nmod"}:
                    sources += self._actors_in(child, actor_at)
                elif (child.dep_ == "prep" and child.lower_ == "by") or child.dep_ == "agent":
                    sources += self._actors_in_prep(child, actor_at)
                elif child.dep_ == "prep" and child.lower_ == "between":
                    both = self._actors_in_prep(child, actor_at)
                    sources += both
                elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
                    targets += self._actors_in_prep(child, actor_at)
            if (
                not sources
                and anchor is not trigger
                and anchor.lemma_.lower() not in {"be", "take", "occur", "happen"}
            ):
                sources += self._subject_actors(anchor, actor_at)
        else:
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in trigger.children)
            for child in trigger.children:
                if child.dep_ == "agent":
                    sources += self._actors_in_prep(child, actor_at)
                elif child.dep_ == "dobj" and draft.entry.type == "MOBILIZE":
                    continue  # "deployed thousands of troops": the force moved, not a recipient
                elif child.dep_ in {"dobj", "dative"} or (passive and child.dep_ == "nsubjpass"):
                    found = self._actors_in(child, actor_at)
                    if not found and child.lower_ in EVENT_PRONOUNS:
                        antecedents = self._event_antecedents(child, draft, previous)
                    targets += found
                elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
                    targets += self._actors_in_prep(child, actor_at)
                elif child.dep_ == "prep" and child.lower_ == "between":
                    sources += self._actors_in_prep(child, actor_at)
            if not passive:
                sources += self._subject_actors(trigger, actor_at)
        if not draft.entry.symmetric:
            source_keys = {s.key for s in sources}
            targets = [t for t in targets if t.key not in source_keys] or targets
        return _unique(sources), _unique(targets), antecedents

    def _has_thing_subject(self, draft: Draft, actor_at: dict[int, ActorMention]) -> bool:
        """An explicit subject that names neither an actor, an event nor a pronoun."""
        if draft.trigger is not draft.anchor:
            return False
        for child in draft.trigger.children:
            if child.dep_ != "nsubj":
                continue
            if child.pos_ == "PRON" or child.lower_ in RELATIVE_PRONOUNS or child.lower_ in EVENT_PRONOUNS:
                return False
            return child.lemma_.lower() in self.lex.inanimate_subjects and not self._actors_in(
                child, actor_at
            )
        return False

    def _subject_actors(self, verb: Token, actor_at: dict[int, ActorMention]) -> list[ActorRef]:
        """Subject of the verb, or of the verb that controls it (xcomp, 'by doing', conj)."""
        node: Token | None = verb
        for _ in range(6):
            if node is None:
                break
            for child in node.children:
                if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and node is verb):
                    if child.lower_ in RELATIVE_PRONOUNS or child.lower_ in PERSONAL_PRONOUNS:
                        # "the army command says it has ceased": the nearest actor named before
                        return self._nearest_before(child, actor_at)
                    found = self._actors_in(child, actor_at)
                    if found:
                        return found
                    if child.dep_ == "nsubj":
                        return []
            if (
                node.dep_ in {"xcomp", "pcomp", "acomp", "prep", "conj", "advcl", "pobj"}
                and node.head is not node
            ):
                if node.dep_ == "advcl" and any(c.dep_ == "mark" for c in node.children):
                    break
                node = node.head
            else:
                break
        return []

    @staticmethod
    def _nearest_before(token: Token, actor_at: dict[int, ActorMention]) -> list[ActorRef]:
        for k in range(token.i - 1, token.sent.start - 1, -1):
            if k in actor_at:
                return list(actor_at[k].refs)
        return []

    def _actors_in(self, head: Token, actor_at: dict[int, ActorMention]) -> list[ActorRef]:
        """Actors named in a noun phrase: the head, its modifiers, conjuncts and appositions."""
        found: list[ActorRef] = []
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            head = head.head.head  # "the Syrian army, which is backed by …": the army
        stack = [head]
        seen: set[int] = set()
        while stack:
            node = stack.pop()
            if node.i in seen:
                continue
            seen.add(node.i)
            mention = actor_at.get(node.i)
            if mention is not None:
                found += mention.refs
            for child in node.children:
                if child.dep_ in {
                    "conj",
                    "appos",
                    "compound",
                    "nmod",
                    "amod",
                    "poss",
                    "cc",
                    "punct",
                    "det",
                    "pobj",
                    "dobj",
                    "pcomp",
                } or (child.dep_ == "prep" and child.lower_ == "of"):
                    stack.append(child)
                elif child.dep_ == "acl" and child.lemma_.lower() in self.lex.control_verbs:
                    for grand in child.children:
                        if grand.dep_ == "agent":
                            stack.append(grand)
        return _unique(found)

    def _actors_in_prep(self, prep: Token, actor_at: dict[int, ActorMention]) -> list[ActorRef]:
        found: list[ActorRef] = []
        for child in prep.children:
            if child.dep_ in {"pobj", "pcomp"}:
                found += self._actors_in(child, actor_at)
        return found

    @staticmethod
    def _event_antecedents(pronoun: Token, draft: Draft, previous: list[Draft]) -> list[Draft]:
        """'Both have been blocked': the events of the sentence just before."""
        if not previous:
            return []
        last_sentence = previous[-1].sentence.start
        recent = [
            d
            for d in previous
            if d.sentence.start == last_sentence
            and not d.elaborated
            and d.trigger.sent.start == last_sentence
        ]
        if pronoun.lower_ == "both":
            recent = recent[-2:]
        return recent

    def _context_actors(
        self, sentences: list[SpacySpan], index: int, actor_at: dict[int, ActorMention]
    ) -> list[ActorRef]:
        """Actors of the sentence before (the topic an actor-less event continues)."""
        if index == 0:
            return []
        sent = sentences[index - 1]
        refs: list[ActorRef] = []
        for k in range(sent.start, sent.end):
            mention = actor_at.get(k)
            if mention is None or k != mention.start:
                continue
            refs += [
                replace(r, via="context", confidence=min(r.confidence, 0.7))
                for r in mention.refs
                if r.kind != "unknown"
            ]
        return _unique(refs)

    # modality ---------------------------------------------------------------------------------
    def _modality(self, draft: Draft) -> None:
        if draft.anaphoric:
            return
        found: list[Modality] = []
        node = draft.anchor
        if draft.trigger is not draft.anchor and any(
            c.lower_ == "no" for c in draft.trigger.children if c.dep_ == "det"
        ):
            found.append("negated")  # "there were no clashes"
        for _ in range(8):
            found += self._own_modality(node)
            head = node.head
            if head is node:
                break
            if (
                node.dep_ == "advcl"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
                and not any(c.dep_ in SUBJECT_DEPS for c in node.children)
            ):
                found.append("future")  # purpose clause: "to resume trade"
                draft.purpose = True
                break
            if node.dep_ not in {"xcomp", "pcomp", "acomp", "prep", "pobj", "ccomp"}:
                break
            lemma = head.lemma_.lower()
            if lemma in self.lex.claim_verbs:
                found.append("reported")  # "accused the army of targeting": a claim
            if lemma in self.lex.attempt_verbs:
                found.append("attempted")
            elif lemma in self.lex.intent_verbs:
                found.append("future")
                if lemma in DESIRE_VERBS:
                    draft.purpose = True  # wanting is not announcing: no THREATEN/AGREE from it
            if head.lower_ == "without":
                found.append("negated")
            node = head
        draft.modality = min(found, key=lambda m: MODALITY_RANK[m]) if found else "asserted"
        draft.modal_cues = frozenset(found)

    def _own_modality(self, verb: Token) -> list[Modality]:
        found: list[Modality] = []
        for child in verb.children:
            word = child.lower_
            if child.dep_ == "neg" or (child.dep_ == "advmod" and word in {"never"}):
                found.append("negated")
            elif (
                child.dep_ == "aux" and word in {"ca", "can"} and any(c.dep_ == "neg" for c in verb.children)
            ):
                found.append("future")  # "cannot accept": a refusal, not a hypothesis
            elif child.dep_ == "aux" and word == "would" and self._backshifted(verb):
                found.append("future")  # "said it would boycott": the reported "will boycott"
            elif child.dep_ == "aux" and word in self.lex.hypothetical_modals:
                found.append("hypothetical")
            elif child.dep_ == "aux" and word in self.lex.future_modals:
                found.append("future")
            elif child.dep_ == "mark" and word in self.lex.conditional_marks:
                found.append("hypothetical")
            elif child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in self.lex.conditional_marks for c in child.children
            ):
                found.append("hypothetical")  # "the rebels will withdraw if the army advances"
        return found

    def _backshifted(self, verb: Token) -> bool:
        """ "would" in the complement of a past verb of saying: "Nigeria said it would withdraw"."""
        clause = verb
        while clause.dep_ == "conj" and clause.head is not clause:
            clause = clause.head
        head = clause.head
        return (
            clause.dep_ == "ccomp"
            and head.lemma_.lower() in self.lex.reporting_verbs
            and (head.tag_ == "VBD" or any(c.dep_ == "aux" and c.lemma_ == "have" for c in head.children))
        )

    @staticmethod
    def _ultimatum(draft: Draft) -> bool:
        """ "will withdraw its force unless a ceasefire is arranged": an act announced on a condition
        the other side must meet."""
        return any(
            c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
            for c in draft.anchor.children
        )

    @staticmethod
    def _split_by_antecedent(draft: Draft) -> list[Draft]:
        """'Both have been blocked': one event per event acted on, at that event's place."""
        if draft.place is not None or not draft.antecedents:
            return [draft]
        split: list[Draft] = []
        for antecedent in draft.antecedents:
            copy = replace(
                draft,
                evidence=list(draft.evidence),
                notes=list(draft.notes),
                place=antecedent.place,
                antecedents=[],
            )
            copy.notes.append(f"place of '{antecedent.trigger.text}'")
            split.append(copy)
        return split

    # place and time ---------------------------------------------------------------------------
    @staticmethod
    def _clause_tokens(anchor: Token) -> Iterable[tuple[Token, int]]:
        """Tokens of the anchor's own clause with their depth.

        Sub-clauses (relative, adverbial, complement) and coordinated verbs or elided clauses
        ("and the second in X") belong to other events; coordinated nouns ("Hama and Idlib")
        stay.
        """
        stack = [(anchor, 0)]
        while stack:
            node, depth = stack.pop()
            yield node, depth
            for child in node.children:
                if child.dep_ in SUBCLAUSE_DEPS:
                    continue
                if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX", "ADJ", "NUM"}:
                    continue
                stack.append((child, depth + 1))

    def _place(self, draft: Draft, place_at: dict[int, PlaceMention]) -> None:
        best: tuple[int, int, Place] | None = None
        for token, depth in self._clause_tokens(draft.anchor):
            mention = place_at.get(token.i)
            if mention is None:
                continue
            rank = (SPECIFICITY.get(mention.place.precision, 9), depth)
            if best is None or rank < best[:2]:
                best = (rank[0], rank[1], mention.place)
        if best is None:
            described = self._where_clause_place(draft.anchor, place_at)
            if described is not None:
                best = (0, 0, described)
        if best is not None:
            draft.place = best[2]
            if best[2].span is not None:
                draft.evidence.append(best[2].span)

    @staticmethod
    def _where_clause_place(anchor: Token, place_at: dict[int, PlaceMention]) -> Place | None:
        """'… in Idlib province, where troops clashed': the place the clause describes."""
        node = anchor
        for _ in range(4):
            if node.dep_ == "relcl" and any(c.lower_ == "where" for c in node.children):
                mention = place_at.get(node.head.i)
                return mention.place if mention else None
            if node.head is node:
                return None
            node = node.head
        return None

    def _time(self, draft: Draft, times: Sequence[TimeMention]) -> When:
        """The time expression of the event's own clause, else of a governing clause
        ("while X was trying to advance" inherits the main clause's "in the past hours").
        Coordinated clauses ("there was a swap and they try to open hubs") do not share it."""
        sent = draft.sentence
        in_sentence = [t for t in times if sent.start <= t.start < sent.end]
        node = draft.anchor
        for _ in range(8):
            clause = {t.i for t, _ in self._clause_tokens(node)}
            own = [t for t in in_sentence if any(k in clause for k in range(t.start, t.end))]
            if own:
                chosen = own[0]
                if chosen.when.span is not None:
                    draft.evidence.append(chosen.when.span)
                return chosen.when
            if node.dep_ in INHERIT_TIME_DEPS and node.head is not node:
                node = node.head
            else:
                break
        return UNKNOWN_WHEN

    @staticmethod
    def _focus_place(places: Sequence[PlaceMention]) -> Place | None:
        """The place the article is about: the most often named exact or provincial place."""
        by_country = Counter(m.place.country for m in places if m.place.country)
        country = by_country.most_common(1)[0][0] if by_country else None
        counts: dict[str, tuple[int, Place]] = {}
        for precisions in ({"exact", "admin1"}, {"near", "between", "road"}):
            for mention in places:
                place = mention.place
                if place.precision in precisions and place.country == country:
                    n, _ = counts.get(place.name, (0, place))
                    counts[place.name] = (n + 1, place)
            if counts:
                break
        if not counts:
            return None
        return max(counts.values(), key=lambda item: item[0])[1]

    # assembly ---------------------------------------------------------------------------------
    @staticmethod
    def _merge_same_sentence(drafts: list[Draft]) -> list[Draft]:
        """One event per type per actor set within a sentence ("trying to establish hubs to
        resume trade with X" is one cooperation, with X as its partner). A telling with no actor
        of its own joins one that has them: "31 people were killed when jets bombed the town"
        is one attack."""
        merged: list[Draft] = []
        for draft in drafts:
            keys = {a.key for a in draft.actors}
            twin = next(
                (
                    m
                    for m in merged
                    if m.entry.type == draft.entry.type
                    and not m.anaphoric
                    and not draft.anaphoric
                    and ({a.key for a in m.actors} == keys or not keys or not m.actors)
                    and (m.place is None or draft.place is None or m.place == draft.place)
                ),
                None,
            )
            if twin is None:
                merged.append(draft)
                continue
            keep, other = (draft, twin) if draft.actors and not twin.actors else (twin, draft)
            if keep is draft:
                merged[merged.index(twin)] = draft
            keep.recipients = _unique(keep.recipients + other.recipients)
            keep.evidence += other.evidence
            if MODALITY_RANK[other.modality] > MODALITY_RANK[keep.modality]:
                keep.modality = other.modality
            if keep.place is None:
                keep.place = other.place
            if keep.when.precision == "unknown":
                keep.when = other.when
        return merged

    def _announced_as(self, draft: Draft) -> Trigger:
        """PLOVER's single category: "will attack" is a THREATEN, "will give a grant" an AGREE
        (the threat or the promise is what was asserted)."""
        refusal = (
            draft.modality == "negated"
            and "future" in draft.modal_cues
            and "hypothetical" not in draft.modal_cues
        )
        if refusal and draft.actors and draft.entry.type in REFUSABLE_TYPES:
            # "will not accept refugees", "will not lift the ban": PLOVER's REJECT
            draft.modality = "asserted"
            draft.notes.append(f"refused {draft.entry.type.lower()} coded as REJECT")
            return replace(draft.entry, type="REJECT", mode=None, context=None, cameo="120", derived=False)
        if (
            draft.modality == "hypothetical"
            and "future" in draft.modal_cues
            and "negated" not in draft.modal_cues
            and draft.actors
            and not draft.purpose
            and self._ultimatum(draft)
        ):
            draft.modality = "asserted"
            draft.notes.append(
                f"{draft.entry.type.lower()} announced unless a condition is met: an ultimatum"
            )
            return replace(
                draft.entry, type="THREATEN", mode="relations", context=None, cameo="139", derived=False
            )
        if draft.modality != "future" or draft.purpose or not draft.actors:
            return draft.entry
        target = self.lex.future_as.get(draft.entry.type)
        if target is None:
            return draft.entry
        draft.modality = "asserted"
        draft.notes.append(f"announced {draft.entry.type.lower()} coded as {target['type']}")
        return replace(
            draft.entry,
            type=target["type"],
            mode=target.get("mode"),
            context=None,
            cameo=target.get("cameo"),
            derived=False,
        )

    def _to_event(self, draft: Draft, article: Article) -> Event:
        entry = self._announced_as(draft)
        etype = self.onto.event_type(entry.type, entry.mode, entry.context, entry.cameo)
        actors = tuple(draft.actors)
        recipients = tuple(draft.recipients)
        trigger = _char_span(draft.trigger)
        fatalities, size, count_spans = self._counts(draft, etype.plover)
        spans = tuple(sorted(set(draft.evidence) | count_spans, key=lambda s: (s.start, s.end)))
        confidence = max(0.05, min(0.99, draft.confidence - (0.15 if not actors else 0.0)))
        return Event(
            id=Event.make_id(article.id, trigger, etype.plover, actors, recipients, draft.place),
            article_id=article.id,
            type=etype,
            actors=actors,
            recipients=recipients,
            place=draft.place,
            when=draft.when,
            modality=draft.modality,
            sentence=_sent_span(draft.sentence),
            trigger=trigger,
            confidence=round(confidence, 2),
            symmetric=entry.symmetric,
            evidence_spans=spans,
            notes=tuple(draft.notes),
            fatalities=fatalities,
            size=size,
        )

    @staticmethod
    def _counts(draft: Draft, plover: str) -> tuple[int | None, int | None, set[Span]]:
        """Deaths and crowd/force size reported in the event's sentence, with their spans."""
        rules = numbers.patterns()
        text, offset = draft.sentence.text, draft.sentence.start_char
        dead = numbers.fatalities(text) if plover in rules.deadly_types else None
        crowd = numbers.size(text) if plover in rules.sized_types else None
        spans = {Span(offset + c.start, offset + c.end, c.text) for c in (dead, crowd) if c is not None}
        return (dead.value if dead else None), (crowd.value if crowd else None), spans


def article_time(published: date) -> When:
    """An event whose sentence says nothing of time is bounded by its article's reference time:
    it happened by publication. When before that the text does not say, so the start stays
    open and the precision "unknown" — a window such as "the week before" would be invented."""
    return When(None, published, "unknown", source="article")


def _unique(refs: Iterable[ActorRef]) -> list[ActorRef]:
    seen: set[str] = set()
    result: list[ActorRef] = []
    for ref in refs:
        if ref.key not in seen:
            seen.add(ref.key)
            result.append(ref)
    return result
