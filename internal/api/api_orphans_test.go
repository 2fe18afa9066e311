package api_test

import (
	"net/http"
	"testing"
)

func TestOrphans(t *testing.T) {
	e := newEnv(t)
	solo := e.post(e.alice, work("Solo Piece"))
	kept := e.post(e.alice, work("Kept Name"))
	inSeries := e.post(e.alice, work("Series Part"))
	bobs := e.post(e.bob, work("Bob's Own"))
	draftBody := work("Unfinished")
	draftBody["draft"] = true
	draft := e.post(e.alice, draftBody)
	shared := work("Shared")
	shared["co_creators"] = []string{"alice"}
	sharedID := e.post(e.bob, shared)
	inv := e.want(e.do("GET", "/api/v1/me/creator_invitations", e.alice, nil), http.StatusOK).list("invitations")
	e.want(e.do("POST", path("/api/v1/me/creator_invitations/%d/accept", int(inv[0].(map[string]any)["id"].(float64))), e.alice, nil), http.StatusOK)
	sr := e.want(e.do("POST", "/api/v1/series", e.alice, map[string]any{"title": "Saga"}), http.StatusCreated).num("id")
	e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", sr, inSeries), e.alice, nil), http.StatusOK)

	// Refusals change nothing.
	e.want(e.do("POST", "/api/v1/me/orphans", "", map[string]any{"work_ids": []int{solo}}), http.StatusUnauthorized)
	e.want(e.do("POST", "/api/v1/me/orphans", e.alice, map[string]any{"work_ids": []int{solo, bobs}}), http.StatusForbidden)
	e.want(e.do("POST", "/api/v1/me/orphans", e.alice, map[string]any{"work_ids": []int{draft}}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/me/orphans", e.alice, map[string]any{"work_ids": []int{}}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/me/orphans", e.alice, map[string]any{"work_ids": []int{999999}}), http.StatusNotFound)
	e.want(e.do("POST", "/api/v1/me/orphans", e.bob, map[string]any{"series_ids": []int{sr}}), http.StatusForbidden)
	if got := creatorsOf(e.want(e.do("GET", path("/api/v1/works/%d", solo), "", nil), http.StatusOK)); got != "[alice]" {
		t.Fatalf("a refused orphaning changed the byline: %s", got)
	}

	// One work, the pseud dropped.
	r := e.want(e.do("POST", "/api/v1/me/orphans", e.alice, map[string]any{"work_ids": []int{solo}}), http.StatusOK)
	if len(r.list("orphaned")) != 1 {
		t.Errorf("orphaned %s", r.raw)
	}
	if got := creatorsOf(e.want(e.do("GET", path("/api/v1/works/%d", solo), "", nil), http.StatusOK)); got != "[orphan_account]" {
		t.Errorf("solo byline %s", got)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d", solo), e.alice, map[string]any{"title": "Mine again"}), http.StatusForbidden)

	// One work keeping the pseud's name.
	e.want(e.do("POST", "/api/v1/me/orphans", e.alice, map[string]any{"work_ids": []int{kept}, "keep_pseud": true}), http.StatusOK)
	if got := creatorsOf(e.want(e.do("GET", path("/api/v1/works/%d", kept), "", nil), http.StatusOK)); got != "[alice (orphan_account)]" {
		t.Errorf("kept-name byline %s", got)
	}

	// Everything else: the series and its work, the co-created work (bob stays); the draft stays alice's.
	e.want(e.do("POST", "/api/v1/me/orphans", e.alice, map[string]any{"all": true}), http.StatusOK)
	if got := creatorsOf(e.want(e.do("GET", path("/api/v1/works/%d", inSeries), "", nil), http.StatusOK)); got != "[orphan_account]" {
		t.Errorf("series work byline %s", got)
	}
	if got := creatorsOf(e.want(e.do("GET", path("/api/v1/works/%d", sharedID), "", nil), http.StatusOK)); got != "[bob orphan_account]" {
		t.Errorf("co-created byline %s", got)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d", sharedID), e.bob, map[string]any{"title": "Still bob's"}), http.StatusOK)
	if s := e.want(e.do("GET", path("/api/v1/series/%d", sr), "", nil), http.StatusOK); creatorsOf(s) != "[orphan_account]" {
		t.Errorf("series byline %s", s.raw)
	}
	if l := e.want(e.do("GET", "/api/v1/me/drafts", e.alice, nil), http.StatusOK).list("works"); len(l) != 1 {
		t.Errorf("the draft left with everything: %v", l)
	}
	// Nothing left to orphan.
	e.want(e.do("POST", "/api/v1/me/orphans", e.alice, map[string]any{"all": true}), http.StatusUnprocessableEntity)
	if ids, _ := e.listIDs("", "q=alice"); len(ids) != 1 || ids[0] != kept {
		t.Errorf("works found under alice's name after orphaning: %v", ids)
	}
}
