"""Redis memory of the shared crawl, per 100,000 articles: the state, a run's seen set, the queue.

Starts a throwaway ``redis-server`` (Debian's), then measures ``INFO memory``'s
``used_memory`` before and after loading, through newsbot's own code:

* **state**: N synthetic articles recorded with ``RedisStateStore.record_exported`` (each
  with its three identities: id, URL, story key, two hints and 15 outgoing links, as a
  fetched page leaves them; about 10% get a second revision);
* **seen set**: N article URLs through ``RedisArticleDupeFilter`` (a fingerprint and an
  article key each), as one run's discovery leaves it;
* **queue**: N article requests pushed by ``LeasedPriorityQueue`` (pickled by scrapy-redis),
  as a backfill's frontier holds them before they are fetched.

Prints bytes per article and MB per 100,000 articles for each, and the same as the Redis
``MEMORY USAGE`` of one article's hash. A benchmark, not a test.

    python benchmarks/redis_memory.py [--articles 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scrapy import Request  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from newsbot.dupefilter import RedisArticleDupeFilter  # noqa: E402
from newsbot.scheduler import LeasedPriorityQueue  # noqa: E402
from newsbot.items import Article  # noqa: E402
from newsbot.spiders.trtworld import TrtWorldSpider  # noqa: E402
from newsbot.state_redis import ARTICLE, RedisStateStore  # noqa: E402
from newsbot.workers import workers_key  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

SITE = "https://www.trtworld.com"
SECTIONS = ["world", "middle-east", "asia", "europe", "africa", "americas", "business", "turkiye"]


def article(n: int, revision: int = 1) -> Article:
    section = SECTIONS[n % len(SECTIONS)]
    headline = f"Synthetic headline number {n} about the talks on the border and the economy"
    return Article(url=f"{SITE}/{section}/synthetic-headline-number-{n}-{10_000_000 + n}",
                   article_id=str(10_000_000 + n), headline=headline, body=f"Body {n} revision {revision}.",
                   date_published="2025-02-28T07:24:49+00:00", date_modified=f"2025-03-0{revision}T10:00:00+00:00",
                   revision=revision, scraped_at="2026-12-01T00:00:00+00:00")


def used(server) -> int:
    return int(server.info("memory")["used_memory"])


def measure(name: str, server, articles: int, load) -> None:
    server.flushall()
    time.sleep(0.2)
    before = used(server)
    started = time.monotonic()
    load()
    seconds = time.monotonic() - started
    grown = used(server) - before
    print(f"{name:<9} {grown / articles:7.0f} B/article  {grown * 100_000 / articles / 1e6:7.1f} MB per 100k articles"
          f"  (loaded {articles} in {seconds:.1f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--listpack-value", type=int, default=0,
                        help="set Redis's hash-max-listpack-value (default: Redis's own, 64)")
    args = parser.parse_args()
    n = args.articles
    with tempfile.TemporaryDirectory() as tmp, RedisServer(Path(tmp), appendonly=False) as redis_server:
        server = redis_server.client()
        if args.listpack_value:
            server.config_set("hash-max-listpack-value", args.listpack_value)
        print(f"redis-server {server.info('server')['redis_version']}, {n} articles, "
              f"hash-max-listpack-value {server.config_get('hash-max-listpack-value')['hash-max-listpack-value']}")

        def state():
            store = RedisStateStore(server, "bench", workers_key("trtworld"))
            for start in range(0, n, 1000):
                batch = [article(i) for i in range(start, min(start + 1000, n))]
                for item in batch:  # what a fetched page leaves: its hints and ~15 Explore links
                    store.stage(item.article_id, {"sitemap": "2025-02-28T07:24:49+00:00", "feed": "Fri, 28 Feb 2025 07:24:49 GMT"},
                                [article((int(item.article_id) + k) % n).url for k in range(1, 16)])
                store.record_exported(batch, "20261201T000000Z-bench", "2026-12-01T00:00:00+00:00")
                revised = [article(i, 2) for i in range(start, min(start + 1000, n), 10)]
                store.record_exported(revised, "20261201T010000Z-bench", "2026-12-01T01:00:00+00:00")

        measure("state", server, n, state)
        one = server.memory_usage(ARTICLE + "10000001")
        print(f"          one article's hash: {one} B (MEMORY USAGE); the identities hash holds the rest")

        def seen():
            dupefilter = RedisArticleDupeFilter(server, "newsbot:trtworld:seen:bench")
            for i in range(n):
                dupefilter.request_seen(Request(article(i).url))

        measure("seen set", server, n, seen)

        def queue():
            crawler = get_crawler(TrtWorldSpider, {"NEWSBOT_WORKER_ID": "bench"})
            spider = TrtWorldSpider.from_crawler(crawler)
            frontier = LeasedPriorityQueue(server, spider, "newsbot:%(spider)s:requests")
            for i in range(n):
                frontier.push(spider.article_request(article(i).url, hints={"sitemap": "2025-03-01T10:00:00+00:00"}))

        measure("queue", server, n, queue)


if __name__ == "__main__":
    main()
