#!/usr/bin/env bash
# Regenerate the real JUnit files the reader tests use, with the real tools:
#   pytest --junitxml           -> pytest.xml
#   node --test (junit reporter) -> node.xml
# surefire.xml is real Maven Surefire output (see surefire.README); Maven Central is not
# reachable here, so it is committed rather than regenerated.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PY:-../../../.venv/bin/python}
"$PY" -m pytest -p no:cacheprovider -q sources/sample_suite.py --junitxml=pytest.xml \
  -o junit_family=xunit1 >/dev/null || true
node --test --test-reporter=junit --test-reporter-destination=node.xml sources/sample.test.mjs \
  >/dev/null 2>&1 || true
echo "wrote pytest.xml node.xml"
# jest.xml: `npm install jest jest-junit` in a scratch folder holding sources/jest/*, then
# `npx jest` (reporters default + jest-junit) writes junit.xml; it is committed as jest.xml.
