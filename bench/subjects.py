"""Who and what the measurements use on a generated database: the periods of a province still
self-assessing and of one appraising, their people, and editable cells with their current versions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property


@dataclass
class Cell:
    """One self-score cell of a draft dossier, as the grid shows it to the agency's staff."""

    dossier_id: int
    criterion_id: int
    user_id: int
    version: int
    raw: str  # the value to save (differs from the stored one)
    note: str
    why: str

    def form(self) -> dict[str, str]:
        """The fields the grid's row sends (hx-include="closest tr")."""
        cid = self.criterion_id
        fields = {f"v_{cid}": str(self.version), f"raw_{cid}": self.raw, f"note_{cid}": self.note}
        if self.why:
            fields[f"why_{cid}"] = self.why
        return fields

    @property
    def portal_path(self) -> str:
        return f"/cham-diem/ho-so/{self.dossier_id}/tu-cham/{self.criterion_id}/"

    @property
    def anchor_path(self) -> str:
        return f"/bench-anchor/cell/{self.dossier_id}/{self.criterion_id}/"

    @property
    def grid_path(self) -> str:
        return f"/cham-diem/ho-so/{self.dossier_id}/"


def new_raw(score_type: str, params: dict, max_points: Decimal, current: str) -> str:
    """A valid mark different from the stored one, so every save changes something."""
    if score_type == "boolean":
        return "false" if current == "true" else "true"
    if score_type == "levels":
        codes = [str(level["code"]) for level in params["levels"]]
        return codes[(codes.index(current) + 1) % len(codes)] if current in codes else codes[0]
    if score_type == "range":
        step = Decimal(str(params.get("step", "0.5")))
        top = format(max_points.normalize(), "f")
        return format((max_points - step).normalize(), "f") if current == top else top
    if score_type in ("percent_linear", "percent_banded"):
        return "85" if current == "95" else "95"
    if score_type == "count_deduct":
        return "0" if current == "1" else "1"
    raise ValueError(score_type)


@dataclass
class Subjects:
    sa_period: object  # current period of a province in self-assessment
    ap_period: object  # current period of a province in appraisal
    final_period: object  # the appraising province's last final year

    @classmethod
    def find(cls) -> Subjects:
        from scoring.models import Phase, ScoringPeriod

        current = ScoringPeriod.objects.exclude(phase=Phase.FINAL).select_related("province").order_by("province_id")
        sa = current.filter(phase=Phase.SELF_ASSESSMENT).first()
        ap = current.filter(phase=Phase.APPRAISAL).first()
        final = ScoringPeriod.objects.filter(province=ap.province, phase=Phase.FINAL).order_by("-year").first()
        return cls(sa, ap, final)

    def user(self, province, suffix: str):
        from portal.models import User

        return User.objects.get(username=f"{province.code}.{suffix}")

    @cached_property
    def reviewer(self):
        return self.user(self.ap_period.province, "thamdinh1")

    @cached_property
    def coreviewer(self):
        return self.user(self.ap_period.province, "phoihop.vpubnd")

    @cached_property
    def leader(self):
        return self.user(self.ap_period.province, "lanhdao")

    @cached_property
    def ap_dossier(self):
        """A submitted dossier that both the reviewer and the co-reviewer appraise."""
        return (
            self.ap_period.dossiers.filter(status="submitted", group__code="khoi-xa")
            .select_related("agency")
            .order_by("pk")
            .first()
        )

    @cached_property
    def draft_dossier(self):
        return self.sa_period.dossiers.filter(status="draft").order_by("pk").first()

    def staff_of(self, dossier):
        from portal.models import User

        return User.objects.get(username__endswith=".cb1", agency_id=dossier.agency_id)

    def head_of(self, dossier):
        from portal.models import User

        return User.objects.get(username__endswith=".ld", agency_id=dossier.agency_id)

    def cells(self, count: int, skip: int = 0) -> list[Cell]:
        """Editable, already saved cells of draft dossiers in self-assessment, spread over many
        dossiers (one cell of each dossier, then a second of each, …), read with their versions."""
        from django.db import connection

        sql = """
            SELECT s.dossier_id, s.criterion_id, u.id, s.version, s.self_raw, s.note, s.no_evidence_reason,
                   c.score_type, c.params, c.max_points
            FROM scoring_criterionscore s
            JOIN scoring_dossier d ON d.id = s.dossier_id
            JOIN scoring_scoringperiod p ON p.id = d.period_id AND p.phase = 'self_assessment'
            JOIN scoring_criterion c ON c.id = s.criterion_id
            JOIN portal_user u ON u.agency_id = d.agency_id AND u.username LIKE '%%.cb1'
            WHERE d.status = 'draft' AND NOT s.is_automatic AND c.self_scorable
            ORDER BY row_number() OVER (PARTITION BY s.dossier_id ORDER BY s.criterion_id), s.dossier_id
            LIMIT %s OFFSET %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [count, skip])
            rows = cursor.fetchall()
        cells = []
        for dossier_id, criterion_id, user_id, version, raw, note, why, kind, params, top in rows:
            params = params if isinstance(params, dict) else json.loads(params)
            cells.append(
                Cell(dossier_id, criterion_id, user_id, version, new_raw(kind, params, top, raw), note or "", why or "")
            )
        return cells


def session_for(user) -> str:
    """A signed-in session of `user` (as a login leaves it), without the password round trip."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

    # The backend a login records: the first that can load a user (as the test client's force_login).
    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user"))
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
