package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

func creatorsOf(r response) string { return fmt.Sprint(r.obj["creators"]) }

func TestCoCreatorInvitations(t *testing.T) {
	e := newEnv(t)
	carol := e.user("carol")
	dave := e.user("dave")

	// Bad names change nothing: no work is posted.
	bad := []struct {
		what  string
		field string
		names []string
	}{
		{"an unknown pseud", "creators", []string{"alice", "nobody_here"}},
		{"oneself as an invitee", "co_creators", []string{"alice"}},
		{"the orphan account", "creators", []string{"orphan_account"}},
	}
	for _, b := range bad {
		body := work("Bad " + b.what)
		body[b.field] = b.names
		r := e.want(e.do("POST", "/api/v1/works", e.alice, body), http.StatusUnprocessableEntity)
		if r.errMessage() == "" {
			t.Errorf("%s: no message", b.what)
		}
	}
	if ids, _ := e.listIDs(e.alice, ""); len(ids) != 0 {
		t.Fatalf("a refused post left works %v", ids)
	}

	// Carol refuses invitations; dave blocked alice: same refusal, nothing written.
	e.want(e.do("PUT", "/api/v1/me/preferences", carol, map[string]any{"refuse_cocreator_invitations": true}), http.StatusOK)
	e.want(e.do("POST", "/api/v1/me/blocked_users", dave, map[string]any{"name": "alice"}), http.StatusCreated)
	for _, who := range []string{"carol", "dave"} {
		body := work("Refused")
		body["creators"] = []string{"alice", who}
		r := e.want(e.do("POST", "/api/v1/works", e.alice, body), http.StatusUnprocessableEntity)
		if r.errMessage() != fmt.Sprintf("creators: %q does not accept co-creator invitations from you", who) {
			t.Errorf("%s: %s", who, r.errMessage())
		}
	}

	// Alice names bob: the byline shows only alice until bob accepts.
	body := work("Written Together")
	body["creators"] = []string{"alice", "bob"}
	r := e.want(e.do("POST", "/api/v1/works", e.alice, body), http.StatusCreated)
	id := r.num("id")
	if creatorsOf(r) != "[alice]" {
		t.Fatalf("byline before accepting: %v", r.obj["creators"])
	}
	if ids, _ := e.listIDs("", "q=bob"); len(ids) != 0 {
		t.Errorf("a pending invitee is searchable as a creator: %v", ids)
	}
	// Bob can't edit yet.
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.bob, map[string]any{"title": "Hijacked"}), http.StatusForbidden)

	inv := e.want(e.do("GET", "/api/v1/me/creator_invitations", e.bob, nil), http.StatusOK).list("invitations")
	if len(inv) != 1 {
		t.Fatalf("bob's invitations: %v", inv)
	}
	first := inv[0].(map[string]any)
	if first["title"] != "Written Together" || first["from"] != "alice" || int(first["work_id"].(float64)) != id {
		t.Errorf("invitation %v", first)
	}
	invID := int(first["id"].(float64))
	inbox := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK)
	if fmt.Sprint(inbox.raw) == "" || inbox.num("total") != 1 {
		t.Errorf("bob's inbox %s", inbox.raw)
	}
	// Nobody else may answer it; unknown ids are 404.
	e.want(e.do("POST", path("/api/v1/me/creator_invitations/%d/accept", invID), carol, nil), http.StatusNotFound)
	e.want(e.do("POST", "/api/v1/me/creator_invitations/99999/accept", e.bob, nil), http.StatusNotFound)
	e.want(e.do("POST", path("/api/v1/me/creator_invitations/%d/accept", invID), "", nil), http.StatusUnauthorized)

	// Inviting again does not duplicate.
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"co_creators": []string{"bob"}}), http.StatusOK)
	if l := e.want(e.do("GET", "/api/v1/me/creator_invitations", e.bob, nil), http.StatusOK).list("invitations"); len(l) != 1 {
		t.Errorf("invited twice: %v", l)
	}

	acc := e.want(e.do("POST", path("/api/v1/me/creator_invitations/%d/accept", invID), e.bob, nil), http.StatusOK)
	if creatorsOf(acc) != "[alice bob]" {
		t.Fatalf("byline after accepting: %v", acc.obj["creators"])
	}
	if ids, _ := e.listIDs("", "q=bob"); len(ids) != 1 || ids[0] != id {
		t.Errorf("the co-creator's works by search: %v", ids)
	}
	// Bob edits the work now.
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.bob, map[string]any{"summary": "Both of us."}), http.StatusOK)
	e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/1", id), e.bob, map[string]any{"body": "Edited by bob."}), http.StatusOK)

	// A declined invitation leaves the byline alone.
	e.want(e.do("PUT", "/api/v1/me/preferences", carol, map[string]any{"refuse_cocreator_invitations": false}), http.StatusOK)
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.bob, map[string]any{"co_creators": []string{"carol"}}), http.StatusOK)
	cinv := e.want(e.do("GET", "/api/v1/me/creator_invitations", carol, nil), http.StatusOK).list("invitations")
	if len(cinv) != 1 || cinv[0].(map[string]any)["from"] != "bob" {
		t.Fatalf("carol's invitations %v", cinv)
	}
	e.want(e.do("POST", path("/api/v1/me/creator_invitations/%d/decline", int(cinv[0].(map[string]any)["id"].(float64))), carol, nil), http.StatusNoContent)
	if got := creatorsOf(e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusOK)); got != "[alice bob]" {
		t.Errorf("byline after carol declined: %s", got)
	}

	// Anyone may leave; the last creator can't.
	e.want(e.do("DELETE", path("/api/v1/works/%d/creators/me", id), carol, nil), http.StatusForbidden)
	e.want(e.do("DELETE", path("/api/v1/works/%d/creators/me", id), e.alice, nil), http.StatusNoContent)
	if got := creatorsOf(e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusOK)); got != "[bob]" {
		t.Errorf("byline after alice left: %s", got)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"title": "Back"}), http.StatusForbidden)
	r = e.want(e.do("DELETE", path("/api/v1/works/%d/creators/me", id), e.bob, nil), http.StatusUnprocessableEntity)
	if r.errMessage() == "" {
		t.Error("no message for the last creator")
	}
}

