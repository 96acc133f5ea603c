"""Validation of the XML outputs against the schemas in xsd/ (see xsd/README)."""

from pathlib import Path

from lxml import etree

XSD = Path(__file__).parent / "xsd"


def validate(document: bytes, schema_file: str) -> etree._Element:
    schema = etree.XMLSchema(etree.parse(str(XSD / schema_file)))
    root = etree.fromstring(document)
    assert schema.validate(root), "\n".join(str(e) for e in schema.error_log)
    return root
