"""Demo catalogue of the IOM mission in Tajikistan: the films of its multimedia page.

The data reproduce the mission's multimedia page (about 2011-2014) and the facts collected in
``shared/seed/mission-facts.md``. Everything here is plain data; the ``demo`` loader turns it
into records. What the sources do not say is left empty (``None`` or ``""``), never made up:
film years, durations, producers, most project dates and donors.

Only one film title is known ("We're Going to Moscow"); the other titles are devised by the
cataloguer, stored without the square brackets that the site adds, and flagged with
``"title_is_devised": True``. The English synopses are the page's own text.

The staff head counts per office are illustrative: the real figures are not public, and only
their total ("more than 30 staff members") appears on the page.

Every translatable text is a dict with the keys "en", "ru" and "tg" (Tajik in Cyrillic).
"""

from datetime import date

MISSION = {
    "name": {
        "en": "IOM Mission in Tajikistan",
        "ru": "Миссия МОМ в Таджикистане",
        "tg": "Намояндагии СБМ дар Тоҷикистон",
    },
    "country": {"en": "Tajikistan", "ru": "Таджикистан", "tg": "Тоҷикистон"},
    "member_since": date(1994, 11, 29),
    "organisation": "iom",
}

# kind: "intergovernmental", "un_agency", "government", "donor_government", "ngo", "fund",
# "broadcaster" or "other". website is "" where we are not sure of the address.
ORGANISATIONS = [
    {
        "key": "iom",
        "article": True,
        "name": {
            "en": "International Organization for Migration",
            "ru": "Международная организация по миграции",
            "tg": "Созмони байналмилалии муҳоҷират",
        },
        "short_name": {"en": "IOM", "ru": "МОМ", "tg": "СБМ"},
        "kind": "intergovernmental",
        "website": "https://www.iom.int",
    },
    {
        "key": "un-women",
        # The entity's own short name is the one the page and credit lines use.
        "name": {"en": "UN Women", "ru": "Структура «ООН-женщины»", "tg": "Сохтори СММ-Занон"},
        "short_name": {"en": "UN Women", "ru": "«ООН-женщины»", "tg": "СММ-Занон"},
        "kind": "un_agency",
        "website": "https://www.unwomen.org",
    },
    {
        "key": "world-bank",
        "article": True,
        "name": {"en": "World Bank", "ru": "Всемирный банк", "tg": "Бонки ҷаҳонӣ"},
        "short_name": {"en": "World Bank", "ru": "Всемирный банк", "tg": "Бонки ҷаҳонӣ"},
        "kind": "intergovernmental",
        "website": "https://www.worldbank.org",
    },
    {
        # The facts name the UK Government as donor, through its Department for
        # International Development (DFID); the page's PSA credit says "the UK Government".
        "key": "uk-government",
        "article": True,
        "name": {
            "en": "UK Government",
            "ru": "Правительство Великобритании",
            "tg": "Ҳукумати Британияи Кабир",
        },
        "short_name": {
            "en": "UK Government",
            "ru": "Правительство Великобритании",
            "tg": "Ҳукумати Британияи Кабир",
        },
        "kind": "donor_government",
        "website": "https://www.gov.uk",
    },
    {
        "key": "global-fund",
        "article": True,
        "name": {
            "en": "Global Fund to Fight AIDS, Tuberculosis and Malaria",
            "ru": "Глобальный фонд для борьбы со СПИДом, туберкулёзом и малярией",
            "tg": "Фонди глобалӣ барои мубориза бар зидди БПНМ, бемории сил ва вараҷа",
        },
        "short_name": {"en": "Global Fund", "ru": "Глобальный фонд", "tg": "Фонди глобалӣ"},
        "kind": "fund",
        "website": "https://www.theglobalfund.org",
    },
    {
        "key": "undp",
        "name": {
            "en": "United Nations Development Programme",
            "ru": "Программа развития Организации Объединённых Наций",
            "tg": "Барномаи рушди Созмони Милали Муттаҳид",
        },
        "short_name": {"en": "UNDP", "ru": "ПРООН", "tg": "БРСММ"},
        "kind": "un_agency",
        "website": "https://www.undp.org",
    },
    {
        "key": "ministry-of-health",
        "article": True,
        "name": {
            "en": "Ministry of Health of the Republic of Tajikistan",
            "ru": "Министерство здравоохранения Республики Таджикистан",
            "tg": "Вазорати тандурустии Ҷумҳурии Тоҷикистон",
        },
        "short_name": {
            "en": "Ministry of Health",
            "ru": "Минздрав Таджикистана",
            "tg": "Вазорати тандурустӣ",
        },
        "kind": "government",
        "website": "",
    },
    {
        "key": "iom-development-fund",
        "article": True,
        "name": {
            "en": "IOM Development Fund",
            "ru": "Фонд развития МОМ",
            "tg": "Фонди рушди СБМ",
        },
        "short_name": {"en": "IDF", "ru": "Фонд развития МОМ", "tg": "Фонди рушди СБМ"},
        "kind": "fund",
        "website": "https://developmentfund.iom.int",
    },
    {
        # Only the Latin spelling appears in the sources; the Cyrillic is a transliteration.
        "key": "targiot",
        "name": {"en": "Targiot", "ru": "Таргиот", "tg": "Таргиот"},
        "short_name": {"en": "Targiot", "ru": "Таргиот", "tg": "Таргиот"},
        "kind": "ngo",
        "website": "",
    },
    {
        "key": "apeyron",
        "name": {"en": "Apeyron", "ru": "Апейрон", "tg": "Апейрон"},
        "short_name": {"en": "Apeyron", "ru": "Апейрон", "tg": "Апейрон"},
        "kind": "ngo",
        "website": "",
    },
    {
        "key": "japan-government",
        "article": True,
        "name": {
            "en": "Government of Japan",
            "ru": "Правительство Японии",
            "tg": "Ҳукумати Ҷопон",
        },
        "short_name": {"en": "Japan", "ru": "Япония", "tg": "Ҷопон"},
        "kind": "donor_government",
        "website": "",
    },
    {
        "key": "committee-of-emergency-situations",
        "article": True,
        "name": {
            "en": (
                "Committee of Emergency Situations and Civil Defence under the Government "
                "of the Republic of Tajikistan"
            ),
            "ru": (
                "Комитет по чрезвычайным ситуациям и гражданской обороне при Правительстве "
                "Республики Таджикистан"
            ),
            "tg": "Кумитаи ҳолатҳои фавқулодда ва мудофиаи граждании назди Ҳукумати Ҷумҳурии Тоҷикистон",
        },
        "short_name": {"en": "CoES", "ru": "КЧС и ГО", "tg": "КҲФ ва МГ"},
        "kind": "government",
        "website": "",
    },
    {
        "key": "us-government",
        "article": True,
        "name": {
            "en": "Government of the United States of America",
            "ru": "Правительство Соединённых Штатов Америки",
            "tg": "Ҳукумати Иёлоти Муттаҳидаи Амрико",
        },
        "short_name": {"en": "USA", "ru": "США", "tg": "ИМА"},
        "kind": "donor_government",
        "website": "",
    },
    {
        "key": "norway-government",
        "article": True,
        "name": {
            "en": "Government of Norway",
            "ru": "Правительство Норвегии",
            "tg": "Ҳукумати Норвегия",
        },
        "short_name": {"en": "Norway", "ru": "Норвегия", "tg": "Норвегия"},
        "kind": "donor_government",
        "website": "https://www.regjeringen.no",
    },
    {
        "key": "european-union",
        "article": True,
        "name": {"en": "European Union", "ru": "Европейский союз", "tg": "Иттиҳоди Аврупо"},
        "short_name": {"en": "EU", "ru": "ЕС", "tg": "ИА"},
        "kind": "intergovernmental",
        "website": "https://european-union.europa.eu",
    },
    {
        "key": "border-forces",
        "article": True,
        "name": {
            "en": "Border Forces of Tajikistan",
            "ru": "Пограничные войска Таджикистана",
            "tg": "Қӯшунҳои сарҳадии Тоҷикистон",
        },
        "short_name": {"en": "Border Forces", "ru": "Погранвойска", "tg": "Қӯшунҳои сарҳадӣ"},
        "kind": "government",
        "website": "",
    },
    {
        "key": "migration-service",
        "article": True,
        "name": {
            "en": "Migration Service of Tajikistan",
            "ru": "Миграционная служба Таджикистана",
            "tg": "Хадамоти муҳоҷирати Тоҷикистон",
        },
        "short_name": {
            "en": "Migration Service",
            "ru": "Миграционная служба",
            "tg": "Хадамоти муҳоҷират",
        },
        "kind": "government",
        "website": "",
    },
    {
        "key": "state-advanced-training-centre",
        "article": True,
        "name": {
            "en": "State Advanced Training Centre",
            "ru": "Государственный центр повышения квалификации",
            "tg": "Маркази давлатии такмили ихтисос",
        },
        "short_name": {
            "en": "State Advanced Training Centre",
            "ru": "Центр повышения квалификации",
            "tg": "Маркази такмили ихтисос",
        },
        "kind": "government",
        "website": "",
    },
    {
        "key": "swiss-cooperation-office",
        "article": True,
        "name": {
            "en": "Swiss Cooperation Office in Tajikistan",
            "ru": "Швейцарское бюро по сотрудничеству в Таджикистане",
            "tg": "Дафтари ҳамкории Швейтсария дар Тоҷикистон",
        },
        "short_name": {
            "en": "Swiss Cooperation Office",
            "ru": "Швейцарское бюро по сотрудничеству",
            "tg": "Дафтари ҳамкории Швейтсария",
        },
        "kind": "donor_government",
        "website": "",
    },
    {
        # The name is used untranslated in Russian and Tajik texts in Tajikistan.
        "key": "save-the-children",
        "name": {"en": "Save the Children", "ru": "Save the Children", "tg": "Save the Children"},
        "short_name": {
            "en": "Save the Children",
            "ru": "Save the Children",
            "tg": "Save the Children",
        },
        "kind": "ngo",
        "website": "https://www.savethechildren.net",
    },
    {
        "key": "usaid",
        "name": {
            "en": "United States Agency for International Development",
            "ru": "Агентство США по международному развитию",
            "tg": "Агентии ИМА оид ба рушди байналмилалӣ",
        },
        "short_name": {"en": "USAID", "ru": "USAID", "tg": "USAID"},
        "kind": "donor_government",
        "website": "",
    },
    {
        "key": "tajikistan-government",
        "article": True,
        "name": {
            "en": "Government of the Republic of Tajikistan",
            "ru": "Правительство Республики Таджикистан",
            "tg": "Ҳукумати Ҷумҳурии Тоҷикистон",
        },
        "short_name": {
            "en": "Government of Tajikistan",
            "ru": "Правительство Таджикистана",
            "tg": "Ҳукумати Тоҷикистон",
        },
        "kind": "government",
        "website": "",
    },
]

