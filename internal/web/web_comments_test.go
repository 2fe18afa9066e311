package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"quire/internal/web"
)

func workIDOf(t *testing.T, p string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(workIDRe.FindStringSubmatch(p)[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestHitsOncePerVisitorPerDay(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("author")
	wp := author.postWork(nil)
	id := workIDOf(t, wp)
	hits := func() int64 {
		t.Helper()
		if err := r.site.FlushHits(context.Background()); err != nil {
			t.Fatal(err)
		}
		w, err := r.store.Work(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return w.Hits
	}
	author.get(wp).status_(t, 200)
	if h := hits(); h != 0 {
		t.Fatalf("creator's view counted: %d", h)
	}
	guest := r.browser()
	guest.get(wp).status_(t, 200)
	guest.get(wp).status_(t, 200)
	if h := hits(); h != 1 {
		t.Fatalf("two views by one guest: %d hits, want 1", h)
	}
	r.browser().get(wp).status_(t, 200)
	if h := hits(); h != 2 {
		t.Fatalf("a second guest: %d hits, want 2", h)
	}
	reader := r.browser()
	reader.signup("reader")
	reader.get(wp)
	reader.get(wp)
	if h := hits(); h != 3 {
		t.Fatalf("a logged-in reader twice: %d hits, want 3", h)
	}
}

func TestKudosAndCommentsPages(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("author")
	wp := author.postWork(url.Values{"comment_permissions": {"everyone"}})
	id := workIDOf(t, wp)

	// The creator sees no kudos button; a guest and a reader leave kudos.
	author.get(wp).status_(t, 200).lacks(t, `action="/works/`+strconv.FormatInt(id, 10)+`/kudos"`).has(t, "No kudos yet.")
	guest := r.browser()
	guest.get(wp).status_(t, 200).has(t, `action="/works/`+strconv.FormatInt(id, 10)+`/kudos"`, `<label for="comment-body-`)
	guest.post(wp+"/kudos", url.Values{"return_to": {wp}}).status_(t, 200).has(t, "Thank you for leaving kudos!")
	// A repeat (another tab, the back button) lands on the work with a notice, not a dead end.
	guest.post(wp+"/kudos", url.Values{"return_to": {wp}}).status_(t, 200).has(t, "You have already left kudos here.", "The first chapter begins here.")
	reader := r.browser()
	reader.signup("reader")
	reader.post(wp+"/kudos", nil).status_(t, 200)
	// Once given, the reader sees no button.
	reader.get(wp).lacks(t, `action="/works/`+strconv.FormatInt(id, 10)+`/kudos"`).has(t, "You left kudos on this work.")
	reader.post(wp+"/kudos", nil).status_(t, 200).has(t, "You have already left kudos here.")
	author.post(wp+"/kudos", nil).status_(t, http.StatusForbidden)
	author.get(wp).has(t, "2 kudos from", ">reader</a> and 1 guest")

	// Comments: a guest with name and e-mail; a threaded reply; delete.
	page := guest.get(wp)
	m := regexpFind(page.body, `action="(/works/\d+/chapters/\d+/comments)"`)
	if m == "" {
		t.Fatalf("no comment form on %s", wp)
	}
	guest.post(m, url.Values{"body": {"Lovely work!"}, "name": {"Wanderer"}, "email": {"w@example.test"}, "return_to": {wp}}).
		status_(t, 200).has(t, "Lovely work!", "Wanderer (guest)")
	guest.post(m, url.Values{"body": {"   "}, "name": {"Wanderer"}, "email": {"w@example.test"}}).status_(t, http.StatusUnprocessableEntity)
	guest.post(m, url.Values{"body": {"no email"}, "name": {"Wanderer"}}).status_(t, http.StatusUnprocessableEntity)
	cid := regexpFind(author.get(wp).body, `id="comment-(\d+)"`)
	reader.post(m, url.Values{"body": {"I agree"}, "parent_id": {cid}, "return_to": {wp}}).status_(t, 200)
	p := author.get(wp).has(t, "Lovely work!", "I agree", `action="/comments/`+cid+`/delete"`)
	if strings.Index(p.body, "Lovely work!") > strings.Index(p.body, "I agree") || !strings.Contains(p.body, `class="thread replies"`) {
		t.Error("the reply is not nested under its comment")
	}
	reader.get(wp).lacks(t, `action="/comments/`+cid+`/delete"`)
	reader.post("/comments/"+cid+"/delete", url.Values{"return_to": {wp}}).status_(t, http.StatusForbidden)
	author.post("/comments/"+cid+"/delete", url.Values{"return_to": {wp}}).status_(t, 200).
		has(t, "(Previous comment deleted.)", "I agree").lacks(t, "Lovely work!")
}

func regexpFind(s, re string) string {
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}

// The comment thread is rendered once per version of what its viewer is
// shown and shared between viewers (fragments.go): views taking turns
// still each show their own buttons and form, and every change shows at
// once to all of them.
func TestSharedThreadShowsEachViewerTheirOwn(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("author")
	wp := author.postWork(url.Values{"comment_permissions": {"everyone"}})
	reader, other, guest := r.browser(), r.browser(), r.browser()
	reader.signup("reader")
	other.signup("other")
	m := regexpFind(guest.get(wp).body, `action="(/works/\d+/chapters/\d+/comments)"`)
	reader.post(m, url.Values{"body": {"First thoughts."}, "return_to": {wp}}).status_(t, 200)
	cid := regexpFind(reader.get(wp).body, `id="comment-(\d+)"`)
	edit, del := `action="/comments/`+cid+`/edit"`, `action="/comments/`+cid+`/delete"`
	for range 2 { // the second round is served from the shared parts
		reader.get(wp).has(t, "First thoughts.", edit, del).lacks(t, `name="name"`)
		other.get(wp).has(t, "First thoughts.").lacks(t, edit, del, `name="name"`)
		guest.get(wp).has(t, "First thoughts.", `name="name"`).lacks(t, edit, del)
		author.get(wp).has(t, "First thoughts.", del, `action="/comments/`+cid+`/freeze"`).lacks(t, edit)
		guest.get(wp+"?view_full_work=true").has(t, "First thoughts.", `value="`+wp+`?view_full_work=true"`)
	}
	reader.post("/comments/"+cid+"/edit", url.Values{"body": {"Second thoughts."}, "return_to": {wp}}).status_(t, 200)
	for _, b := range []*browser{reader, other, guest, author} {
		b.get(wp).has(t, "Second thoughts.", "(edited)").lacks(t, "First thoughts.")
	}
	author.post("/comments/"+cid+"/freeze", url.Values{"return_to": {wp}}).status_(t, 200)
	other.get(wp).has(t, "(thread frozen)").lacks(t, `name="parent_id" value="`+cid+`"`)
	author.post("/comments/"+cid+"/delete", url.Values{"return_to": {wp}}).status_(t, 200)
	for _, b := range []*browser{reader, other, guest, author} {
		b.get(wp).lacks(t, "Second thoughts.", `id="comment-`+cid+`"`)
	}
}
