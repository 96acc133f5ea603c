"""The one fallback picker: the requested language, else the first fallback with more than blanks."""

from mediateka.mission.translated import LANGUAGES, first_written, in_fallback_order


def test_the_languages_are_the_settings_languages_in_their_order():
    assert LANGUAGES == ("en", "ru", "tg")
    assert in_fallback_order("tg") == ("tg", "en", "ru")


def test_the_requested_text_comes_first_and_blanks_fall_back_in_order():
    texts = {"en": "Safe migration", "ru": "Безопасная миграция", "tg": "  "}
    assert first_written(texts.get, "ru").text == "Безопасная миграция"
    found = first_written(texts.get, "tg")
    assert (found.text, found.language, found.is_fallback) == ("Safe migration", "en", True)
    found = first_written({"ru": "Только по-русски", "en": None}.get, "tg")
    assert (found.text, found.language, found.is_fallback) == ("Только по-русски", "ru", True)


def test_no_text_in_any_language_is_empty_in_the_requested_one_and_no_fallback():
    found = first_written({"en": "", "ru": " \n"}.get, "ru")
    assert (found.text, found.language, found.is_fallback) == ("", "ru", False)
