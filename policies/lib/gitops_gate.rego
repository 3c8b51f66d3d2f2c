# Helpers shared by gitops-gate's built-in policies: context, pod specs, containers, names.
package gitops_gate.lib

import rego.v1

# The context of the resource under evaluation: its environment and the gate's policy config.
# conftest sees one input file per resource and finds it in `files`; the built-in engine and
# `conftest verify` tests set `current`.
context := c if {
	c := data.gitops_gate.context.files[data.conftest.file.name]
} else := c if {
	c := data.gitops_gate.context.current
} else := {"environment": "", "production": false, "autoSync": true}

production if context.production == true

# Settings of one rule from `.gitops-gate.yaml` (policy.rules.<id>), or {}.
settings(rule_id) := s if {
	s := data.gitops_gate.config.rules[rule_id]
} else := {}

setting(rule_id, key, fallback) := object.get(settings(rule_id), key, fallback)

workload_kinds := {
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
	"ReplicationController", "Job", "CronJob", "Rollout",
}

is_workload if {
	input.kind in workload_kinds
	input.kind != "Rollout"
}

is_workload if {
	input.kind == "Rollout"
	startswith(object.get(input, "apiVersion", ""), "argoproj.io/")
}

# [pointer parts to the pod spec, pod spec] for the resource's pods.
pod_spec := [["spec"], input.spec] if {
	is_workload
	input.kind == "Pod"
	is_object(input.spec)
}

pod_spec := [["spec", "jobTemplate", "spec", "template", "spec"], s] if {
	is_workload
	input.kind == "CronJob"
	s := input.spec.jobTemplate.spec.template.spec
	is_object(s)
}

pod_spec := [["spec", "template", "spec"], s] if {
	is_workload
	not input.kind in {"Pod", "CronJob"}
	s := input.spec.template.spec
	is_object(s)
}

container_fields := ["initContainers", "containers", "ephemeralContainers"]

# Every container as {"pointer": [...], "container": {...}, "field": "containers"}.
containers contains {"pointer": array.concat(pod_spec[0], [field, i]), "container": c, "field": field} if {
	some field in container_fields
	list := object.get(pod_spec[1], field, [])
	is_array(list)
	some i, c in list
	is_object(c)
}

pointer(parts) := concat("", [concat("", ["/", part_text(p)]) | some p in parts])

part_text(p) := p if is_string(p)

part_text(p) := format_int(p, 10) if is_number(p)

resource_name := sprintf("%s %s", [input.kind, object.get(object.get(input, "metadata", {}), "name", "")])

# Messages: build them with concat, or sprintf over input values and numbers only. rego-cpp's
# sprintf quotes strings that other built-ins (concat, lower) returned; conftest does not.

# Names that hold credentials: PASSWORD, DB_PASSWD, API_KEY, client-secret, id_token, ...
credential_pattern := `(passw(or)?d|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|credential|auth[_-]?key|client[_-]?secret|connection[_-]?string)`

# Names that point at a credential rather than hold one: ALLOYDB_SECRET_NAME, TOKEN_REF,
# API_KEY_NAME, DB_PASSWORD_FILE, vault-secret-path, secretName. Their value is a name or path.
reference_pattern := `(^|[_.-])(names?|refs?|references?|files?|paths?)$`

camel_reference_pattern := `[a-z0-9](Names?|Refs?|References?|Files?|Paths?)$`

credential_like(name) if {
	is_string(name)
	regex.match(credential_pattern, lower(name))
	not regex.match(reference_pattern, lower(name))
	not regex.match(camel_reference_pattern, name)
}

result(rule_id, severity, message, parts) := {
	"msg": message,
	"rule": rule_id,
	"severity": severity,
	"pointer": pointer(parts),
}
