"""The national-scale generator: 34 provinces × 150 ranked agencies × 54 scored criteria × 5 years.

Run as `python -m bench.generate --scale national|small` with the bench settings on the target
database. Small rows (provinces, agencies, users, plans) go through the ORM; the portal's regulation
import service loads the criteria sets; the volume (self-scores, marks, evidence, results,
deliverables) is COPYed. Every row is one the portal could have written: foreign keys, unique keys,
versions, the JSON the models expect, phases (four final years, the current one in self-assessment
or appraisal), and deadlines placed so that the reminder sweep of the bench day has ~10 reminders
per agency to plan (~51,000 nationally).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from dataclasses import dataclass, field

GENERATOR_VERSION = "2026-11-23.4"  # .4: provisional results stored
PASSWORD = "Bench@Portal2026"  # noqa: S105 — synthetic users of a local benchmark database
TZ = dt.timezone(dt.timedelta(hours=7))

# The 34 provinces and cities after 1 July 2025.
PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]  # fmt: skip
FIRST = ["An", "Bình", "Tân", "Phú", "Long", "Hòa", "Thạnh", "Phước", "Mỹ", "Vĩnh", "Đông", "Tây", "Hưng", "Lợi"]
SECOND = ["Hòa", "Thành", "Phú", "Lộc", "Hưng", "An", "Bình", "Thạnh", "Lợi", "Mỹ", "Đức", "Tiến", "Xuân"]


@dataclass(frozen=True)
class Scale:
    name: str
    provinces: int
    agencies: int  # ranked agencies per province
    years: int = 5


SCALES = {"national": Scale("national", 34, 150), "small": Scale("small", 2, 50)}


@dataclass
class AgencyRow:
    code: str
    name: str
    agency_id: int = 0
    version_id: int = 0
    group_id: int | None = None
    group_code: str | None = None
    staff: list[int] = field(default_factory=list)  # user ids: agency staff, then the head last
    head: int = 0


@dataclass
class ProvinceContext:
    index: int
    province: object
    scale: Scale
    bench_day: dt.date
    current_year: int
    agencies: dict[str, AgencyRow] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)  # role key → user id (reviewer, coreviewer:…, leader)
    statuses: dict[tuple[int, str, str], str] = field(default_factory=dict)  # (year, type, agency) → status

    @property
    def phase(self) -> str:
        # Half the provinces are still self-assessing on the bench day, the other half appraising.
        return "self_assessment" if self.index % 2 == 0 else "appraisal"

    def ranked(self) -> list[AgencyRow]:
        return [a for a in self.agencies.values() if a.group_code]

    def years(self) -> list[int]:
        return list(range(self.current_year - self.scale.years + 1, self.current_year + 1))


def bench_day_for(today: dt.date) -> dt.date:
    """The first working day on or after `today` on which every timed reminder kind can be sent."""
    from plans.schedule import next_working_day

    from .gen_plans import sends_every_kind

    day = next_working_day(today)
    while not sends_every_kind(day):
        day = next_working_day(day + dt.timedelta(days=1))
    return day


# --- shape: provinces, agencies, users, regulations ------------------------------------------------


def _agency_list(province_name: str, n: int) -> list[tuple[str, str, str, str | None]]:
    """(code, name, kind, group) of the province: its People's Committee, then n ranked agencies."""
    from portal.demo import PROVINCIAL

    rows = [(c, name.replace("Tây Ninh", province_name), str(kind), group) for c, name, _s, kind, group in PROVINCIAL]
    ranked = [r for r in rows if r[3]]
    names = iter(f"{a} {b}" for a in FIRST for b in SECOND if a != b)
    district_count = min(10, max(0, n - len(ranked)))
    for i in range(district_count):
        ranked.append((f"huyen-{i + 1:02d}", f"Ủy ban nhân dân huyện {next(names)}", "ubnd_huyen", "khoi-huyen"))
    for i in range(max(0, n - len(ranked))):
        ranked.append((f"xa-{i + 1:03d}", f"Ủy ban nhân dân xã {next(names)}", "ubnd_xa", "khoi-xa"))
    return [r for r in rows if not r[3]] + ranked[:n]


