package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

func TestEditSeveralWorks(t *testing.T) {
	e := newEnv(t)
	w1 := work("First of Many")
	w1["freeforms"] = []string{"Fluff", "Angst"}
	a := e.post(e.alice, w1)
	b := e.post(e.alice, work("Second of Many"))
	bobs := e.post(e.bob, work("Not Alice's"))
	url := "/api/v1/me/works"

	// Refusals change nothing.
	e.want(e.do("PATCH", url, "", map[string]any{"work_ids": []int{a}, "restricted": true}), http.StatusUnauthorized)
	e.want(e.do("PATCH", url, e.alice, map[string]any{"work_ids": []int{a, bobs}, "restricted": true}), http.StatusForbidden)
	e.want(e.do("PATCH", url, e.alice, map[string]any{"work_ids": []int{}, "restricted": true}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", url, e.alice, map[string]any{"work_ids": []int{a}}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", url, e.alice, map[string]any{"work_ids": []int{a}, "comment_permissions": "sometimes"}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", url, e.alice, map[string]any{"work_ids": []int{a}, "add_tags": map[string][]string{"rating": {"Explicit"}}}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", url, e.alice, map[string]any{"work_ids": []int{a}, "add_tags": map[string][]string{"freeform": {"bad*tag"}}}), http.StatusUnprocessableEntity)
	// The second work's invalid change undoes the first's: one transaction.
	e.want(e.do("PATCH", url, e.alice, map[string]any{"work_ids": []int{a, b}, "remove_tags": map[string][]string{"fandom": {"Test Fandom"}}}), http.StatusUnprocessableEntity)
	if ids, _ := e.listIDs("", "restricted=false"); len(ids) != 3 {
		t.Fatalf("a refused change touched works: %v", ids)
	}
	if ids, _ := e.listIDs("", "freeform=Angst"); len(ids) != 1 {
		t.Fatalf("tags changed by a refused edit: %v", ids)
	}

	r := e.want(e.do("PATCH", url, e.alice, map[string]any{
		"work_ids": []int{a, b}, "restricted": true, "comment_permissions": "none", "moderated_comments": true, "language": "fr",
		"add_tags":    map[string][]string{"freeform": {"Hurt/Comfort", "fluff"}, "character": {"Ada"}},
		"remove_tags": map[string][]string{"freeform": {"angst"}},
	}), http.StatusOK)
	if len(r.list("works")) != 2 {
		t.Fatalf("edited %s", r.raw)
	}
	for _, x := range r.list("works") {
		w := x.(map[string]any)
		if w["restricted"] != true || w["comment_permissions"] != "none" || w["moderated_comments"] != true || w["language"] != "fr" {
			t.Errorf("work %v", w)
		}
		if fmt.Sprint(w["characters"]) != "[Ada]" {
			t.Errorf("characters %v", w["characters"])
		}
	}
	// The index knows at once: guests no longer see them; tags filter.
	if ids, _ := e.listIDs("", ""); len(ids) != 1 || ids[0] != bobs {
		t.Errorf("guest listing after restricting: %v", ids)
	}
	if ids, _ := e.listIDs(e.bob, "freeform=Hurt%2FComfort"); len(ids) != 2 {
		t.Errorf("added tag filter: %v", ids)
	}
	// No work carries the removed tag any more: it no longer exists for readers.
	if r := e.do("GET", "/api/v1/works?freeform=Angst", e.bob, nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("removed tag: %d %s", r.status, r.raw)
	}
	if ids, _ := e.listIDs(e.bob, "freeform=Fluff"); len(ids) != 2 {
		t.Errorf("fluff (added to one, kept once on the other): %v", ids)
	}
	got := e.want(e.do("GET", path("/api/v1/works/%d", a), e.alice, nil), http.StatusOK)
	if fmt.Sprint(got.obj["freeforms"]) != "[Fluff Hurt/Comfort]" {
		t.Errorf("freeforms of the first work %v", got.obj["freeforms"])
	}
}
