from .accounts import Role, User
from .agencies import Agency, AgencyGroup, AgencyKind, AgencyLineage, AgencyVersion, LineageKind, Province
from .notifications import Notification

__all__ = [
    "Agency",
    "AgencyGroup",
    "AgencyKind",
    "AgencyLineage",
    "AgencyVersion",
    "LineageKind",
    "Notification",
    "Province",
    "Role",
    "User",
]
