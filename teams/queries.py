"""Reads for team screens."""


def open_blockers(membership):
    """The team's open blockers, for its leads; nobody else sees them (an empty list)."""
    if not membership.is_lead:
        return []
    return list(membership.team.blockers.open().select_related("raised_by"))
