"""newsbot's scrapy commands: `scrapy extract`, `scrapy savefixture`."""
