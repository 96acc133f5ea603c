"""A starter set of synonyms for this catalogue's field (labour migration from Tajikistan), in the
three languages; editors keep them from here in the admin."""

from django.db import migrations

STARTER = [
    ("trafficking\nhuman trafficking\nтрафикинг\nторговля людьми\nсавдои одамон\nхариду фурӯши одамон", "trafficking"),
    ("патент\nwork permit\nразрешение на работу\nиҷозатномаи корӣ\nиҷозатнома", "work permit"),
    ("ВИЧ\nСПИД\nHIV\nAIDS\nВНМО\nВИЧ-инфекция", "HIV / AIDS"),
    ("гастарбайтер\nтрудовой мигрант\nмигрант\nмуҳоҷири меҳнатӣ\nмуҳоҷир\nlabour migrant\nmigrant worker\nmigrant", "labour migrant"),
    ("запрет на въезд\nчерный список\nманъи вуруд\nentry ban\nre-entry ban\nblacklist", "entry ban"),
    ("нелегал\nнелегальный\nнезаконный\nirregular\nundocumented\nillegal\nғайриқонунӣ", "irregular status"),
    ("Moscow\nМосква\nМаскав\nMoskva", "Moscow"),
    ("Russia\nРоссия\nРусия\nRossiya", "Russia"),
    ("Tajikistan\nТаджикистан\nТоҷикистон", "Tajikistan"),
    ("Kazakhstan\nКазахстан\nҚазоқистон", "Kazakhstan"),
    ("remittances\nmoney transfer\nденежные переводы\nдениги домой\nинтиқоли пул\nфиристодани пул", "remittances"),
    ("deportation\nexpulsion\nдепортация\nвыдворение\nихроҷ\nдепортатсия", "deportation"),
    ("registration\nрегистрация\nбақайдгирӣ\nқайд", "registration"),
    ("domestic violence\nдомашнее насилие\nхушунати хонаводагӣ\nзӯроварии хонаводагӣ", "domestic violence"),
    ("wife\nжена\nзан\nҳамсар", "wife"),
    ("family\nсемья\nоила\nхонавода", "family"),
    ("children\nдети\nкӯдакон\nфарзандон", "children"),
    ("youth\nмолодежь\nмолодёжь\nҷавонон", "youth"),
    ("work\njob\nработа\nкор", "work"),
    ("tuberculosis\nTB\nтуберкулез\nтуберкулёз\nчахотка\nсил", "tuberculosis"),
    ("passport\nпаспорт\nшиноснома", "passport"),
    ("border\nграница\nсарҳад", "border"),
    ("return\nreturnee\nвозвращение\nвернувшиеся\nбозгашт\nбозгаштагон", "return"),
    ("rights\nправа\nҳуқуқ", "rights"),
    ("lawyer\nlegal aid\nадвокат\nюрист\nюридическая помощь\nҳуқуқшинос\nкӯмаки ҳуқуқӣ", "legal aid"),
    ("slavery\nforced labour\nрабство\nпринудительный труд\nғуломӣ\nмеҳнати маҷбурӣ", "forced labour"),
    ("consulate\nembassy\nконсульство\nпосольство\nконсулгарӣ\nсафорат", "consulate"),
    ("hotline\nhelpline\nгорячая линия\nтелефон доверия\nхатти боварӣ\nхатти доғ", "hotline"),
    ("test\ntesting\nтест\nанализ\nобследование\nсанҷиш\nташхис", "testing"),
]


def add(apps, schema_editor):
    SynonymSet = apps.get_model("search", "SynonymSet")
    SynonymSet.objects.bulk_create(SynonymSet(members=members, note=note) for members, note in STARTER)


def remove(apps, schema_editor):
    SynonymSet = apps.get_model("search", "SynonymSet")
    SynonymSet.objects.filter(note__in=[note for _m, note in STARTER]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0005_synonym_sets")]

    operations = [migrations.RunPython(add, remove)]
