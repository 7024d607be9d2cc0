"""newsbot's own signals (sent through the crawler's signal manager)."""

#: An article the crawl saw but could not turn into an item (HTTP error, not HTML, too
#: large...). Arguments: ``url``, ``reason`` (short machine kind), ``detail`` (human text).
article_rejected = object()

#: The run file made its lines durable and recorded them in the state (no arguments).
exports_synced = object()
#: A discovery page (robots.txt, sitemap, feed, homepage, listing) that gave no links: it
#: failed, was not what it should be, or was a wall. Arguments: ``url``, ``kind``
#: (``robots``, ``sitemap``, ``feed``, ``home``, ``listing``), ``reason``, ``detail``.
discovery_failed = object()
