#!/usr/bin/env python3
"""Validates the JSON files of Waymark's open data against their JSON Schemas.

Usage: validate_json.py OUTPUT_FOLDER...

For each built site's data/ folder: every schema under data/schema/ must be a valid JSON Schema
(draft 2020-12), and every data/*.json but datapackage.json must name one of them in "$schema"
and be valid against it, formats ("uri", "date") included. Exits 1 on the first folder with a
problem, after printing every problem in it.
"""

import json
import sys
from pathlib import Path
from urllib.parse import urlparse

from jsonschema import Draft202012Validator, FormatChecker


def main(folders):
    checker = FormatChecker()
    missing = {"uri", "date"} - set(checker.checkers)
    if missing:
        sys.exit(f"the format checker cannot check {sorted(missing)}: install jsonschema[format-nongpl]")
    failed = False
    for folder in folders:
        data = Path(folder) / "data"
        schemas = {}
        for path in sorted((data / "schema").glob("*.schema.json")):
            schema = json.loads(path.read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
            schemas[path.name] = schema
        files = sorted(p for p in data.glob("*.json") if p.name != "datapackage.json")
        if not files:
            sys.exit(f"{data}: no JSON files")
        for path in files:
            document = json.loads(path.read_text(encoding="utf-8"))
            name = Path(urlparse(document["$schema"]).path).name
            schema = schemas.get(name)
            if schema is None:
                print(f"{path}: its $schema {document['$schema']} is not in {data / 'schema'}")
                failed = True
                continue
            if schema["$id"] != document["$schema"]:
                print(f"{path}: $schema {document['$schema']} is not the schema's $id {schema['$id']}")
                failed = True
            errors = list(Draft202012Validator(schema, format_checker=checker).iter_errors(document))
            for error in errors:
                where = "/".join(str(p) for p in error.absolute_path)
                print(f"{path}: at /{where}: {error.message}")
            failed |= bool(errors)
            records = next(v for v in document.values() if isinstance(v, list))
            verdict = f"{len(errors)} problems" if errors else "valid"
            print(f"{path}: {verdict} against {name} ({len(records)} records)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
