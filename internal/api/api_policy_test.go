package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
)

// role gives the user a role and returns a fresh token of theirs.
func (e *env) role(name, role string) string {
	e.t.Helper()
	ctx := context.Background()
	tok := e.user(name)
	u, err := e.store.UserByName(ctx, name)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.SetUserRoles(ctx, u.ID, []string{role}); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func TestAdminPolicyEndpointsNeedTheRole(t *testing.T) {
	e := newEnv(t)
	admin := e.role("boss", archive.RoleAdmin)
	mod := e.role("keeper", archive.RoleModerator)
	for _, rt := range []struct {
		method, path string
		body         any
		modAllowed   bool
	}{
		{"GET", "/api/v1/admin/settings", nil, false},
		{"PATCH", "/api/v1/admin/settings", map[string]any{"signup": "open"}, false},
		{"POST", "/api/v1/admin/invitations", map[string]any{"count": 1}, false},
		{"POST", "/api/v1/admin/users/alice/invitations", map[string]any{"count": 1}, false},
		{"GET", "/api/v1/admin/review", nil, true},
		{"POST", "/api/v1/admin/review/1/approve", nil, true},
	} {
		if r := e.do(rt.method, rt.path, "", rt.body); r.status != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d, want 401", rt.method, rt.path, r.status)
		}
		if r := e.do(rt.method, rt.path, e.alice, rt.body); r.status != http.StatusForbidden {
			t.Errorf("%s %s as a plain user: %d, want 403", rt.method, rt.path, r.status)
		}
		if r := e.do(rt.method, rt.path, mod, rt.body); !rt.modAllowed && r.status != http.StatusForbidden {
			t.Errorf("%s %s as a moderator: %d, want 403", rt.method, rt.path, r.status)
		}
		if r := e.do(rt.method, rt.path, admin, rt.body); r.status == http.StatusUnauthorized || r.status == http.StatusForbidden {
			t.Errorf("%s %s as an admin: %d", rt.method, rt.path, r.status)
		}
	}
}

func TestInvitationsAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.role("boss", archive.RoleAdmin)
	if err := e.site.InitPolicy(ctx, archive.Policy{Signup: archive.SignupInvite}); err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"one@example.test", "two@example.test", "three@example.test"} {
		if _, err := e.site.RequestInvitation(ctx, addr); err != nil {
			t.Fatal(err)
		}
	}
	r := e.want(e.do("POST", "/api/v1/admin/invitations", admin, map[string]any{"count": 2}), http.StatusCreated)
	if got := r.list("sent"); len(got) != 2 || got[0] != "one@example.test" || got[1] != "two@example.test" {
		t.Fatalf("sent = %v", got)
	}
	if place, err := e.site.InvitationPlace(ctx, "three@example.test"); err != nil || place != 1 {
		t.Fatalf("three's place = %d %v", place, err)
	}
	r = e.want(e.do("POST", "/api/v1/admin/invitations", admin, map[string]any{"email": "four@example.test"}), http.StatusCreated)
	if got := r.list("sent"); len(got) != 1 || got[0] != "four@example.test" {
		t.Fatalf("sent = %v", got)
	}
	for _, bad := range []any{map[string]any{}, map[string]any{"count": 0}, map[string]any{"count": 5000},
		map[string]any{"email": "nope"}, map[string]any{"email": "a@example.test", "count": 1}} {
		if r := e.do("POST", "/api/v1/admin/invitations", admin, bad); r.status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d, want 422", bad, r.status)
		}
	}
	if r := e.do("POST", "/api/v1/admin/invitations", admin, `{"count": "two"}`); r.status != http.StatusBadRequest {
		t.Errorf("a count that is not a number: %d", r.status)
	}
}

func TestPolicyThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mod := e.role("keeper", archive.RoleModerator)
	p := archive.Policy{Signup: archive.SignupOpen, NewAccountHours: 24, NewAccountWorks: 2, ReviewFirstWorks: 1,
		RefuseRatings: []string{archive.RatingExplicit}}
	if err := e.site.InitPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	fresh := e.user("fresh")

	// A refused rating is 422 with the site's message.
	w := work("Too Much")
	w["rating"] = "Explicit"
	r := e.want(e.do("POST", "/api/v1/works", fresh, w), http.StatusUnprocessableEntity)
	if !strings.Contains(r.errMessage(), "does not accept works rated Explicit") {
		t.Errorf("refusal message: %q", r.errMessage())
	}

	// The first work is held for review: out of the listing until approved.
	held := e.post(fresh, work("Held Tale"))
	if r := e.want(e.do("GET", path("/api/v1/works/%d", held), fresh, nil), http.StatusOK); r.obj["awaiting_review"] != true {
		t.Errorf("the creator is not told the work awaits review: %s", r.raw)
	}
	if ids, _ := e.listIDs("", ""); len(ids) != 0 {
		t.Fatalf("a held work is listed: %v", ids)
	}
	e.want(e.do("GET", path("/api/v1/works/%d", held), "", nil), http.StatusNotFound)
	e.want(e.do("GET", path("/api/v1/works/%d", held), fresh, nil), http.StatusOK)
	q := e.want(e.do("GET", "/api/v1/admin/review", mod, nil), http.StatusOK)
	if got := q.list("works"); len(got) != 1 || got[0].(map[string]any)["title"] != "Held Tale" {
		t.Fatalf("review queue = %s", q.raw)
	}
	e.want(e.do("POST", path("/api/v1/admin/review/%d/approve", held), mod, nil), http.StatusOK)
	if ids, _ := e.listIDs("", ""); len(ids) != 1 || ids[0] != held {
		t.Fatalf("after approval the listing holds %v", ids)
	}
	e.want(e.do("POST", path("/api/v1/admin/review/%d/approve", held), mod, nil), http.StatusNotFound)

	// A new account's work limit, with when it lifts.
	e.post(fresh, work("Second"))
	r = e.want(e.do("POST", "/api/v1/works", fresh, work("Third")), http.StatusUnprocessableEntity)
	if !strings.Contains(r.errMessage(), "may post 2 works") {
		t.Errorf("limit message: %q", r.errMessage())
	}
	now := e.site.Now
	e.site.Now = func() time.Time { return now().Add(25 * time.Hour) }
	e.post(fresh, work("Third"))
	e.site.Now = now

	// Verification: a 403 with a message until the link is followed.
	p.VerifyEmail = true
	u, _ := e.store.UserByName(ctx, "fresh")
	if err := e.site.SetPolicy(ctx, &archive.User{Name: "root", Roles: []string{archive.RoleAdmin}}, p); err != nil {
		t.Fatal(err)
	}
	if err := e.store.SetEmailVerification(ctx, u.ID, "h", now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.want(e.do("POST", path("/api/v1/works/%d/kudos", held), e.alice, nil), http.StatusCreated)
	r = e.want(e.do("POST", path("/api/v1/works/%d/chapters", held), fresh, map[string]any{"body": "More."}), http.StatusForbidden)
	if r.errCode() != "unverified" || !strings.Contains(r.errMessage(), "verify your e-mail address") {
		t.Errorf("unverified: %s %q", r.errCode(), r.errMessage())
	}
	if got := e.site.Stopped(site.DefenceUnverified); got != 1 {
		t.Errorf("unverified stopped %d, want 1", got)
	}
}

func TestSettingsAPI(t *testing.T) {
	e := newEnv(t)
	admin := e.role("boss", archive.RoleAdmin)
	r := e.want(e.do("GET", "/api/v1/admin/settings", admin, nil), http.StatusOK)
	if r.str("signup") != "open" || len(r.list("refuse_ratings")) != 0 {
		t.Fatalf("an unconfigured archive's settings: %s", r.raw)
	}
	r = e.want(e.do("PATCH", "/api/v1/admin/settings", admin, map[string]any{"signup": "invite", "refuse_ratings": []string{"explicit"}}), http.StatusOK)
	if r.str("signup") != "invite" || len(r.list("refuse_ratings")) != 1 || r.list("refuse_ratings")[0] != "Explicit" {
		t.Fatalf("after PATCH: %s", r.raw)
	}
	r = e.want(e.do("PATCH", "/api/v1/admin/settings", admin, map[string]any{"verify_email": true}), http.StatusOK)
	if r.str("signup") != "invite" || r.obj["verify_email"] != true {
		t.Fatalf("a second PATCH lost the first: %s", r.raw)
	}
	for _, bad := range []map[string]any{{"signup": "maybe"}, {"new_account_works": -2}, {"refuse_ratings": []string{"Spicy"}}} {
		e.want(e.do("PATCH", "/api/v1/admin/settings", admin, bad), http.StatusUnprocessableEntity)
	}
	e.want(e.do("PATCH", "/api/v1/admin/settings", admin, map[string]any{"signup": 3}), http.StatusBadRequest)
	if p, _ := e.site.Policy(context.Background()); p.Signup != archive.SignupInvite || !p.VerifyEmail {
		t.Fatalf("the refused changes were written: %+v", p)
	}
	// The site refuses sign-ups now: nothing is needed from the pages.
	if _, err := e.site.Signup(context.Background(), site.SignupInput{Name: "late", Email: "late@example.test", Password: "correct horse", Confirmation: "correct horse"}); err != site.ErrInvitationNeeded {
		t.Fatalf("sign-up under invite: %v", err)
	}
}

func TestHandingOnInvitationsThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.role("boss", archive.RoleAdmin)
	if err := e.site.InitPolicy(ctx, archive.Policy{Signup: archive.SignupInvite}); err != nil {
		t.Fatal(err)
	}
	e.want(e.do("GET", "/api/v1/me/invitations", "", nil), http.StatusUnauthorized)
	r := e.want(e.do("GET", "/api/v1/me/invitations", e.alice, nil), http.StatusOK)
	if r.num("unsent") != 0 || len(r.list("invitations")) != 0 {
		t.Fatalf("alice starts with %s", r.raw)
	}
	e.want(e.do("POST", "/api/v1/me/invitations", e.alice, map[string]any{"email": "pal@example.test"}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/admin/users/alice/invitations", admin, map[string]any{"count": 2}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/admin/users/nobody/invitations", admin, map[string]any{"count": 2}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/admin/users/alice/invitations", admin, map[string]any{"count": 0}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/me/invitations", e.alice, map[string]any{"email": "pal@example.test"}), http.StatusCreated)
	e.want(e.do("POST", "/api/v1/me/invitations", e.alice, map[string]any{"email": "not an address"}), http.StatusUnprocessableEntity)
	r = e.want(e.do("GET", "/api/v1/me/invitations", e.alice, nil), http.StatusOK)
	if r.num("unsent") != 1 || len(r.list("invitations")) != 2 {
		t.Fatalf("after sending one of two: %s", r.raw)
	}
}
