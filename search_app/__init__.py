"""tracuu's web UI and JSON API (Flask). Talks to the index only through indexer's search API."""
