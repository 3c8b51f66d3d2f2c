# An example of your own policy: every workload says which project it is part of.
# `gitops-gate policy` runs it next to the built-in rules; `gitops-gate policy list` shows them.
# A result is an object with msg, rule (its id in findings and waivers), severity and pointer
# (the field that is wrong, so the finding gets its line); a plain string works too.
package repo.required_labels

import rego.v1

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}

deny contains result if {
	input.kind in workload_kinds
	not input.metadata.labels["app.kubernetes.io/part-of"]
	result := {
		"msg": sprintf(
			"%s/%s has no app.kubernetes.io/part-of label (add it so its owners can be found)",
			[input.kind, input.metadata.name],
		),
		"rule": "required-part-of-label",
		"severity": "error",
		"pointer": "/metadata",
	}
}
