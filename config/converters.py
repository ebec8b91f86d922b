class Code:
    """A code or token of ours (secrets.token_urlsafe): anything else in its place (a NUL byte, a slash) is no
    page, a 404 from the resolver, and never reaches a query."""

    regex = r"[A-Za-z0-9_-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
