"""Sparse TF-IDF vectors kept both by message and by term (an inverted index).

Similarity of one message to all others walks only the postings of its own terms, so the
engine never builds an n×n matrix: a query costs the length of those postings, and the
engine asks a bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
from numpy.typing import NDArray

# A query skips terms found in more than this share of messages (but never below the floor);
# such terms carry almost no weight after IDF and would make a query cost O(n).
_QUERY_DF_SHARE = 0.05
_QUERY_DF_FLOOR = 1000


class TermMatrix:
    """L2-normalised TF-IDF rows over term ids (sublinear tf, smoothed idf)."""

    def __init__(self, rows: Sequence[Sequence[int]], n_terms: int) -> None:
        n_rows = len(rows)
        self.n_rows = n_rows
        self.n_terms = n_terms
        lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=n_rows)
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
        row_of = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        keys, counts = np.unique(row_of * max(n_terms, 1) + flat, return_counts=True)
        row = keys // max(n_terms, 1)
        term = keys % max(n_terms, 1)
        self.df: NDArray[np.int64] = np.bincount(term, minlength=n_terms)
        self.idf: NDArray[np.float64] = np.log((n_rows + 1) / (self.df + 1)) + 1.0
        weights = (1.0 + np.log(counts)) * self.idf[term]
        norms = np.sqrt(np.bincount(row, weights=weights * weights, minlength=n_rows))
        norms[norms == 0] = 1.0
        weights = weights / norms[row]
        # by row (keys are sorted by row, then term)
        self.row_ptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=n_rows), out=self.row_ptr[1:])
        self.row_of = row
        self.row_terms = term
        self.row_weights = weights
        # by term
        order = np.argsort(term, kind="stable")
        self.post_rows = row[order]
        self.post_weights = weights[order]
        self.term_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(self.df, out=self.term_ptr[1:])
        self._max_query_df = max(_QUERY_DF_FLOOR, int(_QUERY_DF_SHARE * n_rows))

    def terms_of(self, row: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        start, stop = self.row_ptr[row], self.row_ptr[row + 1]
        return self.row_terms[start:stop], self.row_weights[start:stop]

    def rows_with(self, term: int) -> NDArray[np.int64]:
        return self.post_rows[self.term_ptr[term] : self.term_ptr[term + 1]]

    def similarities(self, row: int) -> NDArray[np.float64]:
        """Cosine of `row` with every row, through the postings of its rarer terms."""
        terms, weights = self.terms_of(row)
        keep = self.df[terms] <= self._max_query_df
        if keep.any():
            terms, weights = terms[keep], weights[keep]
        if len(terms) == 0:
            result = np.zeros(self.n_rows)
            result[row] = 1.0
            return result
        starts, stops = self.term_ptr[terms], self.term_ptr[terms + 1]
        rows = np.concatenate([self.post_rows[a:b] for a, b in zip(starts, stops, strict=True)])
        contrib = np.concatenate(
            [
                self.post_weights[a:b] * w
                for a, b, w in zip(starts, stops, weights, strict=True)
            ]
        )
        result = np.bincount(rows, weights=contrib, minlength=self.n_rows)
        result[row] = 1.0
        return result

    def dot(self, first: int, second: int) -> float:
        """Cosine of two rows; cheap because rows are short and sorted by term."""
        terms_a, weights_a = self.terms_of(first)
        terms_b, weights_b = self.terms_of(second)
        _, ia, ib = np.intersect1d(terms_a, terms_b, assume_unique=True, return_indices=True)
        return float(np.dot(weights_a[ia], weights_b[ib]))

    def scores_against(self, term_weights: NDArray[np.float64]) -> NDArray[np.float64]:
        """Every row's dot product with one dense term vector (e.g. a centroid)."""
        return np.bincount(
            self.row_of, weights=self.row_weights * term_weights[self.row_terms],
            minlength=self.n_rows,
        )
