"""A version per team that every write to the team changes, so that a screen of the team can be cached until
something changes: a lead's 30-second refresh with nothing new is a cache read.

The version lives in the cache, which every app server shares. A write deletes it once its transaction has
committed, and the next reader draws a new one before it reads the database, so a page rendered from older
rows is never stored under a version that is still current. Nothing in the database is written or locked.
"""

import secrets

from django.core.cache import cache
from django.db import transaction


def version_key(team_id):
    return f"team-version:{team_id}"


def changed(*team_ids):
    """Mark the teams as changed once the current transaction commits (at once outside one)."""
    keys = [version_key(team_id) for team_id in set(team_ids) if team_id]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def cached(team_id, key, render):
    """`render()`, or what it gave for `key` since the team last changed."""
    found = cache.get_many([version_key(team_id), key])
    version, hit = found.get(version_key(team_id)), found.get(key)
    if version and hit and hit[0] == version:
        return hit[1]
    if not version:
        version = secrets.token_hex(8)
        cache.set(version_key(team_id), version, None)
    value = render()
    cache.set(key, (version, value), 60 * 60)
    return value
