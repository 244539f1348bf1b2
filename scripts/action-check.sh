#!/usr/bin/env bash
# The check step of action.yml: turns the action's inputs (passed as FLEET_IAM_* environment
# variables, never pasted into the script) into `fleet-iam check` flags, runs it for the log in
# FLEET_IAM_FORMAT, and again as SARIF into FLEET_IAM_SARIF_FILE when that is set.
#
# Lists (paths, var-file, exclude, args) are split on whitespace (spaces, tabs, newlines), so an
# item cannot contain one; `select` and `ignore` are split on commas and whitespace. Nothing is
# glob-expanded by the shell: an `exclude` glob reaches fleet-iam as written.
#
# Writes `exit-code=N` to GITHUB_OUTPUT: the status of the run for the log (0: no finding at
# fail-on, 1: findings at fail-on, 2: fleet-iam could not check). Exits 2 when fleet-iam could
# not check, 0 otherwise, so that the report can be uploaded before the action fails on findings.
# Runs under the bash 3.2 of macOS runners too.
set -euo pipefail

bin=${FLEET_IAM_BIN:?FLEET_IAM_BIN: the fleet-iam binary}
out=${GITHUB_OUTPUT:-/dev/null}

# words NAME TEXT: NAME=(TEXT split on whitespace), without glob expansion.
words() {
    local IFS=$' \t\n'
    read -r -d '' -a "$1" <<<"$2" || true
}

# commas TEXT: TEXT's items, split on commas and whitespace, joined by commas.
commas() {
    local items=() joined="" item
    words items "${1//,/ }"
    for item in ${items[@]+"${items[@]}"}; do
        joined+="${joined:+,}$item"
    done
    printf '%s' "$joined"
}

# Declared empty first: bash 3.2 may leave an array unset when read finds no word.
var_files=() excludes=() extra=() paths=()
args=(check --fail-on "${FLEET_IAM_FAIL_ON:-error}")
if [ -n "${FLEET_IAM_CONFIG:-}" ]; then args+=(--config "$FLEET_IAM_CONFIG"); fi
select=$(commas "${FLEET_IAM_SELECT:-}")
if [ -n "$select" ]; then args+=(--select "$select"); fi
ignore=$(commas "${FLEET_IAM_IGNORE:-}")
if [ -n "$ignore" ]; then args+=(--ignore "$ignore"); fi
if [ -n "${FLEET_IAM_BASELINE:-}" ]; then args+=(--baseline "$FLEET_IAM_BASELINE"); fi
words var_files "${FLEET_IAM_VAR_FILE:-}"
for file in ${var_files[@]+"${var_files[@]}"}; do args+=(--var-file "$file"); done
words excludes "${FLEET_IAM_EXCLUDE:-}"
for glob in ${excludes[@]+"${excludes[@]}"}; do args+=(--exclude "$glob"); done
words extra "${FLEET_IAM_ARGS:-}"
args+=(${extra[@]+"${extra[@]}"})
words paths "${FLEET_IAM_PATHS:-}"
if [ ${#paths[@]} -eq 0 ]; then paths=(.); fi

status=0
"$bin" "${args[@]}" --format "${FLEET_IAM_FORMAT:-github}" -- "${paths[@]}" || status=$?

sarif=${FLEET_IAM_SARIF_FILE:-}
if [ -n "$sarif" ] && [ "$status" -ne 2 ]; then
    if ! { : >"$sarif"; } 2>/dev/null; then
        echo "::error title=fleet-iam::cannot write the SARIF report to $sarif"
        status=2
    else
        # Its exit status is that of the run above, unless it could not check.
        sarif_status=0
        "$bin" "${args[@]}" --format sarif -- "${paths[@]}" >"$sarif" || sarif_status=$?
        if [ "$sarif_status" -eq 2 ]; then status=2; fi
    fi
fi

echo "exit-code=$status" >>"$out"
# 2: fleet-iam could not check (its message is above).
if [ "$status" -eq 2 ]; then exit 2; fi
exit 0
