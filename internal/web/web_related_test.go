package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"quire/internal/web"
)

// A translator names the original (a work here) and a story elsewhere;
// the original's creator is told, approves, and the link shows on both
// works; a removed link shows on neither. A draft, restricted or
// anonymous parent never leaks through a link.
func TestRelatedWorks(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("origauthor")
	orig := author.postWork(url.Values{"title": {"The Lighthouse"}})
	draft := author.post("/works", url.Values{"title": {"Secret Draft"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Not yet."}, "action": {"draft"}}).status_(t, 200).url
	locked := author.postWork(url.Values{"title": {"Members Lighthouse"}, "restricted": {"1"}})

	tr := r.browser()
	tr.signup("translator")
	tr.get("/works/new").status_(t, 200).has(t, `name="related_url_1"`, `name="related_rows"`)
	base := url.Values{"title": {"Le Phare"}, "related_rows": {"2"},
		"related_kind_1": {"translation"}, "related_url_1": {r.site.BaseURL + orig},
		"related_kind_2": {"inspired_by"}, "related_url_2": {"https://elsewhere.example/s/42"}, "related_title_2": {"Sea Song"}, "related_creator_2": {"Someone Else"}}
	child := tr.postWork(base)

	// Bad input: nothing is written.
	bad := func(k, v, want string) {
		t.Helper()
		form := url.Values{"title": {"Bad Link"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
			"fandom": {"Lantern Tales"}, "body": {"Text."}, "action": {"post"}, "related_rows": {"1"}, "related_url_1": {v}}
		if k != "" {
			form.Set(k, "x")
		}
		tr.post("/works", form).status_(t, http.StatusUnprocessableEntity).has(t, want)
	}
	bad("", "javascript:alert(1)", "not a web address")
	bad("", "https://elsewhere.example/untitled", "needs a title")
	bad("", draft, "no posted work")
	bad("related_kind_1", orig, "not inspired_by")
	r.browser().get("/users/translator/works").lacks(t, "Bad Link")

	guest := r.browser()
	// Pending: only the translator sees the link (marked), the original
	// shows nothing.
	guest.get(child).has(t, "Inspired by", "Sea Song", "Someone Else").lacks(t, "The Lighthouse")
	tr.get(child).has(t, "A translation of", "The Lighthouse", "awaiting its creators")
	guest.get(orig).lacks(t, "Le Phare", "Works inspired by this one")

	// The author is told and answers.
	author.get("/inbox").has(t, "named your work", "Le Phare", "/account/related_works")
	page := author.get("/account/related_works").status_(t, 200).has(t, "Le Phare", "The Lighthouse", "awaiting your answer")
	_ = page
	childID := strings.TrimPrefix(child, "/works/")
	tr.post(orig+"/related/"+childID, url.Values{"state": {"approved"}}).status_(t, http.StatusForbidden)
	author.post(orig+"/related/"+childID, url.Values{"state": {"maybe"}}).status_(t, http.StatusUnprocessableEntity)
	author.post(orig+"/related/999999", url.Values{"state": {"approved"}}).status_(t, http.StatusNotFound)
	author.post(orig+"/related/"+childID, url.Values{"state": {"approved"}}).status_(t, 200).has(t, "approved")
	guest.get(child).has(t, "A translation of", "The Lighthouse", "origauthor")
	guest.get(orig).has(t, "Works inspired by this one", "Le Phare", "translator", "a translation")

	// Removed: neither work shows it; saving the child again does not ask again.
	author.post(orig+"/related/"+childID, url.Values{"state": {"rejected"}}).status_(t, 200).has(t, "removed")
	guest.get(child).lacks(t, "The Lighthouse")
	guest.get(orig).lacks(t, "Le Phare")
	edit := tr.get(child+"/edit").status_(t, 200).has(t, r.site.BaseURL+orig, "Sea Song")
	_ = edit
	tr.post(child+"/edit", url.Values{"title": {"Le Phare"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "related_rows": {"1"}, "related_kind_1": {"translation"}, "related_url_1": {orig}}).status_(t, 200)
	tr.get(child).has(t, "its creators removed the link").lacks(t, "Sea Song")
	guest.get(orig).lacks(t, "Le Phare")

	// A restricted parent shows to logged-in readers only.
	child2 := tr.postWork(url.Values{"title": {"Members Remix"}, "related_rows": {"1"}, "related_kind_1": {"remix"}, "related_url_1": {locked}})
	author.post(locked+"/related/"+strings.TrimPrefix(child2, "/works/"), url.Values{"state": {"approved"}}).status_(t, 200)
	guest.get(child2).status_(t, 200).lacks(t, "Members Lighthouse", "A remix of")
	tr.get(child2).has(t, "A remix of", "Members Lighthouse")
}
