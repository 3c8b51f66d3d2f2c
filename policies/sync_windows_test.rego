package gitops_gate.sync_windows_test

import data.gitops_gate.case_defaults as defaults
import data.gitops_gate.cases.sync_windows.cases as table
import data.gitops_gate.sync_windows as policy
import rego.v1

# One rule per kind of result: every case must produce exactly its expected count.

deny_count_ok(c) if {
	ctx := object.get(c, "context", defaults.context)
	found := policy.deny with input as c.input
		with data.gitops_gate.context.current as ctx
		with data.gitops_gate.config.rules as object.get(c, "config", {})
		with data.gitops_gate.environments as object.get(c, "environments", defaults.environments)
		with data.gitops_gate.timezones as defaults.timezones
	count(found) == object.get(c, "deny", 0)
}

warn_count_ok(c) if {
	ctx := object.get(c, "context", defaults.context)
	found := policy.warn with input as c.input
		with data.gitops_gate.context.current as ctx
		with data.gitops_gate.config.rules as object.get(c, "config", {})
		with data.gitops_gate.environments as object.get(c, "environments", defaults.environments)
		with data.gitops_gate.timezones as defaults.timezones
	count(found) == object.get(c, "warn", 0)
}

test_warn_cases if {
	failed := [c.name | some c in table; not warn_count_ok(c)]
	print("warn cases that failed:", failed)
	count(failed) == 0
}

test_deny_cases if {
	failed := [c.name | some c in table; not deny_count_ok(c)]
	print("deny cases that failed:", failed)
	count(failed) == 0
}
