package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"quire/internal/web"
)

func TestOrphanPages(t *testing.T) {
	r := newRig(t, web.Options{})
	alice := r.browser()
	alice.signup("alice")
	bob := r.browser()
	bob.signup("bob")
	one := alice.postWork(url.Values{"title": {"First Light"}})
	two := alice.postWork(url.Values{"title": {"Second Wind"}})
	bobs := bob.postWork(url.Values{"title": {"Bob Alone"}})

	// From the work page to the confirmation page.
	alice.get(one).has(t, "/users/alice/orphan?work_id="+strings.TrimPrefix(one, "/works/"))
	bob.get(one).lacks(t, "Orphan work")
	p := alice.get("/users/alice/orphan?work_id="+strings.TrimPrefix(one, "/works/")).status_(t, 200)
	p.has(t, "Orphaning cannot be undone", "First Light", `name="keep_pseud"`).lacks(t, "Second Wind")
	// Someone else's work, someone else's page: refused, nothing changed.
	alice.get("/users/alice/orphan?work_id="+strings.TrimPrefix(bobs, "/works/")).status_(t, http.StatusForbidden)
	alice.post("/users/alice/orphan", url.Values{"work_id": {strings.TrimPrefix(bobs, "/works/")}}).status_(t, http.StatusForbidden)
	bob.post("/users/alice/orphan", url.Values{"work_id": {strings.TrimPrefix(one, "/works/")}}).status_(t, http.StatusForbidden)
	alice.post("/users/alice/orphan", url.Values{"work_id": {"x"}}).status_(t, http.StatusUnprocessableEntity)
	r.browser().get(bobs).has(t, `/users/bob/pseuds/bob`)

	alice.post("/users/alice/orphan", url.Values{"work_id": {strings.TrimPrefix(one, "/works/")}, "keep_pseud": {"1"}}).
		status_(t, 200).has(t, "1 work was orphaned")
	r.browser().get(one).has(t, "alice (orphan_account)").lacks(t, `/users/alice/pseuds/alice`)
	alice.get(one).lacks(t, "Edit work")
	r.browser().get("/users/alice/works").lacks(t, "First Light").has(t, "Second Wind")

	// The choice page lists what is left; "everything" takes it.
	alice.get("/users/alice/orphan").has(t, "Second Wind", `name="all"`).lacks(t, "First Light")
	alice.get("/users/alice/orphan?all=1").has(t, "Second Wind", "Orphaning cannot be undone")
	alice.post("/users/alice/orphan", url.Values{"work_id": {strings.TrimPrefix(two, "/works/")}, "keep_pseud": {"0"}}).status_(t, 200)
	r.browser().get(two).has(t, "orphan_account").lacks(t, "alice (orphan_account)", `/users/alice/pseuds/alice`)
	alice.get("/users/alice/orphan").has(t, "You have no posted works")
}
