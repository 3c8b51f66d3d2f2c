# An example custom policy: every workload says which project it is part of.
# `conftest verify --policy policies` runs the tests next to it.
package main

import rego.v1

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}

deny contains msg if {
	input.kind in workload_kinds
	not input.metadata.labels["app.kubernetes.io/part-of"]
	msg := sprintf(
		"%s/%s has no app.kubernetes.io/part-of label (add it so owners can be found)",
		[input.kind, input.metadata.name],
	)
}
