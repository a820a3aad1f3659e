#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The SARIF report against the OASIS SARIF 2.1.0 schema (errata01, JSON
# Schema draft-04, tests/fixtures/sarif/), and against the JSON report of
# the same input: one result per finding, in the same order and on the same
# lines; one notification per reader diagnostic; every ruleId the id of the
# rule its ruleIndex points at; what GitHub code scanning needs: an artifact
# URI on every result, and fingerprints it can tell apart.  Inputs:
# rules/examples/, each input of the golden directories alone, all of them
# at once, standard input, and a file whose absolute name needs
# percent-encoding.  Exits 77 without /usr/bin/python3's jsonschema or jq.
# usage: tests/lint/sarif.sh PORTOLAN    (from the source root)
set -u
portolan=$1
schema=tests/fixtures/sarif/sarif-schema-2.1.0.json
# the python3 on PATH may be a pyenv shim without jsonschema
py=/usr/bin/python3
{ [ -x "$py" ] && "$py" -c 'import jsonschema' 2>/dev/null; } ||
	{ echo "SKIP: $py or its jsonschema module is missing"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq is missing"; exit 77; }
[ -f "$schema" ] || { echo "FAIL: $schema is missing"; exit 1; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
n=0

# What the JSON report says about the same run, and what GitHub needs:
# over CASE.sarif CASE.json pairs, "CASE message" for each problem.
cat >"$tmp/check.jq" <<'EOF'
def check(cond; msg): if cond then empty else msg end;
def problems($sarif; $json):
$sarif.runs[0] as $r |
($r.tool.driver.rules | map(.id)) as $ids |
check(($sarif.runs | length) == 1; "\($sarif.runs | length) runs, not one"),
check(($ids | unique | length) == ($ids | length); "two rules with one id"),
check(($r.results | length) == ($json.findings | length);
      "\($r.results | length) results, \($json.findings | length) findings in the JSON report"),
check([$r.results[].ruleId] == [$json.findings[].id];
      "ruleIds differ from the ids of the JSON report"),
check([$r.results[] | .locations[0].physicalLocation.region.startLine] ==
      [$json.findings[].line]; "startLines differ from the lines of the JSON report"),
($r.results[] | select(.ruleId as $id | $ids | index([$id]) | not) |
	"ruleId \(.ruleId) is not in tool.driver.rules"),
($r.results[] | select((.ruleIndex | type) != "number" or $ids[.ruleIndex] != .ruleId) |
	"ruleIndex \(.ruleIndex) does not point at rule \(.ruleId)"),
($r.results[] | .locations[0].physicalLocation.artifactLocation |
	select(.uri == null and .description.text == null) | "a result without an artifact URI"),
([$r.results[], $r.invocations[0].toolExecutionNotifications[]?] |
	.[].locations[0].physicalLocation.artifactLocation.uri // empty |
	select(test("^(file://)?[A-Za-z0-9._~/%-]+$") | not) | "not a URI: \(.)"),
check(($r.invocations[0].toolExecutionNotifications // [] | length) ==
      ($json.diagnostics | length);
      "\($r.invocations[0].toolExecutionNotifications // [] | length) notifications, " +
      "\($json.diagnostics | length) diagnostics in the JSON report"),
([$r.results[].partialFingerprints["portolan/v1"]] |
	check(unique | length == length; "two results with one fingerprint")),
check($r.invocations[0].executionSuccessful == true; "executionSuccessful is not true");
[inputs | {file: input_filename, doc: .}] | range(0; length; 2) as $i |
.[$i] as $s | .[$i + 1] as $j |
problems($s.doc; $j.doc) | "\($s.file | sub("\\.sarif$"; "")) \(.)"
EOF

# lint LABEL ARGS...: the SARIF and JSON reports of one run, to check at
# the end, every run at once (one jq, one python: their start-up costs more
# than the checks).  Standard input is $tmp/stdin.
lint() {
	n=$((n + 1))
	echo "$1" >"$tmp/$n.label"
	shift
	"$portolan" lint --format sarif --no-config --fail-on never "$@" \
		<"$tmp/stdin" >"$tmp/$n.sarif" 2>"$tmp/$n.err"
	rc=$?
	"$portolan" lint --format json --no-config --fail-on never "$@" \
		<"$tmp/stdin" >"$tmp/$n.json" 2>/dev/null
	jrc=$?
	# for a sanitizer build
	grep -E 'runtime error:|Sanitizer' "$tmp/$n.err" >>"$tmp/$n.bad"
	if [ "$rc" -ne "$jrc" ]; then
		echo "exit status $rc, $jrc with --format json" >>"$tmp/$n.bad"
		cat "$tmp/$n.err" >>"$tmp/$n.bad"
	fi
}

: >"$tmp/stdin"
lint rules/examples/ rules/examples/
set --
for dir in tests/golden/ipt tests/golden/ipt-errors tests/golden/ipt-script \
	   tests/golden/nft tests/golden/nft-errors tests/golden/nft-tricky \
	   tests/fixtures/nft-json; do
	for input in "$dir"/*.nft "$dir"/*.json "$dir"/*.rules "$dir"/*.sh; do
		[ -f "$input" ] || continue
		set -- "$@" "$input"
		if [ -f "${input%.rules}.ipset" ]; then
			lint "$input" --ipset "${input%.rules}.ipset" "$input"
		else
			lint "$input" "$input"
		fi
	done
done
lint "every input at once" rules/examples/ "$@"
cp rules/examples/router-nat.nft "$tmp/stdin"
lint "standard input" -
mkdir "$tmp/a dir" && cp rules/examples/router-nat.nft "$tmp/a dir/r%sé:1.nft"
lint "an absolute name with odd bytes" "$tmp/a dir/r%sé:1.nft"

set --
i=0
while [ "$i" -lt "$n" ]; do
	i=$((i + 1))
	set -- "$@" "$tmp/$i"
done
# For each CASE: CASE.sarif against the schema, and "PAIR CASE" when it and
# CASE.json are JSON, for jq.
"$py" -c '
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
validator = cls(schema)
for case in sys.argv[2:]:
    try:
        with open(case + ".sarif", encoding="utf-8") as f:
            doc = json.load(f)
        with open(case + ".json", encoding="utf-8") as f:
            json.load(f)
    except ValueError as e:
        print("%s not JSON: %s" % (case, e))
        continue
    print("PAIR %s" % case)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for e in errors[:5]:
        print("%s schema: /%s: %s" % (case, "/".join(map(str, e.absolute_path)),
                                      e.message[:300]))
' "$schema" "$@" >"$tmp/problems" 2>"$tmp/py.err" || {
	echo "FAIL: the schema check did not run"
	cat "$tmp/py.err"
	exit 1
}
set --
sed -n 's/^PAIR //p' "$tmp/problems" >"$tmp/pairs"
while IFS= read -r case; do
	set -- "$@" "$case.sarif" "$case.json"
done <"$tmp/pairs"
[ $# -eq 0 ] || jq -nr -f "$tmp/check.jq" "$@" >>"$tmp/problems" 2>"$tmp/jq.err" || {
	echo "FAIL: the jq check did not run"
	cat "$tmp/jq.err"
	exit 1
}

pass=0 fail=0 i=0
while [ "$i" -lt "$n" ]; do
	i=$((i + 1))
	awk -v p="$tmp/$i " 'index($0, p) == 1 { print substr($0, length(p) + 1) }' \
		"$tmp/problems" >>"$tmp/$i.bad"
	if [ -s "$tmp/$i.bad" ]; then
		echo "FAIL: $(cat "$tmp/$i.label")"
		sed 's/^/  /' "$tmp/$i.bad" | head -n 20
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
