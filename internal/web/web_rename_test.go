package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"quire/internal/web"
)

func TestRenamePages(t *testing.T) {
	r := newRig(t, web.Options{})
	alice := r.browser()
	alice.signup("alice")
	path := alice.postWork(url.Values{"title": {"Nom de Plume"}})
	alice.get("/account").has(t, `action="/account/name"`)
	alice.post("/account/name", url.Values{"name": {"alicia"}, "password": {"wrong"}}).status_(t, http.StatusUnprocessableEntity).has(t, "not your current password")
	alice.post("/account/name", url.Values{"name": {"a b"}, "password": {"correct horse"}}).status_(t, http.StatusUnprocessableEntity)
	alice.post("/account/name", url.Values{"name": {"alicia"}, "password": {"correct horse"}}).status_(t, 200).has(t, "alicia")
	r.browser().get(path).has(t, `/users/alicia/pseuds/alicia`).lacks(t, `/users/alice/`)
	// Old URLs redirect, with the rest of the path and the query.
	p := r.browser().get("/users/alice/works?sort=title")
	if p.url != "/users/alicia/works" || p.status != 200 {
		t.Fatalf("old works URL landed on %s (%d)", p.url, p.status)
	}
	p.has(t, "Nom de Plume")
	if p := r.browser().get("/users/alice"); p.url != "/users/alicia" {
		t.Fatalf("old profile URL landed on %s", p.url)
	}
	// Still logged in under the new name.
	alice.get("/").has(t, "alicia")
	// The old name can't be signed up for at once.
	b := r.browser()
	b.post("/signup", url.Values{"name": {"alice"}, "email": {"x@example.test"}, "password": {"correct horse"}, "password_confirmation": {"correct horse"}}).
		status_(t, http.StatusUnprocessableEntity).has(t, "already taken")
}
