# METADATA
# title: Containers declare requests and limits
# description: Every container and init container sets resources.requests and resources.limits.
# custom:
#   id: container-resources
#   severity: warning
#   rationale: >-
#     Without requests the scheduler packs pods blind; without limits one pod can starve its
#     node. Both make incidents that look like someone else's fault.
#   remediation: Set resources.requests (cpu, memory) and resources.limits (at least memory).
package gitops_gate.container_resources

import data.gitops_gate.lib
import rego.v1

rule_id := "container-resources"

warn contains lib.result(rule_id, "warning", msg, array.concat(c.pointer, ["resources"])) if {
	some c in lib.containers
	c.field != "ephemeralContainers"
	some part in ["requests", "limits"]
	not declared(c.container, part)
	msg := sprintf("container \"%s\" sets no resource %s", [c.container.name, part])
}

declared(container, part) if {
	values := container.resources[part]
	is_object(values)
	count(values) > 0
}
