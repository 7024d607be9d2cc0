"""newsbot's scrapy commands: crawl (with exit codes), extract, savefixture, state,
dataset, reextract."""
