package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"quire/internal/web"
)

func TestEditMultiplePage(t *testing.T) {
	r := newRig(t, web.Options{})
	alice := r.browser()
	alice.signup("alice")
	bob := r.browser()
	bob.signup("bob")
	one := strings.TrimPrefix(alice.postWork(url.Values{"title": {"North Wind"}, "freeform": {"Snow"}}), "/works/")
	two := strings.TrimPrefix(alice.postWork(url.Values{"title": {"South Wind"}}), "/works/")
	alice.get("/users/alice/works/edit_multiple").has(t, "North Wind", "South Wind", `name="work_id"`, `name="add_freeform"`)
	bob.get("/users/alice/works/edit_multiple").status_(t, http.StatusForbidden)
	r.browser().get("/users/alice/works/edit_multiple").has(t, "Log in")

	// Nothing chosen, a bad tag: 422 with the message, nothing changed.
	alice.post("/users/alice/works/edit_multiple", url.Values{"restricted": {"1"}}).status_(t, http.StatusUnprocessableEntity).has(t, "choose at least one work")
	alice.post("/users/alice/works/edit_multiple", url.Values{"work_id": {one, two}, "add_freeform": {"a{b"}}).status_(t, http.StatusUnprocessableEntity)
	r.browser().get("/works").has(t, "North Wind", "South Wind")

	alice.post("/users/alice/works/edit_multiple", url.Values{"work_id": {one, two}, "restricted": {"1"}, "add_freeform": {"Gales"},
		"remove_freeform": {"snow"}, "comment_permissions": {"none"}}).status_(t, 200).has(t, "2 works were updated")
	r.browser().get("/works").lacks(t, "North Wind", "South Wind")
	bob.get("/tags/Gales/works").has(t, "North Wind", "South Wind")
	bob.get("/works/"+one).lacks(t, ">Snow<").has(t, "Gales")
}
