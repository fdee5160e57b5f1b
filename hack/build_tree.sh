#!/usr/bin/env bash
# Copy the collection's files (tracked, plus untracked ones that .gitignore
# does not exclude) into DEST (default .build/ansible_collections/aep/platform),
# the layout ansible-test needs. ansible-test resolves real paths, so a
# symlink does not work: this is a real copy, remade from scratch every time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/.build/ansible_collections/aep/platform}
cd "$root"

case "$dest" in
  */ansible_collections/aep/platform) ;;
  *) echo "build_tree.sh: refusing to write to $dest (must end in ansible_collections/aep/platform)" >&2; exit 2 ;;
esac

list=$(mktemp)
trap 'rm -f "$list"' EXIT

if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # -c: tracked, -o --exclude-standard: untracked but not ignored.
  # Tracked files deleted from the work tree are still listed: skip them.
  git ls-files -z -c -o --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    printf '%s\0' "$f"
  done > "$list"
else
  # Not a git checkout (e.g. an unpacked tarball): everything but the usual junk.
  find . \( -name .git -o -name .venv -o -name .build -o -name output -path './tests/output' \
            -o -name __pycache__ -o -name '*.egg-info' -o -path ./simulator/build \) -prune \
         -o \( -type f -o -type l \) -printf '%P\0' > "$list"
fi

rm -rf "$dest"
mkdir -p "$dest"
tar --null -T "$list" -cf - | tar -xf - -C "$dest"

# ansible-test finds the collection's files through the nearest enclosing git
# repository. Without one here it would use this checkout's repository, where
# .build/ is ignored, and see no file at all ("All targets skipped"). An empty
# repository (no commit needed) makes it list the copy's own files, minus
# what the copied .gitignore excludes (tests/output, caches).
git -C "$dest" init -q
echo "build_tree.sh: $(tr -cd '\0' < "$list" | wc -c) files copied to ${dest#"$root"/}"
