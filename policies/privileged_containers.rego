# METADATA
# title: Containers are not privileged
# description: No container runs privileged or allows privilege escalation.
# custom:
#   id: privileged-containers
#   severity: warning
#   rationale: >-
#     A privileged container is root on its node; privilege escalation lets a compromised
#     process get there. Either turns one bug into a cluster incident.
#   remediation: >-
#     Remove securityContext.privileged and set securityContext.allowPrivilegeEscalation: false,
#     or waive the rule for the one workload that needs it, with a reason and an expiry.
package gitops_gate.privileged_containers

import data.gitops_gate.lib
import rego.v1

rule_id := "privileged-containers"

warn contains lib.result(rule_id, "warning", msg, array.concat(c.pointer, ["securityContext", "privileged"])) if {
	some c in lib.containers
	c.container.securityContext.privileged == true
	msg := sprintf("container \"%s\" runs privileged", [c.container.name])
}

warn contains lib.result(rule_id, "warning", msg, array.concat(c.pointer, ["securityContext", "allowPrivilegeEscalation"])) if {
	some c in lib.containers
	c.container.securityContext.allowPrivilegeEscalation == true
	msg := sprintf("container \"%s\" allows privilege escalation", [c.container.name])
}
