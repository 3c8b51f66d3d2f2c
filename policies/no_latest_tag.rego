# METADATA
# title: Images are pinned
# description: Every container image names a tag other than latest, or a digest.
# custom:
#   id: no-latest-tag
#   severity: error
#   rationale: >-
#     An untagged or latest image changes under a running workload: two replicas can run
#     different code, a rollback brings back nothing, and Git no longer says what is deployed.
#   remediation: >-
#     Pin the image to a version tag (nginx:1.27.3) or a digest (nginx@sha256:...). In
#     production, policy.rules.no-latest-tag.productionRequires can ask for a digest or an
#     immutable-looking version tag.
package gitops_gate.no_latest_tag

import data.gitops_gate.lib
import rego.v1

rule_id := "no-latest-tag"

# What an image reference names: {"tag": "1.2" or "", "digest": true|false}.
parse(image) := {"tag": tag, "digest": contains(image, "@")} if {
	name := split(image, "@")[0]
	last := regex.split(`/`, name)
	final := last[count(last) - 1]
	parts := split(final, ":")
	tag := tag_of(parts)
}

tag_of(parts) := parts[1] if count(parts) > 1

tag_of(parts) := "" if count(parts) == 1

templated(image) if contains(image, "${")

templated(image) if contains(image, "{{")

checked_images contains [c, image] if {
	some c in lib.containers
	image := c.container.image
	is_string(image)
	not templated(image)
}

deny contains lib.result(rule_id, "error", msg, array.concat(c.pointer, ["image"])) if {
	some [c, image] in checked_images
	ref := parse(image)
	not ref.digest
	ref.tag == ""
	msg := sprintf("container \"%s\" image \"%s\" has no tag, which means latest: pin a version or a digest", [c.container.name, image])
}

deny contains lib.result(rule_id, "error", msg, array.concat(c.pointer, ["image"])) if {
	some [c, image] in checked_images
	ref := parse(image)
	not ref.digest
	lower(ref.tag) == "latest"
	msg := sprintf("container \"%s\" image \"%s\" uses the latest tag: pin a version or a digest", [c.container.name, image])
}

# production requirement: "tag" (default), "digest" or "immutable-tag" (digest or x.y.z tag)
requirement := lib.setting(rule_id, "productionRequires", "tag")

immutable_tag := `^v?[0-9]+\.[0-9]+\.[0-9]+([-+._][0-9A-Za-z.+_-]+)?$`

deny contains lib.result(rule_id, "error", msg, array.concat(c.pointer, ["image"])) if {
	lib.production
	requirement == "digest"
	some [c, image] in checked_images
	not parse(image).digest
	msg := sprintf("container \"%s\" image \"%s\" is not pinned by digest, which production requires", [c.container.name, image])
}

deny contains lib.result(rule_id, "error", msg, array.concat(c.pointer, ["image"])) if {
	lib.production
	requirement == "immutable-tag"
	some [c, image] in checked_images
	ref := parse(image)
	not ref.digest
	ref.tag != ""
	lower(ref.tag) != "latest"
	not regex.match(immutable_tag, ref.tag)
	msg := sprintf("container \"%s\" image \"%s\" has a tag that can move (%s): production requires a digest or a version like 1.2.3", [c.container.name, image, ref.tag])
}
