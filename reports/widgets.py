"""A link panel on the leader's home page."""

from portal import widgets


def leader_panel(request):
    return {} if request.user.has_perm("portal.view_province_results", request.user.province) else None


def register() -> None:
    widgets.register(widgets.LEADER_HOME, widgets.Widget("reports/_leader_panel.html", leader_panel, order=5))
    widgets.register(widgets.REVIEW_HOME, widgets.Widget("reports/_leader_panel.html", leader_panel, order=90))
