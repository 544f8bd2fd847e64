"""The relation graph: who invested in what together, and who works with whom.

Both are bipartite graphs (candidate × portfolio company, candidate × related organization) held
as two CSR-style arrays each way, so a query is a handful of numpy gathers and one ``bincount``
over the candidates, with no per-candidate Python. Numpy alone is enough: the operations needed
are "rows of these columns" and "columns of these rows", not general sparse algebra.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def _csr(pairs_rows: np.ndarray, pairs_columns: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(pairs_rows, kind="stable")
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.add.at(indptr, pairs_rows + 1, 1)
    return np.cumsum(indptr), pairs_columns[order]


class Bipartite:
    """Candidates (rows) linked to items (portfolio companies, partners), without duplicates.

    ``similar_to(rows)`` is item-based collaborative filtering: for each candidate, the sum over the
    given rows of the cosine between their item sets (shared items / sqrt(size × size)), i.e. "has
    invested together with your investors, often, and not only because it invests in everything".
    """

    def __init__(self, pairs: Iterable[tuple[int, str]], n_rows: int) -> None:
        unique = sorted(set(pairs))
        self.item_ids: dict[str, int] = {}
        rows = np.fromiter((row for row, _ in unique), dtype=np.int64, count=len(unique))
        columns = np.fromiter(
            (self.item_ids.setdefault(item, len(self.item_ids)) for _, item in unique),
            dtype=np.int64,
            count=len(unique),
        )
        self.n_rows = n_rows
        self.row_ptr, self.row_items = _csr(rows, columns, n_rows)
        self.item_ptr, self.item_rows = _csr(columns, rows, len(self.item_ids))
        self.degree = np.diff(self.row_ptr).astype(np.float64)
        self.item_names = list(self.item_ids)

    def items_of(self, row: int) -> np.ndarray:
        return self.row_items[self.row_ptr[row] : self.row_ptr[row + 1]]

    def rows_of_item(self, item: str) -> np.ndarray:
        column = self.item_ids.get(item)
        if column is None:
            return np.zeros(0, dtype=np.int64)
        return self.item_rows[self.item_ptr[column] : self.item_ptr[column + 1]]

    def rows_of_items(self, items: Iterable[str]) -> np.ndarray:
        found = [self.rows_of_item(item) for item in items]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def shared_counts(self, items: Sequence[str]) -> np.ndarray:
        """How many of ``items`` each row is linked to."""
        counts = np.zeros(self.n_rows, dtype=np.float64)
        for item in items:
            counts[self.rows_of_item(item)] += 1.0
        return counts

    def similar_to(self, rows: Sequence[int] | np.ndarray, cosine: bool = False) -> np.ndarray:
        """For each candidate, summed over ``rows``: log(1 + items shared with that row), or with
        ``cosine`` the cosine of the two item sets. 0 for the row itself.

        The log count is what predicts who joins a company's next round (measured on Crunchbase,
        train < 2011, test 2011: MRR 0.105 against 0.057 for the cosine, which penalizes the large
        funds that do most follow-on investing); the cosine is for "how alike are two investors".
        """
        scores = np.zeros(self.n_rows, dtype=np.float64)
        for row in rows:
            items = self.items_of(row)
            if not len(items):
                continue
            starts, ends = self.item_ptr[items], self.item_ptr[items + 1]
            lengths = ends - starts
            gather = np.repeat(ends - lengths.cumsum(), lengths) + np.arange(lengths.sum())
            counts = np.bincount(self.item_rows[gather], minlength=self.n_rows).astype(np.float64)
            counts[row] = 0.0
            if cosine:
                scores += counts / np.sqrt(np.maximum(self.degree, 1.0) * len(items))
            else:
                scores += np.log1p(counts)
        return scores

    def shared_with(self, row: int, other: int) -> int:
        return len(np.intersect1d(self.items_of(row), self.items_of(other), assume_unique=True))
