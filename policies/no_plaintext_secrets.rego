# METADATA
# title: No plaintext secrets
# description: >-
#   Secrets in Git are encrypted (SOPS) or come from a controller (SealedSecret,
#   ExternalSecret); credentials never sit in container env values or ConfigMaps.
# custom:
#   id: no-plaintext-secrets
#   severity: error
#   rationale: >-
#     Base64 is not encryption: a Secret's data in Git is readable by everyone who can clone
#     the repository, forever, and so is a password typed into an env var.
#   remediation: >-
#     Encrypt the Secret with SOPS, or replace it with a SealedSecret or ExternalSecret; take
#     credential env vars from valueFrom.secretKeyRef; move credential keys out of ConfigMaps.
package gitops_gate.no_plaintext_secrets

import data.gitops_gate.lib
import rego.v1

rule_id := "no-plaintext-secrets"

is_secret if {
	input.kind == "Secret"
	object.get(input, "apiVersion", "") == "v1"
}

fields contains field if {
	some field in ["data", "stringData"]
	values := object.get(input, field, {})
	is_object(values)
	count(values) > 0
}

sops_encrypted if {
	is_string(input.sops.mac)
	input.sops.mac != ""
	every field in fields {
		every _, v in input[field] {
			is_string(v)
			startswith(v, "ENC[")
		}
	}
}

deny contains lib.result(rule_id, "error", msg, [field]) if {
	is_secret
	not sops_encrypted
	some field in fields
	keys := concat(", ", sort(object.keys(input[field])))
	msg := concat("", [
		"Secret ", input.metadata.name, " holds plaintext values in ", field, " (keys: ", keys,
		"): encrypt it with SOPS or use a SealedSecret or ExternalSecret",
	])
}

deny contains lib.result(rule_id, "error", msg, array.concat(c.pointer, ["env", i, "value"])) if {
	some c in lib.containers
	some i, env in object.get(c.container, "env", [])
	lib.credential_like(env.name)
	is_string(env.value)
	env.value != ""
	msg := sprintf("container \"%s\" sets %s to a literal value: take it from valueFrom.secretKeyRef", [c.container.name, env.name])
}

warn contains lib.result(rule_id, "warning", msg, ["data", key]) if {
	input.kind == "ConfigMap"
	cm_data := object.get(input, "data", {})
	is_object(cm_data)
	some key in object.keys(cm_data)
	lib.credential_like(key)
	msg := sprintf("ConfigMap %s has a credential-like key %s: keep credentials in a Secret", [input.metadata.name, key])
}
