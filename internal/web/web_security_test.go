package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quire/internal/web"
)

// location posts form to path without following the redirect and returns
// where the archive sends the browser.
func (b *browser) location(path string, form url.Values) string {
	b.t.Helper()
	// A round trip of its own: the client would refuse to parse a hostile
	// Location before the test could look at it.
	req, err := http.NewRequest(http.MethodPost, b.r.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range b.jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	if c := resp.Cookies(); len(c) > 0 {
		b.jar.SetCookies(req.URL, c)
	}
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("POST %s: status %d, want 303", path, resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// Logging in never sends the browser off the site, however return_to is
// dressed up: browsers drop tabs and newlines and read a backslash as a
// slash, so "/\t/evil.example" is "//evil.example" to them.
func TestLoginReturnToStaysOnSite(t *testing.T) {
	r := newRig(t, web.Options{})
	r.browser().signup("wanderer")
	b := r.browser()
	login := func(rt string) string {
		return b.location("/login", url.Values{"login": {"wanderer"}, "password": {"correct horse"}, "return_to": {rt}})
	}
	for _, evil := range []string{"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example",
		"//evil.example", "///evil.example", "https://evil.example/", "/\x00/evil.example", " //evil.example"} {
		if got := login(evil); got != "/" {
			t.Errorf("return_to %q sent the browser to %q, want /", evil, got)
		}
	}
	if got := login("/works?page=2"); got != "/works?page=2" {
		t.Errorf("a path on the site was not kept: %q", got)
	}
	// The form itself does not carry a hostile value forward either.
	b.get("/login?return_to="+url.QueryEscape("/\t/evil.example")).status_(t, 200).lacks(t, "evil.example")

	// The other forms that name a way back use the same rule.
	author := r.browser()
	author.signup("author1")
	wp := author.postWork(nil)
	if got := b.location(wp+"/mark_for_later", url.Values{"on": {"1"}, "return_to": {"/\t/evil.example"}}); got != "/" {
		t.Errorf("mark for later sent the browser to %q", got)
	}
	if got := b.location("/subscriptions", url.Values{"kind": {"work"}, "target": {workID(wp)}, "return_to": {"/works/\t/evil.example"}}); got != "/inbox#subscriptions" {
		t.Errorf("subscribe sent the browser to %q", got)
	}
	if got := b.location(wp+"/kudos", url.Values{"return_to": {wp + "/\t/x"}}); got != wp+"?kudos=thanks#kudos" {
		t.Errorf("kudos sent the browser to %q", got)
	}
}

// resetLinks asks for n password-reset links for login and returns their
// tokens, oldest first.
func (r *rig) resetLinks(login string, n int) []string {
	r.t.Helper()
	before := len(resetTokenRe.FindAllStringSubmatch(r.mailLog.String(), -1))
	for i := 0; i < n; i++ {
		r.browser().post("/password_reset", url.Values{"login": {login}}).status_(r.t, 200).has(r.t, "sent it a link")
	}
	if _, err := r.site.Jobs.RunDue(context.Background()); err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, m := range resetTokenRe.FindAllStringSubmatch(r.mailLog.String(), -1)[before:] {
		tok, _ := url.QueryUnescape(m[1])
		out = append(out, tok)
	}
	if len(out) != n {
		r.t.Fatalf("%d reset links mailed, want %d", len(out), n)
	}
	return out
}

var resetTokenRe = regexp.MustCompile(`/password_reset\?token=([A-Za-z0-9_%-]+)`)

// A password change, by a reset link or on the account page, voids every
// reset link mailed before it: an old link in a mailbox someone else can
// read must not undo the change.
func TestPasswordChangeVoidsResetLinks(t *testing.T) {
	r := newRig(t, web.Options{})
	owner := r.browser()
	owner.signup("careful")
	reset := func(token, pw string) page {
		return r.browser().post("/password_reset", url.Values{"token": {token}, "password": {pw}, "password_confirmation": {pw}})
	}

	// Two links; using one voids the other.
	links := r.resetLinks("careful", 2)
	reset(links[1], "second secret").status_(t, 200).has(t, "password has been changed")
	reset(links[0], "first secret").status_(t, 422).has(t, "unknown, used or expired")
	r.browser().post("/login", url.Values{"login": {"careful"}, "password": {"first secret"}}).status_(t, 401)

	// A link, then a change on the account page: the link is dead.
	links = r.resetLinks("careful@example.test", 1)
	owner.post("/login", url.Values{"login": {"careful"}, "password": {"second secret"}}).status_(t, 200)
	owner.post("/account/password", url.Values{"current_password": {"second secret"}, "password": {"third secret"}, "password_confirmation": {"third secret"}}).
		status_(t, 200).has(t, "password has been changed")
	reset(links[0], "attacker secret").status_(t, 422).has(t, "unknown, used or expired")
	r.browser().post("/login", url.Values{"login": {"careful"}, "password": {"attacker secret"}}).status_(t, 401)
	r.browser().post("/login", url.Values{"login": {"careful"}, "password": {"third secret"}}).status_(t, 200)
}

// The forms remove NUL characters as the API does: the same preparation
// in the archive package serves both.
func TestNULStrippedFromForms(t *testing.T) {
	r := newRig(t, web.Options{})
	b := r.browser()
	b.signup("night_writer")
	wp := b.postWork(url.Values{"title": {"Night\x00fall"}, "freeform": {"Fog\x00horns, Gull\x00s"}, "body": {"Once\x00 upon a time."}})
	b.get(wp).status_(t, 200).has(t, "Nightfall", "Foghorns", "Gulls", "Once upon a time.")
	b.post("/users/night_writer/pseuds", url.Values{"name": {"Night\x00Owl"}}).status_(t, 200)
	b.get("/users/night_writer/pseuds").status_(t, 200).has(t, "NightOwl")
}
