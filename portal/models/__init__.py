from .accounts import Role, User
from .agencies import Agency, AgencyGroup, AgencyKind, AgencyLineage, AgencyVersion, LineageKind, Province
from .notifications import Notification
from .programs import Program

__all__ = [
    "Agency",
    "AgencyGroup",
    "AgencyKind",
    "AgencyLineage",
    "AgencyVersion",
    "LineageKind",
    "Notification",
    "Program",
    "Province",
    "Role",
    "User",
]