# The seven thematic service areas, in the order of mission-facts.md.
AREAS = [
    {
        "key": "migration-health",
        "name": {
            "en": "Migration Health",
            "ru": "Миграция и здоровье",
            "tg": "Муҳоҷират ва саломатӣ",
        },
    },
    {
        "key": "counter-trafficking",
        "name": {
            "en": "Counter-Trafficking",
            "ru": "Противодействие торговле людьми",
            "tg": "Муқовимат ба савдои одамон",
        },
    },
    {
        "key": "border-management",
        "name": {
            "en": "Border Management",
            "ru": "Управление границами",
            "tg": "Идоракунии сарҳад",
        },
    },
    {
        "key": "emergency-response",
        "name": {
            "en": "Emergency Response & Community Stabilization",
            "ru": "Реагирование на чрезвычайные ситуации и стабилизация общин",
            "tg": "Вокуниш ба ҳолатҳои фавқулодда ва суботбахшии ҷамоатҳо",
        },
    },
    {
        "key": "migration-development",
        "name": {
            "en": "Migration and Development",
            "ru": "Миграция и развитие",
            "tg": "Муҳоҷират ва рушд",
        },
    },
    {
        "key": "labour-migration",
        "name": {"en": "Labour Migration", "ru": "Трудовая миграция", "tg": "Муҳоҷирати меҳнатӣ"},
    },
    {
        "key": "migration-policy",
        "name": {
            "en": "Migration Policy & Capacity Building",
            "ru": "Миграционная политика и укрепление потенциала",
            "tg": "Сиёсати муҳоҷират ва рушди иқтидор",
        },
    },
]

