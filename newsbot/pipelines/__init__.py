"""Item pipelines, one concern each, thin wrappers around pure functions.

Order (``ITEM_PIPELINES`` in ``newsbot.settings``):

====  =================================  ===================================================
 100  ``extraction.ExtractionStats``      counts which layer won each field
 200  ``text.CleanText``                  entities, tags, whitespace; all-caps sections
 300  ``dates.NormaliseDates``            ``normalise_date()`` on published / modified
 400  ``bylines.NormaliseBylines``        ``split_byline()``: people apart from agencies
 450  ``coverage.FieldCoverage``          counts how many articles carry each field
 500  ``validate.Validate``               required fields; failures go to the rejects file
 600  ``dedupe.DropDuplicates``           same URL, article id, or headline + date
 700  ``incremental.Incremental``         new / updated / unchanged (``NEWSBOT_INCREMENTAL``)
 800  ``limit.LimitArticles``             at most ``-a max_articles`` exported
====  =================================  ===================================================

Each acts on newsbot's ``Article`` items only (``base.articles_only``): an item of another
spider in the project passes through untouched. Stats are under ``newsbot/...``; every
dropped item is written to the rejects file by ``newsbot.extensions.rejects.RejectsFile``
with its reasons.
"""
