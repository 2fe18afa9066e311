package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// facetCount is the count a listing's facet shows for a tag (0 if absent).
func facetCount(r response, typ, name string) int {
	fs, _ := r.obj["facets"].(map[string]any)
	list, _ := fs[typ].([]any)
	for _, f := range list {
		m := f.(map[string]any)
		if m["name"] == name {
			return int(m["count"].(float64))
		}
	}
	return 0
}

func TestMutedTags(t *testing.T) {
	e := newEnv(t)
	wr := e.wrangler("wendy")
	carol := e.user("carol")
	post := func(title string, freeforms ...string) int {
		w := work(title)
		w["freeforms"] = freeforms
		return e.post(e.alice, w)
	}
	angst := post("Plain Angst", "Angst")
	sub := post("Sub Angst", "Hurt/Comfort Angst")
	syn := post("Synonym", "angsty")
	fluff := post("Fluff", "Fluff")
	e.want(e.do("PATCH", tagPath("Angst"), wr, map[string]any{"canonical": true}), http.StatusOK)
	e.want(e.do("PATCH", tagPath("Hurt/Comfort Angst"), wr, map[string]any{"canonical": true, "meta": map[string]any{"add": []string{"Angst"}}}), http.StatusOK)
	e.want(e.do("PATCH", tagPath("angsty"), wr, map[string]any{"synonym_of": "Angst"}), http.StatusOK)

	all := []int{angst, sub, syn, fluff}
	slices.Sort(all)
	sorted := func(ids []int) []int { slices.Sort(ids); return ids }

	// Refusals change nothing.
	e.want(e.do("PUT", "/api/v1/me/muted_tags", "", map[string]any{"tags": []string{"Angst"}}), http.StatusUnauthorized)
	r := e.want(e.do("PUT", "/api/v1/me/muted_tags", e.bob, map[string]any{"tags": []string{"Angst", "No Such Tag", "Nor This"}}), http.StatusUnprocessableEntity)
	if !strings.Contains(r.errMessage(), `"No Such Tag"`) || !strings.Contains(r.errMessage(), `"Nor This"`) || strings.Contains(r.errMessage(), `"Angst"`) {
		t.Errorf("unknown tags message: %s", r.errMessage())
	}
	e.want(e.do("PUT", "/api/v1/me/muted_tags", e.bob, map[string]any{"tags": []string{"a{b"}}), http.StatusUnprocessableEntity)
	e.want(e.do("PUT", "/api/v1/me/muted_tags", e.bob, map[string]any{}), http.StatusUnprocessableEntity)
	if ids, _ := e.listIDs(e.bob, ""); !slices.Equal(sorted(ids), all) {
		t.Fatalf("a refused mute applied: %v", ids)
	}

	r = e.want(e.do("PUT", "/api/v1/me/muted_tags", e.bob, map[string]any{"tags": []string{"angst", "Angst"}}), http.StatusOK)
	if !slices.Equal(strs(r.obj["tags"]), []string{"Angst"}) {
		t.Errorf("PUT muted_tags: %s", r.raw)
	}
	r = e.want(e.do("GET", "/api/v1/me/muted_tags", e.bob, nil), http.StatusOK)
	if !slices.Equal(strs(r.obj["tags"]), []string{"Angst"}) {
		t.Errorf("GET muted_tags: %s", r.raw)
	}

	// The muter: the tag, its synonym and its sub tag are gone from the
	// results, the total and the facets, at once.
	ids, r := e.listIDs(e.bob, "")
	if !slices.Equal(ids, []int{fluff}) || r.num("total") != 1 || facetCount(r, "freeform", "Angst") != 0 || facetCount(r, "freeform", "Fluff") != 1 {
		t.Errorf("bob with Angst muted: %v %s", ids, r.raw)
	}
	if _, r := e.listIDs(e.bob, "tag=Angst"); r.num("total") != 0 {
		t.Errorf("bob filtering by the muted tag: %s", r.raw)
	}
	// Everyone else: unchanged.
	for _, tok := range []string{"", carol, e.alice} {
		ids, r := e.listIDs(tok, "")
		if !slices.Equal(sorted(ids), all) || r.num("total") != 4 || facetCount(r, "freeform", "Angst") != 3 {
			t.Errorf("another reader: %v %s", ids, r.raw)
		}
	}

	// Unmuting restores everything.
	e.want(e.do("PUT", "/api/v1/me/muted_tags", e.bob, map[string]any{"tags": []string{}}), http.StatusOK)
	if _, r := e.listIDs(e.bob, ""); r.num("total") != 4 || facetCount(r, "freeform", "Angst") != 3 {
		t.Errorf("after unmuting: %s", r.raw)
	}
}

func TestMutedUsers(t *testing.T) {
	e := newEnv(t)
	carol := e.user("carol")
	a1 := e.post(e.alice, work("Alice One"))
	a2 := e.post(e.alice, work("Alice Two"))
	c1 := e.post(carol, work("Carol One"))

	e.want(e.do("PUT", "/api/v1/me/muted_users", e.bob, map[string]any{"names": []string{"bob"}}), http.StatusUnprocessableEntity)
	r := e.want(e.do("PUT", "/api/v1/me/muted_users", e.bob, map[string]any{"names": []string{"alice", "ghost"}}), http.StatusUnprocessableEntity)
	if !strings.Contains(r.errMessage(), `"ghost"`) {
		t.Errorf("unknown user message: %s", r.raw)
	}
	r = e.want(e.do("PUT", "/api/v1/me/muted_users", e.bob, map[string]any{"names": []string{"alice", "ALICE "}}), http.StatusOK)
	if !slices.Equal(strs(r.obj["names"]), []string{"alice"}) {
		t.Errorf("PUT muted_users: %s", r.raw)
	}
	if r := e.want(e.do("GET", "/api/v1/me/muted_users", e.bob, nil), http.StatusOK); !slices.Equal(strs(r.obj["names"]), []string{"alice"}) {
		t.Errorf("GET muted_users: %s", r.raw)
	}
	ids, r := e.listIDs(e.bob, "")
	if !slices.Equal(ids, []int{c1}) || r.num("total") != 1 || facetCount(r, "fandom", "Test Fandom") != 1 {
		t.Errorf("bob with alice muted: %v %s", ids, r.raw)
	}
	if _, r := e.listIDs(carol, ""); r.num("total") != 3 || facetCount(r, "fandom", "Test Fandom") != 3 {
		t.Errorf("carol: %s", r.raw)
	}
	// A muted creator's work is still reachable by its address.
	e.want(e.do("GET", path("/api/v1/works/%d", a1), e.bob, nil), http.StatusOK)
	_ = a2

	e.want(e.do("PUT", "/api/v1/me/muted_users", e.bob, map[string]any{"names": []string{}}), http.StatusOK)
	if _, r := e.listIDs(e.bob, ""); r.num("total") != 3 {
		t.Errorf("after unmuting: %s", r.raw)
	}
}
