"""A difference-analysis policy that reviews each signature's later revisions once per verification.

pyHanko's LTA validation of one signature runs the diff analysis of every signature in the file
(to collect proofs of existence from the document time-stamps), so a copy with two signatures had
each of them reviewed twice. ``DiffPolicy`` is pyHanko's extension point for this analysis; this
one delegates to the standard policy and remembers its verdict for one reader.
"""
from __future__ import annotations

from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, DiffPolicy


class ReviewOnce(DiffPolicy):
    """Use one instance per verified file (the memo is keyed by the reader's identity)."""

    def __init__(self, inner: DiffPolicy = DEFAULT_DIFF_POLICY):
        self.inner = inner
        self._reviews: dict[tuple, object] = {}

    def apply(self, old, new, field_mdp_spec=None, doc_mdp=None):
        return self.inner.apply(old, new, field_mdp_spec, doc_mdp)

    def review_file(self, reader, base_revision, field_mdp_spec=None, doc_mdp=None):
        if not isinstance(base_revision, int):  # a resolver: not worth remembering
            return self.inner.review_file(reader, base_revision, field_mdp_spec, doc_mdp)
        key = (id(reader), base_revision, field_mdp_spec, doc_mdp)
        if key not in self._reviews:
            self._reviews[key] = self.inner.review_file(reader, base_revision, field_mdp_spec, doc_mdp)
        return self._reviews[key]
