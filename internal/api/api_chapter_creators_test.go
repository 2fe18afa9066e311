package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

func TestChapterCoCreators(t *testing.T) {
	e := newEnv(t)
	dave := e.user("dave")
	e.want(e.do("POST", "/api/v1/me/blocked_users", dave, map[string]any{"name": "alice"}), http.StatusCreated)
	id := e.post(e.alice, work("Relay"))
	chapter := func(pos int, who string) response {
		return e.want(e.do("GET", path("/api/v1/works/%d/chapters/%d", id, pos), who, nil), http.StatusOK)
	}

	// Bad names: 422 with a message, no chapter added.
	many := []string{}
	for i := 0; i < 21; i++ {
		many = append(many, fmt.Sprintf("someone%d", i))
	}
	for what, names := range map[string][]string{
		"an unknown pseud": {"alice", "nobody_here"},
		"a blocker":        {"alice", "dave"},
		"too many":         many,
	} {
		r := e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"body": "Part two.", "creators": names}), http.StatusUnprocessableEntity)
		if r.errMessage() == "" {
			t.Errorf("%s: no message", what)
		}
	}
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/2", id), e.alice, nil), http.StatusNotFound)

	// Naming bob on chapter 2: an invitation to that chapter.
	r := e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"body": "Part two.", "creators": []string{"alice", "bob"}}), http.StatusCreated)
	if r.obj["creators"] != nil {
		t.Errorf("chapter byline before accepting: %v", r.obj["creators"])
	}
	inv := e.want(e.do("GET", "/api/v1/me/creator_invitations", e.bob, nil), http.StatusOK).list("invitations")
	if len(inv) != 1 || inv[0].(map[string]any)["chapter"] != float64(2) {
		t.Fatalf("bob's invitations: %v", inv)
	}
	// Bob can't edit before accepting; nor can he set a chapter's creators.
	e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/2", id), e.bob, map[string]any{"creators": []string{"bob"}}), http.StatusForbidden)
	e.want(e.do("POST", path("/api/v1/me/creator_invitations/%d/accept", int(inv[0].(map[string]any)["id"].(float64))), e.bob, nil), http.StatusOK)

	// Accepted: a creator of the work; chapter 1 shows its own byline now.
	if got := creatorsOf(e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusOK)); got != "[alice bob]" {
		t.Fatalf("work byline after accepting: %s", got)
	}
	if got := creatorsOf(chapter(1, "")); got != "[alice]" {
		t.Errorf("chapter 1 byline: %s", got)
	}
	if got := chapter(2, ""); got.obj["creators"] != nil {
		t.Errorf("chapter 2 byline (the work's): %v", got.obj["creators"])
	}
	if ids, _ := e.listIDs("", "q=bob"); len(ids) != 1 || ids[0] != id {
		t.Errorf("bob's works by search: %v", ids)
	}
	// Bob edits chapter 2's creators; inviting oneself is no invitation.
	r = e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/2", id), e.bob, map[string]any{"creators": []string{"bob"}}), http.StatusOK)
	if creatorsOf(r) != "[bob]" {
		t.Errorf("chapter 2 after bob's edit: %v", r.obj["creators"])
	}
	// null gives the chapter back the work's creators.
	r = e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/1", id), e.alice, map[string]any{"creators": nil}), http.StatusOK)
	if r.obj["creators"] != nil {
		t.Errorf("chapter 1 after null: %v", r.obj["creators"])
	}
	// A PATCH without "creators" leaves them.
	e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/2", id), e.alice, map[string]any{"title": "Two"}), http.StatusOK)
	if got := creatorsOf(chapter(2, "")); got != "[bob]" {
		t.Errorf("chapter 2 after an edit without creators: %s", got)
	}
	// Bob leaves: chapter 2 is the work's again, never empty.
	e.want(e.do("DELETE", path("/api/v1/works/%d/creators/me", id), e.bob, nil), http.StatusNoContent)
	if got := chapter(2, ""); got.obj["creators"] != nil {
		t.Errorf("chapter 2 after bob left: %v", got.obj["creators"])
	}
}
