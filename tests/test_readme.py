"""The README says what the code does now."""

from __future__ import annotations

from tests.readme_sample import README, current_block, readme_block, sample_line


def test_readme_sample_line_is_what_the_code_extracts():
    """Regenerate with `python tests/readme_sample.py --write` when the record changes."""
    assert current_block(README.read_text(encoding="utf-8")) == readme_block(sample_line())


def test_crontab_and_systemd_both_set_the_contact_url():
    text = README.read_text(encoding="utf-8")
    crontab = text.split("```cron", 1)[1].split("```", 1)[0]
    systemd = text.split("/etc/systemd/system/newsbot.service", 1)[1].split("```ini", 1)[1].split("```", 1)[0]
    assert "NEWSBOT_CONTACT_URL=" in crontab
    assert "Environment=NEWSBOT_CONTACT_URL=" in systemd
