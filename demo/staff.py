"""A realistic, deterministic demo center (the source article's numbers by default).

Everything is written in bulk so that ``--staff 100000`` takes seconds, with one audit entry per
bulk write naming who seeded it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from core.audit import log_bulk
from staff import idcard
from staff.models import (
    CenterRole,
    Certificate,
    Department,
    Education,
    EmploymentType,
    Gender,
    PoliticalStatus,
    Role,
    Staff,
    StaffStatus,
    User,
)

DEPARTMENTS = [
    ("ZWFW", "市政务服务管理局", "政务服务局"),
    ("GGZY", "市公共资源交易中心", "公共资源交易"),
    ("JWJZ", "市纪委监委派驻纪检监察组", "纪检监察组"),
    ("FGW", "市发展和改革委员会", "发改委"),
    ("JXJ", "市经济和信息化局", "经信局"),
    ("JTJ", "市教育和体育局", "教体局"),
    ("KJJ", "市科学技术局", "科技局"),
    ("GAJ", "市公安局", "公安局"),
    ("MZJ", "市民政局", "民政局"),
    ("SFJ", "市司法局", "司法局"),
    ("CZJ", "市财政局", "财政局"),
    ("RSJ", "市人力资源和社会保障局", "人社局"),
    ("ZRZY", "市自然资源和规划局", "自然资源局"),
    ("STHJ", "市生态环境局", "生态环境局"),
    ("ZJJ", "市住房和城乡建设局", "住建局"),
    ("JTYS", "市交通运输局", "交通运输局"),
    ("SLJ", "市水利局", "水利局"),
    ("NYNC", "市农业农村局", "农业农村局"),
    ("SWJ", "市商务局", "商务局"),
    ("WGLJ", "市文化广播电视和旅游局", "文广旅局"),
    ("WJW", "市卫生健康委员会", "卫健委"),
    ("TYJR", "市退役军人事务局", "退役军人局"),
    ("YJJ", "市应急管理局", "应急局"),
    ("SJJ", "市审计局", "审计局"),
    ("SCJG", "市市场监督管理局", "市场监管局"),
    ("TJJ", "市统计局", "统计局"),
    ("YBJ", "市医疗保障局", "医保局"),
    ("LCJ", "市林业和草原局", "林草局"),
    ("CGJ", "市城市管理行政执法局", "城管执法局"),
    ("TCJ", "市投资促进局", "投促局"),
    ("SWU", "国家税务总局攀枝花市税务局", "税务局"),
    ("GJJ", "市住房公积金管理中心", "公积金中心"),
    ("BDC", "市不动产登记中心", "不动产中心"),
    ("QXJ", "市气象局", "气象局"),
    ("DAG", "市档案馆", "档案馆"),
    ("XFZD", "市消防救援支队", "消防支队"),
    ("YCJ", "市烟草专卖局", "烟草专卖局"),
    ("GDJ", "国网攀枝花供电公司", "供电公司"),
    ("ZLS", "市自来水公司", "自来水公司"),
    ("RQGS", "市燃气公司", "燃气公司"),
    ("JZJ", "市机关事务管理局", "机关事务局"),
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊帆帅旭宁龙林欣波成康峰建志国海文"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英燕玲桂丹萍红琳雪倩婷颖琴云莉兰慧洁玉梅晶蓉薇瑶怡佳悦雯"
REGIONS = ("510402", "510403", "510411", "510421", "510422", "510105", "510302", "511102")
RANKS = (
    "一级科员",
    "二级科员",
    "四级主任科员",
    "三级主任科员",
    "二级主任科员",
    "一级主任科员",
    "科长",
    "副科长",
    "",
)
DEMO_PASSWORD = "Demo@2026!"  # noqa: S105 (printed by `make run`; demo data only)
# The province's other cities and prefectures: departments beyond the center's own 41 are these
# places' bureaus (成都市公安局, 绵阳市公安局, …), so ``--departments 300`` reads like a province.
CITIES = (
    "成都市", "自贡市", "泸州市", "德阳市", "绵阳市", "广元市", "遂宁市", "内江市", "乐山市", "南充市",
    "眉山市", "宜宾市", "广安市", "达州市", "雅安市", "巴中市", "资阳市", "阿坝州", "甘孜州", "凉山州",
)  # fmt: skip


DEMO_ACCOUNTS = [
    ("admin", "中心管理员 / Center administrator", "全部功能 / everything"),
    ("liaison", "部门联络员 / Liaison", "市市场监督管理局"),
    ("liaison2", "部门联络员 / Liaison", "市公安局"),
    ("hr", "组织人事部门 / HR", "跨部门只读 / read-only across departments"),
    ("staff", "窗口工作人员 / Window staff", "本人档案 / own record"),
]


def _name(rng: random.Random, female: bool) -> str:
    pool = GIVEN_FEMALE if female else GIVEN_MALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _pick(rng: random.Random, population: list[int], k: int) -> set[int]:
    return set(rng.sample(population, min(k, len(population))))


def _scaled(value: int, staff: int) -> int:
    return round(value * staff / 470)


def department_rows(count: int) -> list[tuple[str, str, str]]:
    """``count`` departments (code, name, short name): the center's own 41, then the same bureaus
    of the province's other cities, city by city."""
    rows = list(DEPARTMENTS[:count])
    templates = [row for row in DEPARTMENTS[3:] if row[1].startswith("市")]
    round_ = 0
    while len(rows) < count:
        for k, city in enumerate(CITIES):
            for code, name, short in templates:
                if len(rows) >= count:
                    break
                suffix = f"{k + 1:02d}" + (f"{round_}" if round_ else "")
                label = city + name[1:] + (f"第{round_ + 1}分局" if round_ else "")
                rows.append((f"{code}-{suffix}", label, (city[:-1] + short)[:30]))
        round_ += 1
    return rows