# status is the IATI activity status: 2 = Implementation, 4 = Closed.
# The twelve projects of the facts table are the twelve active ones. The HIV community
# mobilization project and CARMP ran in phases: their current phases are active, their
# finished phases are closed. Dates appear only where the facts give them; a month alone is
# the first of that month, a start year alone is 1 January, an end year alone is None.
# Roles: the first "implementing" organisation is the lead implementer.
PROJECTS = [
    {
        "key": "hiv-mobilization",
        "title": {
            "en": (
                "Community Mobilization for HIV Prevention Among Labour Migrants and Their "
                "Families (from February 2014)"
            ),
            "ru": (
                "Мобилизация сообществ для профилактики ВИЧ среди трудовых мигрантов и членов "
                "их семей (с февраля 2014 года)"
            ),
            "tg": (
                "Сафарбаркунии ҷамоатҳо барои пешгирии ВНМО дар байни муҳоҷирони меҳнатӣ ва "
                "аъзои оилаҳои онҳо (аз феврали соли 2014)"
            ),
        },
        "summary": {
            "en": (
                "New phase from February 2014, covering 35 districts. The project is funded by "
                "the Global Fund (Round 8) through UNDP and works with the Ministry of Health "
                "and 22 partner NGOs."
            ),
            "ru": (
                "Новый этап с февраля 2014 года, охватывающий 35 районов. Проект финансируется "
                "Глобальным фондом (8-й раунд) через ПРООН и осуществляется совместно "
                "с Министерством здравоохранения и 22 партнёрскими НПО."
            ),
            "tg": (
                "Марҳилаи нав аз феврали соли 2014, ки 35 ноҳияро фаро мегирад. Лоиҳа аз ҷониби "
                "Фонди глобалӣ (даври 8) тавассути БРСММ маблағгузорӣ мешавад ва дар ҳамкорӣ "
                "бо Вазорати тандурустӣ ва 22 ташкилоти ғайриҳукуматии шарик амалӣ мегардад."
            ),
        },
        "area": "migration-health",
        "status": 2,
        "start": date(2014, 2, 1),
        "end": None,
        "organisations": [
            ("iom", "implementing"),
            ("global-fund", "donor"),
            ("undp", "donor"),
            ("ministry-of-health", "government"),
        ],
    },
    {
        "key": "regional-training-centre-hiv",
        "title": {
            "en": "Regional Training Centre on Migration and HIV",
            "ru": "Региональный учебный центр по вопросам миграции и ВИЧ",
            "tg": "Маркази минтақавии омӯзишӣ оид ба муҳоҷират ва ВНМО",
        },
        "summary": {
            "en": (
                "A regional training centre on migration and HIV. The mission's published "
                "reports give no partners or dates for it."
            ),
            "ru": (
                "Региональный учебный центр по вопросам миграции и ВИЧ. Партнёры и сроки "
                "в опубликованных отчётах миссии не указаны."
            ),
            "tg": (
                "Маркази минтақавии омӯзишӣ оид ба муҳоҷират ва ВНМО. Дар ҳисоботҳои "
                "нашршудаи намояндагӣ шарикон ва мӯҳлатҳои он зикр нашудаанд."
            ),
        },
        "area": "migration-health",
        "status": 2,
        "start": None,
        "end": None,
        "organisations": [("iom", "implementing")],
    },
    {
        "key": "hiv-tb-foreign-workers",
        "title": {
            "en": "HIV and TB awareness among foreign migrant workers in Tajikistan",
            "ru": (
                "Повышение осведомлённости иностранных трудовых мигрантов в Таджикистане о ВИЧ и туберкулёзе"
            ),
            "tg": "Баланд бардоштани огоҳии муҳоҷирони меҳнатии хориҷӣ дар Тоҷикистон дар бораи ВНМО ва сил",
        },
        "summary": {
            "en": (
                "Awareness-raising on HIV and TB among foreign migrant workers in Tajikistan "
                "in 2013, funded by the IOM Development Fund, with the NGOs Targiot and Apeyron."
            ),
            "ru": (
                "Информирование иностранных трудовых мигрантов в Таджикистане о ВИЧ "
                "и туберкулёзе в 2013 году при финансировании Фонда развития МОМ, совместно "
                "с НПО «Таргиот» и «Апейрон»."
            ),
            "tg": (
                "Баланд бардоштани огоҳии муҳоҷирони меҳнатии хориҷӣ дар Тоҷикистон дар бораи "
                "ВНМО ва сил дар соли 2013 бо маблағгузории Фонди рушди СБМ ва дар ҳамкорӣ бо "
                "ташкилотҳои ғайриҳукуматии «Таргиот» ва «Апейрон»."
            ),
        },
        "area": "migration-health",
        "status": 2,
        "start": None,
        "end": None,
        "organisations": [
            ("iom", "implementing"),
            ("targiot", "implementing"),
            ("apeyron", "implementing"),
            ("iom-development-fund", "donor"),
        ],
    },
    {
        "key": "disaster-response",
        "title": {
            "en": "Strengthening Disaster Response Capacities",
            "ru": "Укрепление потенциала реагирования на бедствия",
            "tg": "Таҳкими иқтидори вокуниш ба офатҳо",
        },
        "summary": {
            "en": (
                "A nine-month project funded by the Government of Japan and carried out with "
                "the Committee of Emergency Situations."
            ),
            "ru": (
                "Девятимесячный проект, финансируемый Правительством Японии и осуществляемый "
                "совместно с Комитетом по чрезвычайным ситуациям."
            ),
            "tg": (
                "Лоиҳаи нӯҳмоҳа бо маблағгузории Ҳукумати Ҷопон, ки дар ҳамкорӣ бо Кумитаи "
                "ҳолатҳои фавқулодда амалӣ мегардад."
            ),
        },
        "area": "emergency-response",
        "status": 2,
        "start": None,
        "end": None,
        "organisations": [
            ("iom", "implementing"),
            ("japan-government", "donor"),
            ("committee-of-emergency-situations", "government"),
        ],
    },
    {
        "key": "border-training-centres",
        "title": {
            "en": "Border management training centres (Dushanbe, Khorog)",
            "ru": "Учебные центры по управлению границами (Душанбе, Хорог)",
            "tg": "Марказҳои омӯзишии идоракунии сарҳад (Душанбе, Хоруғ)",
        },
        "summary": {
            "en": (
                "Border management training centres in Dushanbe and Khorog, running since 2002; "
                "more than 700 border guards trained since 2009. Supported by the USA, the UK, "
                "Norway and the EU, with the Border Forces of Tajikistan."
            ),
            "ru": (
                "Учебные центры по управлению границами в Душанбе и Хороге работают с 2002 года; "
                "с 2009 года обучение в них прошли более 700 пограничников. При поддержке США, "
                "Великобритании, Норвегии и ЕС, совместно с Пограничными войсками Таджикистана."
            ),
            "tg": (
                "Марказҳои омӯзишии идоракунии сарҳад дар Душанбе ва Хоруғ аз соли 2002 "
                "фаъолият мекунанд; аз соли 2009 инҷониб зиёда аз 700 сарҳадбон дар онҳо "
                "омӯзиш гирифтаанд. Бо дастгирии ИМА, Британияи Кабир, Норвегия ва Иттиҳоди "
                "Аврупо, дар ҳамкорӣ бо Қӯшунҳои сарҳадии Тоҷикистон."
            ),
        },
        "area": "border-management",
        "status": 2,
        "start": date(2002, 1, 1),
        "end": None,
        "organisations": [
            ("iom", "implementing"),
            ("us-government", "donor"),
            ("uk-government", "donor"),
            ("norway-government", "donor"),
            ("european-union", "donor"),
            ("border-forces", "government"),
        ],
    },
    {
        "key": "migration-management-capacity",
        "title": {
            "en": (
                "Building Coordination, Training and Research Capacities of the Government "
                "of Tajikistan to Manage Migration"
            ),
            "ru": (
                "Укрепление потенциала Правительства Таджикистана в области координации, "
                "обучения и исследований для управления миграцией"
            ),
            "tg": (
                "Таҳкими иқтидори Ҳукумати Тоҷикистон дар соҳаи ҳамоҳангсозӣ, омӯзиш ва "
                "таҳқиқот барои идоракунии муҳоҷират"
            ),
        },
        "summary": {
            "en": (
                "Builds the Government's capacities in coordination, training and research for "
                "managing migration. Funded by the IOM Development Fund, with the Migration "
                "Service and the State Advanced Training Centre."
            ),
            "ru": (
                "Укрепление потенциала Правительства в области координации, обучения "
                "и исследований для управления миграцией. Финансирование — Фонд развития МОМ; "
                "партнёры — Миграционная служба и Государственный центр повышения квалификации."
            ),
            "tg": (
                "Таҳкими иқтидори Ҳукумат дар соҳаи ҳамоҳангсозӣ, омӯзиш ва таҳқиқот барои "
                "идоракунии муҳоҷират. Бо маблағгузории Фонди рушди СБМ, дар ҳамкорӣ бо "
                "Хадамоти муҳоҷират ва Маркази давлатии такмили ихтисос."
            ),
        },
        "area": "migration-policy",
        "status": 2,
        "start": None,
        "end": None,
        "organisations": [
            ("iom", "implementing"),
            ("iom-development-fund", "donor"),
            ("migration-service", "government"),
            ("state-advanced-training-centre", "government"),
        ],
    },
    {
        "key": "remittances-rural-areas",
        "title": {
            "en": (
                "Harnessing Remittances for Development and Promoting Legal Migration "
                "in Tajikistan's Rural Areas"
            ),
            "ru": (
                "Использование денежных переводов мигрантов для развития и содействие легальной "
                "миграции в сельских районах Таджикистана"
            ),
            "tg": (
                "Истифодаи маблағҳои интиқолии муҳоҷирон барои рушд ва мусоидат ба муҳоҷирати "
                "қонунӣ дар минтақаҳои деҳоти Тоҷикистон"
            ),
        },
        "summary": {
            "en": (
                "Resource centres in 15 communities of Khatlon and Rasht; more than 1,500 households trained."
            ),
            "ru": "Ресурсные центры в 15 общинах Хатлона и Рашта; обучение прошли более 1500 домохозяйств.",
            "tg": (
                "Марказҳои захиравӣ дар 15 ҷамоати Хатлон ва Рашт; зиёда аз 1500 хонавода омӯзиш гирифтаанд."
            ),
        },
        "area": "migration-development",
        "status": 2,
        "start": None,
        "end": None,
        "organisations": [("iom", "implementing")],
    },
    {
        "key": "women-heads-of-households",
        "title": {
            "en": "Legal empowerment of women heads of migrant households",
            "ru": "Расширение правовых возможностей женщин — глав домохозяйств мигрантов",
            "tg": "Тавонмандсозии ҳуқуқии занони сарвари хонаводаҳои муҳоҷирон",
        },
        "summary": {
            "en": "Running from 1 March 2013, supported by the Swiss Cooperation Office.",
            "ru": (
                "Проект осуществляется с 1 марта 2013 года при поддержке Швейцарского бюро по сотрудничеству."
            ),
            "tg": "Лоиҳа аз 1 марти соли 2013 бо дастгирии Дафтари ҳамкории Швейтсария амалӣ мешавад.",
        },
        "area": "migration-development",
        "status": 2,
        "start": date(2013, 3, 1),
        "end": None,
        "organisations": [("iom", "implementing"), ("swiss-cooperation-office", "donor")],
    },
    {
        "key": "women-children-rights",
        "title": {
            "en": "Rights of women and children in migrants' families",
            "ru": "Права женщин и детей в семьях мигрантов",
            "tg": "Ҳуқуқҳои занон ва кӯдакон дар оилаҳои муҳоҷирон",
        },
        "summary": {
            "en": (
                "A project for 2013–2014, supported by Norway and the European Union, "
                "with UN Women and Save the Children."
            ),
            "ru": (
                "Проект на 2013–2014 годы при поддержке Норвегии и Европейского союза, "
                "совместно со Структурой «ООН-женщины» и Save the Children."
            ),
            "tg": (
                "Лоиҳа барои солҳои 2013–2014 бо дастгирии Норвегия ва Иттиҳоди Аврупо, "
                "дар ҳамкорӣ бо СММ-Занон ва Save the Children."
            ),
        },
        "area": "migration-development",
        "status": 2,
        "start": date(2013, 1, 1),
        "end": None,
        "organisations": [
            ("iom", "implementing"),
            ("un-women", "implementing"),
            ("save-the-children", "implementing"),
            ("norway-government", "donor"),
            ("european-union", "donor"),
        ],
    },
    {
        # The PSA collection points here; the site builds its credit line from these roles.
        "key": "carmp",
        "title": {
            "en": "Regional Migration Programme (CARMP phase 2)",
            "ru": "Региональная программа по миграции (второй этап CARMP)",
            "tg": "Барномаи минтақавии муҳоҷират (марҳилаи дуюми CARMP)",
        },
        "summary": {
            "en": (
                "Phase 2 of the Central Asia Regional Migration Programme, from January 2014. "
                "Implemented by IOM in cooperation with UN Women and the World Bank, with the "
                "financial support of the UK Government (DFID)."
            ),
            "ru": (
                "Второй этап Центральноазиатской региональной программы по миграции, "
                "с января 2014 года. Осуществляется МОМ в сотрудничестве со Структурой "
                "«ООН-женщины» и Всемирным банком при финансовой поддержке Правительства "
                "Великобритании (DFID)."
            ),
            "tg": (
                "Марҳилаи дуюми Барномаи минтақавии муҳоҷират дар Осиёи Марказӣ, аз январи "
                "соли 2014. Онро СБМ дар ҳамкорӣ бо СММ-Занон ва Бонки ҷаҳонӣ бо дастгирии "
                "молиявии Ҳукумати Британияи Кабир (DFID) амалӣ мекунад."
            ),
        },
        "area": "labour-migration",
        "status": 2,
        "start": date(2014, 1, 1),
        "end": None,
        "organisations": [
            ("iom", "implementing"),
            ("un-women", "implementing"),
            ("world-bank", "implementing"),
            ("uk-government", "donor"),
        ],
    },
    {
        "key": "reintegration-exploited-workers",
        "title": {
            "en": "Reintegration of exploited migrant workers",
            "ru": "Реинтеграция трудовых мигрантов, подвергшихся эксплуатации",
            "tg": "Ҳамгироии дубораи муҳоҷирони меҳнатии истисморшуда",
        },
        "summary": {
            "en": "Reintegration support for exploited migrant workers, funded by USAID (2012).",
            "ru": (
                "Содействие реинтеграции трудовых мигрантов, подвергшихся эксплуатации, "
                "при финансировании USAID (2012 год)."
            ),
            "tg": (
                "Дастгирии ҳамгироии дубораи муҳоҷирони меҳнатии истисморшуда бо маблағгузории "
                "USAID (соли 2012)."
            ),
        },
        "area": "counter-trafficking",
        "status": 2,
        "start": None,
        "end": None,
        "organisations": [("iom", "implementing"), ("usaid", "donor")],
    },
    {
        "key": "trafficking-action-plan",
        "title": {
            "en": "Support to the National Joint Action Plan on Combating Trafficking in Persons 2011–2013",
            "ru": (
                "Поддержка Национального совместного плана действий по борьбе с торговлей "
                "людьми на 2011–2013 годы"
            ),
            "tg": (
                "Дастгирии Нақшаи миллии муштараки амал оид ба мубориза бар зидди савдои одамон "
                "барои солҳои 2011–2013"
            ),
        },
        "summary": {
            "en": (
                "Supports the Government of Tajikistan in carrying out its National Joint Action "
                "Plan on Combating Trafficking in Persons for 2011–2013."
            ),
            "ru": (
                "Поддержка Правительства Таджикистана в выполнении Национального совместного "
                "плана действий по борьбе с торговлей людьми на 2011–2013 годы."
            ),
            "tg": (
                "Дастгирии Ҳукумати Тоҷикистон дар иҷрои Нақшаи миллии муштараки амал оид ба "
                "мубориза бар зидди савдои одамон барои солҳои 2011–2013."
            ),
        },
        "area": "counter-trafficking",
        "status": 2,
        "start": date(2011, 1, 1),
        "end": None,
        "organisations": [("iom", "implementing"), ("tajikistan-government", "government")],
    },
    # Finished phases (status 4).
    {
        "key": "hiv-mobilization-2012-2013",
        "title": {
            "en": (
                "Community Mobilization for HIV Prevention Among Labour Migrants and Their "
                "Families (January 2012 – March 2013)"
            ),
            "ru": (
                "Мобилизация сообществ для профилактики ВИЧ среди трудовых мигрантов и членов "
                "их семей (январь 2012 – март 2013 года)"
            ),
            "tg": (
                "Сафарбаркунии ҷамоатҳо барои пешгирии ВНМО дар байни муҳоҷирони меҳнатӣ ва "
                "аъзои оилаҳои онҳо (январи 2012 – марти 2013)"
            ),
        },
        "summary": {
            "en": (
                "Phase from January 2012 to March 2013, funded by the Global Fund (Round 8) "
                "through UNDP and carried out with the Ministry of Health."
            ),
            "ru": (
                "Этап с января 2012 по март 2013 года, профинансированный Глобальным фондом "
                "(8-й раунд) через ПРООН и осуществлённый совместно с Министерством "
                "здравоохранения."
            ),
            "tg": (
                "Марҳила аз январи соли 2012 то марти соли 2013, ки бо маблағгузории Фонди "
                "глобалӣ (даври 8) тавассути БРСММ ва дар ҳамкорӣ бо Вазорати тандурустӣ амалӣ "
                "гардид."
            ),
        },
        "area": "migration-health",
        "status": 4,
        "start": date(2012, 1, 1),
        "end": date(2013, 3, 1),
        "organisations": [
            ("iom", "implementing"),
            ("global-fund", "donor"),
            ("undp", "donor"),
            ("ministry-of-health", "government"),
        ],
    },
    {
        "key": "hiv-mobilization-2013",
        "title": {
            "en": (
                "Community Mobilization for HIV Prevention Among Labour Migrants and Their "
                "Families (April – December 2013)"
            ),
            "ru": (
                "Мобилизация сообществ для профилактики ВИЧ среди трудовых мигрантов и членов "
                "их семей (апрель – декабрь 2013 года)"
            ),
            "tg": (
                "Сафарбаркунии ҷамоатҳо барои пешгирии ВНМО дар байни муҳоҷирони меҳнатӣ ва "
                "аъзои оилаҳои онҳо (апрел – декабри 2013)"
            ),
        },
        "summary": {
            "en": (
                "Phase from April to December 2013, funded by the Global Fund (Round 8) "
                "through UNDP and carried out with the Ministry of Health."
            ),
            "ru": (
                "Этап с апреля по декабрь 2013 года, профинансированный Глобальным фондом "
                "(8-й раунд) через ПРООН и осуществлённый совместно с Министерством "
                "здравоохранения."
            ),
            "tg": (
                "Марҳила аз апрел то декабри соли 2013, ки бо маблағгузории Фонди глобалӣ "
                "(даври 8) тавассути БРСММ ва дар ҳамкорӣ бо Вазорати тандурустӣ амалӣ гардид."
            ),
        },
        "area": "migration-health",
        "status": 4,
        "start": date(2013, 4, 1),
        "end": date(2013, 12, 1),
        "organisations": [
            ("iom", "implementing"),
            ("global-fund", "donor"),
            ("undp", "donor"),
            ("ministry-of-health", "government"),
        ],
    },
    {
        "key": "carmp-phase-1",
        "title": {
            "en": "Central Asia Regional Migration Programme (CARMP), phase 1",
            "ru": "Центральноазиатская региональная программа по миграции (CARMP), первый этап",
            "tg": "Барномаи минтақавии муҳоҷират дар Осиёи Марказӣ (CARMP), марҳилаи якум",
        },
        "summary": {
            "en": (
                "First phase, 2010–2013. Implemented by IOM in cooperation with UN Women and "
                "the World Bank, with the financial support of the UK Government (DFID)."
            ),
            "ru": (
                "Первый этап, 2010–2013 годы. Осуществлялся МОМ в сотрудничестве со Структурой "
                "«ООН-женщины» и Всемирным банком при финансовой поддержке Правительства "
                "Великобритании (DFID)."
            ),
            "tg": (
                "Марҳилаи якум, солҳои 2010–2013. Онро СБМ дар ҳамкорӣ бо СММ-Занон ва Бонки "
                "ҷаҳонӣ бо дастгирии молиявии Ҳукумати Британияи Кабир (DFID) амалӣ кардааст."
            ),
        },
        "area": "labour-migration",
        "status": 4,
        "start": date(2010, 1, 1),
        "end": None,
        "organisations": [
            ("iom", "implementing"),
            ("un-women", "implementing"),
            ("world-bank", "implementing"),
            ("uk-government", "donor"),
        ],
    },
]

