#!/usr/bin/env bash
# `make test`: set everything up (Chromium included) and run the whole test suite, browser tests too.
source "$(dirname "$0")/setup.sh" requirements-test.txt
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "Installing Debian's chromium for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
  else
    die "The browser tests need Debian's chromium: run 'sudo apt-get install -y chromium'."
  fi
fi
mkdir -p staticfiles  # WhiteNoise warns on every request when STATIC_ROOT is missing
say "Running the tests"
exec .venv/bin/python -m pytest "$@"
