# Cases for sync-windows (see no_latest_tag_cases_test.rego for how they are used).
package gitops_gate.cases.sync_windows

import rego.v1

project(windows) := {
	"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject", "metadata": {"name": "prod", "namespace": "argocd"},
	"spec": {"syncWindows": windows},
}

window(extra) := object.union({"kind": "allow", "schedule": "10 1 * * *", "duration": "1h"}, extra)

prod := {"environment": "production", "production": true, "autoSync": false}

long := concat("", ["x" | some _ in numbers.range(1, 256)])

cases := [
	{"name": "argo docs windows", "deny": 0, "input": project([
		window({"applications": ["*-prod"], "manualSync": true}),
		window({"schedule": "0 9 * * *", "duration": "8h"}),
		window({"kind": "deny", "schedule": "0 22 * * *", "timeZone": "Europe/Amsterdam", "syncOverrun": true}),
	])},
	{"name": "month and weekday names", "input": project([window({"schedule": "0 6 1-15 Jan-Mar Mon-Fri"})]), "deny": 0},
	{"name": "lists and steps", "input": project([window({"schedule": "*/15 0,12 */2 * 1-5"})]), "deny": 0},
	{"name": "descriptor (Argo CD parses without descriptors)", "input": project([window({"schedule": "@daily"})]), "deny": 1},
	{"name": "signed and zero-padded numbers", "input": project([window({"schedule": "+5 005 +1 * *"})]), "deny": 0},
	{"name": "empty list item", "input": project([window({"schedule": "1,,15 * * * *"})]), "deny": 0},
	{"name": "star before a hyphen", "input": project([window({"schedule": "*-5 * * * *-Fri"})]), "deny": 0},
	{"name": "weekday 7", "input": project([window({"schedule": "0 0 * * 7"})]), "deny": 1},
	{"name": "weekday names in a step", "input": project([window({"schedule": "0 0 * * mon/2"})]), "deny": 0},
	{"name": "time zone prefix", "input": project([window({"schedule": "TZ=UTC 0 0 * * *"})]), "deny": 1},
	{"name": "fraction without leading digit", "input": project([window({"duration": ".5h"})]), "deny": 0},
	{"name": "signed duration", "input": project([window({"duration": "+1h"})]), "deny": 0},
	{"name": "negative duration", "input": project([window({"duration": "-1h"})]), "deny": 0, "warn": 1},
	{"name": "duration without unit", "input": project([window({"duration": "11"})]), "deny": 1},
	{"name": "unknown kind", "input": project([window({"kind": "maybe"})]), "deny": 1},
	{"name": "missing kind", "input": project([{"schedule": "* * * * *", "duration": "1h"}]), "deny": 1},
	{"name": "six fields", "input": project([window({"schedule": "0 0 10 1 * *"})]), "deny": 1},
	{"name": "minute out of range", "input": project([window({"schedule": "61 * * * *"})]), "deny": 1},
	{"name": "bad month name", "input": project([window({"schedule": "0 0 * Foo *"})]), "deny": 1},
	{"name": "backwards range", "input": project([window({"schedule": "0 0 * * 5-1"})]), "deny": 1},
	{"name": "zero step", "input": project([window({"schedule": "*/0 * * * *"})]), "deny": 1},
	{"name": "bad duration", "input": project([window({"duration": "1 hour"})]), "deny": 1},
	{"name": "zero duration", "input": project([window({"duration": "0h"})]), "deny": 0, "warn": 1},
	{"name": "compound duration", "input": project([window({"duration": "1h30m"})]), "deny": 0},
	{"name": "unknown time zone", "input": project([window({"timeZone": "Mars/Olympus"})]), "deny": 0, "warn": 1},
	{"name": "long description", "input": project([window({"description": long})]), "deny": 1},
	{"name": "two problems in one window", "input": project([window({"kind": "x", "duration": "forever"})]), "deny": 2},
	{
		"name": "not an AppProject", "deny": 0,
		"input": {"apiVersion": "cattage.cybozu.io/v1beta1", "kind": "SyncWindow", "metadata": {"name": "s"}, "spec": {"syncWindows": [{"kind": "bad"}]}},
	},
	{
		"name": "production project without windows", "deny": 1, "context": prod,
		"input": project([]), "config": {"sync-windows": {"requireInProduction": true}},
	},
	{"name": "windows not required by default", "input": project([]), "context": prod, "deny": 0},
]