def password_hash() -> str:
    """The demo password hashed once: every bulk-created account shares it (100,000 PBKDF2
    hashes would take hours); the named personas hash their own."""
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def build(
    *,
    staff: int = 470,
    departments: int = len(DEPARTMENTS),
    seed: int = 20140326,
    today: date | None = None,
) -> None:
    """Create ``departments`` departments, ``staff`` people, certificates, one account per role
    (the named personas) and an account for every other person (username: the staff number in
    lower case, password: the demo's)."""
    rng = random.Random(seed)
    today = today or date.today()
    seed_actor = None

    Department.objects.bulk_create(
        [
            Department(code=code, name=name, short_name=short)
            for code, name, short in department_rows(departments)
        ],
        batch_size=2000,
    )
    departments = list(Department.objects.order_by("id"))
    management_dept, resources_dept, supervision_dept = (
        departments[0],
        departments[1],
        departments[2],
    )
    window_depts = departments[3:]
    # A few big departments (market regulation, tax, real estate, police) and a long tail.
    weights = [
        6 if d.code.split("-")[0] in {"SCJG", "SWU", "BDC", "GAJ", "RSJ", "ZJJ"} else 1 + (i % 3)
        for i, d in enumerate(window_depts)
    ]

    everyone = list(range(staff))
    management = set(range(_scaled(9, staff) or 1))
    supervision = set(range(len(management), len(management) + (_scaled(10, staff) or 1)))
    window = [i for i in everyone if i not in management and i not in supervision]
    temporary = _pick(rng, window, _scaled(180, staff))
    women = _pick(rng, everyone, _scaled(214, staff))
    permanent = [i for i in everyone if i not in temporary]
    party = _pick(rng, permanent, _scaled(150, staff))
    probationary = _pick(rng, sorted(party), max(1, len(party) // 25))
    permanent_window = [i for i in window if i not in temporary]
    rehired = _pick(rng, permanent_window, max(1, _scaled(3, staff)))
    second_line = _pick(
        rng, [i for i in permanent_window if i not in rehired], max(1, _scaled(2, staff))
    )
    reserve = _pick(
        rng, [i for i in permanent_window if i not in rehired], max(1, _scaled(8, staff))
    )

    used_ids: set[str] = set()
    people: list[Staff] = []
    for i in everyone:
        female = i in women
        born = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 365 * 36))
        if i in rehired:
            born = date(1958, 1, 1) + timedelta(days=rng.randrange(0, 365 * 5))
        number = idcard.generate(rng, region=rng.choice(REGIONS), born=born, female=female)
        while number in used_ids:
            number = idcard.generate(rng, region=rng.choice(REGIONS), born=born, female=female)
        used_ids.add(number)
        if i in management:
            department, role = management_dept, CenterRole.MANAGEMENT
        elif i in supervision:
            department = resources_dept if i % 2 else supervision_dept
            role = CenterRole.SUPERVISION
        else:
            department, role = rng.choices(window_depts, weights)[0], CenterRole.WINDOW
        if i in temporary:
            employment = EmploymentType.TEMPORARY
        elif i in rehired:
            employment = EmploymentType.RETIRED_REHIRED
        elif role != CenterRole.WINDOW:
            employment = EmploymentType.CIVIL_SERVANT
        else:
            employment = rng.choices(
                [
                    EmploymentType.CIVIL_SERVANT,
                    EmploymentType.CIVIL_SERVANT_MANAGED,
                    EmploymentType.INSTITUTION,
                    EmploymentType.CONTRACT,
                ],
                [45, 20, 30, 5],
            )[0]
        if i in party:
            political = (
                PoliticalStatus.PROBATIONARY if i in probationary else PoliticalStatus.PARTY_MEMBER
            )
        else:
            political = rng.choices(
                [
                    PoliticalStatus.MASSES,
                    PoliticalStatus.LEAGUE_MEMBER,
                    PoliticalStatus.DEMOCRATIC_PARTY,
                ],
                [70, 25, 5],
            )[0]
        people.append(
            Staff(
                staff_number=f"ZW{i + 1:06d}",
                name=_name(rng, female),
                gender=Gender.FEMALE if female else Gender.MALE,
                date_of_birth=born,
                id_number=number,
                mobile=f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}",
                political_status=political,
                employment_type=employment,
                rank="" if employment == EmploymentType.TEMPORARY else rng.choice(RANKS),
                education=rng.choices(Education.values, [1, 12, 60, 22, 5])[0],
                department=department,
                center_role=role,
                status=StaffStatus.SECOND_LINE if i in second_line else StaffStatus.ACTIVE,
                is_reserve_cadre=i in reserve,
            )
        )
    Staff.objects.bulk_create(people, batch_size=5000)
    people = list(Staff.objects.order_by("id").only("id", "employment_type", "staff_number"))

    certificates = []
    for person in people:
        eligible = person.employment_type in (
            EmploymentType.CIVIL_SERVANT,
            EmploymentType.CIVIL_SERVANT_MANAGED,
        )
        if not eligible and person.employment_type != EmploymentType.RETIRED_REHIRED:
            continue
        if rng.random() > 0.7:
            continue
        roll = rng.random()
        if roll < 0.06:
            expires = today - timedelta(days=rng.randrange(1, 400))
        elif roll < 0.14:
            expires = today + timedelta(days=rng.randrange(0, 60))
        else:
            expires = today + timedelta(days=rng.randrange(61, 3 * 365 - 30))
        certificates.append(
            Certificate(
                staff_id=person.id,
                number=f"川执{expires.year - 3}{person.staff_number[2:]}",
                issued_on=expires - timedelta(days=3 * 365),
                expires_on=expires,
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=5000)

    _accounts(departments)
    accounts = _people_accounts()
    log_bulk(actor=seed_actor, model=User, action="seed_demo", count=accounts, reason="seed_demo")
    log_bulk(
        actor=seed_actor,
        model=Department,
        action="seed_demo",
        count=len(departments),
        reason="seed_demo",
    )
    log_bulk(
        actor=seed_actor, model=Staff, action="seed_demo", count=len(people), reason="seed_demo"
    )
    log_bulk(
        actor=seed_actor,
        model=Certificate,
        action="seed_demo",
        count=len(certificates),
        reason="seed_demo",
    )


def _people_accounts() -> int:
    """An account for every person who has none yet: bulk-created with one shared hash, then
    linked in one UPDATE."""
    hashed = password_hash()
    users = [
        User(
            username=number.lower(),
            password=hashed,
            role=Role.STAFF,
            first_name=name,
        )
        for number, name in Staff.objects.filter(user__isnull=True)
        .order_by("id")
        .values_list("staff_number", "name")
    ]
    User.objects.bulk_create(users, batch_size=5000)
    staff_table, user_table = Staff._meta.db_table, User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {staff_table} SET user_id = u.id FROM {user_table} u "  # noqa: S608
            f"WHERE {staff_table}.user_id IS NULL AND u.username = LOWER({staff_table}.staff_number)"
        )
    return len(users)


def _accounts(departments: list[Department]) -> None:
    by_code = {d.code: d for d in departments}

    def make(username: str, role: str, first_name: str, **extra) -> User:
        user = User(username=username, role=role, first_name=first_name, **extra)
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    make("admin", Role.CENTER_ADMIN, "中心管理员", is_staff=True, is_superuser=True)
    liaison = make("liaison", Role.LIAISON, "市场监管局联络员")
    liaison.departments.set([by_code["SCJG"]])
    liaison2 = make("liaison2", Role.LIAISON, "公安局联络员")
    liaison2.departments.set([by_code["GAJ"]])
    make("hr", Role.HR, "组织部干部科")
    window_person = (
        Staff.objects.filter(
            department=by_code["SCJG"], center_role=CenterRole.WINDOW, status=StaffStatus.ACTIVE
        )
        .exclude(employment_type=EmploymentType.TEMPORARY)
        .order_by("id")
        .first()
    )
    staff_user = make("staff", Role.STAFF, window_person.name if window_person else "窗口人员")
    if window_person is not None:
        Staff.objects.filter(pk=window_person.pk).update(user=staff_user)
