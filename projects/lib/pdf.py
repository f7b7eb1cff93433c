"""What every PDF of the application shares: a WeasyPrint URL fetcher that fetches nothing from the network."""

from weasyprint.urls import URLFetcher


class NoNetworkURLFetcher(URLFetcher):
    """Only inline data: URLs. A user-typed <img src="http://..."> must never make the server
    fetch anything (the default fetcher follows any URL, local services included)."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"blocked resource: {url[:80]}")
