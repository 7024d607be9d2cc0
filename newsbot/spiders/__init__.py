"""Spiders: they decide what to follow; extraction is in newsbot.pages."""