// A co-creator of a draft sees it once they accept, not before.
func TestCoCreatorDraft(t *testing.T) {
	e := newEnv(t)
	body := work("Secret Draft")
	body["draft"] = true
	body["co_creators"] = []string{"bob"}
	id := e.post(e.alice, body)
	e.want(e.do("GET", path("/api/v1/works/%d", id), e.bob, nil), http.StatusNotFound)
	if l := e.want(e.do("GET", "/api/v1/me/drafts", e.bob, nil), http.StatusOK).list("works"); len(l) != 0 {
		t.Errorf("bob's drafts before accepting: %v", l)
	}
	inv := e.want(e.do("GET", "/api/v1/me/creator_invitations", e.bob, nil), http.StatusOK).list("invitations")
	e.want(e.do("POST", path("/api/v1/me/creator_invitations/%d/accept", int(inv[0].(map[string]any)["id"].(float64))), e.bob, nil), http.StatusOK)
	e.want(e.do("GET", path("/api/v1/works/%d", id), e.bob, nil), http.StatusOK)
	if l := e.want(e.do("GET", "/api/v1/me/drafts", e.bob, nil), http.StatusOK).list("works"); len(l) != 1 {
		t.Errorf("bob's drafts after accepting: %v", l)
	}
	// Still invisible to everyone else.
	e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusNotFound)
	if ids, _ := e.listIDs("", ""); len(ids) != 0 {
		t.Errorf("the draft is listed: %v", ids)
	}
}
