"""The matching engine inside Dari: stored snapshots in, scoped results out.

The search index (float16 text vectors, the lexical index, names) is built by the engine from the
registry's profiles and stored as one ``IndexSnapshot`` row. Each process holds the snapshot it last
loaded and, on each use, compares its version with the newest one (one small query): every web
process serves the same current index, and a restart loses nothing. The recommendation index is
rebuilt in the process from the registry when the snapshot changes (it is cheap next to the text
vectors, which it takes from the snapshot).

A snapshot records a fingerprint of what it was built from; ``refresh_index`` (run by the periodic
runner and after a matching profile changes) builds a new one only when the fingerprint moved,
re-encoding only the profiles whose text changed.

Every result is scoped: search and suggestions only return what ``visible_to(user)`` allows.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dari.accounts.access import access_for
from dari.core.bilingual import localized
from dari.core.countries import country_name
from dari.engines.matching.names import website_name
from dari.engines.matching.recommend import RecommendationIndex
from dari.registry.models import Affiliation, Organization, Person, Relationship, Sector

from .models import Feedback, IndexSnapshot, MatchingProfile
from .profiles import (
    organization_id,
    organization_profiles,
    parse_id,
    person_id,
    person_profiles,
    sector_tree,
)


def search_engine():
    """The engine's search module, imported on first use: it loads the text model lazily anyway."""
    from dari.engines.matching import search as module

    return module


#: How many snapshots to keep: the newest, and the one before it for processes still reading it.
KEEP_SNAPSHOTS = 2

#: The product's weights over the engine's defaults (tuned on Crunchbase, where nearness predicts
#: deals). A cross-border partnership exists to connect the two clusters: being in the same city
#: still counts, but must not outrank fit of sector, stage, size and profile.
PRODUCT_WEIGHTS = {"same_region": 0.15, "same_country": 0.15}
#: Without a stated stage, the engine would assume an early one; the product does not guess.
UNKNOWN_STAGE_WEIGHTS = {"stage_declared": 0.0, "stage_deals": 0.0, "sector_stage_deals": 0.0}

SIGNAL_LABELS = {
    "name": _("name"),
    "lexical": _("words"),
    "semantic": _("meaning"),
    "synonym": _("related terms"),
    "sector": _("sector"),
}


# --- building and storing ---------------------------------------------------------------------------


