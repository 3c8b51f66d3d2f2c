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

problem(text, i, field) := lib.result(rule_id, "error", concat("", ["sync window ", format_int(i + 1, 10), ": ", text]), ["spec", "syncWindows", i, field])

deny contains problem(concat("", ["kind must be allow or deny, not \"", kind, "\""]), i, "kind") if {
	some i, w in windows
	kind := text(object.get(w, "kind", ""))
	not kind in {"allow", "deny"}
}

deny contains problem(concat("", ["schedule \"", schedule, "\" is not a 5-field cron expression (minute hour day month weekday)"]), i, "schedule") if {
	some i, w in windows
	schedule := text(object.get(w, "schedule", ""))
	not valid_cron(schedule)
}

deny contains problem(concat("", ["duration \"", duration, "\" is not a duration like 1h, 30m or 1h30m"]), i, "duration") if {
	some i, w in windows
	duration := text(object.get(w, "duration", ""))
	not valid_duration(duration)
}

deny contains problem(concat("", ["time zone \"", text(tz), "\" is not a known IANA time zone"]), i, "timeZone") if {
	some i, w in windows
	tz := object.get(w, "timeZone", "")
	tz != ""
	not known_zone(tz)
}

deny contains problem(concat("", ["description has ", format_int(count(d), 10), " characters, more than 255"]), i, "description") if {
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

valid_duration(d) if {
	regex.match(`^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`, d)
	regex.match(`[1-9]`, d)
}

descriptors := {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}

valid_cron(s) if trim_space(s) in descriptors

valid_cron(s) if {
	fields := [f | some f in regex.split(`\s+`, trim_space(s))]
	count(fields) == 5
	field_ok(fields[0], 0, 59, {})
	field_ok(fields[1], 0, 23, {})
	field_ok(fields[2], 1, 31, {})
	field_ok(fields[3], 1, 12, months)
	field_ok(fields[4], 0, 7, weekdays)
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

item_ok(item, lo, hi, names) if {
	parts := split(item, "/")
	count(parts) == 1
	range_ok(parts[0], lo, hi, names)
}

item_ok(item, lo, hi, names) if {
	parts := split(item, "/")
	count(parts) == 2
	regex.match(`^[0-9]+$`, parts[1])
	to_number(parts[1]) > 0
	range_ok(parts[0], lo, hi, names)
}

range_ok(r, _, _, _) if r in {"*", "?"}

range_ok(r, lo, hi, names) if {
	not r in {"*", "?"}
	bounds := split(r, "-")
	count(bounds) == 1
	value(bounds[0], lo, hi, names)
}

range_ok(r, lo, hi, names) if {
	bounds := split(r, "-")
	count(bounds) == 2
	a := value(bounds[0], lo, hi, names)
	b := value(bounds[1], lo, hi, names)
	a <= b
}

value(v, lo, hi, _) := n if {
	regex.match(`^[0-9]{1,2}$`, v)
	n := to_number(v)
	n >= lo
	n <= hi
}

value(v, _, _, names) := names[lower(v)] if regex.match(`^[A-Za-z]{3}$`, v)
