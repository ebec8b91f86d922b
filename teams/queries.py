"""Reads for team screens."""


def open_blockers(membership, members=None):
    """The team's open blockers, for its leads; nobody else sees them (an empty list).

    A caller that has the team's members ({person id: Person}) passes them: their raisers come from there.
    """
    if not membership.is_lead:
        return []
    if members is None:
        return list(membership.team.blockers.open().select_related("raised_by"))
    blockers = list(membership.team.blockers.open())
    for blocker in blockers:
        if blocker.raised_by_id in members:  # leaving a team withdraws one's blockers: only old rows miss
            blocker.raised_by = members[blocker.raised_by_id]
    return blockers
