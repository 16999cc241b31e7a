"""Derive src/khaldun/data/actors/phoenix_agents.yaml from PETRARCH2's Phoenix.agents.txt.

Phoenix.agents.txt (Open Event Data Alliance, MIT licence; named in NOTICE) lists role nouns
("SOLDIER [~MIL]", "OPPOSITION_LEADER [~OPP]") with substitution sets (!PERSON! = MAN, MEN …).
This script expands them, adds regular plurals, and writes phrase → sector code. Run it when
the source changes:  python tools/build_phoenix_agents.py ../shared/data/petrarch2/Phoenix.agents.txt
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parents[1] / "src" / "khaldun" / "data" / "actors" / "phoenix_agents.yaml"
# PLOVER 2.0 renamed two CAMEO sectors: CAMEO's MED (media) is JRN, its HLH (health) is MED.
PLOVER_SECTOR = {"MED": "JRN", "HLH": "MED"}
SECTORS = frozenset(
    {
        "GOV",
        "MIL",
        "REB",
        "COP",
        "JUD",
        "LEG",
        "PTY",
        "SPY",
        "UAF",
        "CVL",
        "OPP",
        "AGR",
        "BUS",
        "CRM",
        "EDU",
        "ELI",
        "JRN",
        "LAB",
        "MED",
        "REF",
        "REL",
        "NGO",
        "IGO",
        "ENV",
        "DEV",
        "PRM",
        "MUS",
        "CHR",
        "JEW",
        "BUD",
        "HIN",
        "SOC",
    }
)
ENTRY = re.compile(r"^([A-Z0-9_!'.&-]+(?:\s*\{\})?)\s*\[~([A-Z]+)\]")


def plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("man"):
        return word[:-3] + "men"
    return word + "s"


def parse(path: Path) -> dict[str, str]:
    substitutions: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        sub = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if sub:
            substitutions[sub.group(1)] = [w.strip() for w in sub.group(2).split(",")]
            continue
        match = ENTRY.match(line)
        if not match:
            continue
        phrase, code = match.group(1).replace("{}", "").strip(), match.group(2)
        sector = PLOVER_SECTOR.get(code[:3], code[:3])
        if sector not in SECTORS:
            continue  # PPL ("people", "man") and other non-sector codes say nothing about who acts
        code = sector + code[3:]
        variants = [phrase]
        for name, words in substitutions.items():
            if name in phrase:
                variants = [v.replace(name, "_" + w) for v in variants for w in words]
        for variant in variants:
            words = [w for w in variant.lower().replace("_", " ").split() if w]
            if not words:
                continue
            text = " ".join(words)
            agents.setdefault(text, code)
            agents.setdefault(" ".join([*words[:-1], plural(words[-1])]), code)
    return agents


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/petrarch2/Phoenix.agents.txt")
    agents = parse(source)
    header = (
        "# Role nouns → CAMEO agent code (first three letters: the sector), derived by\n"
        "# tools/build_phoenix_agents.py from PETRARCH2's Phoenix.agents.txt (Open Event Data\n"
        "# Alliance, MIT licence, see NOTICE). Regular plurals added. Do not edit by hand: edit\n"
        "# agents.yaml, whose entries take precedence.\n"
    )
    OUT.write_text(
        header + yaml.safe_dump({"agents": dict(sorted(agents.items()))}, allow_unicode=True, width=120),
        encoding="utf-8",
    )
    print(f"wrote {len(agents)} phrases to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
