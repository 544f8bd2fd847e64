from dari.core.panels import Panel, organization_panels

from .models import Purpose, StoredFile
from .services import can_upload, max_upload_bytes


@organization_panels.register(order=40)
def organization_documents(request, organization):
    """The organization's documents the viewer may download, and the upload form for its members."""
    documents = (
        StoredFile.objects.visible_to(request.user).owned_by(organization).filter(purpose=Purpose.DOCUMENT)
    )
    may_upload = can_upload(request.user, organization)
    if not may_upload and not documents:
        return None
    return Panel(
        "files/_organization_panel.html",
        {
            "organization": organization,
            "documents": documents,
            "can_upload": may_upload,
            "max_upload_mb": max_upload_bytes() // (1024 * 1024),
        },
    )
