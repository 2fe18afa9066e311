package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The collections API as a maintainer, a participant and a reader use it.
func TestCollectionsAPI(t *testing.T) {
	e := newEnv(t)
	carol := e.user("carol")

	// Create: 401 without a token, 422 for bad names, 201 with the collection.
	e.want(e.do("POST", "/api/v1/collections", "", map[string]any{"name": "Fest", "title": "Fest"}), http.StatusUnauthorized)
	for _, bad := range []map[string]any{
		{"name": "bad name", "title": "X"},
		{"name": "", "title": "X"},
		{"name": strings.Repeat("a", 256), "title": "X"},
		{"name": "Okay", "title": " "},
		{"name": "Okay", "title": "X", "parent": "Nowhere"},
		{"name": "Okay", "title": "X", "description": strings.Repeat("word ", 400)},
	} {
		r := e.do("POST", "/api/v1/collections", e.alice, bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%v: status %d %s", bad, r.status, r.raw)
		}
	}
	r := e.want(e.do("POST", "/api/v1/collections", e.alice, map[string]any{"name": "Spring_Fest", "title": "Spring Fest",
		"description": "<p>Flowers<script>x</script></p>", "rules": "Be kind", "open": true, "moderated": true}), http.StatusCreated)
	if r.str("name") != "Spring_Fest" || r.obj["moderated"] != true || strings.Contains(r.str("description"), "script") {
		t.Fatalf("created %s", r.raw)
	}
	e.want(e.do("POST", "/api/v1/collections", e.bob, map[string]any{"name": "spring_fest", "title": "Again"}), http.StatusUnprocessableEntity)
	// Only the parent's maintainers make sub-collections.
	e.want(e.do("POST", "/api/v1/collections", e.bob, map[string]any{"name": "Bobs", "title": "Bob's", "parent": "Spring_Fest"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/collections", e.alice, map[string]any{"name": "Spring_Art", "title": "Spring Art", "parent": "Spring_Fest", "open": true}), http.StatusCreated)

	// PATCH: owners only; 404 for no collection.
	e.want(e.do("PATCH", "/api/v1/collections/Spring_Fest", e.bob, map[string]any{"title": "Mine"}), http.StatusForbidden)
	e.want(e.do("PATCH", "/api/v1/collections/Nope", e.alice, map[string]any{"title": "x"}), http.StatusNotFound)
	e.want(e.do("PATCH", "/api/v1/collections/Spring_Fest", e.alice, map[string]any{"name": "Renamed"}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", "/api/v1/collections/Spring_Fest", e.alice, map[string]any{"title": "Spring Fest 2026"}), http.StatusOK)

	// A participant posts a work to the moderated collection: pending.
	w := e.want(e.do("POST", "/api/v1/works", e.bob, map[string]any{"title": "Blossom", "rating": "General Audiences",
		"warnings": []string{"No Archive Warnings Apply"}, "fandoms": []string{"Garden Tales"}, "collections": []string{"Spring_Fest"},
		"gifts": []string{"carol"}, "chapters": []map[string]any{{"body": "Petals fall."}}}), http.StatusCreated)
	wid := w.num("id")
	cols, _ := w.obj["collections"].([]any)
	if len(cols) != 1 || cols[0].(map[string]any)["state"] != "pending" {
		t.Fatalf("the work's collections %s", w.raw)
	}
	if g := w.list("gifts"); len(g) != 1 || g[0] != "carol" {
		t.Fatalf("gifts %s", w.raw)
	}
	list := e.want(e.do("GET", "/api/v1/collections/Spring_Fest/works", "", nil), http.StatusOK)
	if list.num("total") != 0 {
		t.Fatalf("a pending work lists: %s", list.raw)
	}
	items := e.want(e.do("GET", "/api/v1/collections/Spring_Fest/items?state=pending", e.alice, nil), http.StatusOK)
	if len(items.list("items")) != 1 {
		t.Fatalf("pending items %s", items.raw)
	}
	e.want(e.do("GET", "/api/v1/collections/Spring_Fest/items", e.bob, nil), http.StatusForbidden)
	e.want(e.do("GET", "/api/v1/collections/Spring_Fest/items", "", nil), http.StatusUnauthorized)
	item := fmt.Sprintf("/api/v1/collections/Spring_Fest/items/%d", wid)
	e.want(e.do("PATCH", item, e.bob, map[string]any{"state": "approved"}), http.StatusForbidden)
	e.want(e.do("PATCH", item, e.alice, map[string]any{"state": "maybe"}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", item, e.alice, map[string]any{"state": "approved"}), http.StatusOK)
	e.want(e.do("PATCH", item, e.alice, map[string]any{"state": "approved"}), http.StatusConflict)

	list = e.want(e.do("GET", "/api/v1/collections/Spring_Fest/works?fandom=Garden+Tales", "", nil), http.StatusOK)
	if list.num("total") != 1 {
		t.Fatalf("approved work: %s", list.raw)
	}
	if f, _ := list.obj["facets"].(map[string]any); len(f["fandom"].([]any)) != 1 {
		t.Fatalf("facets %s", list.raw)
	}
	e.want(e.do("GET", "/api/v1/collections/Spring_Fest/works?fandom=Nope+Tales", "", nil), http.StatusUnprocessableEntity)
	// The sub-collection's works list in the parent's listing.
	w2 := e.want(e.do("POST", "/api/v1/works", e.bob, map[string]any{"title": "Seedling", "rating": "General Audiences",
		"warnings": []string{"No Archive Warnings Apply"}, "fandoms": []string{"Garden Tales"}, "collections": []string{"Spring_Art"},
		"chapters": []map[string]any{{"body": "Green."}}}), http.StatusCreated)
	if n := e.want(e.do("GET", "/api/v1/collections/Spring_Fest/works", "", nil), http.StatusOK).num("total"); n != 2 {
		t.Fatalf("parent listing with a sub-collection's work: %d", n)
	}
	if n := e.want(e.do("GET", "/api/v1/collections/Spring_Art/works", "", nil), http.StatusOK).num("total"); n != 1 {
		t.Fatalf("sub-collection listing: %d", n)
	}

	// Browse and get.
	got := e.want(e.do("GET", "/api/v1/collections?q=art", "", nil), http.StatusOK)
	if got.num("total") != 1 {
		t.Fatalf("search %s", got.raw)
	}
	one := e.want(e.do("GET", "/api/v1/collections/spring_fest", "", nil), http.StatusOK)
	if one.str("title") != "Spring Fest 2026" || one.num("works") != 1 {
		t.Fatalf("get %s", one.raw)
	}
	e.want(e.do("GET", "/api/v1/collections/Nope", "", nil), http.StatusNotFound)

	// Maintainers: the owner adds bob as moderator; bob can't demote alice; the last owner stays.
	e.want(e.do("POST", "/api/v1/collections/Spring_Fest/maintainers", e.alice, map[string]any{"user": "bob", "role": "moderator"}), http.StatusOK)
	e.want(e.do("POST", "/api/v1/collections/Spring_Fest/maintainers", e.bob, map[string]any{"user": "alice", "role": ""}), http.StatusForbidden)
	e.want(e.do("POST", "/api/v1/collections/Spring_Fest/maintainers", e.alice, map[string]any{"user": "alice", "role": ""}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/collections/Spring_Fest/maintainers", e.alice, map[string]any{"user": "nobody", "role": "owner"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/collections/Spring_Fest/maintainers", e.alice, map[string]any{"user": "bob", "role": "king"}), http.StatusUnprocessableEntity)

	// Reveal: nothing hidden is a 422; anonymous then reveal.
	e.want(e.do("POST", "/api/v1/collections/Spring_Fest/reveal", e.alice, map[string]any{"works": true, "creators": true}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", "/api/v1/collections/Spring_Fest", e.alice, map[string]any{"anonymous": true}), http.StatusOK)
	w3 := e.want(e.do("POST", "/api/v1/works", carol, map[string]any{"title": "Nameless Bloom", "rating": "General Audiences",
		"warnings": []string{"No Archive Warnings Apply"}, "fandoms": []string{"Garden Tales"}, "collections": []string{"Spring_Fest"},
		"chapters": []map[string]any{{"body": "Hush."}}}), http.StatusCreated)
	w3id := w3.num("id")
	e.want(e.do("PATCH", fmt.Sprintf("/api/v1/collections/Spring_Fest/items/%d", w3id), e.alice, map[string]any{"state": "approved"}), http.StatusOK)
	pub := e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d", w3id), "", nil), http.StatusOK)
	if c := pub.list("creators"); len(c) != 1 || c[0] != "Anonymous" {
		t.Fatalf("anonymous creators %s", pub.raw)
	}
	if c := e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d", w3id), e.alice, nil), http.StatusOK).list("creators"); len(c) != 1 || c[0] != "carol" {
		t.Fatalf("the maintainer sees %v", c)
	}
	e.want(e.do("POST", "/api/v1/collections/Spring_Fest/reveal", e.bob, map[string]any{"creators": true}), http.StatusOK)
	e.want(e.do("POST", "/api/v1/collections/Spring_Fest/reveal", e.bob, map[string]any{"creators": true}), http.StatusUnprocessableEntity)
	if c := e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d", w3id), "", nil), http.StatusOK).list("creators"); len(c) != 1 || c[0] != "carol" {
		t.Fatalf("after reveal %v", c)
	}

	// Items: a closed collection refuses a participant's work; a maintainer invites it.
	e.want(e.do("POST", "/api/v1/collections", e.alice, map[string]any{"name": "Closed", "title": "Closed"}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/collections/Closed/items", e.bob, map[string]any{"work_id": wid}), http.StatusForbidden)
	e.want(e.do("POST", "/api/v1/collections/Closed/items", e.alice, map[string]any{"work_id": 0}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/collections/Closed/items", e.alice, map[string]any{"work_id": 99999}), http.StatusUnprocessableEntity)
	inv := e.want(e.do("POST", "/api/v1/collections/Closed/items", e.alice, map[string]any{"work_id": wid}), http.StatusCreated)
	if inv.str("state") != "invited" {
		t.Fatalf("invite %s", inv.raw)
	}
	e.want(e.do("POST", "/api/v1/collections/Closed/items", e.alice, map[string]any{"work_id": wid}), http.StatusConflict)
	mine := e.want(e.do("GET", "/api/v1/me/collection_items?state=invited", e.bob, nil), http.StatusOK)
	if len(mine.list("items")) != 1 {
		t.Fatalf("bob's invitations %s", mine.raw)
	}
	closedItem := fmt.Sprintf("/api/v1/collections/Closed/items/%d", wid)
	e.want(e.do("PATCH", closedItem, e.alice, map[string]any{"state": "approved"}), http.StatusForbidden)
	e.want(e.do("PATCH", closedItem, e.bob, map[string]any{"state": "approved"}), http.StatusOK)
	e.want(e.do("DELETE", closedItem, carol, nil), http.StatusForbidden)
	e.want(e.do("DELETE", closedItem, e.bob, nil), http.StatusNoContent)
	e.want(e.do("DELETE", closedItem, e.bob, nil), http.StatusNotFound)

	// A PATCH of the work's collections replaces them; a bad name changes nothing.
	e.want(e.do("PATCH", fmt.Sprintf("/api/v1/works/%d", w2.num("id")), e.bob, map[string]any{"collections": []string{"Spring_Art", "Nope"}, "title": "Changed"}), http.StatusUnprocessableEntity)
	after := e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d", w2.num("id")), e.bob, nil), http.StatusOK)
	if after.str("title") != "Seedling" {
		t.Fatalf("a refused edit changed the work: %s", after.raw)
	}

	// Gifts: the recipient lists and refuses.
	gifts := e.want(e.do("GET", "/api/v1/users/carol/gifts", "", nil), http.StatusOK)
	if len(gifts.list("works")) != 1 {
		t.Fatalf("carol's gifts %s", gifts.raw)
	}
	e.want(e.do("DELETE", fmt.Sprintf("/api/v1/me/gifts/%d", wid), e.alice, nil), http.StatusNotFound)
	e.want(e.do("DELETE", fmt.Sprintf("/api/v1/me/gifts/%d", wid), carol, nil), http.StatusNoContent)
	if g := e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d", wid), "", nil), http.StatusOK).list("gifts"); len(g) != 0 {
		t.Fatalf("refused gift still shows: %v", g)
	}
	e.want(e.do("POST", "/api/v1/works", e.bob, map[string]any{"title": "Self", "rating": "General Audiences",
		"warnings": []string{"No Archive Warnings Apply"}, "fandoms": []string{"Garden Tales"}, "gifts": []string{"bob"},
		"chapters": []map[string]any{{"body": "Me."}}}), http.StatusUnprocessableEntity)

	// Delete: owners only; the works stay.
	e.want(e.do("DELETE", "/api/v1/collections/Spring_Art", e.bob, nil), http.StatusForbidden)
	e.want(e.do("DELETE", "/api/v1/collections/Spring_Art", e.alice, nil), http.StatusNoContent)
	e.want(e.do("GET", fmt.Sprintf("/api/v1/works/%d", w2.num("id")), "", nil), http.StatusOK)
	if n := e.want(e.do("GET", "/api/v1/collections/Spring_Fest/works", "", nil), http.StatusOK).num("total"); n != 2 {
		t.Fatalf("after deleting the sub-collection: %d", n)
	}
}

// A collection can be reported; the queue shows its snapshot and counts
// reports of the same collection together.
func TestReportCollection(t *testing.T) {
	e := newReportsEnv(t, 0)
	e.want(e.do("POST", "/api/v1/collections", e.alice, map[string]any{"name": "Shady_Fest", "title": "Shady Fest",
		"description": "Buy things", "rules": "No rules"}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": "collection:Shady_Fest", "reason": "spam"}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": "collection:shady_fest", "reason": "spam"}), http.StatusConflict)
	e.want(e.do("POST", "/api/v1/reports", "", map[string]any{"target": "collection:Shady_Fest", "reason": "other", "email": "x@example.test"}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": "collection:No_Such", "reason": "spam"}), http.StatusNotFound)
	e.want(e.do("POST", "/api/v1/reports", e.bob, map[string]any{"target": "collection:bad name", "reason": "spam"}), http.StatusUnprocessableEntity)
	q := e.queue(e.mod, "?state=open")
	if len(q) != 2 {
		t.Fatalf("queue %v", q)
	}
	r := q[0]
	snap, _ := r["snapshot"].(map[string]any)
	if r["target"] != "collection:Shady_Fest" || r["count"] != float64(2) || snap["title"] != "Shady Fest" || snap["by"] != "alice" ||
		snap["url"] != "/collections/Shady_Fest" || !strings.Contains(snap["summary"].(string), "Buy things") {
		t.Fatalf("report %v", r)
	}
}
