# Sourced by bench/sync-e2e.sh and bench/live-sync.sh (not run on its own): one way to build the Mailroom they measure.
#
# publish_mailroom SNAPSHOT_DIR [HINT]
#   dotnet publish src/Mailroom.Server (Release, ReadyToRun) into $MAILROOM_BIN. With BUILD_FROM=snapshot it first
#   copies src/ and the build props to $WORK/SNAPSHOT_DIR and publishes there, so edits to the working tree during a
#   run cannot leak into it. Publishes beside the old build and swaps only on success, so a broken tree leaves the
#   last good build for BUILD=0; HINT is added to the error then.
#   Uses REPO, WORK, BUILD_FROM, KEEP, MAILROOM_BIN, log and die from the caller; sets SRC, SRC_SHA and BUILD_S.
publish_mailroom() {
  local snapshot="$1" hint="${2:-}" t0=$EPOCHREALTIME f
  if [ "$BUILD_FROM" = snapshot ]; then
    SRC="$WORK/$snapshot"
    rm -rf "$SRC"; mkdir -p "$SRC"
    for f in Directory.Build.props Directory.Packages.props global.json .editorconfig NuGet.config nuget.config; do
      if [ -e "$REPO/$f" ]; then cp -p "$REPO/$f" "$SRC/"; fi
    done
    tar -C "$REPO" --exclude=bin --exclude=obj -cf - src | tar -C "$SRC" -xf -
  else
    SRC="$REPO"
  fi
  # A fingerprint of exactly what was compiled (the working tree may differ from its commit).
  SRC_SHA=$(cd "$SRC" && find src -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' \) \
              -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
  log "dotnet publish src/Mailroom.Server -c Release, ReadyToRun (from $BUILD_FROM: $SRC, sources $SRC_SHA)"
  rm -rf "$MAILROOM_BIN.new"
  if ! (cd "$SRC" && dotnet publish src/Mailroom.Server -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$MAILROOM_BIN.new") >"$KEEP/build.log" 2>&1; then
    grep -E 'error|Error' "$KEEP/build.log" | sort -u | tail -20 >&2
    die "Mailroom does not build (log: $KEEP/build.log). BUILD=0 reuses the last good build${hint}."
  fi
  rm -rf "$MAILROOM_BIN"; mv "$MAILROOM_BIN.new" "$MAILROOM_BIN"
  BUILD_S=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  log "built in ${BUILD_S}s -> $MAILROOM_BIN/mailroom"
}
