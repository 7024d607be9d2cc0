"""The shared frontier of workers: scrapy-redis's scheduler, with leases and shared runs.

scrapy-redis (``Scheduler``, ``PriorityQueue``) keeps the queue of requests in one Redis
sorted set that every worker pushes to and pops from. Two things it does not do are added
here, in subclasses kept small:

* **Leases.** Its queue pops a request destructively, so a worker killed mid-run loses
  every request it had taken. ``LeasedPriorityQueue`` moves a popped request into the
  worker's lease hash (one Lua script) instead; the lease is dropped only once the request
  is fully processed (its callback done, its items through the pipelines, its follow-up
  requests queued: it left the engine's in-progress set) and, with run files, once its
  items are durable (the next ``exports_synced``). A worker renews its registration every
  few seconds; when it stops (SIGKILL, power cut) for ``NEWSBOT_REDIS_LEASE_SECONDS``, the
  next pop of any worker puts its leases back into the queue.
* **Shared runs.** Its dupefilter key lives forever or is flushed by each worker at start;
  newsbot wants discovery pages de-duplicated per run, where a run is every worker that
  joined while another was alive. The first worker to start (no live worker) begins a new
  run: a fresh seen set, seeded with whatever the last run left in the queue. The others
  join it. A worker whose queue is empty waits (``spider_idle``) while other live workers
  hold leases (they may queue more) and for ``NEWSBOT_REDIS_LINGER_SECONDS`` after its own
  last request, so workers started together share one discovery.
* **Prompt pickup.** An engine with nothing in progress looks at its scheduler again only on
  Scrapy's 5-second heartbeat, so a worker whose queue was empty a moment ago would leave
  the requests the others queue meanwhile to them: in a small run (an hourly cron's few new
  pages) it could take none at all. Every ``POLL_SECONDS`` the scheduler asks its engine to
  look now, when the shared queue holds requests.
"""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from newsbot.signals import exports_synced
from newsbot.workers import worker_id, workers_key

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.5

_NOW_MS = "local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

# KEYS: queue, workers. ARGV: lease key prefix. Puts back the leases of workers whose
# registration expired and forgets those workers; returns how many requests came back.
_REAP_BODY = """
local back = 0
for _, w in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  local lk = ARGV[1] .. w
  local leased = redis.call('HGETALL', lk)
  for i = 1, #leased, 2 do redis.call('ZADD', KEYS[1], leased[i + 1], leased[i]) end
  back = back + #leased / 2
  redis.call('DEL', lk)
  redis.call('ZREM', KEYS[2], w)
end
"""
_REAP = _NOW_MS + _REAP_BODY + "return back\n"

# KEYS: queue, workers, my lease hash. ARGV: lease key prefix, me, lease ms.
# Returns {requests given back by dead workers, the request now leased to me (if any)}.
_POP = _NOW_MS + _REAP_BODY + """
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[2])
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return {back} end
redis.call('ZREM', KEYS[1], top[1])
redis.call('HSET', KEYS[3], top[1], top[2])
return {back, top[1]}
"""

# KEYS: queue, my lease hash. ARGV: requests to give back (all of them when none given).
_RELEASE = """
local members = ARGV
if #members == 0 then members = redis.call('HKEYS', KEYS[2]) end
for _, m in ipairs(members) do
  local score = redis.call('HGET', KEYS[2], m)
  if score then redis.call('ZADD', KEYS[1], score, m); redis.call('HDEL', KEYS[2], m) end
end
return #members
"""

# KEYS: workers. ARGV: me, lease ms.
_BEAT = _NOW_MS + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])\n"


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue; a pop leases the request to this worker."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        settings = spider.crawler.settings
        self.worker = worker_id(settings)
        self.lease_ms = int(settings.getfloat("NEWSBOT_REDIS_LEASE_SECONDS", 60) * 1000)
        self.workers_key = workers_key(spider.name)
        self.lease_prefix = f"newsbot:{spider.name}:leases:"
        self.lease_key = self.lease_prefix + self.worker
        self.leased: dict = {}  # Request -> its encoded form, the member in Redis
        self._pop = server.register_script(_POP)
        self._reap = server.register_script(_REAP)
        self._release = server.register_script(_RELEASE)
        self._beat = server.register_script(_BEAT)

    def pop(self, timeout=0):
        back, *data = self._pop(keys=[self.key, self.workers_key, self.lease_key],
                                args=[self.lease_prefix, self.worker, self.lease_ms])
        if back:
            self.reclaimed(back)
        if not data:
            return None
        request = self._decode_request(data[0])
        self.leased[request] = data[0]
        return request

    def reclaimed(self, count: int) -> None:
        logger.warning("Worker %s: %d request(s) of dead worker(s) back in the shared queue", self.worker, count)
        self.spider.crawler.stats.inc_value("newsbot/workers/reclaimed", count)

    def beat(self) -> None:
        self._beat(keys=[self.workers_key], args=[self.worker, self.lease_ms])

    def reap(self) -> int:
        """Give back the leases of dead workers."""
        back = self._reap(keys=[self.key, self.workers_key], args=[self.lease_prefix])
        if back:
            self.reclaimed(back)
        return back

    def ack(self, requests) -> None:
        members = [self.leased.pop(request) for request in requests]
        if members:
            self.server.hdel(self.lease_key, *members)

    def release_all(self) -> int:
        """Give every request still leased to this worker back to the queue."""
        self.leased.clear()
        return self._release(keys=[self.key, self.lease_key])

    def leases_elsewhere(self) -> int:
        """Requests other registered workers hold (alive, or dead and not yet reaped)."""
        others = [w.decode() for w in self.server.zrange(self.workers_key, 0, -1) if w.decode() != self.worker]
        pipe = self.server.pipeline(transaction=False)
        for other in others:
            pipe.hlen(self.lease_prefix + other)
        return sum(pipe.execute())

    def members(self, batch: int = 1000):
        """Every request in the queue (for seeding a new run's seen set)."""
        for member, _score in self.server.zscan_iter(self.key, count=batch):
            yield self._decode_request(member)


