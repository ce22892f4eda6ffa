#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Privacy: walks every screen of the app (the screenshot driver: first run,
# clients in five scripts, their files, conversations with drafts, a return
# plan, preferences, the recovery-key unlock) with HOME, the XDG folders and
# TMPDIR in a fresh folder. The driver removes its vaults when it ends; what
# else is left there (caches, recently-used lists, logs, settings), and
# everything the program printed, must hold no client's name or note.
#   no-plaintext-left.sh KOERS_SCREENSHOTS GTK_CONFIG_DIR
set -euo pipefail

driver="$1"
gtk_config="$2"
root="$(mktemp -d "${TMPDIR:-/tmp}/koers-privacy-XXXXXX")"
trap 'rm -rf "$root"' EXIT
for d in home config cache data state tmp; do mkdir -p "$root/$d"; done
cp -r "$gtk_config/." "$root/config/"

# Names and words the driver types, in their scripts.
secrets=("محمد عبد الله" "Mohammed Abdallah" "ተስፋይ ሃይለ" "Олена Коваленко" "زهرا احمدی"
         "Mariam Haile" "Dawit Bekele" "Yonas Tekle" "hij bedankte de tolk")

found_in() { # found_in FOLDER: the files under it that hold a secret
  local hits=0
  for secret in "${secrets[@]}"; do
    if grep -r -a -l -F -- "$secret" "$1"; then hits=1; fi
  done
  return $((1 - hits))
}

# The scan finds a name where there is one (UTF-8, any script).
printf 'x %s x' "${secrets[2]}" > "$root/tmp/control"
found_in "$root/tmp" > /dev/null || { echo "FAIL: the scan missed a planted name"; exit 1; }
rm "$root/tmp/control"

status=0
env HOME="$root/home" XDG_CONFIG_HOME="$root/config" XDG_CACHE_HOME="$root/cache" \
    XDG_DATA_HOME="$root/data" XDG_STATE_HOME="$root/state" TMPDIR="$root/tmp" \
    "$driver" --check-accessible > "$root/output.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  cat "$root/output.log"
  echo "FAIL: the screen walk failed ($status)"
  exit 1
fi

if found_in "$root"; then
  echo "FAIL: client data left outside the vault in the files above"
  exit 1
fi
find "$root" -type f -printf "left: %P (%s bytes)\n"
echo "ok: none of the files left by the walk holds client data"
