# METADATA
# title: Sync windows are well formed
# description: >-
#   Every AppProject sync window has kind allow or deny, a 5-field cron schedule, a
#   duration, a known time zone and a short description; production projects can be
#   required to declare one.
# custom:
#   id: sync-windows
#   severity: error
#   rationale: >-
#     Argo CD ignores or rejects a malformed window at sync time, so a freeze the team relies
#     on silently does not exist; the gate catches it while it is still a pull request.
#   remediation: >-
#     Fix the window: kind allow|deny, schedule like "0 22 * * Mon-Fri", duration like 1h30m,
#     an IANA time zone such as Europe/Amsterdam, a description of at most 255 characters.
package gitops_gate.sync_windows

import data.gitops_gate.lib
import rego.v1

rule_id := "sync-windows"

is_project if {
	input.kind == "AppProject"
	startswith(object.get(input, "apiVersion", ""), "argoproj.io/")
}

windows := w if {
	is_project
	w := object.get(object.get(input, "spec", {}), "syncWindows", [])
	is_array(w)
}

# Windows are numbered from 0, as `argocd proj windows list` numbers them.
problem(severity, text, i, field) := lib.result(rule_id, severity, concat("", ["sync window ", format_int(i, 10), ": ", text]), ["spec", "syncWindows", i, field])

blocks := "Argo CD cannot parse it and refuses every sync of the applications it matches, manual ones too"

deny contains problem("error", concat("", ["kind must be allow or deny, not \"", kind, "\""]), i, "kind") if {
	some i, w in windows
	kind := text(object.get(w, "kind", ""))
	not kind in {"allow", "deny"}
}

deny contains problem("error", concat("", ["schedule \"", schedule, "\" is not a 5-field cron expression (minute hour day month weekday): ", blocks]), i, "schedule") if {
	some i, w in windows
	schedule := text(object.get(w, "schedule", ""))
	not valid_cron(schedule)
}

deny contains problem("error", concat("", ["duration \"", duration, "\" is not a duration like 1h, 30m or 1h30m: ", blocks]), i, "duration") if {
	some i, w in windows
	duration := text(object.get(w, "duration", ""))
	not valid_duration(duration)
}

warn contains problem("warning", concat("", ["duration \"", duration, "\" is not positive: Argo CD keeps the window but it never opens"]), i, "duration") if {
	some i, w in windows
	duration := text(object.get(w, "duration", ""))
	valid_duration(duration)
	not positive_duration(duration)
}

warn contains problem("warning", concat("", ["time zone \"", text(tz), "\" is not a known IANA time zone: Argo CD evaluates the window in UTC"]), i, "timeZone") if {
	some i, w in windows
	tz := object.get(w, "timeZone", "")
	tz != ""
	not known_zone(tz)
}

deny contains problem("error", concat("", ["description has ", format_int(count(d), 10), " characters, more than 255"]), i, "description") if {
	some i, w in windows
	d := object.get(w, "description", "")
	is_string(d)
	count(d) > 255
}

deny contains lib.result(rule_id, "error", msg, ["spec"]) if {
	is_project
	lib.production
	lib.setting(rule_id, "requireInProduction", false) == true
	count(object.get(object.get(input, "spec", {}), "syncWindows", [])) == 0
	msg := concat("", ["AppProject ", input.metadata.name, " is in production but declares no sync window"])
}

text(x) := x if is_string(x)

text(x) := sprintf("%v", [x]) if not is_string(x)

# Time zones come from the gate (Python's zoneinfo), the same list for both engines.
known_zone(tz) if data.gitops_gate.timezones[tz]

known_zone("UTC")

known_zone("Local")

# Go's time.ParseDuration: an optional sign, then number-unit pairs (`1h30m`, `.5h`, `5.h`),
# or a bare 0.
valid_duration(d) if regex.match(`^[-+]?0$`, d)

valid_duration(d) if regex.match(`^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`, d)

positive_duration(d) if {
	not startswith(d, "-")
	regex.match(`[1-9]`, d)
}

# robfig/cron v3 as Argo CD configures it: five fields, no descriptors (`@daily`), numbers as
# strconv.Atoi reads them (`+5`, `005`), empty list items skipped (`1,,15`), and only the
# part before a hyphen read when it is `*` or `?` (`*-5` is `*`).
valid_cron(s) if {
	fields := [f | some f in regex.split(`\s+`, trim_space(without_zone(s)))]
	count(fields) == 5
	not startswith(fields[0], "@")
	field_ok(fields[0], 0, 59, {})
	field_ok(fields[1], 0, 23, {})
	field_ok(fields[2], 1, 31, {})
	field_ok(fields[3], 1, 12, months)
	field_ok(fields[4], 0, 6, weekdays)
}

# robfig takes a `TZ=Zone ` or `CRON_TZ=Zone ` prefix; gitops-gate does not evaluate it.
without_zone(s) := substring(s, i, -1) if {
	zone_prefix(s)
	i := indexof(s, " ")
	i >= 0
}

without_zone(s) := s if not zone_prefix(s)

zone_prefix(s) if startswith(s, "TZ=")

zone_prefix(s) if startswith(s, "CRON_TZ=")

deny contains problem("error", concat("", ["schedule \"", schedule, "\" starts with a time zone: gitops-gate does not evaluate it (set timeZone instead)"]), i, "schedule") if {
	some i, w in windows
	schedule := text(object.get(w, "schedule", ""))
	zone_prefix(schedule)
	valid_cron(schedule)
}

months := {
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}

weekdays := {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}

field_ok(field, lo, hi, names) if {
	every item in split(field, ",") {
		item_ok(item, lo, hi, names)
	}
}

item_ok("", _, _, _)

item_ok(item, lo, hi, names) if {
	item != ""
	parts := split(item, "/")
	count(parts) == 1
	range_ok(parts[0], lo, hi, names)
}

item_ok(item, lo, hi, names) if {
	parts := split(item, "/")
	count(parts) == 2
	regex.match(`^\+?0*[1-9][0-9]*$`, parts[1])
	range_ok(parts[0], lo, hi, names)
}

range_ok(r, _, _, _) if split(r, "-")[0] in {"*", "?"}

range_ok(r, lo, hi, names) if {
	bounds := split(r, "-")
	not bounds[0] in {"*", "?"}
	count(bounds) == 1
	value(bounds[0], lo, hi, names)
}

range_ok(r, lo, hi, names) if {
	bounds := split(r, "-")
	not bounds[0] in {"*", "?"}
	count(bounds) == 2
	a := value(bounds[0], lo, hi, names)
	b := value(bounds[1], lo, hi, names)
	a <= b
}

value(v, lo, hi, names) := n if {
	not names[lower(v)]
	regex.match(`^\+?[0-9]+$`, v)
	n := int_of(v)
	n >= lo
	n <= hi
}

# strconv.Atoi's reading of `+5` and `005`, without asking to_number about leading zeros.
int_of(v) := 0 if trim_left(v, "+0") == ""

int_of(v) := to_number(t) if {
	t := trim_left(v, "+0")
	t != ""
}

value(v, _, _, names) := names[lower(v)]
