package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"quire/internal/web"
)

// A maintainer makes a moderated collection; a participant posts to it
// from the work form and waits for approval; readers find the work in
// the collection's listing and feed once it is approved.
func TestCollectionLifecycle(t *testing.T) {
	r := newRig(t, web.Options{})
	mod := r.browser()
	mod.signup("keeper")
	mod.post("/collections", url.Values{"name": {"Winter_Fest"}, "title": {"Winter Fest 2026"}, "description": {"<p>Cold <em>stories</em></p>"},
		"rules": {"Be kind."}, "open": {"1"}, "moderated": {"1"}}).status_(t, 200).
		has(t, "Winter Fest 2026", "Cold <em>stories</em>", "Be kind.", "Moderated", "keeper</a> (owner)")

	writer := r.browser()
	writer.signup("scribe")
	path := writer.postWork(url.Values{"title": {"Frost Letters"}, "collections": {"winter_fest"}})
	id := strings.TrimPrefix(path, "/works/")

	guest := r.browser()
	guest.get("/collections/Winter_Fest/works").status_(t, 200).has(t, "0 works").lacks(t, "Frost Letters")
	mod.get("/collections/Winter_Fest").has(t, "1 waiting")
	mod.get("/collections/Winter_Fest/items").status_(t, 200).has(t, "Frost Letters", "pending")
	writer.get("/collections/Winter_Fest/items").status_(t, 403)
	// The creator can't approve their own pending item.
	writer.post("/collections/Winter_Fest/items/"+id, url.Values{"action": {"approved"}}).status_(t, 403)
	mod.post("/collections/Winter_Fest/items/"+id, url.Values{"action": {"approved"}}).status_(t, 200)

	guest.get("/collections/Winter_Fest/works").status_(t, 200).has(t, "1 work", "Frost Letters", "scribe")
	guest.get("/collections/Winter_Fest/works?fandom=Lantern+Tales").has(t, "1 work")
	guest.get("/collections/Winter_Fest/works?fandom=Nope+Such").status_(t, 422)
	guest.get("/collections/Winter_Fest/feed.atom").status_(t, 200).has(t, "Frost Letters", "<feed")
	guest.get("/collections").status_(t, 200).has(t, "Winter Fest 2026")
	guest.get("/collections?q=winter").has(t, "Winter Fest 2026")
	guest.get("/collections?q=summer").lacks(t, "Winter Fest 2026")
	guest.get("/users/keeper/collections").status_(t, 200).has(t, "Winter Fest 2026")
	guest.get("/collections/No_Such").status_(t, 404)
	guest.get("/collections/Winter_Fest").has(t, `/reports/new?target=collection%3AWinter_Fest`)
	guest.get("/reports/new?target=collection:Winter_Fest").status_(t, 200).has(t, "Winter Fest 2026")

	// The audit log has the maintainer's approval.
	if n := auditCount(t, r, "collection_item_approved"); n != 1 {
		t.Fatalf("audit entries for the approval: %d", n)
	}

	// Bad input: a taken name, a bad name, a closed collection.
	mod.post("/collections", url.Values{"name": {"winter_fest"}, "title": {"Again"}}).status_(t, 422).has(t, "taken")
	mod.post("/collections", url.Values{"name": {"bad name!"}, "title": {"Bad"}}).status_(t, 422).has(t, "letters")
	mod.post("/collections", url.Values{"name": {"Closed_Zine"}, "title": {"Zine"}}).status_(t, 200)
	writer.post("/works", url.Values{"title": {"Nope"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Text."}, "collections": {"Closed_Zine"}, "action": {"post"}}).status_(t, 422).has(t, "closed")
	guest.get("/works").lacks(t, "Nope")

	// A maintainer invites a work into the closed collection; the creator accepts.
	mod.post("/collections/Closed_Zine/items", url.Values{"work_id": {id}}).status_(t, 200)
	guest.get("/collections/Closed_Zine/works").has(t, "0 works")
	writer.get("/account/collection_items").status_(t, 200).has(t, "invited", "Zine")
	writer.post("/collections/Closed_Zine/items/"+id, url.Values{"action": {"approved"}, "return_to": {"/account/collection_items"}}).status_(t, 200)
	guest.get("/collections/Closed_Zine/works").has(t, "1 work", "Frost Letters")

	// Rejected: the work leaves the listing, and editing the work (whose
	// form no longer names the collection) does not bring it back.
	mod.post("/collections/Closed_Zine/items/"+id, url.Values{"action": {"rejected"}}).status_(t, 200)
	guest.get("/collections/Closed_Zine/works").has(t, "0 works")
	writer.get(path+"/edit").status_(t, 200).lacks(t, "Closed_Zine")
	writer.post(path+"/edit", url.Values{"title": {"Frost Letters"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "collections": {"Winter_Fest, Closed_Zine"}}).status_(t, 200)
	guest.get("/collections/Closed_Zine/works").has(t, "0 works")
	guest.get("/collections/Winter_Fest/works").has(t, "1 work")

	// Maintainers: the owner adds a moderator; the last owner can't leave.
	mod.post("/collections/Winter_Fest/maintainers", url.Values{"user": {"scribe"}, "role": {"moderator"}}).status_(t, 200).has(t, "scribe</a> (moderator)")
	mod.post("/collections/Winter_Fest/maintainers", url.Values{"user": {"keeper"}, "role": {"remove"}}).status_(t, 422).has(t, "at least one owner")
	writer.post("/collections/Winter_Fest/maintainers", url.Values{"user": {"keeper"}, "role": {"remove"}}).status_(t, 403)
	writer.get("/collections/Winter_Fest/edit").status_(t, 200)
	writer.post("/collections/Winter_Fest/edit", url.Values{"title": {"Mine now"}}).status_(t, 403)
}

func auditCount(t *testing.T, r *rig, action string) int {
	t.Helper()
	var n int
	if err := r.store.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = '` + action + `'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// An anonymous, unrevealed collection hides its works' creators and the
// works themselves from other readers until the maintainer reveals them.
func TestCollectionAnonymousAndReveal(t *testing.T) {
	r := newRig(t, web.Options{})
	mod := r.browser()
	mod.signup("warden")
	mod.post("/collections", url.Values{"name": {"Masks"}, "title": {"Masquerade"}, "open": {"1"}, "anonymous": {"1"}, "unrevealed": {"1"}}).status_(t, 200)
	writer := r.browser()
	writer.signup("hiddenhand")
	path := writer.postWork(url.Values{"title": {"Veiled Tale"}, "collections": {"Masks"}, "freeform": {"Secret Ballroom"}})
	reader := r.browser()
	reader.signup("curious")

	reader.get("/collections/Masks/works").status_(t, 200).has(t, "1 work", "Mystery Work").lacks(t, "Veiled Tale", "hiddenhand", "Secret Ballroom")
	reader.get("/works").lacks(t, "Veiled Tale", "Mystery Work")
	reader.get(path).status_(t, 404)
	reader.get("/users/hiddenhand/works").lacks(t, "Veiled Tale")
	writer.get("/users/hiddenhand/works").has(t, "Veiled Tale")
	writer.get(path).status_(t, 200).has(t, "Veiled Tale")
	mod.get(path).status_(t, 200).has(t, "Veiled Tale", "hiddenhand")

	// Reveal the works only: the title shows, the creator stays Anonymous.
	mod.post("/collections/Masks/reveal", url.Values{"works": {"1"}}).status_(t, 200)
	reader.get(path).status_(t, 200).has(t, "Veiled Tale", "Anonymous").lacks(t, "hiddenhand")
	reader.get("/works").has(t, "Veiled Tale").lacks(t, "hiddenhand")
	reader.get("/works?q=hiddenhand").has(t, "0 works")
	reader.get("/works?sort=creator").lacks(t, "hiddenhand")
	// Revealing the works twice is refused.
	mod.post("/collections/Masks/reveal", url.Values{"works": {"1"}}).status_(t, 422)

	mod.post("/collections/Masks/reveal", url.Values{"creators": {"1"}}).status_(t, 200)
	reader.get(path).has(t, "hiddenhand")
	reader.get("/users/hiddenhand/works").has(t, "Veiled Tale")
	reader.get("/works?q=hiddenhand").has(t, "1 work")
}

// Gifts: the work form names recipients; the recipient's gifts page lists
// the work and they may refuse it.
func TestGifts(t *testing.T) {
	r := newRig(t, web.Options{})
	to := r.browser()
	to.signup("giftee")
	giver := r.browser()
	giver.signup("giver")
	path := giver.postWork(url.Values{"title": {"A Present"}, "gifts": {"giftee, Someone Elsewhere"}})
	guest := r.browser()
	guest.get(path).has(t, "giftee", "Someone Elsewhere")
	guest.get("/users/giftee/gifts").status_(t, 200).has(t, "A Present")
	to.get("/inbox").has(t, "A Present")
	giver.post("/works", url.Values{"title": {"Self"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Text."}, "gifts": {"giver"}, "action": {"post"}}).status_(t, 422).has(t, "yourself")

	to.post(path+"/refuse_gift", nil).status_(t, 200)
	guest.get("/users/giftee/gifts").lacks(t, "A Present")
	guest.get(path).lacks(t, "giftee").has(t, "Someone Elsewhere")
	// The creator can't give it again to someone who refused it.
	giver.post(path+"/edit", url.Values{"title": {"A Present"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "gifts": {"giftee"}}).status_(t, 200)
	guest.get("/users/giftee/gifts").lacks(t, "A Present")
	to.post(path+"/refuse_gift", nil).status_(t, http.StatusNotFound)
}
