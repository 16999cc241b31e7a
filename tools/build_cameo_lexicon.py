"""Derive two data files from the shared dictionaries:

- src/khaldun/data/ontology/cameo2plover.yaml from PLOVER's CAMEO2PLOVER-2021.txt (CC BY-SA 4.0):
  CAMEO code → PLOVER type, mode, context;
- src/khaldun/data/lexicon/cameo_verbs.yaml from PETRARCH2's CAMEO.2.0.txt (MIT): verb lemma (with
  its particle for phrasal verbs) → CAMEO code, and simple object-conditioned codes
  ("HELP ... PATIENTS [073]").

khaldun uses the verb table behind its curated triggers.yaml, and only for verbs that link two
actors (PETRARCH's own rule), because CAMEO files many everyday verbs ("increase", "serve")
under cooperation codes.

    python tools/build_cameo_lexicon.py ../shared/data
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1] / "src" / "khaldun" / "data"
HEADER = re.compile(r"^---\s+(\S+)\s+\[([0-9-]+)\]\s+---")
MEMBER = re.compile(r"^(\+?[A-Z][A-Z_'-]*)\s*(?:\{[^}]*\})?\s*(?:\[([0-9]+)\])?")
PATTERN = re.compile(r"^-\s+\*\s+([A-Z][A-Z'-]*)_?\s+\[([0-9]+)\]")
MAPPING = re.compile(r"^(\d{2,4}):\s*([A-Z]+)\s*,\s*([^,#]*?)\s*,\s*([^#]*?)\s*(?:#.*)?$")
PLOVER_MODES = {  # modes that exist in PLOVER 2.0 (CAMEO2PLOVER 2021 still uses a few draft names)
    "AGREE": set(),
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "SUPPORT": set(),
    "CONCEDE": set(),
    "COOPERATE": set(),
    "AID": set(),
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {
        "seize",
        "restrict",
        "censor",
        "curfew",
        "martial-law",
        "arrest",
        "deport",
        "withhold",
        "misinformation",
        "cyber",
    },
    "ASSAULT": {
        "abduct",
        "beat",
        "torture",
        "sexual",
        "targeted",
        "destroy",
        "primitive",
        "firearms",
        "explosives",
        "suicide-attack",
        "aerial",
        "drone",
        "heavy-weapons",
        "crowd-control",
        "unconventional",
    },
}
CONTEXTS = {
    "military",
    "intelligence",
    "executive",
    "legislative",
    "election",
    "political_institutions",
    "pro_democracy",
    "pro_autocracy",
    "economic",
    "legal",
    "reparations",
    "human_rights",
    "rights_freedoms",
    "repression",
    "human_security",
    "gender",
    "lgbt",
    "religion_ethnicity",
    "inequality",
    "diplomatic",
    "territory",
    "peacekeeping",
    "health",
    "asylum",
    "migration",
    "disasters",
    "natural_resource",
    "environment",
    "technology",
    "terrorism",
    "cbrn",
    "cyber",
    "misinformation",
    "crime",
    "corruption",
    "illegal_drugs",
    "trafficking",
}


def parse_mapping(path: Path) -> dict[str, dict[str, str | None]]:
    mapping: dict[str, dict[str, str | None]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = MAPPING.match(line.strip())
        if not match:
            continue
        code, plover, mode, context = match.groups()
        if plover not in PLOVER_MODES:
            continue
        mode = mode.strip() if mode.strip() in PLOVER_MODES[plover] else None
        first = context.split(";")[0].strip()
        mapping[code] = {"type": plover, "mode": mode, "context": first if first in CONTEXTS else None}
    # CAMEO 02 (appeals) has no row in the 2021 table; PLOVER's REQUEST covers appeals
    for code in ("02", "020", "021", "022", "023", "024", "025", "026", "027", "028"):
        mapping.setdefault(code, {"type": "REQUEST", "mode": None, "context": None})
    return mapping


def plover_for(code: str, mapping: dict[str, dict[str, str | None]]) -> dict[str, str | None] | None:
    for prefix in (code, code[:3], code[:2]):
        if prefix in mapping:
            return mapping[prefix]
    return None


def parse_verbs(path: Path, mapping: dict[str, dict[str, str | None]]) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    block_code: str | None = None
    members: list[tuple[str, str | None, str]] = []
    in_synsets = True
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line, _, comment = raw.partition("#")
        line = line.rstrip()
        header = HEADER.match(line)
        if header:
            in_synsets = False
            block_code = None if header.group(2) == "---" else header.group(2)
            members = []
            continue
        if in_synsets or not line.strip():
            continue
        if line.startswith("-"):
            pattern = PATTERN.match(line)
            if pattern and members:
                word, code = pattern.group(1).lower(), pattern.group(2)
                # the comment names the verb(s) the pattern was found with
                found_with = {
                    w.strip().lstrip("+").lower().split("_")[0] for w in comment.split(",") if w.strip()
                }
                for lemma, particle, _ in members:
                    if lemma in found_with:
                        entries.append(_entry(lemma, particle, code, mapping, objects=[word]))
            continue
        member = MEMBER.match(line.strip())
        if not member:
            continue
        word, own = member.group(1), member.group(2)
        parts = word.lstrip("+").lower().split("_")
        lemma, particle = parts[0], (parts[1] if len(parts) > 1 and parts[1] else None)
        code = own or block_code
        members.append((lemma, particle, code or ""))
        if code:
            entries.append(_entry(lemma, particle, code, mapping))
    return [e for e in entries if e]


def _entry(
    lemma: str,
    particle: str | None,
    code: str,
    mapping: dict[str, dict[str, str | None]],
    objects: list[str] | None = None,
) -> dict[str, object]:
    if not lemma.isalpha():
        return {}
    if code.startswith("01"):
        # CAMEO 01 is a statement, not an event: kept only where an object makes a verb a
        # statement ("express concern"), so that the verb's default code does not apply
        return {"lemma": lemma, "type": "NONE", "cameo": code, "objects": objects} if objects else {}
    target = plover_for(code, mapping)
    if target is None:
        return {}
    entry: dict[str, object] = {"lemma": lemma, "type": target["type"], "cameo": code}
    if target["mode"]:
        entry["mode"] = target["mode"]
    if target["context"]:
        entry["context"] = target["context"]
    if particle:
        entry["particle"] = particle
    if objects:
        entry["objects"] = objects
    return entry


def main() -> int:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data")
    mapping = parse_mapping(shared / "plover" / "CAMEO2PLOVER-2021.txt")
    (ROOT / "ontology" / "cameo2plover.yaml").write_text(
        "# CAMEO code → PLOVER 2.0 type, mode, context. Derived by tools/build_cameo_lexicon.py from\n"
        "# CAMEO2PLOVER-2021.txt (PLOVER, Open Event Data Alliance, CC BY-SA 4.0); shared under the\n"
        "# same licence (see NOTICE). Draft mode names not in PLOVER 2.0 are dropped.\n"
        + yaml.safe_dump({"cameo": mapping}, sort_keys=True, width=120),
        encoding="utf-8",
    )
    entries = parse_verbs(shared / "petrarch2" / "CAMEO.2.0.txt", mapping)
    unique = {tuple(sorted((k, str(v)) for k, v in e.items())): e for e in entries}
    verbs = sorted(
        unique.values(), key=lambda e: (str(e["lemma"]), str(e.get("particle") or ""), str(e["cameo"]))
    )
    (ROOT / "lexicon" / "cameo_verbs.yaml").write_text(
        "# Verb → CAMEO code (→ PLOVER via cameo2plover.yaml). Derived by tools/build_cameo_lexicon.py\n"
        "# from PETRARCH2's CAMEO.2.0.txt (Open Event Data Alliance, MIT licence, see NOTICE) and\n"
        "# CAMEO2PLOVER-2021.txt (CC BY-SA 4.0). Do not edit: curated triggers.yaml takes precedence.\n"
        + yaml.safe_dump({"verbs": verbs}, sort_keys=False, width=120, default_flow_style=None),
        encoding="utf-8",
    )
    print(f"{len(mapping)} CAMEO codes mapped; {len(verbs)} verb entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
