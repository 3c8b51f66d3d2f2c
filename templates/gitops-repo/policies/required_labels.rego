# An example of your own policy: every workload says which project it is part of.
# `gitops-gate policy` runs it next to the built-in rules; `gitops-gate policy list` shows them.
# A result is an object with msg, rule (its id in findings and waivers), severity and pointer
# (the field that is wrong, so the finding gets its line); a plain string works too.
package repo.required_labels

import rego.v1

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}

deny contains result if {
	some result in violations(input)
}

# The check as a function of the resource: its tests call it directly, so they run the same on
# conftest and on the built-in engine (which cannot evaluate every rule under `with input as`).
violations(resource) := {result |
	resource.kind in workload_kinds
	not resource.metadata.labels["app.kubernetes.io/part-of"]
	result := {
		"msg": sprintf(
			"%s/%s has no app.kubernetes.io/part-of label (add it so its owners can be found)",
			[resource.kind, resource.metadata.name],
		),
		"rule": "required-part-of-label",
		"severity": "error",
		"pointer": "/metadata",
	}
}
