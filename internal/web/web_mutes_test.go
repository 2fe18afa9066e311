package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"quire/internal/web"
)

func TestMutesPage(t *testing.T) {
	r := newRig(t, web.Options{})
	alice, bob, carol := r.browser(), r.browser(), r.browser()
	alice.signup("alice")
	bob.signup("bob")
	carol.signup("carol")
	alice.postWork(url.Values{"title": {"Sad Story"}, "freeform": {"Angst"}})
	alice.postWork(url.Values{"title": {"Happy Story"}, "freeform": {"Fluff"}})
	carol.postWork(url.Values{"title": {"Carol's Story"}, "freeform": {"Fluff"}})

	bob.get("/account").status_(t, 200).has(t, `href="/account/mutes"`, `href="/account/preferences"`)
	bob.get("/account/mutes").status_(t, 200).has(t, `<label for="m-tags">`, `<label for="m-users">`)
	bob.post("/account/mutes", url.Values{"tags": {"Angst\nNo Such Tag"}}).status_(t, http.StatusUnprocessableEntity).has(t, "No Such Tag")
	bob.post("/account/mutes", url.Values{"tags": {"Angst\n"}, "users": {"carol"}}).status_(t, 200).has(t, "have been saved", "Angst", "carol")

	bob.get("/works").status_(t, 200).has(t, "1 work", "Happy Story").lacks(t, "Sad Story", "Carol&#39;s Story", "Angst (")
	alice.get("/works").status_(t, 200).has(t, "3 works", "Sad Story", "Angst (1)", "Fluff (2)")
	bob.post("/account/mutes", url.Values{"tags": {""}, "users": {""}}).status_(t, 200)
	bob.get("/works").status_(t, 200).has(t, "3 works")
}

func TestPreferencesPage(t *testing.T) {
	r := newRig(t, web.Options{})
	alice, bob := r.browser(), r.browser()
	alice.signup("alice")
	bob.signup("bob")
	work := alice.postWork(url.Values{"title": {"Grown-up Tale"}, "rating": {"Explicit"}})
	bob.get(work).status_(t, 200).has(t, "This work could have adult content")

	bob.get("/account/preferences").status_(t, 200).has(t, `<label for="p-adult">`, `<label for="p-font">`, `<label for="p-theme">`)
	bob.post("/account/preferences", url.Values{"font_size": {"500"}, "view_adult": {"1"}}).status_(t, http.StatusUnprocessableEntity).has(t, "Font size")
	bob.post("/account/preferences", url.Values{"theme": {"neon"}}).status_(t, http.StatusUnprocessableEntity)
	bob.get(work).has(t, "This work could have adult content")

	bob.post("/account/preferences", url.Values{"view_adult": {"1"}, "font_size": {"120"}, "theme": {"dark"}}).status_(t, 200).
		has(t, "have been saved", `id="p-adult" name="view_adult" value="1" checked`, `value="120"`, `<option value="dark" selected>`)
	bob.get(work).status_(t, 200).lacks(t, "This work could have adult content").has(t, "Grown-up Tale")
}