# Head counts are illustrative (the real ones are not public); they add up to 35.
OFFICES = [
    {
        "key": "dushanbe",
        "town": {"en": "Dushanbe", "ru": "Душанбе", "tg": "Душанбе"},
        "is_main": True,
        "head_count": 22,
    },
    {
        "key": "khujand",
        "town": {"en": "Khujand", "ru": "Худжанд", "tg": "Хуҷанд"},
        "is_main": False,
        "head_count": 4,
    },
    {
        "key": "kulob",
        "town": {"en": "Kulob", "ru": "Куляб", "tg": "Кӯлоб"},
        "is_main": False,
        "head_count": 3,
    },
    {
        "key": "khorog",
        "town": {"en": "Khorog", "ru": "Хорог", "tg": "Хоруғ"},
        "is_main": False,
        "head_count": 3,
    },
    {
        "key": "qurghonteppa",
        "town": {"en": "Qurghonteppa", "ru": "Курган-Тюбе", "tg": "Қӯрғонтеппа"},
        "is_main": False,
        "head_count": 3,
    },
]

THEMES = [
    {
        "key": "labour-migration",
        "name": {"en": "Labour migration", "ru": "Трудовая миграция", "tg": "Муҳоҷирати меҳнатӣ"},
    },
    {
        "key": "human-trafficking",
        "name": {"en": "Human trafficking", "ru": "Торговля людьми", "tg": "Савдои одамон"},
    },
    {
        "key": "hiv-migrant-health",
        "name": {
            "en": "HIV and migrants' health",
            "ru": "ВИЧ и здоровье мигрантов",
            "tg": "ВНМО ва саломатии муҳоҷирон",
        },
    },
    {
        "key": "irregular-migration",
        "name": {
            "en": "Irregular migration",
            "ru": "Нерегулярная миграция",
            "tg": "Муҳоҷирати ғайриқонунӣ",
        },
    },
    {
        "key": "women-and-families",
        "name": {
            "en": "Women and families of migrants",
            "ru": "Женщины и семьи мигрантов",
            "tg": "Занон ва оилаҳои муҳоҷирон",
        },
    },
    {
        "key": "economic-crisis",
        "name": {"en": "Economic crisis", "ru": "Экономический кризис", "tg": "Бӯҳрони иқтисодӣ"},
    },
]

