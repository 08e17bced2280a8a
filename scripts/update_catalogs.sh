#!/usr/bin/env bash
# Brings the pages' gettext catalogs in step with the templates: new messages get an empty
# translation (tests/web/test_catalogs.py then names them), removed ones are dropped.
# Translate the empty msgstr in each infra/web/locales/*/LC_MESSAGES/messages.po afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
pot=$(mktemp --suffix=.pot)
trap 'rm -f "$pot"' EXIT
.venv/bin/pybabel extract -F infra/web/locales/babel.cfg -o "$pot" --no-location \
  --sort-output --omit-header infra/web/templates
for locale in fr_CA fr_FR en; do
  .venv/bin/pybabel update -i "$pot" -d infra/web/locales -l "$locale" -w 100 \
    --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
done
