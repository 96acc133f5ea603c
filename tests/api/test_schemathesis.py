"""The API against its own OpenAPI schema: schemathesis generates requests for every operation (reads
anonymously, writes with an editor's token) and checks that none fails with a 5xx and that every
response conforms to the schema: status code, content type, headers and body.

The schema is read from the running app at collection (the schema view touches no database);
`schemathesis.pytest.from_fixture` would read it per test, but it relies on a pytest attribute that
pytest 9 no longer has.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from mediateka.catalogue.models import Status, Theme
from mediateka.search.index import reindex_all

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def catalogue(rich_film, make_film, tokens):
    make_film("a-draft", status=Status.DRAFT)
    make_film("archived-one", status=Status.ARCHIVED)
    Theme.objects.create(key="trafficking", name_en="Trafficking")
    reindex_all()
    # The WSGI handler closes "old" connections at each request's end, which would close the test's
    # transaction; Django's own test client disconnects the same receivers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield tokens
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, catalogue):
    if case.method == "GET":
        case.call_and_validate()
        return
    # A write may be schema-valid and still refused with a documented 422: an unknown theme, a slug
    # that is taken, a caption file that is not captions. That is the admin's validation, not a fault.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {catalogue['editor']}"}, excluded_checks=[positive_data_acceptance]
    )
