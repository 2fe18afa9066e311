package web_test

import (
	"context"
	"net/url"
	"testing"

	"quire/internal/archive"
	"quire/internal/web"
)

// makeWrangler gives a signed-up user the wrangler role.
func (r *rig) makeWrangler(name string) {
	r.t.Helper()
	ctx := context.Background()
	u, err := r.store.UserByName(ctx, name)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.store.SetUserRoles(ctx, u.ID, []string{archive.RoleWrangler}); err != nil {
		r.t.Fatal(err)
	}
}

func TestTagPagesAndWrangling(t *testing.T) {
	r := newRig(t, web.Options{})
	writer := r.browser()
	writer.signup("writer")
	writer.postWork(url.Values{"title": {"Beans"}, "freeform": {"Alternate Universe - Coffee Shops & Cafés, Fresh Tag"}})
	writer.postWork(url.Values{"title": {"Broad"}, "freeform": {"Alternate Universe, Hurt/Comfort"}})

	wr := r.browser()
	wr.signup("wendy")
	r.makeWrangler("wendy")
	guest := r.browser()

	// Tag pages for everyone; the edit link only for wranglers.
	guest.get("/tags/Fresh Tag").status_(t, 200).has(t, "Fresh Tag", "Unwrangled", ">1 work<").lacks(t, "Edit tag")
	writer.get("/tags/Fresh Tag").status_(t, 200).lacks(t, "Edit tag")
	wr.get("/tags/Fresh Tag").status_(t, 200).has(t, "Edit tag", `href="/tags/Fresh%20Tag/edit?type=freeform"`)
	guest.get("/tags/Hurt*s*Comfort").status_(t, 200).has(t, "Hurt/Comfort")
	guest.get("/tags/Nothing Here").status_(t, 404)

	// Wrangling pages: guests log in, readers are refused.
	if p := guest.get("/tags/Fresh Tag/edit"); p.url != "/login" {
		t.Errorf("a guest reached %s", p.url)
	}
	if p := guest.get("/tags/unwrangled"); p.url != "/login" {
		t.Errorf("a guest reached %s", p.url)
	}
	writer.get("/tags/Fresh Tag/edit").status_(t, 403)
	writer.get("/tags/unwrangled").status_(t, 403)
	writer.post("/tags/Fresh Tag/edit", url.Values{"canonical_shown": {"1"}, "canonical": {"1"}}).status_(t, 403)

	// The unwrangled list: a fresh tag, with its count and an edit link.
	wr.get("/tags/unwrangled").status_(t, 200).
		has(t, `<label for="u-fandom">`, "Fresh Tag", "Alternate Universe", `href="/tags/Fresh%20Tag/edit?type=freeform"`, "Lantern Tales")

	// Make Alternate Universe canonical through the form.
	wr.get("/tags/Alternate Universe/edit").status_(t, 200).
		has(t, `<label for="t-canonical">`, `<label for="t-synonym">`, `<label for="t-meta-add">`, `<label for="t-par-add">`)
	wr.post("/tags/Alternate Universe/edit?type=freeform", url.Values{"canonical_shown": {"1"}, "canonical": {"1"}, "synonym_of": {""}}).
		status_(t, 200).has(t, "Canonical")
	wr.get("/tags/unwrangled").status_(t, 200).has(t, "Fresh Tag").lacks(t, ">Alternate Universe</a>")

	// A sub tag through the form: the AU listing gains the coffee-shop work.
	cafe := "/tags/Alternate Universe - Coffee Shops *a* Cafés"
	wr.post(cafe+"/edit", url.Values{"canonical_shown": {"1"}, "canonical": {"1"}, "synonym_of": {""}, "meta_add": {"Alternate Universe"}}).
		status_(t, 200).has(t, "Meta tags:", "Alternate Universe")
	guest.get("/tags/Alternate Universe/works").status_(t, 200).has(t, "Beans", "Broad")
	guest.get("/tags/Alternate Universe").status_(t, 200).has(t, "Sub tags:", "Coffee Shops")

	// A cycle is refused with the message, and the form keeps what was typed.
	wr.post("/tags/Alternate Universe/edit", url.Values{"canonical_shown": {"1"}, "canonical": {"1"}, "meta_add": {"Alternate Universe - Coffee Shops & Cafés"}}).
		status_(t, 422).has(t, "cycle", `role="alert"`, `value="Alternate Universe - Coffee Shops &amp; Cafés"`)

	// Removing the meta tag with its checkbox.
	wr.get(cafe+"/edit").status_(t, 200).has(t, `name="meta_remove" value="Alternate Universe"`)
	wr.post(cafe+"/edit", url.Values{"canonical_shown": {"1"}, "canonical": {"1"}, "meta_remove": {"Alternate Universe"}}).status_(t, 200)
	guest.get("/tags/Alternate Universe/works").status_(t, 200).has(t, "Broad").lacks(t, "Beans")

	// Parent fandoms: the fandom must be canonical first.
	wr.post("/tags/Fresh Tag/edit", url.Values{"parent_add": {"Lantern Tales"}}).status_(t, 422).has(t, "not canonical")
	wr.post("/tags/Lantern Tales/edit", url.Values{"canonical_shown": {"1"}, "canonical": {"1"}}).status_(t, 200)
	wr.post("/tags/Fresh Tag/edit", url.Values{"parent_add": {"Lantern Tales"}}).status_(t, 200).has(t, "Parent fandoms:", "Lantern Tales")
	wr.get("/tags/unwrangled?fandom=Lantern+Tales").status_(t, 200).has(t, "Unwrangled tags in Lantern Tales", "Fresh Tag", "Hurt/Comfort")
	wr.get("/tags/unwrangled?fandom=Nowhere").status_(t, 422).has(t, "Nowhere")

	// The fixed vocabulary has no form.
	wr.get("/tags/General Audiences/edit").status_(t, 200).has(t, "fixed vocabulary").lacks(t, `name="canonical"`)
}
