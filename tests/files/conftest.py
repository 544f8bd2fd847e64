import io
import zipfile

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership

from ..factories import OrganizationFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def xlsx_bytes(*, with_macros: bool = False) -> bytes:
    """The smallest ZIP that reads as an XLSX workbook (what the sniffer looks for). Its members carry
    a fixed time, so the bytes (and the test ids parametrized with them) are the same in every pytest
    process: with the current time, two xdist workers collecting a second apart disagreed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in (("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")) + (
            (("xl/vbaProject.bin", b"\x00"),) if with_macros else ()
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 17, 10, 30, 0)), data)
    return buffer.getvalue()


@pytest.fixture
def startup(db):
    return OrganizationFactory(key="stealth", is_public=False, name_en="Stealth Bio", name_ko="스텔스 바이오")


@pytest.fixture
def member(startup):
    user = UserFactory(username="startup-member")
    grant_membership(Actor.system(), user, Role.ORGANIZATION_MEMBER, startup)
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def staff(db):
    user = UserFactory(username="staff-member")
    grant_membership(Actor.system(), user, Role.STAFF)
    return user
