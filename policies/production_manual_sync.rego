# METADATA
# title: Production syncs by hand
# description: >-
#   Argo CD Applications, ApplicationSet templates and Flux Kustomizations that target a
#   production environment do not sync automatically, unless the environment allows it.
# custom:
#   id: production-manual-sync
#   severity: error
#   rationale: >-
#     Automatic sync turns every merge into a production change with nobody watching; a
#     manual sync (or a suspended Kustomization) keeps a person and a sync window in the loop.
#   remediation: >-
#     Remove spec.syncPolicy.automated (Argo CD) or set spec.suspend: true (Flux), or set
#     autoSync: true on the environment in .gitops-gate.yaml if it really should.
package gitops_gate.production_manual_sync

import data.gitops_gate.lib
import rego.v1

rule_id := "production-manual-sync"

argo(kind) if {
	input.kind == kind
	startswith(object.get(input, "apiVersion", ""), "argoproj.io/")
}

automated(policy) if {
	is_object(policy.automated)
	object.get(policy.automated, "enabled", true) != false
}

# [description, pointer parts, app spec] of what syncs automatically.
automatic contains ["Application", ["spec", "syncPolicy", "automated"], input.spec] if {
	argo("Application")
	automated(input.spec.syncPolicy)
}

automatic contains ["ApplicationSet template", ["spec", "template", "spec", "syncPolicy", "automated"], input.spec.template.spec] if {
	argo("ApplicationSet")
	automated(input.spec.template.spec.syncPolicy)
}

automatic contains ["Flux Kustomization", ["spec", "suspend"], input.spec] if {
	input.kind == "Kustomization"
	startswith(object.get(input, "apiVersion", ""), "kustomize.toolkit.fluxcd.io/")
	object.get(input.spec, "suspend", false) != true
}

environments := e if {
	e := data.gitops_gate.environments
} else := []

clean(path) := trim_suffix(trim_prefix(trim_prefix(path, "./"), "/"), "/")

source_paths(spec) := {clean(p) | some p in candidates; is_string(p)} if {
	sources := object.get(spec, "sources", [])
	candidates := array.concat(
		[object.get(object.get(spec, "source", {}), "path", null), object.get(spec, "path", null)],
		[object.get(s, "path", null) | some s in sources],
	)
}

under(path, dir) if path == clean(dir)

under(path, dir) if startswith(path, concat("", [clean(dir), "/"]))

# Production environments this resource deploys to, by source path or destination cluster.
targets contains env.name if {
	some [_, _, spec] in automatic
	some env in environments
	env.production == true
	some path in source_paths(spec)
	some dir in env.paths
	under(path, dir)
	env.autoSync != true
}

targets contains env.name if {
	some [_, _, spec] in automatic
	some env in environments
	env.production == true
	is_string(env.cluster)
	env.cluster != ""
	env.cluster in {object.get(object.get(spec, "destination", {}), "name", ""), object.get(object.get(spec, "destination", {}), "server", "")}
	env.autoSync != true
}

# Where the manifest itself lives counts too: an Application in a production folder.
targets contains lib.context.environment if {
	lib.production
	lib.context.autoSync != true
}

deny contains lib.result(rule_id, "error", msg, parts) if {
	some [what, parts, _] in automatic
	count(targets) > 0
	envs := concat(", ", sort([t | some t in targets]))
	msg := concat("", [
		what, " ", input.metadata.name, " syncs automatically but targets production (", envs,
		"): sync by hand or allow autoSync for the environment",
	])
}