class SharedScheduler(Scheduler):
    """scrapy-redis's ``Scheduler``, with shared runs and the leases' life cycle."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        settings = crawler.settings
        scheduler.linger = settings.getfloat("NEWSBOT_REDIS_LINGER_SECONDS", 5)
        scheduler.run_files = settings.getbool("NEWSBOT_RUN_FILES")
        scheduler.unsynced = 0
        scheduler.last_request = time.monotonic()
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(scheduler.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(scheduler.exports_synced, signal=exports_synced)
        crawler.signals.connect(scheduler.spider_closed, signal=signals.spider_closed)
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.join_run(spider)
        beat = max(0.5, min(5.0, self.queue.lease_ms / 3000))
        self.heartbeat = LoopingCall(self.beat)
        self.heartbeat.start(beat, now=False)
        self.poll = LoopingCall(self.wake_engine)
        self.poll.start(POLL_SECONDS, now=False)

    def join_run(self, spider) -> None:
        """Join the run of the live workers, or begin a new one when there is none."""
        run_key = f"newsbot:{spider.name}:run"
        with self.server.lock(f"newsbot:{spider.name}:joining", timeout=120, blocking_timeout=120):
            self.queue.release_all()  # a previous process with this worker id died holding these
            back = self.queue.reap()
            alive = self.server.zcard(self.queue.workers_key)
            run = self.server.hget(run_key, "id")
            if run is None or alive == 0:
                old = run
                run = f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{self.queue.worker}".encode()
                self.df.key = f"newsbot:{spider.name}:seen:{run.decode()}"
                self.server.delete(self.df.key, self.df.articles_key)
                leftover = sum(not self.df.request_seen(request) for request in self.queue.members())
                self.server.hset(run_key, mapping={"id": run, "started_by": self.queue.worker})
                if old:
                    old_seen = f"newsbot:{spider.name}:seen:{old.decode()}"
                    self.server.delete(old_seen, f"{old_seen}:articles")
                logger.info("Worker %s begins shared run %s (%d request(s) left by earlier runs, %d from dead "
                            "workers)", self.queue.worker, run.decode(), leftover, back)
                self.stats.set_value("newsbot/workers/run_started", True)
            else:
                self.df.key = f"newsbot:{spider.name}:seen:{run.decode()}"
                logger.info("Worker %s joins shared run %s (%d other worker(s))", self.queue.worker,
                            run.decode(), alive)
            self.queue.beat()
        self.stats.set_value("newsbot/workers/run", run.decode())
        self.stats.set_value("newsbot/workers/worker", self.queue.worker)

    # The two below are scrapy-redis's own, without the ``spider=`` argument to stats calls
    # that Scrapy 2.19 deprecates (a warning per crawl otherwise).
    def next_request(self):
        request = self.queue.pop(self.idle_before_close)
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
            self.last_request = time.monotonic()
        return request

    def enqueue_request(self, request):
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        self.last_request = time.monotonic()
        return True

    # --- leases -----------------------------------------------------------------------------

    def finished(self) -> list:
        """Leased requests the engine is done with (callback, items, follow-ups)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        inprogress = slot.inprogress if slot is not None else set()
        return [request for request in self.queue.leased if request not in inprogress]

    def ack_finished(self) -> None:
        if self.run_files and self.unsynced:
            return  # their items may not be durable yet: wait for the run file's next sync
        self.queue.ack(self.finished())

    def item_scraped(self, item, response, spider):
        self.unsynced += 1

    def exports_synced(self):
        self.unsynced = 0
        self.queue.ack(self.finished())

    def beat(self) -> None:
        try:
            self.queue.beat()
            self.ack_finished()
        except Exception:  # a Redis hiccup: the next beat tries again, leases are long enough
            logger.warning("Worker %s could not renew its registration", self.queue.worker, exc_info=True)
            self.stats.inc_value("newsbot/workers/beat_failed")

    def wake_engine(self) -> None:
        """Have the engine ask for requests now if the shared queue holds some (it does nothing
        when its downloader is full)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is None:
            return
        try:
            waiting = len(self.queue)
        except Exception:  # a Redis hiccup: the next poll, or the engine's heartbeat, looks again
            logger.debug("Worker %s could not look at the shared queue", self.queue.worker, exc_info=True)
            return
        if waiting:
            slot.nextcall.schedule()

    def spider_idle(self, spider):
        self.ack_finished()
        self.queue.reap()
        if len(self.queue) or self.queue.leases_elsewhere():
            raise DontCloseSpider  # another worker may still queue work, or a dead one's comes back
        if time.monotonic() - self.last_request < self.linger:
            raise DontCloseSpider

    def close(self, reason):
        for looping in (self.heartbeat, self.poll):
            if looping.running:
                looping.stop()
        # Discovery may have been another worker's: the health check judges the run's count.
        self.stats.set_value("newsbot/workers/run_article_links", int(self.server.get(self.df.articles_key) or 0))
        super().close(reason)

    def spider_closed(self, spider, reason):
        """After the run files closed (their handler runs first): whatever is still leased
        goes back to the queue, and this worker leaves the run."""
        if not self.run_files:
            self.queue.ack(self.finished())
        back = self.queue.release_all()
        self.server.zrem(self.queue.workers_key, self.queue.worker)
        if back:
            logger.info("Worker %s gave %d unfinished request(s) back to the shared queue", self.queue.worker, back)
        self.stats.set_value("newsbot/workers/released", back)
