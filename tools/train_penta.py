"""Train the penta classifier and write src/khaldun/data/models/penta.json.

    .venv/bin/python tools/train_penta.py [--data ../shared/data/cameo_quad/train.tsv]

The features are computed by the same pipeline that codes articles (the rule coder's events,
lexicon hits, lemmas), so retrain whenever the lexicon or the coder changes much; the model
file records the sha256 of its training file so `khaldun eval quad` knows to cross-validate.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from khaldun.config import data_path, shared_dir
from khaldun.eval.events import file_sha256, quad_features
from khaldun.events.penta import MODEL_FILE, fit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    path = args.data
    if path is None:
        root = shared_dir()
        if root is None:
            raise SystemExit("no shared folder: give --data or set KHALDUN_SHARED")
        path = root / "data" / "cameo_quad" / "train.tsv"
    labels, coded = quad_features(path)
    about = {
        "what": "CAMEO penta-class sentence classifier stacked on khaldun's rule coder",
        "trained_on": "ConfliBERT data/cameo_class/train.tsv (github.com/eventdata/ConfliBERT, "
        "commit 0b630014885b; sentences from Multi-CoPED, Parolin et al. 2022)",
        "licence": "GPL-3.0, as its training data (see NOTICE)",
        "sentences": len(labels),
        "sha256": file_sha256(path),
        "made_by": "tools/train_penta.py",
    }
    model = fit([c.features for c in coded], labels, about=about)
    out = data_path(*MODEL_FILE)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_one_feature_per_line(model.to_json()), encoding="utf-8")
    print(f"wrote {out}: {len(model.features)} features, {len(labels)} sentences")


def _one_feature_per_line(raw: dict[str, object]) -> str:
    """JSON with one weight row per line, so a retrained model diffs readably."""
    weights = raw["weights"]
    assert isinstance(weights, dict)
    head = {k: v for k, v in raw.items() if k != "weights"}
    lines = [json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "weights": {']
    rows = [f"  {json.dumps(name, ensure_ascii=False)}: {json.dumps(row)}" for name, row in weights.items()]
    return "\n".join(lines) + "\n" + ",\n".join(rows) + "\n }\n}\n"


if __name__ == "__main__":
    main()