def build_shape(index: int, scale: Scale, bench_day: dt.date, password_hash: str) -> ProvinceContext:
    from django.contrib.auth.models import Group
    from django.utils.text import slugify

    from portal.demo import GROUPS
    from portal.models import Agency, AgencyGroup, AgencyVersion, Province, Role, User

    name = PROVINCES[index]
    code = f"bench-{slugify(name.replace('Đ', 'D').replace('đ', 'd'))}"
    province = Province.objects.create(code=code, name=name, place_name=name)
    ctx = ProvinceContext(index, province, scale, bench_day, bench_day.year)
    groups = {
        g: AgencyGroup.objects.create(province=province, code=g, name=title, order=order) for g, title, order in GROUPS
    }
    rows = _agency_list(name, scale.agencies)
    agencies = Agency.objects.bulk_create([Agency(province=province, code=c) for c, *_ in rows])
    versions = AgencyVersion.objects.bulk_create(
        [
            AgencyVersion(agency=a, name=n, short_name=n.removeprefix("Ủy ban nhân dân ")[:80], kind=k,
                          group=groups[g] if g else None, valid_from=dt.date(2019, 1, 1))
            for a, (_c, n, k, g) in zip(agencies, rows, strict=True)
        ]
    )  # fmt: skip
    for a, v, (c, n, _k, g) in zip(agencies, versions, rows, strict=True):
        ctx.agencies[c] = AgencyRow(c, n, a.pk, v.pk, groups[g].pk if g else None, g)

    people: list[tuple[str, str, str, list[str]]] = []  # username, agency code, key, roles
    for row in ctx.ranked():
        people += [(f"{code}.{row.code}.cb1", row.code, "", [Role.AGENCY_STAFF]),
                   (f"{code}.{row.code}.cb2", row.code, "", [Role.AGENCY_STAFF]),
                   (f"{code}.{row.code}.ld", row.code, "head", [Role.AGENCY_HEAD])]  # fmt: skip
    people += [
        (f"{code}.thamdinh1", "so-noi-vu", "reviewer", [Role.REVIEWER]),
        (f"{code}.thamdinh2", "so-noi-vu", "reviewer2", [Role.REVIEWER]),
        (f"{code}.phoihop.vpubnd", "vp-ubnd", "coreviewer:vp-ubnd", [Role.CO_REVIEWER]),
        (f"{code}.phoihop.thanhtra", "thanh-tra", "coreviewer:thanh-tra", [Role.CO_REVIEWER]),
        (f"{code}.lanhdao", "ubnd-tinh", "leader", [Role.LEADER]),
        (f"{code}.quantri", "so-noi-vu", "admin", [Role.ADMIN]),
    ]
    users = User.objects.bulk_create(
        [
            User(username=u, password=password_hash, full_name=f"Cán bộ {u.rsplit('.', 1)[-1]}", province=province,
                 agency_id=ctx.agencies[a].agency_id, email=f"{u}@bench.dvcq.localhost")
            for u, a, _k, _r in people
        ]
    )  # fmt: skip
    role_groups = {r: Group.objects.get_or_create(name=r)[0].pk for r in Role.values}
    links = []
    for user, (_u, agency_code, key, roles) in zip(users, people, strict=True):
        links += [User.groups.through(user_id=user.pk, group_id=role_groups[r]) for r in roles]
        if key == "head":
            ctx.agencies[agency_code].head = user.pk
        elif key:
            ctx.users[key] = user.pk
        if roles == [Role.AGENCY_STAFF]:
            ctx.agencies[agency_code].staff.append(user.pk)
    User.groups.through.objects.bulk_create(links)
    return ctx


def load_regulations(ctx: ProvinceContext) -> None:
    """The portal's import service loads the real library files and the national-scale set."""
    from scoring.services import regulation_import_file

    from . import national

    for name in ("tay-ninh-731-2019.yaml", "dan-van-kheo-2024.yaml"):
        content = (national.REAL_FILE.parent / name).read_bytes()
        regulation_import_file(province=ctx.province, name=name, content=content)
    regulation_import_file(province=ctx.province, name=f"{national.CODE}.yaml", content=national.content())


def load_indexes(ctx: ProvinceContext) -> None:
    from decimal import Decimal

    from scoring.models import IndexValue

    rows = []
    for row in ctx.ranked():
        for year in range(ctx.current_year - ctx.scale.years, ctx.current_year):
            rng = random.Random(f"{ctx.province.code}-{row.code}-{year}")
            for source in ("PAR", "SIPAS"):
                rows.append(IndexValue(province=ctx.province, source=source, year=year, agency_id=row.agency_id,
                                       value=Decimal(rng.randint(7800, 9900)) / 100, note="Dữ liệu thử tải"))  # fmt: skip
    IndexValue.objects.bulk_create(rows)


# --- the whole build -----------------------------------------------------------------------------


def build(scale: Scale, today: dt.date | None = None) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import translation

    from . import db, gen_cycle, gen_plans

    started = time.monotonic()
    bench_day = bench_day_for(today or dt.date.today())
    password_hash = make_password(PASSWORD)
    with connection.cursor() as cursor:
        if db.marker_read(cursor):
            raise SystemExit("bench.generate: the database already holds a build; drop it first")
    for index in range(scale.provinces):
        t0 = time.monotonic()
        with transaction.atomic(), translation.override("vi"):
            ctx = build_shape(index, scale, bench_day, password_hash)
            load_regulations(ctx)
            load_indexes(ctx)
            gen_plans.build(ctx)
            gen_cycle.build(ctx)
        print(f"  {ctx.province.name}: {time.monotonic() - t0:.1f} s", file=sys.stderr, flush=True)
    counts = table_counts()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        db.marker_write(
            cursor,
            {
                "version": GENERATOR_VERSION,
                "scale": scale.name,
                "bench_day": bench_day.isoformat(),
                "current_year": bench_day.year,
                "built_at": dt.datetime.now(TZ).isoformat(timespec="seconds"),
                "seconds": round(time.monotonic() - started, 1),
                "counts": counts,
            },
        )
    return counts


def table_counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "provinces": "portal_province", "agencies": "portal_agency", "users": "portal_user",
        "dossiers": "scoring_dossier", "self-scores": "scoring_criterionscore", "appraisal marks": "scoring_appraisalmark",
        "evidence": "scoring_evidence", "results": "scoring_result", "plans": "plans_plan",
        "deliverables": "plans_deliverable", "criteria": "scoring_criterion",
    }  # fmt: skip
    counts = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — fixed table names
            counts[label] = cursor.fetchone()[0]
    return counts


def main(argv: list[str] | None = None) -> int:
    import django

    parser = argparse.ArgumentParser(prog="python -m bench.generate")
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    args = parser.parse_args(argv)
    django.setup()
    from portal.scopes import scopes_off_from_now_on

    # The bench acts on every province (portal/scopes.py); the requests it makes get their own scope.
    scopes_off_from_now_on()
    counts = build(SCALES[args.scale])
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