def fingerprint() -> str:
    """A digest of everything the indexes are built from; it changes whenever one of them does."""
    parts = [
        Organization.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        MatchingProfile.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Relationship.objects.aggregate(n=Count("pk"), last=Max("pk")),
        Sector.objects.aggregate(n=Count("pk"), last=Max("pk")),
        Person.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Affiliation.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Organization.sectors.through.objects.aggregate(n=Count("pk"), last=Max("pk")),
        # The shipped glossary is stored in the snapshot: a release that changes it (new public terms)
        # moves the fingerprint, so the next refresh serves it without a manual rebuild.
        search_engine().Glossary.default().to_json(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def places(profile) -> list[str]:
    """An organization's city and country in both languages, as search may be asked for them."""
    country = profile.country
    found = [profile.extra["city_ko"], profile.region]
    if country:
        found += [country_name(country, "ko"), country_name(country, "en")]
    return list(dict.fromkeys(place for place in found if place))


def documents():
    """What search covers, as engine documents: every organization (its short names and other names
    as aliases, its city and country in both languages as places, the name its website's address
    gives it: unist for unist.ac.kr) and every person. Visibility is applied per query, not here."""
    Document = search_engine().Document
    found = [
        Document.from_profile(
            profile,
            aliases=[
                name.strip()
                for name in (
                    profile.extra["short_name_en"],
                    profile.extra["short_name_ko"],
                    *profile.extra["aliases"],
                )
                if name.strip()
            ],
            places=places(profile),
            website_names=[name for name in (website_name(profile.extra["website"]),) if name],
        )
        for profile in organization_profiles()
    ]
    return found + [Document.from_profile(profile) for profile in person_profiles()]


def digest(document) -> str:
    return hashlib.sha256(repr(document).encode()).hexdigest()[:24]


def glossary():
    """The shipped bilingual glossary plus the taxonomy's names and synonyms (editable by staff)."""
    return search_engine().Glossary.default().with_groups(sector_tree()[3])


def build_search_index(docs: list, progress: Callable[[int, int], None] | None = None):
    """Index ``docs`` in one build; ``progress(encoded, total)`` follows the encoding of their
    distinct texts, which is most of the time."""
    return search_engine().SearchIndex.build(docs, glossary=glossary(), progress=progress)


def store_snapshot(index, docs: list, print_: str) -> IndexSnapshot:
    """Save ``index`` as the next version and drop the old ones; a concurrent writer wins ties."""
    for _attempt in range(3):
        latest = IndexSnapshot.objects.order_by("-version").values_list("version", flat=True).first() or 0
        try:
            with transaction.atomic():
                snapshot = IndexSnapshot.objects.create(
                    version=latest + 1,
                    engine_version=search_engine().ENGINE_VERSION,
                    document_count=len(index),
                    fingerprint=print_,
                    digests={document.id: digest(document) for document in docs},
                    data=index.to_bytes(),
                )
                stale = IndexSnapshot.objects.order_by("-version").values_list("pk", flat=True)[
                    KEEP_SNAPSHOTS:
                ]
                IndexSnapshot.objects.filter(pk__in=list(stale)).delete()
            return snapshot
        except IntegrityError:
            continue  # another process stored the same version first; number ours after it
    raise RuntimeError("Could not store the search index: other writers kept taking its version number.")


def rebuild_index(progress: Callable[[int, int], None] | None = None) -> IndexSnapshot:
    """Build the whole index from the registry and store it (``dari rebuild_matching_index``)."""
    print_ = fingerprint()
    docs = documents()
    return store_snapshot(build_search_index(docs, progress), docs, print_)


def refresh_index() -> IndexSnapshot | None:
    """Bring the stored index up to date with the registry; None when it already was.

    Loads the newest snapshot and encodes again only the documents whose content changed (their
    digests differ), so an edited profile costs one encoding, not a rebuild.
    """
    print_ = fingerprint()
    engine = search_engine()
    latest = IndexSnapshot.objects.order_by("-version").first()
    if latest is not None and latest.fingerprint == print_ and latest.engine_version == engine.ENGINE_VERSION:
        return None
    docs = documents()
    if latest is None or latest.engine_version != engine.ENGINE_VERSION:
        return store_snapshot(build_search_index(docs), docs, print_)
    index = engine.SearchIndex.from_bytes(bytes(latest.data))
    index.glossary = glossary()
    changed = [document for document in docs if latest.digests.get(document.id) != digest(document)]
    gone = set(latest.digests) - {document.id for document in docs}
    if gone:
        index.remove(gone)
    index.update(changed)
    return store_snapshot(index, docs, print_)


# --- the per-process copy ---------------------------------------------------------------------------


@dataclass
class Loaded:
    """One process's copy of a snapshot, with what queries need to scope their results fast.

    Visibility is kept as it was when the copy loaded: which documents are public (``public``, per
    search document; ``public_rows``, per recommender row) and each organization's cluster. A query
    ORs in what is granted to its user (a small query: their organizations, their programs' ones),
    and every result is read back through ``visible_to``: a profile made private since is never
    shown; one made public since shows after the next refresh, like any other edit (the fingerprint
    moves, a new snapshot is stored, every process loads it). Looking up every visible id per query
    instead cost ~30 ms at 100,000 profiles."""

    version: int
    search: object  # dari.engines.matching.search.SearchIndex
    recommendation: RecommendationIndex
    positions: np.ndarray  # of the recommender's profiles in the search index
    public: np.ndarray
    public_rows: np.ndarray
    cluster_rows: np.ndarray  # the cluster's pk per recommender row, 0 for none

    @classmethod
    def of(cls, version: int, search) -> Loaded:
        recommendation, positions = recommendation_index(search)
        profiles = recommendation.profiles
        public_rows = np.array([profile.extra["is_public"] for profile in profiles], dtype=bool)
        cluster_rows = np.array([profile.extra["cluster_id"] or 0 for profile in profiles], dtype=np.int64)
        public = np.zeros(len(search), dtype=bool)
        public[positions[public_rows]] = True
        people = Person.objects.filter(is_public=True).values_list("pk", flat=True)
        public[_positions(search, map(person_id, people))] = True
        return cls(version, search, recommendation, positions, public, public_rows, cluster_rows)

    def allowed(self, user) -> np.ndarray | None:
        """Which search documents ``user`` may see (None: all, for staff)."""
        if access_for(user).sees_everything:
            return None
        mask = self.public.copy()
        granted = [
            *map(organization_id, Organization.objects.granted_to(user).values_list("pk", flat=True)),
            *map(person_id, Person.objects.granted_to(user).values_list("pk", flat=True)),
        ]
        mask[_positions(self.search, granted)] = True
        return mask

    def allowed_rows(self, user, cluster=None) -> np.ndarray | None:
        """Which recommender rows ``user`` may see, in ``cluster`` if given (None: all)."""
        mask = None
        if not access_for(user).sees_everything:
            mask = self.public_rows.copy()
            row_of = self.recommendation.row_of
            for pk in Organization.objects.granted_to(user).values_list("pk", flat=True):
                row = row_of.get(organization_id(pk))
                if row is not None:
                    mask[row] = True
        if cluster is not None:
            in_cluster = self.cluster_rows == cluster.pk
            mask = in_cluster if mask is None else mask & in_cluster
        return mask


def _positions(search, ids) -> list[int]:
    """The search positions of those of ``ids`` that the snapshot holds."""
    return [position for position in map(search.position, ids) if position is not None]


_lock = threading.Lock()
_loaded: Loaded | None = None


def loaded() -> Loaded | None:
    """The newest stored index, loaded once per version per process; None while there is none
    usable (none built yet, or one written by another engine version): a refresh is then scheduled,
    and the worker or the periodic runner builds it. A page never builds an index itself: at
    100,000 profiles that takes minutes."""
    global _loaded
    newest = IndexSnapshot.objects.order_by("-version").values_list("version", "engine_version").first()
    if newest is None or newest[1] != search_engine().ENGINE_VERSION:
        request_refresh()
        return None
    version = newest[0]
    if _loaded is not None and _loaded.version == version:
        return _loaded
    with _lock:
        if _loaded is None or _loaded.version != version:
            snapshot = IndexSnapshot.objects.get(version=version)
            search = search_engine().SearchIndex.from_bytes(bytes(snapshot.data))
            _loaded = Loaded.of(version, search)
    return _loaded


#: A process asks for a missing index at most this often (seconds), however many pages ask.
REFRESH_REQUEST_INTERVAL = 60.0
_last_request = float("-inf")


def request_refresh() -> None:
    global _last_request
    now = time.monotonic()
    if now - _last_request >= REFRESH_REQUEST_INTERVAL:
        _last_request = now
        from .tasks import schedule_index_refresh

        schedule_index_refresh()


def warm_up() -> None:
    """Load the text encoder's weights and the newest stored index into this process.

    ``dari serve`` calls it in gunicorn's arbiter before it forks the workers: they start with both
    (shared, copy-on-write) instead of loading them inside their first search (the encoder ~2 s,
    Kiwi ~3 s, the index's lazy parts), which stalled every request that worker was serving
    (benchmarks/results/load-quiet.md, stop 28). A worker replaced after its ``max_requests`` starts
    warm too. A newer snapshot is still loaded by the first request that sees it."""
    from dari.engines.matching import text, tokens

    tokens.tokenize("갑상선 warm-up")  # Kiwi, the Korean analyser (~3 s at its first analysis)
    text.encode(["warm-up"])
    current = loaded()
    if current is not None:
        # The index's parts made at its first query (tokens, names, BM25 weights, the glossary).
        current.search.search("갑상선 thyroid", k=1)


def is_ready() -> bool:
    """Whether search and suggestions have an index to answer from (pages say so when not)."""
    return loaded() is not None


def forget_loaded() -> None:
    """Drop this process's copy (tests, and after a restore)."""
    global _loaded, _last_request
    with _lock:
        _loaded = None
        _last_request = float("-inf")


def recommendation_index(search) -> tuple[RecommendationIndex, np.ndarray]:
    """The recommender over every organization in the snapshot, with the snapshot's text vectors,
    and the position of each of its profiles in the search index (to align text scores with it).
    An organization created since the snapshot joins at the next one, as in search."""
    _keys, parents, labels, _groups = sector_tree()
    held = [(profile, search.position(profile.id)) for profile in organization_profiles()]
    profiles = [profile for profile, position in held if position is not None]
    positions = np.array([position for _profile, position in held if position is not None], dtype=np.int64)
    vectors = np.stack([search.vector(profile.id) for profile in profiles]) if profiles else None
    index = RecommendationIndex.build(profiles, sector_parents=parents, labels=labels, text_vectors=vectors)
    return index, positions


# --- search -----------------------------------------------------------------------------------------


@dataclass
class SearchResult:
    kind: str  # "organization" or "person"
    obj: object
    score: float
    matched: tuple[str, ...]

    @property
    def matched_labels(self) -> list[str]:
        return [str(SIGNAL_LABELS.get(signal, signal)) for signal in self.matched]

    @property
    def snippet(self) -> str:
        if self.kind != "organization":
            return ""
        return localized(self.obj, "description").text


#: How many times a search or suggestion query runs again when some of its results are no longer
#: visible (made private or deleted since the snapshot loaded), so that it still fills its page.
HIDDEN_RETRIES = 2


def _without(allowed: np.ndarray | None, size: int, positions) -> np.ndarray:
    """A copy of the mask ``allowed`` (None: everything) with ``positions`` left out."""
    mask = np.ones(size, dtype=bool) if allowed is None else allowed.copy()
    mask[positions] = False
    return mask


def search(user, text: str, *, kind: str = "", limit: int = 100) -> list[SearchResult]:
    """Organizations and people matching ``text`` (Korean or English), best first, that ``user``
    may see. ``kind``: an organization kind, ``"person"``, or empty for everything."""
    text = text.strip()[:200]
    if not text:
        return []
    current = loaded()
    if current is None:
        return []
    index = current.search
    organizations = Organization.objects.visible_to(user)
    people = Person.objects.visible_to(user)
    if kind == "person":
        organizations = organizations.none()
    elif kind:
        organizations, people = organizations.filter(kind=kind), people.none()
    allowed = current.allowed(user)
    for attempt in range(HIDDEN_RETRIES + 1):
        hits = index.search(text, k=limit, allowed_ids=allowed, kinds=[kind] if kind else None)
        wanted = [(parse_id(hit.id), hit) for hit in hits]
        organization_rows = organizations.in_bulk(
            [ref[1] for ref, _hit in wanted if ref and ref[0] == "organization"]
        )
        person_rows = people.in_bulk([ref[1] for ref, _hit in wanted if ref and ref[0] == "person"])
        hidden = [  # only hits that would be shown: unmatched filler is dropped below anyway
            hit.id
            for ref, hit in wanted
            if ref
            and hit.matched
            and ref[1] not in (organization_rows if ref[0] == "organization" else person_rows)
        ]
        if not hidden or attempt == HIDDEN_RETRIES:
            break
        # Made private (or deleted) since the snapshot: search again without them.
        allowed = _without(allowed, len(index), _positions(index, hidden))
    results = []
    for ref, hit in wanted:
        if not hit.matched:
            continue  # ranked only because something had to be: no signal found it
        rows = organization_rows if ref and ref[0] == "organization" else person_rows
        obj = rows.get(ref[1]) if ref else None
        if obj is not None:
            results.append(SearchResult(ref[0], obj, float(hit.score), tuple(hit.matched)))
    return results


# --- suggestions ------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    organization: Organization
    score: float
    reasons: list
    mark: bool | None
    is_related: bool


@dataclass
class ShownReason:
    code: str
    text: str
    en: str
    ko: str


def weights_for(subject) -> dict[str, float]:
    weights = dict(PRODUCT_WEIGHTS)
    if subject.kind == Organization.Kind.STARTUP and not subject.stage:
        weights.update(UNKNOWN_STAGE_WEIGHTS)
    return weights


def suggestions(
    user,
    subject: Organization,
    *,
    kinds: list[str] | None = None,
    cluster=None,
    country: str = "",
    stage: str = "",
    include_related: bool = False,
    k: int = 20,
) -> list[Suggestion]:
    """The ``k`` best candidates for ``subject`` that ``user`` may see, with reasons in both
    languages and ``user``'s own marks (which also steer the ranking)."""
    current = loaded()
    if current is None:
        return []
    index = current.recommendation
    subject_key = organization_id(subject.pk)
    if subject_key not in index.row_of:
        return []
    marks = dict(
        Feedback.objects.filter(user=user, subject=subject).values_list("candidate_id", "is_relevant")
    )
    visible = Organization.objects.visible_to(user)
    if cluster is not None:
        visible = visible.filter(cluster=cluster)
    allowed = current.allowed_rows(user, cluster)
    # Coarse cosine for every candidate on a large index (exact below TwoStage.start): the text
    # score is one feature among many, and the exact pass would cost ~30 ms at 100,000.
    text_scores = current.search.similarities(current.search.vector(subject_key), exact=False)[
        current.positions
    ]
    for attempt in range(HIDDEN_RETRIES + 1):
        found = index.recommend(
            subject_key,
            k,
            kinds=kinds,
            countries=[country] if country else None,
            stages=[stage] if stage else None,
            include_related=include_related,
            allowed=allowed,
            text_scores=text_scores,
            feedback={organization_id(pk): relevant for pk, relevant in marks.items()},
            weights=weights_for(index.profiles[index.row_of[subject_key]]),
        )
        rows = visible.select_related("cluster").in_bulk([parse_id(item.candidate_id)[1] for item in found])
        hidden = [
            index.row_of[item.candidate_id] for item in found if parse_id(item.candidate_id)[1] not in rows
        ]
        if not hidden or attempt == HIDDEN_RETRIES:
            break
        allowed = _without(allowed, index.n, hidden)  # made private or deleted since the snapshot
    related = index.profiles[index.row_of[subject_key]].related
    korean = (get_language() or "ko").startswith("ko")
    result = []
    for item in found:
        organization = rows.get(parse_id(item.candidate_id)[1])
        if organization is None:
            continue
        reasons = [
            ShownReason(reason.code, reason.ko if korean else reason.en, reason.en, reason.ko)
            for reason in item.reasons
        ]
        result.append(
            Suggestion(
                organization,
                item.score,
                reasons,
                marks.get(organization.pk),
                item.candidate_id in related,
            )
        )
    return result
