"""`dari load_ecb_rates FILE`: a newer ECB history is kept for every process; a bad or older one is
refused with a clear message and changes nothing."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from dari.core.rates import loaded_path, rate_table
from dari.engines.fx import RateTable

NEWER = "Date,USD,KRW,\n2026-12-01,1.05,1500.00,\n2026-11-30,1.04,1490.00,\n"


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_a_newer_history_is_used_after_loading(var_dir, tmp_path, capsys):
    source = tmp_path / "eurofxref-hist.csv"
    source.write_text(NEWER)
    assert rate_table().last_day == RateTable.bundled().last_day

    call_command("load_ecb_rates", str(source))

    assert loaded_path().exists()
    assert rate_table().last_day == date(2026, 12, 1)
    assert rate_table().rate("USD", "KRW", date(2026, 12, 1)).on == date(2026, 12, 1)
    assert "2026-12-01" in capsys.readouterr().out


def test_an_older_or_bad_history_is_refused_and_nothing_changes(var_dir, tmp_path):
    older = tmp_path / "old.csv"
    older.write_text("Date,USD,KRW,\n2020-01-02,1.1,1300,\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a,history\n")

    with pytest.raises(CommandError, match="before the rates in use"):
        call_command("load_ecb_rates", str(older))
    with pytest.raises(CommandError, match="Date"):
        call_command("load_ecb_rates", str(bad))
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_ecb_rates", str(tmp_path / "missing.csv"))

    assert not loaded_path().exists()
    assert rate_table().last_day == RateTable.bundled().last_day
