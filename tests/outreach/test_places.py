"""The place reference: Tajikistan's regions, districts and cities, named in three languages."""

from mediateka.outreach import places


def test_five_regions_with_47_districts_and_17_cities_besides_dushanbe():
    assert list(places.REGIONS) == ["sughd", "khatlon", "gbao", "drs", "dushanbe"]
    kinds = [p.kind for p in places.DISTRICTS.values()]
    assert kinds.count("district") == 47
    assert kinds.count("city") == 17
    assert kinds.count("city-district") == 4


def test_every_place_is_named_in_english_russian_and_tajik():
    for place in [*places.REGIONS.values(), *places.DISTRICTS.values()]:
        assert set(place.names) == {"en", "ru", "tg"} and all(place.names.values()), place.key


def test_names_and_former_names_find_the_district():
    assert places.find_district("Qurghonteppa") == "bokhtar"
    assert places.find_district("Куляб") == "kulob"
    assert places.find_district("кӯлоб") == "kulob"
    assert places.find_district("Jirgatol") == "lakhsh"
    assert places.find_district("Ghonchi") == "devashtich"
    assert places.find_district("nowhere") is None
    assert places.find_region("ГБАО") == "gbao"


def test_no_spelling_names_two_places():
    seen = {}
    for key, place in places.DISTRICTS.items():
        for spelling in (*place.names.values(), *place.formerly):
            folded = spelling.casefold()
            assert seen.setdefault(folded, key) == key, f"{spelling}: {seen[folded]} and {key}"
