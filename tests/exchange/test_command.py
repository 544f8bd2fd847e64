"""``dari import_data``: templates, a dry run, and a non-zero exit with the row report on stderr."""

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from dari.accounts.models import AuditEntry
from dari.exchange.importing import IMPORTERS
from dari.registry.models import Organization

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("import_data", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_the_template_of_each_kind_has_its_columns_in_both_languages(kind, tmp_path):
    csv_path, xlsx_path = tmp_path / "t.csv", tmp_path / "t.xlsx"
    run(kind, "--template", "--out", str(csv_path))
    run(kind, "--template", "--format", "xlsx", "--out", str(xlsx_path))

    header = csv_path.read_bytes().decode("utf-8-sig").strip().split(",")
    assert header == [column.name for column in IMPORTERS[kind].columns]
    sheet = load_workbook(BytesIO(xlsx_path.read_bytes())).active
    assert [cell.value for cell in sheet[1]] == header
    if kind != "participants":
        assert {"name_ko", "name_en"} <= set(header) or {"title_ko", "title_en"} <= set(header)


def test_a_bad_row_exits_non_zero_with_the_report_on_stderr(tmp_path):
    path = tmp_path / "organizations.csv"
    path.write_text("key,kind,name_en\ngood,startup,Good\nbad,spaceship,Bad\n", encoding="utf-8")

    code, out, err = run("organizations", str(path))

    assert code == 1
    assert "row 3, kind: spaceship is not one of" in err
    assert "nothing was imported" in err
    assert Organization.objects.count() == 0


def test_a_dry_run_changes_nothing_then_the_import_writes_in_dari_s_name(tmp_path):
    path = tmp_path / "organizations.csv"
    path.write_text("key,kind,name_en\ngood,startup,Good\n", encoding="utf-8")

    code, out, _err = run("organizations", str(path), "--dry-run")
    assert code == 0 and "1 to add" in out and Organization.objects.count() == 0

    code, out, _err = run("organizations", str(path))
    assert code == 0 and "1 added" in out
    assert AuditEntry.objects.get(action="registry.organization.created").actor_label == "system"
