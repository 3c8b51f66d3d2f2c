# METADATA
# title: Workloads have their own namespace
# description: No workload is placed in the default namespace.
# custom:
#   id: default-namespace
#   severity: warning
#   rationale: >-
#     The default namespace has no owner, quota or network policy of its own; workloads there
#     mix with everything else and are hard to clean up.
#   remediation: Set metadata.namespace to the team's or application's namespace.
package gitops_gate.default_namespace

import data.gitops_gate.lib
import rego.v1

rule_id := "default-namespace"

warn contains lib.result(rule_id, "warning", msg, ["metadata", "namespace"]) if {
	lib.is_workload
	input.metadata.namespace == "default"
	msg := sprintf("%s is in the default namespace", [lib.resource_name])
}
