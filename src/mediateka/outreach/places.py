"""Tajikistan's regions and their districts and cities, in English, Russian and Tajik, kept as data.

The division is the one the statistics agency has used since about 2018 (47 districts, 18 cities
of regional or republican subordination, four city districts of Dushanbe). Earlier names still
found on old report forms are listed under "formerly", so that an import of an old spreadsheet
finds the place. Towns and jamoats are too many, and too often renamed, to keep here without
inventing: a screening records its town or jamoat as text.

Russian and Tajik names are the bare names (Куляб, Кӯлоб), not "…ский район" / "ноҳияи …".
"""

from dataclasses import dataclass, field

from django.utils.translation import get_language

from mediateka.mission.translated import LANGUAGES

# Each entry: key, (en, ru, tg), kind ("district" or "city"), former names (in any language).
_SUGHD = [
    ("khujand", ("Khujand", "Худжанд", "Хуҷанд"), "city", ["Leninabad", "Ленинабад"]),
    ("buston", ("Buston", "Бустон", "Бӯстон"), "city", ["Chkalovsk", "Чкаловск"]),
    ("guliston", ("Guliston", "Гулистон", "Гулистон"), "city", ["Kayrakkum", "Кайраккум"]),
    ("isfara", ("Isfara", "Исфара", "Исфара"), "city", []),
    ("istaravshan", ("Istaravshan", "Истаравшан", "Истаравшан"), "city", ["Ura-Tyube", "Уратюбе"]),
    ("istiqlol", ("Istiqlol", "Истиклол", "Истиқлол"), "city", ["Taboshar", "Табошар"]),
    ("konibodom", ("Konibodom", "Канибадам", "Конибодом"), "city", ["Kanibadam"]),
    ("panjakent", ("Panjakent", "Пенджикент", "Панҷакент"), "city", ["Penjikent"]),
    ("ayni", ("Ayni", "Айни", "Айнӣ"), "district", []),
    ("asht", ("Asht", "Ашт", "Ашт"), "district", []),
    (
        "bobojon-ghafurov",
        ("Bobojon Ghafurov", "Бободжон Гафуров", "Бобоҷон Ғафуров"),
        "district",
        ["Ghafurov"],
    ),
    ("devashtich", ("Devashtich", "Деваштич", "Деваштич"), "district", ["Ghonchi", "Ганчи", "Ғончӣ"]),
    ("jabbor-rasulov", ("Jabbor Rasulov", "Джаббор Расулов", "Ҷаббор Расулов"), "district", ["Proletarsk"]),
    ("kuhistoni-mastchoh", ("Kuhistoni Mastchoh", "Горная Матча", "Кӯҳистони Мастчоҳ"), "district", []),
    ("mastchoh", ("Mastchoh", "Матча", "Мастчоҳ"), "district", []),
    ("spitamen", ("Spitamen", "Спитамен", "Спитамен"), "district", ["Nau", "Нау", "Нов"]),
    ("shahriston", ("Shahriston", "Шахристан", "Шаҳристон"), "district", []),
    ("zafarobod", ("Zafarobod", "Зафарабад", "Зафаробод"), "district", []),
]

