# METADATA
# title: Production syncs by hand
# description: >-
#   Argo CD Applications and ApplicationSet templates that target a production environment do
#   not sync automatically, unless the environment allows it. Flux Kustomizations reconcile once
#   the pull request merges (the review is the approval), so they are held to it only when the
#   environment sets autoSync: false explicitly.
# custom:
#   id: production-manual-sync
#   severity: error
#   rationale: >-
#     Automatic sync turns every merge into a production change with nobody watching; a
#     manual sync (or a suspended Kustomization) keeps a person and a sync window in the loop.
#   remediation: >-
#     Remove spec.syncPolicy.automated (Argo CD), or set autoSync: true on the environment in
#     .gitops-gate.yaml if it really should. For Flux, set autoSync: false on the environment in
#     .gitops-gate.yaml to require manual syncs, then set spec.suspend: true on its Kustomizations.
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

flux if {
	input.kind == "Kustomization"
	startswith(object.get(input, "apiVersion", ""), "kustomize.toolkit.fluxcd.io/")
}

automatic contains ["Flux Kustomization", ["spec", "suspend"], input.spec] if {
	flux
	object.get(input.spec, "suspend", false) != true
}

# Argo CD syncs by hand unless the environment allows otherwise. Flux reconciles what merged by
# design, so a Kustomization waits only where the environment says autoSync: false itself.
manual(env) if {
	not flux
	env.autoSync != true
}

manual(env) if {
	flux
	env.autoSync == false
	object.get(env, "autoSyncExplicit", false) == true
}

advice(_) := "sync by hand or allow autoSync for the environment" if not flux

advice(envs) := concat("", [
	"set spec.suspend: true, or drop autoSync: false from ", envs,
	" in .gitops-gate.yaml (Flux syncs merged changes unless autoSync: false asks for manual syncs)",
]) if flux

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
	manual(env)
}

targets contains env.name if {
	some [_, _, spec] in automatic
	some env in environments
	env.production == true
	is_string(env.cluster)
	env.cluster != ""
	env.cluster in {object.get(object.get(spec, "destination", {}), "name", ""), object.get(object.get(spec, "destination", {}), "server", "")}
	manual(env)
}

# Where the manifest itself lives counts too: an Application in a production folder.
targets contains lib.context.environment if {
	lib.production
	manual(lib.context)
}

deny contains lib.result(rule_id, "error", msg, parts) if {
	some [what, parts, _] in automatic
	count(targets) > 0
	envs := concat(", ", sort([t | some t in targets]))
	msg := concat("", [
		what, " ", input.metadata.name, " syncs automatically but targets production (", envs,
		"): ", advice(envs),
	])
}
