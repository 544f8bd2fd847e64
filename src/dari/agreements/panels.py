from dari.core.panels import Panel, organization_panels

from .models import Agreement, AgreementParty


@organization_panels.register(order=20)
def agreements_of_organization(request, organization):
    parties = AgreementParty.objects.filter(
        organization=organization, agreement__in=Agreement.objects.visible_to(request.user)
    ).select_related("agreement", "head", "signatory")
    if not parties:
        return None
    return Panel("agreements/_organization_panel.html", {"parties": parties})
