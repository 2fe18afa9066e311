package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/web"
)

// grant gives a signed-up account a role, as `quire user role` does.
func (r *rig) grant(name, role string) {
	r.t.Helper()
	if _, err := r.site.ChangeRole(context.Background(), nil, name, role, true, ""); err != nil {
		r.t.Fatal(err)
	}
}

// send makes one request without following redirects, so the answer to the
// request itself (status, headers) is what comes back.
func (b *browser) send(method, path string, form url.Values) response {
	b.t.Helper()
	req, err := http.NewRequest(method, b.r.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	c := &http.Client{Jar: b.jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

func TestAdminPagesNeedTheRole(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("author")
	work := author.postWork(nil)
	reader := r.browser()
	reader.signup("reader")
	mod := r.browser()
	mod.signup("mod")
	r.grant("mod", archive.RoleModerator)
	guest := r.browser()
	form := url.Values{"reason": {"testing the gate"}, "until": {"2099-01-01T00:00"}, "role": {"moderator"}}
	// Every page and form admin.go adds.
	routes := []struct{ method, path string }{
		{"GET", "/admin/users"},
		{"GET", "/admin/users?q=auth"},
		{"GET", "/admin/users/author"},
		{"GET", "/admin/log"},
		{"POST", "/admin/users/author/roles"},
		{"POST", "/admin/users/author/suspend"},
		{"POST", "/admin/users/author/unsuspend"},
		{"POST", "/admin/users/author/ban"},
		{"POST", "/admin/users/author/unban"},
		{"POST", "/admin/users/author/spam"},
		{"POST", work + "/hide"},
		{"POST", work + "/unhide"},
		{"POST", work + "/moderator_delete"},
		{"POST", "/comments/1/hide"},
		{"POST", "/comments/1/unhide"},
		{"POST", "/comments/1/moderator_delete"},
	}
	for _, rt := range routes {
		if got := guest.send(rt.method, rt.path, form); got.status != http.StatusUnauthorized || got.header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("%s %s as a guest: %d, Cache-Control %q; want 401, private, no-store", rt.method, rt.path, got.status, got.header.Get("Cache-Control"))
		}
		if got := reader.send(rt.method, rt.path, form); got.status != http.StatusForbidden || got.header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("%s %s as a reader: %d, Cache-Control %q; want 403, private, no-store", rt.method, rt.path, got.status, got.header.Get("Cache-Control"))
		}
	}
	for _, p := range []string{"/admin/users", "/admin/users/author", "/admin/log"} {
		if got := mod.send("GET", p, nil); got.status != 200 || got.header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("GET %s as a moderator: %d, Cache-Control %q", p, got.status, got.header.Get("Cache-Control"))
		}
	}
	// Nothing the refused requests asked for happened.
	reader.get(work).status_(t, 200).lacks(t, "hidden by the moderators")
	mod.get("/admin/log").status_(t, 200).has(t, "1 entry") // the grant of the role only
	// The guest's 401 is the log-in form, back to the page.
	guest.get("/admin/log").has(t, `name="return_to" value="/admin/log"`, "moderator")
}