_KHATLON = [
    (
        "bokhtar",
        ("Bokhtar", "Бохтар", "Бохтар"),
        "city",
        ["Qurghonteppa", "Kurgan-Tyube", "Курган-Тюбе", "Қурғонтеппа"],
    ),
    ("kulob", ("Kulob", "Куляб", "Кӯлоб"), "city", ["Kulyab"]),
    ("levakant", ("Levakant", "Левакант", "Левакант"), "city", ["Sarband", "Сарбанд"]),
    ("norak", ("Norak", "Нурек", "Норак"), "city", ["Nurek"]),
    (
        "abdurahmoni-jomi",
        ("Abdurahmoni Jomi", "Абдурахмони Джоми", "Абдураҳмони Ҷомӣ"),
        "district",
        ["Khojamaston", "Хаджамастон"],
    ),
    ("baljuvon", ("Baljuvon", "Бальджуван", "Балҷувон"), "district", []),
    ("danghara", ("Danghara", "Дангара", "Данғара"), "district", ["Dangara"]),
    ("dusti", ("Dusti", "Дусти", "Дӯстӣ"), "district", ["Jilikul", "Джиликуль"]),
    ("farkhor", ("Farkhor", "Фархор", "Фархор"), "district", []),
    ("hamadoni", ("Hamadoni", "Хамадони", "Ҳамадонӣ"), "district", ["Moskva", "Московский"]),
    (
        "jaloliddini-balkhi",
        ("Jaloliddini Balkhi", "Джалолиддини Балхи", "Ҷалолиддини Балхӣ"),
        "district",
        ["Rumi", "Kolkhozobod", "Колхозабад"],
    ),
    ("jayhun", ("Jayhun", "Джайхун", "Ҷайҳун"), "district", ["Qumsangir", "Кумсангир"]),
    ("khovaling", ("Khovaling", "Ховалинг", "Ховалинг"), "district", []),
    ("khuroson", ("Khuroson", "Хуросон", "Хуросон"), "district", ["Ghozimalik", "Гозималик"]),
    ("kushoniyon", ("Kushoniyon", "Кушониён", "Кушониён"), "district", ["Bokhtar district"]),
    ("muminobod", ("Muminobod", "Муминабад", "Мӯъминобод"), "district", []),
    (
        "nosiri-khusrav",
        ("Nosiri Khusrav", "Носири Хусрав", "Носири Хусрав"),
        "district",
        ["Beshkent", "Бешкент"],
    ),
    ("panj", ("Panj", "Пяндж", "Панҷ"), "district", []),
    ("qubodiyon", ("Qubodiyon", "Кубодиён", "Қубодиён"), "district", ["Kabodiyon", "Кабодиён"]),
    ("shahritus", ("Shahritus", "Шахритуз", "Шаҳритус"), "district", ["Shaartuz", "Шаартуз"]),
    (
        "shamsiddin-shohin",
        ("Shamsiddin Shohin", "Шамсиддин Шохин", "Шамсиддин Шоҳин"),
        "district",
        ["Shuroobod", "Шуроабад"],
    ),
    ("temurmalik", ("Temurmalik", "Темурмалик", "Темурмалик"), "district", ["Sovet", "Советский"]),
    ("vakhsh", ("Vakhsh", "Вахш", "Вахш"), "district", []),
    ("vose", ("Vose", "Восе", "Восеъ"), "district", []),
    ("yovon", ("Yovon", "Яван", "Ёвон"), "district", ["Yavan"]),
]

_GBAO = [
    ("khorog", ("Khorog", "Хорог", "Хоруғ"), "city", ["Khorugh"]),
    ("darvoz", ("Darvoz", "Дарваз", "Дарвоз"), "district", []),
    ("ishkoshim", ("Ishkoshim", "Ишкашим", "Ишкошим"), "district", []),
    ("murghob", ("Murghob", "Мургаб", "Мурғоб"), "district", []),
    ("roshtqala", ("Roshtqal'a", "Рошткала", "Роштқалъа"), "district", []),
    ("rushon", ("Rushon", "Рушан", "Рушон"), "district", []),
    ("shughnon", ("Shughnon", "Шугнан", "Шуғнон"), "district", []),
    ("vanj", ("Vanj", "Ванч", "Ванҷ"), "district", []),
]

_DRS = [
    ("vahdat", ("Vahdat", "Вахдат", "Ваҳдат"), "city", ["Kofarnihon", "Кофарнихон"]),
    ("hisor", ("Hisor", "Гиссар", "Ҳисор"), "city", ["Gissar"]),
    ("roghun", ("Roghun", "Рогун", "Роғун"), "city", ["Rogun"]),
    ("tursunzoda", ("Tursunzoda", "Турсунзаде", "Турсунзода"), "city", ["Regar"]),
    ("fayzobod", ("Fayzobod", "Файзабад", "Файзобод"), "district", []),
    ("lakhsh", ("Lakhsh", "Лахш", "Лахш"), "district", ["Jirgatol", "Джиргиталь"]),
    ("nurobod", ("Nurobod", "Нурабад", "Нуробод"), "district", ["Darband"]),
    ("rasht", ("Rasht", "Рашт", "Рашт"), "district", ["Gharm", "Гарм"]),
    ("rudaki", ("Rudaki", "Рудаки", "Рӯдакӣ"), "district", ["Lenin district", "Ленинский"]),
    ("sangvor", ("Sangvor", "Сангвор", "Сангвор"), "district", ["Tavildara", "Тавильдара"]),
    ("shahrinav", ("Shahrinav", "Шахринав", "Шаҳринав"), "district", []),
    ("tojikobod", ("Tojikobod", "Таджикабад", "Тоҷикобод"), "district", []),
    ("varzob", ("Varzob", "Варзоб", "Варзоб"), "district", []),
]

