#!/usr/bin/env bash
# Print the pytest summary lines found in the given log files again, then one
# total line "units: N passed, N failed" (for CI, which reads closing lines).
# Prints nothing if no pytest ran.
set -euo pipefail

lines=$(grep -h -E '^(=+ )?([0-9]+ (passed|failed|errors?|skipped|xfailed|xpassed|warnings?|deselected)(, )?)+ in [0-9.]+s( \([0-9:]+\))?( =+)?$' "$@" 2>/dev/null || true)
[ -n "$lines" ] || exit 0

echo "$lines"
echo "$lines" | awk '
  { for (i = 1; i < NF; i++) {
      w = $(i + 1); sub(/,$/, "", w)
      if (w == "passed") p += $i
      else if (w == "failed" || w == "error" || w == "errors") f += $i
      else if (w == "skipped") s += $i
  } }
  END { printf "units: %d passed, %d failed%s\n", p, f, (s ? sprintf(", %d skipped", s) : "") }'
