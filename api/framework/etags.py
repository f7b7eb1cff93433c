"""ETags from the version the pages already use to refuse stale edits (projects.domain.apply_edit),
and If-Match read into the `expected_version` the services take."""

from api.framework.problems import PreconditionFailed, PreconditionRequired


def etag_of(obj) -> str:
    """A versioned object's version (strong: the same version is the same data); otherwise the id of
    its last history record, weak because figures derived from other rows (its status colours, say)
    may change without it."""
    if hasattr(obj, "version"):
        return f'"{obj.version}"'
    return history_etag(obj)


def history_etag(obj) -> str:
    """The id of the object's last history record (every save writes one), as a weak ETag: for an object
    without an edit version, or whose `version` counts something else (a highlight report's corrections)."""
    latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return f'W/"h{latest or 0}"'


def expected_version(request, obj) -> int:
    """The version a write starts from: If-Match must name the current ETag (412 otherwise, 428 when
    it is missing), so that a change made meanwhile is never overwritten. The service checks the
    version again under its row lock, so a write racing this one still gets 412."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    current = etag_of(obj)
    if header != "*" and current not in [tag.strip() for tag in header.split(",")]:
        raise PreconditionFailed()
    return obj.version