func TestModeratorHidesAWork(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("author")
	work := author.postWork(url.Values{"title": {"Lighthouse Keeper"}})
	reader := r.browser()
	reader.signup("reader")
	mod := r.browser()
	mod.signup("mod")
	r.grant("mod", archive.RoleModerator)

	series := author.post("/series", url.Values{"title": {"Coastal Cycle"}}).status_(t, 200).url
	author.post(series+"/works", url.Values{"work_id": {workID(work)}}).status_(t, 200)
	reader.post(work+"/bookmarks", url.Values{"notes": {"lovely"}}).status_(t, 200)
	reader.get(series).has(t, "Lighthouse Keeper")
	reader.get("/users/reader/bookmarks").has(t, "Lighthouse Keeper")

	// Only moderators get the form.
	reader.get(work).lacks(t, "Moderate this work")
	mod.get(work).has(t, "Moderate this work", `action="`+work+`/hide"`, `for="mw-reason-`)
	// A reason is needed; nothing is hidden without one.
	mod.post(work+"/hide", url.Values{"reason": {"  "}}).status_(t, 422).has(t, "reason")
	reader.get("/works").has(t, "Lighthouse Keeper")

	mod.post(work+"/hide", url.Values{"reason": {"Reported: copied from elsewhere"}}).status_(t, 200).
		has(t, "This work is hidden by the moderators", "Reported: copied from elsewhere", "Unhide work")
	// Gone for the reader everywhere at once.
	reader.get("/works").status_(t, 200).lacks(t, "Lighthouse Keeper")
	reader.get(work).status_(t, 404)
	reader.get("/users/author/works").lacks(t, "Lighthouse Keeper")
	reader.get("/tags/Lantern%20Tales/works").lacks(t, "Lighthouse Keeper")
	reader.get(series).lacks(t, "Lighthouse Keeper")
	mod.get(series).lacks(t, "Lighthouse Keeper")
	r.browser().get("/users/reader/bookmarks").lacks(t, "Lighthouse Keeper")
	reader.get("/users/reader/bookmarks").lacks(t, `href="`+work+`"`) // its own list keeps only the remembered title
	r.browser().get(work).status_(t, 404)
	r.browser().get("/tags/Lantern%20Tales/feed.atom").lacks(t, "Lighthouse Keeper")
	reader.get("/downloads/"+workID(work)+"/x.epub").status_(t, 404)
	// The creator sees the banner with the reason, and an inbox notice.
	author.get(work).status_(t, 200).has(t, "This work is hidden by the moderators", "Reported: copied from elsewhere").lacks(t, "Moderate this work")
	author.get("/inbox").has(t, "hid your work", "Lighthouse Keeper")
	// And a mail, through the job queue.
	if _, err := r.site.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.mailLog.String(), "has been hidden") {
		t.Fatalf("no mail to the creator: %s", r.mailLog.String())
	}
	// The log shows it, filterable.
	mod.get("/admin/log?action=hide_work").has(t, "mod", "hide_work", "Reported: copied from elsewhere")
	mod.get("/admin/log?action=ban").has(t, "0 entries")
	mod.post(work+"/unhide", url.Values{"reason": {"Cleared"}}).status_(t, 200).lacks(t, "This work is hidden")
	reader.get("/works").has(t, "Lighthouse Keeper")
}

