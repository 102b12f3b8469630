# shellcheck shell=bash
# Headless Chromium for the HTML safety browser tests (tests/Mailroom.IntegrationTests/Html): Debian's `chromium`,
# driven by Playwright for .NET through PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH. Playwright never downloads a browser.
# Source it from test-env.sh; never run it.

MR_CHROMIUM="${PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH:-/usr/bin/chromium}"

# Installs the package when missing (root; SKIP_APT=1 skips, as for the other servers).
chromium_install() {
  [ "${SKIP_APT:-0}" = 1 ] && return 0
  [ -x "$MR_CHROMIUM" ] && return 0
  mr_log "apt-get install chromium (browser tests)"
  mr_apt_install chromium fonts-liberation
}

# A headless start that prints the DOM of a tiny page proves the browser runs here (as root: --no-sandbox).
chromium_check() {
  [ -x "$MR_CHROMIUM" ] || mr_die "chromium not found at $MR_CHROMIUM"
  local out
  out=$(timeout 60 "$MR_CHROMIUM" --headless --no-sandbox --disable-gpu --dump-dom \
    'data:text/html,<p id=ok>mailroom-chromium-ok</p>' 2>/dev/null) || true
  case "$out" in
    *mailroom-chromium-ok*) ;;
    *) mr_die "chromium at $MR_CHROMIUM did not render a page headless" ;;
  esac
}
