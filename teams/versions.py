"""A version per team that every write to the team changes, so that a screen of the team can be cached until
something changes: a lead's 30-second refresh with nothing new is a cache read.

The version lives in the cache, which every app server shares. A write deletes it once its transaction has
committed, and the next reader draws a new one before it reads the database, so a page rendered from older
rows is never stored under a version that is still current. Nothing in the database is written or locked.
"""

import secrets

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


def version_key(team_id):
    return f"team-version:{team_id}"


def cache_key(team_id, *parts):
    """The key of something `cached` for a team: under the team's prefix, so that `forget` finds it."""
    return ":".join([f"team:{team_id}", *(str(part) for part in parts)])


def changed(*team_ids):
    """Mark the teams as changed once the current transaction commits (at once outside one)."""
    keys = [version_key(team_id) for team_id in set(team_ids) if team_id]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def cached(team_id, key, render):
    """`render()`, or what it gave for `key` (made by `cache_key`) since the team last changed."""
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


def forget(*team_ids):
    """Delete what `cached` stored for the teams (a deleted account's name must not stay in their screens).
    Only the database cache can be searched by key: there the rows go at once. Another backend (Redis) keeps
    them until they expire, an hour at most, unread meanwhile: deleting an account changes its teams' versions."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        return
    connection = connections[router.db_for_write(backend.cache_model_class)]
    quote_name = connection.ops.quote_name
    for team_id in set(team_ids):
        prefix = backend.make_key(cache_key(team_id, ""))
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote_name(backend._table)} WHERE {quote_name('cache_key')} LIKE %s ESCAPE '\\'",
                [pattern],
            )