func TestAccountPageAndActions(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("author")
	work := author.postWork(url.Values{"title": {"Quiet Tide"}})
	mod := r.browser()
	mod.signup("mod")
	r.grant("mod", archive.RoleModerator)
	admin := r.browser()
	admin.signup("boss")
	r.grant("boss", archive.RoleAdmin)

	// Search by name; only admins see or search addresses.
	mod.get("/users/author").has(t, `href="/admin/users/author"`)
	author.get("/users/author").lacks(t, `href="/admin/users/author"`)
	mod.get("/admin/users?q=auth").has(t, "/admin/users/author").lacks(t, "author@example.test")
	mod.get("/admin/users?q=example.test").has(t, "0 accounts")
	admin.get("/admin/users?q=author@example").has(t, "/admin/users/author", "author@example.test")
	mod.get("/admin/users/author").has(t, "Quiet Tide", "In good standing", `for="m-until"`).lacks(t, "author@example.test", "Change role")
	admin.get("/admin/users/author").has(t, "author@example.test", "Change role")

	// Bad input: a date in the past, no reason, oneself — 422, nothing done.
	mod.post("/admin/users/author/suspend", url.Values{"until": {"2001-01-01T00:00"}, "reason": {"x"}}).status_(t, 422).has(t, "in the past")
	mod.post("/admin/users/author/suspend", url.Values{"until": {"2099-01-01T00:00"}}).status_(t, 422).has(t, "Reason")
	mod.post("/admin/users/mod/ban", url.Values{"reason": {"x"}}).status_(t, 422).has(t, "your own account")
	mod.post("/admin/users/nobody/ban", url.Values{"reason": {"x"}}).status_(t, 404)
	admin.post("/admin/users/boss/roles", url.Values{"role": {"admin"}, "change": {"remove"}, "reason": {"x"}}).status_(t, 422).has(t, "your own roles")
	author.get(work+"/edit").status_(t, 200)

	// Suspend: pages refuse writes with the end, reads go on.
	until := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Minute)
	mod.post("/admin/users/author/suspend", url.Values{"until": {until.Format("2006-01-02T15:04")}, "reason": {"Cooling off"}}).status_(t, 200).
		has(t, "Suspended until <time datetime=\""+until.Format(time.RFC3339)+"\">"+strings.TrimPrefix(until.Format("_2 Jan 2006 15:04"), " ")+" UTC</time>", "Cooling off", "Unsuspend")
	author.get(work).status_(t, 200).has(t, "Your account is suspended until <time datetime=\""+until.Format(time.RFC3339)+"\">"+
		strings.TrimPrefix(until.Format("_2 Jan 2006 15:04"), " ")+" UTC</time>")
	refused := author.post("/works", url.Values{"title": {"Another"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"text"}, "action": {"post"}})
	refused.status_(t, 403).has(t, "suspended until "+until.Format("2006-01-02 15:04"))
	author.post(work+"/kudos", nil).status_(t, 403)
	author.post("/account/preferences", url.Values{"view_adult": {"1"}}).status_(t, 200)
	mod.post("/admin/users/author/unsuspend", url.Values{"reason": {"Appeal granted"}}).status_(t, 200).has(t, "In good standing")

	// Ban: the session ends, log-in is refused with the reason.
	mod.post("/admin/users/author/ban", url.Values{"reason": {"Harassment"}}).status_(t, 200).has(t, "Banned", "Harassment", "Unban")
	author.get("/inbox").lacks(t, "Log out")
	again := r.browser()
	again.post("/login", url.Values{"login": {"author"}, "password": {"correct horse"}}).status_(t, 403).has(t, "banned", "Harassment")
	r.browser().get("/works").lacks(t, "Quiet Tide")
	mod.post("/admin/users/author/unban", url.Values{"reason": {"Appeal"}}).status_(t, 200)
	r.browser().get("/works").has(t, "Quiet Tide")

	// Roles: admins only; the history shows every step.
	admin.post("/admin/users/mod/roles", url.Values{"role": {"wrangler"}, "change": {"add"}, "reason": {"Helps with tags"}}).status_(t, 200).
		has(t, "moderator, wrangler", "wrangler: Helps with tags")
	admin.get("/admin/users/author").has(t, "suspend", "unsuspend", "ban", "unban", "Cooling off", "Appeal granted")
}

func TestModeratorHidesAComment(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("author")
	wp := author.postWork(url.Values{"title": {"Harbour Notes"}})
	reader := r.browser()
	reader.signup("reader")
	mod := r.browser()
	mod.signup("mod")
	r.grant("mod", archive.RoleModerator)
	form := regexpFind(reader.get(wp).body, `action="(/works/\d+/chapters/\d+/comments)"`)
	reader.post(form, url.Values{"body": {"An unkind remark"}, "return_to": {wp}}).status_(t, 200)
	cid := regexpFind(author.get(wp).body, `id="comment-(\d+)"`)

	author.get(wp).lacks(t, "Hide comment")
	mod.get(wp).has(t, `action="/comments/`+cid+`/hide"`, "Hide comment", `for="mc-reason-`+cid+`"`)
	mod.post("/comments/"+cid+"/hide", url.Values{"reason": {""}, "return_to": {wp}}).status_(t, 422)
	author.get(wp).has(t, "An unkind remark")
	mod.post("/comments/"+cid+"/hide", url.Values{"reason": {"Unkind"}, "return_to": {wp}}).status_(t, 200).
		has(t, "An unkind remark", "hidden by the moderators", "Unhide comment")
	author.get(wp).lacks(t, "An unkind remark")
	reader.get(wp).lacks(t, "An unkind remark")
	author.get("/inbox").lacks(t, "An unkind remark")
	mod.post("/comments/"+cid+"/unhide", url.Values{"reason": {"On reflection, fine"}, "return_to": {wp}}).status_(t, 200)
	author.get(wp).has(t, "An unkind remark")
	mod.post("/comments/"+cid+"/moderator_delete", url.Values{"reason": {"Removed"}, "return_to": {wp}}).status_(t, 200)
	author.get(wp).lacks(t, "An unkind remark")
	mod.get("/admin/log?target=comment:"+cid).has(t, "3 entries", "hide_comment", "unhide_comment", "delete_comment")
}