COLLECTIONS = [
    {
        "key": "carmp-psa",
        "slug": "carmp-public-service-announcements",
        "title": {
            "en": "Public service announcements of the Central Asia Regional Migration Programme",
            "ru": "Социальные видеоролики Центральноазиатской региональной программы по миграции",
            "tg": "Видеороликҳои иҷтимоии Барномаи минтақавии муҳоҷират дар Осиёи Марказӣ",
        },
        "title_is_devised": True,
        "description": {
            "en": "Public service announcements on labour migration.",
            "ru": "Социальные видеоролики о трудовой миграции.",
            "tg": "Видеороликҳои иҷтимоӣ дар бораи муҳоҷирати меҳнатӣ.",
        },
        "project": "carmp-phase-1",
        "themes": ["labour-migration"],
    },
]

# The six films of the page, in its order. Years, producers and kinds are not public:
# only the Moscow film is known to be a documentary.
FILMS = [
    {
        "slug": "daughter-job-search-exploitation",
        "kind": "",
        "title": {
            "en": "A daughter's job search and the threat of exploitation",
            "ru": "Дочь в поисках работы и угроза эксплуатации",
            "tg": "Духтаре дар ҷустуҷӯи кор ва хатари истисмор",
        },
        "title_is_devised": True,
        "synopsis": {
            "en": (
                "The film is based on real events taking place in an ordinary Tajik family "
                "where a mother and her two daughters experience difficulties. One of the "
                "daughters trying to find a job falls into the hands of mercenary people craving "
                "for the exploitation of the poor girl. However, the girl realizes her false "
                'step and expectations on time and could have said "no."'
            ),
            "ru": (
                "Фильм основан на реальных событиях, произошедших в обычной таджикской семье, "
                "где мать и две её дочери сталкиваются с трудностями. Одна из дочерей в поисках "
                "работы попадает в руки корыстных людей, которые хотят её эксплуатировать. "
                "Однако девушка вовремя понимает, что совершила ошибку и что её ожидания были "
                "ложными, и успевает сказать «нет»."
            ),
            "tg": (
                "Филм ба ҳодисаҳои воқеие асос ёфтааст, ки дар як оилаи оддии тоҷик рух "
                "медиҳанд: модар ва ду духтараш бо мушкилот рӯ ба рӯ мешаванд. Яке аз духтарон "
                "дар ҷустуҷӯи кор ба дасти одамони тамаъкор меафтад, ки мехоҳанд ӯро истисмор "
                "кунанд. Аммо духтар сари вақт мефаҳмад, ки қадами нодуруст гузоштааст ва "
                "умедҳояш беасос будаанд, ва муваффақ мешавад, ки «не» гӯяд."
            ),
        },
        "themes": ["human-trafficking", "women-and-families"],
        "project": None,
        "collection": None,
        "year": None,
        "audience": {
            "en": "Young women looking for work, and their families",
            "ru": "Девушки, которые ищут работу, и их семьи",
            "tg": "Духтароне, ки кор меҷӯянд, ва оилаҳои онҳо",
        },
    },
    {
        "slug": "were-going-to-moscow",
        "kind": "documentary",
        "title": {
            "en": "We're Going to Moscow",
            "ru": "Мы едем в Москву",
            "tg": "Мо ба Маскав меравем",
        },
        "title_is_devised": False,
        "synopsis": {
            "en": (
                'This documentary, "We\'re Going to Moscow", talks about the actual reality '
                "that Tajik labour migrants face while traveling to and working in the Russian "
                "Federation. This film sheds light on the difficulties Tajik migrants have in "
                "their country of origin and destination."
            ),
            "ru": (
                "Документальный фильм «Мы едем в Москву» рассказывает о том, с чем на самом "
                "деле сталкиваются таджикские трудовые мигранты по пути в Российскую Федерацию "
                "и во время работы там. Фильм проливает свет на трудности, которые мигранты "
                "из Таджикистана испытывают как на родине, так и в стране назначения."
            ),
            "tg": (
                "Филми мустанади «Мо ба Маскав меравем» дар бораи воқеиятҳое нақл мекунад, ки "
                "муҳоҷирони меҳнатии тоҷик ҳангоми сафар ба Федератсияи Россия ва кор дар он ҷо "
                "бо онҳо рӯ ба рӯ мешаванд. Филм мушкилотеро, ки муҳоҷирони тоҷик ҳам дар "
                "ватани худ ва ҳам дар кишвари қабулкунанда доранд, равшан нишон медиҳад."
            ),
        },
        "themes": ["labour-migration"],
        "project": None,
        "collection": None,
        "year": None,
        "audience": {
            "en": "Tajik labour migrants and those planning to work in Russia",
            "ru": "Таджикские трудовые мигранты и те, кто собирается на заработки в Россию",
            "tg": "Муҳоҷирони меҳнатии тоҷик ва онҳое, ки барои кор ба Россия рафтанӣ ҳастанд",
        },
    },
    {
        "slug": "village-girl-trafficking",
        "kind": "",
        "title": {
            "en": "A village girl who became a victim of human trafficking",
            "ru": "Сельская девушка — жертва торговли людьми",
            "tg": "Духтари деҳотие, ки қурбони савдои одамон гардид",
        },
        "title_is_devised": True,
        "synopsis": {
            "en": (
                "This film is based on a real story and tells about an ordinary village girl "
                "from Tajikistan who becomes a victim of human trafficking."
            ),
            "ru": (
                "Фильм основан на реальной истории и рассказывает об обычной сельской девушке "
                "из Таджикистана, которая становится жертвой торговли людьми."
            ),
            "tg": (
                "Филм ба қиссаи воқеӣ асос ёфтааст ва дар бораи як духтари оддии деҳотӣ аз "
                "Тоҷикистон нақл мекунад, ки қурбони савдои одамон мегардад."
            ),
        },
        "themes": ["human-trafficking"],
        "project": None,
        "collection": None,
        "year": None,
        "audience": {
            "en": "Girls and young women in rural areas, and their families",
            "ru": "Девушки из сельской местности и их семьи",
            "tg": "Духтарони деҳот ва оилаҳои онҳо",
        },
    },
    {
        "slug": "migrants-economic-crisis",
        "kind": "",
        "title": {
            "en": "Labour migrants in the global economic crisis",
            "ru": "Трудовые мигранты во время мирового экономического кризиса",
            "tg": "Муҳоҷирони меҳнатӣ дар давраи бӯҳрони иқтисодии ҷаҳонӣ",
        },
        "title_is_devised": True,
        "synopsis": {
            "en": "This film looks at labour migrants during the worldwide economic crisis.",
            "ru": "Фильм посвящён положению трудовых мигрантов во время мирового экономического кризиса.",
            "tg": "Дар филм вазъи муҳоҷирони меҳнатӣ дар давраи бӯҳрони иқтисодии ҷаҳонӣ баррасӣ мешавад.",
        },
        "themes": ["labour-migration", "economic-crisis"],
        "project": None,
        "collection": None,
        "year": None,
        "audience": {
            "en": "Labour migrants and their families",
            "ru": "Трудовые мигранты и их семьи",
            "tg": "Муҳоҷирони меҳнатӣ ва оилаҳои онҳо",
        },
    },
    {
        "slug": "mehrubon-regular-migration",
        "kind": "",
        "title": {
            "en": "Mehrubon: a step-by-step guide to regular migration",
            "ru": "Мехрубон: пошаговое руководство по законной миграции",
            "tg": "Меҳрубон: дастури қадам ба қадам оид ба муҳоҷирати қонунӣ",
        },
        "title_is_devised": True,
        "synopsis": {
            "en": (
                "This film aims at raising awareness of the dangers of irregular migration among "
                "Tajik migrants wishing to travel to the Russian Federation with the hope of "
                "exploring better life and earning. Exemplifying Mehrubon as a successful and "
                "informed migrant, in a step by step guide, the film shows regular ways of stay, "
                "work and return procedures to and from the destination country."
            ),
            "ru": (
                "Цель фильма — рассказать об опасностях нерегулярной миграции таджикским "
                "мигрантам, которые хотят поехать в Российскую Федерацию в надежде на лучшую "
                "жизнь и заработок. На примере Мехрубона, успешного и хорошо осведомлённого "
                "мигранта, фильм шаг за шагом показывает законный порядок пребывания и работы "
                "в стране назначения, а также въезда в неё и возвращения домой."
            ),
            "tg": (
                "Ҳадафи филм баланд бардоштани огоҳии муҳоҷирони тоҷик, ки бо умеди зиндагии "
                "беҳтар ва даромад ба Федератсияи Россия рафтан мехоҳанд, дар бораи хатарҳои "
                "муҳоҷирати ғайриқонунӣ мебошад. Филм дар мисоли Меҳрубон — муҳоҷири муваффақ ва "
                "огоҳ — қадам ба қадам тартиби қонунии будубош ва кор дар кишвари қабулкунанда, "
                "инчунин сафар ба он ҷо ва бозгашт ба ватанро нишон медиҳад."
            ),
        },
        "themes": ["labour-migration", "irregular-migration"],
        "project": None,
        "collection": None,
        "year": None,
        "audience": {
            "en": "People in Tajikistan planning to go to work in the Russian Federation",
            "ru": "Жители Таджикистана, которые собираются на работу в Российскую Федерацию",
            "tg": "Сокинони Тоҷикистон, ки барои кор ба Федератсияи Россия рафтанӣ ҳастанд",
        },
    },
    {
        "slug": "tver-migrant-hiv",
        "kind": "",
        "title": {
            "en": "A labour migrant in Tver and HIV in his family",
            "ru": "Трудовой мигрант в Твери и ВИЧ в его семье",
            "tg": "Муҳоҷири меҳнатӣ дар Твер ва ВНМО дар оилаи ӯ",
        },
        "title_is_devised": True,
        "synopsis": {
            "en": (
                "This film examines the problem of HIV/AIDS among the labour migration "
                "population of Tajikistan. The protagonist is a labour migrant working in "
                "Russian town of Tver. He discovers his positive status too late, and he later "
                "passes along HIV to wife who gives birth to a HIV positive baby. At this point, "
                "the path of the main character is transformed as he begins to reconsider his "
                "life values and addresses young people and others to be conscious of the "
                "consequences of unprotected sexual relations, and to be responsible for not "
                "only their own personal health, but also the health of their dependents."
            ),
            "ru": (
                "Фильм посвящён проблеме ВИЧ/СПИДа среди трудовых мигрантов Таджикистана. "
                "Главный герой — трудовой мигрант, работающий в российском городе Твери. Он "
                "слишком поздно узнаёт о своём положительном ВИЧ-статусе, а затем передаёт ВИЧ "
                "жене, и она рожает ВИЧ-положительного ребёнка. С этого момента жизнь героя "
                "меняется: он начинает переосмысливать свои жизненные ценности и призывает "
                "молодёжь и других людей помнить о последствиях незащищённых половых контактов "
                "и отвечать не только за собственное здоровье, но и за здоровье своих близких."
            ),
            "tg": (
                "Филм ба мушкилоти ВНМО/БПНМ дар байни муҳоҷирони меҳнатии Тоҷикистон бахшида "
                "шудааст. Қаҳрамони асосӣ муҳоҷири меҳнатӣ аст, ки дар шаҳри русии Твер кор "
                "мекунад. Ӯ дар бораи гирифтори ВНМО будани худ хеле дер огоҳ мешавад ва баъдтар "
                "ҳамсарашро ба ВНМО мубтало мекунад ва ҳамсараш кӯдаки гирифтори ВНМО ба дунё "
                "меоварад. Аз ҳамин лаҳза роҳи зиндагии қаҳрамон дигар мешавад: ӯ арзишҳои "
                "зиндагии худро аз нав баррасӣ мекунад ва ба ҷавонон ва дигарон муроҷиат "
                "менамояд, ки оқибатҳои алоқаи ҷинсии бе муҳофизатро дарк кунанд ва на танҳо "
                "барои саломатии худ, балки барои саломатии наздиконашон низ масъул бошанд."
            ),
        },
        "themes": ["hiv-migrant-health", "labour-migration", "women-and-families"],
        "project": None,
        "collection": None,
        "year": None,
        "audience": {
            "en": "Labour migrants, their wives and young people",
            "ru": "Трудовые мигранты, их жёны и молодёжь",
            "tg": "Муҳоҷирони меҳнатӣ, ҳамсарони онҳо ва ҷавонон",
        },
    },
]
