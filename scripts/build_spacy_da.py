"""Build the Danish spaCy 3.4 pipeline Rasa's SpacyNLP loads.

`da_core_news_sm` is used when installed; otherwise a pipeline is built from
`spacy.blank("da")` plus the lookup lemmatizer from spacy-lookups-data, because
the trained model cannot be downloaded on these machines.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import spacy

log = logging.getLogger("build_spacy_da")


def build(target: Path) -> str:
    """Write the pipeline to `target` and return which one it is."""
    try:
        nlp = spacy.load("da_core_news_sm")
        kind = "da_core_news_sm"
    except OSError:
        nlp = spacy.blank("da")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        kind = "blank_da_lookup_lemmatizer"
    nlp.meta["name"] = "da_reassurance"
    nlp.meta["description"] = kind
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    return kind


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".cache/spacy_da")
    which = build(out)
    log.info("Danish spaCy pipeline written to %s: %s", out, which)