_DUSHANBE = [
    ("dushanbe-ismoili-somoni", ("Ismoili Somoni", "Исмоили Сомони", "Исмоили Сомонӣ"), "city-district", []),
    ("dushanbe-firdavsi", ("Firdavsi", "Фирдавси", "Фирдавсӣ"), "city-district", []),
    ("dushanbe-sino", ("Sino", "Сино", "Сино"), "city-district", []),
    ("dushanbe-shohmansur", ("Shohmansur", "Шохмансур", "Шоҳмансур"), "city-district", []),
]

_REGIONS = [
    ("sughd", ("Sughd Region", "Согдийская область", "Вилояти Суғд"), ["Sughd", "Суғд", "Согд"], _SUGHD),
    ("khatlon", ("Khatlon Region", "Хатлонская область", "Вилояти Хатлон"), ["Khatlon", "Хатлон"], _KHATLON),
    (
        "gbao",
        (
            "Gorno-Badakhshan Autonomous Region (GBAO)",
            "Горно-Бадахшанская автономная область (ГБАО)",
            "Вилояти Мухтори Кӯҳистони Бадахшон (ВМКБ)",
        ),
        ["GBAO", "ГБАО", "ВМКБ", "Gorno-Badakhshan", "Badakhshan"],
        _GBAO,
    ),
    (
        "drs",
        (
            "Districts of Republican Subordination",
            "Районы республиканского подчинения",
            "Ноҳияҳои тобеи ҷумҳурӣ",
        ),
        ["DRS", "РРП", "НТҶ"],
        _DRS,
    ),
    ("dushanbe", ("Dushanbe city", "город Душанбе", "шаҳри Душанбе"), ["Dushanbe", "Душанбе"], _DUSHANBE),
]


@dataclass(frozen=True)
class Place:
    key: str
    names: dict[str, str]
    kind: str = "region"
    region: str = ""
    formerly: tuple[str, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return self.names.get(get_language() or "en", self.names["en"])

    def __str__(self) -> str:
        return self.name


def _names(triple) -> dict[str, str]:
    return dict(zip(LANGUAGES, triple, strict=True))


REGIONS: dict[str, Place] = {}
DISTRICTS: dict[str, Place] = {}
for _key, _triple, _aliases, _entries in _REGIONS:
    REGIONS[_key] = Place(_key, _names(_triple), "region", formerly=tuple(_aliases))
    for _dkey, _dtriple, _kind, _former in _entries:
        DISTRICTS[_dkey] = Place(_dkey, _names(_dtriple), _kind, _key, tuple(_former))


def region_name(key: str) -> str:
    place = REGIONS.get(key)
    return place.name if place else key


def district_name(key: str) -> str:
    place = DISTRICTS.get(key)
    return place.name if place else key


def region_choices() -> list[tuple[str, str]]:
    return [(key, place.names["en"]) for key, place in REGIONS.items()]


def district_choices() -> list[tuple[str, str]]:
    """Flat choices for the model field; forms group them by region in the page's language."""
    return [(key, place.names["en"]) for key, place in DISTRICTS.items()]


def grouped_district_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (region.name, sorted(((d.key, d.name) for d in DISTRICTS.values() if d.region == key), key=_by_name))
        for key, region in REGIONS.items()
    ]


def _by_name(choice: tuple[str, str]) -> str:
    return choice[1].casefold()


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("ё", "е").casefold().replace("-", " ").split())


def _index(places: dict[str, Place]) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, place in places.items():
        for spelling in (key, *place.names.values(), *place.formerly):
            index.setdefault(_fold(spelling), key)
    return index


_DISTRICT_INDEX = _index(DISTRICTS)
_REGION_INDEX = _index(REGIONS)


def find_district(text: str) -> str | None:
    """The district key for a key, a name in any of the three languages, or a former name."""
    return _DISTRICT_INDEX.get(_fold(text or ""))


def find_region(text: str) -> str | None:
    return _REGION_INDEX.get(_fold(text or ""))
